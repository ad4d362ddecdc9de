"""The neutral form every roll-up takes between adding up and writing out.

A :class:`Table` is a title, its columns (stable key + Japanese label) and rows of
plain cells. In a cell, ``None`` always means *unknown* (shown as 不明, JSON
``null``), never zero and never "nothing here" (that is ``""``).

Every file export (CSV, Markdown, XLSX, the 集計 tab) takes its cells from
:func:`export_rows`, so text typed into the sheet that a spreadsheet would run as a
formula reaches none of them live, whichever writer writes the bytes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..core.cell_safety import neutralise_formula

#: One cell of a roll-up table: a count, a text, or ``None`` for unknown.
Cell = int | str | None


@dataclass(frozen=True)
class Column:
    """A column: ``key`` for scripts (JSON), ``label`` for people."""

    key: str
    label: str


@dataclass(frozen=True)
class Table:
    """One roll-up table (行動別, 団体別 …)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def column_index(self, key: str) -> int:
        """The position of column ``key``; ``KeyError`` when absent."""
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def records(self) -> list[dict[str, Cell]]:
        """The rows as ``{column key: cell}`` dictionaries (the JSON shape)."""
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@cache
def labels() -> Mapping[str, Any]:
    """The label table ``data/rollup.toml``."""
    path = resources.files("campaign_sheets") / "data" / "rollup.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def label(key: str) -> str:
    """A top-level label of ``data/rollup.toml`` (``unknown`` → 不明 …)."""
    return str(labels()[key])


def venue_labels() -> Mapping[str, str]:
    """The 成果 items and units that hold 会場 people, online sites and online people."""
    return {k: str(v) for k, v in labels()["venue"].items()}


def table_title(key: str) -> str:
    """The Japanese title of table ``key``."""
    return str(labels()["tables"][key]["title"])


def table_columns(key: str, extra: Sequence[Column] = ()) -> tuple[Column, ...]:
    """The fixed columns of table ``key`` followed by ``extra`` ones."""
    fixed = tuple(Column(k, v) for k, v in labels()["tables"][key]["columns"])
    return fixed + tuple(extra)


def make_table(key: str, rows: Sequence[Sequence[Cell]], extra: Sequence[Column] = ()) -> Table:
    """A table with the title and columns of ``key`` from the label table."""
    columns = table_columns(key, extra)
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"table {key}: a row has {len(row)} cells, not {len(columns)}")
    return Table(key, table_title(key), columns, tuple(tuple(r) for r in rows))


def show(cell: Cell) -> str:
    """A cell as text for people: unknown as 不明."""
    if cell is None:
        return label("unknown")
    return str(cell)


#: A cell as a file export writes it: a number, or text (unknown already 不明).
ExportCell = int | str


def export_cell(cell: Cell) -> ExportCell:
    """``cell`` for a file a spreadsheet may open: unknown as 不明, and text that would
    run as a formula neutralised (numbers are never changed)."""
    if cell is None:
        return label("unknown")
    if isinstance(cell, str):
        return neutralise_formula(cell)
    return cell


def export_header(table: Table) -> list[str]:
    """The column labels of ``table`` as a file export writes them."""
    return [neutralise_formula(c.label) for c in table.columns]


def export_rows(table: Table) -> list[list[ExportCell]]:
    """The rows of ``table`` as every file export writes them (see :func:`export_cell`)."""
    return [[export_cell(cell) for cell in row] for row in table.rows]
