"""The tracker as a roll-up sees it: for a period, the petitions in play with their
status, the coverage rows of the years concerned, and the counts — overall, per
prefecture and per municipality.

A period (``start``–``end``) keeps the petitions in play during it: submitted by its
end and not settled before its start; each stands as it stood at the end (later
stages left out). Coverage counts the fiscal years the period touches; without a
period, the configured fiscal year, else the latest year the tab has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ..geo import Municipality, register
from .model import Coverage, Tracker
from .summary import Summary, Tracked, summarise, track
from .vocabulary import status_styles


@dataclass(frozen=True)
class Progress:
    """What a roll-up of the tracker shows."""

    tracked: tuple[Tracked, ...]
    coverage: tuple[Coverage, ...]
    scope: tuple[Municipality, ...]
    years: tuple[int, ...]
    summary: Summary


@dataclass(frozen=True)
class PlaceRow:
    """One municipality (or prefecture) of a roll-up: its petitions and coverage."""

    place: Municipality
    petitions: int
    opinions: int
    stages: int
    adopted: int
    final: int
    carried_over: int
    rejected: int
    status: str
    met: date | None
    met_planned: date | None
    meeting: str | None
    answered: date | None
    confirmed: date | None
    tracked: tuple[Tracked, ...]


def fiscal_year_of(day: date) -> int:
    """The fiscal year (April–March) ``day`` falls in."""
    return day.year if day.month >= 4 else day.year - 1


def progress(
    tracker: Tracker,
    *,
    start: date | None = None,
    end: date | None = None,
    fiscal_year: int | None = None,
) -> Progress:
    """The roll-up of ``tracker`` over a period (see the module docstring)."""
    tracked = [t for t in track(tracker, until=end) if _in_play(t, start, end)]
    years = _years(tracker, start, end, fiscal_year)
    coverage = tuple(c for c in tracker.coverage if c.year in years)
    return Progress(
        tracked=tuple(tracked), coverage=coverage, scope=tracker.scope, years=years,
        summary=summarise(tracked, coverage if tracker.coverage else None, tracker.scope),
    )


def _in_play(item: Tracked, start: date | None, end: date | None) -> bool:
    submitted = item.petition.submitted
    if end is not None and submitted is not None and submitted > end:
        return False
    if end is not None and item.stages and submitted is None and item.stages[0].date > end:
        return False
    status = item.status
    return not (start is not None and status.final and status.date is not None
                and status.date < start)


def _years(
    tracker: Tracker, start: date | None, end: date | None, fiscal_year: int | None
) -> tuple[int, ...]:
    if start is not None or end is not None:
        present = [c.year for c in tracker.coverage]
        first = fiscal_year_of(start) if start else min(present, default=0)
        last = fiscal_year_of(end) if end else max(present, default=0)
        return tuple(range(first, last + 1))
    if fiscal_year is not None:
        return (fiscal_year,)
    latest = max((c.year for c in tracker.coverage), default=None)
    return () if latest is None else (latest,)


def place_status(tracked: Sequence[Tracked]) -> str:
    """A municipality's tile status: the most telling of its petitions' statuses."""
    styles = {t.status.style for t in tracked}
    return next((s.key for s in status_styles() if s.key in styles), "none")


def place_rows(view: Progress, *, every: bool = True) -> list[PlaceRow]:
    """A row per municipality: the prefecture's assembly first, then every one in scope
    (``every``) and any other named, in code order."""
    by_place: dict[str, list[Tracked]] = {}
    places: dict[str, Municipality] = {m.code: m for m in view.scope} if every else {}
    for item in view.tracked:
        by_place.setdefault(item.petition.place.code, []).append(item)
        places.setdefault(item.petition.place.code, item.petition.place)
    coverage: dict[str, list[Coverage]] = {}
    for row in view.coverage:
        coverage.setdefault(row.place.code, []).append(row)
        places.setdefault(row.place.code, row.place)
    return [_place_row(places[code], by_place.get(code, []), coverage.get(code, []))
            for code in sorted(places)]


def _place_row(place: Municipality, items: list[Tracked], rows: list[Coverage]) -> PlaceRow:
    petitions = [t for t in items if not t.petition.is_opinion]
    summary = summarise(petitions)
    opinions = summarise([t for t in items if t.petition.is_opinion]).opinions_adopted
    latest = max(rows, key=lambda c: c.year, default=None)
    return PlaceRow(
        place=place, petitions=len(petitions), opinions=opinions,
        stages=sum(len(t.stages) for t in items),
        adopted=summary.adopted_places, final=summary.adopted_final,
        carried_over=summary.carried_over, rejected=summary.rejected,
        status=place_status(items),
        met=_latest(c.held for c in rows), met_planned=_latest(c.planned for c in rows),
        meeting=latest.meeting if latest else None,
        answered=_latest(c.answered for c in rows), confirmed=_latest(c.confirmed for c in rows),
        tracked=tuple(items),
    )


def _latest(days: Iterable[date | None]) -> date | None:
    return max((d for d in days if d is not None), default=None)


def by_prefecture(view: Progress) -> list[tuple[Municipality, Summary]]:
    """Each prefecture the petitions or coverage name, with its own counts."""
    codes = sorted({t.petition.place.prefecture_code for t in view.tracked}
                   | {c.place.prefecture_code for c in view.coverage})
    out = []
    reg = register()
    for code in codes:
        prefecture = reg.prefecture_of(code)
        if prefecture is None:
            continue
        tracked = [t for t in view.tracked if t.petition.place.prefecture_code == code]
        coverage = [c for c in view.coverage if c.place.prefecture_code == code]
        scope = [m for m in view.scope if m.prefecture_code == code]
        summary = summarise(tracked, coverage if coverage or scope else None, scope)
        out.append((prefecture, summary))
    return out
