"""The tables of ``campaign-sheets drives``: one row per drive, per drive and
organisation, per drive and month (written by :mod:`.export` like every roll-up)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..core.model import Workbook
from ..core.problems import Problem
from ..drives.goals import format_goal
from ..drives.ledger import DriveLedger, drive_ledger, ledger_problems
from ..drives.model import DriveBook
from ..drives.progress import DriveProgress
from .records import Records
from .tables import Cell, Table, make_table

#: What ``drives --by`` offers, each with its table.
DRIVE_TABLES = {"drive": "drives", "org": "drive_orgs", "month": "drive_months"}


def _decimal(value: Decimal | None) -> Cell:
    return "" if value is None else str(value)


def drives_table(progresses: Sequence[DriveProgress]) -> Table:
    """One row per drive: goal, totals, share, the next deadline and the pace."""
    rows: list[list[Cell]] = []
    for p in progresses:
        drive, ahead = p.drive, p.ahead
        rows.append([
            drive.name, drive.addressee, "" if drive.goal is None else format_goal(drive.goal),
            p.total, p.paper, p.online, _decimal(p.percent),
            "" if ahead is None else ahead.deadline.date.isoformat(),
            "" if ahead is None else ahead.deadline.shown_label,
            "" if ahead is None else ahead.days,
            "" if p.remaining is None else p.remaining,
            "" if ahead is None else _decimal(ahead.pace_per_day),
        ])
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


def ledger_of(
    book: DriveBook, workbook: Workbook, records: Records
) -> tuple[DriveLedger, list[Problem]]:
    """The drives of ``book`` with what every held action collected for them (成果
    rows and report sentences alike), and the problems of matching them: a signature
    label naming no drive, a 行動分 the actions cannot cover."""
    ledger = drive_ledger(book, records.tallies, workbook.actions)
    rows = {a.id: a.row for a in workbook.actions if a.row}
    return ledger, ledger_problems(ledger, workbook.cell_of, rows)
