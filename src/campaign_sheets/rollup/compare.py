"""This year beside last (``report --compare previous-year``).

The period of the report (the fiscal year, or ``--from``/``--to``) is set beside
the same days one year earlier (for a fiscal year, the fiscal year before). Each
roll-up keeps its key columns and shows each count for both periods and the
change. A group missing from one period counts zero there (no action, nobody
counted); an unknown count stays unknown, and so does its change.
Months are paired by their place in the period (April beside April).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.model import kind_label
from .frame import Rollup
from .period import Period, fiscal_period
from .previous import same_action_last_year, shift_year
from .tables import Cell, Column, Table, labels, table_columns, table_title

#: ``--by`` → (the table compared, its key columns, its compared columns).
COMPARED: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "org": ("by_org", ("org",), ("actions", "people")),
    "kind": ("by_kind", ("kind",), ("actions", "people")),
    "month": ("by_month", ("month",), ("actions", "participations", "people")),
    "item": ("by_item", ("item", "label", "option", "unit"), ("total", "actions")),
}
#: Every compared table, in the order a report workbook lists them.
COMPARE_ORDER = ("org", "kind", "month", "item", "action")


def previous_period(period: Period) -> Period:
    """The same days a year earlier (the fiscal year before, for a fiscal year)."""
    if period.fiscal_year is not None:
        return fiscal_period(period.fiscal_year - 1)
    return Period(shift_year(period.start, -1), shift_year(period.end, -1))


def _words() -> dict[str, Any]:
    return dict(labels()["compare"])


def compare_title(this: Period, last: Period) -> str:
    """``参加と成果の集計 2026年度（2025年度との比較）``."""
    return str(_words()["report_title"]).format(this=this.title, last=last.title)


def compare_table(by: str, this: Rollup, last: Rollup) -> Table:
    """The roll-up ``by`` (org, kind, month, item or action) of both periods."""
    if by == "action":
        return _by_action(this, last)
    key, keys, values = COMPARED[by]
    pair = (this.table(key), last.table(key))
    if by == "month":
        pair = (_month_places(pair[0], this.period), _month_places(pair[1], last.period))
        return _joined(key, pair, ("place",), values, this.period, last.period,
                       month_columns=True)
    return _joined(key, pair, keys, values, this.period, last.period)


def compare_tables(this: Rollup, last: Rollup) -> list[Table]:
    """Every compared roll-up (for the report workbook)."""
    return [compare_table(by, this, last) for by in COMPARE_ORDER]


def _month_places(table: Table, period: Period) -> Table:
    """The month table with each month's place in its period in front (0 = first)."""
    month = table.column_index("month")
    start = period.start.year * 12 + period.start.month - 1

    def place(text: Cell) -> int:
        year, number = str(text).split("-")
        return int(year) * 12 + int(number) - 1 - start

    rows = tuple((place(row[month]), *row) for row in table.rows)
    return Table(table.key, table.title, (Column("place", ""), *table.columns), rows)


def _joined(
    key: str,
    pair: tuple[Table, Table],
    keys: Sequence[str],
    values: Sequence[str],
    this: Period,
    last: Period,
    *,
    month_columns: bool = False,
) -> Table:
    words = _words()
    this_table, last_table = pair
    labels_of = {c.key: c.label for c in this_table.columns}
    by_key = [_index(t, keys) for t in pair]
    order = list(by_key[0]) + [k for k in by_key[1] if k not in by_key[0]]
    if month_columns:
        order.sort(key=lambda k: int(str(k[0])))
    columns = _key_columns(keys, labels_of, this, last, month_columns)
    for value in values:
        label = labels_of[value]
        columns += [
            Column(f"{value}_this", words["value"].format(label=label, period=this.title)),
            Column(f"{value}_last", words["value"].format(label=label, period=last.title)),
            Column(f"{value}_change", words["change"].format(label=label)),
        ]
    rows: list[tuple[Cell, ...]] = []
    for group in order:
        found = [index.get(group) for index in by_key]
        cells: list[Cell] = _key_cells(group, found, this_table, last_table, month_columns)
        for value in values:
            this_cell, last_cell = (_cell(t, row, value) for t, row in zip(pair, found,
                                                                             strict=True))
            cells += [this_cell, last_cell, _change(this_cell, last_cell)]
        rows.append(tuple(cells))
    title = str(words["title"]).format(title=table_title(key), this=this.title, last=last.title)
    return Table(f"compare_{key}", title, tuple(columns), tuple(rows))


