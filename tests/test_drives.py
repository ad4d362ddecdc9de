"""A prefectural council runs a petition drive: a goal of 3万筆, two hand-in deadlines,
batches from organisations and signatures collected at street actions."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.config import Config
from campaign_sheets.core.errors import ParseError
from campaign_sheets.core.problems import Problem, render_message
from campaign_sheets.core.values import RawTable
from campaign_sheets.drives import (
    Batch,
    Collected,
    DeadlineRules,
    Drive,
    drive_line,
    drive_progress,
    drives_json,
    format_goal,
    parse_deadlines,
    parse_goal,
)
from campaign_sheets.drives.ledger import DriveLedger
from campaign_sheets.drives.progress import DriveProgress
from campaign_sheets.load import LoadResult, load_workbook
from campaign_sheets.rollup.drives import ledger_of
from campaign_sheets.rollup.records import collect_records

DATA = Path(__file__).resolve().parent / "data" / "drives"


def winter() -> tuple[LoadResult, DriveLedger, list[Problem]]:
    """The petition drive of tests/data/drives/petition-winter.json, loaded as a sync would."""
    tabs = json.loads((DATA / "petition-winter.json").read_text(encoding="utf-8"))
    loaded = load_workbook({n: RawTable(n, rows) for n, rows in tabs.items()},
                           Config(fiscal_year=2026))
    ledger, problems = ledger_of(loaded.drives, loaded.workbook, collect_records(loaded.workbook))
    return loaded, ledger, [*loaded.problems, *problems]


def petition(today: date | None = date(2026, 12, 1)) -> DriveProgress:
    _loaded, ledger, _problems = winter()
    drive = next(d for d in ledger.book.drives if d.name == "請願署名")
    return ledger.progress(drive, today=today)


# --- goals and percentages ---------------------------------------------------

@pytest.mark.parametrize(("typed", "goal"), [
    ("3万筆", 30000), ("30,000", 30000), ("３万", 30000), ("1.5万", 15000), ("三万", 30000),
    ("目標3万5千筆", 35000), ("一万五千", 15000), (5000, 5000), ("12,345人", 12345),
])
def test_a_goal_is_read_as_organisers_write_it(typed: object, goal: int) -> None:
    assert parse_goal(typed) == goal  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["たくさん", "0", "1.23456万", "-5", "3万万"])
def test_a_goal_that_is_no_whole_number_is_refused(typed: str) -> None:
    with pytest.raises(ParseError):
        parse_goal(typed)


@given(st.integers(min_value=1, max_value=10**8))
def test_a_goal_written_back_reads_as_the_same_number(goal: int) -> None:
    assert parse_goal(format_goal(goal)) == goal


def test_the_total_and_its_share_of_the_goal_are_the_report_line() -> None:
    progress = petition()
    assert (progress.total, progress.paper, progress.online) == (2318, 2100, 218)
    assert progress.percent == Decimal("7.7")  # 2,318 / 30,000 = 7.73 %
    assert drive_line(progress) == "請願署名は累計2,318筆（目標3万筆の7.7%）"


def test_a_drive_without_a_goal_has_a_total_but_no_share_nor_pace() -> None:
    drive = Drive("介護署名", deadlines=parse_deadlines(
        ["2027/1/31"], DeadlineRules())[0])
    batch = Batch("介護署名", "医療生協", date(2026, 12, 1), paper=40)
    progress = drive_progress(drive, [batch], [], today=date(2026, 12, 2))
    assert progress.percent is None and progress.remaining is None
    assert progress.ahead is not None and progress.ahead.pace_per_day is None
    assert drive_line(progress) == "介護署名は累計40筆"


# --- pace --------------------------------------------------------------------

def test_the_pace_is_what_is_still_needed_over_the_days_left_to_the_next_deadline() -> None:
    ahead = petition(today=date(2026, 12, 1)).ahead
    assert ahead is not None and ahead.deadline.label == "一次集約"
    assert ahead.deadline.date == date(2026, 12, 31)
    # 1 to 31 December, both days counted: 27,682 signatures over 31 days
    assert (ahead.days, ahead.remaining, ahead.pace_per_day) == (31, 27682, Decimal("893.0"))


def test_after_the_first_deadline_the_pace_aims_at_the_next() -> None:
    ahead = petition(today=date(2027, 1, 1)).ahead
    assert ahead is not None and ahead.deadline.label == "最終集約"
    assert (ahead.deadline.date, ahead.days) == (date(2027, 2, 28), 59)
    assert ahead.pace_per_day == Decimal("469.2")  # 27,682 / 59 = 469.19


def test_on_the_deadline_day_everything_still_needed_is_needed_today() -> None:
    ahead = petition(today=date(2026, 12, 31)).ahead
    assert ahead is not None and ahead.days == 1 and ahead.pace_per_day == Decimal(27682)


def test_once_every_deadline_is_past_there_is_no_pace() -> None:
    assert petition(today=date(2027, 3, 1)).ahead is None


def test_a_goal_reached_needs_no_more_a_day() -> None:
    drive = Drive("小さな署名", goal=100, deadlines=parse_deadlines(
        ["2027/1/31"], DeadlineRules())[0])
    progress = drive_progress(drive, [Batch("小さな署名", "協会", date(2026, 12, 1), paper=130)],
                              [], today=date(2026, 12, 2))
    assert progress.remaining == 0 and progress.percent == Decimal("130.0")
    assert progress.ahead is not None and progress.ahead.pace_per_day == 0


# --- counting batches and actions once ---------------------------------------

def test_a_batch_holding_what_actions_collected_is_not_counted_twice() -> None:
    progress = petition()
    # actions: 118 (a sentence naming 請願) + 82 (a 成果 row) = 200; the cancelled
    # action's 500 do not count. 医療生協's batch says 150 of its 1,200 were those.
    assert progress.at_actions == 200 and progress.counted_in_batches == 150
    assert progress.handed_in == 1200 + 218 + 850
    assert progress.total == progress.handed_in + (200 - 150)
    assert [(s.name, s.total, s.at_actions) for s in progress.by_org] == [
        ("県医療生活協同組合", 1418, False), ("県保険医協会", 850, False),
        ("行動で集めた分", 50, True)]
    assert sum(s.total for s in progress.by_org) == progress.total


def test_by_month_adds_up_to_the_total_paper_and_online_apart() -> None:
    drive = Drive("請願署名", goal=30000)
    batches = [Batch("請願署名", "医療生協", date(2026, 11, 20), paper=300, online=20,
                     from_actions=100),
               Batch("請願署名", "協会", date(2026, 12, 2), paper=50, online=5)]
    collected = [Collected("請願署名", "st1", date(2026, 11, 4), 120),
                 Collected("請願署名", "st9", date(2026, 12, 10), 30)]
    progress = drive_progress(drive, batches, collected)
    assert [(m.month, m.total, m.paper, m.online, m.cumulative) for m in progress.by_month] == [
        ("2026-11", 340, 320, 20, 340), ("2026-12", 85, 80, 5, 425)]
    assert progress.total == 425 and (progress.paper, progress.online) == (400, 25)


def test_a_batch_claiming_more_from_actions_than_they_counted_is_warned_about() -> None:
    drive = Drive("請願署名")
    batch = Batch("請願署名", "協会", date(2026, 11, 20), paper=300, from_actions=80, row=7)
    progress = drive_progress(drive, [batch], [Collected("請願署名", "st1", date(2026, 11, 4), 50)])
    assert progress.total == 300  # the 50 are inside the batch; 30 more cannot be found
    assert [(s.missing, s.available) for s in progress.shortfalls] == [(30, 50)]


# --- names that are not a drive ----------------------------------------------

def test_an_unknown_drive_name_in_a_batch_is_an_error_suggesting_the_closest() -> None:
    _loaded, _ledger, problems = winter()
    unknown = [p for p in problems if p.code == "drive.unknown"]
    assert [(p.sheet, p.cell, p.severity.value) for p in unknown] == [
        ("署名集約", "A4", "error")]
    message = render_message(unknown[0].code, unknown[0].params)
    assert "「請願著名」" in message and "「請願署名」のことですか？" in message
    english = render_message(unknown[0].code, unknown[0].params, "en")
    assert "Did you mean '請願署名'?" in english


def test_a_result_label_naming_no_drive_is_warned_with_the_closest_and_not_counted() -> None:
    _loaded, ledger, problems = winter()
    warned = [p for p in problems if p.code == "drive.unknown_in_results"]
    assert [(p.sheet, p.cell) for p in warned] == [("成果", "C4")]
    assert "「請願署名」のことですか？" in render_message(warned[0].code, warned[0].params)
    assert {c.event_id for c in ledger.collected} == {"st1", "st2"}


def test_signatures_without_a_label_count_toward_no_drive_and_raise_nothing() -> None:
    _loaded, ledger, problems = winter()
    assert all(c.value != 12 for c in ledger.collected)
    assert not [p for p in problems if p.params.get("value") == ""]


# --- deadlines -----------------------------------------------------------------

def test_deadlines_without_a_year_follow_the_start_and_each_other() -> None:
    deadlines, errors = parse_deadlines(
        ["一次集約 12月末", "最終集約 2月末", "4/30"], DeadlineRules(start=date(2026, 10, 1)))
    assert not errors
    assert [(d.label, d.date) for d in deadlines] == [
        ("一次集約", date(2026, 12, 31)), ("最終集約", date(2027, 2, 28)),
        (None, date(2027, 4, 30))]


def test_a_deadline_before_the_start_in_the_calendar_year_falls_in_the_next() -> None:
    deadlines, _ = parse_deadlines(["一次集約 1月末"], DeadlineRules(start=date(2026, 10, 1)))
    assert deadlines[0].date == date(2027, 1, 31)


def test_a_leap_day_deadline_waits_for_a_year_that_has_one() -> None:
    deadlines, _ = parse_deadlines(["2月29日"], DeadlineRules(start=date(2026, 10, 1)))
    assert deadlines[0].date == date(2028, 2, 29)


def test_a_deadline_with_no_year_and_nothing_to_place_it_after_is_a_problem() -> None:
    deadlines, errors = parse_deadlines(["1月末", "2027/3/31"], DeadlineRules())
    assert [e.code for e in errors] == ["drive.deadline_no_year"]
    assert [d.date for d in deadlines] == [date(2027, 3, 31)]  # the other one stays


def test_drives_json_has_the_spec_shape() -> None:
    progress = petition()
    payload = json.loads(drives_json([progress], date(2026, 12, 1)))
    drive = payload["drives"][0]
    assert {k: drive[k] for k in ("name", "goal", "total", "paper", "online", "percent",
                                  "pace_per_day")} == {
        "name": "請願署名", "goal": 30000, "total": 2318, "paper": 2100, "online": 218,
        "percent": 7.7, "pace_per_day": 893.0}
    assert drive["deadlines"] == [{"label": "一次集約", "date": "2026-12-31"},
                                  {"label": "最終集約", "date": "2027-02-28"}]
    assert drive["by_org"][0] == {"org": "県医療生活協同組合", "total": 1418, "paper": 1200,
                                  "online": 218, "at_actions": False}


def test_an_actions_sentence_ends_with_its_drives_total_up_to_that_day() -> None:
    from campaign_sheets.rollup.sentence_of import SentenceContext, sentence_of

    loaded, ledger, _problems = winter()
    workbook = loaded.workbook
    records = collect_records(workbook)
    context = SentenceContext(actions=workbook.actions, drives=ledger)
    # on 4 November only the 118 signatures of that morning had been counted
    assert sentence_of("st1", records, workbook.orgs, context).endswith(
        "「請願」署名118筆でした。請願署名は累計118筆（目標3万筆の0.4%）。")
    assert "累計" not in sentence_of("st1", records, workbook.orgs)
