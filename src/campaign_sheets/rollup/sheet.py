"""The rows of the tool-owned 集計 tab, rewritten on each sync.

The tab lives inside the spreadsheet, which only the secretariat and members
edit, so it shows the members' view (members-only actions counted, 非公開 ones
not). Cells hold only numbers and text; the source writes them RAW, so text that
looks like a formula stays text.
"""

from __future__ import annotations

from ..core.audience import Audience
from ..core.outputs import BuildContext
from ..core.values import CellValue
from .period import Period
from .report_files import default_period, rollup_for
from .tables import Table, label, show

#: The tables of the 集計 tab, top to bottom.
SHEET_TABLES = ("by_org", "by_item", "by_month", "by_municipality")


def rollup_rows(ctx: BuildContext, period: Period | None = None) -> list[list[CellValue]]:
    """A title row, then per organisation, per item, per month and per municipality,
    a blank row apart."""
    period = period or default_period(ctx)
    rollup = rollup_for(ctx, Audience.MEMBERS, period)
    rows: list[list[CellValue]] = [[label("rollup_title").format(period=period.title),
                                    f"{period.start.isoformat()}〜{period.end.isoformat()}"]]
    for key in SHEET_TABLES:
        rows.append([])
        rows += table_rows(rollup.table(key))
    return rows


def table_rows(table: Table) -> list[list[CellValue]]:
    """A table as sheet rows: its title, its header, its rows (unknown as 不明)."""
    rows: list[list[CellValue]] = [[table.title], [c.label for c in table.columns]]
    rows += [[show(cell) if cell is None else cell for cell in row] for row in table.rows]
    return rows
