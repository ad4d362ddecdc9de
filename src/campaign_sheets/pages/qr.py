"""Print-ready QR codes of links (the only module that imports ``qrcode``).

Choices, for codes printed on flyers and scanned by phones in the street:

- error correction Q (25 % of the code may be dirty or folded), or M for links
  longer than :data:`LONG_URL` characters, which would otherwise need so many
  modules that each one gets too small at 35 mm;
- a 4-module quiet zone, as the standard asks;
- always a full QR code, never a Micro QR (many phone cameras cannot read those);
- printed :data:`PRINT_MM` (35 mm) wide: the SVG says so in millimetres, and the
  PNG has enough pixels per module for 300 dpi at that size;
- non-ASCII characters are percent-encoded first (:func:`links.ascii_url`), so the
  code holds plain ASCII that every scanner reads alike;
- deterministic bytes (no timestamps or software names), cached by link, so an
  unchanged link costs nothing on the next build.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import qrcode
import qrcode.constants
import qrcode.util
from numpy.typing import NDArray
from PIL import Image

from ..cache import cached_on_disk
from .links import ascii_url, is_http_url

#: Links longer than this get error correction M instead of Q.
LONG_URL = 150
#: The printed width of a code, quiet zone included.
PRINT_MM = 35.0
#: The print resolution the PNG is made for.
PRINT_DPI = 300
#: Quiet zone, in modules.
BORDER = 4
#: Bump when the output of this module changes, so disk caches are not reused.
_VERSION = "2"


class NotHttpError(ValueError):
    """The text to encode is not an http(s) link."""


def error_correction(url: str) -> str:
    """``"Q"`` for ordinary links, ``"M"`` for long ones (see :data:`LONG_URL`)."""
    return "M" if len(url) > LONG_URL else "Q"


_LEVELS = {
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
}


# small caches: an event asks for a link's PNG and SVG one after the other, and a
# matrix held as tuples costs tens of kilobytes (thousands of them cost a lot of memory)
@lru_cache(maxsize=64)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of the code for ``url``, quiet zone included (True = dark).

    The same modules as ``qrcode``'s ``make(fit=True)`` (its version, its mask), only
    the mask is chosen with numpy (see "Choosing the mask" below).
    """
    if not is_http_url(url):
        raise NotHttpError(url)
    code = qrcode.QRCode(
        version=None, error_correction=_LEVELS[error_correction(url)], border=BORDER
    )
    code.add_data(url)
    if _FAST:
        _make_with_best_mask(code)
    else:
        code.make(fit=True)
    return tuple(tuple(map(bool, row)) for row in code.get_matrix())


# --- Choosing the mask -------------------------------------------------------------
#
# qrcode's best_mask_pattern() draws the code 8 times in pure Python and scores each
# drawing with util.lost_point: about 90 % of the time of a first sync. The 8 drawings
# differ only in their data modules, each flipped by its mask. So, once per version,
# qrcode's own setup_* and map_data tell where each data bit goes and what each mask
# flips; then numpy draws the 8 candidates of a code at once and scores them by
# qrcode's own rules, so the chosen mask (and thus every module) stays the same, and
# qrcode draws the final code itself.

Grid = NDArray[np.bool_]

#: What the fast path calls in qrcode; without any of it, qrcode chooses the mask itself.
_NEEDED = (
    "best_fit",
    "makeImpl",
    "setup_position_probe_pattern",
    "setup_position_adjust_pattern",
    "setup_timing_pattern",
    "setup_type_info",
    "setup_type_number",
    "map_data",
)
_FAST = all(hasattr(qrcode.QRCode, name) for name in _NEEDED) and all(
    hasattr(qrcode.util, name) for name in ("create_data", "mask_func")
)


def _make_with_best_mask(code: qrcode.QRCode) -> None:
    """``code.make(fit=True)`` for a new code (no version or mask given), mask chosen by numpy.

    Same version, same mask (ties go to the lowest index, as in qrcode), same modules.
    """
    code.best_fit()
    code.data_cache = qrcode.util.create_data(code.version, code.error_correction, code.data_list)
    layout = _layout(code.version)
    bits = np.unpackbits(np.array(code.data_cache, dtype=np.uint8))[: len(layout.order)]
    unmasked = layout.blank.copy()
    unmasked.flat[layout.order[: len(bits)]] = bits
    scores = lost_points(unmasked[np.newaxis] ^ layout.masks)
    code.makeImpl(False, int(np.argmin(scores)))


