"""Dates and times as the pages print them: ``12月7日（日）``, ``13:30〜15:00``.

Japanese weekday names come from ``data/page_text.toml``. The next date of a
repeating action is worked out here so the index can list it under its month.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from ..core.model import Action
from ..parsing.repeat import DEFAULT_TZ, occurrences
from .text import page_text

#: How far ahead the index looks for the next date of a repeating action.
_HORIZON = timedelta(days=800)


def weekday(day: date) -> str:
    """The Japanese weekday of ``day`` (``日`` for a Sunday)."""
    names = page_text().weekdays
    return names[day.weekday()]


def format_date(day: date, *, with_year: bool = False) -> str:
    """``12月7日（日）``, or ``2025年12月7日（日）`` with the year."""
    text = f"{day.month}月{day.day}日（{weekday(day)}）"
    return f"{day.year}年{text}" if with_year else text


def format_days(first: date, last: date | None, *, with_year: bool = False) -> str:
    """``11月12日（水）〜13日（木）`` for an action of several days, else :func:`format_date`.

    The end repeats the month only when it changes (``11月30日（日）〜12月1日（月）``), and
    with ``with_year`` the year only when it changes (``2025年12月28日（日）〜2026年1月4日（日）``).
    """
    start = format_date(first, with_year=with_year)
    if last is None or last == first:
        return start
    end = f"{last.day}日（{weekday(last)}）"
    if (last.year, last.month) != (first.year, first.month):
        end = f"{last.month}月{end}"
    if with_year and last.year != first.year:
        end = f"{last.year}年{end}"
    return f"{start}〜{end}"


def format_month(day: date) -> str:
    """``2025年12月``."""
    return f"{day.year}年{day.month}月"


def format_clock(moment: time) -> str:
    """``13:30`` (hours without a leading zero: ``9:45``)."""
    return f"{moment.hour}:{moment.minute:02d}"


def format_time(start: time | None, end: time | None) -> str:
    """``13:30〜15:00``, ``13:30〜`` when the end is not fixed, empty for all-day actions."""
    if start is None:
        return ""
    if end is None:
        return f"{format_clock(start)}〜"
    return f"{format_clock(start)}〜{format_clock(end)}"


def next_date(action: Action, today: date, tz: str = DEFAULT_TZ) -> date | None:
    """The first date of ``action`` on or after ``today`` (repetitions followed), or ``None``.

    An action of several days is listed under its first day until its last day has passed.
    """
    if action.end_date is not None and action.repetition is None:
        return action.date if action.end_date >= today else None
    if action.date >= today or action.repetition is None:
        return action.date if action.date >= today else None
    try:
        dates = occurrences(action.repetition.rule, action.date, today + _HORIZON, tz=tz)
    except ValueError:
        return None
    skipped = set(action.repetition.exdates)
    return next((d for d in dates if d >= today and d not in skipped), None)
