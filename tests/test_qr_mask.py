"""A first sync draws thousands of codes: they come fast and stay exactly qrcode's own codes."""

from __future__ import annotations

import numpy as np
import pytest
import qrcode
import qrcode.util
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_sheets.core.urls import ascii_url
from campaign_sheets.pages import qr
from campaign_sheets.pages.qr import LONG_URL, error_correction, lost_points, qr_matrix

QR_SIZES = list(range(21, 178, 4))


def qrcode_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code exactly as qrcode draws it on its own: its version, its mask choice."""
    code = qrcode.QRCode(
        version=None, error_correction=qr._LEVELS[error_correction(url)], border=qr.BORDER
    )
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def fast_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """``qr_matrix``: drawn afresh by the fast path (packed bits, table-driven
    Reed–Solomon, numpy masks)."""
    assert qr._FAST, "the installed qrcode should allow the fast path"
    return qr_matrix(url)


def version_of(matrix: tuple[tuple[bool, ...], ...]) -> int:
    """The QR version of a drawn code (its size without the quiet zone is 4·v + 17)."""
    return (len(matrix) - 2 * qr.BORDER - 17) // 4


def grid(seed: int, size: int, dark_share: float, grain: int) -> np.ndarray:
    """A random grid; coarse grains make long runs and 2×2 blocks, which qrcode penalises."""
    rng = np.random.default_rng(seed)
    cells = -(-size // grain)
    coarse = rng.random((cells, cells)) < dark_share
    return np.kron(coarse, np.ones((grain, grain), dtype=bool))[:size, :size].astype(bool)


def test_the_installed_qrcode_allows_the_fast_mask_choice() -> None:
    assert qr._FAST


@pytest.mark.parametrize("size", QR_SIZES)
def test_the_penalty_is_qrcodes_own_for_every_qr_size(size: int) -> None:
    grids = np.array([grid(size, size, share, grain) for share, grain in ((0.5, 1), (0.3, 2))])
    expected = [qrcode.util.lost_point(g.tolist()) for g in grids]
    assert lost_points(grids) == expected


@settings(max_examples=60, deadline=None)
@given(
    size=st.sampled_from(QR_SIZES),
    seed=st.integers(0, 2**32 - 1),
    dark_share=st.floats(0.0, 1.0),
    grain=st.integers(1, 3),
)
def test_the_penalty_of_any_grid_is_qrcodes_own(
    size: int, seed: int, dark_share: float, grain: int
) -> None:
    g = grid(seed, size, dark_share, grain)
    stack = np.array([g, ~g, g.T])  # several grids at once are scored one by one
    assert lost_points(stack) == [qrcode.util.lost_point(each.tolist()) for each in stack]


def finder_rows(size: int) -> np.ndarray:
    """A grid whose rows hold overlapping finder-like runs, and columns of alternating blocks."""
    line = np.array([int(ch) for ch in "0000101110100001011101" * 9], dtype=bool)[:size]
    g = np.tile(line, (size, 1))
    g[::3] = ~g[::3]
    return g


@pytest.mark.parametrize("size", [21, 57, 177])
def test_overlapping_finder_like_runs_score_as_in_qrcode(size: int) -> None:
    g = finder_rows(size)
    stack = np.array([g, g.T])
    assert lost_points(stack) == [qrcode.util.lost_point(each.tolist()) for each in stack]


@pytest.mark.parametrize("version", [1, 2, 6, 7, 10, 14, 22, 40])
def test_the_eight_test_drawings_match_qrcodes_and_score_alike(version: int) -> None:
    """The layout puts every data bit where qrcode's map_data puts it, under every mask."""
    url = "https://example.org/" + "x" * 2000
    code = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M)
    # as much of the link as fits, so the data fills the code up to its padding
    code.add_data(url[: qrcode.util.BIT_LIMIT_TABLE[code.error_correction][version] // 8 - 3])
    code.data_cache = qrcode.util.create_data(version, code.error_correction, code.data_list)
    layout = qr._layout(version)
    bits = np.unpackbits(np.array(code.data_cache, dtype=np.uint8))[: len(layout.order)]
    unmasked = layout.blank.copy()
    unmasked.flat[layout.order[: len(bits)]] = bits
    drawings = unmasked[np.newaxis] ^ layout.masks
    expected_scores = []
    for mask in range(8):
        code.makeImpl(True, mask)
        assert np.array_equal(drawings[mask], np.array(code.modules, dtype=bool)), mask
        expected_scores.append(qrcode.util.lost_point(code.modules))
    assert lost_points(drawings) == expected_scores


@pytest.mark.parametrize(
    ("url", "tied"),
    [
        ("https://example.org/r?id=54", (1, 4)),
        ("https://example.org/r?id=147", (2, 3, 7)),
        ("https://example.org/r?id=152", (0, 7)),
    ],
)
def test_a_tie_between_masks_goes_to_the_lowest_as_in_qrcode(
    url: str, tied: tuple[int, ...]
) -> None:
    code = qrcode.QRCode(version=None, error_correction=qr._LEVELS[error_correction(url)])
    code.add_data(url)
    code.best_fit()
    scores = []
    for mask in range(8):
        code.makeImpl(True, mask)
        scores.append(qrcode.util.lost_point(code.modules))
    assert tuple(i for i, score in enumerate(scores) if score == min(scores)) == tied
    assert fast_matrix(url) == qrcode_matrix(url)


japanese = st.text(
    st.sampled_from("川崎市職員労働組合年金者介護青年部申込"), min_size=1, max_size=30
)
plain = st.text(st.sampled_from("abcXYZ019-._~/?=&%+"), min_size=0, max_size=40)


@st.composite
def registration_urls(draw: st.DrawFn) -> str:
    """Form links as users paste them: short, long, with Japanese organisation names."""
    scheme = draw(st.sampled_from(["http", "https"]))
    host = draw(st.sampled_from(["docs.google.com", "forms.example.org", "x.jp"]))
    parts = draw(st.lists(st.one_of(plain, japanese), min_size=1, max_size=6))
    padding = draw(st.sampled_from([0, 0, LONG_URL, 400, 900]))
    return ascii_url(f"{scheme}://{host}/{'&'.join(parts)}" + "p" * padding)


@settings(max_examples=40, deadline=None)
@given(url=registration_urls())
def test_any_registration_link_gets_exactly_qrcodes_code(url: str) -> None:
    assert fast_matrix(url) == qrcode_matrix(url)


@pytest.mark.parametrize("length", [30, LONG_URL, LONG_URL + 1, 260, 700, 1400, 2300])
def test_short_long_and_very_long_links_get_exactly_qrcodes_code(length: int) -> None:
    url = ascii_url("https://docs.google.com/forms/d/e/申込/viewform?entry.222=川崎")
    url += "".join(chr(ord("a") + i % 26) for i in range(max(0, length - len(url))))
    matrix = fast_matrix(url)
    assert matrix == qrcode_matrix(url)
    if length >= 260:  # long enough for the version information blocks (versions ≥ 7)
        assert version_of(matrix) >= 7


def test_very_long_links_reach_the_largest_versions() -> None:
    url = "https://example.org/" + "a1B2" * 575
    matrix = fast_matrix(url)
    assert version_of(matrix) == 40
    assert matrix == qrcode_matrix(url)


def test_without_the_fast_path_qrcode_chooses_the_same_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    urls = ["https://example.org/r?id=147", ascii_url("https://x.jp/申込?" + "q" * 300)]
    fast = [fast_matrix(url) for url in urls]
    monkeypatch.setattr(qr, "_FAST", False)
    assert [qr_matrix(url) for url in urls] == fast


def test_a_link_too_long_for_any_code_fails_as_it_did(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://example.org/" + "a1B2" * 700
    with pytest.raises(ValueError, match="version") as fast:
        fast_matrix(url)
    monkeypatch.setattr(qr, "_FAST", False)
    with pytest.raises(ValueError, match="version") as slow:
        qr_matrix(url)
    assert str(fast.value) == str(slow.value)


# -- the codewords: bits packed into one integer, Reed–Solomon by tables ---------------


def filling(version: int, level: int, alphabet: str) -> str:
    """A text of ``alphabet`` that fills ``version`` at ``level`` up to its last bytes."""
    limit = qrcode.util.BIT_LIMIT_TABLE[level][version] // 8 - 4
    return (alphabet * (limit // len(alphabet) + 1))[:limit]


@pytest.mark.parametrize("level", ["M", "Q"])
@pytest.mark.parametrize("version", range(1, 41))
def test_the_codewords_are_qrcodes_for_every_version(level: str, version: int) -> None:
    """Data bits, terminator, padding, blocks, error correction and interleaving, for
    byte, numeric and alphanumeric segments together."""
    runs = "0123456789" * 3 + "HTTPS://X.JP/ABC-" * 2  # a numeric and an alphanumeric run
    text = filling(version, qr._LEVELS[level], "https://x.jp/a?b=")
    code = qrcode.QRCode(version=version, error_correction=qr._LEVELS[level])
    mixed = len(text) >= len(runs) + 20  # room for both runs beside some bytes
    if mixed:
        code.add_data(text[: len(text) - len(runs)] + runs)
    else:
        code.add_data(text)
    chunks = code.data_list
    if mixed:
        assert {c.mode for c in chunks} == {qrcode.util.MODE_8BIT_BYTE, qrcode.util.MODE_NUMBER,
                                            qrcode.util.MODE_ALPHA_NUM}
    expected = bytes(qrcode.util.create_data(version, code.error_correction, chunks))
    assert qr._codewords(version, code.error_correction, chunks) == expected


@pytest.mark.parametrize("level", ["M", "Q"])
@pytest.mark.parametrize("version", [1, 3, 5, 7, 9, 10, 13, 20, 26, 27, 33, 40])
def test_every_module_is_qrcodes_from_the_smallest_to_the_largest_code(
    level: str, version: int
) -> None:
    """A link sized to need ``version`` is drawn module for module as qrcode draws it."""
    url = "https://x.jp/" + filling(version, qr._LEVELS[level], "a1B2c3")[13:]
    if len(url) > LONG_URL and level == "Q":
        url = url[:LONG_URL]  # a longer link would get M
    matrix = fast_matrix(url)
    assert matrix == qrcode_matrix(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/r?id=" + "1234567890" * 4,  # a numeric segment
        "HTTPS://EXAMPLE.ORG/" + "ABCDEFGHIJ" * 3 + "?x=1",  # an alphanumeric segment
        "https://example.org/" + "12345678901234567890" + "ABCDEFGHIJKLMNOPQRSTU" + "x",
        "https://example.org/" + "9" * 21,  # a numeric segment of 3n digits
        "https://example.org/" + "9" * 23,  # … and with two digits over
        "HTTPS://EXAMPLE.ORG/" + "A" * 21,  # an odd alphanumeric segment
    ],
    ids=["numeric", "alphanumeric", "both", "digits-3n", "digits-3n+2", "odd-alnum"],
)
def test_links_with_numeric_and_alphanumeric_runs_get_exactly_qrcodes_code(url: str) -> None:
    assert fast_matrix(url) == qrcode_matrix(url)


ALL_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H,
}


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
                 max_size=600),
    level=st.sampled_from(sorted(ALL_LEVELS)),
    spare=st.integers(0, 6),
)
def test_any_payload_at_any_level_and_version_gets_qrcodes_codewords(
    text: str, level: str, spare: int
) -> None:
    """Any text, the four error levels, the smallest version that fits and larger ones:
    the packed bits and the table-driven Reed–Solomon give qrcode's codewords."""
    code = qrcode.QRCode(error_correction=ALL_LEVELS[level])
    code.add_data(text)
    chunks = code.data_list
    fit = qrcode.QRCode(error_correction=ALL_LEVELS[level])
    fit.add_data(text)
    try:
        smallest = fit.best_fit()
    except qrcode.exceptions.DataOverflowError:
        return
    assert qr._best_fit(chunks, ALL_LEVELS[level]) == smallest
    version = min(40, smallest + spare)
    expected = bytes(qrcode.util.create_data(version, ALL_LEVELS[level], chunks))
    assert qr._codewords(version, ALL_LEVELS[level], chunks) == expected
