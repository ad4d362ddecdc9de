"""PDF flyers with the ``pdf`` extra: A4, Japanese fonts embedded, QR code inside.

Without WeasyPrint or the Noto CJK fonts these tests skip on a laptop and fail in CI
(``CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1``), like the other system-dependent tests.
"""

from __future__ import annotations

import importlib.util
import re
import zlib
from pathlib import Path

import pytest

from campaign_sheets.pages.build import build_pages
from campaign_sheets.pages.pdf import clear_cache, flyer_pdf, pdf_available
from conftest import REQUIRE_SYSTEM, require_font
from pages_support import page_context, winter_actions


def require_weasyprint() -> None:
    """The pdf extra and the Japanese font the flyers are laid out in."""
    if importlib.util.find_spec("weasyprint") is not None:
        require_font("Noto Sans CJK JP", "on Debian: apt-get install fonts-noto-cjk")
        return
    reason = "needs the pdf extra (pip install 'campaign-sheets[pdf]')"
    if REQUIRE_SYSTEM:
        pytest.fail(reason + " but CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1", pytrace=False)
    pytest.skip(reason)


def inflated(data: bytes) -> bytes:
    """The PDF with every compressed stream inflated, so its objects can be searched."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    require_weasyprint()
    files = build_pages(page_context([winter_actions()[1]], token=None), pdf=True)
    return inflated(files["events/study-1207/flyer.pdf"])


def test_the_flyer_pdf_is_one_a4_page(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    assert float(box.group(1)) == pytest.approx(595.28, abs=1)
    assert float(box.group(2)) == pytest.approx(841.89, abs=1)


def test_the_flyer_pdf_embeds_a_japanese_font(pdf: bytes) -> None:
    assert re.search(rb"/FontFile[23]?\b", pdf)
    # a subset (six-letter tag) of Noto Sans CJK JP, embedded rather than referenced
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+Noto-Sans-CJK-JP", pdf)


def test_the_pdf_is_the_same_bytes_every_time() -> None:
    require_weasyprint()
    html = build_pages(page_context([winter_actions()[1]], token=None), pdf=False)[
        "events/study-1207/flyer.html"
    ].decode("utf-8")
    clear_cache()
    first = flyer_pdf(html)
    clear_cache()
    assert flyer_pdf(html) == first


def test_pdfs_are_made_by_default_only_with_the_extra() -> None:
    if pdf_available():
        require_weasyprint()
    files = build_pages(page_context([winter_actions()[1]], token=None))
    assert ("events/study-1207/flyer.pdf" in files) == pdf_available()


def test_a_disk_cache_keeps_pdfs_for_the_next_process(tmp_path: Path) -> None:
    require_weasyprint()
    context = page_context([winter_actions()[1]], token=None)
    first = build_pages(context, pdf=True, cache_dir=tmp_path)
    cached = list(tmp_path.glob("*.pdf"))
    assert len(cached) == 1 and cached[0].read_bytes() == first["events/study-1207/flyer.pdf"]
    clear_cache()
    stamp = cached[0].stat().st_mtime_ns
    assert build_pages(context, pdf=True, cache_dir=tmp_path) == first
    # read back, not laid out and written again
    assert list(tmp_path.glob("*.pdf")) == cached
    assert cached[0].stat().st_mtime_ns == stamp