@dataclass(frozen=True)
class _Layout:
    """What qrcode's test drawings of one version share, computed once per version."""

    #: The test drawing with every data module light (format and version info are light too).
    blank: Grid
    #: Flat index of the module that gets data bit i, in qrcode's map_data order.
    order: NDArray[np.intp]
    #: Mask k's flips, on data modules only (k, n, n).
    masks: Grid


@lru_cache(maxsize=40)
def _layout(version: int) -> _Layout:
    """The :class:`_Layout` of ``version``, drawn by qrcode's own ``setup_*`` and ``map_data``."""
    code = _undrawn(version)
    blank = np.array([[cell is True for cell in row] for row in code.modules], dtype=bool)
    data = np.array([[cell is None for cell in row] for row in code.modules], dtype=bool)
    size = len(data)
    masks = np.array([_mask_pattern(k, size) for k in range(8)]) & data
    # map_data itself says where bit i goes: draw the binary digits of every i, plane by plane
    cells = int(data.sum())
    index = np.arange(cells)
    found = np.zeros((size, size), dtype=np.intp)
    for plane in range(max(1, cells - 1).bit_length()):
        digits = np.packbits((index >> plane) & 1).tolist()
        drawn = _undrawn(version)
        drawn.map_data(digits, 0)
        plane_bits = np.array(drawn.modules, dtype=bool) ^ masks[0]
        found += plane_bits.astype(np.intp) << plane
    order = np.empty(cells, dtype=np.intp)
    order[found[data]] = np.flatnonzero(data)
    for array in (blank, order, masks):
        array.flags.writeable = False
    return _Layout(blank, order, masks)


def _mask_pattern(mask: int, size: int) -> Grid:
    """Where qrcode's ``mask_func(mask)`` flips a module, on a ``size`` × ``size`` grid."""
    rows, cols = np.indices((size, size))
    flips = qrcode.util.mask_func(mask)
    try:
        # most of qrcode's mask formulas are plain arithmetic that numpy evaluates whole
        whole = np.asarray(flips(rows, cols))
    except TypeError:  # math.floor() takes no arrays
        whole = np.empty(0)
    if whole.shape == (size, size) and whole.dtype == bool:
        return whole
    return np.asarray(np.vectorize(flips, otypes=[bool])(rows, cols))


