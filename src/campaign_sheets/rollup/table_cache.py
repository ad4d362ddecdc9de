"""The report tables kept by their input, so that an edit makes again only what it touches.

Adding up (pandas) and the chart (matplotlib) are most of a report's cost, and of a
sync that changed one action most of its time. Every table of an audience, its
totals and its chart are a function of that audience's actions, their records, the
period, the organisations and the code; only two tables (行動別 and 申込) show an
action's title, and each shows it beside the action's ID. So they are kept in the
cache folder under a digest of exactly those inputs *with the titles left out*: an
edited title finds them, and the title cells are filled in from the actions as they
are now, which is what adding up again would give. Any other change misses, and the
tables are made again (and kept in place of the old ones).

The files are then written from the tables (:mod:`.report_writer`), byte for byte as
a rebuild writes them; a sync whose tables were all kept loads neither library.
"""

from __future__ import annotations

import hashlib
import json
import os
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..assembly.model import Tracker
from ..cache import keep_file
from ..core.audience import Audience, actions_for
from ..core.model import Action
from ..core.orgs import OrgIndex
from ..core.outputs import BuildContext, OutputFiles
from ..core.values import CellValue
from ..drives.progress import DriveProgress
from ..publish.fingerprint import code_stamp as package_stamp
from .period import Period, choose_period
from .records import Records
from .report_writer import files_of, sheet_rows_of
from .tables import Cell, Column, Table

#: Tables that show an action's title: its column; column 0 holds the action's ID.
TITLE_COLUMNS = {"by_action": 2, "registrations": 2}
#: Libraries whose version changes the tables or the chart's bytes.
_LIBRARIES = ("pandas", "numpy", "matplotlib", "matplotlib-fontja")
#: The kept tables' file names: ``tables-<digest>.json`` and ``tables-<digest>.png``.
_PREFIX = "tables-"
_PUBLIC = "reports/"


@dataclass(frozen=True)
class ReportTables:
    """Every table of one audience's report, its totals and its chart's PNG."""

    tables: tuple[Table, ...]
    totals: Mapping[str, Cell]
    chart: bytes


class TablesGone(LookupError):
    """Tables looked up by their digest alone (:func:`kept_digests`) are no longer kept
    (removed or damaged since): they must be made from their records."""


def reports_and_sheet(
    ctx: BuildContext, records: Records | None, tracker: Tracker, cache_dir: Path,
    sheet: bool, drives: Sequence[DriveProgress] = (), digests: Sequence[str] | None = None,
) -> tuple[OutputFiles, list[list[CellValue]]]:
    """``reports/…``, ``members/<token>/reports/…`` when a token is set and, with
    ``sheet``, the rows of the 集計 tab (the members' view, with ``drives``' 署名
    section), from tables kept in ``cache_dir`` where their input is as it was. Old
    kept tables are removed.

    With ``digests`` (:func:`kept_digests`) the tables are those kept under them and
    ``records`` may be ``None``: :class:`TablesGone` if they are gone meanwhile.
    """
    period, wanted = _audiences(ctx, sheet)
    used: set[str] = set()

    def tables_of(number: int) -> ReportTables:
        digest, found = report_tables(wanted[number], records, period, ctx.org_index,
                                      cache_dir, digests[number] if digests else None)
        used.add(digest)
        return found

    public_tables = tables_of(0)
    files = dict(_files(public_tables, period, _PUBLIC, cache_dir))
    member_tables = tables_of(1) if len(wanted) > 1 else public_tables
    if ctx.members_token:
        prefix = f"members/{ctx.members_token}/reports/"
        if member_tables is public_tables:
            files.update({prefix + path.removeprefix(_PUBLIC): data
                          for path, data in files.items()})
        else:
            files.update(_files(member_tables, period, prefix, cache_dir))
    rows: list[list[CellValue]] = []
    if sheet:
        rows = sheet_rows_of(member_tables.tables, period, tracker, ctx.config.fiscal_year,
                             drives, ctx.today)
    _prune(cache_dir, used)
    return files, rows


