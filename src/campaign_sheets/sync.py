"""One sync: read once, validate, build every output, publish atomically, write back.

The order is what keeps subscribers' trust: nothing is published when the read
fails; the state store is updated only after the tree is published; the sheet is
written last, and only with blank IDs and the 集計 tab.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from .assembly.model import Tracker
from .core.config import Config
from .core.config_checks import config_problems
from .core.model import Action, Status
from .core.outputs import BuildContext, OutputFiles
from .core.problems import Problem, has_errors
from .core.schema import find_tab, tab_spec
from .core.values import CellValue, RawTable, WriteBack, WriteResult
from .drives.events import deadline_actions
from .drives.ledger import DriveLedger
from .feeds.build import FeedPlan, VeventRenderer, VeventWork, plan_feeds, render_vevents
from .feeds.event import FeedSettings
from .load import LoadResult, load_workbook
from .pages.assembly import assembly_pages
from .pages.build import iter_pages
from .pages.drives import build_drive_files, drive_progresses
from .publish import last_sync
from .publish.fingerprint import input_fingerprint
from .publish.last_sync import LastSync
from .publish.publication import PublishedFilesMissing, PublishResult, open_publication, plan_vanish
from .publish.state import EventState, EventStates, StateStore
from .rollup.assembly import assembly_exports
from .rollup.drives import ledger_of
from .rollup.records import Records, collect_records, home_of
from .rollup.table_cache import reports_and_sheet
from .sources.base import Source
from .sources.tables import cell_is_blank
from .workers import Workers

#: Called with a short stage name as a sync goes on (for a progress display).
Progress = Callable[[str], None]


@dataclass(frozen=True)
class EventChanges:
    """How the published events changed in this sync (by ID)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncResult:
    """What a sync did: event changes, files, problems, write-back and notes."""

    changes: EventChanges
    publish: PublishResult
    problems: tuple[Problem, ...]
    write: WriteResult | None
    ids_assigned: int
    members_tree: bool
    dry_run: bool
    events: int
    kept_last_good: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_errors(self) -> bool:
        """True when any row had an error (those rows were left out)."""
        return has_errors(self.problems)


