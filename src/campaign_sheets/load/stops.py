"""Rows of the 行程 tab: one stop of a caravan each.

A stop's 日付 may be blank: it is then the day of the stop before it on the route
(by 順, else by row), or the caravan's first day. A typed date must be one of the
caravan's days. Stops of an action whose row has an error are kept, unchecked
against it, so the last good version of that action keeps its route.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time

from ..core.config import Config
from ..core.model import Action, Stop, kind_label
from ..geo import ordered_stops
from ..parsing.dates import WEEKDAYS_EN, format_date, parse_date, weekday_index, weekday_label
from ..parsing.times import TimeRange, parse_time_range
from .cells import RowReader, parse_count
from .municipality import municipality_cell
from .records import event_ref

#: The kind whose actions have stops.
CARAVAN = "caravan"


@dataclass(frozen=True)
class StopRules:
    """What reading a 行程 row needs besides the row: the configuration, the home
    prefecture's code, the actions by ID and every ID the 行動 tab holds."""

    config: Config
    home: str | None
    actions: Mapping[str, Action]
    known_ids: Collection[str]


def read_stop(r: RowReader, rules: StopRules) -> Stop | None:
    """One row of the 行程 tab, or ``None`` when a cell has an error (every cell is
    checked all the same)."""
    event_id = event_ref(r, rules.known_ids)
    place = municipality_cell(r, "municipality", rules.home)
    if not r.has("municipality"):
        r.required_text("municipality", "municipality")
    order = _order(r)
    action = rules.actions.get(event_id or "")
    day = _date(r, rules.config, action)
    times = _times(r)
    people = r.integer("people")
    venue, activity, note = (r.text(key) for key in ("venue", "activity", "note"))
    if action is not None and action.kind != CARAVAN:
        r.report("event", "stop.not_caravan", event=action.id, title=action.title,
                 kind=kind_label(action.kind))
    if r.failed or event_id is None or place is None:
        return None
    return Stop(
        event_id=event_id, code=place.code, municipality=r.text("municipality"), order=order,
        date=day, start=times.start, end=times.end, venue=venue, activity=activity,
        people=people, note=note, row=r.row,
    )


def complete_routes(
    stops: Sequence[Stop], actions: Mapping[str, Action]
) -> tuple[tuple[Stop, ...], list[tuple[Stop, Stop]]]:
    """Every stop with its day filled in, in route order per action (actions in the
    order they first appear), and the pairs of stops that share a 順."""
    by_event: dict[str, list[Stop]] = defaultdict(list)
    for stop in stops:
        by_event[stop.event_id].append(stop)
    out: list[Stop] = []
    duplicates: list[tuple[Stop, Stop]] = []
    for event_id, route in by_event.items():
        action = actions.get(event_id)
        first_day = action.date if action is not None else None
        # the route as typed (順, else rows) tells which stop a blank date follows
        typed = sorted(route, key=lambda s: (s.order is None, s.order or 0, s.row))
        day = first_day
        seen: dict[int, Stop] = {}
        filled = []
        for stop in typed:
            day = stop.date or day
            filled.append(replace(stop, date=day))
            if stop.order is not None:
                if stop.order in seen:
                    duplicates.append((seen[stop.order], stop))
                seen.setdefault(stop.order, stop)
        out += ordered_stops(filled, action) if action is not None else filled
    return tuple(out), duplicates


def _order(r: RowReader) -> int | None:
    value = r.value("order")
    if not r.has("order"):
        return None
    number = parse_count(value)
    if number is None:
        r.report("order", "stop.order_unreadable", value=r.text("order"))
    return number


def _date(r: RowReader, config: Config, action: Action | None) -> date | None:
    """The typed day of the stop (``None`` when blank), checked against the caravan's."""
    parsed = r.parsed("date", lambda v: parse_date(v, year=config.year,
                                                  fiscal_year=config.fiscal_year))
    if parsed is None:
        return None
    day = parsed.date
    if parsed.weekday_text:
        written = weekday_index(parsed.weekday_text)
        if written is not None and written != day.weekday():
            r.report(
                "date", "date.weekday_mismatch",
                date=format_date(day, "kanji"), date_iso=day.isoformat(), actual=weekday_label(day),
                actual_en=WEEKDAYS_EN[day.weekday()], written=parsed.weekday_text,
            )
    if action is not None and not action.date <= day <= action.last_date:
        code = "stop.before_caravan" if day < action.date else "stop.outside_caravan"
        r.report(
            "date", code, date=format_date(day, "kanji"), date_iso=day.isoformat(),
            event=action.id, title=action.title, first=format_date(action.date, "kanji"),
            first_iso=action.date.isoformat(), days=_days(action, "kanji"),
            days_iso=_days(action, "iso"),
        )
    return day


def _days(action: Action, style: str) -> str:
    first = format_date(action.date, style)
    if action.last_date == action.date:
        return first
    return f"{first}～{format_date(action.last_date, style)}"


def _times(r: RowReader) -> TimeRange:
    times = r.parsed("time", parse_time_range) or TimeRange(None, None)
    if times.start is not None and times.end is not None and times.end < times.start:
        r.report("time", "time.end_before_start", start=_hm(times.start), end=_hm(times.end))
        return TimeRange(times.start, None)
    return times


def _hm(value: time) -> str:
    return value.strftime("%H:%M")
