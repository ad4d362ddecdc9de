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
    """The first date of ``action`` on or after ``today`` (repetitions followed), or ``None``."""
    if action.date >= today or action.repetition is None:
        return action.date if action.date >= today else None
    try:
        dates = occurrences(action.repetition.rule, action.date, today + _HORIZON, tz=tz)
    except ValueError:
        return None
    skipped = set(action.repetition.exdates)
    return next((d for d in dates if d >= today and d not in skipped), None)
