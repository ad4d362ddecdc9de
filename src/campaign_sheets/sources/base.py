"""The interface every source (workbook file, Google Sheet, memory) implements.

A source reads *every tab in one go* into :class:`RawTable` values and writes back
only two things: blank ID cells and the tool-owned 集計 tab. Everything else in the
package works on the values a source returns, never on the source itself.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..core.values import RawTable, WriteBack, WriteResult


@runtime_checkable
class Source(Protocol):
    """A place the schedule lives in."""

    def describe(self) -> str:
        """A short human description (a path or a sheet key) for messages."""
        ...

    def read_tables(self) -> dict[str, RawTable]:
        """Read every tab, keyed by tab name as spelt in the workbook.

        Raises :class:`campaign_sheets.core.errors.SourceError` when the source cannot be read.
        """
        ...

    def write_back(self, writes: WriteBack) -> WriteResult:
        """Write ID cells and the 集計 tab, touching no other cell.

        Writes nothing when ``writes.empty``.
        """
        ...
