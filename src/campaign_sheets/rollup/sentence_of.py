"""The report sentence of one action, written back from its records.

Organisations come in 団体-tab order. When the people came from the action's
own sentence, its stated totals are kept (they are what the organisers
announced); else the totals are counted from the records, the people only when
every count is known.

With a :class:`SentenceContext` the sentence also says what the same action
counted last year, after the matching head-count or result (``相談22件（昨年19件）``,
see :mod:`.previous`), and ends with a line for each drive the action collected
signatures for (``国保署名は累計2,318筆（目標3万筆の7.7%）。``), counted up to the
action's day. The words come from ``data/rollup.toml`` and ``data/drives.toml``;
the sentence itself is the renderer's, untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.model import Action, Organisation, Participation, Tally, canonical_unit
from ..core.text import match_key
from ..drives.ledger import DriveLedger
from ..drives.model import drive_words
from ..drives.sentence import drive_line
from .previous import same_action_last_year
from .records import Records
from .tables import labels, venue_labels

#: What may stand right before a result in a rendered sentence.
_RESULT_BEFORE = ("、", "。")


@dataclass(frozen=True)
class SentenceContext:
    """What a sentence is compared with: every action (to find last year's same one)
    and the drives (for the cumulative line)."""

    actions: tuple[Action, ...] = ()
    drives: DriveLedger | None = None


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


def sentence_of(
    event_id: str,
    records: Records,
    orgs: Sequence[Organisation],
    context: SentenceContext | None = None,
) -> str:
    """The report sentence of one action, organisations in 団体-tab order; with
    ``context``, last year's counts beside this year's and the drives' lines."""
    from ..report.render import render_report

    report = report_of(event_id, records)
    text: str = render_report(report, org_order=[o.name for o in orgs])
    action = _action(event_id, context)
    if context is None or action is None:
        return text
    before = same_action_last_year(action, context.actions)
    if before is not None:
        text = _with_last_year(text, report, report_of(before.id, records))
    if context.drives is not None:
        end = str(drive_words()["sentence"]["end"])
        for drive in context.drives.drives_of_event(event_id):
            text += drive_line(context.drives.progress(drive, as_of=action.date)) + end
    return text


def _action(event_id: str, context: SentenceContext | None) -> Action | None:
    if context is None:
        return None
    return next((a for a in context.actions if a.id == event_id), None)


def _with_last_year(text: str, this: Any, last: Any) -> str:
    """``text`` with last year's head-count after the total and last year's value
    after each result that last year counted too."""
    from ..report.fragments import render_total
    from ..report.render import render_tally

    words = labels()["compare"]
    people = last.stated.people
    total = render_total(this.stated)
    if total and people is not None:
        note = str(words["last_year"]).format(value=people, unit=words["people_unit"])
        text = _insert_after(text, total, note, lambda _before: True)
    for entry in this.tallies:
        value = _last_value(entry, last.tallies)
        if value is None:
            continue
        note = str(words["last_year"]).format(value=value, unit=entry.unit or "")
        text = _insert_after(text, render_tally(entry), note,
                             lambda before: before == "" or before in _RESULT_BEFORE)
    return text


def _last_value(entry: Any, last: Sequence[Any]) -> int | None:
    """Last year's count of the same item, label and unit (``None`` if not counted)."""
    same = [t for t in last if match_key(t.item) == match_key(entry.item)
            and match_key(t.label or "") == match_key(entry.label or "")
            and (not t.unit or not entry.unit
                 or canonical_unit(t.unit) == canonical_unit(entry.unit))]
    if not same or any(t.value is None for t in same):
        return None
    return sum(int(t.value) for t in same)


def _insert_after(
    text: str, fragment: str, note: str, fits: Callable[[str], bool]
) -> str:
    """``note`` after the first whole ``fragment`` in ``text`` (not inside a longer
    one: ``署名3筆`` is not found in ``年金署名31筆``)."""
    start = text.find(fragment)
    while start >= 0:
        end = start + len(fragment)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if fits(before) and not after.isdigit():
            return text[:end] + note + text[end:]
        start = text.find(fragment, start + 1)
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
