"""A caravan's route: the 行程 tab as organisers fill it, and the stops its report
sentence names, put together without losing or silently "fixing" anything."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

import caravan_support as cs
from campaign_sheets.core.model import Action, Stop, Workbook
from campaign_sheets.geo import merge_sentence_stops, ordered_stops, stop_keys
from campaign_sheets.load import load_workbook
from campaign_sheets.report import ParsedReport, StopEntry
from campaign_sheets.rollup.records import collect_records


def _route(workbook: Workbook, event: str = "cv-2") -> list[tuple[str, date | None, int | None]]:
    return [(s.code, s.date, s.people) for s in workbook.stops if s.event_id == event]


def test_a_two_day_route_is_read_with_blank_days_following_the_stop_before() -> None:
    workbook, problems = cs.two_day_workbook()
    assert [p for p in problems if p.severity.value == "error"] == []
    first, second = cs.FIRST, cs.SECOND
    assert _route(workbook) == [
        ("143219", first, 8), ("142077", first, 6), ("142051", first, 7), ("141003", first, 10),
        ("144011", second, 5), ("144029", second, 3), ("142123", second, 9),
        ("142123", second, 6),
    ]
    stop = workbook.stops[0]
    assert (stop.start, stop.end, stop.venue, stop.activity, stop.note, stop.row) == (
        time(9, 30), time(10, 30), "寒川町役場", "懇談", "町長が同席", 2)
    # as typed: 茅ヶ崎 is the short form, 142123 a code
    assert [s.municipality for s in workbook.stops][1::6] == ["茅ヶ崎", "142123"]


def test_on_a_one_day_caravan_the_second_days_stops_are_errors_at_their_date_cell() -> None:
    one_day = {**cs.TABS, "行動": cs.one_day_tabs()["行動"]}
    loaded = load_workbook(cs.tables(one_day), cs.config())
    outside = [p for p in loaded.problems if p.code == "stop.outside_caravan"]
    # only the first typed date is reported: the blank ones below it follow it
    assert [p.location for p in outside] == ["行程!D6"]
    assert "2026年10月21日" in outside[0].message() and "10月20日～21日" in outside[0].message()
    assert "2026-10-21" in outside[0].message("en")
    # the rows that followed it take its day, so they are out of the caravan too, unchecked
    assert len(_route(loaded.workbook)) == 7


def _stops_with_dates(*days: str) -> dict[str, list[list[Any]]]:
    rows = [cs.TABS["行程"][0]]
    for n, day in enumerate(days, start=1):
        rows.append(["cv-2", n, "寒川町", day, "", "", "", "", ""])
    return {**cs.TABS, "行程": rows}


def test_a_stop_before_its_caravan_or_after_its_last_day_is_an_error() -> None:
    workbook, problems = cs.two_day_workbook(_stops_with_dates(
        "2026-10-19", "2026-10-20", "2026-10-21", "2026-10-22"))
    codes = [(p.location, p.code) for p in problems if p.sheet == "行程"]
    assert codes == [("行程!D2", "stop.before_caravan"), ("行程!D5", "stop.outside_caravan")]
    assert [s.date for s in workbook.stops] == [cs.FIRST, cs.SECOND]
    assert "2026年10月20日～2026年10月21日" in next(
        p for p in problems if p.code == "stop.outside_caravan").message()


def test_rows_are_listed_by_day_and_order_whatever_their_place_in_the_sheet() -> None:
    rows = cs.TABS["行程"]
    shuffled = {**cs.TABS, "行程": [rows[0], *reversed(rows[1:])]}
    # a blank date follows the stop before it on the route (by 順), not in the sheet
    again, _ = cs.two_day_workbook(shuffled)
    first, _ = cs.two_day_workbook()
    assert _route(again) == _route(first)


def test_a_stop_of_an_action_that_is_not_a_caravan_is_kept_with_a_warning() -> None:
    tabs = {**cs.TABS, "行程": [cs.TABS["行程"][0],
                                ["st-1", 1, "藤沢市", "", "12:00～13:00", "", "宣伝", 7, ""]]}
    loaded = load_workbook(cs.tables(tabs), cs.config())
    [warning] = [p for p in loaded.problems if p.code == "stop.not_caravan"]
    assert (warning.location, warning.severity.value) == ("行程!A2", "warning")
    assert _route(loaded.workbook, "st-1") == [("142051", date(2026, 10, 24), 7)]


def test_the_sentence_counts_that_differ_from_the_route_are_warnings_naming_both_cells() -> None:
    workbook, _ = cs.two_day_workbook()
    records = collect_records(workbook, parse=cs.reader)
    differs = [p for p in records.problems if p.code == "stop.count_differs"]
    assert [(p.location, p.severity.value) for p in differs] == [
        ("行程!H7", "warning"), ("行程!H9", "warning")]
    kiyokawa, station = (p.message() for p in differs)
    assert "清川村" in kiyokawa and "3人" in kiyokawa and "4人" in kiyokawa
    assert "行程!H7" in kiyokawa and "行動!J2" in kiyokawa
    assert "本厚木駅前" in station and "6人" in station and "7人" in station
    assert "stops tab (行程!H9)" in differs[1].message("en")
    # the route's counts win; nothing is added or lost
    assert [s.people for s in records.stops_of("cv-2")] == [8, 6, 7, 10, 5, 3, 9, 6]
    assert all(s.source == "tab" for s in records.stops_of("cv-2"))


def test_a_stop_only_the_sentence_names_becomes_a_stop_of_its_own() -> None:
    action = Action("cv", "caravan", "キャラバン", date(2026, 10, 20), row=4)
    tabbed = (Stop("cv", "143219", "寒川町", order=1, date=date(2026, 10, 20), people=None,
                   row=2),)
    said = (StopEntry("寒川町", people=8, more=True, activity="懇談"),
            StopEntry("大磯町", people=3, activity="宣伝", venue="大磯駅前"),
            StopEntry("大礒", people=2))
    merged = merge_sentence_stops(action, tabbed, said, "14")
    samukawa, oiso = merged.stops
    # a blank count and activity are filled from the sentence
    assert (samukawa.people, samukawa.more, samukawa.activity, samukawa.source) == (
        8, True, "懇談", "tab")
    assert (oiso.code, oiso.date, oiso.people, oiso.venue, oiso.source, oiso.row) == (
        "143413", date(2026, 10, 20), 3, "大磯駅前", "report", 4)
    [unresolved] = merged.unresolved
    assert unresolved.resolution.suggestion == "大磯町"
    # on a caravan of several days the sentence does not say which day
    two_days = merge_sentence_stops(replace(action, end_date=date(2026, 10, 21)), (), said[1:2],
                                    "14")
    assert two_days.stops[0].date is None


def test_a_sentence_stop_finds_its_row_by_venue_then_activity() -> None:
    action = Action("cv", "caravan", "キャラバン", date(2026, 10, 20))
    hall = Stop("cv", "142123", "厚木市", order=1, date=action.date, venue="厚木市役所",
                activity="懇談", people=9, row=2)
    station = Stop("cv", "142123", "厚木市", order=2, date=action.date, venue="本厚木駅前",
                   activity="宣伝", people=6, row=3)
    said = (StopEntry("厚木市", people=6, venue="本厚木駅前"),
            StopEntry("厚木市", people=9, activity="懇談"))
    merged = merge_sentence_stops(action, (hall, station), said, "14")
    assert merged.conflicts == () and len(merged.stops) == 2


def test_an_unknown_town_in_the_sentence_is_a_warning_at_the_sentence() -> None:
    workbook, _ = cs.two_day_workbook()
    said = ParsedReport(stops=(StopEntry("寒河町", people=2),))
    records = collect_records(workbook, parse=lambda _text: said)
    [warning] = [p for p in records.problems if p.code == "stop.sentence_unresolved"]
    assert warning.location == "行動!J2" and "寒川町" in warning.message()


def test_a_stops_key_is_its_town_and_survives_reordering() -> None:
    workbook, _ = cs.two_day_workbook()
    route = [s for s in workbook.stops if s.event_id == "cv-2"]
    keys = stop_keys(route)
    assert keys[-2:] == ["142123", "142123-2"]
    dropped = [s for s in route if s.code != "142077"]
    # a stop removed elsewhere on the route leaves every other key as it was
    assert stop_keys(dropped) == [k for k in keys if k != "142077"]
    action = next(a for a in workbook.actions if a.id == "cv-2")
    assert ordered_stops(list(reversed(route)), action) == route


def test_attributed_rows_keep_their_municipality() -> None:
    workbook, _ = cs.two_day_workbook()
    assert [(p.org, p.municipality) for p in workbook.participation if p.event_id == "cv-2"] == [
        ("年金者組合", "144029")]
    assert [t.municipality for t in workbook.tallies] == ["142123", "143219", ""]
