"""Results: what was collected, handed out or counted.

- ``署名31筆``, ``「介護を守れ」署名15筆``, ``年金署名4筆``, ``チラシ・ティッシュ600個``,
  ``シール投票48（反対45、賛成3）``, ``風船200個`` (an unknown word with a unit);
- with words between the item and its number: ``署名：雨の中で18筆集まりました``,
  ``ティッシュ：開始前に300個を配布`` (the words are kept as an aside);
- the other way round: ``42筆の署名``, ``300枚のチラシを配布``;
- bounds: ``チラシ約500枚``, ``署名100筆以上``;
- per organisation, in a unit other than people (a tally with ``org``, never a head-count):
  ``医療生協が120冊``, ``医療生協が署名50筆``, ``署名は医療生協50筆``, and in a list
  ``団体別では医療生協が120冊、年金者組合80冊、地区労40冊の注文`` (what was counted is
  said once, after the list, before it as the topic, or by the unit: 筆 is 署名).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .context import Cursor, ReaderBase, is_hiragana
from .entries import is_prose, split_items
from .lexer import Count, CountKind, Group, Part, Text
from .records import OptionEntry, ReportWarning, TallyEntry

Span = tuple[int, int]
_VALUE_KINDS = (CountKind.UNIT, CountKind.PEOPLE, CountKind.BARE)


@dataclass(frozen=True)
class Head:
    """What the words before a result's number say."""

    item: str | None = None
    label: str | None = None
    known: bool = False
    org: Span | None = None
    word: Span | None = None
    aside: Span | None = None
    ga: bool = False
    # パンフ普及：医療生協120冊: a heading naming what the organisations counted
    heading: Span | None = None
    # 計80筆 after results per organisation: their total
    total: bool = False


@dataclass(frozen=True)
class _After:
    """What follows a result's number: a bound, the poll's answers, ``の注文``."""

    more: bool
    approx: bool
    group: Group | None
    trail: Span | None
    aside: Span | None = None