def _audiences(ctx: BuildContext, sheet: bool) -> tuple[Period, list[Sequence[Action]]]:
    """The period and the actions of each report to make: the public one, and the
    members' one where it differs and is published or written to the sheet."""
    period = choose_period(None, None, ctx.config.fiscal_year, ctx.today)
    public = actions_for(ctx.workbook.actions, Audience.PUBLIC)
    members = actions_for(ctx.workbook.actions, Audience.MEMBERS)
    wanted: list[Sequence[Action]] = [public]
    if (ctx.members_token or sheet) and members != public:
        wanted.append(members)
    return period, wanted


def kept_digests(
    ctx: BuildContext, records: Records, cache_dir: Path, sheet: bool
) -> tuple[str, ...] | None:
    """The digests of the tables :func:`reports_and_sheet` needs when every one of them
    is kept in ``cache_dir``, else ``None``. Given them, it needs no records: the
    largest thing a worker would otherwise be sent."""
    period, wanted = _audiences(ctx, sheet)
    digests = []
    for actions in wanted:
        if len({a.id for a in actions}) != len(actions):
            return None  # made again each time (see report_tables)
        digest = input_digest(actions, records, period, ctx.org_index)
        if not all((cache_dir / f"{_PREFIX}{digest}{suffix}").is_file()
                   for suffix in (".json", ".png")):
            return None
        digests.append(digest)
    return tuple(digests)


def _files(found: ReportTables, period: Period, prefix: str, cache_dir: Path) -> OutputFiles:
    return files_of(found.tables, found.totals, found.chart, period, prefix, cache_dir)


def report_tables(
    actions: Sequence[Action], records: Records | None, period: Period, orgs: OrgIndex,
    cache_dir: Path, digest: str | None = None,
) -> tuple[str, ReportTables]:
    """The tables of ``actions`` (one audience's) and the digest they are kept under
    (``digest``, when the caller has it: then ``records`` are needed only to make
    tables not kept, and without them that is :class:`TablesGone`)."""
    if digest is None:
        assert records is not None
        digest = input_digest(actions, records, period, orgs)
    ids = [a.id for a in actions]
    titles = {a.id: a.title for a in actions}
    if len(titles) != len(ids):
        # two rows with one ID: a title could not be told apart by it
        return digest, _made(actions, _needed(records, digest), period, orgs, cache_dir)
    kept = _read(cache_dir, digest)
    if kept is None:
        kept = _made(actions, _needed(records, digest), period, orgs, cache_dir)
        _write(cache_dir, digest, kept)
    return digest, with_titles(kept, titles)


def _needed(records: Records | None, digest: str) -> Records:
    if records is None:
        raise TablesGone(digest)
    return records


def _made(
    actions: Sequence[Action], records: Records, period: Period, orgs: OrgIndex,
    cache_dir: Path,
) -> ReportTables:
    # pandas and matplotlib are loaded only when tables must be made
    from .frame import Rollup
    from .report_files import rollup_parts

    tables, totals, chart = rollup_parts(Rollup.build(actions, records, period, orgs), cache_dir)
    return ReportTables(tuple(tables), totals, chart)


def with_titles(found: ReportTables, titles: Mapping[str, str]) -> ReportTables:
    """``found`` with each title cell holding the title of the action in its row."""
    def titled(table: Table) -> Table:
        column = TITLE_COLUMNS.get(table.key)
        if column is None:
            return table
        rows = tuple((*row[:column], titles[str(row[0])], *row[column + 1:])
                     for row in table.rows)
        return replace(table, rows=rows)
    return replace(found, tables=tuple(titled(t) for t in found.tables))


