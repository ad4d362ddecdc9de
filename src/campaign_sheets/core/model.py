"""The domain model: actions, organisations, participation, results, registrations.

Plain frozen dataclasses: values in, values out. Kinds, statuses and visibilities
and their Japanese labels come from the data tables in ``data/``.
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from importlib import resources

from .text import match_key


@dataclass(frozen=True)
class Kind:
    """A kind of action (``street``, ``study`` …) with its Japanese labels."""

    key: str
    label: str
    labels: tuple[str, ...]
    en: str
    #: False for kinds that take no registration (a drive's deadline): no link is
    #: made for them from the configured template
    registration: bool = True
    #: False for kinds campaign-sheets makes itself (a drive's deadline, from the
    #: 署名 tab): they are not offered in the 種別 dropdown nor among the choices
    offered: bool = True
    #: False for kinds whose 終了 is not the council's own report (a hearing is decided
    #: by the assembly): a roll-up counts them only when they have records
    counted_when_done: bool = True


def _load_data(name: str) -> dict[str, object]:
    path = resources.files("campaign_sheets") / "data" / name
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def kinds() -> tuple[Kind, ...]:
    """Every kind, in the order of the data table."""
    rows = _load_data("kinds.toml")["kind"]
    assert isinstance(rows, list)
    return tuple(
        Kind(key=r["key"], label=r["label"], labels=tuple(r["labels"]), en=r["en"],
             registration=r.get("registration", True), offered=r.get("offered", True),
             counted_when_done=r.get("counted_when_done", True))
        for r in rows
    )


def offered_kinds() -> tuple[Kind, ...]:
    """The kinds organisers choose from in the 種別 column (not those the tool makes)."""
    return tuple(k for k in kinds() if k.offered)


@cache
def _kind_index() -> Mapping[str, Kind]:
    index: dict[str, Kind] = {}
    for kind in kinds():
        for text in (kind.key, kind.label, *kind.labels):
            index[match_key(text)] = kind
    return index


def find_kind(text: str) -> Kind | None:
    """The kind a label or key names (``駅頭宣伝`` → street), or ``None``."""
    return _kind_index().get(match_key(text))


def kind_by_key(key: str) -> Kind:
    """The kind with this key; ``KeyError`` if there is none."""
    for kind in kinds():
        if kind.key == key:
            return kind
    raise KeyError(key)


def kind_label(key: str, unknown: str | None = None) -> str:
    """The Japanese label of a kind key; for an unknown key, ``unknown`` (else the key)."""
    try:
        return kind_by_key(key).label
    except KeyError:
        return key if unknown is None else unknown


class Status(StrEnum):
    """The 状態 of an action."""

    PLANNED = "planned"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    DONE = "done"


#: Statuses whose actions no roll-up counts: what was reported for them is not added up.
NOT_COUNTED = frozenset({Status.CANCELLED, Status.POSTPONED})


class Visibility(StrEnum):
    """Who may see an action: everyone, members only, or nobody outside the sheet."""

    PUBLIC = "public"
    MEMBERS = "members"
    PRIVATE = "private"


@cache
def _labels() -> Mapping[str, Mapping[str, Mapping[str, object]]]:
    return _load_data("labels.toml")  # type: ignore[return-value]


def label_of(value: Status | Visibility) -> str:
    """The Japanese label of a status or visibility (``中止``, ``会員`` …)."""
    group = "status" if isinstance(value, Status) else "visibility"
    return str(_labels()[group][value.value]["label"])


def labels_for(group: str) -> list[str]:
    """The canonical Japanese labels of ``status`` or ``visibility``, for dropdowns."""
    return [str(entry["label"]) for entry in _labels()[group].values()]


@cache
def _unit_index() -> Mapping[str, str]:
    units = _labels()["units"]
    return {match_key(str(v)): canonical for canonical, variants in units.items()
            for v in variants}


def canonical_unit(unit: str | None) -> str:
    """The one spelling roll-ups use for a unit (``ヶ所`` → ``カ所``, ``名`` → ``人``)."""
    if not unit:
        return ""
    return _unit_index().get(match_key(unit), unit)


def find_status(text: str) -> Status | None:
    """The status a cell names, or ``None``."""
    return _find("status", text, Status)  # type: ignore[return-value]


def find_visibility(text: str) -> Visibility | None:
    """The visibility a cell names, or ``None``."""
    return _find("visibility", text, Visibility)  # type: ignore[return-value]


def _find(group: str, text: str, enum: type[StrEnum]) -> StrEnum | None:
    key = match_key(text)
    for value, entry in _labels()[group].items():
        labels = entry["labels"]
        assert isinstance(labels, list)
        if key in {match_key(str(label)) for label in labels} or key == value:
            return enum(value)
    return None


@dataclass(frozen=True)
class Repetition:
    """How an action repeats: an RFC 5545 RRULE value and the skipped dates.

    ``rule`` is the RRULE value without the ``RRULE:`` prefix
    (``FREQ=MONTHLY;BYMONTHDAY=4,14,24``); ``text`` is what the organiser typed.
    """

    rule: str
    text: str = ""
    exdates: tuple[date, ...] = ()


#: A calendar day (the name ``date`` is a field of the classes below).
Day = date


@dataclass(frozen=True)
class Action:
    """One row of the 行動 tab, validated.

    ``start is None`` means an all-day action; ``end is None`` with a start means
    the end is unknown (``13時より``), never a zero-length action. ``end_date`` is the
    last day of an action of several days (``11月12～13日``), after ``date``; ``None``
    for a one-day action. A timed action of several days has its hours on each day.
    ``municipality`` is the six-digit code of the municipality the action is held in
    when it is known for certain (a hearing is held at its assembly), ``""`` otherwise:
    then :func:`campaign_sheets.geo.place_of` reads it from 住所, 会場 or 地域.
    """

    id: str
    kind: str
    title: str
    date: date
    # spelt _dt.date: inside the class body ``date`` is the field above
    end_date: _dt.date | None = None
    start: time | None = None
    end: time | None = None
    venue: str = ""
    address: str = ""
    online: str = ""
    organizer: str = ""
    orgs: tuple[str, ...] = ()
    series: str = ""
    speaker: str = ""
    repetition: Repetition | None = None
    registration: str = ""
    capacity: int | None = None
    status: Status = Status.PLANNED
    visibility: Visibility = Visibility.PUBLIC
    region: str = ""
    description: str = ""
    contact: str = ""
    report: str = ""
    municipality: str = ""
    row: int = 0
    #: in a tree of many councils' sheets, the two-digit code of the prefecture whose
    #: sheet the action came from (its feed is ``prefectures/<code>.ics``); ``""`` else
    council: str = ""

    def __post_init__(self) -> None:
        if self.end_date is not None and self.end_date <= self.date:
            raise ValueError(
                f"action {self.id!r}: end_date {self.end_date} is not after date {self.date}"
            )

    @property
    def last_date(self) -> _dt.date:
        """The last day the action is held: ``end_date``, or ``date`` for one day."""
        return self.end_date or self.date

    @property
    def days(self) -> int:
        """How many days the action lasts (1 for a one-day action)."""
        return (self.last_date - self.date).days + 1

    @property
    def all_day(self) -> bool:
        """True when no start time was given."""
        return self.start is None

    @property
    def organisations(self) -> tuple[str, ...]:
        """The organiser followed by the co-organisers, without repeats."""
        names = [self.organizer, *self.orgs] if self.organizer else list(self.orgs)
        return tuple(dict.fromkeys(n for n in names if n))


def chronological_key(action: Action) -> tuple[date, time, bool, str]:
    """The order every output lists actions in: by date, all-day first, then start
    time and ID — never the sheet's row order, so moving rows changes no output."""
    return (action.date, action.start or time(0), action.start is not None, action.id)


