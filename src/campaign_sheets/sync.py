"""One sync: read once, validate, build every output, publish atomically, write back.

The order is what keeps subscribers' trust: nothing is published when the read
fails; the state store is updated only after the tree is published; the sheet is
written last, and only with blank IDs and the 集計 tab.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from .assembly.model import Tracker
from .core.config import Config
from .core.config_checks import config_problems
from .core.model import Action, Status, Workbook
from .core.outputs import BuildContext, OutputFiles
from .core.problems import Problem, has_errors
from .core.schema import find_tab, tab_spec
from .core.values import CellValue, RawTable, WriteBack, WriteResult
from .drives.events import deadline_actions
from .drives.ledger import DriveLedger
from .drives.model import DriveBook
from .feeds.build import FeedPlan, VeventRenderer, VeventWork, plan_feeds, render_vevents
from .feeds.event import FeedSettings
from .load import LoadResult, load_workbook
from .national import Council, Share, merge_shares, national_ids
from .national.gather import SheetRead, read_sheets, sheet_share
from .pages.assembly import assembly_pages
from .pages.build import iter_pages
from .pages.drives import build_drive_files, drive_progresses
from .publish import last_sync
from .publish.fingerprint import input_fingerprint
from .publish.last_sync import LastSync
from .publish.publication import PublishedFilesMissing, PublishResult, open_publication, plan_vanish
from .publish.snapshots import encode_tables
from .publish.state import EventState, EventStates, StateStore
from .rollup.assembly import assembly_exports
from .rollup.records import Records, home_of
from .rollup.sentence_cache import parses_of, read_parses, write_parses
from .rollup.table_cache import TablesGone, kept_digests, reports_and_sheet
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


#: What a sync reads: one source, or each council's sheet of a many-sheet tree.
Sources = Source | Sequence[tuple[Council, Source]]


def run_sync(
    config: Config,
    source: Sources,
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

    ``source`` is the configuration's source, or for ``[[sources]]`` each council with
    its sheet (:func:`campaign_sheets.national.councils_of`): each is read once and
    validated alone, and one tree is published over all of them. A sheet that cannot be
    read keeps its last good outputs and is named among the problems; the others publish.

    When every input is as it was at the last successful sync and the published tree
    is the one it left (see :mod:`campaign_sheets.publish.fingerprint`), building again would
    give the same bytes: the sync then builds nothing. It reports what the last sync
    found (kept in the state store) without validating again, unless those findings
    were not kept; then it validates and reports. A sync in which a sheet of many
    could not be read always builds (its pages say so).

    ``jobs`` worker processes render the events' pages, flyers and QR codes and make
    the reports (default: none, everything here; the command line gives one per
    core); the published tree is the same for any number.
    """
    step = progress or (lambda _stage: None)
    now = now or datetime.now(UTC).replace(microsecond=0)
    today = today or now.astimezone(_zone(config)).date()
    step("read")
    with StateStore(config.state) as store, ExitStack() as stack:
        # a dry run before the first sync must not create the store by opening it
        fresh = dry_run and not config.state.exists()
        sheets = _read(config, source, None if not config.state.exists() else store, now)
        token = config.members.token()
        fingerprint = input_fingerprint(_fingerprinted(sheets), config, today, token)
        rollup_reads = [_tab_rows(s.tables) for s in sheets]
        # a sheet read from its last good read is published again with its warning
        failed = any(s.failure is not None for s in sheets)
        if not force and not failed and config.state.exists():
            settled = _settled_sync(store, config, fingerprint, rollup_reads, dry_run=dry_run)
            if settled is not None:
                return settled
        step("validate")
        count_jobs = 1 if jobs is None else max(1, jobs)
        workers = stack.enter_context(Workers(count_jobs).start()) if count_jobs > 1 else None
        previous = EventStates() if fresh else store.load()
        shares = [_share(sheet, store, fresh, cache_dir(config)) for sheet in sheets]
        # everything below is built from what was validated: the rows read (the largest
        # thing a sync holds, most of it cells no output shows) go before the build
        sheets = [replace(s, tables=None) for s in sheets]
        share = _national(sheets, shares)
        kept = sorted(i for sh in shares for i in sh.kept)
        failures = tuple(s.failure for s in sheets if s.failure)
        problems = tuple([*config_problems(config), *failures, *share.problems])
        writes_ids = any(sh.loaded.id_writes for sh in shares if sh.loaded is not None)
        unchanged = None if fresh or force or writes_ids or failed else _unchanged_tree(
            store, fingerprint, config, rollup_reads)
        if unchanged is not None:
            nothing = WriteResult() if config.write_back else None
            return SyncResult(
                changes=EventChanges(), publish=unchanged, problems=problems, write=nothing,
                ids_assigned=0, members_tree=token is not None, dry_run=dry_run,
                events=len(previous), kept_last_good=tuple(kept),
            )
        ctx = BuildContext(
            config=config, workbook=share.workbook, today=today,
            members_token=token, templates=config.templates, now=now,
            sheets=tuple(s.status for s in sheets if s.council is not None),
        )
        single = len(sheets) == 1 and sheets[0].council is None
        published, events, changes, rows = _build_and_publish(
            ctx, previous, share.records, share.tracker, share.ledger, force=force,
            dry_run=dry_run, step=step, workers=workers,
            sheet=config.write_back and not dry_run and single)
        if workers is not None:
            workers.close()  # idle from here on: their memory goes before the write-back
        del previous
        write = None
        count = len(events)
        ids_assigned = sum(len(sh.loaded.id_writes) for sh in shares if sh.loaded is not None)
        if not dry_run:
            store.set_meta({"fingerprint": None, last_sync.META_KEY: None})
            store.save(events)
            for sheet, sh in zip(sheets, shares, strict=True):
                _remember(store, sheet, sh)
            found = (*failures, *share.problems)
            del events, share, ctx
            if config.write_back:
                sheet_rows = [rows] if single else _sheet_rows(config, sheets, shares, today)
                write = _write_all(sheets, shares, sheet_rows, step)
                rollup = _rows_hash([_rollup_of(s, sh, r) for s, sh, r in
                                     zip(sheets, shares, sheet_rows, strict=True)])
            else:
                rollup = _rows_hash(rollup_reads)
            store.set_meta({
                "fingerprint": fingerprint,
                "generation": _generation(config.out),
                "files": json.dumps(published.paths, ensure_ascii=False),
                "rollup": rollup,
                last_sync.META_KEY: last_sync.dumps(LastSync(
                    problems=found, kept_last_good=tuple(kept), events=count,
                    ids_pending=ids_assigned)),
            })
    return SyncResult(
        changes=changes, publish=published, problems=problems,
        write=write, ids_assigned=ids_assigned,
        members_tree=token is not None, dry_run=dry_run,
        events=count, kept_last_good=tuple(kept),
    )


