"""PDF flyers with the optional ``pdf`` extra (WeasyPrint); absent, no PDFs are made."""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

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
    digest = hashlib.sha256(f"{_VERSION}\n{base}\n{html}".encode()).hexdigest()
    path = cache_dir / f"{digest}.pdf"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = _render(html, base)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".pdf.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return data


@lru_cache(maxsize=1024)
def _render(html: str, base: str | None) -> bytes:
    import weasyprint  # the optional extra: imported only when PDFs are asked for

    data: bytes = weasyprint.HTML(string=html, base_url=base).write_pdf()
    return data


def clear_cache() -> None:
    """Forget the PDFs made in this process (for measurements and tests)."""
    _render.cache_clear()
