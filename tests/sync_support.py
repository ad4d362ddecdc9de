"""Shared pieces of the sync story tests: a council's folder, the real CLI, the workbook.

A *site* is what an organiser keeps in one folder: a copy of the example workbook,
a ``campaign-sheets.toml`` beside it, and what ``sync`` leaves there (the ``public``
link to a generation, the state store, the flyer and QR cache).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterable
from contextlib import closing, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from icalendar import Calendar

from campaign_sheets.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kanagawa.xlsx"
#: The members' token variable of the test sites (not the default: a developer may have
#: that one set).
TOKEN_ENV = "SYNC_STORY_MEMBERS_TOKEN"

CONFIG = """source = "{workbook}"
out = "public"
state = "state.sqlite"
timezone = "Asia/Tokyo"
fiscal_year = 2026
lang = "en"
{extra}
[calendar]
name = "県社保協 行動予定"
uid_domain = "example.org"
base_url = "https://example.org/calendar/"
refresh = "PT6H"

[members]
token_env = "{token_env}"
"""

#: The summary line printed by ``sync`` (``lang = "en"``).
SUMMARY = re.compile(
    r"(?P<events>\d+) events published: (?P<added>\d+) added, (?P<changed>\d+) changed, "
    r"(?P<cancelled>\d+) cancelled, (?P<removed>\d+) removed\. Files: (?P<written>\d+) "
    r"written, (?P<unchanged>\d+) unchanged, (?P<deleted>\d+) deleted\. Problems: "
    r"(?P<errors>\d+) error\(s\), (?P<warnings>\d+) warning\(s\)\."
)


@dataclass(frozen=True)
class Site:
    """An organiser's folder."""

    root: Path

    @property
    def config(self) -> Path:
        """The configuration file."""
        return self.root / "campaign-sheets.toml"

    @property
    def workbook(self) -> Path:
        """The workbook the configuration names."""
        return self.root / "行動予定.xlsx"

    @property
    def out(self) -> Path:
        """The published tree (a link to the current generation)."""
        return self.root / "public"

    @property
    def state(self) -> Path:
        """The state store."""
        return self.root / "state.sqlite"


def make_site(
    root: Path, workbook: Path = EXAMPLE, token_env: str = TOKEN_ENV, *, pdf: bool = True
) -> Site:
    """A new folder holding a copy of ``workbook`` and its configuration; ``pdf=False``
    turns PDF flyers off, as a server without the time to render them would."""
    root.mkdir(parents=True, exist_ok=True)
    site = Site(root)
    shutil.copy2(workbook, site.workbook)
    site.config.write_text(
        CONFIG.format(workbook=site.workbook.name, token_env=token_env,
                      extra="" if pdf else "flyer_pdf = false\n"), encoding="utf-8"
    )
    return site


def copy_site(site: Site, root: Path) -> Site:
    """A copy of ``site`` (links kept as links, mtimes kept) at ``root``."""
    shutil.copytree(site.root, root, symlinks=True)
    return Site(root)


@dataclass(frozen=True)
class Run:
    """What one CLI run printed and returned."""

    code: int
    out: str
    err: str

    def summary(self) -> dict[str, int]:
        """The counts of the summary line."""
        found = SUMMARY.search(self.out)
        assert found, f"no summary line in:\n{self.out}\n{self.err}"
        return {key: int(value) for key, value in found.groupdict().items()}


def sync(site: Site, *args: str) -> Run:
    """``campaign-sheets sync --config <site> ARGS`` in this process, as a user types it."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["sync", "--config", str(site.config), *args])
    return Run(code, out.getvalue(), err.getvalue())


# -- the output tree ------------------------------------------------------------------


def tree_files(out: Path, skip: Callable[[str], bool] = lambda _p: False) -> dict[str, Path]:
    """Every file of the published tree by relative path (following the ``out`` link)."""
    root = out.resolve()
    found: dict[str, Path] = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            if not skip(rel):
                found[rel] = full
    return found


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime (ns) of every file of the published tree."""
    return {rel: (p.read_bytes(), p.stat().st_mtime_ns) for rel, p in tree_files(out).items()}


