"""QR codes for flyers: they scan back to exactly their link, at print size, every time."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from campaign_sheets.cli import main
from campaign_sheets.pages.qr import (
    LONG_URL,
    NotHttpError,
    error_correction,
    pixels_per_module,
    qr_matrix,
    qr_png,
    qr_svg,
)
from conftest import require_program
from pages_support import CHROMIUM, CHROMIUM_ARGS, zbar_decode

SHORT = "https://forms.example.org/r?id=study-1207"
FORM = (
    "https://docs.google.com/forms/d/e/1FAIpQLSd-example-form-id/viewform?usp=pp_url"
    "&entry.111=2025-1207-study&entry.222=%E7%9C%8C%E5%B9%B4%E9%87%91%E8%80%85%E7%B5%84%E5%90%88"
)
LONG = FORM + "&entry.333=" + "%E4%BB%8B%E8%AD%B7" * 20


def decode_png(tmp_path: Path, data: bytes) -> list[str]:
    zbarimg = require_program("zbarimg", "Debian zbar-tools")
    path = tmp_path / "code.png"
    path.write_bytes(data)
    return zbar_decode(zbarimg, path)


@pytest.mark.parametrize("url", [SHORT, FORM, LONG], ids=["short", "form", "long"])
def test_the_png_scans_back_to_exactly_its_link(tmp_path: Path, url: str) -> None:
    assert decode_png(tmp_path, qr_png(url)) == [url]


def test_the_svg_scans_back_to_exactly_its_link_when_chromium_draws_it(tmp_path: Path) -> None:
    require_program("chromium", "Debian chromium")
    zbarimg = require_program("zbarimg", "Debian zbar-tools")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # 300 dpi is about 3.1 device pixels per CSS pixel: the code as a printer draws it
        page = browser.new_page(viewport={"width": 400, "height": 400}, device_scale_factor=3.125)
        for index, url in enumerate((SHORT, FORM, LONG)):
            svg = qr_svg(url).decode("ascii")
            page.set_content(f"<body style='margin:20px;background:#fff'>{svg}</body>")
            shot = tmp_path / f"svg-{index}.png"
            page.locator("svg").screenshot(path=str(shot))
            assert zbar_decode(zbarimg, shot) == [url]
        browser.close()


def test_error_correction_is_q_and_m_only_for_long_links() -> None:
    assert error_correction(SHORT) == "Q"
    assert error_correction("https://x.org/" + "a" * (LONG_URL - 14)) == "Q"
    assert error_correction("https://x.org/" + "a" * (LONG_URL - 13)) == "M"
    assert error_correction(LONG) == "M"


def test_the_code_has_a_four_module_quiet_zone_and_is_never_micro() -> None:
    matrix = qr_matrix(SHORT)
    size = len(matrix)
    assert size >= 21 + 8  # version 1 (the smallest full QR) plus the quiet zone
    for ring in range(4):
        assert not any(matrix[ring]) and not any(matrix[size - 1 - ring])
        assert not any(row[ring] or row[size - 1 - ring] for row in matrix)
    # full QR codes have three finder patterns; Micro QR has one
    for top, left in ((4, 4), (4, size - 11), (size - 11, 4)):
        assert all(matrix[top][left + i] for i in range(7))


def test_the_png_prints_at_least_35mm_at_300_dpi() -> None:
    image = Image.open(io.BytesIO(qr_png(FORM)))
    modules = len(qr_matrix(FORM))
    assert image.size[0] == image.size[1] == modules * pixels_per_module(modules)
    assert image.size[0] / 300 * 25.4 >= 35
    assert image.info["dpi"] == pytest.approx((300, 300), rel=1e-4)


def test_the_svg_is_sized_35mm() -> None:
    svg = qr_svg(FORM).decode("ascii")
    assert 'width="35mm"' in svg and 'height="35mm"' in svg
    modules = len(qr_matrix(FORM))
    assert f'viewBox="0 0 {modules} {modules}"' in svg
    assert 35 / modules >= 0.5  # each module at least half a millimetre


def png_chunks(data: bytes) -> list[bytes]:
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return chunks


def test_png_bytes_carry_no_time_or_software_and_are_stable() -> None:
    data = qr_png(SHORT)
    assert set(png_chunks(data)) <= {b"IHDR", b"pHYs", b"IDAT", b"IEND"}
    from campaign_sheets.pages import qr as qr_module

    qr_module._cached.cache_clear()  # render again, not from the cache
    assert qr_png(SHORT) == data
    assert qr_svg(SHORT) == qr_svg(SHORT)
    assert zlib.crc32(data) == zlib.crc32(qr_png(SHORT))


def test_an_unchanged_link_is_served_from_the_cache() -> None:
    first = qr_png(FORM)
    assert qr_png(FORM) is first


@pytest.mark.parametrize("url", ["javascript:alert(1)", "mailto:a@example.org", "example.org"])
def test_only_web_links_become_codes(url: str) -> None:
    with pytest.raises(NotHttpError):
        qr_png(url)
    with pytest.raises(NotHttpError):
        qr_svg(url)


def test_the_qr_command_writes_a_png_that_scans(tmp_path: Path) -> None:
    out = tmp_path / "form.png"
    assert main(["qr", FORM, "-o", str(out)]) == 0
    assert decode_png(tmp_path, out.read_bytes()) == [FORM]


def test_the_qr_command_writes_an_svg(tmp_path: Path) -> None:
    out = tmp_path / "form.svg"
    assert main(["qr", SHORT, "-o", str(out)]) == 0
    assert out.read_bytes() == qr_svg(SHORT)


def test_the_qr_command_refuses_a_link_that_is_not_http(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.png"
    assert main(["qr", "ftp://files.example.org/a", "-o", str(out), "--lang", "en"]) == 2
    assert "http://" in capsys.readouterr().err
    assert not out.exists()


def test_the_qr_command_refuses_an_unknown_file_type(tmp_path: Path) -> None:
    assert main(["qr", SHORT, "-o", str(tmp_path / "x.jpg")]) == 2


paths = st.text(st.sampled_from("abcXYZ019-._~/?=&%+"), min_size=1, max_size=200)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scheme=st.sampled_from(["http", "https"]), path=paths)
def test_any_web_link_round_trips_through_its_png(tmp_path: Path, scheme: str, path: str) -> None:
    url = f"{scheme}://example.org/{path}"
    assert re.fullmatch(r"[ -~]+", url)
    assert decode_png(tmp_path, qr_png(url)) == [url]
