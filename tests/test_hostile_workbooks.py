"""Every odd shape a shared workbook takes gives clear problems, never a traceback.

Each ``tests/data/hostile/<case>.xlsx`` (built by ``make_hostile.py``) is checked
with the real command line: ``check`` exits 0 or 1, every problem names its sheet,
cell and code with a message, the problems are exactly the expected ones, and the
good rows of the same workbook are still loaded.
"""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest

from campaign_sheets.cli import main
from campaign_sheets.core.config import Config
from campaign_sheets.core.errors import SourceError
from campaign_sheets.load import LoadResult, load_workbook
from campaign_sheets.load.cells import MAX_CELL_CHARS, MAX_QUOTED_CHARS
from campaign_sheets.sources.xlsx import XlsxSource

HOSTILE = Path(__file__).parent / "data" / "hostile"
sys.path.insert(0, str(HOSTILE))
import make_hostile  # noqa: E402

Where = tuple[str, str | None, str]

#: case → (exit status, problems as (sheet, cell, code), IDs of the actions kept).
EXPECTED: dict[str, tuple[int, set[Where], set[str]]] = {
    "events-tab-without-rows": (0, {("行動", None, "tab.empty")}, set()),
    "events-tab-header-only": (0, set(), set()),
    "merged-header-cells": (1, {("行動", "E4", "cell.required")}, {"m1", "m2"}),
    "title-row-above-headers": (1, {("行動", "D5", "date.unreadable")}, {"t1", "t2"}),
    "ten-thousand-blank-rows": (1, {("行動", "D10003", "date.invalid")}, {"b1", "b3"}),
    "formulas-without-computed-values": (1, {
        ("行動", "C2", "cell.formula_uncomputed"),
        ("行動", "D3", "cell.formula_uncomputed"),
        ("行動", "G4", "cell.formula_uncomputed"),
    }, {"f4"}),
    "formulas-with-computed-values": (0, set(), {"c1"}),
    "error-cells-in-every-column": (1, {
        ("行動", "A2", "cell.error_value"), ("行動", "B3", "cell.error_value"),
        ("行動", "C4", "cell.error_value"), ("行動", "D5", "cell.error_value"),
        ("行動", "E6", "cell.error_value"), ("行動", "F7", "cell.error_value"),
        ("行動", "G8", "cell.error_value"), ("行動", "H9", "cell.error_value"),
        ("行動", "I10", "cell.error_value"), ("行動", "J11", "cell.error_value"),
        ("行動", "K12", "cell.error_value"),
        ("参加", "C2", "cell.error_value"), ("参加", "A3", "cell.error_value"),
        ("成果", "C2", "cell.error_value"), ("成果", "B3", "cell.error_value"),
    }, set()),
    "huge-cells": (1, {
        ("行動", "C2", "cell.too_long"), ("行動", "C2", "cell.long_text"),
        ("行動", "E2", "cell.too_long"),
        ("行動", "D3", "cell.too_long"), ("行動", "D3", "date.unreadable"),
    }, {"h1"}),
    "astral-characters": (0, set(), {"a1", "a2"}),
    "control-characters": (1, {("行動", "C3", "cell.required")}, {"k1", "k3"}),
    "numbers-and-text-swapped": (1, {
        ("行動", "B3", "kind.unknown"), ("行動", "G4", "number.unreadable"),
        ("行動", "E5", "time.unreadable"), ("参加", "C2", "number.unreadable"),
    }, {"n1", "n3", "1234"}),
    "booleans-in-every-column": (1, {
        ("行動", "B2", "kind.unknown"), ("行動", "D2", "date.unreadable"),
        ("行動", "E2", "time.unreadable"), ("行動", "G2", "number.unreadable"),
        ("行動", "H2", "status.unknown"), ("行動", "I2", "visibility.unknown"),
        ("行動", "J2", "url.not_http"), ("参加", "C2", "number.unreadable"),
    }, {"ok"}),
    "dates-with-times": (0, set(), {"d1", "d2", "d3"}),
    "negative-and-gigantic-serials": (1, {
        ("行動", "D2", "date.far"), ("行動", "D3", "date.unreadable"),
        ("行動", "D4", "date.unreadable"), ("行動", "D5", "date.unreadable"),
        ("行動", "E7", "time.unreadable"), ("行動", "G8", "number.too_large"),
    }, {"s1", "s5", "s7"}),
    "events-tab-named-with-trailing-space": (0, set(), {"w1"}),
    "events-tab-in-fullwidth-letters": (0, set(), {"w1"}),
    "duplicate-headers": (1, {
        ("行動", "E1", "header.duplicate"), ("行動", "F1", "header.duplicate"),
        ("行動", "D3", "cell.required"),
    }, {"u1"}),
    "headers-only-in-english": (0, set(), {"en1"}),
    "two-events-tabs": (0, {("events", None, "tab.duplicate")}, {"p1"}),
}
NOT_WORKBOOKS = sorted(p.stem for p in HOSTILE.glob("not-a-workbook-*.xlsx"))


