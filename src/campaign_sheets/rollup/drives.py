"""The tables of ``campaign-sheets drives``: one row per drive, per drive and
organisation, per drive and month (written by :mod:`.export` like every roll-up);
and the 署名 section of the 集計 tab, made from the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..core.audience import Audience, visible_to
from ..core.model import Workbook
from ..core.problems import Problem
from ..core.values import CellValue
from ..drives.goals import format_goal
from ..drives.ledger import DriveLedger, drive_ledger, ledger_problems
from ..drives.model import DriveBook
from ..drives.progress import DriveProgress
from .records import Records
from .tables import (
    Cell,
    Table,
    export_cell,
    export_header,
    export_rows,
    label,
    make_table,
    table_columns,
)

#: What ``drives --by`` offers, each with its table.
DRIVE_TABLES = {"drive": "drives", "org": "drive_orgs", "month": "drive_months"}


#: A figure of a drive before it is shown: a count, a text, a share to one decimal, or
#: ``None`` for nothing there (no goal, no deadline ahead).
Figure = int | str | Decimal | None


def drive_figures(p: DriveProgress) -> list[Figure]:
    """The figures of one drive, in the columns of the ``drives`` table (and the same
    attributes of :class:`DriveProgress` as ``drives.json``): goal, totals, share, the
    next deadline and the pace."""
    drive, ahead = p.drive, p.ahead
    if ahead is None:
        return [drive.name, drive.addressee, drive.goal, p.total, p.paper, p.online,
                p.percent, None, None, None, p.remaining, None]
    return [drive.name, drive.addressee, drive.goal, p.total, p.paper, p.online, p.percent,
            ahead.deadline.date.isoformat(), ahead.deadline.shown_label, ahead.days,
            p.remaining, ahead.pace_per_day]


def _shown(key: str, figure: Figure) -> Cell:
    """A figure as the ``drives`` command shows it (the goal as typed: ``3万筆``)."""
    if figure is None:
        return ""
    if key == "goal" and isinstance(figure, int):
        return format_goal(figure)
    if isinstance(figure, Decimal):
        return str(figure)
    return figure


def drives_table(progresses: Sequence[DriveProgress]) -> Table:
    """One row per drive: goal, totals, share, the next deadline and the pace."""
    keys = [c.key for c in table_columns("drives")]
    rows = [[_shown(key, figure) for key, figure in zip(keys, drive_figures(p), strict=True)]
            for p in progresses]
    return make_table("drives", rows)


def drive_orgs_table(progresses: Sequence[DriveProgress]) -> Table:
    """Per drive and organisation (and what actions collected, not yet handed in)."""
    rows: list[list[Cell]] = [
        [p.drive.name, s.name, s.total, s.paper, s.online]
        for p in progresses for s in p.by_org
    ]
    return make_table("drive_orgs", rows)


def drive_months_table(progresses: Sequence[DriveProgress]) -> Table:
    """Per drive and month: what the month added, and the total after it."""
    rows: list[list[Cell]] = [
        [p.drive.name, m.month, m.total, m.paper, m.online, m.cumulative]
        for p in progresses for m in p.by_month
    ]
    return make_table("drive_months", rows)


def drive_tables(progresses: Sequence[DriveProgress]) -> list[Table]:
    """Every drive table, in the order the command lists them."""
    return [drives_table(progresses), drive_orgs_table(progresses),
            drive_months_table(progresses)]


def drive_sheet_rows(progresses: Sequence[DriveProgress], today: date) -> list[list[CellValue]]:
    """The 署名 section of the 集計 tab (the members' view, as the rest of the tab: 会員
    drives in, 非公開 ones never): per drive its figures as of ``today``, numbers kept
    numbers (the goal ``30000``, the share ``7.7``, as in ``drives.json``), then per drive
    and organisation. Nothing without a drive."""
    shown = [p for p in progresses if visible_to(p.drive.visibility, Audience.MEMBERS)]
    if not shown:
        return []
    table = drives_table(shown)
    rows: list[list[CellValue]] = [
        [table.title, label("drives_as_of").format(date=today.isoformat())],
        list(export_header(table)),
    ]
    rows += [[_sheet_cell(f) for f in drive_figures(p)] for p in shown]
    orgs = drive_orgs_table(shown)
    rows += [[], [orgs.title], list(export_header(orgs))]
    rows += [list(row) for row in export_rows(orgs)]
    return rows


def _sheet_cell(figure: Figure) -> CellValue:
    """A figure as a 集計 cell: a number, or text a spreadsheet will not run."""
    if figure is None:
        return ""
    if isinstance(figure, Decimal):
        return float(figure)
    return export_cell(figure)


def ledger_of(
    book: DriveBook, workbook: Workbook, records: Records
) -> tuple[DriveLedger, list[Problem]]:
    """The drives of ``book`` with what every held action collected for them (成果
    rows and report sentences alike), and the problems of matching them: a signature
    label naming no drive, a 行動分 the actions cannot cover."""
    ledger = drive_ledger(book, records.tallies, workbook.actions)
    rows = {a.id: a.row for a in workbook.actions if a.row}
    return ledger, ledger_problems(ledger, workbook.cell_of, rows)
