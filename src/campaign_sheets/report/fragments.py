"""The fragments of a report sentence as the renderer writes them: one organisation,
a total, the hall and online counts, a stop, a result.

The consistency checks quote these, and ``render.py`` joins them into sentences.
"""

from __future__ import annotations

from .grammar import vocabulary
from .records import ParticipantEntry, Stated, StopEntry, TallyEntry, Venue


def _words() -> dict[str, str]:
    return vocabulary().render


def amount(value: int, counter: str, *, approx: bool = False, floor: str = "") -> str:
    """``約40人``, ``30人以上`` or ``12筆``."""
    return (_words()["approx"] if approx else "") + f"{value}{counter}" + floor


def render_participant(entry: ParticipantEntry) -> str:
    """``年金者組合5人（うち支部役員2人）ほか``; an unknown count is written without one."""
    words = _words()
    counter = words["people_counter"]
    text = entry.org
    if entry.people is not None:
        text += amount(entry.people, counter, approx=entry.approx)
    if entry.breakdown:
        parts = [
            b.label + (f"{b.people}{counter}" if b.people is not None else "")
            for b in entry.breakdown
        ]
        text += f"（{words['breakdown_opener']}{'、'.join(parts)}）"
    return text + (words["more_word"] if entry.more else "")


def render_total(stated: Stated, *, people: bool = True) -> str:
    """``計4団体3市町村11人`` (empty when the sentence states none of them); without the
    people when ``people`` is false (they are written elsewhere)."""
    words = _words()
    counted = stated.people if people else None
    if stated.orgs is None and counted is None and stated.municipalities is None:
        return ""
    text = words["total_word"]
    if stated.orgs is not None:
        text += f"{stated.orgs}{vocabulary().org_counter}"
    if stated.municipalities is not None:
        text += f"{stated.municipalities}{words['town_counter']}"
    if counted is not None:
        text += f"{counted}{words['people_counter']}"
    return text


def _venue_amount(venue: Venue, name: str, value: int, counter: str) -> str:
    floor = _words()["lower_bound_after"] if name in venue.at_least else ""
    return amount(value, counter, approx=name in venue.approx, floor=floor)


def render_venue(venue: Venue) -> str:
    """``会場28人、オンライン9カ所（20人）`` (empty when none of them is known)."""
    words = _words()
    people = words["people_counter"]
    parts = []
    if venue.people is not None:
        parts.append(words["venue_word"] + _venue_amount(venue, "people", venue.people, people))
    online = ""
    if venue.online_sites is not None:
        online = _venue_amount(venue, "online_sites", venue.online_sites, words["site_counter"])
    if venue.online_people is not None:
        heads = _venue_amount(venue, "online_people", venue.online_people, people)
        online = f"{online}（{heads}）" if online else heads
    if online:
        parts.append(words["online_word"] + online)
    return "、".join(parts)


def render_stop(entry: StopEntry) -> str:
    """``寒川町（8人）``, ``厚木市本厚木駅前（6人）``, ``寒川町役場`` (no activity)."""
    words = _words()
    venue = entry.venue or ""
    text = venue if venue.startswith(entry.municipality) else entry.municipality + venue
    if entry.people is not None:
        floor = words["lower_bound_after"] if entry.more else ""
        counted = amount(entry.people, words["people_counter"], approx=entry.approx, floor=floor)
        text += f"（{counted}）"
    return text


def is_slogan(label: str) -> bool:
    """A label with hiragana is a slogan (介護を守れ), written in 「」; a name (年金) is not."""
    return any("\u3041" <= ch <= "\u309f" for ch in label)


def tally_text(entry: TallyEntry, *, quoted: bool | None = None) -> str:
    """``年金署名4筆``, ``「介護を守れ」署名15筆``, ``チラシ約500枚``, ``署名100筆以上``.

    ``quoted`` says whether the label goes in 「」 (by default: when it is a slogan).
    An organisation's result is written ``医療生協が120冊`` (its item is said once, before
    the list). """
    words = _words()
    if entry.org is not None:
        text = entry.org + words["org_tally_particle"]
    else:
        label = ""
        if entry.label is not None:
            bracket = is_slogan(entry.label) if quoted is None else quoted
            label = f"「{entry.label}」" if bracket else entry.label
        text = label + entry.item
    if entry.value is not None:
        floor = words["lower_bound_after"] if entry.more else ""
        text += amount(entry.value, entry.unit or "", approx=entry.approx, floor=floor)
    if entry.options:
        text += "（" + "、".join(f"{o.label}{o.value}" for o in entry.options) + "）"
    return text
