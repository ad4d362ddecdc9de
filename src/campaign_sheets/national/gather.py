"""One sync's reading of a many-sheet tree: every sheet once, each validated alone.

A sheet that cannot be read this time is built from its last good read (kept in the
state store by :meth:`~campaign_sheets.publish.state.StateStore.keep_read`), so its
events stay in every feed exactly as they were; a problem names it and says since when,
and nothing is written back to it. A sheet never read at all brings nothing until it
can be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ..core.config import Config
from ..core.errors import error_text
from ..core.model import Action
from ..core.outputs import SheetStatus
from ..core.problems import Problem, make_problem
from ..core.values import RawTable
from ..load import LoadResult, load_workbook
from ..publish.snapshots import decode_tables
from ..publish.state import StateStore
from ..report.records import ParsedReport
from ..rollup.drives import ledger_of
from ..rollup.records import collect_records, home_of
from ..sources.base import Source
from ..sources.many import Read, read_each
from .councils import Council
from .merge import Share, merge_shares


@dataclass(frozen=True)
class SheetRead:
    """One council's sheet as this sync has it: the tables read now, or (``failure``
    set) the last good read, or nothing (``tables is None``) when it was never read."""

    council: Council | None
    source: Source
    tables: dict[str, RawTable] | None
    read_at: datetime | None
    #: the configuration the sheet is read with (the council's, for many sheets)
    config: Config
    failure: Problem | None = None

    @property
    def name(self) -> str:
        """The council's name (blank for the one sheet of a tree of one)."""
        return self.council.name if self.council is not None else ""

    @property
    def status(self) -> SheetStatus:
        """What the pages say of this sheet (the "data as of" line)."""
        assert self.council is not None
        return SheetStatus(name=self.council.name, code=self.council.code,
                           prefecture=self.council.prefecture, read_at=self.read_at,
                           failed=self.failure is not None)


def read_sheets(
    pairs: Sequence[tuple[Council, Source]], store: StateStore | None, now: datetime,
    lang: str,
) -> list[SheetRead]:
    """Every sheet read once (Google Sheets side by side), in the configuration's order;
    ``store`` (``None`` before the first sync) holds the last good reads."""
    reads = read_each([source for _, source in pairs])
    out = []
    for (council, source), read in zip(pairs, reads, strict=True):
        if read.tables is not None:
            out.append(SheetRead(council, source, read.tables, now, council.config))
            continue
        assert read.error is not None
        last = store.last_read(council.name) if store is not None else None
        reason = error_text(read.error, lang)
        if last is None:
            problem = make_problem("source.sheet_never_read", sheet=council.source.source,
                                   name=council.name, reason=reason)
            out.append(SheetRead(council, source, None, None, council.config,
                                 replace(problem, source=council.name)))
            continue
        read_at, blob = last
        problem = make_problem("source.sheet_kept", sheet=council.source.source,
                               name=council.name, reason=reason,
                               read_at=read_at.isoformat(timespec="minutes"))
        out.append(SheetRead(council, source, decode_tables(blob), read_at, council.config,
                             replace(problem, source=council.name)))
    return out


def sheet_share(
    loaded: LoadResult, config: Config, kept: Mapping[str, Action],
    parsed: Mapping[str, ParsedReport] | None = None,
) -> Share:
    """One sheet's share of a sync: what it ``loaded``, with the last good version
    (``kept``, by the sheet's own ID) of each row that now has an error, and the records
    and drives counted from them (its report sentences already ``parsed`` by their text
    not read again)."""
    actions = loaded.workbook.actions + tuple(kept[i] for i in sorted(kept))
    workbook = replace(loaded.workbook, actions=actions)
    records = collect_records(workbook, home_of(config), parsed=parsed)
    ledger, drive_problems = ledger_of(loaded.drives, workbook, records)
    problems = (*loaded.problems, *records.problems, *drive_problems)
    return Share(workbook=workbook, records=records, tracker=loaded.tracker,
                 ledger=ledger, problems=tuple(problems))


def national_share(
    pairs: Sequence[tuple[Council, Source]], lang: str
) -> tuple[Share, list[Problem]]:
    """Every council's sheet read once and validated alone, merged into one share, for
    a command that reads without publishing (``report``, ``drives``, ``petitions``): a
    sheet that cannot be read is left out with an error naming it."""
    shares: list[tuple[Council, Share]] = []
    problems: list[Problem] = []
    for (council, _source), read in zip(pairs, read_each([s for _, s in pairs]), strict=True):
        if read.tables is None:
            problems.append(unreadable(council, read, lang))
            continue
        loaded = load_workbook(read.tables, council.config)
        shares.append((council, sheet_share(loaded, council.config, {})))
    merged = merge_shares(shares)
    return merged, [*problems, *merged.problems]


def unreadable(council: Council, read: Read, lang: str) -> Problem:
    """The error naming a council's sheet that could not be read, and why."""
    assert read.error is not None
    problem = make_problem("source.sheet_unreadable", sheet=council.source.source,
                           name=council.name, reason=error_text(read.error, lang))
    return replace(problem, source=council.name)