def run_check(path: Path, tmp_path: Path, lang: str = "ja") -> tuple[int, str, str]:
    """``campaign-sheets check --format json`` on ``path``: (exit status, stdout, stderr)."""
    config = tmp_path / "campaign-sheets.toml"
    config.write_text(
        f'source = "{path.as_posix()}"\nfiscal_year = 2026\nlang = "{lang}"\n', "utf-8"
    )
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["check", "--config", str(config), "--format", "json"])
    return status, out.getvalue(), err.getvalue()


def load(case: str) -> LoadResult:
    """The loader's result for a case, read with the real workbook source."""
    tables = XlsxSource(HOSTILE / f"{case}.xlsx").read_tables()
    return load_workbook(tables, Config(fiscal_year=2026))


def test_every_case_in_the_folder_has_expectations() -> None:
    on_disk = {p.stem for p in HOSTILE.glob("*.xlsx")} - set(NOT_WORKBOOKS)
    assert on_disk == set(EXPECTED) == set(make_hostile.CASES)
    assert len(NOT_WORKBOOKS) == 3


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_check_names_exactly_the_expected_problems(case: str, tmp_path: Path) -> None:
    status, out, err = run_check(HOSTILE / f"{case}.xlsx", tmp_path)
    expected_status, expected_problems, _ = EXPECTED[case]
    problems: list[dict[str, Any]] = json.loads(out)["problems"]
    assert "Traceback" not in err
    assert {(p["sheet"], p["cell"], p["code"]) for p in problems} == expected_problems
    assert status == expected_status
    for p in problems:
        assert p["sheet"] and p["code"] and len(p["message"]) > 15, p
        assert p["severity"] in ("error", "warning")
        # Only a problem about a whole tab has no cell; a row problem names its row.
        assert (p["cell"] is None) == (p["row"] is None), p


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_good_rows_of_a_hostile_workbook_are_still_loaded(case: str) -> None:
    result = load(case)
    assert {a.id for a in result.workbook.actions} == EXPECTED[case][2]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_problem_is_told_in_english_too(case: str, tmp_path: Path) -> None:
    _, ja, _ = run_check(HOSTILE / f"{case}.xlsx", tmp_path, lang="ja")
    _, en, _ = run_check(HOSTILE / f"{case}.xlsx", tmp_path, lang="en")
    pairs = zip(json.loads(ja)["problems"], json.loads(en)["problems"], strict=True)
    for in_ja, in_en in pairs:
        assert in_en["code"] == in_ja["code"] and in_en["cell"] == in_ja["cell"]
        assert in_en["message"] != in_ja["message"] and len(in_en["message"]) > 15, in_en


@pytest.mark.parametrize("case", NOT_WORKBOOKS)
def test_a_file_that_is_not_a_workbook_is_refused_with_a_clear_message(
    case: str, tmp_path: Path
) -> None:
    path = HOSTILE / f"{case}.xlsx"
    with pytest.raises(SourceError) as raised:
        XlsxSource(path).read_tables()
    assert getattr(raised.value, "code", None) == "source.xlsx_not_workbook"
    status, out, err = run_check(path, tmp_path)
    assert status == 1 and out == ""
    assert "Traceback" not in err and path.name in err and ".xlsx" in err


def test_a_formula_without_its_result_is_not_mistaken_for_a_blank_cell(tmp_path: Path) -> None:
    _, out, _ = run_check(HOSTILE / "formulas-without-computed-values.xlsx", tmp_path)
    problems = json.loads(out)["problems"]
    assert not any(p["code"] == "cell.required" for p in problems)
    title = next(p for p in problems if p["cell"] == "C2")
    assert '=CONCAT("駅前","宣伝")' in title["message"] and "LibreOffice" in title["message"]
    assert title["severity"] == "error"


def test_a_formula_with_its_result_gives_the_result() -> None:
    action = load("formulas-with-computed-values").workbook.actions[0]
    assert (action.title, action.capacity) == ("駅前宣伝", 20)


