"""Cutting one item of a report sentence into parts: counts, bracketed groups and text.

A *count* is a number with the counter right after it (``5人``, ``12団体``, ``9カ所``,
``31筆``), or a bare number (``シール投票48``, ``役員2``). A number that is an ordinal,
a date, a time or part of a name (``第2日``, ``12月7日``, ``13:30``, ``9条の会``, ``10%``)
is text, and so is a quotation (``「75歳以上医療費2倍化反対」``). Kanji numerals count
only right before a counter (``三団体``, ``1万2千枚``), so ``九条の会`` and ``千葉`` stay
names. Everything runs in one pass over the item.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .grammar import CLOSING_BRACKETS, OPENING_BRACKETS, Vocabulary

_ARABIC = "0123456789"
# After a number, these followed by a digit make a time, a date or a range (13:30, 12/7).
_NUMBER_JOINS = ":/.-~〜～"
_WEEKDAY = set("月火水木金土日祝・")
# Quoted words (a petition's name 「介護を守れ」) are text: nothing in them is counted.
_QUOTES = "「『"


class CountKind(StrEnum):
    """What a count counts, from its counter."""

    PEOPLE = "people"
    ORGS = "orgs"
    SITES = "sites"
    TOWNS = "towns"
    UNIT = "unit"
    BARE = "bare"


@dataclass(frozen=True)
class Count:
    """``5人``: the span of the number and its counter, the value and the counter.

    ``value`` is ``None`` for ``数人`` (some people, how many unknown); ``vague`` is set
    for ``十数人`` / ``10数名`` (the value is then a floor).
    """

    start: int
    end: int
    value: int | None
    counter: str
    kind: CountKind
    vague: bool = False


@dataclass(frozen=True)
class Group:
    """A bracketed group ``（…）``: its span, brackets included."""

    start: int
    end: int

    @property
    def inner(self) -> tuple[int, int]:
        """The span inside the brackets."""
        return self.start + 1, self.end - 1


@dataclass(frozen=True)
class Text:
    """Anything else: names, words, ordinals, dates."""

    start: int
    end: int


Part = Count | Group | Text


def is_digit(char: str) -> bool:
    """An ASCII digit: counts are written in them (after NFKC); other scripts' digits are text."""
    return "0" <= char <= "9"


def matching_close(text: str, start: int, end: int) -> int | None:
    """The index of the bracket closing the one at ``start``, or ``None``."""
    stack: list[str] = []
    for i in range(start, end):
        char = text[i]
        if char in OPENING_BRACKETS:
            stack.append(CLOSING_BRACKETS[OPENING_BRACKETS.index(char)])
        elif char in CLOSING_BRACKETS:
            if not stack or stack.pop() != char:
                return None
            if not stack:
                return i
    return None