@dataclass(frozen=True)
class Organisation:
    """A member organisation of the 団体 tab; roll-ups are by ``name``."""

    name: str
    short: str = ""
    aliases: tuple[str, ...] = ()
    key: str = ""
    category: str = ""
    row: int = 0


@dataclass(frozen=True)
class Breakdown:
    """A part of an organisation's count: ``（うち 支部役員2人）``."""

    label: str
    people: int | None


@dataclass(frozen=True)
class Participation:
    """How many people an organisation sent to an action.

    ``people is None`` means unknown (never zero); ``more`` is the ``ほか`` mark.
    ``source`` is ``"tab"`` (参加 tab), ``"report"`` (参加報告 sentence) or ``"form"``.
    ``municipality`` is the code of the stop the row is attributed to (the 自治体
    column), ``""`` for the action as a whole.
    """

    event_id: str
    org: str
    people: int | None
    more: bool = False
    breakdown: tuple[Breakdown, ...] = ()
    note: str = ""
    source: str = "tab"
    row: int = 0
    municipality: str = ""


@dataclass(frozen=True)
class Option:
    """One answer of a sticker poll: ``反対45``."""

    label: str
    value: int


@dataclass(frozen=True)
class Tally:
    """A counted result of an action: signatures, leaflets, a sticker poll …"""

    event_id: str
    item: str
    value: int | None
    label: str | None = None
    unit: str | None = None
    options: tuple[Option, ...] = ()
    source: str = "tab"
    row: int = 0
    #: the organisation that counted it (``医療生協が120冊``); ``None`` for the action's own
    org: str | None = None
    #: the code of the stop the result is attributed to (the 自治体 column), or ``""``
    municipality: str = ""


