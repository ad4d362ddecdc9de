"""A report from plain values: the roll-up builds one before it calls ``render_report``.

``make_report`` adds the consistency warnings a parse of the same sentence would find,
so a report built here and the same report read back are equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from .checks import consistency_warnings
from .records import (
    BreakdownEntry,
    OptionEntry,
    ParsedReport,
    ParticipantEntry,
    Stated,
    StopEntry,
    TallyEntry,
    Venue,
)
from .towns import code_of

BreakdownLike = BreakdownEntry | tuple[str, int | None]


def participant(
    org: str,
    people: int | None = None,
    *,
    more: bool = False,
    approx: bool = False,
    breakdown: Mapping[str, int | None] | Iterable[BreakdownLike] = (),
) -> ParticipantEntry:
    """An organisation entry from plain values; ``breakdown`` may be a mapping or pairs."""
    pairs = breakdown.items() if isinstance(breakdown, Mapping) else breakdown
    entries = tuple(b if isinstance(b, BreakdownEntry) else BreakdownEntry(*b) for b in pairs)
    return ParticipantEntry(org=org, people=people, more=more, breakdown=entries, approx=approx)


def tally(
    item: str,
    value: int | None = None,
    *,
    label: str | None = None,
    unit: str | None = None,
    options: Mapping[str, int] | Iterable[tuple[str, int]] = (),
    org: str | None = None,
    more: bool = False,
    approx: bool = False,
) -> TallyEntry:
    """A result from plain values; ``options`` may be a mapping or pairs."""
    pairs = options.items() if isinstance(options, Mapping) else options
    return TallyEntry(
        item=item,
        label=label,
        value=value,
        unit=unit,
        options=tuple(OptionEntry(label_, count) for label_, count in pairs),
        org=org,
        more=more,
        approx=approx,
    )


def make_report(
    participants: Iterable[ParticipantEntry] = (),
    *,
    orgs: int | None = None,
    people: int | None = None,
    people_at_least: int | None = None,
    people_approx: int | None = None,
    municipalities: int | None = None,
    venue_people: int | None = None,
    online_sites: int | None = None,
    online_people: int | None = None,
    hybrid: bool = False,
    venue_approx: Iterable[str] = (),
    venue_at_least: Iterable[str] = (),
    tallies: Iterable[TallyEntry] = (),
    stops: Iterable[StopEntry] = (),
) -> ParsedReport:
    """A report from plain values, with the consistency warnings a parse would give."""
    report = ParsedReport(
        participants=tuple(participants),
        stated=Stated(orgs, people, people_at_least, people_approx, municipalities),
        venue=Venue(
            venue_people,
            online_sites,
            online_people,
            hybrid,
            tuple(venue_approx),
            tuple(venue_at_least),
        ),
        tallies=tuple(tallies),
        stops=tuple(stops),
    )
    return replace(report, warnings=consistency_warnings(report))


def stop(
    municipality: str,
    people: int | None = None,
    *,
    venue: str | None = None,
    activity: str | None = None,
    more: bool = False,
    approx: bool = False,
    home: str | None = None,
) -> StopEntry:
    """A stop from plain values; its code is the one the name resolves to (inside the
    ``home`` prefecture first), ``None`` when it does not resolve to one."""
    return StopEntry(
        municipality=municipality,
        code=code_of(municipality, home),
        people=people,
        more=more,
        activity=activity,
        venue=venue,
        approx=approx,
    )
