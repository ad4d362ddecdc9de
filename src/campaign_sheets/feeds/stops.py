"""A caravan's stops in the calendars: the route in the caravan's own VEVENT, and one
VEVENT per stop for the feeds of the municipalities (``towns/<code>.ics``).

A stop's UID is ``<event ID>.stop-<key>@<uid_domain>``, its key the municipality's
code (``-2`` for a second stop in the same town, see
:func:`campaign_sheets.geo.stop_keys`): moving or renumbering 行程 rows keeps every
UID. Action IDs hold no ``.``, so no stop UID is ever an action's. A stop's content
hash covers what its VEVENT shows (not the head-count: a count reported afterwards
does not make calendars update); the caravan's own hash covers its route.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Event

from ..core.audience import Audience, view_for
from ..core.model import Action, Status, Stop, kind_label
from ..geo import register, stop_keys
from ..parsing.dates import format_date
from ..parsing.times import TimeRange, format_time_range
from .event import FORMAT_VERSION, ROUTE_SECTIONS, FeedSettings, feed_text, text_digest, uid_of


@dataclass(frozen=True)
class KeyedStop:
    """A stop with its key, unique within its action (``143413``, ``143413-2``)."""

    key: str
    stop: Stop


def keyed(stops: Sequence[Stop]) -> tuple[KeyedStop, ...]:
    """One action's stops (in route order) with their keys."""
    return tuple(KeyedStop(k, s) for k, s in zip(stop_keys(stops), stops, strict=True))


def state_key(action: Action, stop: KeyedStop) -> str:
    """The stop's key in the state store: ``<event ID>/<key>`` (IDs hold no ``/``)."""
    return f"{action.id}/{stop.key}"


def stop_uid(action: Action, stop: KeyedStop, settings: FeedSettings) -> str:
    """``<event ID>.stop-<key>@<uid_domain>``: fixed while the stop is in that town."""
    return f"{action.id}.stop-{stop.key}@{settings.uid_domain}"


def place_name(stop: Stop) -> str:
    """The municipality's name as the register writes it (``寒川町``), else as typed."""
    entry = register().by_code(stop.code)
    return entry.name if entry is not None else stop.municipality


def route_facts(stops: Sequence[KeyedStop]) -> list[Any]:
    """What the caravan's VEVENT says about its route, for its content hash."""
    return [text_digest(ROUTE_SECTIONS), [_facts(s) for s in stops]]


def _facts(keyed_stop: KeyedStop) -> list[Any]:
    s = keyed_stop.stop
    return [
        keyed_stop.key, s.code, s.date.isoformat() if s.date else None,
        s.start.isoformat() if s.start else None, s.end.isoformat() if s.end else None,
        s.venue, s.activity, s.note,
    ]


def stop_content_hash(
    action: Action, stop: KeyedStop, position: int, count: int, settings: FeedSettings
) -> str:
    """A hash of everything the stop's VEVENT tells any audience."""
    facts = [
        FORMAT_VERSION, text_digest(), text_digest(ROUTE_SECTIONS), settings.timezone,
        settings.uid_domain, settings.base_url, action.id, action.kind, action.title,
        action.date.isoformat(), action.last_date.isoformat(), action.status.value,
        action.visibility.value, position, count, _facts(stop),
    ]
    raw = json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def route_lines(action: Action, stops: Sequence[KeyedStop], audience: Audience) -> list[str]:
    """The caravan's route for its DESCRIPTION: a heading, then one line per stop with
    its day (for several days), time, municipality, venue and activity."""
    if not stops:
        return []
    texts = feed_text()["stop"]
    several = action.last_date != action.date
    lines = [f"{texts['route']}:"]
    for n, keyed_stop in enumerate(stops, start=1):
        s = keyed_stop.stop
        when = []
        if several and s.date is not None:
            when.append(format_date(s.date, "slash_md_weekday"))
        if s.start is not None:
            when.append(format_time_range(TimeRange(s.start, s.end), "colon"))
        place = " ".join(p for p in (place_name(s), s.venue) if p)
        activity = f"（{s.activity}）" if s.activity else ""
        note = f" {texts['note']}: {s.note}" if s.note and audience is Audience.MEMBERS else ""
        lines.append(f"{n}. " + " ".join([*when, place + activity]) + note)
    return lines


def render_stop_vevent(
    action: Action,
    stop: KeyedStop,
    position: int,
    count: int,
    audience: Audience,
    settings: FeedSettings,
    sequence: int,
    stamp: datetime,
) -> bytes:
    """The serialized VEVENT of one stop of ``action`` as ``audience`` may see it."""
    act = view_for(action, audience)
    texts, stop_texts = feed_text(), feed_text()["stop"]
    s = stop.stop
    event = Event()
    event.add("uid", stop_uid(act, stop, settings))
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence)
    place = stop_texts["place_separator"].join(p for p in (place_name(s), s.activity) if p)
    summary = stop_texts["summary"].format(title=act.title, place=place)
    event.add("summary", texts["prefix"].get(act.status.value, "") + summary)
    status = {Status.CANCELLED: "CANCELLED", Status.POSTPONED: "TENTATIVE"}.get(
        act.status, "CONFIRMED"
    )
    event.add("status", status)
    start, end = _span(act, s, settings)
    event.add("dtstart", start)
    event.add("dtend", end)
    entry = register().by_code(s.code)
    town = entry.full_name if entry is not None else s.municipality
    event.add("location", "、".join(p for p in (s.venue, town) if p))
    event.add("description", _description(act, s, position, count, audience, settings))
    url = settings.page_url(act, audience)
    if url:
        event.add("url", url)
    category = kind_label(act.kind, unknown="")
    if category:
        event.add("categories", [category])
    event.add("related-to", uid_of(act, settings), parameters={"RELTYPE": "PARENT"})
    event.add("transp", "OPAQUE")
    data: bytes = event.to_ical()
    return data


def _span(
    act: Action, s: Stop, settings: FeedSettings
) -> tuple[date | datetime, date | datetime]:
    if s.date is None:
        # the sentence named the stop but not its day: every day of the caravan
        return act.date, act.last_date + timedelta(days=1)
    if s.start is None:
        return s.date, s.date + timedelta(days=1)
    start = datetime.combine(s.date, s.start, tzinfo=settings.zone)
    if s.end is None:
        return start, start + timedelta(hours=1)
    return start, datetime.combine(s.date, s.end, tzinfo=settings.zone)


def _description(
    act: Action, s: Stop, position: int, count: int, audience: Audience, settings: FeedSettings
) -> str:
    texts = feed_text()
    notes, labels, stop_texts = texts["note"], texts["label"], texts["stop"]
    lines: list[str] = []
    if act.status in (Status.CANCELLED, Status.POSTPONED):
        lines.append(notes[act.status.value])
    if s.start is not None and s.end is None:
        lines.append(notes["end_unknown"])
    lines.append(stop_texts["part_of"].format(title=act.title, position=position, count=count))
    if s.activity:
        lines.append(f"{stop_texts['activity']}: {s.activity}")
    if s.note and audience is Audience.MEMBERS:
        lines.append(f"{stop_texts['note']}: {s.note}")
    page = settings.page_url(act, audience)
    if page:
        lines.append(f"{labels['page']}: {page}")
    return "\n".join(lines)
