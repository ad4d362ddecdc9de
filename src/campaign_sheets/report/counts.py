"""Items that count the whole action: totals, the hall and online participation.

- a total: ``計4団体11人``, ``4団体11名``, ``12団体から28人``, ``計3市町16人``,
  ``延べ120人``, ``約40人``, ``50人を超える``, ``十数人``, with an optional list in
  brackets after it (``計11人（年金者組合5人、…）``, ``（うち会場40人、オンライン12人）``);
- the hall and online: ``会場28人``, ``オンライン9カ所``, ``Zoom 9カ所（約20人）``,
  ``ZOOM参加者15人``, ``会場25人とZoom9カ所`` (services and site counters are data);
- a hybrid total without its split: ``会場＋オンラインで45人``,
  ``会場・オンライン合わせて50人を超える``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import Amount, Cursor, ReaderBase
from .lexer import CountKind, Group, Part

PEOPLE = (CountKind.PEOPLE,)
_BETWEEN_COUNTS = ("から", "より", "で", "の", "・")
_AFTER_COUNT = ("で", "が", "の", "と")
_BEFORE_ACTIVITY = ("の参加", "が参加し", "が参加して", "が参加", "参加")
_BETWEEN_VENUES = ("と", "・", "+", "及び", "および", "、", "/", "で", "の", "から", "が")
_HALL_FILLERS = ("には", "では", "は", "で", "が", "も", ":", "に")


@dataclass(frozen=True)
class Total:
    """What a total item says, before it is kept."""

    word: str
    orgs: int | None
    towns: int | None
    people: Amount | None
    group: Group | None


def parse_total(r: ReaderBase, a: int, b: int, parts: list[Part] | None = None) -> Total | None:
    """``計4団体11人（…）`` and its kin, or ``None``."""
    v = r.v
    cur = Cursor(r, a, b, parts)
    word = cur.word(v.total_words)
    orgs = cur.count((CountKind.ORGS,))
    if orgs:
        cur.words(_BETWEEN_COUNTS)
    towns = cur.count((CountKind.TOWNS,))
    if towns:
        cur.words(_BETWEEN_COUNTS)
    cur.word(v.total_words)
    people = cur.amount(PEOPLE)
    group = cur.group()
    # 5人で宣伝, 10数名で署名を集め, 30名の参加で宣伝: the activity is the action's own
    # (its row says it)
    back = cur.pos
    cur.words(_BEFORE_ACTIVITY)
    if cur.activity() is None:
        cur.pos = back
        cur.words(_AFTER_COUNT)
    if not cur.done() or not (orgs or towns or people):
        return None
    if people is not None and people.value is None:
        return None  # 数人: no number to keep
    return Total(
        word, orgs.value if orgs else None, towns.value if towns else None, people, group
    )


def keep_total(r: ReaderBase, total: Total, a: int, b: int) -> None:
    """Keep the numbers of a total (a second one of the same kind is a warning)."""
    s = r.state
    fields: list[tuple[str, int]] = []
    if total.orgs is not None:
        fields.append(("orgs", total.orgs))
    if total.towns is not None:
        fields.append(("towns", total.towns))
    if total.people is not None and total.people.value is not None:
        people = total.people
        name = "at_least" if people.at_least else "approx" if people.approx else "people"
        fields.append((name, total.people.value))
    if any(getattr(s, name) is not None for name, _ in fields):
        r.warn("report.total_repeated", a, b)
    else:
        for name, value in fields:
            setattr(s, name, value)
    if total.group is not None:
        inner_a, inner_b = total.group.inner
        r.read_list(*_without_opener(r, inner_a, inner_b))


def _without_opener(r: ReaderBase, a: int, b: int) -> tuple[int, int]:
    a, b = r.strip(a, b)
    opener = r.word_at(r.v.breakdown_openers, a, b)
    return a + len(opener), b


def read_total(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """A total standing as an item of its own."""
    total = parse_total(r, a, b, parts)
    if total is None:
        return None
    keep_total(r, total, a, b)
    return "total"


def read_hybrid(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """``会場＋オンラインで45人``: one total for the hall and online together."""
    v = r.v
    cur = Cursor(r, a, b, parts)
    cur.word(v.total_words)
    if not cur.word(v.hybrid_words):
        first_hall = bool(cur.word(v.venue_words))
        if not first_hall and not cur.word(v.online_words, caseless=True):
            return None
        # オンラインを含め50人以上: one side said, the other included
        if not cur.word(v.hybrid_including):
            if not cur.word(v.hybrid_joiners):
                return None
            second = v.online_words if first_hall else v.venue_words
            if not cur.word(second, caseless=first_hall):
                return None
    cur.words(v.hybrid_fillers)
    people = cur.amount(PEOPLE)
    group = cur.group()
    cur.words(_AFTER_COUNT)
    if people is None or people.value is None or not cur.done():
        return None
    keep_total(r, Total("", None, None, people, group), a, b)
    r.state.hybrid = True
    return "hybrid"


@dataclass
class _VenueCount:
    name: str
    amount: Amount


def read_venue(r: ReaderBase, a: int, b: int, parts: list[Part]) -> str | None:
    """``会場28人``, ``オンライン9カ所（約20人）``, ``会場25人とZoom9カ所``, and a total
    after them (``会場25人、オンライン20人の計45人``, ``Zoom9カ所で40人を超える参加``)."""
    v = r.v
    cur = Cursor(r, a, b, parts)
    found: list[_VenueCount] = []
    total: Total | None = None
    while not cur.done():
        if cur.word(v.venue_words):
            cur.words(_HALL_FILLERS)
            hall = cur.amount(PEOPLE)
            if hall is None:
                return None
            found.append(_VenueCount("people", hall))
        elif cur.word(v.online_words, caseless=True):
            halls = [f.amount.value for f in found if f.name == "people"]
            online = _online(r, cur, halls[0] if halls else r.state.venue_people)
            if not online:
                return None
            found.extend(online)
        elif found and (total := parse_total(r, cur.pos, b)) is not None:
            break
        else:
            return None
        cur.words(_BETWEEN_VENUES)
    if not found or any(f.amount.value is None for f in found):
        return None
    _keep_venue(r, found, a, b)
    if total is not None:
        keep_total(r, total, cur.pos, b)
    return "venue"


def _online(r: ReaderBase, cur: Cursor, hall: int | None) -> list[_VenueCount]:
    """After a service: ``9カ所``, ``20人``, ``9カ所（約20人）``, ``9カ所・20人``.

    With the hall already counted, more people than the hall after ``9カ所で`` are
    everyone (``会場25人、Zoom9カ所で40人を超える参加``): they are left for the total."""
    cur.words((*r.v.online_fillers, ":"))
    _service_in_brackets(r, cur)
    cur.words((*r.v.online_fillers, ":"))
    first = cur.amount((CountKind.SITES, CountKind.PEOPLE))
    if first is None:
        return []
    found = [_VenueCount(_online_name(first), first)]
    start = cur.pos
    group = cur.group()
    if group is not None:
        inner = Cursor(r, *group.inner)
        inner.words(r.v.online_fillers + r.v.stop_fillers)
        second = inner.amount((CountKind.SITES, CountKind.PEOPLE))
        inner.words(r.v.stop_fillers)
        if second is None or not inner.done():
            return []
    else:
        joiner = cur.words(("・", "/", "で", "、"))
        second = cur.amount((CountKind.SITES, CountKind.PEOPLE))
        whole = (
            hall is not None
            and "で" in joiner
            and found[0].name == "online_sites"
            and second is not None
            and second.count.kind is CountKind.PEOPLE
            and (second.value or 0) > hall
        )
        if second is None or whole:
            second = None
            cur.pos = start
    if second is not None:
        if _online_name(second) == found[0].name:
            return []
        found.append(_VenueCount(_online_name(second), second))
    return found


def _service_in_brackets(r: ReaderBase, cur: Cursor) -> None:
    """``オンライン（Zoom）``: the service named in brackets is skipped."""
    start = cur.pos
    group = cur.group()
    if group is None:
        return
    x, y = r.strip(*group.inner)
    word = r.word_at(r.v.online_words, x, y, caseless=True)
    if not word or x + len(word) != y:
        cur.pos = start


def _online_name(amount: Amount) -> str:
    return "online_people" if amount.count.kind is CountKind.PEOPLE else "online_sites"


_ATTRIBUTES = {"people": "venue_people", "online_sites": "online_sites",
               "online_people": "online_people"}


def _keep_venue(r: ReaderBase, found: list[_VenueCount], a: int, b: int) -> None:
    s = r.state
    if any(getattr(s, _ATTRIBUTES[f.name]) is not None for f in found):
        r.warn("report.venue_repeated", a, b)
        return
    for f in found:
        setattr(s, _ATTRIBUTES[f.name], f.amount.value)
        if f.amount.approx:
            s.venue_approx.append(f.name)
        elif f.amount.at_least:
            s.venue_at_least.append(f.name)
