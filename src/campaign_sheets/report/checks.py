"""Consistency checks of a report: the stated total against the parts, and so on.

The numbers are kept as written; a disagreement becomes a warning, never a fix.
Each warning quotes the fragment concerned as the renderer writes it, so a report
built from values and the same report read back carry equal warnings.
"""

from __future__ import annotations

from .grammar import vocabulary
from .records import ParsedReport, ParticipantEntry, ReportWarning, TallyEntry
from .render import render_participant, render_tally, render_total


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
    # Only a whole list with every count known and no ほか adds up exactly; else it is a floor.
    exact = not partial and bool(parts) and all(p.people is not None and not p.more for p in parts)
    floor = sum(_least_people(p) for p in parts)
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
                    ReportWarning("report.options_mismatch", params, render_tally(entry))
                )
    return warnings


def consistency_warnings(
    report: ParsedReport, *, partial: bool = False
) -> tuple[ReportWarning, ...]:
    """Warnings for totals, breakdowns and polls that do not add up.

    ``partial`` says the sentence lists only some organisations (``年金者組合など12団体``):
    then the list is only a floor for the totals.
    """
    return (
        *_breakdown_warnings(report.participants),
        *_total_warnings(report, partial),
        *_option_warnings(report.tallies),
    )
