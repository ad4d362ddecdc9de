"""Numbers in a report sentence that no count can be (``協会99999999999999999999人``).

Each one becomes unknown (a poll answer with it is left out) with a warning that
quotes it, so a digit typed too often never reaches a sum, where it would overflow
the roll-up's 64-bit counts.
"""

from __future__ import annotations

from dataclasses import replace

from ..core.limits import MAX_COUNT
from .records import ParsedReport, ReportWarning


def within_bounds(report: ParsedReport) -> ParsedReport:
    """``report`` with every count above :data:`MAX_COUNT` made unknown, and warned about."""
    warnings: list[ReportWarning] = []

    def bounded(value: int | None) -> int | None:
        if value is None or value <= MAX_COUNT:
            return value
        params = {"value": value, "limit": f"{MAX_COUNT:,}"}
        warnings.append(ReportWarning("report.count_too_large", params, str(value)))
        return None

    participants = tuple(
        replace(p, people=bounded(p.people),
                breakdown=tuple(replace(b, people=bounded(b.people)) for b in p.breakdown))
        for p in report.participants
    )
    stated = replace(report.stated, orgs=bounded(report.stated.orgs),
                     people=bounded(report.stated.people),
                     people_at_least=bounded(report.stated.people_at_least))
    venue = replace(report.venue, people=bounded(report.venue.people),
                    online_sites=bounded(report.venue.online_sites),
                    online_people=bounded(report.venue.online_people))
    tallies = tuple(
        replace(t, value=bounded(t.value),
                options=tuple(o for o in t.options if bounded(o.value) is not None))
        for t in report.tallies
    )
    stops = tuple(replace(s, people=bounded(s.people)) for s in report.stops)
    if not warnings:
        return report
    return replace(report, participants=participants, stated=stated, venue=venue,
                   tallies=tallies, stops=stops, warnings=(*report.warnings, *warnings))