@dataclass(frozen=True)
class _SheetShare:
    """One sheet's part of a sync: what it loaded (``None`` for a sheet never read),
    its share, the IDs of its rows kept at their last good version, and what the
    write-back and the next sync need of the tables read, which go before the build:
    its 集計 tab's name and rows, and (a sheet of many) its read kept for a later sync
    that cannot read it."""

    loaded: LoadResult | None
    share: Share
    kept: tuple[str, ...] = ()
    rollup_tab: str | None = None
    rollup_read: list[list[object]] = field(default_factory=list)
    snapshot: bytes | None = None


def _read(config: Config, source: Sources, store: StateStore | None,
          now: datetime) -> list[SheetRead]:
    """Every sheet read once. One source that cannot be read stops the sync (raises
    :class:`SourceError`); of many, each falls back to its last good read."""
    if isinstance(source, Source):
        return [SheetRead(None, source, source.read_tables(), now, config)]
    return read_sheets(source, store, now, config.lang)


def _fingerprinted(sheets: Sequence[SheetRead]) -> dict[str, RawTable]:
    """The tables the outputs are built from (all but each sheet's own 集計 tab), keyed
    by the sheet's name and the tab's for many sheets."""
    out: dict[str, RawTable] = {}
    for sheet in sheets:
        tables = sheet.tables or {}
        own = _without(tables, _rollup_tab(tables))
        prefix = "" if sheet.council is None else sheet.council.name + "\x00"
        out.update({prefix + name: table for name, table in own.items()})
        if sheet.failure is not None:
            # the pages say which sheet could not be read: its recovery is a change
            out[prefix + "\x00unread"] = RawTable("", [[str(sheet.read_at)]])
    return out


def _share(sheet: SheetRead, store: StateStore, fresh: bool, cache: Path) -> _SheetShare:
    """One sheet validated alone, its rows with errors at their last good version; its
    report sentences read from the parses kept in ``cache`` where they are as they were."""
    if sheet.tables is None:
        return _SheetShare(None, Share(Workbook(), Records(), Tracker(),
                                       DriveLedger(book=DriveBook())))
    loaded = load_workbook(sheet.tables, sheet.config)
    ids = national_ids(sheet.council) if sheet.council is not None else str
    kept_by_id = {} if fresh else store.last_good(ids(i) for i in loaded.failed_ids)
    kept = {action.id: action for action in kept_by_id.values()}
    keep_read = sheet.council is not None and sheet.failure is None
    home = home_of(sheet.config)
    known = read_parses(cache, home)
    parsed = parses_of((a.report for a in loaded.workbook.actions), home, known)
    write_parses(cache, home, parsed, known)
    return _SheetShare(
        loaded, sheet_share(loaded, sheet.config, kept, parsed), tuple(kept_by_id),
        rollup_tab=_rollup_tab(sheet.tables), rollup_read=_tab_rows(sheet.tables),
        snapshot=encode_tables(sheet.tables) if keep_read else None,
    )