def _undrawn(version: int) -> qrcode.QRCode:
    """A test drawing of ``version`` as makeImpl leaves it before map_data (data = None)."""
    code = qrcode.QRCode(version=version)
    size = code.modules_count = version * 4 + 17
    code.modules = [[None] * size for _ in range(size)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(size - 7, 0)
    code.setup_position_probe_pattern(0, size - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(True, 0)
    if version >= 7:
        code.setup_type_number(True)
    return code


def lost_points(grids: Grid) -> list[int]:
    """``qrcode.util.lost_point`` of each square grid in the stack ``grids`` (k, n, n).

    qrcode skips some positions in levels 2 and 3 with ``next()``; those skipped
    positions can never score (their pair of modules already differs, or a dark module
    sits where both finder-like runs are light), so counting every position is exact.
    """
    size = grids.shape[-1]
    # rows and columns score alike: columns are the rows of the transposed grids
    lines = np.concatenate((grids, grids.transpose(0, 2, 1)), axis=1)
    scores = _run_penalty(lines) + _block_penalty(grids) + _finder_penalty(lines)
    return [
        int(score) + _balance_penalty(int(dark), size)
        for score, dark in zip(scores, np.count_nonzero(grids, axis=(1, 2)), strict=True)
    ]


def _run_penalty(lines: Grid) -> NDArray[np.int64]:
    """Level 1: each run of 5 or more same-coloured modules costs its length − 2.

    A run of length L ≥ 5 holds L − 4 windows of 5 alike modules, so its cost is
    that count of windows plus 2 for the window that starts it.
    """
    alike = lines[:, :, 1:] == lines[:, :, :-1]
    alike3 = alike[:, :, :-1] & alike[:, :, 1:]
    five = alike3[:, :, :-2] & alike3[:, :, 2:]
    # a window starts its run when the module before it has another colour (or none)
    starts = np.count_nonzero(five[:, :, 0], axis=1) + np.count_nonzero(
        five[:, :, 1:] & ~alike[:, :, : five.shape[2] - 1], axis=(1, 2)
    )
    return _counts(np.count_nonzero(five, axis=(1, 2)) + 2 * starts)


def _block_penalty(grids: Grid) -> NDArray[np.int64]:
    """Level 2: each 2×2 block of one colour costs 3 (overlapping blocks count apart)."""
    across = grids[:, :, 1:] == grids[:, :, :-1]
    down = grids[:, 1:, :-1] == grids[:, :-1, :-1]
    same = across[:, :-1] & across[:, 1:] & down
    return _counts(np.count_nonzero(same, axis=(1, 2)) * 3)


def _finder_penalty(lines: Grid) -> NDArray[np.int64]:
    """Level 3: each 1:1:3:1:1 run with 4 light modules on one side costs 40.

    The runs are 10111010000 and 00001011101 (dark = 1), in rows and in columns.
    """
    span = lines.shape[-1] - 10
    light = ~lines

    def dark(offset: int) -> Grid:
        return lines[:, :, offset : offset + span]

    def pale(offset: int) -> Grid:
        return light[:, :, offset : offset + span]

    shared = pale(1) & dark(4) & pale(5) & dark(6) & pale(9)
    left = dark(0) & dark(2) & dark(3) & pale(7) & pale(8) & pale(10)
    right = pale(0) & pale(2) & pale(3) & dark(7) & dark(8) & dark(10)
    return _counts(np.count_nonzero(shared & (left | right), axis=(1, 2)) * 40)


def _counts(values: object) -> NDArray[np.int64]:
    """``values`` as an int64 array (numpy's stubs type axis-wise counts loosely)."""
    return np.asarray(values, dtype=np.int64)


def _balance_penalty(dark: int, size: int) -> int:
    """Level 4: 10 per full 5 % that the share of dark modules strays from half."""
    # the same float arithmetic as qrcode, so borderline shares round alike
    percent = float(dark) / (size**2)
    return int(abs(percent * 100 - 50) / 5) * 10


def pixels_per_module(modules: int) -> int:
    """Pixels per module so the PNG is at least :data:`PRINT_MM` wide at :data:`PRINT_DPI`."""
    target = PRINT_MM / 25.4 * PRINT_DPI
    return max(4, math.ceil(target / modules))


def _render_png(url: str) -> bytes:
    matrix = qr_matrix(url)
    size = len(matrix)
    small = Image.new("1", (size, size), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    scale = pixels_per_module(size)
    image = small.resize((size * scale, size * scale), Image.Resampling.NEAREST)
    out = io.BytesIO()
    # only the physical size is recorded: no time or software chunks, so bytes are stable;
    # zlib's default level: optimize=True made files 4 % smaller but took 3× as long
    image.save(out, format="PNG", dpi=(PRINT_DPI, PRINT_DPI), compress_level=6)
    return out.getvalue()


def _render_svg(url: str) -> bytes:
    matrix = qr_matrix(url)
    size = len(matrix)
    path = "".join(_row_path(y, row) for y, row in enumerate(matrix))
    mm = f"{PRINT_MM:g}mm"
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{mm}" height="{mm}" '
        f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{path}"/></svg>\n'
    )
    return svg.encode("ascii")


def _row_path(y: int, row: tuple[bool, ...]) -> str:
    """One rectangle per run of dark modules: fewer shapes render and print faster."""
    parts: list[str] = []
    x = 0
    while x < len(row):
        if not row[x]:
            x += 1
            continue
        run = 1
        while x + run < len(row) and row[x + run]:
            run += 1
        parts.append(f"M{x} {y}h{run}v1h-{run}z")
        x += run
    return "".join(parts)


_RENDER = {"png": _render_png, "svg": _render_svg}


@lru_cache(maxsize=512)
def _cached(url: str, fmt: str) -> bytes:
    return _RENDER[fmt](url)


def _qr(url: str, fmt: str, cache_dir: Path | None) -> bytes:
    url = ascii_url(url)
    if not is_http_url(url):
        raise NotHttpError(url)
    if cache_dir is None:
        return _cached(url, fmt)
    key = f"{_VERSION}\n{fmt}\n{url}"
    return cached_on_disk(cache_dir, key, f".{fmt}", lambda: _cached(url, fmt))


def qr_png(url: str, cache_dir: Path | None = None) -> bytes:
    """A PNG of the code for ``url``, ≥ 35 mm at 300 dpi; :class:`NotHttpError` if not http(s)."""
    return _qr(url, "png", cache_dir)


def qr_svg(url: str, cache_dir: Path | None = None) -> bytes:
    """An SVG of the QR code for ``url``, 35 mm wide; :class:`NotHttpError` if not http(s)."""
    return _qr(url, "svg", cache_dir)
