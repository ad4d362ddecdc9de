"""A caravan's stops: their order, their stable keys, and the stops its sentence names.

The 行程 tab gives stops with times and places; the 参加報告 sentence names them too
(``寒川町（8人参加）、愛川町（5人）で懇談``). :func:`merge_sentence_stops` puts the two
together: a stop the sentence names is matched to a 行程 row by municipality (and
venue, when the sentence gives one); the row's values win, a count that differs is
reported, and a stop only the sentence names becomes a stop of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time

from ..core.model import Action, Stop
from ..report.records import StopEntry
from .register import fold
from .resolve import Resolution, resolve

_NO_TIME = time(0)


def stop_day(stop: Stop, action: Action) -> date:
    """The day a stop is listed under: its own, else its caravan's first day."""
    return stop.date or action.date


def ordered_stops(stops: Iterable[Stop], action: Action) -> list[Stop]:
    """One action's stops in the order of the route: by day, then 順 (a row without one
    after those with), then time, then the 行程 row; stops only the sentence names
    come last, in the sentence's order."""
    return sorted(stops, key=lambda s: (
        s.source != "tab",
        stop_day(s, action),
        s.order is None,
        s.order or 0,
        s.start or _NO_TIME,
        s.row,
    ))


def stop_keys(stops: Sequence[Stop]) -> list[str]:
    """A key per stop of one action (in the order given), unique within the action:
    the municipality code, with ``-2``, ``-3`` … for a second and third stop in the
    same municipality.

    Made from the code rather than the 順 or the row, so moving rows, renumbering the
    route or adding a stop elsewhere keeps every other stop's identity (its UID in
    the calendars of the people subscribed to that town)."""
    seen: dict[str, int] = defaultdict(int)
    keys = []
    for stop in stops:
        seen[stop.code] += 1
        count = seen[stop.code]
        keys.append(stop.code if count == 1 else f"{stop.code}-{count}")
    return keys


@dataclass(frozen=True)
class CountConflict:
    """A 行程 row and the sentence give different head-counts for the same stop."""

    stop: Stop
    entry: StopEntry


@dataclass(frozen=True)
class UnresolvedStop:
    """A stop the sentence names whose municipality cannot be told."""

    entry: StopEntry
    resolution: Resolution


@dataclass(frozen=True)
class MergedStops:
    """An action's stops after the sentence's were added, and what did not fit."""

    stops: tuple[Stop, ...]
    conflicts: tuple[CountConflict, ...] = ()
    unresolved: tuple[UnresolvedStop, ...] = ()


def merge_sentence_stops(
    action: Action, tabbed: Sequence[Stop], said: Sequence[StopEntry], home: str | None
) -> MergedStops:
    """The stops of ``action``: its 行程 rows with what its sentence adds.

    A sentence stop matches the first unmatched row of its municipality (a row of the
    same venue first, when the sentence names one). The row's values win; a blank
    head-count or activity is filled from the sentence; a different count is a
    :class:`CountConflict`. A stop without a row becomes a ``source="report"`` stop on
    the caravan's day (``date=None`` for a caravan of several days: the sentence does
    not say which).
    """
    stops = list(tabbed)
    matched: set[int] = set()
    conflicts: list[CountConflict] = []
    unresolved: list[UnresolvedStop] = []
    for entry in said:
        code = entry.code
        if code is None:
            found = resolve(entry.municipality, home)
            if found.municipality is None:
                unresolved.append(UnresolvedStop(entry, found))
                continue
            code = found.municipality.code
        index = _match(stops, matched, code, entry)
        if index is None:
            stops.append(_sentence_stop(action, code, entry))
            matched.add(len(stops) - 1)
            continue
        matched.add(index)
        row = stops[index]
        if row.people is not None and entry.people is not None and row.people != entry.people:
            conflicts.append(CountConflict(row, entry))
        stops[index] = replace(
            row,
            people=entry.people if row.people is None else row.people,
            more=row.more or (row.people is None and entry.more),
            activity=row.activity or (entry.activity or ""),
        )
    return MergedStops(tuple(stops), tuple(conflicts), tuple(unresolved))


def _match(stops: Sequence[Stop], matched: set[int], code: str, entry: StopEntry) -> int | None:
    """The row a sentence stop is: same municipality; the same venue, else the same
    activity, else the first one left."""
    free = [i for i, s in enumerate(stops) if s.code == code and i not in matched]
    if entry.venue:
        wanted = fold(entry.venue)
        for i in free:
            have = fold(stops[i].venue)
            if have and (wanted in have or have in wanted):
                return i
    if entry.activity:
        for i in free:
            if fold(stops[i].activity) == fold(entry.activity):
                return i
    return free[0] if free else None


def _sentence_stop(action: Action, code: str, entry: StopEntry) -> Stop:
    return Stop(
        event_id=action.id,
        code=code,
        municipality=entry.municipality,
        date=action.date if action.end_date in (None, action.date) else None,
        venue=entry.venue or "",
        activity=entry.activity or "",
        people=entry.people,
        more=entry.more,
        source="report",
        row=action.row,
    )
