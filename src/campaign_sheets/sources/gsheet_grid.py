"""Reading every tab of a Google Sheet, names included, in one ``spreadsheets.get``.

``values:batchGet`` needs the tab names before it can be sent; ``spreadsheets.get``
with a field mask that names the grid data returns the names *and* the cells in
one request. The cells come as ``ExtendedValue`` objects rather than the plain
values ``batchGet`` gives, so they are turned here into exactly what an unformatted
``batchGet`` with serial-number dates would have returned: numbers, booleans and
text; dates and times as serial numbers (Sheets stores them as numbers, the date
format lives in the cell's format, which is not asked for); an empty cell before
the last value of a row as ``""``; a failed formula as the text the cell shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..core.values import CellValue, RawTable
from .tables import trim_rows

#: The field mask: tab titles and each cell's computed value, nothing else (no formats,
#: no notes), which keeps the answer a few times the size of a ``batchGet``.
GRID_FIELDS = (
    "sheets(properties(title),data(startRow,startColumn,rowData(values(effectiveValue))))"
)

#: What a cell shows for each ``ErrorValue.type`` (what an unformatted read returns).
_ERROR_TEXT = {
    "ERROR": "#ERROR!",
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}


def tables_from_grid(sheets: Sequence[Mapping[str, Any]]) -> dict[str, RawTable]:
    """Every tab of a ``spreadsheets.get`` answer, in workbook order, as :class:`RawTable`."""
    tables: dict[str, RawTable] = {}
    for sheet in sheets:
        title = str(sheet.get("properties", {}).get("title", ""))
        tables[title] = RawTable(title, trim_rows(_grid_rows(sheet.get("data", []))))
    return tables


def _grid_rows(blocks: Sequence[Mapping[str, Any]]) -> list[list[CellValue]]:
    """The rows of a sheet's ``GridData`` blocks, placed at their start row and column."""
    rows: list[list[CellValue]] = []
    for block in blocks:
        top = int(block.get("startRow", 0))
        left = int(block.get("startColumn", 0))
        for offset, row_data in enumerate(block.get("rowData", [])):
            values = [cell_value(c) for c in row_data.get("values", [])]
            while values and values[-1] is None:
                values.pop()
            if not values:
                continue
            while len(rows) <= top + offset:
                rows.append([])
            row = rows[top + offset]
            row.extend([None] * (left + len(values) - len(row)))
            row[left : left + len(values)] = values
    # An empty cell before the last value of a row is "" in a batchGet answer too.
    return [["" if v is None else v for v in row] for row in rows]


def cell_value(cell: Mapping[str, Any]) -> CellValue:
    """A ``CellData``'s computed value as an unformatted read gives it (``None``: empty)."""
    value = cell.get("effectiveValue")
    if not isinstance(value, Mapping):
        return None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "numberValue" in value:
        number = value["numberValue"]
        return number if isinstance(number, (int, float)) else float(number)
    if "errorValue" in value:
        kind = str(value["errorValue"].get("type", "ERROR"))
        return _ERROR_TEXT.get(kind, "#ERROR!")
    return None
