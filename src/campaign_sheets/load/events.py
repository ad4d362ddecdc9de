"""Turning one row of the 行動 tab into an :class:`Action`, reporting every bad cell."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from ..core.config import Config
from ..core.model import (
    Action,
    Repetition,
    Status,
    Visibility,
    find_kind,
    find_status,
    find_visibility,
    kinds,
    labels_for,
)
from ..core.orgs import OrgIndex
from ..core.problems import Severity
from ..parsing.dates import (
    WEEKDAYS_EN,
    ParsedDate,
    format_date,
    weekday_index,
    weekday_label,
)
from ..parsing.ranges import format_date_range, parse_date_range, range_params
from ..parsing.repeat import occurrences, parse_date_list, parse_repetition
from ..parsing.times import TimeRange, parse_time, parse_time_range
from .cells import RowReader, cell_text, split_list
from .records import resolve_name

E = TypeVar("E", Status, Visibility)
#: Free-text columns copied as they are.
_TEXT_FIELDS = (
    "venue", "address", "series", "speaker", "region", "description", "contact", "report",
)
_HTTP = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
#: How far outside the fiscal year a date may fall before it looks like a typo.
FAR_MARGIN = timedelta(days=183)


@dataclass(frozen=True)
class EventRules:
    """What reading an event row needs besides the row itself."""

    config: Config
    orgs: OrgIndex


def read_action(r: RowReader, action_id: str, rules: EventRules) -> Action | None:
    """The action on row ``r``, or ``None`` when any cell has an error.

    Every cell is checked even after an error, so one pass lists every problem.
    """
    kind = _kind(r)
    title = r.required_text("title", "title")
    days = _dates(r, rules.config)
    day, end_date = days if days is not None else (None, None)
    times = _times(r)
    repetition = _repetition(r, day, end_date, rules.config)
    status = _choice(r, "status", find_status, "status.unknown", Status.PLANNED, "status")
    visibility = _choice(
        r, "visibility", find_visibility, "visibility.unknown", Visibility.PUBLIC, "visibility"
    )
    online = _url(r, "online")
    registration = _url(r, "registration")
    organizer = _org(r, "organizer", rules.orgs)
    co_orgs = tuple(
        name for part in split_list(r.text("orgs"))
        if (name := resolve_name(r, "orgs", part, rules.orgs))
    )
    capacity = r.integer("capacity", Severity.WARNING)
    # Read every text cell before deciding, so a formula error in any of them is
    # reported and keeps the row out like any other error.
    texts = {key: r.text(key) for key in _TEXT_FIELDS}
    if r.failed or kind is None or title is None or day is None:
        return None
    return Action(
        id=action_id, kind=kind, title=title, date=day, end_date=end_date,
        start=times.start, end=times.end, online=online,
        organizer=organizer, orgs=co_orgs, repetition=repetition,
        registration=registration, capacity=capacity, status=status, visibility=visibility,
        row=r.row, **texts,
    )


def _kind(r: RowReader) -> str | None:
    text = r.required_text("kind", "kind")
    if text is None:
        return None
    kind = find_kind(text)
    if kind is None:
        r.report("kind", "kind.unknown", value=text, choices="、".join(k.label for k in kinds()))
        return None
    return kind.key


def _dates(r: RowReader, config: Config) -> tuple[date, date | None] | None:
    """The first day and, for an action of several days, the last day of the 日付 cell."""
    if not r.has("date"):
        r.required_text("date", "date")
        return None
    parsed = r.parsed(
        "date", lambda v: parse_date_range(v, year=config.year, fiscal_year=config.fiscal_year)
    )
    if parsed is None:
        return None
    for end in parsed.ends:
        _check_weekday(r, end)
    if parsed.month_inferred:
        taken = range_params(parsed)
        r.report(
            "date", "date.range_month_inferred", value=cell_text(r.raw("date")),
            taken=taken["taken"], taken_en=taken["taken_en"],
        )
    day = parsed.first.date
    if config.fiscal_year is not None:
        first = date(config.fiscal_year, 4, 1)
        last = date(config.fiscal_year + 1, 3, 31)
        if day < first - FAR_MARGIN or day > last + FAR_MARGIN:
            r.report(
                "date", "date.far", value=day.isoformat(),
                fiscal_year=config.fiscal_year, next_year=config.fiscal_year + 1,
            )
    return day, parsed.end_date


def _check_weekday(r: RowReader, parsed: ParsedDate) -> None:
    """The commonest typo: a weekday in brackets that is not the date's own."""
    if not parsed.weekday_text:
        return
    day = parsed.date
    written = weekday_index(parsed.weekday_text)
    if written is not None and written != day.weekday():
        r.report(
            "date", "date.weekday_mismatch",
            date=format_date(day, "kanji"), date_iso=day.isoformat(), actual=weekday_label(day),
            actual_en=WEEKDAYS_EN[day.weekday()], written=parsed.weekday_text,
        )


