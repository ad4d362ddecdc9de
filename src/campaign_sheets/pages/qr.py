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
- deterministic bytes (no timestamps or software names), kept in memory by link, so
  a link asked for again (its other format, the members' tree) costs nothing.

Every module is the one ``qrcode`` draws (``make(fit=True)``: its segments, its
version, its mask); only the slow loops are done differently (see "Drawing fast").
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import qrcode
import qrcode.base
import qrcode.constants
import qrcode.util
from numpy.typing import NDArray

from .links import ascii_url, is_http_url
from .qr_image import png_bytes, svg_bytes
from .qr_penalty import lost_points

__all__ = [
    "BORDER", "LONG_URL", "PRINT_DPI", "PRINT_MM", "NotHttpError", "error_correction",
    "lost_points", "pixels_per_module", "qr_matrix", "qr_png", "qr_svg",
]

#: Links longer than this get error correction M instead of Q.
LONG_URL = 150
#: The printed width of a code, quiet zone included.
PRINT_MM = 35.0
#: The print resolution the PNG is made for.
PRINT_DPI = 300
#: Quiet zone, in modules.
BORDER = 4

Grid = NDArray[np.bool_]


class NotHttpError(ValueError):
    """The text to encode is not an http(s) link."""


def error_correction(url: str) -> str:
    """``"Q"`` for ordinary links, ``"M"`` for long ones (see :data:`LONG_URL`)."""
    return "M" if len(url) > LONG_URL else "Q"


_LEVELS = {
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
}


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of the code for ``url``, quiet zone included (True = dark), drawn
    afresh: exactly ``qrcode``'s ``make(fit=True)`` and ``get_matrix()``."""
    return tuple(tuple(row) for row in _draw(url).tolist())


# a small cache: an event asks for a link's PNG and SVG one after the other
@lru_cache(maxsize=64)
def _modules(url: str) -> Grid:
    grid = _draw(url)
    grid.flags.writeable = False
    return grid


def _draw(url: str) -> Grid:
    if not is_http_url(url):
        raise NotHttpError(url)
    level = _LEVELS[error_correction(url)]
    code = qrcode.QRCode(version=None, error_correction=level, border=BORDER)
    code.add_data(url)  # qrcode's own segments (numeric runs of 20 digits or more apart)
    if not _FAST:
        code.make(fit=True)
        return np.array(code.get_matrix(), dtype=bool)
    version = _best_fit(code.data_list, level)
    layout = _layout(version)
    codewords = np.frombuffer(_codewords(version, level, code.data_list), dtype=np.uint8)
    bits = np.unpackbits(codewords)[: len(layout.order)]
    placed = layout.blank.copy()  # light wherever data goes
    placed.flat[layout.order[: len(bits)]] = bits
    mask = int(np.argmin(lost_points(placed[np.newaxis] ^ layout.masks)))
    data = np.zeros_like(placed)
    data.flat[layout.order[: len(bits)]] = bits
    drawn = _function_modules(version, level, mask) | (data ^ layout.masks[mask])
    return np.pad(drawn, BORDER)


# --- Drawing fast ------------------------------------------------------------------
#
# qrcode spends nearly all of a code's time in three pure-Python loops: packing the
# data bit by bit (BitBuffer.put_bit), dividing polynomials for the Reed–Solomon
# error correction (Polynomial.__mod__), and drawing the code 8 times to score each
# mask (best_mask_pattern, map_data). Here the bits are packed into one integer, the
# division is a table-driven shift register over GF(256) with qrcode's own generator
# polynomials and exponent tables, and the 8 drawings are numpy arrays laid out once
# per version by qrcode's own setup_* and map_data, scored by qrcode's rules
# (:mod:`.qr_penalty`); ties go to the lowest mask, as in qrcode. qrcode still
# chooses the segments, gives the tables and draws the function patterns.

#: What the fast path uses of qrcode; without any of it, qrcode draws the code itself.
_NEEDED = (
    "setup_position_probe_pattern",
    "setup_position_adjust_pattern",
    "setup_timing_pattern",
    "setup_type_info",
    "setup_type_number",
    "map_data",
)
_FAST = (
    all(hasattr(qrcode.QRCode, name) for name in _NEEDED)
    and all(hasattr(qrcode.util, name) for name in (
        "mask_func", "mode_sizes_for_version", "check_version", "BIT_LIMIT_TABLE",
        "NUMBER_LENGTH", "ALPHA_NUM", "PAD0", "PAD1", "MODE_NUMBER", "MODE_ALPHA_NUM",
        "MODE_8BIT_BYTE",
    ))
    and all(hasattr(qrcode.base, name) for name in ("rs_blocks", "gexp", "glog"))
)


def _data_bits(chunk: qrcode.util.QRData) -> int:
    """How many bits a segment's data takes (without its mode and length fields)."""
    count = len(chunk)
    if chunk.mode == qrcode.util.MODE_NUMBER:
        whole, rest = divmod(count, 3)
        return whole * 10 + (qrcode.util.NUMBER_LENGTH[rest] if rest else 0)
    if chunk.mode == qrcode.util.MODE_ALPHA_NUM:
        return count // 2 * 11 + count % 2 * 6
    return count * 8


def _best_fit(chunks: Sequence[qrcode.util.QRData], level: int) -> int:
    """The smallest version the segments fit in: qrcode's ``best_fit``, counted."""
    start = 1
    while True:
        sizes = qrcode.util.mode_sizes_for_version(start)
        needed = sum(4 + sizes[c.mode] + _data_bits(c) for c in chunks)
        version = bisect_left(qrcode.util.BIT_LIMIT_TABLE[level], needed, start)
        qrcode.util.check_version(version)  # a link too long fails as in qrcode
        if sizes is qrcode.util.mode_sizes_for_version(version):
            return version
        start = version


def _packed(chunks: Sequence[qrcode.util.QRData], version: int) -> tuple[int, int]:
    """The segments as one integer and its bit length (qrcode's ``BitBuffer``)."""
    value = length = 0

    def put(number: int, bits: int) -> None:
        nonlocal value, length
        value = (value << bits) | number
        length += bits

    sizes = qrcode.util.mode_sizes_for_version(version)
    for chunk in chunks:
        data = chunk.data
        put(chunk.mode, 4)
        put(len(data), sizes[chunk.mode])
        if chunk.mode == qrcode.util.MODE_NUMBER:
            for i in range(0, len(data), 3):
                digits = data[i : i + 3]
                put(int(digits), qrcode.util.NUMBER_LENGTH[len(digits)])
        elif chunk.mode == qrcode.util.MODE_ALPHA_NUM:
            table = qrcode.util.ALPHA_NUM
            for i in range(0, len(data) - 1, 2):
                put(table.find(data[i]) * 45 + table.find(data[i + 1]), 11)
            if len(data) % 2:
                put(table.find(data[-1]), 6)
        else:
            put(int.from_bytes(data, "big"), 8 * len(data))
    return value, length


def _codewords(version: int, level: int, chunks: Sequence[qrcode.util.QRData]) -> bytes:
    """Data and error-correction codewords, interleaved: qrcode's ``create_data``."""
    blocks = qrcode.base.rs_blocks(version, level)
    limit = sum(block.data_count * 8 for block in blocks)
    value, length = _packed(chunks, version)
    if length > limit:
        raise qrcode.exceptions.DataOverflowError(
            f"Code length overflow. Data size ({length}) > size available ({limit})")
    # up to four terminator bits, zeros to the byte, then the two pad bytes in turn
    end = min(limit - length, 4)
    end += -(length + end) % 8
    value <<= end
    filled = (length + end) // 8
    pads = bytes((qrcode.util.PAD0, qrcode.util.PAD1)) * (limit // 16 + 1)
    data = value.to_bytes(filled, "big") + pads[: limit // 8 - filled]
    ordered: list[bytes] = []
    corrections: list[bytes] = []
    offset = 0
    for block in blocks:
        part = data[offset : offset + block.data_count]
        offset += block.data_count
        ordered.append(part)
        corrections.append(_remainder(part, block.total_count - block.data_count))
    return _interleave(ordered) + _interleave(corrections)


def _interleave(parts: Sequence[bytes]) -> bytes:
    """The first byte of every block, then the second of every block, and so on."""
    longest = max(len(part) for part in parts)
    return bytes(part[i] for i in range(longest) for part in parts if i < len(part))


def _remainder(data: bytes, count: int) -> bytes:
    """The ``count`` Reed–Solomon codewords of ``data`` (the division's remainder)."""
    table = _shift_table(count)
    top, keep = 8 * (count - 1), (1 << (8 * count)) - 1
    rest = 0
    for byte in data:
        rest = ((rest << 8) & keep) ^ table[(rest >> top) ^ byte]
    return rest.to_bytes(count, "big")


@cache
def _shift_table(count: int) -> tuple[int, ...]:
    """For each byte f: f times the generator of ``count`` codewords (its lead term
    dropped), as one integer; the generator is qrcode's (its table, else its product)."""
    generator = _generator(count)
    exp, log = qrcode.base.gexp, qrcode.base.glog
    rows = [0]
    for factor in range(1, 256):
        terms = bytes(exp(log(factor) + log(g)) if g else 0 for g in generator[1:])
        rows.append(int.from_bytes(terms, "big"))
    return tuple(rows)


def _generator(count: int) -> list[int]:
    table = getattr(qrcode, "LUT", None)
    known = getattr(table, "rsPoly_LUT", {}) if table is not None else {}
    if count in known:
        return list(known[count])
    poly = qrcode.base.Polynomial([1], 0)
    for i in range(count):
        poly = poly * qrcode.base.Polynomial([1, qrcode.base.gexp(i)], 0)
    return [poly[i] for i in range(len(poly))]


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


@lru_cache(maxsize=128)
def _function_modules(version: int, level: int, mask: int) -> Grid:
    """The finder, timing, alignment, format and version modules of the final code
    (data modules light), as qrcode's ``makeImpl(False, mask)`` draws them."""
    code = _undrawn(version, level)
    code.setup_type_info(False, mask)
    if version >= 7:
        code.setup_type_number(False)
    grid = np.array([[cell is True for cell in row] for row in code.modules], dtype=bool)
    grid.flags.writeable = False
    return grid


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


def _undrawn(version: int, level: int = qrcode.constants.ERROR_CORRECT_M) -> qrcode.QRCode:
    """A test drawing of ``version`` as makeImpl leaves it before map_data (data = None)."""
    code = qrcode.QRCode(version=version, error_correction=level)
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


# --- Images --------------------------------------------------------------------------


def pixels_per_module(modules: int) -> int:
    """Pixels per module so the PNG is at least :data:`PRINT_MM` wide at :data:`PRINT_DPI`."""
    target = PRINT_MM / 25.4 * PRINT_DPI
    return max(4, math.ceil(target / modules))


def _render(url: str, fmt: str) -> bytes:
    modules = _modules(url)
    if fmt == "png":
        return png_bytes(modules, pixels_per_module(modules.shape[0]), PRINT_DPI)
    return svg_bytes(modules, f"{PRINT_MM:g}mm")


# An event's codes are asked for twice (the public and the members' tree) and the
# index's too; past the last few hundred links nothing is asked for again in a build.
@lru_cache(maxsize=512)
def _cached(url: str, fmt: str) -> bytes:
    return _render(url, fmt)


def _qr(url: str, fmt: str) -> bytes:
    url = ascii_url(url)
    if not is_http_url(url):
        raise NotHttpError(url)
    return _cached(url, fmt)


def qr_png(url: str) -> bytes:
    """A PNG of the code for ``url``, ≥ 35 mm at 300 dpi; :class:`NotHttpError` if not http(s)."""
    return _qr(url, "png")


def qr_svg(url: str) -> bytes:
    """An SVG of the QR code for ``url``, 35 mm wide; :class:`NotHttpError` if not http(s)."""
    return _qr(url, "svg")
