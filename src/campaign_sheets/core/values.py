"""The values a source reads and writes: cells, tabs and write-backs.

They live below every area (parsing reads cell values, the loader reads tabs, the
sync makes write-backs), so that none of those has to import ``sources``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

#: What a cell can hold once read: text, a number, a boolean, a date or time
#: (from a datetime-typed cell), or nothing. Date serials from Google Sheets come
#: as numbers and are told apart by the column they are in.
CellValue = str | int | float | bool | datetime | date | time | None


class UncomputedFormula(str):
    """A formula cell whose value was never computed (the text is the formula).

    A file written by a program rather than saved by Excel or LibreOffice holds
    formulas without their results; such a cell is not blank, and the loader says
    so instead of reading it as empty.
    """

    __slots__ = ()


@dataclass(frozen=True)
class RawTable:
    """One tab as read: its name as the workbook spells it, and its rows.

    ``rows[i]`` is sheet row ``i + 1``; rows are ragged (trailing empty cells may
    be missing) and an empty row is ``[]``.
    """

    name: str
    rows: Sequence[Sequence[CellValue]]


@dataclass(frozen=True)
class CellWrite:
    """A value to write into one cell; ``row`` 1-based, ``col`` 0-based.

    ``only_if_blank`` writes are skipped when a person filled the cell since the read.
    """

    sheet: str
    row: int
    col: int
    value: str
    only_if_blank: bool = True


@dataclass(frozen=True)
class WriteBack:
    """Everything one sync writes to its source.

    ``rollup`` replaces the whole 集計 tab (``None`` leaves it alone); ``rollup_sheet``
    is its name (created if missing).
    """

    cells: tuple[CellWrite, ...] = ()
    rollup: Sequence[Sequence[CellValue]] | None = None
    rollup_sheet: str = "集計"

    @property
    def empty(self) -> bool:
        """True when there is nothing to write."""
        return not self.cells and self.rollup is None


@dataclass(frozen=True)
class WriteResult:
    """What a write did: cells written, cells skipped because a person filled them."""

    written: tuple[CellWrite, ...] = ()
    skipped: tuple[CellWrite, ...] = ()
    rollup_written: bool = False
    details: Mapping[str, object] = field(default_factory=dict)
