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
from functools import lru_cache
from pathlib import Path

import qrcode
import qrcode.constants
from PIL import Image

from .cache import cached_on_disk
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
_VERSION = "1"


class NotHttpError(ValueError):
    """The text to encode is not an http(s) link."""


def error_correction(url: str) -> str:
    """``"Q"`` for ordinary links, ``"M"`` for long ones (see :data:`LONG_URL`)."""
    return "M" if len(url) > LONG_URL else "Q"


_LEVELS = {
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
}


@lru_cache(maxsize=4096)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of the code for ``url``, quiet zone included (True = dark)."""
    if not is_http_url(url):
        raise NotHttpError(url)
    code = qrcode.QRCode(
        version=None, error_correction=_LEVELS[error_correction(url)], border=BORDER
    )
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


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
    # only the physical size is recorded: no time or software chunks, so bytes are stable
    image.save(out, format="PNG", dpi=(PRINT_DPI, PRINT_DPI), optimize=True)
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


@lru_cache(maxsize=4096)
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
