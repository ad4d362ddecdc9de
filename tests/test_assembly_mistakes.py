"""The slips a secretariat makes typing petitions and stages: each one is a problem
naming its cell and saying how to fix it, and one bad row never stops the others.

The rows are ``tests/data/assembly/mistakes-in-the-petitions-and-stages-tabs.toml``,
written into a new workbook by the real init code and checked with `check` as an
organiser runs it.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from assembly_support import DATA, cli, tracker_config
from campaign_sheets.load import load_workbook
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sources.xlsx_init import new_workbook_bytes

CASE = DATA / "mistakes-in-the-petitions-and-stages-tabs.toml"
CONFIG = """source = "{workbook}"
prefecture = "神奈川県"
fiscal_year = 2026
lang = "{lang}"
"""


def workbook(folder: Path) -> Path:
    rows = tomllib.loads(CASE.read_text(encoding="utf-8"))
    path = folder / "mistakes.xlsx"
    path.write_bytes(new_workbook_bytes(rows=rows))
    return path


@pytest.fixture(scope="module")
def problems(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """``check --format json`` on the workbook, problems by cell."""
    folder = tmp_path_factory.mktemp("mistakes")
    path = workbook(folder)
    config = folder / "campaign-sheets.toml"
    config.write_text(CONFIG.format(workbook=path.name, lang="ja"), encoding="utf-8")
    run = cli("check", "--config", str(config), "--format", "json")
    assert run.code == 1, run.err
    found = json.loads(run.out)["problems"]
    by_cell = {f"{p['sheet']}!{p['cell']}": p for p in found}
    assert len(by_cell) == len(found), "two problems in one cell"
    return by_cell


def test_exactly_the_expected_cells_are_named(problems: dict[str, dict[str, Any]]) -> None:
    assert {cell: (p["code"], p["severity"]) for cell, p in problems.items()} == {
        "請願!B3": ("municipality.unknown", "error"),
        "請願!B4": ("municipality.ambiguous", "error"),
        "審議!F2": ("stage.outcome_unknown", "error"),
        "審議!G3": ("stage.vote_unreadable", "error"),
        "審議!F4": ("stage.outcome_variant", "warning"),
        "審議!C6": ("stage.committee_after_plenary", "error"),
        "審議!C7": ("stage.after_final", "error"),
    }


def test_an_outcome_typo_suggests_the_closest_word(problems: dict[str, dict[str, Any]]) -> None:
    typo = problems["審議!F2"]
    assert typo["column"] == "結果"
    assert "不採決" in typo["message"] and "不採択" in typo["message"]


def test_an_unreadable_vote_shows_how_votes_are_written(
    problems: dict[str, dict[str, Any]]
) -> None:
    message = problems["審議!G3"]["message"]
    assert "賛成たくさん" in message and "5対4" in message


def test_shushi_is_read_as_the_usual_spelling(problems: dict[str, dict[str, Any]]) -> None:
    message = problems["審議!F4"]["message"]
    assert "主旨採択" in message and "趣旨採択" in message


def test_a_committee_after_the_plenary_points_at_the_plenary(
    problems: dict[str, dict[str, Any]]
) -> None:
    late = problems["審議!C6"]["message"]
    assert "2026-10-05" in late and "2026-09-29" in late and "審議!C5" in late
    after = problems["審議!C7"]["message"]
    assert "審議!C5" in after and "不採択" in after


def test_municipalities_unknown_or_ambiguous_say_why(
    problems: dict[str, dict[str, Any]]
) -> None:
    assert "見本町" in problems["請願!B3"]["message"]
    ambiguous = problems["請願!B4"]["message"]
    assert "府中市" in ambiguous and "東京都" in ambiguous and "広島県" in ambiguous


def test_the_messages_speak_english_too(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    config = tmp_path / "campaign-sheets.toml"
    config.write_text(CONFIG.format(workbook=path.name, lang="en"), encoding="utf-8")
    found = json.loads(cli("check", "--config", str(config), "--format", "json").out)["problems"]
    messages = {f"{p['sheet']}!{p['cell']}": p["message"] for p in found}
    assert messages["審議!F2"].startswith("Unknown outcome '不採決'. Did you mean '不採択'?")
    assert messages["審議!G3"].startswith("The vote '賛成たくさん' cannot be read.")
    assert "names more than one municipality" in messages["請願!B4"]
    assert "check the dates" in messages["審議!C6"]


def test_one_bad_row_never_stops_the_others(tmp_path: Path) -> None:
    tracker = load_workbook(XlsxSource(workbook(tmp_path)).read_tables(),
                            tracker_config()).tracker
    assert {p.id for p in tracker.petitions} == {"p-good", "p-settled"}
    # the bad stages are left out; the good ones, and the warned one, stay
    assert {s.id for s in tracker.stages} == {"s-shushi", "s-plenary"}
