"""Reading a report sentence (DOMAIN.md "The report sentence") into a :class:`ParsedReport`.

The sentence is cut into sentences (``。``) and items (``、`` ``,`` outside brackets).
Each item is, in this order: a total (``計4団体11人``, with an optional bracketed list),
a lower bound (``50人を超える``), the hall or online sites (``会場28人``,
``ZOOM 17カ所``), an entry followed by a total (``地区労1人の計4団体11人``,
``医療生協3人など50人を超える``), a result
(``署名31筆``) or an organisation (``年金者組合5人（うち支部役員2人）``). Words that
carry no count (``参加は``, ``でした``) are consumed. Anything else is quoted in a
``report.unplaced`` warning: no text is ever dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .bounds import within_bounds
from .checks import consistency_warnings
from .grammar import (
    CLOSING_BRACKETS,
    NUMBER,
    OPENING_BRACKETS,
    alternation,
    ending_word,
    vocabulary,
)
from .records import (
    BreakdownEntry,
    OptionEntry,
    ParsedReport,
    ParticipantEntry,
    ReportWarning,
    Stated,
    TallyEntry,
    Venue,
)
from .source import Source


@dataclass(frozen=True)
class _Patterns:
    total: re.Pattern[str]
    lower_bound: re.Pattern[str]
    venue: re.Pattern[str]
    online: re.Pattern[str]
    tally: re.Pattern[str]
    count: re.Pattern[str]
    counted: re.Pattern[str]
    pairs: re.Pattern[str]
    pair: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    v = vocabulary()
    people = alternation(v.people_counters)
    units = alternation(v.tally_units + v.people_counters)
    number = f"(?:{NUMBER})"
    return _Patterns(
        total=re.compile(
            rf"(?P<word>{alternation(v.total_words)})?\s*"
            rf"(?:(?P<orgs>{number})\s*{re.escape(v.org_counter)})?\s*"
            rf"(?:(?P<people>{number})\s*(?:{people}))?\s*(?:\((?P<list>.*)\))?",
            re.S,
        ),
        lower_bound=re.compile(
            rf"(?P<n>{number})\s*(?:{people})\s*(?:{alternation(v.lower_bound_words)})"
        ),
        venue=re.compile(
            rf"(?:{alternation(v.venue_words)})\s*は?\s*:?\s*(?P<n>{number})\s*(?:{people})"
        ),
        online=re.compile(
            rf"(?:{alternation(v.online_words)})\s*は?\s*:?\s*(?P<n>{number})\s*"
            rf"(?:{alternation(v.site_counters)})",
            re.I,
        ),
        tally=re.compile(
            rf"(?P<head>(?:.*?[^0-9,\s])?)\s*(?::\s*)?"
            rf"(?:(?P<n>{number})\s*(?P<unit>{units})?)?\s*(?:\((?P<opts>[^()]*)\))?",
            re.S,
        ),
        count=re.compile(
            rf"(?P<label>.*?[^0-9,\s:])\s*:?\s*(?P<n>{number})\s*(?P<ctr>{units})?", re.S
        ),
        # The counter is possessive: 人 after a count is never the start of the next label,
        # which keeps matching linear.
        counted=re.compile(rf"[0-9]\s*(?:{people})"),
        pairs=re.compile(rf"(?:[^0-9]+?(?:{number})(?:{people})?+)+", re.S),
        pair=re.compile(rf"(?P<label>[^0-9]+?)(?P<n>{number})(?P<ctr>{people})?", re.S),
    )


def _is_digit(char: str) -> bool:
    """An ASCII digit: counts are written in them (after NFKC); other scripts' digits are text."""
    return "0" <= char <= "9"


def _int(text: str | None) -> int | None:
    return None if text is None else int(text.replace(",", ""))


def _balanced(text: str) -> bool:
    """Every bracket in ``text`` is closed, in order."""
    stack: list[str] = []
    for char in text:
        if char in OPENING_BRACKETS:
            stack.append(CLOSING_BRACKETS[OPENING_BRACKETS.index(char)])
        elif char in CLOSING_BRACKETS and (not stack or stack.pop() != char):
            return False
    return not stack