def input_digest(
    actions: Sequence[Action], records: Records, period: Period, orgs: OrgIndex
) -> str:
    """The digest of everything the tables are made from, but the actions' titles."""
    digest = hashlib.sha256()
    for part in (code_stamp(), repr(period), repr(orgs.orgs), _records_digest(records)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    for action in actions:
        digest.update(repr(replace(action, title="")).encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


#: The last records digested (held weakly: a sync lets its records go before the
#: write-back) and their digest: both audiences' tables of a build are made from the
#: same records, the largest part of their input.
_last_records: list[tuple[weakref.ref[Records], str]] = []


def _records_digest(records: Records) -> str:
    """The digest of ``records`` but their problems (which no table shows)."""
    if _last_records and _last_records[0][0]() is records:
        return _last_records[0][1]
    digest = hashlib.sha256()
    # record by record: one repr of them all is hundreds of megabytes at 20,000 actions
    for part in fields(records):
        if part.name == "problems":
            continue
        value = getattr(records, part.name)
        items = (value.items() if isinstance(value, Mapping)
                 else value if isinstance(value, tuple) else (value,))
        digest.update(f"\x01{part.name}:{type(value).__name__}".encode("ascii"))
        for item in items:
            digest.update(repr(item).encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
    found = digest.hexdigest()
    _last_records[:] = [(weakref.ref(records), found)]
    return found


@cache
def code_stamp() -> str:
    """What makes the tables and the chart besides their input: the package's modules
    and data tables (size and time), the libraries' versions and the matplotlibrc
    files matplotlib would read."""
    parts = [package_stamp()]
    for name in _LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none")
    # what the files say, not where they are: a sync run from another folder with no
    # matplotlibrc there draws the same chart
    for rc in _matplotlibrc_files():
        try:
            parts.append(f"matplotlibrc:{rc.read_bytes()!r}")
        except OSError:
            parts.append("matplotlibrc:none")
    return "\n".join(parts)


def _matplotlibrc_files() -> list[Path]:
    """Where matplotlib looks for a user's settings, in its own order."""
    found = [Path.cwd() / "matplotlibrc"]
    if os.environ.get("MATPLOTLIBRC"):
        rc = Path(os.environ["MATPLOTLIBRC"])
        found.append(rc / "matplotlibrc" if rc.is_dir() else rc)
    config = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config", "matplotlib")
    found.append(Path(config) / "matplotlibrc")
    return found


def _read(cache_dir: Path, digest: str) -> ReportTables | None:
    try:
        data = json.loads((cache_dir / f"{_PREFIX}{digest}.json").read_text(encoding="utf-8"))
        chart = (cache_dir / f"{_PREFIX}{digest}.png").read_bytes()
        return ReportTables(tuple(_table_of(t) for t in data["tables"]), data["totals"], chart)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not kept, or kept by another version: made again


def _write(cache_dir: Path, digest: str, found: ReportTables) -> None:
    text = json.dumps({"tables": [_table_json(t) for t in found.tables],
                       "totals": dict(found.totals)}, ensure_ascii=False)
    # the chart first: a table file is only ever read with its chart beside it
    for suffix, data in ((".png", found.chart), (".json", text.encode("utf-8"))):
        keep_file(cache_dir / f"{_PREFIX}{digest}{suffix}", data)


def _prune(cache_dir: Path, used: set[str]) -> None:
    """Remove the kept tables of inputs this build did not have (they are large)."""
    try:
        entries = list(cache_dir.glob(f"{_PREFIX}*"))
    except OSError:
        return
    for path in entries:
        digest = path.name.removeprefix(_PREFIX).split(".", 1)[0]
        if digest not in used and not path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)


def _table_json(table: Table) -> dict[str, Any]:
    return {"key": table.key, "title": table.title,
            "columns": [[c.key, c.label] for c in table.columns],
            "rows": [list(row) for row in table.rows]}


def _table_of(data: Mapping[str, Any]) -> Table:
    cells = (int, str, type(None))
    rows = tuple(tuple(row) for row in data["rows"])
    if not all(type(cell) in cells for row in rows for cell in row):
        raise ValueError("a kept cell is neither a count, a text nor unknown")
    return Table(str(data["key"]), str(data["title"]),
                 tuple(Column(str(k), str(v)) for k, v in data["columns"]), rows)