def _national(sheets: Sequence[SheetRead], shares: Sequence[_SheetShare]) -> Share:
    """The one share the tree is built from: the sheet's own, or all sheets' merged."""
    if len(sheets) == 1 and sheets[0].council is None:
        return shares[0].share
    return merge_shares([(sheet.council, sh.share) for sheet, sh in zip(sheets, shares,
                                                                        strict=True)
                         if sheet.council is not None])


def _remember(store: StateStore, sheet: SheetRead, share: _SheetShare) -> None:
    """Keep a sheet's valid rows as their last good version, as the sheet spells them
    (under their national ID in a many-sheet tree)."""
    if share.loaded is None or sheet.failure is not None:
        return
    ids = national_ids(sheet.council) if sheet.council is not None else None
    store.remember(share.loaded.workbook.actions, ids=ids)
    if sheet.council is not None and share.snapshot is not None and sheet.read_at is not None:
        store.keep_read(sheet.council.name, sheet.read_at, share.snapshot)


def _sheet_rows(
    config: Config, sheets: Sequence[SheetRead], shares: Sequence[_SheetShare], today: date
) -> list[list[list[CellValue]]]:
    """Each sheet's own 集計 rows in a many-sheet tree (its own actions' roll-up and
    drives); none for a sheet that is not written to."""
    from .rollup.sheet import rollup_rows

    out: list[list[list[CellValue]]] = []
    for sheet, sh in zip(sheets, shares, strict=True):
        if sheet.failure is not None or sh.loaded is None:
            out.append([])
            continue
        ctx = BuildContext(config=sheet.config, workbook=sh.share.workbook, today=today,
                           members_token=config.members.token(), templates=config.templates)
        out.append(rollup_rows(ctx, tracker=sh.share.tracker,
                               drives=drive_progresses(sh.share.ledger, ctx)))
    return out


def _write_all(
    sheets: Sequence[SheetRead], shares: Sequence[_SheetShare],
    rows: Sequence[list[list[CellValue]]], step: Progress,
) -> WriteResult:
    """Each sheet's blank IDs and 集計 tab written to that sheet alone; never to a sheet
    this sync could not read."""
    results: list[tuple[str, WriteResult]] = []
    for sheet, sh, sheet_rows in zip(sheets, shares, rows, strict=True):
        if sheet.failure is not None or sh.loaded is None:
            continue
        writes = _write_back(sh.loaded, sh.rollup_read, sh.rollup_tab, sheet_rows)
        if writes.empty and sheet.council is not None:
            continue
        step("write back")
        results.append((sheet.name, sheet.source.write_back(writes)))
    if len(results) == 1 and sheets[0].council is None:
        return results[0][1]
    return WriteResult(
        written=tuple(c for _, r in results for c in r.written),
        skipped=tuple(c for _, r in results for c in r.skipped),
        rollup_written=any(r.rollup_written for _, r in results),
        details={name: dict(r.details) for name, r in results},
    )


def _rollup_of(
    sheet: SheetRead, share: _SheetShare, rows: list[list[CellValue]]
) -> Sequence[Sequence[object]]:
    """The 集計 tab a sheet holds after this sync: the rows written, or (a sheet not
    written to) the rows it had."""
    return rows if sheet.failure is None and share.loaded is not None else share.rollup_read


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
    reports = _Reports(ctx, records, tracker, workers, sheet, ledger)
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
        workers: Workers | None, sheet: bool, ledger: DriveLedger,
    ) -> None:
        self._workers = workers
        self._done: tuple[OutputFiles, list[list[CellValue]]] | None = None
        self._packed = False
        if workers is None:
            self._done = report_outputs(ctx, records, tracker, cache_dir(ctx.config), sheet,
                                        ledger)
            return
        # the reports read nothing of the workbook but its actions and organisations:
        # the rest (the tabs' rows, which the records hold again) is not sent
        slim = replace(ctx, workbook=Workbook(actions=ctx.workbook.actions,
                                              orgs=ctx.workbook.orgs, home=ctx.workbook.home))
        self._packed = True
        cache = cache_dir(ctx.config)
        # tables kept for these very inputs need no records to be sent (the largest
        # part of the task, and a worker would digest them again to find those tables)
        digests = kept_digests(ctx, records, cache, sheet)
        self._future = workers.submit(packed_report_outputs, slim,
                                      None if digests else records, tracker, cache, sheet,
                                      ledger, digests)
        self._again = partial(report_outputs, ctx, records, tracker, cache, sheet, ledger)

    def result(self) -> tuple[OutputFiles, list[list[CellValue]]]:
        """The files (packed, from a worker) and rows (waiting for the worker)."""
        if self._done is None:
            assert self._workers is not None
            try:
                self._done = self._workers.result(self._future)
            except TablesGone:
                # the kept tables went between the look and the worker's read
                self._packed = False
                self._done = self._again()
        return self._done

    def files(self) -> Iterator[tuple[str, bytes]]:
        """The report files, unpacked one at a time (again if the publication starts
        over)."""
        for path, data in self.result()[0].items():
            yield path, zlib.decompress(data) if self._packed else data


