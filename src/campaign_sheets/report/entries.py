"""Organisations and their head-counts.

- ``年金者組合5人（うち支部役員2人）ほか``, ``年金者組合（5人）``, ``年金者組合：5人``,
  ``年金者組合の皆さん5人``, ``年金者組合約5人``, ``年金者組合5人以上``;
- role counts right after a name: ``医療生協役員2事務局1ほか``;
- an organisation without a count: ``商工会`` (unknown, never zero);
- an organisation, then a total: ``地区労1人の計4団体11人``, ``医療生協3人など50人を
  超える``, ``年金者組合などから30人``, and ``医療生協、年金者組合、建設ユニオンから7人``
  (the total of the organisations without a count listed before it);
- ``年金者組合から5人`` with no such list before it is that organisation's count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .context import Amount, Cursor, ReaderBase, is_hiragana
from .counts import Total, keep_total, parse_total
from .grammar import CLOSING_BRACKETS, OPENING_BRACKETS
from .lexer import Count, CountKind, Group, Part, Text, is_digit
from .records import BreakdownEntry, ParticipantEntry

Span = tuple[int, int]
_PEOPLE_OR_BARE = (CountKind.PEOPLE, CountKind.BARE)
# A colon, a range mark or a slash inside a name means a time, a date or a table, not a
# name (13:30〜15:00, 12/7); a slash between names has already cut them apart.
_NOT_IN_NAMES = ":~〜/"
# ・ as written (or its half-width form) between two names joined into one entry.
_NAME_JOINS = re.compile("[・･]")


@dataclass(frozen=True)
class Entry:
    """An organisation read from a span, with the parts of its breakdown not understood,
    and whether a joiner after it said the list is partial."""

    entry: ParticipantEntry
    bad: tuple[Span, ...] = ()
    partial: bool = False
    # 医療生協、年金者組合、建設ユニオンの皆さん7人: a count said of all those listed
    shared: Amount | None = None


def read_participant(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """Keep an organisation entry; ``"bare"`` when it has no count, ``None`` when the
    item is not one."""
    found = parse_participant(r, a, b)
    if found is None:
        return None
    if found.shared is not None and r.sentence.bare_run and not found.entry.breakdown:
        keep_participant(r, replace(found, entry=ParticipantEntry(org=found.entry.org)))
        keep_total(r, Total("", None, None, found.shared, None), a, b)
        return "entry_total"
    keep_participant(r, found)
    return "bare" if found.entry.people is None else "entry"


def keep_participant(r: ReaderBase, found: Entry) -> None:
    """Keep the entry and quote the parts of its breakdown that were not understood."""
    r.state.participants.append(found.entry)
    r.state.partial = r.state.partial or found.partial
    if found.entry.people is None and not found.entry.breakdown:
        r.sentence.bare_run.append(len(r.state.participants) - 1)
    for x, y in found.bad:
        r.unplaced(x, y)


def parse_participant(r: ReaderBase, a: int, b: int) -> Entry | None:
    """``年金者組合5人（うち支部役員2人）ほか`` or ``医療生協役員2事務局1ほか``."""
    n, v = r.norm, r.v
    more = approx = partial = False
    breakdown: list[BreakdownEntry] = []
    bad: list[Span] = []
    bracket: Amount | None = None
    for _ in range(3):
        a, b = r.strip(a, b)
        word = _more_word(r, a, b)
        joiner = r.ending(a, b, v.partial_joiners)
        floor = _after_count(r, a, b, v.lower_bound_words)
        about = _after_count(r, a, b, v.approx_after)
        if word:
            more, b = True, b - len(word)
        elif joiner and b - len(joiner) > a:
            partial, b = True, b - len(joiner)
        elif floor or about:
            more, approx = more or bool(floor), approx or bool(about)
            b -= len(floor or about)
        elif b > a and n[b - 1] == ")":
            open_at = _matching_open(r, a, b - 1)
            if open_at is None or breakdown or bracket:
                return None
            bracket = _bracket_count(r, open_at + 1, b - 1)
            if bracket is None:
                breakdown, bad = read_breakdown(r, open_at + 1, b - 1)
            b = open_at
    a, b = r.strip(a, b)
    if a >= b or any(ch in n[a:b] for ch in OPENING_BRACKETS + CLOSING_BRACKETS):
        return None
    named = _read_name(r, a, b)
    if named is None:
        return None
    org_end, amount, roles = named
    name_end = org_end
    org_end = _name_end(r, a, org_end, counted=amount is not None)
    shared = amount if r.ending(a, name_end, v.shared_honorifics) else None
    if amount is None and r.sentence.bare_run:
        # 医療生協、年金者組合、新婦人から、あわせて12人: the list ends, its total follows
        source = r.ending(a, org_end, v.source_joiners)
        if source and org_end - len(source) > a:
            org_end = r.strip(a, org_end - len(source))[1]
    org = n[a:org_end].strip()
    if any(ch in _NOT_IN_NAMES for ch in org) or is_digit(org[-1:] or "0"):
        return None
    if _is_number_text(r, org) or r.word_at(r.v.total_words, a, org_end):
        return None
    if not org or is_reserved(r, org) or is_prose(r, org) or _has_count(r, a, org_end):
        return None
    people = amount.value if amount else None
    if bracket is not None:
        if amount is not None or roles:
            return None
        amount, people = bracket, bracket.value
    entry = ParticipantEntry(
        org=r.original(a, org_end),
        people=people,
        more=more or bool(amount and amount.at_least),
        breakdown=tuple(roles + breakdown),
        approx=approx or bool(amount and amount.approx),
    )
    return Entry(entry, tuple(bad), partial, shared if bracket is None else None)


def _is_number_text(r: ReaderBase, name: str) -> bool:
    """``52%``, ``12月7日``: numbers and what follows numbers, one of them a date, a time
    or a share, nothing else (``2区`` or ``9条`` alone is still a name)."""
    i = 0
    digits = dated = False
    while i < len(name):
        if is_digit(name[i]):
            i, digits = i + 1, True
            continue
        word = next((w for w in r.v.not_counters if digits and name.startswith(w, i)), "")
        if not word:
            return False
        dated = dated or word in r.v.date_time_marks
        i, digits = i + len(word), False
    return dated


def _after_count(r: ReaderBase, a: int, b: int, words: tuple[str, ...]) -> str:
    """A bound word right after a people counter (``5人以上``), or ``""``."""
    word = r.ending(a, b, words)
    if word and b - len(word) > a and r.norm[b - len(word) - 1] in r.v.people_counters:
        return word
    return ""


def _bracket_count(r: ReaderBase, a: int, b: int) -> Amount | None:
    """``（5人）`` after a name: its count, not a breakdown."""
    cur = Cursor(r, a, b)
    cur.words(r.v.stop_fillers)
    # 年金者組合(5): a bare number in brackets after a name is its people
    amount = cur.amount(_PEOPLE_OR_BARE)
    cur.words(r.v.stop_fillers)
    return amount if amount is not None and cur.done() else None


def _name_end(r: ReaderBase, a: int, end: int, *, counted: bool) -> int:
    """The end of a name without what may stand between it and its count
    (``年金者組合：``, ``年金者組合の皆さん``, ``年金者組合約``, ``年金者組合が``; a
    particle only when a count follows: ``晴れた一日で`` is prose)."""
    v = r.v
    lists = [v.honorifics, v.approx_before, (":",)]
    if counted:
        lists.append(v.count_particles)
    changed = True
    while changed:
        changed = False
        _, end = r.strip(a, end)
        for words in lists:
            word = r.ending(a, end, words)
            if word and end - len(word) > a:
                end -= len(word)
                changed = True
    return end


def _has_count(r: ReaderBase, a: int, b: int) -> bool:
    """A name never holds a count of people (``5人会`` would be two things)."""
    return any(
        isinstance(p, Count) and p.kind is CountKind.PEOPLE and p.value is not None
        for p in r.parts(a, b)
    )


def _more_word(r: ReaderBase, a: int, b: int) -> str:
    """``ほか`` at the end; ``他`` only after a count or a bracket (``その他`` is a name)."""
    word = r.ending(a, b, r.v.more_words)
    if not word or b - len(word) <= a:
        return ""
    before = r.norm[b - len(word) - 1]
    if word != "ほか" and not (is_digit(before) or before == ")" or before in "人名"):
        return ""
    return word


def _matching_open(r: ReaderBase, a: int, close: int) -> int | None:
    depth = 0
    for i in range(close, a - 1, -1):
        if r.norm[i] == ")":
            depth += 1
        elif r.norm[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return None


def _read_name(
    r: ReaderBase, a: int, b: int
) -> tuple[int, Amount | None, list[BreakdownEntry]] | None:
    """Where the organisation's name ends, its count, and role counts after it."""
    parts = r.parts(a, b)
    roles = _role_counts(r, parts)
    if roles is not None:
        return roles
    last = parts[-1] if parts else None
    if isinstance(last, Count):
        if last.kind not in _PEOPLE_OR_BARE or len(parts) < 2:
            return None
        approx = False
        end = last.start
        word = r.ending(a, end, r.v.approx_before)
        if word:
            approx = True
        return end, Amount(last, last.vague, approx), []
    if is_digit(r.norm[b - 1]):
        return None
    return b, None, []


