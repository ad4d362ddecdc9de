"""A caravan of two days reaches members' calendars as one event over both days."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from campaign_sheets.core.model import Action, Status
from campaign_sheets.feeds.build import build_feeds
from campaign_sheets.publish.state import action_from_json, action_to_json
from feed_support import context

TOKYO = ZoneInfo("Asia/Tokyo")
CARAVAN = Action(
    id="caravan-1112", kind="caravan", title="自治体キャラバン 県西コース",
    date=date(2025, 11, 12), end_date=date(2025, 11, 13), venue="小田原市役所",
)
TIMED = Action(
    id="caravan-1119", kind="caravan", title="自治体キャラバン 県央コース",
    date=date(2025, 11, 19), end_date=date(2025, 11, 21), start=time(10, 0), end=time(16, 0),
)
YEAR_END = Action(
    id="soudan-1228", kind="consultation", title="年末年始なんでも相談会",
    date=date(2025, 12, 28), end_date=date(2026, 1, 4),
)
OPEN_END = Action(
    id="soudan-1201", kind="consultation", title="電話相談（終了未定）",
    date=date(2025, 12, 1), end_date=date(2025, 12, 2), start=time(13, 0),
)
RANGES = (CARAVAN, TIMED, YEAR_END, OPEN_END)


def _feed(actions: tuple[Action, ...] = RANGES) -> bytes:
    return build_feeds(context(actions), {}).files["calendar.ics"]


def _event(uid: str, data: bytes | None = None) -> Any:
    cal = Calendar.from_ical(data or _feed())
    return next(e for e in cal.walk("VEVENT") if str(e["UID"]) == f"{uid}@example.org")


def _on(day: date, uid: str) -> list[Any]:
    """The occurrences of ``uid`` a client shows on ``day``."""
    cal = Calendar.from_ical(_feed())
    return [e for e in recurring_ical_events.of(cal).at(day)
            if str(e["UID"]) == f"{uid}@example.org"]


def test_an_all_day_range_runs_from_its_first_day_to_the_day_after_its_last() -> None:
    data = _feed().replace(b"\r\n ", b"")
    assert b"DTSTART;VALUE=DATE:20251112\r\nDTEND;VALUE=DATE:20251114\r\n" in data
    event = _event("caravan-1112")
    assert "RRULE" not in event
    assert _on(date(2025, 11, 12), "caravan-1112") and _on(date(2025, 11, 13), "caravan-1112")
    assert not _on(date(2025, 11, 11), "caravan-1112")
    assert not _on(date(2025, 11, 14), "caravan-1112")  # DTEND is exclusive


def test_a_range_across_the_year_end_ends_on_the_fifth_of_january_exclusive() -> None:
    event = _event("soudan-1228")
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (date(2025, 12, 28), date(2026, 1, 5))
    assert _on(date(2026, 1, 4), "soudan-1228") and not _on(date(2026, 1, 5), "soudan-1228")


def test_a_timed_range_shows_its_hours_on_each_day_under_one_uid() -> None:
    event = _event("caravan-1119")
    assert event["DTSTART"].dt == datetime(2025, 11, 19, 10, 0, tzinfo=TOKYO)
    assert event["DTEND"].dt == datetime(2025, 11, 19, 16, 0, tzinfo=TOKYO)
    assert event["RRULE"].to_ical() == b"FREQ=DAILY;COUNT=3"
    cal = Calendar.from_ical(_feed())
    days = [e for e in recurring_ical_events.of(cal).between(date(2025, 11, 1), date(2025, 12, 1))
            if str(e["UID"]) == "caravan-1119@example.org"]
    assert [(e["DTSTART"].dt, e["DTEND"].dt) for e in days] == [
        (datetime(2025, 11, d, 10, 0, tzinfo=TOKYO), datetime(2025, 11, d, 16, 0, tzinfo=TOKYO))
        for d in (19, 20, 21)
    ]
    assert not _on(date(2025, 11, 22), "caravan-1119")


def test_a_range_with_a_start_only_shows_an_hour_each_day_and_says_the_end_is_open() -> None:
    event = _event("soudan-1201")
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(hours=1)
    assert event["RRULE"].to_ical() == b"FREQ=DAILY;COUNT=2"
    assert "終了時刻は未定" in str(event["DESCRIPTION"])


def test_a_cancelled_range_stays_marked_over_its_days() -> None:
    data = _feed((replace(TIMED, status=Status.CANCELLED),))
    event = _event("caravan-1119", data)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("【中止】")
    assert event["RRULE"].to_ical() == b"FREQ=DAILY;COUNT=3"


def test_changing_the_range_raises_the_sequence_and_an_unchanged_range_stays_identical() -> None:
    first = build_feeds(context(RANGES), {})
    later = datetime(2025, 2, 1, tzinfo=UTC)
    same = build_feeds(context(RANGES, now=later), first.events)
    assert same.files == first.files
    longer = tuple(replace(a, end_date=date(2025, 11, 14)) if a is CARAVAN else a
                   for a in RANGES)
    moved = build_feeds(context(longer, now=later), first.events)
    assert moved.events["caravan-1112"].sequence == 1
    assert {key: s.sequence for key, s in moved.events.items() if key != "caravan-1112"} == {
        "caravan-1119": 0, "soudan-1228": 0, "soudan-1201": 0,
    }
    assert b"DTEND;VALUE=DATE:20251115" in moved.files["calendar.ics"]
    one_day = tuple(replace(a, end_date=None) if a is CARAVAN else a for a in RANGES)
    shortened = build_feeds(context(one_day, now=later), first.events)
    assert shortened.events["caravan-1112"].sequence == 1


def test_the_state_store_keeps_the_last_day_of_a_range() -> None:
    for action in RANGES:
        data = action_to_json(action)
        assert data["end_date"] == action.end_date.isoformat()  # type: ignore[union-attr]
        assert action_from_json(data) == action
    one_day = action_to_json(replace(CARAVAN, end_date=None))
    assert one_day["end_date"] is None
    assert action_from_json({k: v for k, v in one_day.items() if k != "end_date"}).end_date is None


def test_an_action_never_ends_on_or_before_its_first_day() -> None:
    for last in (CARAVAN.date, CARAVAN.date - timedelta(days=1)):
        with pytest.raises(ValueError, match="end_date"):
            replace(CARAVAN, end_date=last)
    assert (CARAVAN.last_date, CARAVAN.days) == (date(2025, 11, 13), 2)
    assert (replace(CARAVAN, end_date=None).last_date, replace(CARAVAN, end_date=None).days) == (
        CARAVAN.date, 1
    )
