"""Dates as organisers type them, and the forms pages print them in.

Accepted: ``2025-12-07``, ``2025/12/07``, ``2025.12.07``, ``20251207``, ``2025年12月7日``,
``12月7日（日）``, ``12/7(日)``, ``令和7年12月7日`` (also 平成, 昭和, 元年), ``R7.12.7``
(also H, S), full-width digits and brackets, spaces anywhere, date and datetime cells, and
spreadsheet serial numbers. A weekday in brackets is kept as written so the loader can check
it; a holiday mark (``（日・祝）``, ``(祝)``) is allowed and not part of the weekday.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..core.errors import ParseError
from ..core.text import nfkc
from ..core.values import CellValue

WEEKDAYS_JA: tuple[str, ...] = ("月", "火", "水", "木", "金", "土", "日")
WEEKDAYS_EN: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_EN_LONG = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

DATE_STYLES: tuple[str, ...] = (
    "iso", "slash", "kanji", "kanji_weekday", "md_weekday", "slash_md_weekday",
    "reiwa", "r_dot", "fullwidth",
)

#: Day 0 of Google Sheets and Excel (Excel's false 1900-02-29 makes both agree from 1900-03-01).
SERIAL_EPOCH = datetime(1899, 12, 30)
#: Serial of 1900-03-01, the first date both programs count the same way.
_FIRST_SERIAL = 61
_LAST_SERIAL = (date(9999, 12, 31) - SERIAL_EPOCH.date()).days

#: Japanese eras: (kanji name, letter, first day). Newest first.
ERAS: tuple[tuple[str, str, date], ...] = (
    ("令和", "R", date(2019, 5, 1)),
    ("平成", "H", date(1989, 1, 8)),
    ("昭和", "S", date(1926, 12, 25)),
    ("大正", "T", date(1912, 7, 30)),
    ("明治", "M", date(1868, 1, 25)),
)
_ERA_BY_NAME = {name: start.year - 1 for name, _letter, start in ERAS}
_ERA_BY_NAME.update({letter.casefold(): start.year - 1 for _name, letter, start in ERAS})
_FIRST_YEAR = "元"

_HOLIDAY = r"(?:祝日?|休日?|振休)"
_WEEKDAY_TOKEN = r"(?:[月火水木金土日](?:曜日?)?|[A-Za-z]{3,9}\.?)"
_BRACKET = re.compile(
    rf"\((?P<wd>{_WEEKDAY_TOKEN})?(?:[・,、/]?{_HOLIDAY})?\)$"
)
_ERA_NAMES = "|".join(
    sorted([n for n, _l, _s in ERAS] + [lt for _n, lt, _s in ERAS], key=len, reverse=True)
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$")),
    ("ymd", re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")),
    ("ymd", re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?$")),
    ("era", re.compile(
        rf"^(?P<era>{_ERA_NAMES})(?P<y>\d{{1,4}}|元)(?:年|\.)(?P<m>\d{{1,2}})(?:月|\.)"
        r"(?P<d>\d{1,2})日?$",
        re.IGNORECASE,
    )),
    ("md", re.compile(r"^(?P<m>\d{1,2})月(?P<d>\d{1,2})日?$")),
    ("md", re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})$")),
)
_SPACES = re.compile(r"\s+")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class ParsedDate:
    """A date read from a cell, with the weekday written beside it (``"日"``, ``"Sun"``) if any."""

    date: date
    weekday_text: str | None = None


def parse_date(
    value: CellValue, *, year: int | None = None, fiscal_year: int | None = None
) -> ParsedDate:
    """Read one date cell; raise :class:`ParseError` (``date.*``) when it cannot be read.

    A date written without a year takes ``year``; failing that ``fiscal_year`` (April to
    December in ``fiscal_year``, January to March in the year after); failing both it is
    ``date.no_year``, because guessing the year silently would misplace the action.
    """
    if isinstance(value, datetime):
        return ParsedDate(value.date())
    if isinstance(value, date):
        return ParsedDate(value)
    if isinstance(value, bool) or value is None or isinstance(value, time):
        raise ParseError("date.unreadable", {"value": "" if value is None else str(value)})
    if isinstance(value, int | float):
        return ParsedDate(_serial_date(value))
    return _parse_text(value, year, fiscal_year)


def _serial_date(value: float) -> date:
    if not math.isfinite(value) or not _FIRST_SERIAL <= value < _LAST_SERIAL + 1:
        raise ParseError("date.unreadable", {"value": str(value)})
    # The fraction is a time of day, which a date column ignores.
    return SERIAL_EPOCH.date() + timedelta(days=math.floor(value))


def compact(raw: str) -> str:
    """``raw`` as the date parsers read it: NFKC, without spaces."""
    return _SPACES.sub("", nfkc(raw))


def split_weekday(text: str) -> tuple[str, str | None]:
    """``"12月7日(日)"`` → ``("12月7日", "日")``: a :func:`compact` text without its
    weekday bracket, and the weekday as written (``None`` for none or a holiday mark alone).
    A bracket holding anything else is left in place, so the text stays unreadable."""
    bracket = _BRACKET.search(text)
    if bracket and (bracket.group("wd") is None or weekday_index(bracket.group("wd")) is not None):
        return text[: bracket.start()], bracket.group("wd")
    return text, None


def _parse_text(raw: str, year: int | None, fiscal_year: int | None) -> ParsedDate:
    text, weekday_text = split_weekday(compact(raw))
    for form, pattern in _PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        if form == "era":
            y = _era_year(found.group("era"), found.group("y"), raw)
        elif form == "ymd":
            y = int(found.group("y"))
        else:
            y = _year_for(int(found.group("m")), year, fiscal_year, raw)
        return ParsedDate(_make_date(y, int(found.group("m")), int(found.group("d")), raw),
                          weekday_text)
    raise ParseError("date.unreadable", {"value": raw})


def _era_year(era: str, typed: str, raw: str) -> int:
    offset = _ERA_BY_NAME.get(era) or _ERA_BY_NAME[era.casefold()]
    number = 1 if typed == _FIRST_YEAR else int(typed)
    if number < 1:
        raise ParseError("date.invalid", {"value": raw})
    return offset + number


def _year_for(month: int, year: int | None, fiscal_year: int | None, raw: str) -> int:
    if year is not None:
        return year
    if fiscal_year is not None:
        return fiscal_year if month >= 4 else fiscal_year + 1
    raise ParseError("date.no_year", {"value": raw})


def _make_date(y: int, m: int, d: int, raw: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise ParseError("date.invalid", {"value": raw}) from None


def weekday_index(text: str) -> int | None:
    """``"月"``, ``"月曜"``, ``"月曜日"``, ``"Mon"``, ``"Monday"``, ``"（月）"`` → 0 … ``"日"`` → 6.

    Anything else (including a holiday mark alone) is ``None``.
    """
    key = nfkc(text).strip().strip("()").strip().rstrip(".").casefold()
    for suffix in ("曜日", "曜"):
        key = key.removesuffix(suffix)
    if key in WEEKDAYS_JA:
        return WEEKDAYS_JA.index(key)
    for index, (short, long) in enumerate(zip(WEEKDAYS_EN, _WEEKDAYS_EN_LONG, strict=True)):
        if key in (short.casefold(), long) or (len(key) >= 3 and long.startswith(key)):
            return index
    return None


def weekday_label(d: date) -> str:
    """The one-character Japanese weekday of ``d`` (``"日"`` for a Sunday)."""
    return WEEKDAYS_JA[d.weekday()]


def era_of(d: date) -> tuple[str, str, int]:
    """``(kanji name, letter, year in the era)`` of ``d``; ``ValueError`` before 明治."""
    for name, letter, start in ERAS:
        if d >= start:
            return name, letter, d.year - start.year + 1
    raise ValueError(f"{d.isoformat()} is before the eras this package knows")


def format_date(d: date, style: str) -> str:
    """``d`` in one of :data:`DATE_STYLES` (``"kanji_weekday"`` → ``2025年12月7日（日）``).

    ``"reiwa"`` and ``"r_dot"`` use the era the date falls in (平成 before 2019-05-01), and
    the first year of an era is written 元年 in the kanji form.
    """
    wd = weekday_label(d)
    if style == "iso":
        return d.isoformat()
    if style == "slash":
        return f"{d.year:04d}/{d.month:02d}/{d.day:02d}"
    if style == "kanji":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "kanji_weekday":
        return f"{d.year}年{d.month}月{d.day}日（{wd}）"
    if style == "md_weekday":
        return f"{d.month}月{d.day}日（{wd}）"
    if style == "slash_md_weekday":
        return f"{d.month}/{d.day}({wd})"
    if style == "reiwa":
        name, _letter, era_year = era_of(d)
        shown = _FIRST_YEAR if era_year == 1 else str(era_year)
        return f"{name}{shown}年{d.month}月{d.day}日"
    if style == "r_dot":
        _name, letter, era_year = era_of(d)
        return f"{letter}{era_year}.{d.month}.{d.day}"
    if style == "fullwidth":
        return f"{d.year}年{d.month}月{d.day}日".translate(_FULLWIDTH)
    raise ValueError(f"unknown date style {style!r}; use one of {', '.join(DATE_STYLES)}")


def serial_to_datetime(n: float) -> datetime:
    """A spreadsheet serial (days since 1899-12-30, fraction = time of day), to the second.

    Raises ``ValueError`` or ``OverflowError`` for a number no date has.
    """
    if not math.isfinite(n):
        raise ValueError(f"not a date serial: {n}")
    return SERIAL_EPOCH + timedelta(seconds=round(n * 86400))


def date_to_serial(d: date) -> int:
    """The spreadsheet serial of ``d`` (a datetime counts as its date)."""
    return (date(d.year, d.month, d.day) - SERIAL_EPOCH.date()).days


__all__ = [
    "DATE_STYLES", "ERAS", "SERIAL_EPOCH", "WEEKDAYS_EN", "WEEKDAYS_JA", "ParsedDate",
    "compact", "date_to_serial", "era_of", "format_date", "parse_date", "serial_to_datetime",
    "split_weekday", "weekday_index", "weekday_label",
]