def _role_counts(
    r: ReaderBase, parts: list[Part]
) -> tuple[int, Amount | None, list[BreakdownEntry]] | None:
    """``医療生協役員2事務局1``: text and count in turn, the first text ending in a role."""
    if len(parts) < 2 or len(parts) % 2 or not isinstance(parts[0], Text):
        return None
    pairs: list[tuple[Text, Count]] = []
    for text, count in zip(parts[::2], parts[1::2], strict=True):
        if not isinstance(text, Text) or not isinstance(count, Count):
            return None
        if count.kind not in _PEOPLE_OR_BARE or count.value is None:
            return None
        pairs.append((text, count))
    first = pairs[0][0]
    role = r.ending(first.start, first.end, r.v.roles)
    if not role or not (len(pairs) > 1 or pairs[0][1].kind is CountKind.BARE):
        return None
    org_end = first.end - len(role)
    if org_end <= first.start or not r.norm[first.start : org_end].strip():
        return None
    roles = [
        BreakdownEntry(r.original(org_end if i == 0 else t.start, t.end), c.value)
        for i, (t, c) in enumerate(pairs)
    ]
    return org_end, None, roles


def read_breakdown(r: ReaderBase, a: int, b: int) -> tuple[list[BreakdownEntry], list[Span]]:
    """``うち支部役員2人、事務局1人`` inside the brackets."""
    entries: list[BreakdownEntry] = []
    bad: list[Span] = []
    for x, y in split_items(r, a, b):
        x, y = r.strip(x, y)
        opener = r.word_at(r.v.breakdown_openers, x, y)
        x, y = r.strip(x + len(opener), y)
        if x >= y:
            continue
        parts = r.parts(x, y)
        last = parts[-1]
        if (
            len(parts) >= 2
            and isinstance(last, Count)
            and last.kind in _PEOPLE_OR_BARE
            and last.value is not None
            and last.end == y
        ):
            entries.append(BreakdownEntry(r.original(x, last.start), last.value))
        elif (
            not any(isinstance(p, Count | Group) for p in parts)
            and not is_digit(r.norm[y - 1])
            and not is_reserved(r, r.norm[x:y])
        ):
            entries.append(BreakdownEntry(r.original(x, y), None))
        else:
            bad.append((x, y))
    return entries, bad


