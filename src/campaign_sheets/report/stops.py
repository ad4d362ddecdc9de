"""Stops: the municipalities an action went to (ASSEMBLY.md, caravans).

A stop is an item that starts with a municipality's full name (``寒川町``, ``横浜市中区``,
never a short form: ``川崎社保協`` is an organisation) and has the shape of a stop:

    NAME [・NAME …] [の] [VENUE] [で ACTIVITY] [（8人参加）] [8人] [で ACTIVITY]

where VENUE ends with a place word (``本厚木駅前``, ``役場``, ``市民会館``). Anything else
after the name makes the item an organisation (``川崎市職労3人``, ``横浜市従（3人）``).
An activity at the end (``…、清川村（3人）で懇談``) applies to the stops listed before it
in the sentence since the previous activity. A name outside the home prefecture is a stop
only without a venue (``中央市場前`` is not 中央市). The code comes from the register.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..geo import Level, register
from .context import Amount, Cursor, ReaderBase
from .entries import split_items
from .lexer import CountKind, Group, Part, Text
from .records import StopEntry
from .towns import code_of

Span = tuple[int, int]
_BEFORE_COUNT = ("から", "より", "で", "は", "が", ":", "も", "に")


@dataclass
class _Stop:
    """One stop as read, before it is kept."""

    name: Span
    venue: Span | None = None
    amount: Amount | None = None
    activity: Span | None = None
    inner_activity: Span | None = None
    extras: tuple[Span, ...] = ()
    # 秦野市、伊勢原市、厚木市の3市を訪問: how many municipalities the list names
    towns: int | None = None
    # 伊勢原市（市長と懇談）: who met the visitors, kept as an aside
    asides: tuple[Span, ...] = ()


def read_stop(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """Keep the stops of an item; ``None`` when it is not one."""
    stops = _stop_list(r, a, b)
    if not stops:
        return None
    _keep(r, stops)
    return "stop"


def read_place_aside(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """``△△駅前で宣伝行動を行い``, ``駅頭で``: where and what, with no municipality and no
    count. It describes the action (its row has the place), so it is kept as an aside."""
    if any(not isinstance(p, Text) for p in parts):
        return None
    cur = Cursor(r, a, b, parts)
    end = _venue_end(r, cur)
    x, y = r.strip(a, end)
    if x >= y:
        return None
    joiner = r.ending(x, y, ("で", "にて"))
    if not r.ending(x, y - len(joiner), r.v.place_words):
        return None
    cur.pos = end
    if (end < b and cur.activity() is None) or (end >= b and not joiner):
        return None
    if not cur.done():
        return None
    r.aside(a, b)
    return "aside"


def name_ends(r: ReaderBase, a: int, b: int) -> list[int]:
    """Where a municipality's full name starting at ``a`` can end, longest first."""
    folded, into, back = r.folded()
    reg = register()
    found = reg.names_at(folded, into[a])
    # 東京都府中市: a prefecture, then a municipality of it
    for entry, f_end in list(found):
        if entry.level is Level.PREFECTURE:
            found = [(m, e) for m, e in reg.names_at(folded, f_end)
                     if m.prefecture_code == entry.prefecture_code] + found
    ends = []
    for _entry, f_end in sorted(found, key=lambda pair: -pair[1]):
        end = back[f_end - 1] + 1
        if end <= b and end not in ends:
            ends.append(end)
    return ends


def _stop_list(r: ReaderBase, a: int, b: int) -> list[_Stop] | None:
    a, b = r.strip(a, b)
    if a >= b:
        return None
    for end in name_ends(r, a, b):
        found = _after_name(r, a, end, b)
        if found is not None:
            return found
    return None


