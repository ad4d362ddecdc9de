"""A disk cache of renderings by content: the same key gives the same bytes, so a file
named after the key's digest can be reused by the next build."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path


def cached_on_disk(cache_dir: Path, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
    """The bytes kept in ``cache_dir`` for ``key``, else ``make()``'s, kept for next time.

    ``key`` must hold everything the bytes depend on (a version included); the file is
    ``<sha256 of key><suffix>``, written through a temporary file so that a reader never
    sees half of it.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()
    path = cache_dir / f"{digest}{suffix}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    keep_file(path, data)
    return data


def keep_file(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` in a cache folder in one rename (a reader sees all of
    it or nothing); a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # the process id: worker processes may write the same file at once
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass
