"""Reading the sheets of a many-sheet tree: each once, Google Sheets side by side.

Each read is independent: one sheet that cannot be read (403, 404, a timeout, a broken
file) gives its error and the others their tables. Google Sheets are read a few at a
time — a steady-state read is one request, and the Sheets API allows each user 60 read
requests a minute; the source's own back-off answers a 429 — while workbook files,
read by this process's CPU, gain nothing from threads and are read in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..core.values import RawTable
from .base import Source

#: Google Sheets read at the same time.
GOOGLE_AT_ONCE = 4


@dataclass(frozen=True)
class Read:
    """One sheet's read: its tables, or the error that stopped it."""

    tables: dict[str, RawTable] | None
    error: Exception | None = None


def read_each(sources: Sequence[Source]) -> list[Read]:
    """Every source's read, in the order of ``sources``."""
    remote = [i for i, s in enumerate(sources) if _is_remote(s)]
    reads: dict[int, Read] = {}
    with ThreadPoolExecutor(max_workers=GOOGLE_AT_ONCE) as pool:
        futures = {i: pool.submit(_read, sources[i]) for i in remote}
        for i, source in enumerate(sources):
            if i not in futures:
                reads[i] = _read(source)
        for i, future in futures.items():
            reads[i] = future.result()
    return [reads[i] for i in range(len(sources))]


def _read(source: Source) -> Read:
    try:
        return Read(source.read_tables())
    except Exception as exc:  # a SourceError, or a file broken in a way no check foresaw
        return Read(None, exc)


def _is_remote(source: Source) -> bool:
    """True for a source read over the network (it says so with ``remote = True``)."""
    return bool(getattr(source, "remote", False))