def _after_name(r: ReaderBase, a: int, name_end: int, b: int) -> list[_Stop] | None:
    v = r.v
    cur = Cursor(r, name_end, b)
    if cur.word(("・",)):
        rest = _stop_list(r, cur.pos, b)
        if rest is not None and all(s.amount is None for s in rest):
            return [_Stop((a, name_end)), *rest]
        if rest is not None:
            return None
        # 厚木市・本厚木駅前: the municipality, then its venue
        cur.pos = name_end + 1
    stop = _Stop((a, name_end))
    if cur.word(("の",)):
        towns = _town_total(r, cur)
        if towns is not None:
            stop.towns = towns
            stop.activity = cur.activity()
            cur.words(v.topic_endings + v.stop_fillers)
            return [stop] if cur.done() else None
    met = _met(r, cur)
    if met is not None:
        stop.activity, stop.asides = met
        return [stop] if cur.done() else None
    venue = _venue(r, cur, a, name_end)
    if venue is False:
        return None
    stop.venue = venue if isinstance(venue, tuple) else None
    stop.activity = cur.activity()
    group = cur.group()
    if group is not None and not _bracket(r, stop, group):
        return None
    if stop.amount is None:
        start = cur.pos
        cur.words(_BEFORE_COUNT)
        stop.amount = cur.amount((CountKind.PEOPLE,))
        if stop.amount is None:
            cur.pos = start
    if stop.activity is None:
        stop.activity = cur.activity()
    cur.words(v.topic_endings + v.stop_fillers)
    if not cur.done():
        return None
    return [stop]


def _met(r: ReaderBase, cur: Cursor) -> tuple[Span, tuple[Span, ...]] | None:
    """``では市長と懇談``, ``で担当課長と懇談しました`` after the name: who met the
    visitors (an aside) and what was done; ``None`` (the cursor back) otherwise."""
    v = r.v
    start = cur.pos
    cur.word(("では", "で", "は"))
    who_a = cur.pos
    cur.words(v.counterparts + v.counterpart_prefixes + ("・",))
    who_b = cur.pos
    span = cur.activity() if who_b > who_a else None
    if span is None:
        cur.pos = start
        return None
    cur.words(v.stop_fillers)
    return span, ((who_a, who_b),)


def _town_total(r: ReaderBase, cur: Cursor) -> int | None:
    """``の3市``, ``の計5市町村`` after the last stop of a list, or ``None``."""
    start = cur.pos
    cur.word(r.v.total_words)
    towns = cur.count((CountKind.TOWNS,))
    if towns is None or towns.value is None:
        cur.pos = start
        return None
    return towns.value


def _venue(r: ReaderBase, cur: Cursor, a: int, name_end: int) -> Span | bool | None:
    """The place after the name, ``None`` when there is none, ``False`` when the text
    there is not a place (the item is then not a stop)."""
    v = r.v
    start = cur.pos
    end = _venue_end(r, cur)
    x, y = r.strip(start, end)
    cur.pos = end
    if x >= y:
        return None
    if r.norm[x:y] in v.topic_endings + v.stop_fillers + _BEFORE_COUNT:
        cur.pos = x
        return None
    joiner = r.ending(x, y, _BEFORE_COUNT)
    place_end = y - len(joiner) if joiner and y - len(joiner) > x else y
    if not r.ending(x, place_end, v.place_words):
        return False
    if r.home is not None and not _in_home(r, a, name_end):
        return False
    cur.pos = place_end
    # 寒川町役場, 相模原市民会館: the place is named after the municipality
    if r.word_at(v.place_name_prefixes, x, place_end) and x == name_end:
        return (a, place_end)
    return (x, place_end)


def _venue_end(r: ReaderBase, cur: Cursor) -> int:
    """Where the place ends: at a count, a bracket, or an activity."""
    limit = cur.text_until_part()[1]
    for i in range(cur.pos, limit):
        joiner = r.word_at(r.v.activity_joiners, i, limit)
        if joiner and r.word_at(r.v.activities, i + len(joiner), cur.end):
            probe = Cursor(r, i, cur.end)
            if probe.activity() is not None:
                return i
    return limit


def _in_home(r: ReaderBase, a: int, name_end: int) -> bool:
    code = code_of(r.original(a, name_end), r.home)
    return code is not None and code[:2] == r.home