def read_result(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """Keep a result; ``None`` when the item is not one."""
    counts = [p for p in parts if isinstance(p, Count)]
    if not counts:
        return _item_alone(r, a, b, parts)
    count = counts[-1]
    if count.kind not in _VALUE_KINDS or count.value is None:
        return None
    after = _after(r, count, b, parts)
    if after is None:
        return None
    head_end = count.start
    approx_word = r.ending(a, head_end, r.v.approx_before)
    head_end -= len(approx_word)
    head = _head(r, a, head_end)
    if head is None:
        return None
    if _is_first_answer(r, head, count, after):
        return _poll_from_answer(r, head, count)
    unit = count.counter or None
    entry = TallyEntry(
        item="",
        value=count.value,
        unit=r.original(count.end - len(count.counter), count.end) if unit else None,
        more=after.more or count.vague,
        approx=after.approx or bool(approx_word),
    )
    if head.total and count.kind is CountKind.UNIT and after.trail is None and not after.group:
        counted = _org_sum(r, entry)
        if counted is not None:
            return _org_total(r, entry, counted, (a, b))
    return _keep(r, replace(head, total=False), entry, count, after)


def _after(r: ReaderBase, count: Count, b: int, parts: list[Part]) -> _After | None:
    v = r.v
    cur = Cursor(r, count.end, b, [p for p in parts if p.start >= count.end])
    floor = bool(cur.word(v.lower_bound_words))
    about = not floor and bool(cur.word(v.approx_after))
    group = cur.group()
    trail = None
    # シール投票は75票で、反対72、賛成3: the answers follow as items of their own
    cur.word(("で",))
    if particle := cur.word(("の", "を")):
        x, y = r.strip(cur.pos, b)
        if x >= y or any(not isinstance(p, Text) for p in r.parts(x, y)):
            return None
        cur.pos = b
        # 12筆を持ち寄りました: what was done with them, in the past, is prose; a goal
        # (3万筆を目標に) or anything else after the number is not a result.
        # 500個を配布し: what was done with them (の注文 names what was counted)
        handled = particle == "を" and r.word_at(r.v.result_verbs, x, y)
        if r.ending(x, y, r.v.done_endings) or handled:
            return _After(floor, about, group, None, (x, y))
        trail = (x, y)
    if not cur.done():
        # 600個配りきりました: what was done with them, in the past
        x, y = r.strip(cur.pos, b)
        plain = all(isinstance(p, Text) for p in r.parts(x, y)) and not is_hiragana(r.norm[x])
        if plain and trail is None and r.ending(x, y, r.v.done_endings):
            return _After(floor, about, group, None, (x, y))
        return None
    return _After(floor, about, group, trail)


def _keep(r: ReaderBase, head: Head, entry: TallyEntry, count: Count, after: _After) -> str | None:
    is_unit = count.kind is CountKind.UNIT
    if head.known and head.org is None:
        if after.trail is not None:
            return None
        return _tally(r, replace(entry, item=head.item or "", label=head.label), head, after)
    quoted = head.label is not None
    if head.org is not None or (
        head.word is not None and is_unit and not quoted and _is_org(r, head, entry)
    ):
        if not is_unit:
            return None
        org = head.org or head.word
        assert org is not None
        return _org_tally(r, replace(entry, org=r.original(*org), label=head.label), head, after)
    if after.trail is not None:
        label, item, known = split_head(r, *after.trail)
        if head.word is not None or not known:
            return None
        return _tally(r, replace(entry, item=item, label=label), head, after)
    if head.word is not None:
        if not is_unit:
            return None
        item = r.original(*head.word)
        return _tally(r, replace(entry, item=item, label=head.label), head, after)
    named = _topic_item(r) or _unit_item(r, entry)
    if named is None:
        return None
    label, item = named
    return _tally(r, replace(entry, item=item, label=label), head, after)


def _with_options(r: ReaderBase, entry: TallyEntry, after: _After) -> TallyEntry:
    """The poll's answers, read only once the item is known to be a result (a part that
    is not an answer is then quoted)."""
    if after.group is None:
        return entry
    x, y = r.strip(*after.group.inner)
    if r.word_at(r.v.breakdown_openers, x, y):
        # 15筆（うちネット署名3筆）: part of the result, not a poll's answers
        r.aside(x, y)
        return entry
    return replace(entry, options=_options(r, after.group))


def _tally(r: ReaderBase, entry: TallyEntry, head: Head, after: _After) -> str:
    r.state.tallies.append(_with_options(r, entry, after))
    if entry.item in r.v.poll_items and not after.group:
        r.sentence.poll = len(r.state.tallies) - 1
    for aside in (head.aside, after.aside):
        if aside is not None:
            r.aside(*aside)
    return "tally"


def _org_tally(r: ReaderBase, entry: TallyEntry, head: Head, after: _After) -> str:
    s, sentence = r.state, r.sentence
    entry = _with_options(r, entry, after)
    s.tallies.append(entry)
    index = len(s.tallies) - 1
    sentence.org_tallies.append(index)
    if head.item is not None:
        s.tallies[index] = replace(entry, item=head.item)
        if head.heading is not None and sentence.topic is None:
            # the organisations after it in the sentence counted the same thing
            sentence.topic = head.heading
    else:
        sentence.needs_item.append(index)
    if after.trail is not None:
        label, item = _trail_item(r, *after.trail)
        for i in sentence.needs_item:
            s.tallies[i] = replace(s.tallies[i], item=item, label=label)
        sentence.needs_item.clear()
    if after.aside is not None:
        r.aside(*after.aside)
    return "org_tally"


def _org_sum(r: ReaderBase, entry: TallyEntry) -> int | None:
    """The sum of this sentence's results per organisation in ``entry``'s unit, or
    ``None`` when there are none."""
    same = [r.state.tallies[i] for i in r.sentence.org_tallies]
    same = [t for t in same if t.unit == entry.unit]
    if not same:
        return None
    return sum(t.value or 0 for t in same)


def _org_total(r: ReaderBase, entry: TallyEntry, counted: int, span: Span) -> str:
    """``計80筆`` after ``医療生協50筆、年金者組合30筆``: the organisations' results add
    up to it (then it is an aside: nothing is lost), or a warning quotes it."""
    if counted == entry.value and not entry.more and not entry.approx:
        r.aside(*span)
    else:
        params: dict[str, object] = {"stated": entry.value, "counted": counted, "unit": entry.unit}
        r.state.warnings.append(
            ReportWarning("report.tally_total_mismatch", params, r.original(*span))
        )
    return "tally_total"


def _trail_item(r: ReaderBase, x: int, y: int) -> tuple[str | None, str]:
    """What the organisations counted, after their list: ``の注文`` → 注文,
    ``のパンフを注文`` → パンフ (what was done with it is an aside)."""
    for i in range(x + 1, y - 1):
        if r.norm[i] == "を":
            label, item, known = split_head(r, x, i)
            if known:
                r.aside(i + 1, y)
                return label, item
    label, item, _known = split_head(r, x, y)
    return label, item


def _is_org(r: ReaderBase, head: Head, entry: TallyEntry) -> bool:
    """Whether ``X N冊`` is a count of organisation X (else X is the item)."""
    assert head.word is not None
    name = r.norm[head.word[0] : head.word[1]]
    same_unit = any(r.state.tallies[i].unit == entry.unit for i in r.sentence.org_tallies)
    return (
        head.ga
        or r.sentence.per_org
        or same_unit
        or any(name.endswith(s) for s in r.v.org_suffixes)
        or _topic_item(r, use=False) is not None
    )


def _topic_item(r: ReaderBase, *, use: bool = True) -> tuple[str | None, str] | None:
    """The sentence's topic when it names a known item (``署名は、12筆``)."""
    topic = r.sentence.topic
    if topic is None:
        return None
    label, item, known = split_head(r, *topic)
    if not known:
        return None
    if use:
        r.sentence.topic_used = True
    return label, item


def _unit_item(r: ReaderBase, entry: TallyEntry) -> tuple[str | None, str] | None:
    item = r.v.unit_items.get(entry.unit or "")
    return (None, item) if item else None


def finish_org_tallies(r: ReaderBase) -> None:
    """At the end of a sentence: results per organisation still without an item take the
    topic (``パンフ注文は、医療生協120冊…``), else the unit's item, else none."""
    s, sentence = r.state, r.sentence
    if not sentence.needs_item:
        return
    named: tuple[str | None, str] | None = None
    if sentence.topic is not None and not sentence.topic_used:
        label, item, _known = split_head(r, *sentence.topic)
        named = (label, item)
        sentence.topic_used = True
    for i in sentence.needs_item:
        entry = s.tallies[i]
        label, item = named or _unit_item(r, entry) or (None, "")
        s.tallies[i] = replace(entry, item=item, label=label)
    sentence.needs_item.clear()


def _item_alone(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """``署名`` or ``シール投票（反対45、賛成3）``: a known item without a number."""
    group = parts[-1] if parts and isinstance(parts[-1], Group) else None
    end = group.start if group else b
    if any(not isinstance(p, Text) for p in parts if p.start < end):
        return None
    a, end = r.strip(a, end)
    if a >= end:
        return None
    label, item, known = split_head(r, a, end)
    if not known:
        return None
    options = _options(r, group) if group else ()
    r.state.tallies.append(TallyEntry(item=item, label=label, options=options))
    return "tally"


def _is_first_answer(r: ReaderBase, head: Head, count: Count, after: _After) -> bool:
    """``シール投票：反対52``: a poll without its total, its first answer after a colon."""
    return (
        head.org is not None
        and head.item in r.v.poll_items
        and (count.kind is CountKind.BARE or count.counter in r.v.poll_units)
        and after.trail is None
        and after.group is None
        and not (after.more or after.approx)
    )


def _poll_from_answer(r: ReaderBase, head: Head, count: Count) -> str:
    assert head.org is not None and head.item is not None and count.value is not None
    answer = OptionEntry(r.original(*head.org), count.value)
    r.state.tallies.append(TallyEntry(item=head.item, label=head.label, options=(answer,)))
    r.sentence.poll = len(r.state.tallies) - 1
    return "tally"


def read_poll_answer(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """``反対72`` after ``シール投票は75票で`` in the same sentence: an answer of that poll."""
    index = r.sentence.poll
    if index is None or len(parts) != 2:
        return None
    text, count = parts
    if not isinstance(text, Text) or not isinstance(count, Count) or count.value is None:
        return None
    bare = count.kind is CountKind.BARE
    if not (bare or count.counter in r.v.poll_units) or count.end != b:
        return None
    label_a, label_b = r.strip(a, count.start)
    label_b -= len(r.ending(label_a, label_b, (":",)))
    if r.ending(label_a, label_b, r.v.approx_before):
        return None  # an answer is counted, never about
    label = r.norm[label_a:label_b]
    if not label or is_prose(r, label) or r.ending(label_a, label_b, r.v.item_particles):
        return None
    if split_head(r, label_a, label_b)[2]:
        return None  # シール投票48、署名12: another result, not an answer
    poll = r.state.tallies[index]
    answer = OptionEntry(r.original(label_a, label_b), count.value)
    r.state.tallies[index] = replace(poll, options=(*poll.options, answer))
    return "answer"


def _options(r: ReaderBase, group: Group) -> tuple[OptionEntry, ...]:
    """``（反対45、賛成3）``; a part that is not an answer is quoted."""
    options: list[OptionEntry] = []
    for x, y in split_items(r, *group.inner):
        x, y = r.strip(x, y)
        if x >= y:
            continue
        parts = r.parts(x, y)
        if (
            len(parts) == 2
            and isinstance(parts[0], Text)
            and isinstance(parts[1], Count)
            and parts[1].value is not None
            and not r.norm[parts[0].start : parts[0].end].rstrip(": ").endswith(
                r.v.topic_endings + r.v.item_particles
            )
        ):
            label_end = parts[0].end
            while label_end > x and r.norm[label_end - 1] in ": ":
                label_end -= 1
            options.append(OptionEntry(r.original(x, label_end), parts[1].value))
        else:
            r.unplaced(x, y)
    return tuple(options)


# -- the words before the number -------------------------------------------------------


def _head(r: ReaderBase, a: int, b: int) -> Head | None:
    """Item, label, organisation and aside of the words before a result's number."""
    v = r.v
    a, b = r.strip(a, b)
    if a >= b:
        return Head()
    total = r.ending(a, b, ("累計", *v.total_words))
    if total and b - len(total) == a:
        return Head(total=True)
    if total and b - len(total) > a:
        a, b = r.strip(a, b - len(total))
    particle = r.ending(a, b, v.item_particles)
    if particle and b - len(particle) > a:
        b -= len(particle)
        a, b = r.strip(a, b)
    colon = r.norm.rfind(":", a, b)
    if colon > a:
        # 年金者組合：署名40筆: the organisation, a colon, what it counted
        o_label, o_item, o_known = split_head(r, colon + 1, b)
        org = r.strip(a, colon)
        if o_known and not is_prose(r, r.norm[org[0] : org[1]]) and split_head(r, *org)[2] is False:
            return Head(item=o_item, label=o_label, known=True, org=org)
    label, item, known = split_head(r, a, b)
    if known and label is not None and label.endswith("が"):
        by_ga = _split_by_ga(r, a, b)
        if by_ga is not None:
            return by_ga
    if known:
        return Head(item=item, label=label, known=True)
    if label is not None:
        # 「介護を守れ」風船: a quoted label before an unknown word (a result with a unit)
        close = r.norm.index("」", a, b)
        return Head(word=r.strip(close + 1, b), label=label)
    split = _split_after_item(r, a, b)
    if split is not None:
        return split
    by_ga = _split_by_ga(r, a, b)
    if by_ga is not None:
        return by_ga
    headed = _split_after_heading(r, a, b)
    if headed is not None:
        return headed
    name = r.norm[a:b]
    if "(" in name or ")" in name:
        return None
    if is_prose(r, name):
        # 署名は、通行人の方々から36筆: who gave them is an aside; the topic or the
        # unit says what was counted
        if particle == "" and _topic_item(r, use=False) is not None:
            return Head(aside=(a, b))
        return None
    return Head(word=(a, b), ga=particle == "が")


def _split_after_item(r: ReaderBase, a: int, b: int) -> Head | None:
    """``署名：雨の中で``, ``署名は医療生協``: an item, a particle or colon, then an aside
    or the organisation that counted."""
    v = r.v
    marks = [i for i in range(a + 1, b) if r.norm[i] == ":"]
    if not marks:
        marks = [i for i in range(a + 1, b) if r.norm[i] in "はがをも"]
    for mark in marks:
        left_b = r.strip(a, mark)[1]
        label, item, known = split_head(r, a, left_b)
        if not known:
            continue
        x, y = r.strip(mark + 1, b)
        if x >= y:
            return Head(item=item, label=label, known=True)
        rest = r.norm[x:y]
        prose = is_prose(r, rest) or any(rest.endswith(w) for w in v.item_particles)
        if prose or rest in v.result_verbs:
            return Head(item=item, label=label, known=True, aside=(x, y))
        return Head(item=item, label=label, known=True, org=(x, y))
    return None


def _split_after_heading(r: ReaderBase, a: int, b: int) -> Head | None:
    """``パンフ普及：医療生協``, ``チラシ配布：駅頭で``: a heading that is not a known
    item, a colon, then the organisation that counted or an aside."""
    marks = [i for i in range(a + 1, b - 1) if r.norm[i] == ":"]
    if len(marks) != 1:
        return None
    left, right = r.strip(a, marks[0]), r.strip(marks[0] + 1, b)
    if left[0] >= left[1] or right[0] >= right[1]:
        return None
    heading, rest = r.norm[left[0] : left[1]], r.norm[right[0] : right[1]]
    if is_prose(r, heading) or any(not isinstance(p, Text) for p in r.parts(a, b)):
        return None
    if is_prose(r, rest):
        return Head(word=left, aside=right)
    return Head(item=r.original(*left), org=right, heading=left)


def _split_by_ga(r: ReaderBase, a: int, b: int) -> Head | None:
    """``医療生協が署名``: the organisation, が, the item."""
    for i in range(a + 1, b - 1):
        if r.norm[i] != "が":
            continue
        name = r.norm[a:i].strip()
        label, item, known = split_head(r, *r.strip(i + 1, b))
        if known and name and not is_prose(r, name):
            return Head(item=item, label=label, known=True, org=r.strip(a, i))
    return None


def split_head(r: ReaderBase, a: int, b: int) -> tuple[str | None, str, bool]:
    """Label and item of ``年金署名`` / ``「介護を守れ」署名`` / ``チラシ・ティッシュ``, and
    whether the item is a known result word (an unknown one is a result only with a unit)."""
    n, v = r.norm, r.v
    a, b = r.strip(a, b)
    # 署名数, 相談件数: the count of an item is that item
    suffix = r.ending(a, b, v.item_suffixes)
    if suffix and r.ending(a, b - len(suffix), v.items):
        b -= len(suffix)
    whole = r.original(a, b)
    if a >= b:
        return None, whole, False
    # パンフ「社会保障の今」: an item, then its title
    if n[b - 1] == "」" and "「" in n[a:b] and n[a] != "「":
        opening = n.rindex("「", a, b)
        if r.ending(a, opening, v.items) == n[a:opening].strip():
            return r.original(opening + 1, b - 1) or None, r.original(a, opening), True
    if n[a] == "「" and "」" in n[a:b]:
        close = n.index("」", a, b)
        rest_a, rest_b = r.strip(close + 1, b)
        if rest_a >= rest_b:
            return None, whole, False
        label = r.original(a + 1, close)
        known = bool(r.ending(rest_a, rest_b, v.items))
        return label or None, r.original(rest_a, rest_b), known
    word = r.ending(a, b, v.items)
    if not word:
        return None, whole, False
    cut = b - len(word)
    if cut == a:
        return None, whole, True
    joiner = r.ending(a, cut, v.item_joiners)
    if joiner == "・" or (joiner and r.ending(a, cut - len(joiner), v.items)):
        return None, whole, True
    return r.original(a, cut), r.original(cut, b), True
