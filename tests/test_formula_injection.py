"""Someone types ``=HYPERLINK("http://evil","click")`` as a title in the shared sheet.

The secretariat opens the reports in Excel or LibreOffice, which run every cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return. No export may hand
them such a cell: CSV, Markdown, the report workbook and the 集計 tab written back to
the workbook or the Google Sheet all carry the text behind an apostrophe, and numbers
stay numbers. Each export is tried with generated text, and a whole sync with a title,
venue, organisation and results typed as formulas.
"""

from __future__ import annotations

import csv
import io
import itertools
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsheet_support
from campaign_sheets.cli import main
from campaign_sheets.core.cell_safety import NEUTRAL_MARK, neutralise_formula, starts_like_formula
from campaign_sheets.core.config import Config
from campaign_sheets.core.values import WriteBack
from campaign_sheets.rollup.export import to_csv, to_json, to_markdown, to_xlsx
from campaign_sheets.rollup.period import fiscal_period
from campaign_sheets.rollup.sheet import table_rows
from campaign_sheets.rollup.tables import Cell, Column, Table
from campaign_sheets.sources.gsheet import GoogleSheetSource
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sync import run_sync
from conftest import require_program
from sheets_emulator import Formula, SheetsEmulator

emulator = gsheet_support.emulator
client = gsheet_support.client

EVIL_TITLE = '=HYPERLINK("http://evil","click")'
EVIL_TEXTS = (EVIL_TITLE, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1",
              "　＝1+1", " =1+1")

# -- the rule itself ---------------------------------------------------------------


def test_text_that_would_run_gets_an_apostrophe_and_numbers_do_not() -> None:
    for text in EVIL_TEXTS:
        assert neutralise_formula(text) == NEUTRAL_MARK + text, repr(text)
    for text in ("-3", "+1.5", "-0.25", "年金者組合", "2026-10-17", "'=quoted already", ""):
        assert neutralise_formula(text) == text, repr(text)


# Text made to start the way spreadsheets decide: marks, spaces, full-width forms.
_STARTS = st.sampled_from(["=", "+", "-", "@", "\t", "\r", " ", "\u3000", "＝", "＋", "－",
                           "＠", "'", "", "1", "年"])
cell_text = st.builds(lambda a, b: a + b, _STARTS, st.text(max_size=12))
cells = st.one_of(cell_text, st.integers(-10**6, 10**6), st.none())


@st.composite
def tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(1, 4))
    columns = tuple(Column(f"c{i}", draw(cell_text) or f"c{i}") for i in range(width))
    rows = draw(st.lists(st.tuples(*[cells] * width), max_size=5))
    return Table("by_org", "団体別", columns, tuple(rows))


def _inert(value: Any) -> bool:
    return not isinstance(value, str) or not starts_like_formula(value)


def _expected(cell: Cell) -> str | int:
    if cell is None:
        return "不明"
    return neutralise_formula(cell) if isinstance(cell, str) else cell


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(tables())
def test_no_csv_cell_can_run_and_nothing_is_lost(table: Table) -> None:
    back = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"), newline="")))
    assert all(_inert(cell) for row in back for cell in row)
    assert back[1:] == [[str(_expected(c)) for c in row] for row in table.rows]


@FUZZ
@given(tables())
def test_no_report_workbook_cell_can_run_and_numbers_stay_numbers(table: Table) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([table])))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert _inert(cell.value), cell.value
    for number, row in enumerate(table.rows, start=2):
        for col, value in enumerate(row, start=1):
            if isinstance(value, int):
                assert sheet.cell(number, col).value == value


@FUZZ
@given(tables())
def test_no_markdown_table_cell_can_run(table: Table) -> None:
    lines = to_markdown([table], "集計").splitlines()
    table_lines = [line for line in lines if line.startswith("| ")]
    for line in table_lines[:1] + table_lines[2:]:  # not the alignment row
        for cell in line[2:-2].split(" | "):
            assert _inert(cell.replace("\\|", "|")), line


@FUZZ
@given(tables())
def test_no_rollup_tab_cell_can_run(table: Table) -> None:
    rows = table_rows(table)
    assert all(_inert(cell) for row in rows for cell in row)
    assert rows[2:] == [[_expected(c) for c in row] for row in table.rows]


_xlsx_books = itertools.count()


