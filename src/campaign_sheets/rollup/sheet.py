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
from .period import Period
from .report_files import default_period, rollup_for
from .report_writer import SHEET_TABLES, sheet_rows_of, table_rows

__all__ = ["SHEET_TABLES", "rollup_rows", "table_rows"]


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
    tables = [rollup.table(key) for key in SHEET_TABLES]
    return sheet_rows_of(tables, period, tracker, ctx.config.fiscal_year, drives, ctx.today)
