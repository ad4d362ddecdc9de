"""The report files and the 集計 rows written from roll-up tables already made.

Nothing here adds up (no pandas) or draws (no matplotlib): the tables, the totals and
the chart's PNG come in, so a report whose tables were kept by
:mod:`.table_cache` is written without loading either library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from ..assembly.model import Tracker
from ..core.outputs import OutputFiles
from ..core.values import CellValue
from ..drives.progress import DriveProgress
from .assembly import assembly_sheet_rows
from .drives import drive_sheet_rows
from .export import to_csv, to_markdown, to_xlsx
from .period import Period
from .tables import Cell, Table, export_header, export_rows, label

#: The tables of the 集計 tab, top to bottom.
SHEET_TABLES = ("by_org", "by_item", "by_month", "by_municipality")
#: The totals a report lists first, in order (keys of the 月別 table's columns).
SUMMARY_KEYS = ("actions", "participations", "people", "unknown")


def summary_lines_of(
    tables: Sequence[Table], totals: Mapping[str, Cell]
) -> list[tuple[str, Cell]]:
    """(label, value) lines of the totals, labelled as the 月別 table's columns are."""
    by_month = next(t for t in tables if t.key == "by_month")
    columns = {c.key: c.label for c in by_month.columns}
    return [(columns[key], totals[key]) for key in SUMMARY_KEYS]


def files_of(
    tables: Sequence[Table], totals: Mapping[str, Cell], chart: bytes, period: Period,
    prefix: str, cache_dir: Path | None = None,
) -> OutputFiles:
    """The report files of one audience's tables, their paths under ``prefix``."""
    by_key = {t.key: t for t in tables}
    title = label("report_title").format(period=period.title)
    return {
        f"{prefix}by-action.csv": to_csv(by_key["by_action"]),
        f"{prefix}by-org.csv": to_csv(by_key["by_org"]),
        f"{prefix}tallies.csv": to_csv(by_key["by_item"]),
        f"{prefix}by-municipality.csv": to_csv(by_key["by_municipality"]),
        f"{prefix}report.xlsx": to_xlsx(tables, cache_dir),
        f"{prefix}report.md": to_markdown(
            tables, title, summary_lines_of(tables, totals)).encode("utf-8"),
        f"{prefix}participation.png": chart,
    }


def sheet_rows_of(
    tables: Sequence[Table], period: Period, tracker: Tracker | None, fiscal_year: int | None,
    drives: Sequence[DriveProgress] = (), today: date | None = None,
) -> list[list[CellValue]]:
    """The 集計 tab from the members' tables: a title row, then per organisation, per
    item, per month and per municipality, a blank row apart; with a ``tracker`` that
    holds anything, its 議会 section below; with ``drives`` (every drive's progress as
    of ``today``), the 署名 section last."""
    by_key = {t.key: t for t in tables}
    rows: list[list[CellValue]] = [[label("rollup_title").format(period=period.title),
                                    f"{period.start.isoformat()}〜{period.end.isoformat()}"]]
    for key in SHEET_TABLES:
        rows.append([])
        rows += table_rows(by_key[key])
    section = assembly_sheet_rows(tracker, fiscal_year) if tracker else []
    if section:
        rows += [[], *section]
    signatures = drive_sheet_rows(drives, today or period.end) if drives else []
    if signatures:
        rows += [[], *signatures]
    return rows


def table_rows(table: Table) -> list[list[CellValue]]:
    """A table as sheet rows: its title, its header, its rows (unknown as 不明)."""
    rows: list[list[CellValue]] = [[table.title], list(export_header(table))]
    rows += [list(row) for row in export_rows(table)]
    return rows