@FUZZ
@given(table=tables())
def test_no_rollup_tab_cell_written_back_to_a_workbook_can_run(
    table: Table, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("book") / f"行動予定-{next(_xlsx_books)}.xlsx"
    _write_book(path, {"行動": [["ID", "行動名"], ["a-1", EVIL_TITLE]]})
    XlsxSource(path).write_back(WriteBack(rollup=table_rows(table)))
    book = openpyxl.load_workbook(path)
    stored = [[c.value for c in row] for row in book["集計"].iter_rows()]
    assert all(c.data_type != "f" for row in book["集計"].iter_rows() for c in row)
    assert all(_inert(value) for row in stored for value in row)
    for number, row in enumerate(table.rows, start=3):
        for col, value in enumerate(row):
            if isinstance(value, int):
                assert stored[number - 1][col] == value
    assert book["行動"]["B2"].value == EVIL_TITLE


_google_books = itertools.count()


@FUZZ
@given(table=tables())
def test_no_rollup_tab_cell_written_to_a_google_sheet_can_run(
    table: Table, emulator: SheetsEmulator, client: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    key = f"formula-fuzz-{next(_google_books):04d}-0123456789abcdef"
    emulator.add_spreadsheet(key, {"行動": [["ID", "行動名"], ["a-1", EVIL_TITLE]]})
    source = GoogleSheetSource.from_client(
        f"gsheet:{key}", client, email="sync@x.org",
        cache_path=tmp_path_factory.mktemp("names") / "names.json")
    source.read_tables()
    mark = len(emulator.log)
    rows = table_rows(table)
    source.write_back(WriteBack(rollup=rows))
    writes = [r for r in emulator.log[mark:] if r.kind == "values.batchUpdate"]
    assert [w.body["valueInputOption"] for w in writes] == ["RAW"]
    stored = emulator.values(key, "集計")
    assert not any(isinstance(v, Formula) for row in stored for v in row)
    assert all(_inert(v) for row in stored for v in row)
    expected = [[("" if v is None else v) for v in row] for row in rows]
    assert gsheet_support.comparable_rows(stored) == gsheet_support.comparable_rows(expected)
    assert emulator.values(key, "行動")[1][1] == EVIL_TITLE


@FUZZ
@given(tables())
def test_json_for_scripts_keeps_the_text_as_typed(table: Table) -> None:
    import json

    rows = json.loads(to_json([table], fiscal_period(2026)))["tables"]["by_org"]["rows"]
    assert [list(r.values()) for r in rows] == [list(row) for row in table.rows]


# -- a whole sync, as the secretariat meets it ---------------------------------------

CONFIG = """source = "行動予定.xlsx"
fiscal_year = 2026
flyer_pdf = false
lang = "en"
[calendar]
name = "地区社保協 行動予定"
uid_domain = "shaho.test-council.jp"
"""


def hostile_tabs() -> dict[str, list[list[Any]]]:
    """A held action whose title, venue, organisation and results are all formulas."""
    return {
        "行動": [["ID", "種別", "行動名", "日付", "会場", "状態", "参加報告"],
                 ["evil-1", "宣伝行動", EVIL_TITLE, "2026-10-17", "@SUM(1+1)", "終了", ""]],
        "参加": [["行動ID", "団体", "人数", "備考"],
                 ["evil-1", "+cmd|' /C calc'!A0", 3, "=1+1"]],
        "成果": [["行動ID", "項目", "内訳", "数", "単位"],
                 ["evil-1", "-2+3", "=HYPERLINK(\"x\")", 12, "筆"]],
        "団体": [["団体名", "略称", "別名", "キー"]],
    }


def _write_book(path: Path, tabs: dict[str, list[list[Any]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tabs.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    book.save(path)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("council")
    _write_book(folder / "行動予定.xlsx", hostile_tabs())
    (folder / "campaign-sheets.toml").write_text(CONFIG, encoding="utf-8")
    assert main(["sync", "--config", str(folder / "campaign-sheets.toml"), "--quiet"]) == 0
    return folder


def test_the_title_reaches_the_csv_reports_behind_an_apostrophe(synced: Path) -> None:
    for name in ("by-action.csv", "by-org.csv", "tallies.csv"):
        text = (synced / "public" / "reports" / name).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert all(_inert(cell) for row in rows for cell in row), name
    by_action = (synced / "public" / "reports" / "by-action.csv").read_text(encoding="utf-8-sig")
    assert "'" + EVIL_TITLE.replace('"', '""') in by_action


def test_report_md_and_report_xlsx_carry_no_formula(synced: Path) -> None:
    md = (synced / "public" / "reports" / "report.md").read_text(encoding="utf-8")
    assert f"| '{EVIL_TITLE} |" in md
    book = openpyxl.load_workbook(synced / "public" / "reports" / "report.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" and _inert(c.value) for c in row)


def test_the_rollup_tab_written_back_to_the_workbook_holds_text(synced: Path) -> None:
    book = openpyxl.load_workbook(synced / "行動予定.xlsx")
    values = [c for row in book["集計"].iter_rows() for c in row if c.value is not None]
    assert values
    assert all(c.data_type != "f" and _inert(c.value) for c in values)
    assert "'+cmd|' /C calc'!A0" in [c.value for c in values]
    # the sheet's own tabs keep what people typed
    assert book["行動"]["C2"].value == EVIL_TITLE


@pytest.mark.system
def test_libreoffice_opening_the_csv_runs_nothing(synced: Path, tmp_path: Path) -> None:
    office = require_program("soffice")
    source = synced / "public" / "reports" / "by-action.csv"
    subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--infilter=CSV:44,34,76", "--convert-to", "xlsx", "--outdir", str(tmp_path),
         str(source)],
        check=True, capture_output=True, timeout=120,
    )
    book = openpyxl.load_workbook(tmp_path / "by-action.xlsx")
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert f"'{EVIL_TITLE}" in [c.value for c in cells]


def test_the_rollup_tab_of_a_google_sheet_is_written_raw_and_inert(
    emulator: SheetsEmulator, client: Any, tmp_path: Path
) -> None:
    key = "formula-injection-0123456789abcdef"
    emulator.add_spreadsheet(key, hostile_tabs())
    source = GoogleSheetSource.from_client(f"gsheet:{key}", client, email="sync@x.org",
                                           cache_path=tmp_path / "names.json")
    config = Config(source=f"gsheet:{key}", out=tmp_path / "public", state=tmp_path / "s.db",
                    fiscal_year=2026, flyer_pdf=False)
    mark = len(emulator.log)
    run_sync(config, source, now=datetime(2026, 11, 1, tzinfo=UTC), today=date(2026, 11, 1))
    writes = [r for r in emulator.log[mark:] if r.kind == "values.batchUpdate"]
    assert [w.body["valueInputOption"] for w in writes] == ["RAW"]
    stored = [v for row in emulator.values(key, "集計") for v in row if v != ""]
    assert stored and not any(isinstance(v, Formula) for v in stored)
    assert all(_inert(v) for v in stored)
    assert "'-2+3" in stored
    assert emulator.values(key, "行動")[1][2] == EVIL_TITLE
