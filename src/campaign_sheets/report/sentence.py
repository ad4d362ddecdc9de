"""Reading a report sentence (DOMAIN.md "The report sentence") into a :class:`ParsedReport`.

The text is cut into sentences (``。``, a new line) and items (``、`` ``,`` outside
brackets, and ``や`` between two names). Each item is cut into counts, brackets and
text (``lexer.py``), then read by the first rule that fits, in this order:

1. a stop: a municipality with the shape of a stop (``stops.py``);
2. the topic of the sentence: a first item with no count ending in は (``キャラバン第2日は``,
   ``署名は``, ``懇談は``): the item of the results after it, the activity of the stops
   after it, else kept as an aside;
3. words saying where and what with no count (``△△駅前で宣伝行動を行い``): an aside;
4. a hybrid total, a total, the hall and online (``counts.py``);
5. an organisation followed by a total (``entries.py``);
6. a result (``results.py``);
7. an organisation.

Words that carry no count (``参加は``, ``でした``) are consumed. Anything else is quoted in
a ``report.unplaced`` warning: no text is ever dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from dataclasses import replace

from .bounds import within_bounds
from .checks import consistency_warnings
from .context import ReaderBase, SentenceState, is_hiragana
from .counts import read_hybrid, read_total, read_venue
from .entries import read_entry_then_total, read_others, read_participant, split_items
from .grammar import CLOSING_BRACKETS, OPENING_BRACKETS
from .lexer import Count, Part, Text
from .records import ParsedReport, Stated, Venue
from .results import finish_org_tallies, read_poll_answer, read_result
from .stops import read_activity, read_place_aside, read_stop

Rule = Callable[[ReaderBase, int, int, list[Part]], str | None]
_RULES: tuple[Rule, ...] = (
    read_place_aside,
    read_activity,
    read_poll_answer,
    read_others,
    read_hybrid,
    read_total,
    read_venue,
    read_entry_then_total,
    read_result,
    read_participant,
)
# Brackets inside brackets inside brackets are read no deeper.
_DEEPEST = 3


def _balanced(text: str) -> bool:
    """Every bracket in ``text`` is closed, in order."""
    stack: list[str] = []
    for char in text:
        if char in OPENING_BRACKETS:
            stack.append(CLOSING_BRACKETS[OPENING_BRACKETS.index(char)])
        elif char in CLOSING_BRACKETS and (not stack or stack.pop() != char):
            return False
    return not stack


class Reader(ReaderBase):
    """Reads every sentence and item of a report into the collected values."""

    def read(self) -> None:
        """Read every sentence and item."""
        for start, end in self._sentences():
            self.sentence = SentenceState()
            for a, b in self._items(start, end):
                self.item(a, b)
            self._finish_sentence()

    # -- cutting -------------------------------------------------------------------

    def _sentences(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        depth = 0
        begin = 0
        for i, char in enumerate(self.norm):
            if char in OPENING_BRACKETS:
                depth += 1
            elif char in CLOSING_BRACKETS:
                depth = max(0, depth - 1)
            elif depth == 0 and char in self.v.sentence_ends:
                spans.append((begin, i))
                begin = i + 1
        spans.append((begin, len(self.norm)))
        return spans

    def _items(self, a: int, b: int) -> list[tuple[int, int]]:
        """Items between separators, and names joined by ``や`` or ``／`` apart, and
        counted items joined by ``・`` (``署名12筆・チラシ300枚``)."""
        spans: list[tuple[int, int]] = []
        for x, y in split_items(self, a, b):
            begin = x
            depth = 0
            ends = {p.end for p in self.parts(x, y) if isinstance(p, Count)}
            hall_or_online = self._hall_or_online(x, y)
            for i in range(x, y):
                char = self.norm[i]
                if char in OPENING_BRACKETS:
                    depth += 1
                elif char in CLOSING_BRACKETS:
                    depth = max(0, depth - 1)
                elif depth == 0 and (
                    (not hall_or_online and self._inline_separator(i, x, y))
                    or self._after_count_separator(i, y, ends)
                ):
                    spans.append((begin, i))
                    begin = i + 1
            spans.append((begin, y))
        return spans

    def _hall_or_online(self, a: int, b: int) -> bool:
        """An item about the hall and online (``会場/オンライン合わせて``): its ``/`` joins."""
        x, _ = self.strip(a, b)
        v = self.v
        return bool(
            self.word_at(v.venue_words + v.total_words, x, b)
            or self.word_at(v.online_words, x, b, caseless=True)
        )

    def _inline_separator(self, i: int, a: int, b: int) -> bool:
        """``や`` or ``／`` between two names (not kana nor digits on either side)."""
        n = self.norm
        return (
            n[i] in self.v.inline_separators
            and a < i < b - 1
            and not is_hiragana(n[i - 1])
            and not is_hiragana(n[i + 1])
            and not n[i - 1].isdigit()
            and not n[i + 1].isdigit()
        )

    def _after_count_separator(self, i: int, b: int, ends: set[int]) -> bool:
        """``・`` right after a count or its bracket, before a name (not before a number:
        ``9カ所・20人`` is one item)."""
        n = self.norm
        if i + 1 >= b:
            return False
        if n[i].isspace():
            # 年金者組合５人　医療生協３人: spaces after a count, before a name
            j = i
            while j < b and n[j].isspace():
                j += 1
            if j >= b or is_hiragana(n[j]) or i not in ends or not n[i - 1:i].strip():
                return False
            after = n[j]
        elif n[i] in self.v.after_count_separators:
            if not (i in ends or n[i - 1] in CLOSING_BRACKETS):
                return False
            after = n[i + 1]
        else:
            return False
        return not after.isdigit() and after not in OPENING_BRACKETS + "約" and not self.word_at(
            self.v.lower_bound_words + self.v.approx_after + self.v.trailing_fillers, i + 1, b
        )

    def read_list(self, a: int, b: int) -> None:
        """The items inside brackets (after a total, in a stop), read like the others."""
        if self.depth >= _DEEPEST:
            self.unplaced(a, b)
            return
        self.depth += 1
        try:
            for x, y in split_items(self, a, b):
                self.item(x, y, nested=True)
        finally:
            self.depth -= 1

    # -- one item ------------------------------------------------------------------

    def trim(self, a: int, b: int) -> tuple[int, int]:
        """Without spaces and the words around an item that carry no count; a heading
        that says the counts are per organisation (``団体別では``) is noted."""
        v = self.v
        a, b = self.strip(a, b)
        changed = True
        while changed and a < b:
            changed = False
            heading = self.word_at(v.org_tally_headings, a, b)
            if heading:
                self.sentence.per_org = True
                # 団体別の署名は: the heading, then what is counted
                if self.norm.startswith("の", a + len(heading), b):
                    heading += "の"
            word = heading or self.word_at(v.leading_fillers, a, b)
            if word:
                a, b = self.strip(a + len(word), b)
                # 参加者：年金者組合5人
                if self.norm.startswith(":", a, b):
                    a, b = self.strip(a + 1, b)
                changed = True
            word = self.ending(a, b, v.trailing_fillers)
            if word and b - len(word) >= a:
                a, b = self.strip(a, b - len(word))
                changed = True
                self.tail_is_prose = self.tail_is_prose or word in v.prose_tails
        return a, b

    def item(self, a: int, b: int, *, nested: bool = False) -> str | None:
        """Place one item, or quote it in a warning; what it was read as (``None``:
        quoted)."""
        self.tail_is_prose = False
        a, b = self.trim(a, b)
        if a >= b:
            return "empty"
        first = self.sentence.items == 0 and not nested
        self.sentence.items += 1
        if b - a > self.v.longest_item or not _balanced(self.norm[a:b]):
            self.unplaced(a, b)
            self.sentence.bare_run.clear()
            return None
        parts = self.parts(a, b)
        kind = read_stop(self, a, b, parts)
        if kind is None and first:
            kind = self._topic(a, b, parts)
        # 前向きな回答がありました: words without a count before such a tail are prose
        prose = self.tail_is_prose and not any(isinstance(p, Count) for p in parts)
        for rule in _RULES:
            if kind is not None:
                break
            if not (prose and rule is read_participant):
                kind = rule(self, a, b, parts)
        if kind is None:
            kind = self._after_topic(a, b, parts, nested)
        if kind is None:
            self.unplaced(a, b)
        if kind != "bare":
            self.sentence.bare_run.clear()
        return kind

    def _topic(self, a: int, b: int, parts: list[Part]) -> str | None:
        """``キャラバン第2日は``, ``署名は``: a first item with no count, ending in は."""
        if any(isinstance(p, Count) for p in parts):
            return None
        ending = self.ending(a, b, self.v.topic_endings)
        end = b - len(ending)
        if not ending or end <= a or self.norm[a:end].strip() == "":
            return None
        self.sentence.topic = self.strip(a, end)
        self.sentence.topic_text = (a, b)
        self.sentence.topic_aside_at = len(self.state.asides)
        return "topic"

    def _after_topic(self, a: int, b: int, parts: list[Part], nested: bool) -> str | None:
        """``学習会には会場38人``: a topic without a count, then an item; read the item, the
        topic as the sentence's (or an aside when it has one)."""
        n = self.norm
        first_count = min((p.start for p in parts if not isinstance(p, Text)), default=b)
        for i in range(a + 1, min(first_count, b - 1)):
            if n[i] != "は" or (is_hiragana(n[i - 1]) and n[i - 1] not in "にで"):
                continue
            end = i - 1 if n[i - 1] in "にで" else i
            if end <= a or is_hiragana(n[end - 1]):
                continue
            # Only when what follows the topic is read: else the item is quoted whole.
            saved = deepcopy((self.state, self.sentence))
            at = len(self.state.asides)
            if self.item(i + 1, b, nested=True) is None:
                self.state, self.sentence = saved
                return None
            if self.sentence.topic is None and not nested:
                self.sentence.topic = self.strip(a, end)
                self.sentence.topic_text = (a, i + 1)
                self.sentence.topic_aside_at = at
            else:
                self.state.asides.insert(at, self.original(a, i + 1))
            return "topic"
        return None

    def _finish_sentence(self) -> None:
        """What the end of a sentence closes: the topic's use, waiting stops and results."""
        sentence = self.sentence
        finish_org_tallies(self)
        topic = sentence.topic
        if topic is not None and not sentence.topic_used and sentence.pending_stops:
            activity = self.word_at(self.v.activities, *topic)
            if activity and topic[0] + len(activity) == topic[1]:
                for i in sentence.pending_stops:
                    self.state.stops[i] = replace(self.state.stops[i], activity=activity)
                sentence.topic_used = True
        if sentence.topic_text is not None and not sentence.topic_used:
            text = self.original(*sentence.topic_text)
            self.state.asides.insert(sentence.topic_aside_at, text)

    # -- the result ----------------------------------------------------------------

    def unchecked(self) -> ParsedReport:
        """Only what the text says, without the consistency checks."""
        s = self.state
        return ParsedReport(
            participants=tuple(s.participants),
            stated=Stated(s.orgs, s.people, s.at_least, s.approx, s.towns),
            venue=Venue(
                s.venue_people,
                s.online_sites,
                s.online_people,
                s.hybrid,
                tuple(s.venue_approx),
                tuple(s.venue_at_least),
            ),
            tallies=tuple(s.tallies),
            warnings=tuple(s.warnings),
            stops=tuple(s.stops),
            asides=tuple(s.asides),
        )

    def result(self) -> ParsedReport:
        """The report, with the consistency warnings after those found while reading."""
        report = within_bounds(self.unchecked())
        checks = consistency_warnings(report, partial=self.state.partial)
        return ParsedReport(
            participants=report.participants,
            stated=report.stated,
            venue=report.venue,
            tallies=report.tallies,
            warnings=(*report.warnings, *checks),
            stops=report.stops,
            asides=report.asides,
        )


def parse_report(text: str, home: str | None = None) -> ParsedReport:
    """Read a report sentence; never raises on odd text, it warns instead.

    ``home`` is the two-digit code of the home prefecture: municipalities named in the
    sentence resolve inside it first (``緑区`` is then 横浜市緑区 or 相模原市緑区 …)."""
    reader = Reader(text, home)
    reader.read()
    return reader.result()


def parse_report_unchecked(text: str, home: str | None = None) -> ParsedReport:
    """Read a report sentence without the consistency checks (only what the text says)."""
    reader = Reader(text, home)
    reader.read()
    return reader.unchecked()

