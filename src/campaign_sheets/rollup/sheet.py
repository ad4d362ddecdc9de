"""The rows of the tool-owned 集計 tab, rewritten on each sync.

The tab lives inside the spreadsheet, which only the secretariat and members
edit, so it shows the members' view (members-only actions counted and 会員 drives
shown, 非公開 ones not). Cells hold only numbers and text, taken from
:func:`~.tables.export_rows` (text that would run as a formula gets an apostrophe in
front), and every source writes them as values (Google: RAW; a workbook: string
cells), never as formulas.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..assembly.model import Tracker
from ..core.audience import Audience
from ..core.outputs import BuildContext
from ..core.values import CellValue
from ..drives.progress import DriveProgress
from .assembly import assembly_sheet_rows
from .drives import drive_sheet_rows
from .period import Period
from .report_files import default_period, rollup_for
from .tables import Table, export_header, export_rows, label

#: The tables of the 集計 tab, top to bottom.
SHEET_TABLES = ("by_org", "by_item", "by_month", "by_municipality")


def rollup_rows(
    ctx: BuildContext,
    period: Period | None = None,
    tracker: Tracker | None = None,
    drives: Sequence[DriveProgress] = (),
) -> list[list[CellValue]]:
    """A title row, then per organisation, per item, per month and per municipality,
    a blank row apart; with a ``tracker`` that holds anything, its 議会 section below;
    with ``drives`` (every drive's progress as of ``ctx.today``), the 署名 section last."""
    period = period or default_period(ctx)
    rollup = rollup_for(ctx, Audience.MEMBERS, period)
    rows: list[list[CellValue]] = [[label("rollup_title").format(period=period.title),
                                    f"{period.start.isoformat()}〜{period.end.isoformat()}"]]
    for key in SHEET_TABLES:
        rows.append([])
        rows += table_rows(rollup.table(key))
    section = assembly_sheet_rows(tracker, ctx.config.fiscal_year) if tracker else []
    if section:
        rows += [[], *section]
    signatures = drive_sheet_rows(drives, ctx.today)
    if signatures:
        rows += [[], *signatures]
    return rows


def table_rows(table: Table) -> list[list[CellValue]]:
    """A table as sheet rows: its title, its header, its rows (unknown as 不明)."""
    rows: list[list[CellValue]] = [[table.title], list(export_header(table))]
    rows += [list(row) for row in export_rows(table)]
    return rows
