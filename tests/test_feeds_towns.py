"""People in a town subscribe to ``towns/<code>.ics`` and see everything held there:
the caravan's hour in their town, the actions whose place is there; a caravan's own
event lists its whole route. Identities and bytes stay put from sync to sync."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

import caravan_support as cs
from campaign_sheets.core.model import Status, Workbook
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.feeds.build import FeedBuild, build_feeds
from campaign_sheets.publish.state import StateStore
from campaign_sheets.report import StopEntry
from campaign_sheets.rollup.records import collect_records

TOKYO = ZoneInfo("Asia/Tokyo")
MEMBERS = f"members/{cs.TOKEN}/"


def _build(workbook: Workbook, states: Any = None, now: datetime = cs.NOW) -> FeedBuild:
    ctx = BuildContext(cs.config(), workbook, cs.FIRST - timedelta(days=30),
                       members_token=cs.TOKEN, now=now)
    records = collect_records(workbook, parse=cs.reader)
    return build_feeds(ctx, states if states is not None else {}, records=records)


def _events(data: bytes) -> dict[str, Any]:
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_the_caravans_event_lists_its_route_with_days_times_and_places() -> None:
    workbook, _ = cs.two_day_workbook()
    files = _build(workbook).files
    caravan = _events(files["calendar.ics"])["cv-2@example.org"]
    lines = str(caravan["DESCRIPTION"]).split("\n")
    start = lines.index("行程:")
    assert lines[start + 1:start + 9] == [
        "1. 10/20(火) 9:30～10:30 寒川町 寒川町役場（懇談）",
        "2. 10/20(火) 11:00～12:00 茅ヶ崎市 茅ヶ崎市役所（懇談）",
        "3. 10/20(火) 13:30～14:30 藤沢市 藤沢市役所（懇談）",
        "4. 10/20(火) 15:30～16:30 横浜市 横浜市役所（懇談）",
        "5. 10/21(水) 9:30～10:30 愛川町 愛川町役場（懇談）",
        "6. 10/21(水) 11:00～11:45 清川村 清川村役場（懇談）",
        "7. 10/21(水) 13:30～14:30 厚木市 厚木市役所（懇談）",
        "8. 10/21(水) 15:00～16:00 厚木市 本厚木駅前（宣伝）",
    ]
    # the note (備考) is for members only
    assert "町長が同席" not in str(caravan["DESCRIPTION"])
    members = _events(files[MEMBERS + "calendar.ics"])["cv-2@example.org"]
    assert "1. 10/20(火) 9:30～10:30 寒川町 寒川町役場（懇談） 備考: 町長が同席" in str(
        members["DESCRIPTION"])


def test_every_stop_is_in_its_towns_feed_at_its_hour() -> None:
    workbook, _ = cs.two_day_workbook()
    files = _build(workbook).files
    samukawa = _events(files["towns/143219.ics"])
    stop = samukawa["cv-2.stop-143219@example.org"]
    assert str(stop["SUMMARY"]) == "自治体キャラバン 湘南・県央コース（寒川町・懇談）"
    assert stop["DTSTART"].dt == datetime(2026, 10, 20, 9, 30, tzinfo=TOKYO)
    assert stop["DTEND"].dt == datetime(2026, 10, 20, 10, 30, tzinfo=TOKYO)
    assert str(stop["LOCATION"]) == "寒川町役場、神奈川県寒川町"
    assert str(stop["RELATED-TO"]) == "cv-2@example.org"
    assert stop["RELATED-TO"].params["RELTYPE"] == "PARENT"
    assert "「自治体キャラバン 湘南・県央コース」の行程（1/8）です。" in str(stop["DESCRIPTION"])
    assert str(stop["URL"]) == "https://example.org/calendar/events/cv-2/"
    atsugi = _events(files["towns/142123.ics"])
    assert list(atsugi) == ["cv-2.stop-142123@example.org", "cv-2.stop-142123-2@example.org"]
    assert atsugi["cv-2.stop-142123-2@example.org"]["DTSTART"].dt.date() == cs.SECOND
    calendar = Calendar.from_ical(files["towns/143219.ics"])
    assert str(calendar["X-WR-CALNAME"]) == "県社保協 行動予定（寒川町の行動）"


def test_actions_are_in_the_feed_of_the_town_they_are_held_in_and_a_ward_in_its_city() -> None:
    workbook, _ = cs.two_day_workbook()
    files = _build(workbook).files
    fujisawa = _events(files["towns/142051.ics"])
    assert list(fujisawa) == ["cv-2.stop-142051@example.org", "st-1@example.org"]
    assert list(_events(files["towns/141046.ics"])) == ["ku-1@example.org"]
    yokohama = _events(files["towns/141003.ics"])
    assert list(yokohama) == ["cv-2.stop-141003@example.org", "ku-1@example.org"]
    towns = sorted(p for p in files if p.startswith("towns/"))
    assert towns == [f"towns/{c}.ics" for c in (
        "141003", "141046", "142051", "142077", "142123", "143219", "144011", "144029")]


def test_members_only_stops_and_notes_stay_in_the_members_tree() -> None:
    workbook, _ = cs.two_day_workbook()
    files = _build(workbook).files
    assert "towns/143413.ics" not in files
    oiso = _events(files[MEMBERS + "towns/143413.ics"])
    [stop] = oiso.values()
    assert "備考: 駐車場あり" in str(stop["DESCRIPTION"])
    for path, data in files.items():
        if not path.startswith("members/"):
            for private in ("駐車場あり", "町長が同席", "役員の下見"):
                assert private.encode() not in data, (path, private)


def test_the_feed_list_names_the_towns_feeds() -> None:
    workbook, _ = cs.two_day_workbook()
    feeds = json.loads(_build(workbook).files["feeds.json"])["feeds"]
    towns = [f for f in feeds if f["group"] == "town"]
    assert towns[0] == {
        "path": "towns/141003.ics", "group": "town", "name": "横浜市",
        "title": "県社保協 行動予定（横浜市の行動）", "count": 2,
        "url": "https://example.org/calendar/towns/141003.ics",
        "webcal": "webcal://example.org/calendar/towns/141003.ics",
    }
    assert [f["name"] for f in towns][-3:] == ["寒川町", "愛川町", "清川村"]


def test_moving_rows_in_the_sheet_changes_no_byte() -> None:
    rows = cs.TABS["行程"]
    shuffled = {**cs.TABS, "行程": [rows[0], *reversed(rows[1:])]}
    first, _ = cs.two_day_workbook()
    again, _ = cs.two_day_workbook(shuffled)
    assert _build(first).files == _build(again).files


def _stop_time(tabs: dict[str, list[list[Any]]], row: int, value: str) -> dict[str, Any]:
    rows = [list(r) for r in tabs["行程"]]
    rows[row][4] = value
    return {**tabs, "行程": rows}


def test_a_changed_stop_raises_its_sequence_and_the_caravans_and_no_other(
    tmp_path: Path,
) -> None:
    store = StateStore(tmp_path / "state.sqlite")
    workbook, _ = cs.two_day_workbook()
    first = _build(workbook)
    store.save(first.events)
    again = _build(workbook, store.load(), now=cs.NOW + timedelta(days=1))
    assert again.files == first.files
    moved, _ = cs.two_day_workbook(_stop_time(cs.TABS, 6, "11:15～12:00"))
    later = cs.NOW + timedelta(days=2)
    changed = _build(moved, store.load(), now=later)
    stop = _events(changed.files["towns/144029.ics"])["cv-2.stop-144029@example.org"]
    assert (stop["SEQUENCE"], stop["DTSTAMP"].dt) == (1, later)
    assert stop["DTSTART"].dt.time() == time(11, 15)
    assert _events(changed.files["calendar.ics"])["cv-2@example.org"]["SEQUENCE"] == 1
    assert changed.files["towns/143219.ics"] == first.files["towns/143219.ics"]
    assert changed.files["towns/142051.ics"] == first.files["towns/142051.ics"]
    assert set(changed.events.stops) == set(first.events.stops)


def test_a_count_reported_afterwards_changes_no_calendar() -> None:
    workbook, _ = cs.two_day_workbook()
    rows = [list(r) for r in cs.TABS["行程"]]
    rows[1][7] = 12
    counted, _ = cs.two_day_workbook({**cs.TABS, "行程": rows})
    assert _build(counted).files == _build(workbook).files


def test_a_cancelled_caravans_stops_are_cancelled_in_every_town() -> None:
    workbook, _ = cs.two_day_workbook()
    cancelled = replace(workbook, actions=tuple(
        replace(a, status=Status.CANCELLED) if a.id == "cv-2" else a for a in workbook.actions))
    files = _build(cancelled).files
    stop = _events(files["towns/144011.ics"])["cv-2.stop-144011@example.org"]
    assert str(stop["STATUS"]) == "CANCELLED"
    assert str(stop["SUMMARY"]).startswith("【中止】")


def test_a_stop_only_the_sentence_names_spans_the_caravans_days_in_its_town() -> None:
    workbook, _ = cs.two_day_workbook()
    said = replace(cs.SAID, stops=(*cs.SAID.stops, StopEntry("大磯町", people=3)))
    ctx = BuildContext(cs.config(), workbook, cs.FIRST, now=cs.NOW)
    records = collect_records(workbook, parse=lambda _text: said)
    files = build_feeds(ctx, {}, records=records).files
    [stop] = _events(files["towns/143413.ics"]).values()
    assert (stop["DTSTART"].dt, stop["DTEND"].dt) == (cs.FIRST, cs.SECOND + timedelta(days=1))
    assert "9. 大磯町" in str(_events(files["calendar.ics"])["cv-2@example.org"]["DESCRIPTION"])
