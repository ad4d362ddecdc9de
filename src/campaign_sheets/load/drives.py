"""Rows of the 署名 (drives) and 署名集約 (batches) tabs.

A drive row is left out only when it has no 署名名 or repeats another's: a goal
or a deadline that cannot be read is an error at its cell and is left out on its
own, so the batches already counted for the drive are never hidden by a typo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.config import Config
from ..core.orgs import OrgIndex
from ..core.problems import Nested, Problem
from ..core.text import match_key, nfkc
from ..core.values import CellValue
from ..drives.deadlines import DeadlineRules, parse_deadlines
from ..drives.goals import parse_goal
from ..drives.model import Batch, Drive, DriveBook, DriveIndex
from ..parsing.dates import (
    WEEKDAYS_EN,
    ParsedDate,
    format_date,
    parse_date,
    weekday_index,
    weekday_label,
)
from .cells import RowReader, cell_text, read_visibility, row_is_blank, split_list
from .records import resolve_org
from .tabs import TabView

#: What a minus sign may look like in a count cell (▲ is the accountants' minus).
_MINUS = ("-", "−", "ー", "▲", "△")


def read_drive(r: RowReader, config: Config) -> Drive | None:
    """One row of the 署名 tab; ``None`` only when it has no 署名名."""
    name = r.required_text("name", "drive_name")
    goal = r.parsed("goal", parse_goal)
    start = _day(r, "start", config)
    visibility = read_visibility(r)
    rules = DeadlineRules(start=start, year=config.year, fiscal_year=config.fiscal_year)
    deadlines, errors = parse_deadlines(split_list(r.text("deadlines")), rules)
    for error in errors:
        r.report("deadlines", error.code, **error.params)
    labels: set[str] = set()
    for deadline in deadlines:
        if deadline.vague:
            r.report("deadlines", "drive.deadline_vague", value=deadline.text,
                     date=deadline.date.isoformat())
        if deadline.label is not None and deadline.label in labels:
            r.report("deadlines", "drive.deadline_label_duplicate", value=deadline.label)
        if deadline.label is not None:
            labels.add(deadline.label)
    if name is None:
        return None
    return Drive(
        name=name, aliases=tuple(split_list(r.text("aliases"))), addressee=r.text("addressee"),
        goal=goal, start=start, deadlines=tuple(sorted(deadlines, key=lambda d: d.date)),
        visibility=visibility, row=r.row,
    )



def _day(r: RowReader, key: str, config: Config) -> date | None:
    """A date cell, with a weekday in brackets checked against the date."""
    parsed: ParsedDate | None = r.parsed(
        key, lambda v: parse_date(v, year=config.year, fiscal_year=config.fiscal_year))
    if parsed is None:
        return None
    day = parsed.date
    if parsed.weekday_text:
        written = weekday_index(parsed.weekday_text)
        if written is not None and written != day.weekday():
            r.report(key, "date.weekday_mismatch", date=format_date(day, "kanji"),
                     date_iso=day.isoformat(), actual=weekday_label(day),
                     actual_en=WEEKDAYS_EN[day.weekday()], written=parsed.weekday_text)
    return day


@dataclass(frozen=True)
class BatchRules:
    """What a batch row is checked against: the drives and the organisations."""

    config: Config
    drives: DriveIndex
    orgs: OrgIndex


def read_batch(r: RowReader, rules: BatchRules) -> Batch | None:
    """One row of the 署名集約 tab; ``None`` when it cannot be counted."""
    drive = _drive_of(r, rules)
    org = resolve_org(r, "org", rules.orgs)
    if not org:
        r.required_text("org", "org")
    day = _day(r, "date", rules.config)
    if day is None and not r.has("date"):
        r.required_text("date", "date")
    paper, online, from_actions = (_count(r, key) for key in ("paper", "online", "from_actions"))
    if paper is not None and from_actions is not None and from_actions > paper:
        r.report("from_actions", "batch.from_actions_exceeds_paper", value=from_actions,
                 paper=paper)
    if r.failed or drive is None or day is None or not org:
        return None
    if not (paper or online):
        r.report("paper", "batch.empty")
    if drive.start is not None and day < drive.start:
        r.report("date", "batch.before_start", date=day.isoformat(), drive=drive.name,
                 start=drive.start.isoformat())
    return Batch(drive=drive.name, org=org, date=day, paper=paper or 0, online=online or 0,
                 from_actions=from_actions or 0, note=r.text("note"), row=r.row)


def _drive_of(r: RowReader, rules: BatchRules) -> Drive | None:
    typed = r.required_text("drive", "drive_name")
    if typed is None:
        return None
    drive = rules.drives.find(typed)
    if drive is not None:
        return drive
    r.report("drive", "drive.unknown", value=typed, suggestion=suggestion(rules.drives, typed))
    return None


def suggestion(drives: DriveIndex, typed: str) -> Nested | str:
    """``「国保署名」のことですか？`` for the closest drive, or nothing."""
    close = drives.suggest(typed)
    return Nested("drive.suggestion", {"name": close}) if close else ""


def _count(r: RowReader, key: str) -> int | None:
    """A count of signatures: blank is 0 here (a batch of paper only has no WEB)."""
    value = r.value(key)
    if _is_negative(value):
        header = r.headers.headers.get(key, key)
        r.report(key, "batch.count_negative", header=header, value=cell_text(value))
        return None
    return r.integer(key) if r.has(key) else 0


def _is_negative(value: CellValue) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value < 0
    if isinstance(value, str):
        text = nfkc(value).strip()
        return text.startswith(_MINUS) and any(ch.isdigit() for ch in text)
    return False


def read_drive_book(
    drives_view: TabView | None,
    batches_view: TabView | None,
    config: Config,
    orgs: OrgIndex,
    problems: list[Problem],
) -> DriveBook:
    """The 署名 and 署名集約 tabs as a :class:`DriveBook`, every problem in ``problems``."""
    drives = _read_drives(drives_view, config, problems)
    index = DriveIndex(drives)
    batches: list[Batch] = []
    if batches_view is not None:
        rules = BatchRules(config, index, orgs)
        for row_number, cells in batches_view.data_rows():
            reader = RowReader(batches_view.name, row_number, cells, batches_view.headers,
                               problems)
            if row_is_blank(cells):
                continue
            batch = read_batch(reader, rules)
            if batch is not None:
                batches.append(batch)
    views = {"drives": drives_view, "batches": batches_view}
    return DriveBook(
        drives=tuple(drives), batches=tuple(batches), present=drives_view is not None,
        sheet_names={k: v.name for k, v in views.items() if v is not None},
        columns={k: v.columns() for k, v in views.items() if v is not None},
    )


def _read_drives(
    view: TabView | None, config: Config, problems: list[Problem]
) -> list[Drive]:
    """The drive rows; a name used twice (as a name or an alias) is left out."""
    if view is None:
        return []
    drives: list[Drive] = []
    names: dict[str, int] = {}
    owners: dict[str, str] = {}
    for row_number, cells in view.data_rows():
        if row_is_blank(cells):
            continue
        r = RowReader(view.name, row_number, cells, view.headers, problems)
        drive = read_drive(r, config)
        if drive is None:
            continue
        key = match_key(drive.name)
        if key in names:
            r.report("name", "drive.duplicate", value=drive.name, other=names[key])
            continue
        names[key] = drive.row
        for alias in (drive.name, *drive.aliases):
            alias_key = match_key(alias)
            if alias_key in owners and owners[alias_key] != drive.name:
                r.report("aliases" if alias != drive.name else "name", "drive.alias_taken",
                         value=alias, first=owners[alias_key], second=drive.name)
            owners.setdefault(alias_key, drive.name)
        drives.append(drive)
    return drives
