"""An in-memory source: tabs held as lists of rows, for tests and for the library.

It behaves like a workbook file (ragged rows, trailing blanks trimmed, the same
write-back rules) and counts what it was asked to do, so a test can check that
a command read the source once and wrote nothing when there was nothing to write.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence

from ..core.values import CellValue, CellWrite, RawTable, WriteBack, WriteResult
from .failure import CodedSourceError
from .tables import cell_is_blank, trim_rows


class MemorySource:
    """Tabs kept in memory; ``tables`` maps a tab name to its rows (row 1 first).

    ``reads`` counts :meth:`read_tables` calls; ``writes`` counts
    :meth:`write_back` calls that changed something (an empty ``WriteBack``
    does not count).
    """

    def __init__(
        self, tables: Mapping[str, Sequence[Sequence[CellValue]]], name: str = "memory"
    ) -> None:
        self.tables: dict[str, list[list[CellValue]]] = {
            tab: [list(row) for row in rows] for tab, rows in tables.items()
        }
        self.name = name
        self.reads = 0
        self.writes = 0

    def describe(self) -> str:
        """``memory`` (or the name given)."""
        return self.name

    def read_tables(self) -> dict[str, RawTable]:
        """A trimmed copy of every tab, so callers cannot change the source by accident."""
        self.reads += 1
        return {
            tab: RawTable(tab, trim_rows(copy.deepcopy(rows))) for tab, rows in self.tables.items()
        }

    def write_back(self, writes: WriteBack) -> WriteResult:
        """Write blank cells and replace the 集計 tab; a person's value wins."""
        if writes.empty:
            return WriteResult()
        for write in writes.cells:
            if write.sheet not in self.tables:
                raise CodedSourceError("source.sheet_gone", source=self.name, sheet=write.sheet)
        written: list[CellWrite] = []
        skipped: list[CellWrite] = []
        for write in writes.cells:
            row = self._row(write.sheet, write.row)
            if write.col >= len(row):
                row.extend([None] * (write.col + 1 - len(row)))
            if write.only_if_blank and not cell_is_blank(row[write.col]):
                skipped.append(write)
                continue
            row[write.col] = write.value
            written.append(write)
        if writes.rollup is not None:
            # The rollup tab is new when missing; dict order keeps it last, as in a workbook.
            self.tables[writes.rollup_sheet] = [list(row) for row in writes.rollup]
        if written or writes.rollup is not None:
            self.writes += 1
        return WriteResult(
            written=tuple(written),
            skipped=tuple(skipped),
            rollup_written=writes.rollup is not None,
            details={"source": self.name},
        )

    def _row(self, sheet: str, row: int) -> list[CellValue]:
        rows = self.tables[sheet]
        while len(rows) < row:
            rows.append([])
        return rows[row - 1]