def packed_report_outputs(
    ctx: BuildContext, records: Records | None, tracker: Tracker, cache: Path, sheet: bool,
    ledger: DriveLedger, digests: Sequence[str] | None = None,
) -> tuple[OutputFiles, list[list[CellValue]]]:
    """:func:`report_outputs` with each file compressed, in a worker: the reports are the
    largest answer sent back (about 60 MB of Markdown and CSV at 20,000 actions), and
    an answer is held twice while it is unpickled, all at once."""
    files, rows = report_outputs(ctx, records, tracker, cache, sheet, ledger, digests)
    return {path: zlib.compress(data, 1) for path, data in files.items()}, rows


def report_outputs(
    ctx: BuildContext, records: Records | None, tracker: Tracker, cache: Path, sheet: bool,
    ledger: DriveLedger, digests: Sequence[str] | None = None,
) -> tuple[OutputFiles, list[list[CellValue]]]:
    """The report files and, with ``sheet``, the rows of the 集計 tab (its 署名 section
    from ``ledger``); without ``records``, from the tables kept under ``digests``
    (:func:`~campaign_sheets.rollup.table_cache.kept_digests`).

    The tables are kept in ``cache`` by their input (:mod:`campaign_sheets.rollup.table_cache`):
    pandas and matplotlib are imported only when some table must be made again (in this
    process or a worker), so a sync that changed no count, and the workers that render
    pages, never load them.
    """
    drives = drive_progresses(ledger, ctx) if sheet else ()
    return reports_and_sheet(ctx, records, tracker, cache, sheet, drives, digests)


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
        for path, data in reports.files():
            publication.put(path, data)
        return publication.commit()


def _unchanged_tree(
    store: StateStore, fingerprint: str, config: Config,
    rollup_reads: Sequence[Sequence[Sequence[object]]],
) -> PublishResult | None:
    """The result of a publish that would change nothing, when that is known without
    building: same inputs, the same tree still published, the 集計 tabs (each sheet's
    rows as read, ``rollup_reads``) as left."""
    if store.get_meta("fingerprint") != fingerprint:
        return None
    if store.get_meta("generation") != _generation(config.out):
        return None
    if config.write_back and store.get_meta("rollup") != _rows_hash(rollup_reads):
        return None
    files = json.loads(store.get_meta("files") or "[]")
    return PublishResult(added=(), changed=(), removed=(), unchanged=tuple(files))


def _settled_sync(
    store: StateStore,
    config: Config,
    fingerprint: str,
    rollup_reads: Sequence[Sequence[Sequence[object]]],
    *,
    dry_run: bool,
) -> SyncResult | None:
    """The result of a sync with nothing changed since the last successful one, told
    from the tables read without validating them: the same fingerprint, the same tree
    published and the 集計 tabs as left give the same problems, kept rows and events as
    that sync found (:mod:`campaign_sheets.publish.last_sync`). ``None`` otherwise."""
    found = last_sync.loads(store.get_meta(last_sync.META_KEY))
    if found is None or found.ids_pending:
        return None
    unchanged = _unchanged_tree(store, fingerprint, config, rollup_reads)
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


def _tab_rows(tables: Mapping[str, RawTable] | None) -> list[list[object]]:
    """The rows of a sheet's 集計 tab as read (none without one)."""
    name = _rollup_tab(tables) if tables is not None else None
    return [list(row) for row in tables[name].rows] if tables is not None and name else []


def _rows_hash(tabs: Sequence[Sequence[Sequence[object]]]) -> str:
    """A digest of each sheet's 集計 rows, as the sheets read them back."""
    return hashlib.sha256(repr([_normalised(rows) for rows in tabs]).encode("utf-8")).hexdigest()


def cache_dir(config: Config) -> Path:
    """Where flyer PDFs and QR codes are kept by content between syncs: beside the
    state store. Without it every sync (a ``--every`` loop above all) renders every
    flyer again, about a second each."""
    return config.state.parent / ".campaign-sheets-cache"


def _zone(config: Config) -> ZoneInfo:
    return ZoneInfo(config.timezone)


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
