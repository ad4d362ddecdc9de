"""What the rules of the reader share: the text, what has been read so far, and a
cursor that walks an item word by word and count by count.

The rules (``counts``, ``entries``, ``results``, ``stops``) each read one form of item;
``sentence.py`` cuts the sentence and tries them in turn.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from ..geo import fold
from .grammar import Vocabulary, vocabulary
from .lexer import Count, CountKind, Group, Lexer, Part, Text
from .records import ParticipantEntry, ReportWarning, StopEntry, TallyEntry
from .source import Source

HIRAGANA = ("\u3041", "\u309f")


def is_hiragana(char: str) -> bool:
    """A hiragana character (particles and okurigana are written in them)."""
    return HIRAGANA[0] <= char <= HIRAGANA[1]


@dataclass(frozen=True)
class Amount:
    """A count with what the words around it say: ``約40人`` (approx), ``50人を超える``
    and ``十数人`` (a floor)."""

    count: Count
    at_least: bool = False
    approx: bool = False

    @property
    def value(self) -> int | None:
        """The number counted (``None`` for ``数人``)."""
        return self.count.value


@dataclass
class Collected:
    """What the items read so far add up to."""

    participants: list[ParticipantEntry] = field(default_factory=list)
    tallies: list[TallyEntry] = field(default_factory=list)
    stops: list[StopEntry] = field(default_factory=list)
    warnings: list[ReportWarning] = field(default_factory=list)
    asides: list[str] = field(default_factory=list)
    orgs: int | None = None
    people: int | None = None
    at_least: int | None = None
    approx: int | None = None
    towns: int | None = None
    venue_people: int | None = None
    online_sites: int | None = None
    online_people: int | None = None
    hybrid: bool = False
    venue_approx: list[str] = field(default_factory=list)
    venue_at_least: list[str] = field(default_factory=list)
    # The sentence said など: the organisations listed are not all of them.
    partial: bool = False


@dataclass
class SentenceState:
    """What one sentence (up to 。) has open: its topic, stops waiting for their activity,
    organisations without a count waiting for a shared total, results per organisation
    waiting for the name of what they count."""

    items: int = 0
    topic: tuple[int, int] | None = None
    topic_text: tuple[int, int] | None = None
    topic_used: bool = False
    #: where the topic stands among the asides, should it end as one
    topic_aside_at: int = 0
    pending_stops: list[int] = field(default_factory=list)
    #: the stops the last activity of the sentence went to (``…を訪問し、懇談しました``)
    last_run: list[int] = field(default_factory=list)
    bare_run: list[int] = field(default_factory=list)
    org_tallies: list[int] = field(default_factory=list)
    needs_item: list[int] = field(default_factory=list)
    per_org: bool = False
    #: the poll whose answers may follow as items (``シール投票は75票で、反対72``)
    poll: int | None = None


class ReaderBase(ABC):
    """The text of the sentence and everything the rules need to read it."""

    def __init__(self, text: str, home: str | None) -> None:
        self.src = Source(text)
        self.norm = self.src.norm
        # Lower case, one character for one, for the online services (Zoom, ZOOM, zoom).
        self.low = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.norm)
        self.v: Vocabulary = vocabulary()
        self.lexer = Lexer(self.norm, self.v)
        self.home = home
        self.state = Collected()
        self.sentence = SentenceState()
        self.depth = 0
        #: the item being read ended in words said of things, not of organisations
        self.tail_is_prose = False
        self._folded: tuple[str, list[int], list[int]] | None = None

    # -- text ----------------------------------------------------------------------

    def original(self, a: int, b: int) -> str:
        """The text as written for the normalised span, without surrounding spaces."""
        a, b = self.src.strip(a, b)
        return self.src.original(a, b)

    def strip(self, a: int, b: int) -> tuple[int, int]:
        """The span without surrounding spaces."""
        return self.src.strip(a, b)

    def parts(self, a: int, b: int) -> list[Part]:
        """The counts, groups and text of a span."""
        return self.lexer.parts(a, b)

    def word_at(self, words: tuple[str, ...], at: int, end: int, *, caseless: bool = False) -> str:
        """The longest of ``words`` written at ``at`` (ending by ``end``), or ``""``."""
        text = self.low if caseless else self.norm
        for word in words:
            w = word.lower() if caseless else word
            if text.startswith(w, at, end):
                return word
        return ""

    def ending(self, a: int, b: int, words: tuple[str, ...]) -> str:
        """The longest of ``words`` that the span ends with (and is longer than), or ``""``."""
        for word in words:
            if b - len(word) >= a and self.norm.endswith(word, a, b):
                return word
        return ""

    def folded(self) -> tuple[str, list[int], list[int]]:
        """The text as municipality names are compared (:func:`geo.fold`), with the
        position in it of each normalised character and the way back."""
        if self._folded is None:
            chars: list[str] = []
            into: list[int] = []
            back: list[int] = []
            for i, ch in enumerate(self.norm):
                into.append(len(chars))
                if ch.isspace():
                    continue
                folded = fold(ch)
                chars.append(folded if len(folded) == 1 else ch)
                back.append(i)
            into.append(len(chars))
            self._folded = ("".join(chars), into, back)
        return self._folded

    # -- what is kept ----------------------------------------------------------------

    def unplaced(self, a: int, b: int) -> None:
        """Quote a fragment that could not be placed."""
        self.warn("report.unplaced", a, b)

    def warn(self, code: str, a: int, b: int) -> None:
        """A warning quoting the span."""
        self.state.warnings.append(ReportWarning(code, {}, self.original(a, b)))

    def aside(self, a: int, b: int) -> None:
        """Keep words read as prose around the values."""
        text = self.original(a, b)
        if text:
            self.state.asides.append(text)

    # -- reading nested lists (the sentence reader knows how) -------------------------

    @abstractmethod
    def read_list(self, a: int, b: int) -> None:
        """Read the items of ``text[a:b]`` (inside brackets) as items of the sentence."""


class Cursor:
    """Walks a span left to right, taking words, counts and groups; each step is one
    look at the text, so a rule reads an item in time linear in its length."""

    def __init__(self, reader: ReaderBase, a: int, b: int, parts: list[Part] | None = None) -> None:
        self.r = reader
        self.pos = a
        self.end = b
        self.at = {p.start: p for p in (parts if parts is not None else reader.parts(a, b))}

    def space(self) -> None:
        """Skip spaces."""
        while self.pos < self.end and self.r.norm[self.pos].isspace():
            self.pos += 1

    def word(self, words: tuple[str, ...], *, caseless: bool = False) -> str:
        """Take one of ``words`` here (``""`` when none is)."""
        self.space()
        found = self.r.word_at(words, self.pos, self.end, caseless=caseless)
        if found and not isinstance(self.at.get(self.pos), Count):
            self.pos += len(found)
            return found
        return ""

    def words(self, words: tuple[str, ...]) -> list[str]:
        """Take as many of ``words`` as follow each other here."""
        taken = []
        while word := self.word(words):
            taken.append(word)
        return taken

    def count(self, kinds: tuple[CountKind, ...]) -> Count | None:
        """Take a count of one of ``kinds`` here."""
        self.space()
        part = self.at.get(self.pos)
        if isinstance(part, Count) and part.kind in kinds:
            self.pos = part.end
            return part
        return None

    def amount(self, kinds: tuple[CountKind, ...]) -> Amount | None:
        """``約40人``, ``50人を超える``, ``40人ほど``, ``十数人``: a count and its bound."""
        v = self.r.v
        start = self.pos
        approx = bool(self.word(v.approx_before))
        count = self.count(kinds)
        if count is None:
            self.pos = start
            return None
        at_least = count.vague
        if self.word(v.lower_bound_words):
            at_least = True
        elif self.word(v.approx_after):
            approx = True
        return Amount(count, at_least, approx)

    def group(self) -> Group | None:
        """Take a bracketed group here."""
        self.space()
        part = self.at.get(self.pos)
        if isinstance(part, Group):
            self.pos = part.end
            return part
        return None

    def activity(self, *, joined: bool = True) -> tuple[int, int] | None:
        """``で懇談``, ``と懇談``, ``を訪問し懇談しました``, ``で懇談・宣伝``: the span of
        the activities (without the joiner and the tails); ``joined=False`` reads one
        without a joiner (``懇談しました``)."""
        v = self.r.v
        start = self.pos
        if not self.word(v.activity_joiners) and joined:
            return None
        first = self.word(v.activities)
        if not first:
            self.pos = start
            return None
        act_a = self.pos - len(first)
        act_b = self.pos
        while True:
            back = self.pos
            if self.word(v.activity_connectors) and self.word(v.activities):
                act_b = self.pos
                continue
            self.pos = back
            break
        self.words(v.activity_tails)
        return (act_a, act_b)

    def text_until_part(self) -> tuple[int, int]:
        """The text from here up to the next count or group (or the end)."""
        self.space()
        start = self.pos
        end = self.end
        for pos, part in self.at.items():
            if pos >= start and not isinstance(part, Text):
                end = min(end, pos)
        return start, end

    def done(self) -> bool:
        """Nothing but spaces is left."""
        self.space()
        return self.pos >= self.end