@dataclass
class _State:
    """What the items read so far add up to."""

    participants: list[ParticipantEntry] = field(default_factory=list)
    tallies: list[TallyEntry] = field(default_factory=list)
    warnings: list[ReportWarning] = field(default_factory=list)
    orgs: int | None = None
    people: int | None = None
    at_least: int | None = None
    venue_people: int | None = None
    online_sites: int | None = None
    # The sentence said など: the organisations listed are not all of them.
    partial: bool = False


class _Reader:
    """Reads the items of one sentence into a :class:`_State`."""

    def __init__(self, text: str) -> None:
        self.src = Source(text)
        self.norm = self.src.norm
        self.state = _State()
        self.v = vocabulary()
        self.p = _patterns()

    # -- cutting -------------------------------------------------------------

    def split(self, start: int, end: int, separators: tuple[str, ...]) -> list[tuple[int, int]]:
        """Spans between separators that stand outside brackets."""
        parts: list[tuple[int, int]] = []
        depth = 0
        begin = start
        for i in range(start, end):
            char = self.norm[i]
            if char in OPENING_BRACKETS:
                depth += 1
            elif char in CLOSING_BRACKETS:
                depth = max(0, depth - 1)
            elif depth == 0 and char in separators and not self._thousands(i):
                parts.append((begin, i))
                begin = i + 1
        parts.append((begin, end))
        return parts

    def _thousands(self, i: int) -> bool:
        """A comma inside ``1,000`` separates thousands, not items."""
        n = self.norm
        return (
            n[i] == ","
            and i > 0
            and _is_digit(n[i - 1])
            and all(_is_digit(c) for c in n[i + 1 : i + 4])
            and len(n[i + 1 : i + 4]) == 3
            and (i + 4 >= len(n) or not _is_digit(n[i + 4]))
        )

    def read(self) -> None:
        """Read every sentence and item."""
        for start, end in self.split(0, len(self.norm), self.v.sentence_ends):
            for a, b in self.split(start, end, self.v.item_separators):
                self.item(a, b)

    # -- one item ------------------------------------------------------------

    def trim(self, a: int, b: int) -> tuple[int, int]:
        """Without spaces and the words around an item that carry no count."""
        a, b = self.src.strip(a, b)
        changed = True
        while changed and a < b:
            changed = False
            for word in self.v.leading_fillers:
                if self.norm.startswith(word, a, b):
                    a, b = self.src.strip(a + len(word), b)
                    changed = True
                    break
            for word in self.v.trailing_fillers:
                if b - a >= len(word) and self.norm.endswith(word, a, b):
                    a, b = self.src.strip(a, b - len(word))
                    changed = True
                    break
        return a, b

    def item(self, a: int, b: int) -> None:
        """Place one item, or quote it in a warning."""
        a, b = self.trim(a, b)
        if a >= b:
            return
        if b - a > self.v.longest_item or not _balanced(self.norm[a:b]):
            self.unplaced(a, b)
            return
        for handler in (
            self.total,
            self.lower_bound,
            self.venue,
            self.entry_then_total,
            self.tally,
            self.participant,
        ):
            if handler(a, b):
                return
        self.unplaced(a, b)

    def unplaced(self, a: int, b: int) -> None:
        """Quote a fragment that could not be placed."""
        self.state.warnings.append(ReportWarning("report.unplaced", {}, self.src.original(a, b)))

    # -- totals and venue ----------------------------------------------------

    def total(self, a: int, b: int, *, embedded: bool = False) -> bool:
        """``計4団体11人``, ``4団体11名``, ``計11人（…list…）``."""
        m = self.p.total.fullmatch(self.norm, a, b)
        if not m or not (m["orgs"] or m["people"]):
            return False
        # Inside an item, a total needs 計 or 団体 and takes no list after it.
        if embedded and (not (m["word"] or m["orgs"]) or m["list"] is not None):
            return False
        s = self.state
        if (m["orgs"] and s.orgs is not None) or (m["people"] and s.people is not None):
            self.state.warnings.append(
                ReportWarning("report.total_repeated", {}, self.src.original(a, b))
            )
        else:
            s.orgs = _int(m["orgs"]) if m["orgs"] else s.orgs
            s.people = _int(m["people"]) if m["people"] else s.people
        if m["list"] is not None:
            for x, y in self.split(m.start("list"), m.end("list"), self.v.item_separators):
                x, y = self.trim(x, y)
                if x < y and not self.participant(x, y):
                    self.unplaced(x, y)
        return True

    def lower_bound(self, a: int, b: int) -> bool:
        """``50人を超える`` (参加 already trimmed)."""
        m = self.p.lower_bound.fullmatch(self.norm, a, b)
        if not m:
            return False
        if self.state.at_least is not None:
            self.state.warnings.append(
                ReportWarning("report.total_repeated", {}, self.src.original(a, b))
            )
        else:
            self.state.at_least = _int(m["n"])
        return True

    def venue(self, a: int, b: int) -> bool:
        """``会場28人`` or ``オンライン9カ所`` / ``ZOOM 17ケ所``."""
        s = self.state
        m = self.p.venue.fullmatch(self.norm, a, b)
        attr = "venue_people"
        if not m:
            m = self.p.online.fullmatch(self.norm, a, b)
            attr = "online_sites"
        if not m:
            return False
        if getattr(s, attr) is not None:
            s.warnings.append(ReportWarning("report.venue_repeated", {}, self.src.original(a, b)))
        else:
            setattr(s, attr, _int(m["n"]))
        return True

    def entry_then_total(self, a: int, b: int) -> bool:
        """``地区労1人の計4団体11人``, ``医療生協3人など50人を超える``: an organisation,
        then a total or a lower bound."""
        for i in range(a + 1, b):
            as_total = self.p.total.fullmatch(self.norm, i, b)
            as_bound = self.p.lower_bound.fullmatch(self.norm, i, b)
            if not (as_total or as_bound):
                continue
            end, partial = self.without_joiners(a, i)
            if end <= a or _is_digit(self.norm[end - 1]):
                continue
            entry = self.read_participant(a, end)
            if entry is None:
                continue
            if as_total and not self.total(i, b, embedded=True):
                continue
            if as_bound and not as_total:
                self.lower_bound(i, b)
            self.commit_participant(entry)
            self.state.partial = self.state.partial or partial
            return True
        return False

    def without_joiners(self, a: int, b: int) -> tuple[int, bool]:
        """The end of ``地区労1人の`` / ``医療生協3人など`` without the joining words, and
        whether one of them says the list is partial."""
        partial = False
        changed = True
        while changed:
            changed = False
            _, b = self.src.strip(a, b)
            word = ending_word(self.norm[a:b], self.v.joiners)
            if word and b - len(word) > a:
                b -= len(word)
                changed = True
                partial = partial or word in self.v.partial_joiners
        return b, partial

    # -- results -------------------------------------------------------------

    def tally(self, a: int, b: int) -> bool:
        """``署名31筆``, ``「介護を守れ」署名15筆``, ``シール投票48（反対45、賛成3）``."""
        m = self.p.tally.fullmatch(self.norm, a, b)
        if not m or not m["head"]:
            return False
        ha, hb = m.start("head"), m.end("head")
        while hb > ha and self.norm[hb - 1] in ": \tは":
            hb -= 1
        if ha >= hb or not _balanced(self.norm[ha:hb]):
            return False
        unit = m["unit"]
        label, item, known = self.split_head(ha, hb)
        if unit not in self.v.tally_units and not known:
            return False
        options: list[OptionEntry] = []
        if m["opts"] is not None:
            for x, y in self.split(m.start("opts"), m.end("opts"), self.v.item_separators):
                x, y = self.src.strip(x, y)
                if x >= y:
                    continue
                c = self.p.count.fullmatch(self.norm, x, y)
                if c:
                    text = self.src.original(c.start("label"), c.end("label")).strip()
                    options.append(OptionEntry(text, int(c["n"].replace(",", ""))))
                else:
                    self.unplaced(x, y)
        self.state.tallies.append(
            TallyEntry(
                item=item,
                label=label,
                value=_int(m["n"]),
                unit=self.src.original(m.start("unit"), m.end("unit")) if unit else None,
                options=tuple(options),
            )
        )
        return True

    def split_head(self, a: int, b: int) -> tuple[str | None, str, bool]:
        """Label and item of ``年金署名`` / ``「介護を守れ」署名``, and whether the item is
        a known result word (an unknown one is a result only with a unit)."""
        n = self.norm
        whole = self.src.original(a, b).strip()
        if n[a] == "「" and "」" in n[a:b]:
            close = n.index("」", a, b)
            rest_a, rest_b = self.src.strip(close + 1, b)
            if rest_a >= rest_b:
                return None, whole, False
            label = self.src.original(a + 1, close).strip()
            known = ending_word(n[rest_a:rest_b], self.v.items) is not None
            return label or None, self.src.original(rest_a, rest_b).strip(), known
        word = ending_word(n[a:b], self.v.items)
        if word is None:
            return None, whole, False
        cut = b - len(word)
        if cut == a or n[cut - 1] == "・":
            return None, whole, True
        return self.src.original(a, cut).strip(), self.src.original(cut, b), True

    # -- organisations -------------------------------------------------------

    def participant(self, a: int, b: int) -> bool:
        """Place an organisation entry; False when the item is not one."""
        entry = self.read_participant(a, b)
        if entry is None:
            return False
        self.commit_participant(entry)
        return True

    def commit_participant(self, entry: tuple[ParticipantEntry, list[tuple[int, int]]]) -> None:
        """Keep the entry and quote the parts of its breakdown that were not understood."""
        self.state.participants.append(entry[0])
        for x, y in entry[1]:
            self.unplaced(x, y)

    def read_participant(
        self, a: int, b: int
    ) -> tuple[ParticipantEntry, list[tuple[int, int]]] | None:
        """``年金者組合5人（うち支部役員2人）ほか`` or ``医療生協役員2事務局1ほか``."""
        n = self.norm
        more = False
        breakdown: list[BreakdownEntry] = []
        bad: list[tuple[int, int]] = []
        for _ in range(2):
            a, b = self.src.strip(a, b)
            word = self.more_word(a, b)
            if word:
                more, b = True, b - len(word)
                continue
            if b > a and n[b - 1] == ")":
                open_at = self.matching_open(a, b - 1)
                if open_at is None or breakdown:
                    return None
                breakdown, bad = self.read_breakdown(open_at + 1, b - 1)
                b = open_at
        a, b = self.src.strip(a, b)
        if a >= b or any(ch in n[a:b] for ch in OPENING_BRACKETS + CLOSING_BRACKETS + ":"):
            return None
        named = self.read_name(a, b)
        if named is None:
            return None
        org_end, people, roles = named
        org = n[a:org_end].strip()
        if not org or self.is_reserved(org) or self.is_prose(org) or self.p.counted.search(org):
            return None
        entry = ParticipantEntry(
            org=self.src.original(a, org_end).strip(),
            people=people,
            more=more,
            breakdown=tuple(roles + breakdown),
        )
        return entry, bad

    def more_word(self, a: int, b: int) -> str | None:
        """``ほか`` at the end; ``他`` only after a count or a bracket (``その他`` is a name)."""
        word = ending_word(self.norm[a:b], self.v.more_words)
        if word is None or b - len(word) <= a:
            return None
        before = self.norm[b - len(word) - 1]
        if word != "ほか" and not (_is_digit(before) or before in ")" or before in "人名"):
            return None
        return word

    def matching_open(self, a: int, close: int) -> int | None:
        """The ``(`` that the ``)`` at ``close`` closes."""
        depth = 0
        for i in range(close, a - 1, -1):
            if self.norm[i] == ")":
                depth += 1
            elif self.norm[i] == "(":
                depth -= 1
                if depth == 0:
                    return i
        return None

    def read_name(self, a: int, b: int) -> tuple[int, int | None, list[BreakdownEntry]] | None:
        """Where the organisation's name ends, its people, and role counts after it."""
        n = self.norm
        if self.p.pairs.fullmatch(n, a, b):
            pairs = list(self.p.pair.finditer(n, a, b))
            first = pairs[0]["label"].rstrip()
            role = ending_word(first, self.v.roles)
            if role and (len(pairs) > 1 or not pairs[0]["ctr"]):
                org_end = a + len(first) - len(role)
                if org_end > a and n[a:org_end].strip():
                    roles = [
                        BreakdownEntry(
                            self.src.original(p.start("label"), p.end("label")).strip()
                            if i
                            else self.src.original(org_end, p.end("label")).strip(),
                            _int(p["n"]),
                        )
                        for i, p in enumerate(pairs)
                    ]
                    return org_end, None, roles
        m = self.p.count.fullmatch(n, a, b)
        if m and (m["ctr"] is None or m["ctr"] in self.v.people_counters):
            return m.end("label"), _int(m["n"]), []
        if _is_digit(n[b - 1]):
            return None
        return b, None, []

    def read_breakdown(self, a: int, b: int) -> tuple[list[BreakdownEntry], list[tuple[int, int]]]:
        """``うち支部役員2人、事務局1人`` inside the brackets."""
        entries: list[BreakdownEntry] = []
        bad: list[tuple[int, int]] = []
        for x, y in self.split(a, b, self.v.item_separators):
            x, y = self.src.strip(x, y)
            for opener in self.v.breakdown_openers:
                if self.norm.startswith(opener, x, y):
                    x, y = self.src.strip(x + len(opener), y)
                    break
            if x >= y:
                continue
            m = self.p.count.fullmatch(self.norm, x, y)
            if m and (m["ctr"] is None or m["ctr"] in self.v.people_counters):
                label = self.src.original(m.start("label"), m.end("label")).strip()
                entries.append(BreakdownEntry(label, _int(m["n"])))
            elif not _is_digit(self.norm[y - 1]) and not self.is_reserved(self.norm[x:y]):
                entries.append(BreakdownEntry(self.src.original(x, y).strip(), None))
            else:
                bad.append((x, y))
        return entries, bad

    def is_prose(self, name: str) -> bool:
        """A fragment that reads as prose (``晴天の中で``), not as a name."""
        too_long = len(name) > self.v.longest_name
        return too_long or ending_word(name, self.v.prose_endings) is not None

    def is_reserved(self, name: str) -> bool:
        """Words that are never an organisation (会場, オンライン, 署名, ほか …)."""
        v = self.v
        words = v.venue_words + v.online_words + v.items + v.more_words + v.total_words
        return name in words or name.casefold() in (w.casefold() for w in v.online_words)

    def result(self) -> ParsedReport:
        """The report, with the consistency warnings after those found while reading."""
        s = self.state
        report = within_bounds(ParsedReport(
            participants=tuple(s.participants),
            stated=Stated(s.orgs, s.people, s.at_least),
            venue=Venue(s.venue_people, s.online_sites),
            tallies=tuple(s.tallies),
        ))
        return ParsedReport(
            participants=report.participants,
            stated=report.stated,
            venue=report.venue,
            tallies=report.tallies,
            warnings=(*s.warnings, *report.warnings,
                      *consistency_warnings(report, partial=s.partial)),
        )


def parse_report(text: str) -> ParsedReport:
    """Read a report sentence; never raises on odd text, it warns instead."""
    reader = _Reader(text)
    reader.read()
    return reader.result()


def parse_report_unchecked(text: str) -> ParsedReport:
    """Read a report sentence without the consistency checks (only what the text says)."""
    reader = _Reader(text)
    reader.read()
    s = reader.state
    return ParsedReport(
        participants=tuple(s.participants),
        stated=Stated(s.orgs, s.people, s.at_least),
        venue=Venue(s.venue_people, s.online_sites),
        tallies=tuple(s.tallies),
        warnings=tuple(s.warnings),
    )
