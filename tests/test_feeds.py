"""Members subscribe once and their calendar stays right: feed content, bytes and privacy."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from campaign_sheets.core.errors import ConfigError
from campaign_sheets.core.model import Action, Repetition, Status, Visibility
from campaign_sheets.feeds.build import build_feeds
from feed_support import GOLDEN, TOKEN, context, example_actions

TOKYO = ZoneInfo("Asia/Tokyo")
MEMBERS = f"members/{TOKEN}/"


def _files() -> dict[str, bytes]:
    return build_feeds(context(example_actions()), {}).files


def _events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _unfold(data: bytes) -> bytes:
    return data.replace(b"\r\n ", b"")


def test_monthly_station_action_falls_on_4th_14th_24th_at_tokyo_time() -> None:
    cal = Calendar.from_ical(_files()["calendar.ics"])
    found = [
        e for e in recurring_ical_events.of(cal).between(date(2025, 1, 1), date(2025, 3, 1))
        if str(e["UID"]) == "station-4@example.org"
    ]
    starts = sorted(e["DTSTART"].dt for e in found)
    # 14 January is skipped by EXDATE
    days = [date(2025, 1, 4), date(2025, 1, 24), date(2025, 2, 4), date(2025, 2, 14),
            date(2025, 2, 24)]
    assert starts == [datetime.combine(d, time(7, 30), tzinfo=TOKYO) for d in days]
    assert all(s.utcoffset() == timedelta(hours=9) for s in starts)
    assert all(e["DTEND"].dt - e["DTSTART"].dt == timedelta(hours=1) for e in found)


def test_weekly_all_day_consultation_stops_at_until_and_skips_exdate() -> None:
    cal = Calendar.from_ical(_files()["calendar.ics"])
    found = [
        e for e in recurring_ical_events.of(cal).between(date(2025, 2, 1), date(2025, 4, 1))
        if str(e["UID"]) == "consult-day@example.org"
    ]
    assert sorted(e["DTSTART"].dt for e in found) == [
        date(2025, 2, 8), date(2025, 2, 15), date(2025, 3, 1)
    ]
    assert b"EXDATE;VALUE=DATE:20250222" in _files()["calendar.ics"]


def test_every_feed_has_calendar_properties_and_one_timezone() -> None:
    for path, data in _files().items():
        if not path.endswith(".ics"):
            continue
        cal = Calendar.from_ical(data)
        assert "UID" not in cal, path
        assert cal.get("METHOD") in (None, "PUBLISH"), path
        assert str(cal["X-WR-CALNAME"]).startswith("県社保協 行動予定"), path
        assert str(cal["X-WR-TIMEZONE"]) == "Asia/Tokyo"
        lines = _unfold(data).split(b"\r\n")
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines, path
        assert b"X-PUBLISHED-TTL:PT6H" in lines, path
        assert b"PRODID:-//campaign-sheets//campaign-sheets feeds 1//JA" in lines
        assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"], path
        for event in cal.walk("VEVENT"):
            assert event["DTSTART"].params.get("TZID") in ("Asia/Tokyo", None)
            assert event["DTSTAMP"].dt.tzinfo is not None


def test_bytes_are_crlf_utf8_and_folded_on_character_boundaries() -> None:
    for path, data in _files().items():
        if not path.endswith(".ics"):
            continue
        assert not data.startswith(b"\xef\xbb\xbf"), path
        assert data.count(b"\n") == data.count(b"\r\n") and data.endswith(b"\r\n"), path
        for line in data.split(b"\r\n")[:-1]:
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # a fold inside a character would fail here
    long_text = _files()["calendar.ics"]
    assert long_text.count(b"\r\n ") > 5  # the long Japanese description was folded


def test_uid_is_the_sheet_id_and_events_start_at_sequence_zero() -> None:
    events = _events(_files()["calendar.ics"])
    assert "station-4@example.org" in events
    assert {int(e["SEQUENCE"]) for e in events.values()} == {0}  # type: ignore[index]


def test_cancelled_and_postponed_actions_stay_with_a_marked_title() -> None:
    events = _events(_files()["calendar.ics"])
    rally = events["rally-0215@example.org"]
    assert str(rally["SUMMARY"]).startswith("【中止】")  # type: ignore[index]
    assert str(rally["STATUS"]) == "CANCELLED"  # type: ignore[index]
    nego = events["nego-0220@example.org"]
    assert str(nego["SUMMARY"]) == "【延期】県との懇談"  # type: ignore[index]
    assert str(nego["STATUS"]) == "TENTATIVE"  # type: ignore[index]


def test_start_only_action_shows_one_hour_and_says_the_end_is_open() -> None:
    course = _events(_files()["calendar.ics"])["course-1@example.org"]
    start, end = course["DTSTART"].dt, course["DTEND"].dt  # type: ignore[index]
    assert start == datetime(2025, 2, 12, 18, 30, tzinfo=TOKYO)
    assert end - start == timedelta(hours=1)
    assert "終了時刻は未定" in str(course["DESCRIPTION"])  # type: ignore[index]


def test_all_day_action_ends_on_the_next_day_exclusive() -> None:
    data = _files()["calendar.ics"]
    nego = _events(data)["nego-0220@example.org"]
    assert nego["DTSTART"].dt == date(2025, 2, 20)  # type: ignore[index]
    assert nego["DTEND"].dt == date(2025, 2, 21)  # type: ignore[index]
    assert b"DTSTART;VALUE=DATE:20250220" in data


def test_description_location_url_and_category_carry_the_details() -> None:
    study = _events(_files()["calendar.ics"])["study-0301@example.org"]
    text = str(study["DESCRIPTION"])  # type: ignore[index]
    for part in ("講師: 山田花子", "参加申込: https://forms.example.org/r?id=study-0301",
                 "オンライン参加: https://zoom.example.org/j/123", "定員: 80",
                 "詳細: https://example.org/calendar/events/study-0301/"):
        assert part in text
    assert str(study["LOCATION"]) == "県民センター301、横浜市神奈川区鶴屋町2-24-2"  # type: ignore[index]
    assert str(study["URL"]) == "https://example.org/calendar/events/study-0301/"  # type: ignore[index]
    assert study["CATEGORIES"].cats == ["学習会"]  # type: ignore[index]


def test_tree_has_selection_feeds_event_files_and_feeds_json() -> None:
    files = _files()
    for path in ("calendar.ics", "kinds/street.ics", "kinds/study.ics",
                 "events/station-4/event.ics", "feeds.json", MEMBERS + "calendar.ics",
                 MEMBERS + "kinds/meeting.ics", MEMBERS + "events/meeting-0110/event.ics"):
        assert path in files, path
    assert any(p.startswith("orgs/") for p in files)
    assert any(p.startswith("series/") for p in files)
    assert any(p.startswith("regions/") for p in files)
    assert set(_events(files["kinds/street.ics"])) == {"station-4@example.org"}
    listing = json.loads(files["feeds.json"])
    first = listing["feeds"][0]
    assert first["url"] == "https://example.org/calendar/calendar.ics"
    assert first["webcal"] == "webcal://example.org/calendar/calendar.ics"
    assert {f["path"] for f in listing["feeds"]} <= set(files)
    members = json.loads(files[MEMBERS + "feeds.json"])
    assert members["feeds"][0]["url"] == f"https://example.org/calendar/{MEMBERS}calendar.ics"


def test_members_only_contact_and_private_stay_where_they_belong() -> None:
    files = _files()
    for path, data in files.items():
        flat = _unfold(data).decode("utf-8")
        assert "hearing-0305" not in flat and "非公開メモ" not in flat, path
        assert "080-9999-9999" not in flat, path
        if not path.startswith("members/"):
            assert "meeting-0110" not in flat, path
            assert "045-000-1111" not in flat and "090-0000-2222" not in flat, path
    members = _unfold(files[MEMBERS + "calendar.ics"]).decode("utf-8")
    assert "meeting-0110@example.org" in members and "090-0000-2222" in members
    assert "045-000-1111" in members


def test_without_a_token_there_is_no_members_tree() -> None:
    files = build_feeds(context(example_actions(), token=None), {}).files
    assert not any(p.startswith("members/") for p in files)
    assert "calendar.ics" in files


@pytest.mark.parametrize("token", ["short", "../../etc/passwd-xxxxxxxx", "token with spaces 123"])
def test_an_unsafe_members_token_is_a_configuration_error(token: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build_feeds(context(example_actions(), token=token), {})
    assert "CAMPAIGN_SHEETS_MEMBERS_TOKEN" in str(caught.value)


def test_an_unreadable_refresh_interval_is_a_configuration_error() -> None:
    ctx = context(example_actions())
    calendar = replace(ctx.config.calendar, refresh="6 hours")
    ctx = replace(ctx, config=replace(ctx.config, calendar=calendar))
    with pytest.raises(ConfigError) as caught:
        build_feeds(ctx, {})
    assert "calendar.refresh" in str(caught.value)


def test_same_sheet_gives_identical_bytes_in_any_row_order() -> None:
    actions = example_actions()
    first = build_feeds(context(actions), {})
    again = build_feeds(context(actions), first.events)
    shuffled = build_feeds(context(tuple(reversed(actions))), first.events)
    assert first.files == again.files == shuffled.files
    assert again.events == first.events


def test_editing_one_action_raises_only_its_sequence() -> None:
    actions = example_actions()
    first = build_feeds(context(actions), {})
    later = datetime(2025, 1, 20, 9, 15, 42, 123, tzinfo=UTC)
    edited = tuple(replace(a, venue="横浜駅東口") if a.id == "station-4" else a for a in actions)
    second = build_feeds(context(edited, now=later), first.events)
    assert second.events["station-4"].sequence == 1
    assert second.events["station-4"].stamp == later.replace(microsecond=0)
    assert {k: v for k, v in second.events.items() if k != "station-4"} == {
        k: v for k, v in first.events.items() if k != "station-4"
    }
    old, new = _events(first.files["calendar.ics"]), _events(second.files["calendar.ics"])
    assert int(new["station-4@example.org"]["SEQUENCE"]) == 1  # type: ignore[index]
    assert new["station-4@example.org"]["DTSTAMP"].dt == later.replace(microsecond=0)  # type: ignore[index]
    assert b"DTSTAMP:20250120T091542Z" in second.files["calendar.ics"]
    for uid in old:
        if uid != "station-4@example.org":
            assert old[uid].to_ical() == new[uid].to_ical()  # type: ignore[attr-defined]
    assert first.files["events/course-1/event.ics"] == second.files["events/course-1/event.ics"]
    assert first.files["kinds/study.ics"] == second.files["kinds/study.ics"]


def test_cancelling_keeps_the_uid_and_raises_the_sequence() -> None:
    actions = example_actions()
    first = build_feeds(context(actions), {})
    cancelled = tuple(replace(a, status=Status.CANCELLED) if a.id == "course-1" else a
                      for a in actions)
    second = build_feeds(context(cancelled), first.events)
    event = _events(second.files["calendar.ics"])["course-1@example.org"]
    assert int(event["SEQUENCE"]) == 1 and str(event["STATUS"]) == "CANCELLED"  # type: ignore[index]


def test_golden_feeds() -> None:
    """The whole tree for the example actions, byte for byte.

    Regenerate with CAMPAIGN_SHEETS_REGENERATE=1 after a deliberate change.
    """
    files = _files()
    if os.environ.get("CAMPAIGN_SHEETS_REGENERATE") == "1":
        for old in sorted(GOLDEN.rglob("*"), reverse=True):
            if old.is_file():
                old.unlink()
        for path, data in files.items():
            target = GOLDEN / path.replace(TOKEN, "TOKEN")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    golden = {
        p.relative_to(GOLDEN).as_posix().replace("TOKEN", TOKEN): p.read_bytes()
        for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert golden, "no golden files: run with CAMPAIGN_SHEETS_REGENERATE=1"
    assert sorted(files) == sorted(golden)
    for path, data in files.items():
        assert data == golden[path], path


# --- privacy over generated actions -------------------------------------------------

_VISIBILITY = st.sampled_from(list(Visibility))


@st.composite
def _actions(draw: st.DrawFn) -> tuple[Action, ...]:
    count = draw(st.integers(min_value=1, max_value=8))
    out = []
    for i in range(count):
        visibility = draw(_VISIBILITY)
        start = draw(st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)))
        out.append(Action(
            id=f"a{i}",
            kind=draw(st.sampled_from(["street", "study", "meeting", "rally"])),
            title=f"TITLE{visibility.value.upper()}{i}",
            date=draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))),
            start=start,
            contact=f"CONTACTX{i}" if draw(st.booleans()) else "",
            visibility=visibility,
            organizer=draw(st.sampled_from(["", "県社保協", "年金者組合"])),
            series=draw(st.sampled_from(["", "講座A"])),
            region=draw(st.sampled_from(["", "川崎"])),
            status=draw(st.sampled_from(list(Status))),
            repetition=draw(st.none() | st.just(Repetition("FREQ=WEEKLY", "毎週"))),
        ))
    return tuple(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_actions(), st.booleans())
def test_private_never_and_members_only_under_the_token(
    actions: tuple[Action, ...], with_token: bool
) -> None:
    files = build_feeds(context(actions, token=TOKEN if with_token else None), {}).files
    for path, data in files.items():
        flat = _unfold(data).decode("utf-8")
        assert "TITLEPRIVATE" not in flat
        for action in actions:
            if action.visibility is Visibility.PRIVATE:
                assert f"UID:{action.id}@" not in flat
                assert action.contact == "" or action.contact not in flat
        if not path.startswith("members/"):
            assert "TITLEMEMBERS" not in flat and "CONTACTX" not in flat, path
    assert any(p.startswith("members/") for p in files) == with_token
    if with_token:
        members = _unfold(files[MEMBERS + "calendar.ics"]).decode("utf-8")
        for action in actions:
            if action.visibility is not Visibility.PRIVATE:
                assert f"UID:{action.id}@example.org" in members
                assert action.contact in members