def split_items(r: ReaderBase, a: int, b: int) -> list[Span]:
    """Spans between item separators that stand outside brackets."""
    spans: list[Span] = []
    depth = 0
    begin = a
    for i in range(a, b):
        char = r.norm[i]
        if char in OPENING_BRACKETS:
            depth += 1
        elif char in CLOSING_BRACKETS:
            depth = max(0, depth - 1)
        elif depth == 0 and char in r.v.item_separators and not _thousands(r, i, b):
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, b))
    return spans


def _thousands(r: ReaderBase, i: int, b: int) -> bool:
    n = r.norm
    digits = n[i + 1 : i + 4]
    return (
        n[i] == ","
        and i > 0
        and is_digit(n[i - 1])
        and len(digits) == 3
        and all(is_digit(c) for c in digits)
        and (i + 4 >= len(n) or not is_digit(n[i + 4]))
    )


# -- what a name is not -------------------------------------------------------------


def is_prose(r: ReaderBase, name: str) -> bool:
    """A fragment that reads as prose (``晴天の中で``, ``市長が対応``, ``天気は晴れ``),
    not as a name."""
    v = r.v
    if len(name) > v.longest_name or not name:
        return True
    if any(name.endswith(w) for w in v.prose_endings):
        return True
    if any(name.endswith(s) for s in v.org_suffixes):
        return False
    for i in range(1, len(name) - 1):
        # 人通りは少なめ: the topic particle before a word is prose even after kana
        if name[i] in v.topic_particles and not (
            is_hiragana(name[i + 1]) and is_hiragana(name[i - 1])
        ):
            return True
        if is_hiragana(name[i - 1]):
            continue
        for particle in v.particles:
            after = i + len(particle)
            if name.startswith(particle, i) and after < len(name) and not is_hiragana(name[after]):
                return True
    return False


def is_reserved(r: ReaderBase, name: str) -> bool:
    """Words that are never an organisation (会場, オンライン, 署名, ほか, 懇談 …)."""
    v = r.v
    words = (
        v.venue_words + v.items + v.more_words + v.total_words + v.activities
        + v.hybrid_words + v.org_tally_headings
    )
    low = name.strip().lower()
    return name.strip() in words or low in (w.lower() for w in v.online_words)


