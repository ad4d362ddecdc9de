"""A 傍聴 typed by hand in the 行動 tab for a session the 審議 tab already has: `check`
warns at the 行動 row's 行動名 cell, names the 審議 row, and says the 審議 row alone puts
the hearing in the calendar.

The rows are ``tests/data/assembly/hearings-typed-by-hand-beside-their-stages.toml``,
written into a new workbook by the real init code; the bundled example is checked too,
with the hearing its secretariat once typed twice put back.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from assembly_support import DATA, cli
from campaign_sheets.sources.xlsx_init import new_workbook_bytes
from sync_support import EXAMPLE, feed_events, make_site, sync

CASE = DATA / "hearings-typed-by-hand-beside-their-stages.toml"
CODE = "event.hearing_in_stages"
CONFIG = """source = "{workbook}"
prefecture = "神奈川県"
fiscal_year = 2026
lang = "{lang}"
"""


def check(workbook: Path, lang: str = "ja") -> list[dict[str, Any]]:
    """``campaign-sheets check --format json`` as the secretariat runs it: the problems."""
    config = workbook.parent / f"check-{lang}.toml"  # beside a site's own configuration
    config.write_text(CONFIG.format(workbook=workbook.name, lang=lang), encoding="utf-8")
    run = cli("check", "--config", str(config), "--format", "json")
    assert run.code == 0, run.out + run.err  # warnings only
    problems: list[dict[str, Any]] = json.loads(run.out)["problems"]
    return problems


def duplicates(problems: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The duplicate-hearing warnings by cell (``行動!C2``)."""
    return {f"{p['sheet']}!{p['cell']}": p for p in problems if p["code"] == CODE}


@pytest.fixture(scope="module")
def case_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = tomllib.loads(CASE.read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("hearings") / "hearings.xlsx"
    path.write_bytes(new_workbook_bytes(rows=rows))
    return path


def test_only_the_hearings_the_stages_tab_already_has_are_named(case_book: Path) -> None:
    found = duplicates(check(case_book))
    assert set(found) == {"行動!C2", "行動!C3"}
    assert all(p["severity"] == "warning" and p["column"] == "行動名" for p in found.values())


def test_the_warning_names_the_stage_row_and_says_the_calendar_has_it(case_book: Path) -> None:
    found = duplicates(check(case_book))
    next_day = found["行動!C2"]["message"]
    assert "「審議」タブの2行目" in next_day
    assert "神奈川県議会 厚生常任委員会、2026-12-09" in next_day
    assert "それだけでカレンダーに傍聴として載る" in next_day and "この行を消して" in next_day
    assert "この行が2026-12-10、審議が2026-12-09" in next_day  # the day it is off by
    same_day = found["行動!C3"]["message"]
    assert "「審議」タブの3行目" in same_day and "川崎市議会 健康福祉委員会" in same_day
    assert "審議が" not in same_day  # nothing to say about the date


def test_the_warning_in_english(case_book: Path) -> None:
    message = duplicates(check(case_book, "en"))["行動!C2"]["message"]
    assert "row 2 of the 審議 tab" in message and "by itself" in message
    assert "This row says 2026-12-10 and the session 2026-12-09" in message


def _add_event(path: Path, values: dict[str, Any]) -> int:
    """Type one more 行動 row, as a person does in a spreadsheet program; its row."""
    book = openpyxl.load_workbook(path)
    sheet = book["行動"]
    headers = [c.value for c in sheet[1]]
    row = sheet.max_row + 1
    for header, value in values.items():
        sheet.cell(row, headers.index(header) + 1, value)
    book.save(path)
    return row


#: The 傍聴 the example's secretariat once typed beside its 審議 row s-ken-kosei.
TYPED_TWICE = {"ID": "2026-1210-gikai", "種別": "傍聴",
               "行動名": "県議会 厚生常任委員会 傍聴（国保請願）", "日付": "12/10(木)",
               "時間": "10:00～12:00", "会場": "県議会 本会議棟", "主催": "社保協"}


def test_the_bundled_example_types_no_hearing_twice(tmp_path: Path) -> None:
    book = tmp_path / "kanagawa.xlsx"
    shutil.copy2(EXAMPLE, book)
    assert duplicates(check(book)) == {}


def test_a_hearing_typed_twice_in_the_example_is_named_and_both_stay_published(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "site", pdf=False)
    row = _add_event(site.workbook, TYPED_TWICE)
    found = duplicates(check(site.workbook))
    assert set(found) == {f"行動!C{row}"}
    message = found[f"行動!C{row}"]["message"]
    assert "「審議」タブの2行目（神奈川県議会 厚生常任委員会、2026-12-09）" in message
    run = sync(site)  # a warning, not an error: the secretariat decides which row goes
    assert run.code == 0, run.err
    assert f"行動!C{row}" in run.err
    feed = feed_events((site.out / "kinds" / "hearing.ics").read_bytes())
    assert {"s-ken-kosei@example.org", "2026-1210-gikai@example.org"} <= set(feed)


def test_the_check_reads_the_dates_and_times_the_cells_hold(tmp_path: Path) -> None:
    """A date cell and a time cell (as Excel stores them) are compared like typed text."""
    rows = tomllib.loads(CASE.read_text(encoding="utf-8"))
    rows["events"] = [{"id": "h-cells", "kind": "傍聴", "title": "県議会 厚生常任委員会 傍聴",
                       "date": date(2026, 12, 8), "start": time(10, 0)}]
    path = tmp_path / "cells.xlsx"
    path.write_bytes(new_workbook_bytes(rows=rows))
    found = duplicates(check(path))
    assert "この行が2026-12-08、審議が2026-12-09" in found["行動!C2"]["message"]
