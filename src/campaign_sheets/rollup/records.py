"""Merging the sources of participation and results into one set of records.

Each action's 参加報告 sentence is parsed into records (``source="report"``); the
参加 and 成果 tabs give records too (``source="tab"``). Where an action has both,
the tabs win and any difference becomes a warning at the 参加報告 cell, so nothing
is "fixed" silently. Registrations (申込) stay apart: registered is not attended.
A caravan's stops are its 行程 rows with the ones its sentence names
(:func:`~campaign_sheets.geo.merge_sentence_stops`): the rows win, a count that
differs is a warning at the row's 人数 cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, TypeVar

from ..core.config import Config
from ..core.model import (
    Action,
    Breakdown,
    Option,
    Participation,
    Registration,
    Stop,
    Tally,
    Workbook,
)
from ..core.orgs import OrgIndex
from ..core.problems import Nested, Problem, column_letter, make_problem, message_table
from ..core.schema import tab_spec
from ..geo import MergedStops, home_code, merge_sentence_stops, ordered_stops, register
from .tables import label, venue_labels


class StatedLike(Protocol):
    """The totals a sentence states (``計4団体11人``, ``50人を超える``)."""

    @property
    def orgs(self) -> int | None: ...
    @property
    def people(self) -> int | None: ...
    @property
    def people_at_least(self) -> int | None: ...


class VenueLike(Protocol):
    """``会場28人、オンライン9カ所``."""

    @property
    def people(self) -> int | None: ...
    @property
    def online_sites(self) -> int | None: ...


#: A record kind that has an action (``event_id``) and comes from a tab or a sentence.
R = TypeVar("R", Participation, Tally)
#: A record of an action that a tab or a sentence gives.
E = TypeVar("E", Participation, Tally, Stop)

#: event ID → what its sentence states: (totals, venue).
StatedMap = Mapping[str, tuple[StatedLike, VenueLike]]


@dataclass(frozen=True)
class Records:
    """Everything counted, from every source, with the problems found merging them."""

    participation: tuple[Participation, ...] = ()
    tallies: tuple[Tally, ...] = ()
    registrations: tuple[Registration, ...] = ()
    stated: StatedMap = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    #: every caravan's stops, each route in order
    stops: tuple[Stop, ...] = ()
    #: the home prefecture's code the workbook's places resolve in
    home: str | None = None

    def only(self, event_ids: Iterable[str]) -> Records:
        """The records of these actions alone (an audience's view)."""
        keep = frozenset(event_ids)
        return Records(
            participation=tuple(p for p in self.participation if p.event_id in keep),
            tallies=tuple(t for t in self.tallies if t.event_id in keep),
            registrations=tuple(r for r in self.registrations if r.event_id in keep),
            stated={k: v for k, v in self.stated.items() if k in keep},
            problems=self.problems,
            stops=tuple(s for s in self.stops if s.event_id in keep),
            home=self.home,
        )

    def stops_of(self, event_id: str) -> tuple[Stop, ...]:
        """One action's stops, in route order."""
        return self._stops_by_event.get(event_id, ())

    @cached_property
    def _stops_by_event(self) -> Mapping[str, tuple[Stop, ...]]:
        return {key: tuple(value) for key, value in _group(self.stops).items()}


def home_of(config: Config) -> str | None:
    """The two-digit code of the configuration's home prefecture (``None`` when it names
    none): municipalities in report sentences resolve inside it first."""
    return home_code(config.prefecture, config.lang)


def _parser(home: str | None) -> Callable[[str], Any]:
    # Imported here so the roll-up can be loaded (and its tables built) on its own.
    from ..report.sentence import parse_report

    return lambda text: parse_report(text, home)


def _reading(parsed: Mapping[str, Any], home: str | None) -> Callable[[str], Any]:
    grammar = _parser(home)
    return lambda text: parsed[text] if text in parsed else grammar(text)


_last: list[tuple[Workbook, str | None, Records]] = []
_parsed: list[tuple[str | None, Mapping[str, Any]]] = []


def collect_records(
    workbook: Workbook,
    home: str | None = None,
    *,
    parse: Callable[[str], Any] | None = None,
    parsed: Mapping[str, Any] | None = None,
) -> Records:
    """Participation and results of every action, from its sentence and the tabs.

    ``home`` is the home prefecture's code (:func:`home_of`; the workbook's own when not
    given): municipalities in sentences resolve inside it first. A stop named in a
    sentence is never an organisation, and a result counted per organisation is a tally
    of it, never participation. ``parse`` reads a sentence into a
    :class:`~campaign_sheets.report.ParsedReport` (the report grammar unless given). One
    sync asks for the same workbook's records several times (reports, the 集計 tab,
    problems); the last answer of the grammar is kept so sentences are parsed once.
    ``parsed`` holds sentences the grammar already read in ``home``, by their text
    (:mod:`.sentence_cache`): they are not read again, and the answer is the same.
    """
    home = home if home is not None else workbook.home
    if parse is not None:
        return _collect(workbook, home, parse)
    if _last and _last[0][0] is workbook and _last[0][1] == home:
        return _last[0][2]
    if parsed is not None:
        # a later call for another workbook of the same sheet (the feeds' and pages'
        # workbook with the drives' deadlines) reads its sentences from them too
        _parsed[:] = [(home, parsed)]
    known = parsed if parsed is not None else next(
        (p for h, p in _parsed if h == home), None)
    records = _collect(workbook, home, _reading(known, home) if known else None)
    _last[:] = [(workbook, home, records)]
    return records


def _collect(
    workbook: Workbook, home: str | None, reader: Callable[[str], Any] | None = None
) -> Records:
    index = OrgIndex(workbook.orgs)
    tab_people = _group(workbook.participation)
    tab_tallies = _group(workbook.tallies)
    tab_stops = _group(workbook.stops)
    participation: list[Participation] = []
    tallies: list[Tally] = []
    stops: list[Stop] = []
    stated: dict[str, tuple[StatedLike, VenueLike]] = {}
    problems: list[Problem] = []
    parse = (reader or _parser(home)) if any(a.report.strip() for a in workbook.actions) else None
    for action in workbook.actions:
        tabbed_people = tab_people.pop(action.id, [])
        tabbed_tallies = tab_tallies.pop(action.id, [])
        tabbed_stops = tab_stops.pop(action.id, [])
        if parse is None or not action.report.strip():
            participation += tabbed_people
            tallies += tabbed_tallies
            stops += tabbed_stops
            continue
        cell = _SentenceCell(workbook, action)
        parsed = parse(action.report)
        stated[action.id] = (parsed.stated, parsed.venue)
        problems += [cell.problem_for_warning(w) for w in parsed.warnings]
        said_people = [_participation(action, p, index, cell, problems)
                       for p in parsed.participants]
        said_tallies = _tallies(action, parsed, index, cell, problems)
        participation += _prefer_tab(tabbed_people, said_people, cell, problems, _people_key)
        tallies += _prefer_tab(tabbed_tallies, said_tallies, cell, problems, _tally_key)
        merged = merge_sentence_stops(action, tabbed_stops, parsed.stops, home)
        problems += _stop_problems(merged, workbook, cell)
        stops += ordered_stops(merged.stops, action)
    # Records of actions not in the events tab (left out by the loader's errors) stay.
    for rest in tab_people.values():
        participation += rest
    for rest_tallies in tab_tallies.values():
        tallies += rest_tallies
    for rest_stops in tab_stops.values():
        stops += rest_stops
    problems += _off_route(workbook, participation, tallies, stops)
    return Records(
        participation=tuple(participation),
        tallies=tuple(tallies),
        registrations=tuple(workbook.registrations),
        stated=stated,
        problems=tuple(problems),
        stops=tuple(stops),
        home=workbook.home,
    )


def _stop_problems(merged: MergedStops, workbook: Workbook, cell: _SentenceCell) -> list[Problem]:
    """Warnings for the sentence's stops: a count the 行程 row gives otherwise (at the
    row's 人数 cell), a municipality that cannot be told (at the sentence)."""
    sheet, col, column = workbook.cell_of("stops", "people")
    problems = []
    for conflict in merged.conflicts:
        stop, entry = conflict.stop, conflict.entry
        tab_cell = f"{sheet}!{column_letter(col)}{stop.row}" if col is not None else sheet
        report_cell = (f"{cell.sheet}!{column_letter(cell.col)}{cell.row}"
                       if cell.col is not None and cell.row else cell.sheet)
        problems.append(make_problem(
            "stop.count_differs", sheet, stop.row, col, column,
            municipality=stop.municipality, tab_cell=tab_cell, tabbed=stop.people,
            report_cell=report_cell, said=entry.people,
            text=f"{entry.municipality}{entry.venue or ''}（{entry.people}人）",
        ))
    for unresolved in merged.unresolved:
        found = unresolved.resolution
        assert found.code is not None
        problems.append(cell.problem(
            "stop.sentence_unresolved", text=unresolved.entry.municipality,
            reason=Nested(found.code, found.problem_params()),
        ))
    return problems


def _off_route(
    workbook: Workbook,
    participation: Sequence[Participation],
    tallies: Sequence[Tally],
    stops: Sequence[Stop],
) -> list[Problem]:
    """Warnings for 参加 / 成果 rows attributed (自治体) to a municipality the action
    does not stop in."""
    route: dict[str, set[str]] = defaultdict(set)
    for stop in stops:
        route[stop.event_id].add(stop.code)
    actions = {a.id for a in workbook.actions}
    problems = []
    for tab, records in (("participation", participation), ("results", tallies)):
        sheet, col, column = workbook.cell_of(tab, "municipality")
        for record in records:
            if (record.source == "tab" and record.municipality and record.event_id in actions
                    and record.municipality not in route[record.event_id]):
                problems.append(make_problem(
                    "stop.not_on_route", sheet, record.row, col, column,
                    value=_typed_name(record.municipality), event=record.event_id,
                ))
    return problems


def _typed_name(code: str) -> str:
    entry = register().by_code(code)
    return entry.name if entry is not None else code


def _group(records: Iterable[E]) -> dict[str, list[E]]:
    grouped: dict[str, list[E]] = defaultdict(list)
    for record in records:
        grouped[record.event_id].append(record)
    return grouped


class _SentenceCell:
    """Where an action's 参加報告 cell is, for problems about its sentence."""

    def __init__(self, workbook: Workbook, action: Action) -> None:
        self.sheet, self.col, self.column = workbook.cell_of("events", "report")
        self.row = action.row or None
        self.event = action.id
        self.sheet_names = workbook.sheet_names

    def problem(self, code: str, **params: Any) -> Problem:
        return make_problem(code, self.sheet, self.row, self.col, self.column, **params)

    def problem_for_warning(self, warning: Any) -> Problem:
        """A sentence warning at this cell, in its own code when it has a message."""
        code = str(getattr(warning, "code", ""))
        if code in message_table():
            extra = getattr(warning, "params", {}) or {}
            params = {"text": getattr(warning, "text", ""), **extra}
            return self.problem(code, **params)
        return self.problem("rollup.sentence_note", text=str(getattr(warning, "text", "")))


def _canonical_org(
    typed: str, index: OrgIndex, cell: _SentenceCell, problems: list[Problem]
) -> str:
    """The 団体 tab's name of an organisation as a sentence writes it (an unknown one is
    kept as written, with a problem)."""
    if not index:
        return typed
    found = index.resolve(typed)
    if found.name is not None:
        return found.name
    hint: Nested | str = ""
    if found.suggestion:
        hint = Nested("org.suggestion", {"name": found.suggestion})
    problems.append(cell.problem("org.unknown", value=typed, suggestion=hint))
    return typed


def _participation(
    action: Action, entry: Any, index: OrgIndex, cell: _SentenceCell, problems: list[Problem]
) -> Participation:
    org = _canonical_org(str(entry.org), index, cell, problems)
    return Participation(
        event_id=action.id,
        org=org,
        people=entry.people,
        more=bool(entry.more),
        breakdown=tuple(Breakdown(str(b.label), b.people) for b in entry.breakdown),
        source="report",
        row=action.row,
    )


def _tallies(
    action: Action, parsed: Any, index: OrgIndex, cell: _SentenceCell, problems: list[Problem]
) -> list[Tally]:
    out = [
        Tally(
            event_id=action.id,
            item=str(t.item),
            value=t.value,
            label=t.label,
            unit=t.unit,
            options=tuple(Option(str(o.label), int(o.value)) for o in t.options),
            source="report",
            row=action.row,
            org=None if t.org is None else _canonical_org(str(t.org), index, cell, problems),
        )
        for t in parsed.tallies
    ]
    # 会場28人 / オンライン9カ所 are kept as the 成果 items the tab would use for them.
    venue = venue_labels()
    for item, unit, value in (
        (venue["people_item"], venue["people_unit"], parsed.venue.people),
        (venue["online_item"], venue["online_unit"], parsed.venue.online_sites),
        (venue["online_people_item"], venue["online_people_unit"], parsed.venue.online_people),
    ):
        if value is not None:
            out.append(Tally(action.id, item, value, unit=unit, source="report", row=action.row))
    return out


def _people_key(p: Participation) -> tuple[str, str]:
    return (p.org, label("unknown") if p.people is None else str(p.people))


def _tally_key(t: Tally) -> tuple[str, str]:
    name = f"{t.label}{t.item}" if t.label else t.item
    if t.org:
        name = f"{t.org}:{name}"
    return (name, label("unknown") if t.value is None else str(t.value))


def _prefer_tab(
    tabbed: Sequence[R],
    said: Sequence[R],
    cell: _SentenceCell,
    problems: list[Problem],
    key: Callable[[R], tuple[str, str]],
) -> Sequence[R]:
    """The tab's records when there are any (warning when the sentence differs)."""
    if not tabbed:
        return said
    if said and sorted(map(key, said)) != sorted(map(key, tabbed)):
        is_people = isinstance(tabbed[0], Participation)
        what = "rollup.what_participation" if is_people else "rollup.what_tallies"
        tab = "participation" if is_people else "results"
        problems.append(
            cell.problem(
                "rollup.tab_overrides_report",
                event=cell.event,
                what=Nested(what),
                tab=cell.sheet_names.get(tab) or tab_spec(tab).name,
                report=_describe(said, key),
                tabbed=_describe(tabbed, key),
            )
        )
    return tabbed


def _describe(
    records: Sequence[R], key: Callable[[R], tuple[str, str]]
) -> str:
    return label("list_separator").join(name + value for name, value in map(key, records))