class Lexer:
    """Reads parts out of a normalised text; one per report sentence."""

    def __init__(self, text: str, vocabulary: Vocabulary) -> None:
        self.text = text
        self.v = vocabulary
        self.numeral_chars = (
            set(_ARABIC) | set(vocabulary.kanji_digits)
            | set(vocabulary.kanji_units) | set(vocabulary.kanji_myriad)
        )
        self.kinds = self._counter_kinds()

    def _counter_kinds(self) -> dict[str, CountKind]:
        v = self.v
        kinds = {w: CountKind.UNIT for w in v.tally_units}
        kinds.update({w: CountKind.TOWNS for w in v.town_counters})
        kinds.update({w: CountKind.SITES for w in v.site_counters})
        kinds[v.org_counter] = CountKind.ORGS
        kinds.update({w: CountKind.PEOPLE for w in v.people_counters})
        return kinds

    # -- the parts of an item ----------------------------------------------------

    def parts(self, start: int, end: int) -> list[Part]:
        """The parts of ``text[start:end]``, adjacent text merged."""
        out: list[Part] = []
        i = start
        while i < end:
            part, i = self._part_at(i, end)
            if isinstance(part, Text) and out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].start, part.end)
            else:
                out.append(part)
        return out

    def _part_at(self, i: int, end: int) -> tuple[Part, int]:
        char = self.text[i]
        if char in OPENING_BRACKETS:
            close = matching_close(self.text, i, end)
            if close is None:
                return Text(i, end), end
            if char in _QUOTES or self._is_weekday(i + 1, close):
                return Text(i, close + 1), close + 1
            return Group(i, close + 1), close + 1
        if char in self.numeral_chars:
            part = self._count_at(i, end)
            return part, part.end
        some = self._some_at(i, end)
        if some is not None:
            return some, some.end
        return Text(i, i + 1), i + 1

    def _is_weekday(self, start: int, end: int) -> bool:
        inner = self.text[start:end].strip()
        return 0 < len(inner) <= 3 and all(ch in _WEEKDAY for ch in inner)

    def _word(self, words: tuple[str, ...], at: int, end: int) -> str:
        """The longest of ``words`` at ``at`` (before ``end``), or ``""``."""
        for word in words:
            if self.text.startswith(word, at, end):
                return word
        return ""

    def _some_at(self, i: int, end: int) -> Count | None:
        """``数人`` (some people, how many not said) and ``数十人`` (a few tens)."""
        word = self._word(self.v.some_words, i, end)
        if not word:
            return None
        j = i + len(word)
        if j < end and self.text[j] in self.v.kanji_units:
            tens = self._count_at(j, end)
            if isinstance(tens, Count) and tens.value is not None and tens.counter:
                return Count(i, tens.end, 2 * tens.value, tens.counter, tens.kind, vague=True)
            return None
        counter = self._word(self.v.people_counters, j, end)
        if not counter:
            return None
        return Count(i, j + len(counter), None, counter, CountKind.PEOPLE)

    # -- numbers -----------------------------------------------------------------

    def _count_at(self, i: int, end: int) -> Part:
        """The count starting at ``i``, or the text that the number there is part of."""
        text = self.text
        j, value, kanji = self._number(i, end)
        if j == i:
            return Text(i, i + 1)
        if self._joins_number(j, end):
            return Text(i, self._past_joined(j, end))
        if self._is_ordinal(i):
            return Text(i, j)
        k = j
        while k < end and text[k].isspace():
            k += 1
        vague = False
        mark = self._word(self.v.vague_marks, k, end)
        if mark and self._word(self.v.counters, k + len(mark), end):
            vague, k = True, k + len(mark)
        counter = self._word(self.v.counters, k, end)
        blocked = self._word(self.v.not_counters, k, end)
        if counter and len(counter) >= len(blocked):
            return Count(i, k + len(counter), value, counter, self.kinds[counter], vague)
        if kanji or blocked or vague:
            return Text(i, j)
        return Count(i, j, value, "", CountKind.BARE)

    def _is_ordinal(self, i: int) -> bool:
        k = i
        while k > 0 and self.text[k - 1].isspace():
            k -= 1
        return any(self.text.endswith(p, 0, k) for p in self.v.ordinal_prefixes)

    def _joins_number(self, j: int, end: int) -> bool:
        """``13:30``, ``12/7``, ``1.5``, ``5-6``: the number goes on past a mark."""
        return j + 1 < end and self.text[j] in _NUMBER_JOINS and is_digit(self.text[j + 1])

    def _past_joined(self, j: int, end: int) -> int:
        """The end of ``13:30～15:00`` / ``2025/12/7`` from the end of its first number."""
        text = self.text
        while self._joins_number(j, end):
            j += 1
            while j < end and is_digit(text[j]):
                j += 1
        return j

    def _number(self, i: int, end: int) -> tuple[int, int, bool]:
        """End, value and whether kanji were used, of the numeral starting at ``i``."""
        text, v = self.text, self.v
        total = section = 0
        current: int | None = None
        kanji = False
        j = i
        while j < end:
            char = text[j]
            if is_digit(char):
                current = (current or 0) * 10 + int(char)
            elif char == "," and current is not None and self._thousands(j, end):
                pass
            elif char in v.kanji_digits:
                kanji = True
                current = (current or 0) * 10 + v.kanji_digits.index(char)
            elif char in v.kanji_units:
                kanji = True
                section += (1 if current is None else current) * v.kanji_units[char]
                current = None
            elif char in v.kanji_myriad and (current is not None or section):
                kanji = True
                total += (section + (current or 0)) * v.kanji_myriad[char]
                section, current = 0, None
            else:
                break
            j += 1
        return j, total + section + (current or 0), kanji

    def _thousands(self, i: int, end: int) -> bool:
        """A comma inside ``1,000`` separates thousands."""
        text = self.text
        digits = text[i + 1 : i + 4]
        return (
            i > 0
            and is_digit(text[i - 1])
            and len(digits) == 3
            and all(is_digit(c) for c in digits)
            and (i + 4 >= end or not is_digit(text[i + 4]))
        )