def _key_columns(
    keys: Sequence[str], labels_of: dict[str, str], this: Period, last: Period, months: bool
) -> list[Column]:
    if months:
        label = labels_of["month"]
        value = _words()["value"]
        return [Column("month_this", value.format(label=label, period=this.title)),
                Column("month_last", value.format(label=label, period=last.title))]
    return [Column(k, labels_of[k]) for k in keys]


def _key_cells(
    group: tuple[Cell, ...],
    found: list[tuple[Cell, ...] | None],
    this_table: Table,
    last_table: Table,
    months: bool,
) -> list[Cell]:
    if not months:
        return list(group)
    this_row, last_row = found
    return [
        "" if this_row is None else this_row[this_table.column_index("month")],
        "" if last_row is None else last_row[last_table.column_index("month")],
    ]


def _index(table: Table, keys: Sequence[str]) -> dict[tuple[Cell, ...], tuple[Cell, ...]]:
    positions = [table.column_index(k) for k in keys]
    return {tuple(row[i] for i in positions): row for row in table.rows}


def _cell(table: Table, row: tuple[Cell, ...] | None, value: str) -> Cell:
    """A compared count: zero where the group is missing, unknown stays unknown."""
    if row is None:
        return 0
    return row[table.column_index(value)]


def _change(this: Cell, last: Cell) -> Cell:
    if isinstance(this, int) and isinstance(last, int):
        return this - last
    if this is None or last is None:
        return None
    return ""


def _by_action(this: Rollup, last: Rollup) -> Table:
    """Each action of this period beside the same action of the last (when there is one)."""
    words = _words()
    people = _people_of(this) | _people_of(last)
    fixed = dict(_action_columns())
    label = _people_label()
    columns = [Column(k, fixed[k]) for k in ("id", "date", "title", "kind")]
    columns += [Column("people_this", words["value"].format(label=label, period=this.period.title))]
    columns += [Column(k, fixed[k]) for k in ("last_id", "last_date", "last_title")]
    columns += [
        Column("people_last", words["value"].format(label=label, period=last.period.title)),
        Column("people_change", words["change"].format(label=label)),
    ]
    rows: list[tuple[Cell, ...]] = []
    both = (*this.actions, *last.actions)  # a session's place is counted in its own year
    for action in this.actions:
        before = same_action_last_year(action, both)
        mine = people.get(action.id, "")
        theirs: Cell = "" if before is None else people.get(before.id, "")
        rows.append((
            action.id, action.date.isoformat(), action.title, kind_label(action.kind), mine,
            "" if before is None else before.id,
            "" if before is None else before.date.isoformat(),
            "" if before is None else before.title,
            theirs, _change(mine, theirs) if before is not None else "",
        ))
    title = str(words["title"]).format(title=table_title("by_action"), this=this.period.title,
                                       last=last.period.title)
    return Table("compare_by_action", title, tuple(columns), tuple(rows))


def _action_columns() -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in _words()["by_action"]["columns"]]


def _people_label() -> str:
    return {c.key: c.label for c in table_columns("by_action")}["people"]


def _people_of(rollup: Rollup) -> dict[str, Cell]:
    table = rollup.table("by_action")
    ident, people = table.column_index("id"), table.column_index("people")
    return {str(row[ident]): row[people] for row in table.rows}
