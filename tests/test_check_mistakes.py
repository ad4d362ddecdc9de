"""Each kind of mistake organisers make in a shared sheet, as a small workbook.

``tests/data/mistakes/<case>.xlsx`` (built from ``<case>.toml`` by
``make_workbooks.py``) is read with the real workbook source and checked; the
problems must be exactly those in ``<case>.expected.json``: the same cells, codes
and severities. Regenerate the expected files on purpose only, with
``CAMPAIGN_SHEETS_REGENERATE=1``, and read the diff.
"""

from __future__ import annotations

import json
import os
import tomllib
from datetime import time
from pathlib import Path

import pytest

from campaign_sheets.core.config import Config
from campaign_sheets.load import load_workbook
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.validate import check_workbook

MISTAKES = Path(__file__).parent / "data" / "mistakes"
CASES = sorted(p.stem for p in MISTAKES.glob("[!_]*.toml"))
REGENERATE = os.environ.get("CAMPAIGN_SHEETS_REGENERATE") == "1"


def run_case(case: str) -> tuple[dict[str, object], list[dict[str, object]]]:
    spec = tomllib.loads((MISTAKES / f"{case}.toml").read_text(encoding="utf-8"))
    config = Config(fiscal_year=spec.get("fiscal_year"), prefecture=spec.get("prefecture", ""))
    tables = XlsxSource(MISTAKES / f"{case}.xlsx").read_tables()
    problems = check_workbook(tables, config)
    kept = sorted(a.id for a in load_workbook(tables, config).workbook.actions)
    found = [
        {"sheet": p.sheet, "cell": p.cell, "severity": p.severity.value, "code": p.code,
         "message": p.message("ja")}
        for p in problems
    ]
    return {"kept": kept}, found


@pytest.mark.parametrize("case", CASES)
def test_mistake_gives_exactly_the_expected_problems(case: str) -> None:
    summary, found = run_case(case)
    expected_path = MISTAKES / f"{case}.expected.json"
    actual = {**summary, "problems": found}
    if REGENERATE or not expected_path.exists():
        if not REGENERATE:
            pytest.fail(f"{expected_path.name} is missing: run with CAMPAIGN_SHEETS_REGENERATE=1")
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", "utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected


@pytest.mark.parametrize("case", CASES)
def test_every_message_names_its_cell_and_says_how_to_fix_it(case: str) -> None:
    _, found = run_case(case)
    for problem in found:
        assert problem["sheet"], problem
        assert len(str(problem["message"])) > 15, problem


def test_one_bad_row_never_hides_the_others() -> None:
    summary, found = run_case("date-unreadable")
    bad_rows = {p["cell"] for p in found if p["severity"] == "error"}
    assert bad_rows == {"D2", "D3", "D4"}
    assert summary["kept"] == ["d4"]


def test_the_real_weekday_is_named() -> None:
    _, found = run_case("weekday-disagrees-with-date")
    messages = [str(p["message"]) for p in found if p["code"] == "date.weekday_mismatch"]
    assert any("月曜日" in m and "「日」" in m for m in messages), messages


def test_every_range_form_gives_the_days_it_says() -> None:
    case = "date-range-in-every-form-is-fine"
    tables = XlsxSource(MISTAKES / f"{case}.xlsx").read_tables()
    actions = {a.id: a for a in load_workbook(tables, Config(fiscal_year=2025)).workbook.actions}
    days = {key: (a.date.isoformat(), a.end_date and a.end_date.isoformat())
            for key, a in actions.items()}
    assert days == {
        "r1": ("2025-11-12", "2025-11-13"), "r2": ("2025-11-12", "2025-11-13"),
        "r3": ("2025-11-12", "2025-11-13"), "r4": ("2025-11-30", "2025-12-01"),
        "r5": ("2025-12-28", "2026-01-04"), "r6": ("2025-11-12", "2025-11-14"),
        "r7": ("2025-11-12", "2025-11-13"), "r8": ("2025-11-12", "2025-11-13"),
        "r9": ("2025-11-12", None), "r10": ("2026-03-30", "2026-04-02"),
    }
    assert (actions["r1"].start, actions["r1"].end) == (time(9, 30), time(16, 0))


def test_a_month_chosen_by_weekdays_is_kept_and_named() -> None:
    summary, found = run_case("date-range-without-month")
    assert summary["kept"] == ["m1"]
    inferred = [p for p in found if p["code"] == "date.range_month_inferred"]
    assert len(inferred) == 1 and "2025年8月12日（火）〜14日（木）" in str(inferred[0]["message"])