@dataclass(frozen=True)
class Stop:
    """One stop of a caravan: a municipality visited, from the 行程 tab or named in the
    参加報告 sentence (``寒川町（8人参加）``).

    ``code`` is the municipality's 6-digit code and ``municipality`` its name as
    written; ``date`` is the day of the stop, ``None`` when it is not known which of
    the caravan's days it was (a stop only the sentence names, on a caravan of several
    days). ``start is None`` means no time was given; ``people is None`` is unknown.
    ``source`` is ``"tab"`` (行程 tab) or ``"report"`` (参加報告 sentence); ``row`` is
    the 行程 row, or the 行動 row of the sentence.
    """

    event_id: str
    code: str
    municipality: str
    order: int | None = None
    date: date | None = None
    start: time | None = None
    end: time | None = None
    venue: str = ""
    activity: str = ""
    people: int | None = None
    more: bool = False
    note: str = ""
    source: str = "tab"
    row: int = 0


@dataclass(frozen=True)
class Registration:
    """A registration from the form responses: only what may be counted.

    Personal columns (name, e-mail, phone) are never read into the model.
    """

    event_id: str
    org: str
    people: int | None
    timestamp: datetime | None = None
    row: int = 0


@dataclass(frozen=True)
class Workbook:
    """Everything read from a workbook, validated."""

    actions: tuple[Action, ...] = ()
    orgs: tuple[Organisation, ...] = ()
    participation: tuple[Participation, ...] = ()
    tallies: tuple[Tally, ...] = ()
    registrations: tuple[Registration, ...] = ()
    #: the caravans' stops of the 行程 tab (the sentences' are added in the roll-up)
    stops: tuple[Stop, ...] = ()
    #: the two-digit code of the home prefecture its municipality names resolve in
    #: (the configuration's ``prefecture``), ``None`` for none
    home: str | None = None
    #: tab key (``events``, ``participation`` …) → the tab's name as the workbook spells it
    sheet_names: Mapping[str, str] = field(default_factory=dict)
    #: tab key → field key → (0-based column index, header as spelt), to point at cells
    columns: Mapping[str, Mapping[str, tuple[int, str]]] = field(default_factory=dict)

    def cell_of(self, tab: str, field_key: str) -> tuple[str, int | None, str | None]:
        """(sheet name, column index, header) of a field, for making a :class:`Problem`."""
        sheet = self.sheet_names.get(tab, tab)
        col, header = self.columns.get(tab, {}).get(field_key, (None, None))
        return sheet, col, header
