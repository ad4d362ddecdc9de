"""Shared pieces of the assembly tracker tests: the organisers' workbook and its load."""

from __future__ import annotations

import io
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from campaign_sheets.cli import main
from campaign_sheets.commands.common import source_from_config
from campaign_sheets.core.config import CalendarConfig, Config, load_config
from campaign_sheets.geo import dropdown_towns
from campaign_sheets.load import LoadResult, load_workbook
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sources.xlsx_init import new_workbook_bytes
from campaign_sheets.sync import SyncResult, run_sync
from sync_support import Run, Site, make_site

DATA = Path(__file__).resolve().parent / "data" / "assembly"
#: A dozen petitions over several assemblies, as the secretariat records them.
ORGANISERS = DATA / "dozen-petitions-over-several-assemblies.toml"
#: The day the organisers look at their tracker.
TODAY = date(2026, 11, 24)
TOKEN = "members-secret-token-42"


def organisers_rows() -> dict[str, list[dict[str, Any]]]:
    """The rows of :data:`ORGANISERS`, per tab key."""
    data = tomllib.loads(ORGANISERS.read_text(encoding="utf-8"))
    return {key: [dict(row) for row in rows] for key, rows in data.items()}


def write_organisers_workbook(path: Path, rows: dict[str, list[dict[str, Any]]] | None = None
                              ) -> Path:
    """The organisers' workbook, written by the real init code (with its dropdowns)."""
    path.write_bytes(new_workbook_bytes(rows=rows or organisers_rows(),
                                        towns=dropdown_towns("14")))
    return path


def tracker_config() -> Config:
    """A council in 神奈川県, fiscal year 2026."""
    return Config(
        prefecture="神奈川県", fiscal_year=2026,
        calendar=CalendarConfig(name="県社保協 行動予定", uid_domain="example.org",
                                base_url="https://example.org/calendar/"),
    )


def load_organisers(tmp_path: Path) -> LoadResult:
    """The organisers' workbook, written and read back through the xlsx source."""
    path = write_organisers_workbook(tmp_path / "organisers.xlsx")
    return load_workbook(XlsxSource(path).read_tables(), tracker_config())


# -- a council's folder holding the organisers' workbook --------------------------------


def tracker_site(root: Path) -> Site:
    """A council's folder (sync_support.Site) holding the organisers' workbook, with the
    home prefecture 神奈川県 in its configuration."""
    site = make_site(root, write_organisers_workbook(root.parent / f"{root.name}.xlsx"),
                     pdf=False)
    text = site.config.read_text(encoding="utf-8")
    site.config.write_text(text.replace('lang = "en"', 'lang = "en"\nprefecture = "神奈川県"'),
                           encoding="utf-8")
    return site


def sync_tracker(site: Site, today: date = TODAY) -> SyncResult:
    """One sync of ``site`` as the organisers run it on ``today``."""
    config = load_config(site.config)
    return run_sync(config, source_from_config(config), today=today)


def cli(*argv: str) -> Run:
    """``campaign-sheets ARGV`` in this process, as a user types it (standard output
    with a byte buffer under it, as a terminal's has)."""
    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    out.flush()
    return Run(code, raw.getvalue().decode("utf-8"), err.getvalue())


def edit_tab(path: Path, tab: str, row_id: str, header: str, value: Any) -> str:
    """Set one cell of the row whose first column is ``row_id`` in ``tab``, as a person
    does in a spreadsheet program; returns the cell (``審議!D3``)."""
    book = openpyxl.load_workbook(path)
    sheet = book[tab]
    headers = [c.value for c in sheet[1]]
    column = headers.index(header) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == row_id:
            cell = sheet.cell(row, column)
            cell.value = value
            book.save(path)
            return f"{tab}!{cell.coordinate}"
    raise AssertionError(f"no row {row_id} in {tab}")
