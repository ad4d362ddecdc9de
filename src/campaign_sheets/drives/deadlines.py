"""Deadlines as organisers write them in the 集約日 cell.

``一次集約 1月末、最終集約 4月30日`` is two deadlines, each an optional label and a
date. The date may be any form of :func:`~campaign_sheets.parsing.dates.parse_date`
(``2026/4/30``, ``令和8年4月30日``, ``4月30日``, ``4/30``), or a month with a word
after it from ``data/drives.toml``: ``1月末`` / ``1月末日`` (the month's last day),
``1月上旬`` / ``中旬`` / ``下旬`` (the last day of that part of the month: 10th, 20th,
last day — accepted with a warning, since it names no day), optionally with a year
(``2027年1月末``, ``令和9年1月末``).

A date without a year is the first such day on or after the drive's 開始日 and
after the deadline written before it (``一次集約 12月末、最終集約 2月末`` with 開始日
2026/10/1 is 2026-12-31 and 2027-02-28). With no 開始日 and no deadline before
it, the configured year or fiscal year decides, as for every date in the sheet;
failing both the cell is a problem, never a guess.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ..core.errors import ParseError
from ..core.text import nfkc
from ..parsing.dates import parse_date
from .model import Deadline, drive_words

_SPACES = re.compile(r"[\s\u3000]+")
_WEEKDAY = re.compile(r"\((?:[月火水木金土日](?:曜日?)?)?\)$")
_ERA_YEAR = re.compile(r"^(?:令和|R)(\d+|元)年?$", re.IGNORECASE)
_REIWA_BEFORE_YEAR_ONE = 2018


@dataclass(frozen=True)
class DeadlineRules:
    """What resolves a date typed without a year: the drive's 開始日, else the config."""

    start: date | None = None
    year: int | None = None
    fiscal_year: int | None = None

    def first_anchor(self) -> date | None:
        """The day a year-less first deadline falls on or after."""
        if self.start is not None:
            return self.start
        if self.year is not None:
            return date(self.year, 1, 1)
        if self.fiscal_year is not None:
            return date(self.fiscal_year, 4, 1)
        return None


@dataclass(frozen=True)
class _Written:
    """One date as written: either a full date, or a month and day without a year."""

    exact: date | None = None
    year: int | None = None
    month: int = 0
    day: int | str = 0  # a day of the month, or "last"
    vague: bool = False


def parse_deadlines(
    items: list[str], rules: DeadlineRules
) -> tuple[tuple[Deadline, ...], tuple[ParseError, ...]]:
    """The deadlines of one cell's ``items`` (already split at ``、``), in written order,
    and a :class:`ParseError` for each item that could not be read or placed
    (``drive.deadline_unreadable``, ``drive.deadline_no_year``,
    ``drive.deadline_before_start``): one bad item never hides the others.

    Two deadlines with the same label keep apart by their position (``一次集約#2``).
    """
    out: list[Deadline] = []
    errors: list[ParseError] = []
    previous: date | None = None
    keys: set[str] = set()
    unlabelled = 0
    for item in items:
        try:
            label, written = split_item(item)
            day = _place(written, item, rules, previous)
        except ParseError as exc:
            errors.append(exc)
            continue
        if rules.start is not None and day < rules.start:
            errors.append(ParseError("drive.deadline_before_start", {
                "value": item, "date": day.isoformat(), "start": rules.start.isoformat()}))
            continue
        if label is None:
            unlabelled += 1
        key = label if label is not None else f"#{unlabelled}"
        if key in keys:
            key = f"{key}#{len(out) + 1}"
        keys.add(key)
        out.append(Deadline(label, day, key, item, written.vague))
        previous = day
    return tuple(out), tuple(errors)


def split_item(item: str) -> tuple[str | None, _Written]:
    """``一次集約 1月末`` → (``一次集約``, the date as written). A space before the date
    is the clearest split; without one the longest readable ending is the date."""
    text = nfkc(item).strip()
    if not text:
        raise ParseError("drive.deadline_unreadable", {"value": item})
    pieces = _SPACES.split(text)
    if len(pieces) > 1:
        written = _written(pieces[-1])
        if written is not None:
            label = " ".join(pieces[:-1]).strip(" :：")
            return label or None, written
    squeezed = _SPACES.sub("", text)
    for cut, _ in enumerate(squeezed):
        written = _written(squeezed[cut:])
        if written is not None:
            label = squeezed[:cut].strip(":：")
            return label or None, written
    raise ParseError("drive.deadline_unreadable", {"value": item})


def _written(text: str) -> _Written | None:
    """The date ``text`` writes, or ``None`` when it is not one."""
    text = _WEEKDAY.sub("", text)
    if not text or not (text[0].isdigit() or text[0] in "令Rr"):
        return None
    month_word = _month_word(text)
    if month_word is not None:
        return month_word
    try:
        return _Written(exact=parse_date(text).date)
    except ParseError as exc:
        if exc.code != "date.no_year":
            return None
    found = re.match(r"^(\d{1,2})(?:月|/)(\d{1,2})日?$", text)
    if found is None:
        return None
    month, day = int(found[1]), int(found[2])
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return _Written(month=month, day=day)


def _month_word(text: str) -> _Written | None:
    """``1月末``, ``2027年1月末日``, ``令和9年1月中旬`` (a month and a word after it)."""
    days = drive_words()["deadline"]["days"]
    words = "|".join(sorted(map(re.escape, days), key=len, reverse=True))
    found = re.match(rf"^(?:(?P<year>\d{{4}}年|(?:令和|R)(?:\d+|元)年?))?"
                     rf"(?P<month>\d{{1,2}})月(?P<word>{words})$", text, re.IGNORECASE)
    if found is None or not 1 <= int(found["month"]) <= 12:
        return None
    year = _year(found["year"]) if found["year"] else None
    word = found["word"]
    vague = word in drive_words()["deadline"]["vague"]["words"]
    return _Written(year=year, month=int(found["month"]), day=days[word], vague=vague)


def _year(text: str) -> int:
    era = _ERA_YEAR.match(text)
    if era is None:
        return int(text.removesuffix("年"))
    number = era[1]
    return _REIWA_BEFORE_YEAR_ONE + (1 if number == "元" else int(number))


def _place(written: _Written, item: str, rules: DeadlineRules, previous: date | None) -> date:
    if written.exact is not None:
        return written.exact
    if written.year is not None:
        try:
            return _day_in(written, written.year)
        except ValueError:
            raise ParseError("drive.deadline_unreadable", {"value": item}) from None
    anchor = rules.first_anchor()
    if previous is not None:
        after = previous + timedelta(days=1)
        anchor = after if anchor is None else max(anchor, after)
    if anchor is None:
        raise ParseError("drive.deadline_no_year", {"value": item})
    for year in _years_from(anchor.year):
        try:
            day = _day_in(written, year)
        except ValueError:
            continue  # 2月29日 in a year without one: the next year that has it
        if day >= anchor:
            return day
    raise ParseError("drive.deadline_unreadable", {"value": item})


def _years_from(year: int) -> Iterator[int]:
    # Eight years always hold a 29 February.
    return iter(range(year, year + 9))


def _day_in(written: _Written, year: int) -> date:
    last = calendar.monthrange(year, written.month)[1]
    day = last if written.day == "last" else int(written.day)
    return date(year, written.month, day)


def format_deadline(deadline: Deadline) -> str:
    """``一次集約 2027-01-31`` (the label, then the ISO date)."""
    return f"{deadline.shown_label} {deadline.date.isoformat()}"