def contents(out: Path) -> dict[str, bytes]:
    """Bytes of every file of the published tree."""
    return {rel: p.read_bytes() for rel, p in tree_files(out).items()}


@dataclass(frozen=True)
class FeedEvent:
    """One VEVENT of a feed, the fields the stories look at."""

    uid: str
    summary: str
    sequence: int
    dtstamp: str
    start: str
    status: str


def feed_events(data: bytes) -> dict[str, FeedEvent]:
    """The master VEVENTs of a feed by UID (a feed parses or this raises)."""
    calendar = Calendar.from_ical(data)
    found: dict[str, FeedEvent] = {}
    for event in calendar.walk("VEVENT"):
        if event.get("RECURRENCE-ID") is not None:
            continue
        uid = str(event["UID"])
        assert uid not in found, f"UID {uid} twice in one feed"
        found[uid] = FeedEvent(
            uid=uid,
            summary=str(event["SUMMARY"]),
            sequence=int(event.get("SEQUENCE", 0)),
            dtstamp=_ical_text(event["DTSTAMP"]),
            start=_ical_text(event["DTSTART"]),
            status=str(event.get("STATUS", "")),
        )
    return found


def _ical_text(prop: Any) -> str:
    """A property value as it is written in the feed (``20261110T133000``)."""
    value = prop.to_ical()
    return value.decode() if isinstance(value, bytes) else str(value)


# -- the workbook ---------------------------------------------------------------------


def edit_events(path: Path, change: Callable[[list[list[Any]]], list[list[Any]]]) -> None:
    """Rewrite the data rows of the 行動 tab with ``change(rows)``, as a person editing
    the sheet in a spreadsheet program would (headers and other tabs stay)."""
    book = openpyxl.load_workbook(path)
    sheet = book["行動"]
    width = sheet.max_column
    rows = [list(r) for r in sheet.iter_rows(min_row=2, max_col=width, values_only=True)]
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    new_rows = change(rows)
    sheet.delete_rows(2, sheet.max_row)
    for row in new_rows:
        sheet.append(row)
    book.save(path)


def set_cell(path: Path, event_id: str, header: str, value: Any) -> str:
    """Set one cell of an action's row (found by ID); returns its address (``行動!E5``)."""
    book = openpyxl.load_workbook(path)
    sheet = book["行動"]
    headers = [c.value for c in sheet[1]]
    column = headers.index(header) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == event_id:
            cell = sheet.cell(row, column)
            cell.value = value
            book.save(path)
            return f"行動!{cell.coordinate}"
    raise AssertionError(f"no row with ID {event_id}")


def column(path: Path, tab: str, header: str) -> list[Any]:
    """The values under ``header`` in ``tab`` (data rows)."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[tab].iter_rows(values_only=True))
    book.close()
    index = list(rows[0]).index(header)
    return [r[index] for r in rows[1:] if any(v is not None for v in r)]


def tab_rows(path: Path, tab: str) -> list[tuple[Any, ...]]:
    """Every non-empty row of ``tab``."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [r for r in book[tab].iter_rows(values_only=True) if any(v is not None for v in r)]
    book.close()
    return rows


# -- the state store ------------------------------------------------------------------


def state_events(path: Path) -> dict[str, tuple[str, str, int, str]]:
    """The published events of the state store: ID → (UID, hash, SEQUENCE, DTSTAMP),
    after SQLite's own integrity check passed."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute(
            "SELECT e.id, e.uid, e.content_hash, e.sequence, e.stamp FROM event_state e "
            "JOIN published p ON p.id = e.id"
        ).fetchall()
    return {row[0]: (row[1], row[2], int(row[3]), row[4]) for row in rows}


def module_command(*args: str) -> list[str]:
    """``python -m campaign_sheets ARGS`` with this interpreter."""
    return [sys.executable, "-m", "campaign_sheets", *args]


def subprocess_env(extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """The environment of a CLI subprocess: the package importable from ``src``."""
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    env.update(extra)
    return env
