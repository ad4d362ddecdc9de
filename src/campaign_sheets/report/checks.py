"""Consistency checks of a report: the stated total against the parts, and so on.

The numbers are kept as written; a disagreement becomes a warning, never a fix.
Each warning quotes the fragment concerned as the renderer writes it, so a report
built from values and the same report read back carry equal warnings.
"""

from __future__ import annotations

from .fragments import render_participant, render_stop, render_total, render_venue, tally_text
from .grammar import vocabulary
from .records import ParsedReport, ParticipantEntry, ReportWarning, TallyEntry
from .towns import candidates_of

Params = dict[str, object]


def _breakdown_warnings(entries: tuple[ParticipantEntry, ...]) -> list[ReportWarning]:
    warnings = []
    for entry in entries:
        known = sum(b.people for b in entry.breakdown if b.people is not None)
        if entry.people is not None and known > entry.people:
            params = {"org": entry.org, "people": entry.people, "breakdown": known}
            warnings.append(
                ReportWarning("report.breakdown_exceeds", params, render_participant(entry))
            )
    return warnings


def _least_people(entry: ParticipantEntry) -> int:
    """The people an entry had at least: its count, else its counted breakdown."""
    if entry.people is not None:
        return entry.people
    return sum(b.people or 0 for b in entry.breakdown)


def _total_warnings(report: ParsedReport, partial: bool) -> list[ReportWarning]:
    warnings = []
    parts, stated = report.participants, report.stated
    # Only a whole list with every count known and exact adds up exactly; else it is a floor.
    exact = not partial and bool(parts) and all(
        p.people is not None and not p.more and not p.approx for p in parts
    )
    floor = sum(_least_people(p) for p in parts if not p.approx)
    text = render_total(stated)
    disagrees = stated.people is not None and (
        (exact and floor != stated.people) or floor > stated.people
    )
    if parts and disagrees:
        params = {"stated": stated.people, "counted": floor}
        warnings.append(ReportWarning("report.total_mismatch", params, text))
    if (
        stated.orgs is not None
        and parts
        and (len(parts) > stated.orgs if partial else len(parts) != stated.orgs)
    ):
        params = {"stated": stated.orgs, "counted": len(parts)}
        warnings.append(ReportWarning("report.org_count_mismatch", params, text))
    bound = stated.people_at_least
    # The list beside a lower bound is rarely complete: only a stated total can contradict it.
    people = stated.people
    if bound is not None and people is not None and people <= bound:
        counter = vocabulary().render["people_counter"]
        params = {"bound": bound, "people": people}
        warnings.append(ReportWarning("report.lower_bound_conflict", params, f"{bound}{counter}"))
    return warnings


def _option_warnings(entries: tuple[TallyEntry, ...]) -> list[ReportWarning]:
    warnings = []
    for entry in entries:
        if entry.options and entry.value is not None:
            answered = sum(o.value for o in entry.options)
            if answered != entry.value:
                params = {"item": entry.item, "value": entry.value, "answered": answered}
                warnings.append(
                    ReportWarning("report.options_mismatch", params, tally_text(entry))
                )
    return warnings


def _venue_warnings(report: ParsedReport) -> list[ReportWarning]:
    """The hall and online people against the stated total: together they are all of it.

    A total after a list of organisations counts their members, not everyone in the hall
    (``計2団体7人`` beside ``会場28人``), so it is compared only when it is a hybrid total
    or no organisation is listed."""
    venue, total = report.venue, report.stated.people
    if total is None or (report.participants and not venue.hybrid):
        return []
    counts = [
        (venue.people, "people" in venue.approx),
        (venue.online_people, "online_people" in venue.approx),
    ]
    known = [n for n, approx in counts if n is not None and not approx]
    if not known:
        return []
    counted = sum(known)
    floors = set(venue.at_least) & {"people", "online_people"}
    exact = len(known) == 2 and not floors
    if (exact and counted != total) or counted > total:
        params = {"stated": total, "counted": counted}
        return [ReportWarning("report.venue_total_mismatch", params, render_venue(venue))]
    return []


def _stop_warnings(report: ParsedReport) -> list[ReportWarning]:
    """Stops that do not resolve, that have more people than the whole action, and a
    stated number of municipalities that is not the number of stops."""
    warnings = []
    total = report.stated.people
    for stop in report.stops:
        if stop.code is None:
            unresolved: Params = {"candidates": candidates_of(stop.municipality)}
            warnings.append(
                ReportWarning("report.stop_unresolved", unresolved, stop.municipality)
            )
        if total is not None and stop.people is not None and stop.people > total:
            params = {"municipality": stop.municipality, "people": stop.people, "stated": total}
            warnings.append(
                ReportWarning("report.stop_exceeds_total", params, render_stop(stop))
            )
    towns = report.stated.municipalities
    visited = len({s.code or s.municipality for s in report.stops})
    if towns is not None and report.stops and towns != visited:
        params = {"stated": towns, "counted": visited}
        warnings.append(
            ReportWarning("report.town_count_mismatch", params, render_total(report.stated))
        )
    return warnings


def consistency_warnings(
    report: ParsedReport, *, partial: bool = False
) -> tuple[ReportWarning, ...]:
    """Warnings for totals, breakdowns, polls, the hall and online, and stops that do not
    add up.

    ``partial`` says the sentence lists only some organisations (``年金者組合など12団体``):
    then the list is only a floor for the totals.
    """
    return (
        *_breakdown_warnings(report.participants),
        *_total_warnings(report, partial),
        *_option_warnings(report.tallies),
        *_venue_warnings(report),
        *_stop_warnings(report),
    )