def test_a_cell_already_reported_as_an_error_is_not_also_called_blank() -> None:
    problems = load("error-cells-in-every-column").problems
    assert [p.code for p in problems if p.sheet == "行動" and p.row == 4] == ["cell.error_value"]


def test_ten_thousand_blank_rows_keep_row_numbers_and_stay_small() -> None:
    path = HOSTILE / "ten-thousand-blank-rows.xlsx"
    assert path.stat().st_size < 200_000
    result = load("ten-thousand-blank-rows")
    assert {a.id: a.row for a in result.workbook.actions} == {"b1": 2, "b3": 10004}
    assert result.rows_read == 3


def test_huge_cells_are_cut_and_quoted_briefly() -> None:
    result = load("huge-cells")
    action = result.workbook.actions[0]
    assert len(action.title) == MAX_CELL_CHARS and len(action.description) == MAX_CELL_CHARS
    for problem in result.problems:
        assert len(problem.message("ja")) < MAX_QUOTED_CHARS + 300, problem.code
    assert HOSTILE.joinpath("huge-cells.xlsx").stat().st_size < 50_000


def test_astral_characters_are_kept_exactly() -> None:
    result = load("astral-characters")
    actions = {a.id: a for a in result.workbook.actions}
    assert actions["a1"].title == f"駅前宣伝{make_hostile.ASTRAL}"
    assert actions["a1"].venue == f"𠮷祥寺駅{make_hostile.ASTRAL}"
    assert actions["a1"].organizer == "𠮷野家ユニオン🎉"
    assert actions["a2"].title == make_hostile.ASTRAL


def test_control_characters_are_dropped_from_text() -> None:
    actions = {a.id: a for a in load("control-characters").workbook.actions}
    assert actions["k1"].title == "駅前宣伝"
    assert actions["k1"].venue == "駅前北口"
    assert actions["k3"].date == date(2026, 10, 5)


def test_a_date_typed_with_its_time_gives_the_start() -> None:
    actions = {a.id: a for a in load("dates-with-times").workbook.actions}
    assert (actions["d1"].date, actions["d1"].start, actions["d1"].end) == (
        date(2026, 10, 3), clock(10, 30), None
    )
    # The time column wins over the time inside the date.
    assert (actions["d2"].start, actions["d2"].end) == (clock(13), clock(14))
    assert actions["d3"].start is None


def test_booleans_in_text_columns_read_as_the_sheet_shows_them(tmp_path: Path) -> None:
    actions = {a.id: a for a in load("booleans-in-every-column").workbook.actions}
    assert actions["ok"].title == "TRUE" and actions["ok"].venue == "FALSE"
    _, out, _ = run_check(HOSTILE / "booleans-in-every-column.xlsx", tmp_path)
    date_problem = next(p for p in json.loads(out)["problems"] if p["cell"] == "D2")
    assert "「TRUE」" in date_problem["message"]


def test_a_serial_no_date_has_is_quoted_as_typed_not_as_a_formula_error() -> None:
    problems = {p.cell: p for p in load("negative-and-gigantic-serials").problems}
    assert problems["D3"].params["value"] == "1000000000"
    assert not any(p.code == "cell.error_value" for p in problems.values())


def test_a_tab_name_with_spaces_or_full_width_letters_is_found_and_named_as_spelt() -> None:
    assert load("events-tab-named-with-trailing-space").tabs["events"] == "行動 "
    assert load("events-tab-in-fullwidth-letters").tabs["events"] == "ｅｖｅｎｔｓ"


def test_of_two_events_tabs_the_first_is_read_and_the_second_named() -> None:
    result = load("two-events-tabs")
    assert result.tabs["events"] == "行動"
    warning = next(p for p in result.problems if p.code == "tab.duplicate")
    assert warning.severity.value == "warning" and "行動" in warning.message("ja")


def test_of_two_columns_with_one_header_the_first_is_read() -> None:
    actions = load("duplicate-headers").workbook.actions
    assert [(a.id, a.date) for a in actions] == [("u1", date(2026, 10, 3))]


def test_the_committed_workbooks_are_what_the_generator_makes(tmp_path: Path) -> None:
    for path in make_hostile.write_all(tmp_path):
        committed = HOSTILE / path.name
        if path.name.startswith("not-a-workbook-"):
            assert path.read_bytes() == committed.read_bytes()
            continue
        assert XlsxSource(path).read_tables() == XlsxSource(committed).read_tables(), path.name
