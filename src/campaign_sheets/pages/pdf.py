"""PDF flyers with the optional ``pdf`` extra (WeasyPrint); absent, no PDFs are made."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from ..cache import cached_on_disk

#: Bump when the way PDFs are made changes, so disk caches are not reused.
_VERSION = "1"


def pdf_available() -> bool:
    """True when WeasyPrint can be imported (the ``pdf`` extra is installed)."""
    return importlib.util.find_spec("weasyprint") is not None


def flyer_pdf(html: str, base: str | None = None, cache_dir: Path | None = None) -> bytes:
    """The A4 PDF of a flyer's HTML, fonts embedded; cached by content in-process and,
    with ``cache_dir``, on disk.

    ``base`` resolves relative links; flyers carry their QR code inline, so none is needed.
    """
    if cache_dir is None:
        return _render(html, base)
    key = f"{_VERSION}\n{base}\n{html}"
    return cached_on_disk(cache_dir, key, ".pdf", lambda: _render(html, base))


@lru_cache(maxsize=1024)
def _render(html: str, base: str | None) -> bytes:
    import weasyprint  # the optional extra: imported only when PDFs are asked for

    data: bytes = weasyprint.HTML(string=html, base_url=base).write_pdf()
    return data


def clear_cache() -> None:
    """Forget the PDFs made in this process (for measurements and tests)."""
    _render.cache_clear()
