"""The report sentence of one action, written back from its records.

Organisations come in 団体-tab order. When the people came from the action's
own sentence, its stated totals are kept (they are what the organisers
announced); else the totals are counted from the records, the people only when
every count is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.model import Organisation, Participation, Tally
from .records import Records
from .tables import venue_labels


def report_of(event_id: str, records: Records) -> Any:
    """The :class:`~campaign_sheets.report.records.ParsedReport` of one action."""
    from ..report.build import make_report, participant, tally

    people = [p for p in records.participation if p.event_id == event_id]
    tallies = [t for t in records.tallies if t.event_id == event_id]
    venue = venue_labels()
    venue_people = _venue_value(tallies, venue["people_item"])
    online = _venue_value(tallies, venue["online_item"])
    online_people = _venue_value(tallies, venue["online_people_item"])
    venue_items = (venue["people_item"], venue["online_item"], venue["online_people_item"])
    others = [t for t in tallies if t.label or t.org or t.item not in venue_items]
    stated_orgs, stated_people, at_least = _totals(event_id, records, people)
    said = _said(event_id, records, people)
    return make_report(
        [participant(p.org, p.people, more=p.more,
                     breakdown=[(b.label, b.people) for b in p.breakdown]) for p in people],
        orgs=stated_orgs, people=stated_people, people_at_least=at_least,
        people_approx=said.get("people_approx"), municipalities=said.get("municipalities"),
        venue_people=venue_people, online_sites=online, online_people=online_people,
        hybrid=bool(said.get("hybrid")) and (
            stated_people is not None or at_least is not None
            or said.get("people_approx") is not None
        ),
        tallies=[tally(t.item, t.value, label=t.label, unit=t.unit,
                       options=[(o.label, o.value) for o in t.options], org=t.org)
                 for t in others],
    )


def sentence_of(event_id: str, records: Records, orgs: Sequence[Organisation]) -> str:
    """The report sentence of one action, organisations in 団体-tab order."""
    from ..report.render import render_report

    text: str = render_report(report_of(event_id, records), org_order=[o.name for o in orgs])
    return text


def _venue_value(tallies: Sequence[Tally], item: str) -> int | None:
    for t in tallies:
        if t.item == item and not t.label:
            return t.value
    return None


def _said(event_id: str, records: Records, people: Sequence[Participation]) -> dict[str, Any]:
    """What only the action's own sentence can say: 約40人, 計3市町, a hybrid total."""
    if event_id not in records.stated or not all(p.source == "report" for p in people):
        return {}
    stated, venue = records.stated[event_id]
    return {
        "people_approx": getattr(stated, "people_approx", None),
        "municipalities": getattr(stated, "municipalities", None),
        "hybrid": getattr(venue, "hybrid", False),
    }


def _totals(
    event_id: str, records: Records, people: Sequence[Participation]
) -> tuple[int | None, int | None, int | None]:
    from_sentence = all(p.source == "report" for p in people)
    if event_id in records.stated and from_sentence:
        stated, _venue = records.stated[event_id]
        if stated.orgs is not None or stated.people is not None or stated.people_at_least:
            return stated.orgs, stated.people, stated.people_at_least
    if not people:
        return None, None, None
    counts = [p.people for p in people]
    known = None if any(c is None for c in counts) else sum(c for c in counts if c is not None)
    return len({p.org for p in people}), known, None