def run_sync(
    config: Config,
    source: Source,
    *,
    today: date | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> SyncResult:
    """Run one sync. Raises :class:`SourceError` (nothing published) or
    :class:`~campaign_sheets.core.errors.PublishRefused` (too many events would vanish,
    without ``force``).

    When every input is as it was at the last successful sync and the published tree
    is the one it left (see :mod:`campaign_sheets.publish.fingerprint`), building again would
    give the same bytes: the sync then builds nothing. It reports what the last sync
    found (kept in the state store) without validating again, unless those findings
    were not kept; then it validates and reports.

    ``jobs`` worker processes render the events' pages, flyers and QR codes and make
    the reports (default: none, everything here; the command line gives one per
    core); the published tree is the same for any number.
    """
    step = progress or (lambda _stage: None)
    now = now or datetime.now(UTC).replace(microsecond=0)
    today = today or now.astimezone(_zone(config)).date()
    step("read")
    tables = source.read_tables()
    token = config.members.token()
    rollup_tab = _rollup_tab(tables)
    fingerprint = input_fingerprint(_without(tables, rollup_tab), config, today, token)
    rollup_read = _tab_rows(tables, rollup_tab)
    if not force and config.state.exists():
        settled = _settled_sync(config, fingerprint, rollup_read, dry_run=dry_run)
        if settled is not None:
            return settled
    step("validate")
    loaded = load_workbook(tables, config)
    # everything below is built from what was validated: the rows read (the largest
    # thing a sync holds, most of it cells no output shows) go before the build
    del tables
    with StateStore(config.state) as store:
        # a dry run before the first sync must not create the store by opening it
        fresh = dry_run and not config.state.exists()
        previous = EventStates() if fresh else store.load()
        kept = {} if fresh else store.last_good(loaded.failed_ids)
        workbook = replace(loaded.workbook, actions=_with_kept(loaded, kept))
        records = collect_records(workbook, home_of(config))
        ledger, drive_problems = ledger_of(loaded.drives, workbook, records)
        found = tuple([*loaded.problems, *records.problems, *drive_problems])
        problems = (*config_problems(config), *found)
        unchanged = None if fresh or force or loaded.id_writes else _unchanged_tree(
            store, fingerprint, config, rollup_read)
        if unchanged is not None:
            nothing = WriteResult() if config.write_back else None
            return SyncResult(
                changes=EventChanges(), publish=unchanged, problems=problems, write=nothing,
                ids_assigned=0, members_tree=token is not None, dry_run=dry_run,
                events=len(previous), kept_last_good=tuple(sorted(kept)),
            )
        ctx = BuildContext(
            config=config, workbook=workbook, today=today,
            members_token=token, templates=config.templates, now=now,
        )
        count_jobs = 1 if jobs is None else max(1, jobs)
        with Workers(count_jobs) if count_jobs > 1 else nullcontext() as workers:
            published, events, changes, rows = _build_and_publish(
                ctx, previous, records, loaded.tracker, ledger, force=force, dry_run=dry_run,
                step=step, workers=workers, sheet=config.write_back and not dry_run)
        del previous
        write = None
        count, ids_assigned = len(events), len(loaded.id_writes)
        if not dry_run:
            store.set_meta({"fingerprint": None, last_sync.META_KEY: None})
            store.save(events)
            store.remember(loaded.workbook.actions)
            writes = (_write_back(loaded, rollup_read, rollup_tab, rows)
                      if config.write_back else None)
            rollup = _rows_hash(rows if config.write_back else rollup_read)
            # what the write-back does not need goes first (a Google Sheet's write
            # builds its request bodies)
            del loaded, workbook, records, ctx, events, rows
            if writes is not None:
                step("write back")
                write = source.write_back(writes)
            store.set_meta({
                "fingerprint": fingerprint,
                "generation": _generation(config.out),
                "files": json.dumps(published.paths, ensure_ascii=False),
                "rollup": rollup,
                last_sync.META_KEY: last_sync.dumps(LastSync(
                    problems=found, kept_last_good=tuple(sorted(kept)), events=count,
                    ids_pending=ids_assigned)),
            })
    return SyncResult(
        changes=changes, publish=published, problems=problems,
        write=write, ids_assigned=ids_assigned,
        members_tree=token is not None, dry_run=dry_run,
        events=count, kept_last_good=tuple(sorted(kept)),
    )


def _build_and_publish(
    ctx: BuildContext,
    previous: EventStates,
    records: Records,
    tracker: Tracker,
    ledger: DriveLedger,
    *,
    force: bool,
    dry_run: bool,
    step: Progress,
    workers: Workers | None,
    sheet: bool,
) -> tuple[PublishResult, Mapping[str, EventState], EventChanges, list[list[CellValue]]]:
    """Build the feeds and reports, refuse a mass vanishing, publish them with the
    pages; the published tree, the events' new states, how the events changed and
    (with ``sheet``) the rows of the 集計 tab.

    The drives' deadlines join the actions of the feeds and pages only: they are
    events to be reminded of, not actions to count in the roll-up. With workers, the
    reports are made in one of them while this process builds the feeds and the others
    render the pages.
    """
    step("build")
    reports = _Reports(ctx, records, tracker, workers, sheet)
    shown = with_deadlines(ctx, ledger)
    feeds = plan_feeds(shown, previous, records=records, render=_vevents_by(workers))
    changes = _event_changes(previous, feeds.events, shown.workbook.actions)
    _refuse_mass_vanish(previous, feeds.events, force)
    step("publish")
    assembly = {**assembly_exports(ctx, tracker), **assembly_pages(ctx, tracker)}
    others = {**assembly, **build_drive_files(ctx, ledger)}
    published = _publish(shown, partial(_built_files, feeds, others), reports,
                         dry_run=dry_run, workers=workers)
    return published, feeds.events, changes, reports.result()[1]


def _built_files(
    feeds: FeedPlan, others: OutputFiles
) -> Iterator[tuple[str, bytes]]:
    """The feed files one at a time, as they are made (together they are the largest
    thing a sync would hold), then ``others``; a path both give is ``others``'."""
    for path, data in feeds.files():
        if path not in others:
            yield path, data
    yield from others.items()


def with_deadlines(ctx: BuildContext, ledger: DriveLedger) -> BuildContext:
    """``ctx`` with each drive's deadlines among the actions (as all-day events), and
    the index linking to the drives' page, when the workbook has a 署名 tab."""
    if not ledger.book.present:
        return ctx
    deadlines = deadline_actions(drive_progresses(ledger, ctx))
    workbook = replace(ctx.workbook, actions=(*ctx.workbook.actions, *deadlines))
    return replace(ctx, workbook=workbook, drives_page=True)


#: VEVENTs sent to a worker at a time.
_VEVENT_BATCH = 250


def _vevents_by(workers: Workers | None) -> VeventRenderer:
    """Serializing the VEVENTs of a build: in the workers when there are many."""
    def render(settings: FeedSettings, work: Sequence[VeventWork]) -> Mapping[str, bytes]:
        if workers is None or len(work) < 2 * _VEVENT_BATCH:
            return render_vevents(settings, work)
        batches = [work[i : i + _VEVENT_BATCH] for i in range(0, len(work), _VEVENT_BATCH)]
        rendered: dict[str, bytes] = {}
        for part in workers.in_order(partial(render_vevents, settings), batches):
            rendered.update(part)
        return rendered
    return render


class _Reports:
    """The report files and the 集計 rows: made here, or begun in a worker."""

    def __init__(
        self, ctx: BuildContext, records: Records, tracker: Tracker,
        workers: Workers | None, sheet: bool,
    ) -> None:
        self._workers = workers
        self._done: tuple[OutputFiles, list[list[CellValue]]] | None = None
        args = (ctx, records, tracker, cache_dir(ctx.config), sheet)
        if workers is None:
            self._done = report_outputs(*args)
        else:
            self._future = workers.submit(report_outputs, *args)

    def result(self) -> tuple[OutputFiles, list[list[CellValue]]]:
        """The files and rows (waiting for the worker)."""
        if self._done is None:
            assert self._workers is not None
            self._done = self._workers.result(self._future)
        return self._done


def report_outputs(
    ctx: BuildContext, records: Records, tracker: Tracker, cache: Path, sheet: bool
) -> tuple[OutputFiles, list[list[CellValue]]]:
    """The report files and, with ``sheet``, the rows of the 集計 tab.

    The tables are kept in ``cache`` by their input (:mod:`campaign_sheets.rollup.table_cache`):
    pandas and matplotlib are imported only when some table must be made again (in this
    process or a worker), so a sync that changed no count, and the workers that render
    pages, never load them.
    """
    return reports_and_sheet(ctx, records, tracker, cache, sheet)


def _publish(
    ctx: BuildContext, files: Callable[[], Iterable[tuple[str, bytes]]], reports: _Reports,
    *, dry_run: bool, workers: Workers | None,
) -> PublishResult:
    """The feeds and the other ``files`` built (made as they are written, again if the
    publication starts over), the pages (rendered as they are written) and the reports.

    An event whose inputs are as they were is taken from the shown tree unread; if
    such files turn out to be gone from it (removed by hand), everything is built again.
    """
    try:
        return _publish_once(ctx, files, reports, dry_run=dry_run, trust_shown=True,
                             workers=workers)
    except PublishedFilesMissing:
        return _publish_once(ctx, files, reports, dry_run=dry_run, trust_shown=False,
                             workers=workers)


def _publish_once(
    ctx: BuildContext, files: Callable[[], Iterable[tuple[str, bytes]]], reports: _Reports,
    *, dry_run: bool, trust_shown: bool, workers: Workers | None,
) -> PublishResult:
    config = ctx.config
    with open_publication(config.out, dry_run=dry_run) as publication:
        for path, data in files():
            publication.put(path, data)
        # the cache holds no output, only renderings by content: a dry run may use it
        for path, item in iter_pages(
            ctx, pdf=config.flyer_pdf, cache_dir=cache_dir(config),
            published=publication.published if trust_shown else None, workers=workers,
        ):
            publication.put(path, item)
        for path, data in reports.result()[0].items():
            publication.put(path, data)
        return publication.commit()


def _unchanged_tree(
    store: StateStore,
    fingerprint: str,
    config: Config,
    rollup_read: Sequence[Sequence[object]],
) -> PublishResult | None:
    """The result of a publish that would change nothing, when that is known without
    building: same inputs, the same tree still published, the 集計 tab (its rows as
    read, ``rollup_read``) as left."""
    if store.get_meta("fingerprint") != fingerprint:
        return None
    if store.get_meta("generation") != _generation(config.out):
        return None
    if config.write_back and store.get_meta("rollup") != _rows_hash(rollup_read):
        return None
    files = json.loads(store.get_meta("files") or "[]")
    return PublishResult(added=(), changed=(), removed=(), unchanged=tuple(files))


def _settled_sync(
    config: Config,
    fingerprint: str,
    rollup_read: Sequence[Sequence[object]],
    *,
    dry_run: bool,
) -> SyncResult | None:
    """The result of a sync with nothing changed since the last successful one, told
    from the tables read without validating them: the same fingerprint, the same tree
    published and the 集計 tab as left give the same problems, kept rows and events as
    that sync found (:mod:`campaign_sheets.publish.last_sync`). ``None`` otherwise."""
    with StateStore(config.state) as store:
        found = last_sync.loads(store.get_meta(last_sync.META_KEY))
        if found is None or found.ids_pending:
            return None
        unchanged = _unchanged_tree(store, fingerprint, config, rollup_read)
    if unchanged is None:
        return None
    return SyncResult(
        changes=EventChanges(), publish=unchanged,
        problems=(*config_problems(config), *found.problems),
        write=WriteResult() if config.write_back else None, ids_assigned=0,
        members_tree=config.members.token() is not None, dry_run=dry_run,
        events=found.events, kept_last_good=found.kept_last_good,
    )


def _generation(out: Path) -> str | None:
    """The generation directory the output link points at (``None`` if there is none)."""
    link = out.absolute()
    return os.readlink(link) if link.is_symlink() else None


def _rollup_tab(tables: Mapping[str, RawTable]) -> str | None:
    return find_tab(tab_spec("rollup"), list(tables))


def _without(tables: Mapping[str, RawTable], name: str | None) -> dict[str, RawTable]:
    """The tables the outputs are built from: all but the tool-owned 集計 tab."""
    return {key: table for key, table in tables.items() if key != name}


def _tab_rows(tables: Mapping[str, RawTable], name: str | None) -> list[list[object]]:
    """The rows of tab ``name`` (none when the sheet has no such tab)."""
    return [list(row) for row in tables[name].rows] if name is not None else []


def _rows_hash(rows: Sequence[Sequence[object]]) -> str:
    return hashlib.sha256(repr(_normalised(rows)).encode("utf-8")).hexdigest()


def cache_dir(config: Config) -> Path:
    """Where flyer PDFs and QR codes are kept by content between syncs: beside the
    state store. Without it every sync (a ``--every`` loop above all) renders every
    flyer again, about a second each."""
    return config.state.parent / ".campaign-sheets-cache"


def _zone(config: Config) -> ZoneInfo:
    return ZoneInfo(config.timezone)


def _with_kept(loaded: LoadResult, kept: Mapping[str, Action]) -> tuple[Action, ...]:
    """The valid actions plus the last good version of each row that now has an error."""
    return loaded.workbook.actions + tuple(kept[i] for i in sorted(kept))


def _event_changes(
    previous: Mapping[str, EventState],
    current: Mapping[str, EventState],
    actions: tuple[Action, ...],
) -> EventChanges:
    cancelled_now = {a.id for a in actions if a.status is Status.CANCELLED}
    added = sorted(set(current) - set(previous))
    removed = sorted(set(previous) - set(current))
    changed = sorted(
        i for i in set(current) & set(previous)
        if current[i].sequence != previous[i].sequence
    )
    return EventChanges(
        added=tuple(added),
        changed=tuple(i for i in changed if i not in cancelled_now),
        cancelled=tuple(i for i in changed if i in cancelled_now),
        removed=tuple(removed),
    )


def _refuse_mass_vanish(
    previous: Mapping[str, EventState], current: Mapping[str, EventState], force: bool
) -> None:
    """Refuse when more than half of the published events would vanish at once
    (a sheet emptied by mistake, a filter left on) unless forced."""
    vanished = len(set(previous) - set(current))
    plan_vanish(len(previous), len(previous) - vanished, force=force)


def _write_back(
    loaded: LoadResult,
    rollup_read: Sequence[Sequence[object]],
    name: str | None,
    rows: list[list[CellValue]],
) -> WriteBack:
    """Blank IDs, and the 集計 tab (``name``, when the sheet has one; its rows as read,
    ``rollup_read``) only when its content changed."""
    rollup = None if name is not None and _same_rows(rollup_read, rows) else rows
    return WriteBack(cells=loaded.id_writes, rollup=rollup, rollup_sheet=name or "集計")


def _same_rows(a: Sequence[Sequence[object]], b: Sequence[Sequence[object]]) -> bool:
    return _normalised(a) == _normalised(b)


def _normalised(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """Rows as every source reads them back: blank cells as "" (a Google Sheet drops a
    trailing cell of spaces), whole floats as ints, no trailing blanks."""
    out = [[_cell(v) for v in row] for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _cell(value: object) -> object:
    if cell_is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