# -- an organisation, then a total ---------------------------------------------------------


def read_entry_then_total(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """``地区労1人の計4団体11人``, ``年金者組合などから30人``, ``建設ユニオンから7人``."""
    v = r.v
    for part in parts[1:]:
        if not isinstance(part, Count) or part.kind not in (
            CountKind.PEOPLE, CountKind.ORGS, CountKind.TOWNS
        ):
            continue
        start = _total_start(r, a, part.start)
        others = _others_start(r, a, start)
        if others is not None and part.kind is CountKind.ORGS:
            found = parse_participant(r, a, others)
            if found is None:
                continue
            # 年金者組合2人ほか6団体: more organisations than those named, not a total
            keep_participant(r, found)
            r.state.partial = True
            r.aside(others, b)
            return "entry"
        end, joiners = _without_joiners(r, a, start)
        if end <= a or is_digit(r.norm[end - 1]):
            continue
        total = parse_total(r, start, b)
        if total is None or total.group is not None:
            continue
        if not (total.word or total.orgs or total.towns or joiners):
            continue
        found = parse_participant(r, a, end)
        if found is None:
            continue
        partial = any(j in v.partial_joiners for j in joiners)
        plain = not (total.word or total.orgs or total.towns or total.group)
        source = any(j in v.source_joiners for j in joiners) and not partial and plain
        own = source and not r.sentence.bare_run and found.entry.people is None
        if own and total.people is not None and not found.entry.breakdown:
            people = total.people
            entry = replace(
                found.entry,
                people=people.value,
                more=found.entry.more or people.at_least,
                approx=people.approx,
            )
            keep_participant(r, replace(found, entry=entry))
            return "entry"
        for piece in _joined_names(r, found, total):
            keep_participant(r, replace(piece, partial=found.partial or partial))
        keep_total(r, total, start, b)
        return "entry_total"
    return None


def _joined_names(r: ReaderBase, found: Entry, total: Total) -> list[Entry]:
    """``医療生協・年金者組合・新婦人の3団体から12人``: names joined by ``・`` without a
    count are as many organisations as the total says, when the pieces make up that
    number; otherwise they stay one entry (``建設ユニオン・市民の会``)."""
    entry = found.entry
    if entry.people is not None or entry.breakdown or entry.more:
        return [found]
    pieces = [p.strip() for p in _NAME_JOINS.split(entry.org)]
    before = len(r.sentence.bare_run)
    if len(pieces) < 2 or not all(pieces):
        return [found]
    # 医療生協・年金者組合・建設ユニオンから計7名: three names are a list, not one group
    listed = len(pieces) >= 3 if total.orgs is None else before + len(pieces) == total.orgs
    if not listed:
        return [found]
    return [Entry(ParticipantEntry(org=name, people=None)) for name in pieces]


def _others_start(r: ReaderBase, a: int, start: int) -> int | None:
    """Where ``ほか`` / ``その他`` before a count of organisations begins, or ``None``."""
    _, end = r.strip(a, start)
    word = r.ending(a, end, r.v.others_words)
    if word and end - len(word) > a:
        return r.strip(a, end - len(word))[1]
    return None


def read_others(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """``ほか6団体``, ``その他5団体8人`` standing alone: organisations not named; the
    list is partial and the words are kept as an aside."""
    cur = Cursor(r, a, b, parts)
    if not cur.word(r.v.others_words) or cur.count((CountKind.ORGS,)) is None:
        return None
    cur.amount((CountKind.PEOPLE,))
    cur.words(r.v.joiners)
    if not cur.done():
        return None
    r.state.partial = True
    r.aside(a, b)
    return "others"


def _total_start(r: ReaderBase, a: int, start: int) -> int:
    """Back over ``計``/``約`` in front of the first count of a total."""
    changed = True
    while changed:
        changed = False
        _, start = r.strip(a, start)
        word = r.ending(a, start, r.v.total_words + r.v.approx_before)
        if word and start - len(word) > a:
            start -= len(word)
            changed = True
    return start


def _without_joiners(r: ReaderBase, a: int, b: int) -> tuple[int, list[str]]:
    """The end of ``地区労1人の`` / ``医療生協3人など`` without the joining words, and the
    joiners."""
    joiners: list[str] = []
    changed = True
    while changed:
        changed = False
        _, b = r.strip(a, b)
        word = r.ending(a, b, r.v.joiners)
        if word and b - len(word) > a:
            b -= len(word)
            joiners.append(word)
            changed = True
    return b, joiners
