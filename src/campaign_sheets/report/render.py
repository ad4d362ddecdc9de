"""Writing a :class:`ParsedReport` back as the sentences organisers write.

``参加は、年金者組合5人（うち支部役員2人）、医療生協3人、…の計4団体11人。``, then the
bounds, the hall and online (``会場28人、オンライン9カ所（20人）。``), a hybrid total
(``会場・オンライン合わせて45人。``), the stops with their activities
(``寒川町（8人）、愛川町（5人）で懇談、厚木市本厚木駅前（6人）で宣伝。``) and the results
(``チラシ600枚、署名31筆でした。``; per organisation ``医療生協が120冊、年金者組合が80冊の注文。``).
Whatever the renderer writes, ``parse_report`` reads back to the same report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby

from ..core.text import match_key
from .fragments import (
    amount,
    render_participant,
    render_stop,
    render_total,
    render_venue,
    tally_text,
)
from .grammar import vocabulary
from .records import ParsedReport, ParticipantEntry, StopEntry, TallyEntry
from .sentence import parse_report_unchecked

__all__ = ["render_participant", "render_report", "render_tally"]


def render_tally(entry: TallyEntry) -> str:
    """``年金署名4筆`` or ``「介護を守れ」署名15筆``; a label also goes in 「」 when it would
    not read back otherwise."""
    if entry.label is None or entry.org is not None:
        return tally_text(entry)
    bare = tally_text(entry, quoted=False)
    if tally_text(entry) == bare:
        back = parse_report_unchecked(bare)
        if back.tallies == (entry,) and not back.participants and not back.warnings:
            return bare
    return tally_text(entry, quoted=True)


def _ordered(
    participants: Sequence[ParticipantEntry], org_order: Sequence[str] | None
) -> list[ParticipantEntry]:
    if not org_order:
        return list(participants)
    rank = {match_key(name): i for i, name in reversed(list(enumerate(org_order)))}
    # sorted() is stable: organisations not in the sheet keep their order, after the others.
    return sorted(participants, key=lambda p: rank.get(match_key(p.org), len(rank)))


def _hybrid_field(report: ParsedReport) -> str | None:
    """Which total the hybrid phrase carries (the first one stated)."""
    if not report.venue.hybrid:
        return None
    stated = report.stated
    for name in ("people", "people_at_least", "people_approx"):
        if getattr(stated, name) is not None:
            return name
    return None


def _totals(report: ParsedReport, org_order: Sequence[str] | None, hybrid: str | None) -> list[str]:
    words = vocabulary().render
    people = words["people_counter"]
    stated = report.stated
    sentences: list[str] = []
    entries = [render_participant(p) for p in _ordered(report.participants, org_order)]
    total = render_total(stated, people=hybrid != "people")
    if entries:
        sentences.append(words["opening"] + "、".join(entries) + (f"の{total}" if total else ""))
    elif total:
        sentences.append(words["opening"].rstrip("、") + total)
    if stated.people_at_least is not None and hybrid != "people_at_least":
        sentences.append(f"{stated.people_at_least}{people}{words['lower_bound']}")
    if stated.people_approx is not None and hybrid != "people_approx":
        counted = amount(stated.people_approx, people, approx=True)
        sentences.append(counted + words["approx_total_closing"])
    venue = render_venue(report.venue)
    if venue:
        sentences.append(venue)
    if hybrid is not None:
        value = getattr(stated, hybrid)
        floor = words["lower_bound_after"] if hybrid == "people_at_least" else ""
        counted = amount(value, people, approx=hybrid == "people_approx", floor=floor)
        sentences.append(words["hybrid"] + counted)
    return sentences


def _stop_sentences(stops: Sequence[StopEntry]) -> list[str]:
    """Runs of stops with one activity, written ``…、…で懇談``; stops without an activity
    stand in a sentence of their own (else the next activity would be theirs)."""
    joiner = vocabulary().render["activity_joiner"]
    sentences: list[str] = []
    current: list[str] = []
    for activity, run in groupby(stops, key=lambda s: s.activity):
        written = "、".join(render_stop(s) for s in run)
        if activity is None:
            if current:
                sentences.append("、".join(current))
                current = []
            sentences.append(written)
        else:
            current.append(f"{written}{joiner}{activity}")
    if current:
        sentences.append("、".join(current))
    return sentences


def _tally_run(entry: TallyEntry) -> tuple[bool, str | None, str | None]:
    if entry.org is None:
        return (False, None, None)
    return (True, entry.item, entry.label)


def _tally_sentences(tallies: Sequence[TallyEntry]) -> list[str]:
    """Results in runs: the plain ones ``…でした``; those of organisations per item, the
    item once after the list (``医療生協が120冊、年金者組合が80冊の注文``)."""
    closing = vocabulary().render["results_closing"]
    sentences: list[str] = []
    for key, run in groupby(tallies, key=_tally_run):
        entries = list(run)
        if not key[0]:
            sentences.append("、".join(render_tally(t) for t in entries) + closing)
            continue
        written = "、".join(tally_text(replace(t, label=None)) for t in entries)
        head = entries[0]
        if head.item:
            named = render_tally(
                replace(head, org=None, value=None, unit=None, options=(), more=False,
                        approx=False)
            )
            written += f"の{named}"
        sentences.append(written)
    return sentences


def render_report(report: ParsedReport, *, org_order: Sequence[str] | None = None) -> str:
    """The report sentence; organisations in ``org_order`` (sheet order) when given."""
    hybrid = _hybrid_field(report)
    sentences = [
        *_totals(report, org_order, hybrid),
        *_stop_sentences(report.stops),
        *_tally_sentences(report.tallies),
    ]
    return "".join(s + "。" for s in sentences)
