"""From the tabs a source read to a validated :class:`Workbook` and every problem.

:func:`load_workbook` is pure: tables and config in, a :class:`LoadResult` out.
One bad row never stops the others; every problem names its cell.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from ..assembly.hearings import hearing_actions
from ..assembly.model import Tracker
from ..core.config import Config
from ..core.model import NOT_COUNTED, Action, Organisation, Stop, Workbook, find_kind, label_of
from ..core.orgs import OrgIndex
from ..core.problems import Problem, make_problem, sort_problems
from ..core.schema import tab_spec
from ..core.text import match_key
from ..core.values import CellWrite, RawTable
from ..drives.model import DriveBook
from ..geo import home_code
from .assembly import load_tracker
from .cells import RowReader, row_is_blank
from .drives import read_drive_book
from .duplicate_hearings import duplicate_hearing_problems
from .events import EventRules, read_action
from .records import EventRefs, read_org, read_participation, read_registration, read_tally
from .stops import StopRules, complete_routes, read_stop
from .tabs import TabView, open_tab

R = TypeVar("R")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class LoadResult:
    """The validated workbook, the problems, and what to write back.

    ``id_writes`` fill blank ID cells; ``failed_ids`` are IDs of rows that have an
    error (their last good version stays published); ``rows_read`` counts data rows.
    ``tracker`` holds the 請願, 審議 and 自治体 tabs; each stage is also in
    ``workbook.actions`` as its hearing.
    """

    workbook: Workbook
    problems: tuple[Problem, ...]
    id_writes: tuple[CellWrite, ...] = ()
    failed_ids: frozenset[str] = frozenset()
    rows_read: int = 0
    tabs: Mapping[str, str] = field(default_factory=dict)
    tracker: Tracker = field(default_factory=Tracker)
    #: the 署名 and 署名集約 tabs
    drives: DriveBook = field(default_factory=DriveBook)


def load_workbook(tables: Mapping[str, RawTable], config: Config) -> LoadResult:
    """Validate every tab and build the model."""
    problems: list[Problem] = []
    views = {key: open_tab(tab_spec(key), tables, problems) for key in
             ("orgs", "events", "participation", "results", "stops", "registrations")}
    home = home_code(config.prefecture, config.lang)
    orgs = _read_orgs(views["orgs"], problems)
    index = OrgIndex(orgs)
    events = _read_events(views["events"], config, index, problems)
    assembly = load_tracker(tables, config, index, events.actions, views["events"], problems)
    actions = events.actions + hearing_actions(assembly.tracker)
    problems += duplicate_hearing_problems(events.actions, assembly.tracker, views["events"])
    failed_ids = frozenset(events.failed_ids) | frozenset(assembly.failed_ids)
    known = {a.id for a in actions} | failed_ids
    refs = EventRefs(
        known=known,
        not_counted={a.id: label_of(a.status) for a in events.actions
                     if a.status in NOT_COUNTED},
    )
    participation = _read_rows(views["participation"], problems,
                               lambda r: read_participation(r, refs, index, home))
    tallies = _read_rows(views["results"], problems, lambda r: read_tally(r, refs, home))
    stops = _read_stops(views["stops"], StopRules(
        config, home, {a.id: a for a in events.actions}, refs), problems)
    registrations = _read_rows(views["registrations"], problems,
                               lambda r: read_registration(r, refs, index))
    drives = read_drive_book(open_tab(tab_spec("drives"), tables, problems),
                             open_tab(tab_spec("batches"), tables, problems),
                             config, index, problems)
    workbook = Workbook(
        actions=actions, orgs=tuple(orgs), participation=participation,
        tallies=tallies, registrations=registrations, stops=stops, home=home,
        sheet_names={k: v.name for k, v in views.items() if v is not None},
        columns={k: v.columns() for k, v in views.items() if v is not None},
    )
    return LoadResult(
        workbook=workbook,
        problems=tuple(sort_problems(problems)),
        id_writes=events.id_writes + assembly.id_writes,
        failed_ids=failed_ids,
        rows_read=events.rows + assembly.rows,
        tabs={k: v.name for k, v in views.items() if v is not None},
        tracker=assembly.tracker,
        drives=drives,
    )


def _read_rows(
    view: TabView | None, problems: list[Problem], read: Callable[[RowReader], R | None]
) -> tuple[R, ...]:
    """Every non-blank data row of ``view`` read by ``read`` (rows it refuses left out)."""
    if view is None:
        return ()
    out: list[R] = []
    for row_number, cells in view.data_rows():
        if row_is_blank(cells):
            continue
        record = read(RowReader(view.name, row_number, cells, view.headers, problems))
        if record is not None:
            out.append(record)
    return tuple(out)


def _read_stops(
    view: TabView | None, rules: StopRules, problems: list[Problem]
) -> tuple[Stop, ...]:
    """The 行程 rows, each caravan's in route order with blank days filled in; a 順 used
    twice in one route is a warning at the second row."""
    rows = _read_rows(view, problems, lambda r: read_stop(r, rules))
    stops, duplicates = complete_routes(rows, rules.actions)
    if view is not None:
        col, header = view.headers.columns.get("order"), view.headers.headers.get("order")
        for first, second in duplicates:
            problems.append(make_problem("stop.order_duplicate", view.name, second.row, col,
                                         header, order=second.order, other=first.row))
    return stops


def _read_orgs(view: TabView | None, problems: list[Problem]) -> list[Organisation]:
    orgs = list(_read_rows(view, problems, read_org))
    owners: dict[str, str] = {}
    for org in orgs:
        for alias in (org.short, *org.aliases):
            key = match_key(alias) if alias else ""
            if not key:
                continue
            if key in owners and owners[key] != org.name and view is not None:
                problems.append(make_problem(
                    "org.duplicate_alias", view.name, org.row, view.headers.columns.get("aliases"),
                    view.headers.headers.get("aliases"), value=alias, first=owners[key],
                    second=org.name,
                ))
            owners.setdefault(key, org.name)
    return orgs


@dataclass
class _Events:
    actions: tuple[Action, ...] = ()
    id_writes: tuple[CellWrite, ...] = ()
    failed_ids: list[str] = field(default_factory=list)
    rows: int = 0


def _read_events(
    view: TabView | None, config: Config, orgs: OrgIndex, problems: list[Problem]
) -> _Events:
    if view is None:
        return _Events()
    rules = EventRules(config, orgs)
    result = _Events()
    actions: list[Action] = []
    writes: list[CellWrite] = []
    seen: dict[str, int] = {}
    for row_number, cells in view.data_rows():
        if row_is_blank(cells):
            continue
        result.rows += 1
        r = RowReader(view.name, row_number, cells, view.headers, problems)
        action = read_action(r, "", rules)
        action_id = _row_id(r, action, seen, writes, view)
        if action is None or action_id is None or r.failed:
            if action_id and r.has("id"):
                result.failed_ids.append(action_id)
            continue
        actions.append(replace(action, id=action_id))
    result.actions = tuple(actions)
    result.id_writes = tuple(writes)
    return result


def _row_id(
    r: RowReader,
    action: Action | None,
    seen: dict[str, int],
    writes: list[CellWrite],
    view: TabView,
) -> str | None:
    """The row's ID: checked when typed, assigned (and queued for writing) when blank."""
    typed = r.text("id")
    if typed:
        if not _ID.match(typed):
            r.report("id", "id.malformed", value=typed)
            return None
        if typed in seen:
            r.report("id", "id.duplicate", value=typed, other=seen[typed])
            return None
        seen[typed] = r.row
        return typed
    new_id = _new_id(r, action, seen)
    seen[new_id] = r.row
    col = view.headers.columns.get("id")
    if col is not None:
        writes.append(CellWrite(view.name, r.row, col, new_id))
    return new_id


def _new_id(r: RowReader, action: Action | None, seen: Mapping[str, int]) -> str:
    """A readable, deterministic ID: ``<yyyymmdd>-<kind>-<4 hex of the title>``.

    The same row gives the same ID on every run until it is written back, so a
    read-only source or a dry run does not shuffle identities.
    """
    kind = find_kind(r.text("kind"))
    day = action.date.strftime("%Y%m%d") if action else f"row{r.row}"
    title_hash = hashlib.sha1(r.text("title").encode("utf-8")).hexdigest()[:4]
    base = f"{day}-{kind.key if kind else 'action'}-{title_hash}"
    candidate, n = base, 2
    while candidate in seen:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
