"""The 請願, 審議 and 自治体 tabs → a validated :class:`~campaign_sheets.assembly.Tracker`,
the problems, the IDs to write back and the stages whose hearing keeps its last good
version. Pure, like the rest of :mod:`campaign_sheets.load`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..assembly.model import Coverage, Petition, Stage, Tracker
from ..core.config import Config
from ..core.model import Action
from ..core.orgs import OrgIndex
from ..core.problems import Problem
from ..core.schema import tab_spec
from ..core.values import CellWrite, RawTable
from ..geo import Level, Municipality, home_code, register
from .cells import RowReader, row_is_blank
from .coverage import read_coverage
from .ids import IdRegistry, short_hash
from .petitions import AssemblyRules, check_sequences, read_petition, read_stage
from .tabs import TabView, open_tab

TABS = ("petitions", "stages", "coverage")


@dataclass(frozen=True)
class TrackerLoad:
    """What the tracker's tabs gave.

    ``failed_ids`` are typed IDs of stages left out for an error (their own, or their
    petition's): their hearings keep the last good version.
    """

    tracker: Tracker
    id_writes: tuple[CellWrite, ...] = ()
    failed_ids: tuple[str, ...] = ()
    rows: int = 0


def load_tracker(
    tables: Mapping[str, RawTable],
    config: Config,
    orgs: OrgIndex,
    actions: Sequence[Action],
    events_view: TabView | None,
    problems: list[Problem],
) -> TrackerLoad:
    """Read the three tabs; ``actions`` (and the 行動 tab's typed IDs) hold their IDs."""
    views = {key: open_tab(tab_spec(key), tables, problems) for key in TABS}
    rules = AssemblyRules(config, home_code(config.prefecture, config.lang), orgs)
    ids = IdRegistry()
    ids.hold("events", events_view, ((a.id, a.row) for a in actions))
    ids.hold("events", events_view, _typed_ids(events_view))
    for key in ("petitions", "stages"):
        ids.reserve(views[key])
    petitions, failed_petitions, rows = _petitions(views["petitions"], rules, ids, problems)
    stages, failed, stage_rows = _stages(
        views["stages"], rules, ids, problems, petitions, failed_petitions)
    coverage = _coverage(views["coverage"], rules, problems)
    tracker = Tracker(
        petitions=tuple(petitions.values()), stages=tuple(stages), coverage=tuple(coverage),
        scope=scope_of(rules.home, petitions.values(), coverage),
        sheet_names={k: v.name for k, v in views.items() if v is not None},
    )
    return TrackerLoad(tracker, tuple(ids.writes), tuple(failed), rows + stage_rows)


def _rows(view: TabView | None, problems: list[Problem]) -> list[RowReader]:
    if view is None:
        return []
    return [RowReader(view.name, n, cells, view.headers, problems)
            for n, cells in view.data_rows() if not row_is_blank(cells)]


def _typed_ids(view: TabView | None) -> list[tuple[str, int]]:
    return [(r.text("id"), r.row) for r in _rows(view, []) if r.text("id")]


def _petitions(
    view: TabView | None, rules: AssemblyRules, ids: IdRegistry, problems: list[Problem]
) -> tuple[dict[str, Petition], set[str], int]:
    petitions: dict[str, Petition] = {}
    failed: set[str] = set()
    readers = _rows(view, problems)
    for r in readers:
        assert view is not None
        petition = read_petition(r, rules)
        code = petition.place.code if petition else f"row{r.row}"
        new_id = ids.claim(r, "petitions", view,
                           f"p-{code}-{short_hash(r.text('municipality'), r.text('title'))}")
        if petition is None or new_id is None or r.failed:
            if new_id and r.has("id"):
                failed.add(new_id)
            continue
        petitions[new_id] = replace(petition, id=new_id)
    return petitions, failed, len(readers)


def _stages(
    view: TabView | None,
    rules: AssemblyRules,
    ids: IdRegistry,
    problems: list[Problem],
    petitions: Mapping[str, Petition],
    failed_petitions: set[str],
) -> tuple[list[Stage], list[str], int]:
    stages: list[Stage] = []
    failed: list[str] = []
    readers = _rows(view, problems)
    for r in readers:
        assert view is not None
        stage = read_stage(r, rules)
        day = stage.date.strftime("%Y%m%d") if stage else f"row{r.row}"
        new_id = ids.claim(r, "stages", view,
                           f"s-{day}-{short_hash(r.text('petition'), r.text('body'))}")
        petition_id = r.text("petition")
        if stage is not None and petition_id not in petitions \
                and petition_id not in failed_petitions:
            r.report("petition", "stage.petition_unknown", value=petition_id)
        if stage is None or new_id is None or r.failed or petition_id not in petitions:
            if new_id and r.has("id"):
                failed.append(new_id)
            continue
        stages.append(replace(stage, id=new_id))
    if view is not None:
        bad = check_sequences(stages, petitions, view, problems)
        failed += [s.id for s in stages if s.id in bad and _typed(s, ids)]
        stages = [s for s in stages if s.id not in bad]
    return stages, failed, len(readers)


def _typed(stage: Stage, ids: IdRegistry) -> bool:
    """True when the stage's ID was typed (a new one is not in the store yet)."""
    return all(w.value != stage.id for w in ids.writes)


def _coverage(
    view: TabView | None, rules: AssemblyRules, problems: list[Problem]
) -> list[Coverage]:
    rows: list[Coverage] = []
    first: dict[tuple[str, int], int] = {}
    for r in _rows(view, problems):
        row = read_coverage(r, rules)
        if row is None:
            continue
        key = (row.place.code, row.year)
        if key in first:
            r.report("municipality", "coverage.duplicate", name=row.place.name, year=row.year,
                     other=first[key])
            continue
        first[key] = r.row
        rows.append(row)
    return rows


def scope_of(
    home: str | None, petitions: Iterable[Petition], coverage: Iterable[Coverage]
) -> tuple[Municipality, ...]:
    """The municipalities a council covers: the home prefecture's (wards folded into
    their cities), else the municipalities its rows name; in code order."""
    if home is not None:
        return register().municipalities_of(home, wards=False)
    places = [p.place for p in petitions] + [c.place for c in coverage]
    named = {place.code: place for place in places if place.level is not Level.PREFECTURE}
    return tuple(named[c] for c in sorted(named))
