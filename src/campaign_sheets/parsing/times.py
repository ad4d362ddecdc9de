"""Times and time ranges as organisers type them, and the forms pages print them in.

One time: ``13:30``, ``13時30分``, ``13時半``, ``午後1時半``, ``午前10時``, ``正午``,
``１３：３０``, ``1:30pm``, time and datetime cells, a fraction of a day (a Sheets time
cell) and a whole number of hours (``13`` typed into a number-formatted column).

A range: two times joined by ``～`` (U+FF5E), ``〜`` (U+301C), ``~``, ``-``, ``から`` (an
optional ``まで`` after the end), or a start alone: ``13時より``, ``13時～``, ``13:30``.
``終日`` and a blank cell mean no time (all day). An end written without 午前/午後 after a
午後 start is in the afternoon too (``午後1時～3時`` is 13:00–15:00).

``24:00`` (``24時``) is accepted as the end of the day and read as :data:`END_OF_DAY`
(23:59:59), because a calendar event cannot end at 24:00 of the same date; hours above 24
and minutes above 59 are ``time.unreadable``. Whether the end comes after the start is
not checked here: the loader reports that with its own code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, time

from ..core.errors import ParseError
from ..core.text import RANGE_MARKS, nfkc
from ..core.values import CellValue

#: What ``24:00`` is read as: the last second of the day.
END_OF_DAY = time(23, 59, 59)

TIME_STYLES: tuple[str, ...] = ("colon", "kanji", "ascii", "from", "pm")

_AM, _PM = "午前", "午後"
_NOON = "正午"
_ALL_DAY = ("終日",)
_ABOUT = ("頃", "ごろ", "位")
_COLON = re.compile(
    r"^(?P<mark>午前|午後|am|pm)?(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?P<suffix>am|pm)?$"
)
_KANJI = re.compile(r"^(?P<mark>午前|午後)?(?P<h>\d{1,2})時(?:(?P<m>\d{1,2})分|(?P<half>半))?$")
_HOUR_ONLY = re.compile(r"^(?P<mark>午前|午後|am|pm)?(?P<h>\d{1,2})(?P<suffix>am|pm)?$")
_SPACES = re.compile(r"\s+")
_SPLIT = re.compile(r"から|[" + re.escape(RANGE_MARKS) + "]")


@dataclass(frozen=True)
class TimeRange:
    """A start and an end; ``start is None`` means no time (all day).

    ``end is None`` with a start means the end is unknown (``13時より``), not a
    zero-length action.
    """

    start: time | None
    end: time | None


@dataclass(frozen=True)
class _Clock:
    """A time as read, with the 午前/午後 mark it was written with (for the end of a range)."""

    value: time
    mark: str | None


def parse_time(value: CellValue) -> time:
    """Read one time cell; raise ``time.unreadable`` when it cannot be read."""
    if isinstance(value, datetime):
        return value.time().replace(tzinfo=None, microsecond=0)
    if isinstance(value, time):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, bool) or value is None or not isinstance(value, int | float | str):
        raise ParseError("time.unreadable", {"value": "" if value is None else str(value)})
    if isinstance(value, int | float):
        return _number_time(value)
    return _read_clock(_squash(value), value).value


def _number_time(value: float) -> time:
    """Whole 0–24: hours; a fraction below 1: a Sheets time; above 24: a datetime serial."""
    if not math.isfinite(value) or value < 0:
        raise ParseError("time.unreadable", {"value": str(value)})
    if value == int(value):
        if value > 24:
            raise ParseError("time.unreadable", {"value": str(value)})
        return END_OF_DAY if value == 24 else time(int(value))
    if value < 1 or value > 24:
        seconds = round((value - math.floor(value)) * 86400)
        if seconds >= 86400:
            return time(0)
        return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    raise ParseError("time.unreadable", {"value": str(value)})


def _squash(text: str) -> str:
    return _SPACES.sub("", nfkc(text)).casefold()


def _read_clock(text: str, raw: str) -> _Clock:
    for about in _ABOUT:
        text = text.removesuffix(about)
    if text == _NOON:
        return _Clock(time(12), _PM)
    found = _COLON.match(text) or _KANJI.match(text) or _HOUR_ONLY.match(text)
    if found is None:
        raise ParseError("time.unreadable", {"value": raw})
    parts = found.groupdict()
    mark = _mark(parts.get("mark"), parts.get("suffix"), raw)
    hour = int(parts["h"])
    minute = 30 if parts.get("half") else int(parts.get("m") or 0)
    second = int(parts.get("s") or 0)
    return _Clock(_clock_time(hour, minute, second, mark, raw), mark)


def _mark(prefix: str | None, suffix: str | None, raw: str) -> str | None:
    if prefix and suffix:
        raise ParseError("time.unreadable", {"value": raw})
    mark = prefix or suffix
    if mark in ("am", "pm"):
        return _AM if mark == "am" else _PM
    return mark


def _clock_time(hour: int, minute: int, second: int, mark: str | None, raw: str) -> time:
    if minute > 59 or second > 59:
        raise ParseError("time.unreadable", {"value": raw})
    if mark == _AM and hour <= 11:
        return time(hour, minute, second)
    if mark == _PM and hour <= 12:
        # 午後0時 and 午後12時 are both noon.
        return time(12 if hour == 12 else hour + 12, minute, second)
    if mark is None and hour == 24 and minute == 0 and second == 0:
        return END_OF_DAY
    if mark is None and hour <= 23:
        return time(hour, minute, second)
    raise ParseError("time.unreadable", {"value": raw})


def parse_time_range(value: CellValue) -> TimeRange:
    """Read a 時間 cell: a range, a start alone, or nothing (``TimeRange(None, None)``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return TimeRange(None, None)
    if not isinstance(value, str):
        return TimeRange(parse_time(value), None)
    text = _squash(value)
    if text in _ALL_DAY:
        return TimeRange(None, None)
    text = text.removesuffix("まで")
    if text.endswith("より"):
        return TimeRange(_read_clock(text.removesuffix("より"), value).value, None)
    pieces = _SPLIT.split(text)
    if len(pieces) == 1:
        return TimeRange(_read_clock(text, value).value, None)
    if len(pieces) != 2 or not pieces[0]:
        raise ParseError("time.unreadable", {"value": value})
    start = _read_clock(pieces[0], value)
    if not pieces[1]:
        return TimeRange(start.value, None)
    end = _read_clock(pieces[1], value)
    return TimeRange(start.value, _afternoon_end(start, end))


def _afternoon_end(start: _Clock, end: _Clock) -> time:
    """``午後1時～3時``: an unmarked end after a 午後 start is in the afternoon too."""
    if start.mark == _PM and end.mark is None and end.value.hour < 12 and end.value != END_OF_DAY:
        return end.value.replace(hour=end.value.hour + 12)
    return end.value


def format_time(t: time, style: str) -> str:
    """One time in a style of :data:`TIME_STYLES` (``"kanji"`` → ``13時30分``)."""
    if style in ("colon", "ascii"):
        return "24:00" if t == END_OF_DAY else f"{t.hour}:{t.minute:02d}"
    if style in ("kanji", "from"):
        if t == END_OF_DAY:
            return "24時"
        return f"{t.hour}時" + (f"{t.minute}分" if t.minute else "")
    if style == "pm":
        if t == END_OF_DAY:
            return "24時"
        mark, hour = (_AM, t.hour) if t.hour < 12 else (_PM, t.hour - 12)
        minutes = "" if not t.minute else "半" if t.minute == 30 else f"{t.minute}分"
        return f"{mark}{hour}時{minutes}"
    raise ValueError(f"unknown time style {style!r}; use one of {', '.join(TIME_STYLES)}")


def format_time_range(tr: TimeRange, style: str) -> str:
    """``tr`` in a style of :data:`TIME_STYLES`; no time at all is ``""``.

    ``"colon"`` → ``13:30～15:00``, ``"kanji"`` → ``13時30分～15時``, ``"ascii"`` →
    ``13:30-15:00``, ``"pm"`` → ``午後1時半～午後3時``, ``"from"`` → ``13時より`` (the
    start only; an end is left out). A start alone is ``13:30～`` in the range styles.
    Seconds are not shown.
    """
    if tr.start is None:
        if tr.end is not None:
            raise ValueError("a time range with an end needs a start")
        return ""
    start = format_time(tr.start, style)
    if style == "from":
        return f"{start}より"
    mark = "-" if style == "ascii" else "～"
    end = "" if tr.end is None else format_time(tr.end, style)
    return f"{start}{mark}{end}"


__all__ = [
    "END_OF_DAY", "TIME_STYLES", "TimeRange", "format_time", "format_time_range", "parse_time",
    "parse_time_range",
]
