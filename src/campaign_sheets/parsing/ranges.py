"""Actions of several days: a date range as organisers type it in 日付.

Accepted: ``11月12～13日``, ``11月12日～13日``, ``11/12～11/13``, ``2025/11/12-11/13``,
``2025年11月30日～12月1日``, ``12月28日～1月4日``, ``令和7年11月12日～14日``,
``12日（火）～14日（木）``, ``2025年11月12日から13日まで``; the marks ``～`` ``〜`` ``~``
``-`` ``－`` ``から`` (and the other dashes of :data:`~campaign_sheets.core.text.RANGE_MARKS`),
a weekday in brackets on either end, full-width forms and spaces anywhere. A cell that
holds one date (text, a date cell or a serial) is a one-day action.

How the end is read:

- The end takes from the start what it leaves out. A day alone (``13日``) is in the
  start's month; a month and day (``12月1日``, ``1/4``) in the start's year, or in the next
  year when that is the only way it can follow the start within :data:`MAX_RANGE_DAYS`
  (``12月28日～1月4日``). A year-less start takes the configured year or fiscal year, as
  a one-day date does; the end then follows the start, not the fiscal-year rule (so
  ``3月30日～4月2日`` does not end a year before it starts).
- An end before the start is ``date.range_backwards``; a range of more than
  :data:`MAX_RANGE_DAYS` days is ``date.range_too_long``. An end equal to the start is a
  one-day action.
- With no month at all (``12日（火）～14日（木）``), the weekdays written choose the month:
  the months of the configured year (else the fiscal year, April to March) in which those
  days fall on those weekdays. Exactly one → it is taken and :attr:`ParsedRange.month_inferred`
  is set, so the loader warns with the date taken; none, several, or no weekday written is
  an error, because a guessed month would put the action in the wrong place unnoticed.

Weekdays are kept as written for the loader to check against each end's own date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..core.errors import ParseError
from ..core.text import RANGE_MARKS
from ..core.values import CellValue
from .dates import (
    WEEKDAYS_EN,
    ParsedDate,
    compact,
    format_date,
    parse_date,
    split_weekday,
    weekday_index,
    weekday_label,
)

#: The longest range a 日付 cell may hold, in days (first and last day included). A whole
#: month (``10月1日～31日``) fits; anything longer is almost always a mistyped month or
#: year, and would fill weeks of every subscriber's calendar.
MAX_RANGE_DAYS = 31

#: The forms :func:`format_date_range` writes (each reads back with :func:`parse_date_range`).
RANGE_STYLES: tuple[str, ...] = (
    "md_short", "md_weekday", "slash", "slash_md", "kanji", "reiwa", "fullwidth", "iso", "kara",
)

_SEPARATOR = re.compile("から|[" + re.escape(RANGE_MARKS) + "]")
_UNTIL = "まで"
_DAY = re.compile(r"^(?P<d>\d{1,2})日?$")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_Parse = Callable[[], ParsedDate]


@dataclass(frozen=True)
class ParsedRange:
    """What a 日付 cell says: its first day and, for a range, its last.

    ``last`` is kept (with its weekday as written) even when it is the first day again;
    :attr:`end_date` is ``None`` then, as for a one-day action.
    """

    first: ParsedDate
    last: ParsedDate | None = None
    #: True when the cell had no month and its weekdays chose one (the loader warns).
    month_inferred: bool = False

    @property
    def end_date(self) -> date | None:
        """The last day when the action lasts several days, else ``None``."""
        if self.last is None or self.last.date == self.first.date:
            return None
        return self.last.date

    @property
    def ends(self) -> tuple[ParsedDate, ...]:
        """The first day, then the last day when one was written."""
        return (self.first,) if self.last is None else (self.first, self.last)


class _NotThisSplit(Exception):
    """The cell does not divide into a start and an end at this mark."""


def parse_date_range(
    value: CellValue, *, year: int | None = None, fiscal_year: int | None = None
) -> ParsedRange:
    """Read a 日付 cell: one date or a range. Raise :class:`ParseError` (``date.*``).

    ``year`` and ``fiscal_year`` are used as by :func:`~.dates.parse_date`.
    """
    if not isinstance(value, str):
        return ParsedRange(parse_date(value, year=year, fiscal_year=fiscal_year))
    text = compact(value)
    marks = [m for m in _SEPARATOR.finditer(text) if m.start() > 0 and m.end() < len(text)]
    if not marks:
        return ParsedRange(parse_date(value, year=year, fiscal_year=fiscal_year))
    try:
        # 2025-12-07 holds marks and is one date
        return ParsedRange(parse_date(value, year=year, fiscal_year=fiscal_year))
    except ParseError as single:
        fallback = single
    found: ParseError | None = None
    for mark in marks:
        try:
            return _range(text[: mark.start()], text[mark.end() :], value, year, fiscal_year)
        except _NotThisSplit:
            continue
        except ParseError as exc:
            found = found or exc
    if found is not None:
        raise found
    if fallback.code != "date.unreadable":
        raise fallback
    raise ParseError("date.unreadable", {"value": value})


def _range(
    left: str, right: str, raw: str, year: int | None, fiscal_year: int | None
) -> ParsedRange:
    right = right.removesuffix(_UNTIL)
    start_text, start_weekday = split_weekday(left)
    end_text, end_weekday = split_weekday(right)
    day_only = _DAY.match(start_text)
    if day_only and (start_weekday is not None or start_text.endswith("日")):
        end_day = _DAY.match(end_text)
        if end_day is None:
            raise _NotThisSplit
        return _without_month(
            (int(day_only.group("d")), start_weekday), (int(end_day.group("d")), end_weekday),
            raw, year, fiscal_year,
        )
    first = _quoting(raw, lambda: parse_date(left, year=year, fiscal_year=fiscal_year))
    last = ParsedDate(_end_date(first.date, end_text, raw), end_weekday)
    _check_span(first.date, last.date, raw)
    return ParsedRange(first, last)


def _quoting(raw: str, parse: _Parse) -> ParsedDate:
    """``parse()``, with an error quoting the whole cell; unreadable means another split."""
    try:
        return parse()
    except ParseError as exc:
        if exc.code == "date.unreadable":
            raise _NotThisSplit from None
        raise ParseError(exc.code, {**exc.params, "value": raw}) from None


def _end_date(first: date, text: str, raw: str) -> date:
    day = _DAY.match(text)
    if day is not None:
        return _make(first.year, first.month, int(day.group("d")), raw)
    try:
        return parse_date(text).date
    except ParseError as exc:
        if exc.code == "date.unreadable":
            raise _NotThisSplit from None
        if exc.code != "date.no_year":
            raise ParseError(exc.code, {**exc.params, "value": raw}) from None
    same_year = _quoting(raw, lambda: parse_date(text, year=first.year)).date
    if same_year >= first:
        return same_year
    try:
        next_year = parse_date(text, year=first.year + 1).date
    except ParseError:
        return same_year
    return next_year if _days(first, next_year) <= MAX_RANGE_DAYS else same_year


def _check_span(first: date, last: date, raw: str) -> None:
    if last < first:
        raise ParseError("date.range_backwards", {"value": raw, **_ends(first, last)})
    days = _days(first, last)
    if days > MAX_RANGE_DAYS:
        raise ParseError(
            "date.range_too_long",
            {"value": raw, "days": days, "limit": MAX_RANGE_DAYS, **_ends(first, last),
             "range": format_date_range(first, last, "kanji", "〜")},
        )


def _without_month(
    start: tuple[int, str | None],
    end: tuple[int, str | None],
    raw: str,
    year: int | None,
    fiscal_year: int | None,
) -> ParsedRange:
    """``12日（火）～14日（木）``: the one month whose weekdays agree, or an error."""
    (first_day, first_weekday), (last_day, last_weekday) = start, end
    if last_day < first_day or (first_weekday is None and last_weekday is None):
        raise ParseError("date.range_no_month", {"value": raw})
    if year is not None:
        months = [(year, m) for m in range(1, 13)]
    elif fiscal_year is not None:
        months = [(fiscal_year, m) for m in range(4, 13)]
        months += [(fiscal_year + 1, m) for m in range(1, 4)]
    else:
        raise ParseError("date.no_year", {"value": raw})
    fits = [
        (first, last)
        for y, m in months
        if (first := _real(y, m, first_day)) is not None
        and (last := _real(y, m, last_day)) is not None
        and _agrees(first, first_weekday) and _agrees(last, last_weekday)
    ]
    if len(fits) == 1:
        first, last = fits[0]
        _check_span(first, last, raw)
        return ParsedRange(
            ParsedDate(first, first_weekday), ParsedDate(last, last_weekday), month_inferred=True
        )
    (y0, m0), (y1, m1) = months[0], months[-1]
    period = {
        "period": f"{y0}年{m0}月〜{y1}年{m1}月",
        "period_en": f"{y0}-{m0:02d} – {y1}-{m1:02d}",
    }
    if not fits:
        raise ParseError("date.range_month_none", {"value": raw, **period})
    raise ParseError(
        "date.range_month_ambiguous",
        {
            "value": raw,
            **period,
            "candidates": "、".join(f"{a.year}年{a.month}月" for a, _ in fits),
            "candidates_en": ", ".join(f"{a.year}-{a.month:02d}" for a, _ in fits),
        },
    )


def _agrees(day: date, weekday_text: str | None) -> bool:
    return weekday_text is None or weekday_index(weekday_text) == day.weekday()


def _real(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _make(y: int, m: int, d: int, raw: str) -> date:
    found = _real(y, m, d)
    if found is None:
        raise ParseError("date.invalid", {"value": raw})
    return found


def _days(first: date, last: date) -> int:
    """How many days ``first`` to ``last`` cover, both included."""
    return (last - first).days + 1


def _ends(first: date, last: date) -> dict[str, str]:
    return {
        "start": format_date(first, "kanji"), "end": format_date(last, "kanji"),
        "start_iso": first.isoformat(), "end_iso": last.isoformat(),
    }


def range_params(parsed: ParsedRange) -> dict[str, str]:
    """The parameters of ``date.range_month_inferred``: the dates taken, ja and en."""
    last = parsed.last.date if parsed.last is not None else parsed.first.date
    first = parsed.first.date
    return {
        "taken": format_date_range(first, last, "md_weekday", "〜", with_year=True),
        "taken_en": f"{first.isoformat()} ({WEEKDAYS_EN[first.weekday()]}) – "
        f"{last.isoformat()} ({WEEKDAYS_EN[last.weekday()]})",
    }


def format_date_range(
    first: date, last: date, style: str, mark: str = "～", *, with_year: bool = False
) -> str:
    """``first`` to ``last`` in one of :data:`RANGE_STYLES`, as an organiser would type it.

    The end repeats only what changes: ``2025年11月12日～13日``, ``2025年11月30日～12月1日``,
    ``2025年12月28日～2026年1月4日``. ``mark`` is the range mark (``"kara"`` writes
    ``から … まで``); ``with_year`` puts the year before an ``md_weekday`` range.
    """
    same_year = first.year == last.year
    same_month = same_year and first.month == last.month
    if style == "md_short":
        if same_month:
            return f"{first.month}月{first.day}{mark}{last.day}日"
        return f"{first.month}月{first.day}日{mark}{last.month}月{last.day}日"
    if style == "md_weekday":
        head = f"{first.year}年" if with_year else ""
        tail = f"{last.day}日（{weekday_label(last)}）"
        if not same_month:
            tail = f"{last.month}月{tail}"
        if with_year and not same_year:
            tail = f"{last.year}年{tail}"
        return f"{head}{first.month}月{first.day}日（{weekday_label(first)}）{mark}{tail}"
    if style == "slash":
        end = f"{last.month}/{last.day}" if same_year else f"{last.year}/{last.month}/{last.day}"
        return f"{first.year}/{first.month}/{first.day}{mark}{end}"
    if style == "slash_md":
        return f"{first.month}/{first.day}{mark}{last.month}/{last.day}"
    if style in ("kanji", "fullwidth", "kara"):
        start = format_date(first, "kanji")
        text = (f"{start}から{_kanji_tail(first, last)}まで" if style == "kara"
                else f"{start}{mark}{_kanji_tail(first, last)}")
        return text.translate(_FULLWIDTH) if style == "fullwidth" else text
    if style == "reiwa":
        end = format_date(last, "reiwa") if not same_year else _kanji_tail(first, last)
        return f"{format_date(first, 'reiwa')}{mark}{end}"
    if style == "iso":
        return f"{first.isoformat()}{mark}{last.isoformat()}"
    raise ValueError(f"unknown range style {style!r}; use one of {', '.join(RANGE_STYLES)}")


def _kanji_tail(first: date, last: date) -> str:
    if first.year != last.year:
        return format_date(last, "kanji")
    if first.month != last.month:
        return f"{last.month}月{last.day}日"
    return f"{last.day}日"


__all__ = [
    "MAX_RANGE_DAYS", "RANGE_STYLES", "ParsedRange", "format_date_range", "parse_date_range",
    "range_params",
]