def _bracket(r: ReaderBase, stop: _Stop, group: Group) -> bool:
    """``（8人参加）``, ``（参加5人）``, ``（懇談、5人）``; other parts (organisations,
    results) are read as items of the sentence. False when a count in it is not the
    stop's people."""
    v = r.v
    extras = []
    for x, y in split_items(r, *group.inner):
        x, y = r.strip(x, y)
        if x >= y:
            continue
        cur = Cursor(r, x, y)
        cur.words(v.stop_fillers)
        amount = cur.amount((CountKind.PEOPLE,))
        if amount is not None:
            cur.words(v.stop_fillers + v.trailing_fillers)
            if not cur.done() or stop.amount is not None or amount.value is None:
                return False
            stop.amount = amount
            continue
        activity = r.word_at(v.activities, cur.pos, y)
        if activity and cur.pos + len(activity) == y and stop.inner_activity is None:
            stop.inner_activity = (cur.pos, y)
            continue
        if _counterparts(r, stop, x, y):
            continue
        extras.append((x, y))
    stop.extras = tuple(extras)
    return True


def _counterparts(r: ReaderBase, stop: _Stop, x: int, y: int) -> bool:
    """``市長``, ``担当課長と懇談`` inside a stop's brackets: who met the visitors (an
    aside) and what was done with them (the stop's activity)."""
    cur = Cursor(r, x, y)
    cur.words(r.v.counterparts + r.v.counterpart_prefixes + ("・",))
    who = cur.pos
    if who == x:
        return False
    if cur.done():
        stop.asides = (*stop.asides, (x, who))
        return True
    span = cur.activity()
    if span is None or not cur.done() or stop.inner_activity is not None:
        return False
    stop.inner_activity = span
    stop.asides = (*stop.asides, (x, who))
    return True


def _keep(r: ReaderBase, stops: list[_Stop]) -> None:
    s, sentence = r.state, r.sentence
    closing = None
    for stop in stops:
        name = r.original(*stop.name)
        own = stop.activity or stop.inner_activity
        entry = StopEntry(
            municipality=name,
            code=code_of(name, r.home),
            people=stop.amount.value if stop.amount else None,
            more=bool(stop.amount and stop.amount.at_least),
            activity=r.original(*own) if own else None,
            venue=r.original(*stop.venue) if stop.venue else None,
            approx=bool(stop.amount and stop.amount.approx),
        )
        s.stops.append(entry)
        index = len(s.stops) - 1
        if own is None:
            sentence.pending_stops.append(index)
        if stop.activity is not None:
            closing = r.original(*stop.activity)
        if stop.towns is not None:
            if s.towns is not None:
                r.warn("report.total_repeated", *stop.name)
            else:
                s.towns = stop.towns
        for x, y in stop.asides:
            r.aside(x, y)
        for x, y in stop.extras:
            r.read_list(x, y)
    if closing is not None:
        for i in sentence.pending_stops:
            s.stops[i] = replace(s.stops[i], activity=closing)
        sentence.last_run = [*sentence.pending_stops, len(s.stops) - 1]
        sentence.pending_stops.clear()


def read_activity(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """``懇談しました`` or ``町長と懇談`` after stops in the same sentence: the activity of
    the stops waiting for one, or a further activity of the last ones
    (``大磯町、二宮町を訪問し、懇談しました`` → 訪問・懇談). Who met them is an aside."""
    s, sentence = r.state, r.sentence
    if not (sentence.pending_stops or sentence.last_run):
        return None
    if any(not isinstance(p, Text) for p in parts):
        return None
    cur = Cursor(r, a, b, parts)
    cur.words((*r.v.counterparts, "・"))
    who = cur.pos
    span = cur.activity(joined=who > a)
    if span is None or not cur.done():
        return None
    activity = r.original(*span)
    if sentence.pending_stops:
        for i in sentence.pending_stops:
            s.stops[i] = replace(s.stops[i], activity=activity)
        sentence.last_run = list(sentence.pending_stops)
        sentence.pending_stops.clear()
    else:
        for i in sentence.last_run:
            s.stops[i] = replace(s.stops[i], activity=f"{s.stops[i].activity}・{activity}")
    if who > a:
        r.aside(a, who)
    return "activity"
