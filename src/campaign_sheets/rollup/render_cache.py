"""Keys of the report renderings kept on disk by content (``cache.cached_on_disk``).

``report.xlsx`` (openpyxl) and ``participation.png`` (matplotlib) are most of the
cost of the report files, and their bytes depend only on the tables they show and on
the code that draws them. The key therefore holds the input in full (its ``repr``,
which tells ``1`` from ``"1"`` and ``None``), the versions of the libraries and of
zlib that make the bytes, and a digest of the source of the drawing modules, so a
changed renderer never serves an old rendering.
"""

from __future__ import annotations

import hashlib
import sys
import zlib
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path


@cache
def _fingerprint(modules: tuple[str, ...], packages: tuple[str, ...]) -> str:
    """Library versions and a digest of the named modules' source, once per process."""
    digest = hashlib.sha256()
    for name in modules:
        module = sys.modules[name]
        digest.update(Path(str(module.__file__)).read_bytes())
    versions = [f"{p}={metadata.version(p)}" for p in packages]
    return " ".join([digest.hexdigest(), f"zlib={zlib.ZLIB_RUNTIME_VERSION}", *versions])


def render_key(
    kind: str, payload: object, modules: Sequence[str], packages: Sequence[str]
) -> str:
    """The cache key of rendering ``payload`` as ``kind`` with ``modules`` and ``packages``."""
    return f"{kind}\n{_fingerprint(tuple(modules), tuple(packages))}\n{payload!r}"