def _times(r: RowReader) -> TimeRange:
    """The time range from 時間 and/or 開始/終了 (the separate columns win)."""
    combined = r.parsed("time", parse_time_range) or _time_in_date(r)
    start = r.parsed("start", parse_time) if r.has("start") else combined.start
    end = r.parsed("end", parse_time) if r.has("end") else combined.end
    if start is None:
        return TimeRange(None, None)
    if end is not None and end < start:
        where = "end" if r.has("end") else "time"
        r.report(where, "time.end_before_start", start=_hm(start), end=_hm(end))
        return TimeRange(start, None)
    if end == start:
        end = None
    return TimeRange(start, end)


def _time_in_date(r: RowReader) -> TimeRange:
    """The start a date cell carries when it was typed with its time (``2026/10/3 10:30``).

    Without it the time would be lost, since the date column keeps only the day.
    """
    value = r.raw("date")
    if isinstance(value, datetime) and value.time() != time(0):
        return TimeRange(value.time().replace(microsecond=0), None)
    return TimeRange(None, None)


def _hm(value: time) -> str:
    return value.strftime("%H:%M")


def _repetition(
    r: RowReader, day: date | None, end_date: date | None, config: Config
) -> Repetition | None:
    text = r.text("repeat")
    if not text:
        if r.has("except"):
            r.report("except", "except.without_repeat")
        return None
    if day is None:
        return None
    if end_date is not None:
        # Which days would repeat — the whole range, or each of its days? The sheet
        # cannot say it clearly, so the organiser chooses.
        r.report(
            "repeat", "repeat.with_date_range",
            range=format_date_range(day, end_date, "kanji", "〜"),
            range_iso=f"{day.isoformat()} – {end_date.isoformat()}",
            first=format_date(day, "kanji"), first_iso=day.isoformat(),
        )
        return None
    rule = r.parsed("repeat", lambda v: parse_repetition(cell_text(v), day, tz=config.timezone))
    if rule is None:
        return None
    exdates = r.parsed(
        "except", lambda v: parse_date_list(v, year=config.year, fiscal_year=config.fiscal_year)
    ) or []
    if exdates:
        horizon = max(exdates) + timedelta(days=1)
        valid = set(occurrences(rule, day, horizon, tz=config.timezone))
        for skipped in exdates:
            if skipped not in valid:
                r.report("except", "except.not_occurrence", value=skipped.isoformat(),
                         date=skipped.isoformat())
    return Repetition(rule=rule, text=text, exdates=tuple(sorted(set(exdates))))


def _choice(
    r: RowReader,
    key: str,
    find: Callable[[str], E | None],
    code: str,
    default: E,
    group: str,
) -> E:
    text = r.text(key)
    if not text:
        return default
    found = find(text)
    if found is None:
        r.report(key, code, value=text, choices="、".join(labels_for(group)))
        return default
    return found


def _url(r: RowReader, key: str) -> str:
    text = r.text(key)
    if text and not _HTTP.match(text):
        r.report(key, "url.not_http", header=r.headers.headers.get(key, key), value=text)
        return ""
    return text


def _org(r: RowReader, key: str, orgs: OrgIndex) -> str:
    return resolve_name(r, key, r.text(key), orgs)
