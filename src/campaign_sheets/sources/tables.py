"""Shaping rows the way every source returns them: ragged, trailing blanks trimmed.

Shared by the sources so that a workbook file, a Google Sheet and the in-memory
source agree on what a blank cell is and where a row or a tab ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..core.values import CellValue


def cell_is_blank(value: object) -> bool:
    """True for an empty cell: nothing, or text that is only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def trim_row(row: Sequence[CellValue]) -> list[CellValue]:
    """The row without its trailing blank cells (an all-blank row becomes ``[]``)."""
    end = len(row)
    while end and cell_is_blank(row[end - 1]):
        end -= 1
    return list(row[:end])


def trim_rows(rows: Iterable[Sequence[CellValue]]) -> list[list[CellValue]]:
    """Every row trimmed, and the trailing empty rows dropped."""
    trimmed = [trim_row(row) for row in rows]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed
