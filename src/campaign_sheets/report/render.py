"""Writing a :class:`ParsedReport` back as the sentence organisers write.

``参加は、年金者組合5人（うち支部役員2人）、医療生協3人、…の計4団体11人。``
then the results ``チラシ600枚、署名31筆、シール投票48（反対45、賛成3）でした。``
Whatever the renderer writes, ``parse_report`` reads back to the same report.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.text import match_key
from .grammar import vocabulary
from .records import ParsedReport, ParticipantEntry, Stated, TallyEntry, Venue


def render_participant(entry: ParticipantEntry) -> str:
    """``年金者組合5人（うち支部役員2人）ほか``; an unknown count is written without one."""
    words = vocabulary().render
    counter = words["people_counter"]
    text = entry.org + (f"{entry.people}{counter}" if entry.people is not None else "")
    if entry.breakdown:
        parts = [
            b.label + (f"{b.people}{counter}" if b.people is not None else "")
            for b in entry.breakdown
        ]
        text += f"（{words['breakdown_opener']}{'、'.join(parts)}）"
    return text + (words["more_word"] if entry.more else "")


def render_total(stated: Stated) -> str:
    """``計4団体11人`` (empty when the sentence states no total)."""
    words = vocabulary().render
    if stated.orgs is None and stated.people is None:
        return ""
    text = words["total_word"]
    if stated.orgs is not None:
        text += f"{stated.orgs}{vocabulary().org_counter}"
    if stated.people is not None:
        text += f"{stated.people}{words['people_counter']}"
    return text


def render_venue(venue: Venue) -> str:
    """``会場28人、オンライン9カ所`` (empty when neither is known)."""
    words = vocabulary().render
    parts = []
    if venue.people is not None:
        parts.append(f"{words['venue_word']}{venue.people}{words['people_counter']}")
    if venue.online_sites is not None:
        parts.append(f"{words['online_word']}{venue.online_sites}{words['site_counter']}")
    return "、".join(parts)


def _tally_text(entry: TallyEntry, quoted: bool) -> str:
    label = ""
    if entry.label is not None:
        label = f"「{entry.label}」" if quoted else entry.label
    text = label + entry.item
    if entry.value is not None:
        text += f"{entry.value}{entry.unit or ''}"
    if entry.options:
        text += "（" + "、".join(f"{o.label}{o.value}" for o in entry.options) + "）"
    return text


def _is_slogan(label: str) -> bool:
    """A label with hiragana is a slogan (介護を守れ), written in 「」; a name (年金) is not."""
    return any("\u3041" <= ch <= "\u309f" for ch in label)


def render_tally(entry: TallyEntry) -> str:
    """``年金署名4筆`` or ``「介護を守れ」署名15筆``; a label also goes in 「」 when it would
    not read back otherwise."""
    from .sentence import parse_report_unchecked

    if entry.label is None:
        return _tally_text(entry, quoted=False)
    if not _is_slogan(entry.label):
        bare = _tally_text(entry, quoted=False)
        back = parse_report_unchecked(bare)
        if back.tallies == (entry,) and not back.participants and not back.warnings:
            return bare
    return _tally_text(entry, quoted=True)


def _ordered(
    participants: Sequence[ParticipantEntry], org_order: Sequence[str] | None
) -> list[ParticipantEntry]:
    if not org_order:
        return list(participants)
    rank = {match_key(name): i for i, name in reversed(list(enumerate(org_order)))}
    # sorted() is stable: organisations not in the sheet keep their order, after the others.
    return sorted(participants, key=lambda p: rank.get(match_key(p.org), len(rank)))


def render_report(report: ParsedReport, *, org_order: Sequence[str] | None = None) -> str:
    """The report sentence; organisations in ``org_order`` (sheet order) when given."""
    words = vocabulary().render
    sentences: list[str] = []
    entries = [render_participant(p) for p in _ordered(report.participants, org_order)]
    total = render_total(report.stated)
    if entries:
        sentences.append(words["opening"] + "、".join(entries) + (f"の{total}" if total else ""))
    elif total:
        sentences.append(words["opening"].rstrip("、") + total)
    if report.stated.people_at_least is not None:
        sentences.append(
            f"{report.stated.people_at_least}{words['people_counter']}{words['lower_bound']}"
        )
    venue = render_venue(report.venue)
    if venue:
        sentences.append(venue)
    if report.tallies:
        results = "、".join(render_tally(t) for t in report.tallies)
        sentences.append(results + words["results_closing"])
    return "".join(s + "。" for s in sentences)
