"""Repetitions (繰り返し) and skipped dates (除外日).

A repetition phrase becomes an RFC 5545 RRULE value (no ``RRULE:`` prefix):

=====================  ===========================================
``毎日``               ``FREQ=DAILY``
``毎週水曜``           ``FREQ=WEEKLY;BYDAY=WE``
``毎週月・木``         ``FREQ=WEEKLY;BYDAY=MO,TH``
``隔週火曜``           ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU``
``毎月1日``            ``FREQ=MONTHLY;BYMONTHDAY=1`` (``毎月末`` → ``-1``)
``毎月4のつく日``      ``FREQ=MONTHLY;BYMONTHDAY=4,14,24``
``毎月第2木曜``        ``FREQ=MONTHLY;BYDAY=2TH`` (``第1・第3水曜`` → ``1WE,3WE``)
``毎月最終金曜``       ``FREQ=MONTHLY;BYDAY=-1FR``
``隔月`` …             ``FREQ=MONTHLY;INTERVAL=2`` …
=====================  ===========================================

An end, ``（3月まで）``, ``～2026年3月``, ``（2026年3月31日まで）``, becomes ``UNTIL`` at the
last second of that day in the workbook's time zone, written in UTC as RFC 5545 requires
with a zoned DTSTART (``UNTIL=20260331T145959Z`` for Tokyo). A month alone means its last
day; an end without a year is the first such date on or after the action's first date.

A raw RRULE (``RRULE:FREQ=…`` or ``FREQ=…``) is checked part by part and returned in a
fixed order (FREQ, INTERVAL, BY… parts, WKST, COUNT, UNTIL) with upper-case names and
values. Actions happen on days, so FREQ is DAILY, WEEKLY, MONTHLY or YEARLY and the
BYHOUR/BYMINUTE/BYSECOND parts are refused.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from ..core.errors import ParseError
from ..core.text import nfkc
from ..core.values import CellValue
from .dates import WEEKDAYS_JA, parse_date, weekday_index
from .rrule import RuleParts, parse_rule, rule_text

DEFAULT_TZ = "Asia/Tokyo"
RFC_DAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_WD = r"[月火水木金土日](?:曜日?)?"
_WD_LIST = rf"(?P<days>{_WD}(?:[・,、/と]{_WD})*)"
_NTH = r"(?:第\d|最終)"
_SPACES = re.compile(r"\s+")
_END_BRACKET = re.compile(r"\((?P<end>[^()]+)まで\)$")
_END_PLAIN = re.compile(r"(?:まで|迄)$")
_END_TILDE = re.compile(r"[~〜～](?P<end>[^~〜～]+)$")
_END_MONTH = re.compile(r"^(?:(?P<y>\d{4})(?:年|[/.-]))?(?P<m>\d{1,2})月?(?:末日?)?$")
_EVERY = {"毎": 1, "隔": 2}
_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("daily", re.compile(r"^(?P<every>毎|隔)日$")),
    ("weekly", re.compile(rf"^(?P<every>毎|隔)週(?:{_WD_LIST})?$")),
    ("ending", re.compile(r"^(?:(?P<every>毎|隔)月)?(?P<digit>\d)のつく日$")),
    ("monthday", re.compile(r"^(?P<every>毎|隔)月(?P<days>\d{1,2}(?:[・,、と]\d{1,2})*)日$")),
    ("lastday", re.compile(r"^(?P<every>毎|隔)月末日?$")),
    ("nth", re.compile(
        rf"^(?P<every>毎|隔)月(?P<nths>{_NTH}(?:[・,、と]{_NTH}|[・,、と]\d)*)(?P<day>{_WD})$"
    )),
    ("monthly", re.compile(r"^(?P<every>毎|隔)月$")),
    ("yearly", re.compile(r"^毎年$")),
)


def parse_repetition(text: str, first: date, *, tz: str = DEFAULT_TZ) -> str:
    """The RRULE value for a 繰り返し cell; ``repeat.unreadable`` when it cannot be read.

    ``first`` is the action's date: it places an end written without a year, and
    ``tz`` is the time zone whose end of day ``UNTIL`` stands for.
    """
    squashed = _SPACES.sub("", nfkc(text))
    if "=" in squashed:
        try:
            return rule_text(parse_rule(squashed))
        except ValueError:
            raise ParseError("repeat.unreadable", {"value": text}) from None
    body, until = _split_end(squashed, text, first)
    parts = _phrase_parts(body, text)
    if until is not None:
        if until < first:
            raise ParseError("repeat.until_before_start", {
                "value": text, "until": until.isoformat(), "first": first.isoformat()})
        parts["UNTIL"] = until_value(until, tz)
    return rule_text(parts)


def until_value(last: date, tz: str = DEFAULT_TZ) -> str:
    """``UNTIL`` for the end of ``last`` in ``tz``, in UTC (``20260331T145959Z``)."""
    local = datetime.combine(last, time(23, 59, 59), ZoneInfo(tz))
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _split_end(squashed: str, raw: str, first: date) -> tuple[str, date | None]:
    found = _END_BRACKET.search(squashed) or _END_TILDE.search(squashed)
    if found is None:
        return squashed, None
    end_text = _END_PLAIN.sub("", found.group("end"))
    return squashed[: found.start()], _end_date(end_text, raw, first)


def _end_date(text: str, raw: str, first: date) -> date:
    month_only = _END_MONTH.match(text)
    if month_only and ("月" in text or month_only.group("y")):
        month = int(month_only.group("m"))
        if not 1 <= month <= 12:
            raise ParseError("repeat.unreadable", {"value": raw})
        year = int(month_only.group("y") or first.year)
        last = date(year, month, calendar.monthrange(year, month)[1])
        if month_only.group("y") is None and last < first:
            last = date(year + 1, month, calendar.monthrange(year + 1, month)[1])
        return last
    try:
        return parse_date(text).date
    except ParseError as exc:
        if exc.code != "date.no_year":
            raise ParseError("repeat.unreadable", {"value": raw}) from None
    try:
        found = parse_date(text, year=first.year).date
        return found if found >= first else parse_date(text, year=first.year + 1).date
    except ParseError:
        raise ParseError("repeat.unreadable", {"value": raw}) from None


def _phrase_parts(body: str, raw: str) -> RuleParts:
    for form, pattern in _PHRASES:
        found = pattern.match(body)
        if found is None:
            continue
        groups = found.groupdict()
        every = _EVERY[groups.get("every") or "毎"]
        parts: RuleParts = _FORMS[form](groups, raw)
        if every != 1:
            parts["INTERVAL"] = str(every)
        return parts
    raise ParseError("repeat.unreadable", {"value": raw})


def _daily(_groups: dict[str, str | None], _raw: str) -> RuleParts:
    return {"FREQ": "DAILY"}


def _weekly(groups: dict[str, str | None], _raw: str) -> RuleParts:
    parts: RuleParts = {"FREQ": "WEEKLY"}
    if groups["days"]:
        parts["BYDAY"] = ",".join(_rfc_day(d) for d in re.split(r"[・,、/と]", groups["days"]))
    return parts


def _ending(groups: dict[str, str | None], _raw: str) -> RuleParts:
    digit = int(groups["digit"] or 0)
    days = [d for d in range(1, 32) if d % 10 == digit]
    return {"FREQ": "MONTHLY", "BYMONTHDAY": ",".join(map(str, days))}


def _monthday(groups: dict[str, str | None], raw: str) -> RuleParts:
    days = [int(d) for d in re.split(r"[・,、と]", groups["days"] or "")]
    if any(not 1 <= d <= 31 for d in days):
        raise ParseError("repeat.unreadable", {"value": raw})
    return {"FREQ": "MONTHLY", "BYMONTHDAY": ",".join(map(str, days))}


def _lastday(_groups: dict[str, str | None], _raw: str) -> RuleParts:
    return {"FREQ": "MONTHLY", "BYMONTHDAY": "-1"}


def _nth(groups: dict[str, str | None], raw: str) -> RuleParts:
    day = _rfc_day(groups["day"] or "")
    positions = []
    for token in re.split(r"[・,、と]", groups["nths"] or ""):
        number = -1 if token == "最終" else int(token.removeprefix("第"))
        if not (number == -1 or 1 <= number <= 5):
            raise ParseError("repeat.unreadable", {"value": raw})
        positions.append(f"{number}{day}")
    return {"FREQ": "MONTHLY", "BYDAY": ",".join(positions)}


def _monthly(_groups: dict[str, str | None], _raw: str) -> RuleParts:
    return {"FREQ": "MONTHLY"}


def _yearly(_groups: dict[str, str | None], _raw: str) -> RuleParts:
    return {"FREQ": "YEARLY"}


_FORMS = {
    "daily": _daily, "weekly": _weekly, "ending": _ending, "monthday": _monthday,
    "lastday": _lastday, "nth": _nth, "monthly": _monthly, "yearly": _yearly,
}


def _rfc_day(text: str) -> str:
    index = weekday_index(text)
    if index is None:
        raise ValueError(f"not a weekday: {text!r}")
    return RFC_DAYS[index]


def _split_list(text: str) -> list[str]:
    """Split on 、 , ， ・ spaces and newlines, but never inside brackets (``（日・祝）``)."""
    items, current, depth = [], "", 0
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in "、,，・" or ch.isspace()):
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    return [item for item in items if item]


def parse_date_list(
    value: CellValue, *, year: int | None = None, fiscal_year: int | None = None
) -> list[date]:
    """The dates in a 除外日 cell, in the order written; blank is ``[]``.

    Elements are separated by ``、``, ``,``, ``，``, ``・``, spaces or newlines. An element
    that is not a date raises ``except.unreadable`` naming it; one without a year, or one
    that does not exist, raises ``date.no_year`` / ``date.invalid`` naming it.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if not isinstance(value, str):
        try:
            return [parse_date(value).date]
        except ParseError:
            raise ParseError("except.unreadable", {"value": str(value)}) from None
    # A space before a bracket belongs to the date it follows: "2025/12/07 (日)".
    text = re.sub(r"\s+(?=[(（])", "", value)
    dates = []
    for item in _split_list(text):
        try:
            dates.append(parse_date(item, year=year, fiscal_year=fiscal_year).date)
        except ParseError as exc:
            code = "except.unreadable" if exc.code == "date.unreadable" else exc.code
            raise ParseError(code, {"value": item}) from None
    return dates


def describe_repetition(rule: str, *, tz: str = DEFAULT_TZ) -> str:
    """A short Japanese description for pages (``毎月4・14・24日``, ``毎月第2木曜日``).

    A rule with parts this cannot say in words is returned as it is.
    """
    try:
        parts = parse_rule(rule)
    except ValueError:
        return rule
    described = _describe(parts)
    if described is None:
        return rule
    if "UNTIL" in parts:
        last = _until_date(parts["UNTIL"], tz)
        described += f"（{last.year}年{last.month}月{last.day}日まで）"
    elif "COUNT" in parts:
        described += f"（全{parts['COUNT']}回）"
    return described


def _describe(parts: RuleParts) -> str | None:
    known = {"FREQ", "INTERVAL", "UNTIL", "COUNT"}
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    if interval > 2:
        return None
    every = "毎" if interval == 1 else "隔"
    if freq == "DAILY" and set(parts) <= known:
        return f"{every}日"
    if freq == "WEEKLY" and set(parts) <= known | {"BYDAY"}:
        days = parts.get("BYDAY")
        return f"{every}週" + (f"{_ja_days(days.split(','))}曜日" if days else "")
    if freq == "MONTHLY" and set(parts) <= known | {"BYDAY"} and "BYDAY" in parts:
        return _describe_nth(every, parts["BYDAY"].split(","))
    if freq == "MONTHLY" and set(parts) <= known | {"BYMONTHDAY"}:
        days = parts.get("BYMONTHDAY")
        if days == "-1":
            return f"{every}月末日"
        if days and all(not d.startswith("-") for d in days.split(",")):
            return f"{every}月{'・'.join(days.split(','))}日"
        return f"{every}月" if days is None else None
    if freq == "YEARLY" and set(parts) <= known and interval == 1:
        return "毎年"
    return None


def _describe_nth(every: str, days: list[str]) -> str | None:
    found = [re.fullmatch(r"(-1|[1-5])([A-Z]{2})", d) for d in days]
    if not all(found) or len({m.group(2) for m in found if m}) != 1:
        return None
    nths = "・".join("最終" if m.group(1) == "-1" else f"第{m.group(1)}" for m in found if m)
    weekday = _ja_days([m.group(2) for m in found if m][:1])
    return f"{every}月{nths}{weekday}曜日"


def _ja_days(rfc_days: list[str]) -> str:
    return "・".join(WEEKDAYS_JA[RFC_DAYS.index(d)] for d in rfc_days)


def _until_date(value: str, tz: str) -> date:
    """The local date an UNTIL value ends on."""
    moment = _until_datetime(value, tz)
    return moment.date()


def _until_datetime(value: str, tz: str) -> datetime:
    """UNTIL as a naive local date-time in ``tz`` (a DATE value is the end of that day)."""
    if len(value) == 8:
        return datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
    if value.endswith("Z"):
        moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return datetime.strptime(value, "%Y%m%dT%H%M%S")


def occurrences(rule: str, first: date, until: date, *, tz: str = DEFAULT_TZ) -> list[date]:
    """The dates ``rule`` falls on from ``first`` to ``until`` (both included), in order.

    ``first`` is the action's own date and always counts, as DTSTART does in RFC 5545,
    even when it does not match the rule; ``UNTIL`` is read in ``tz``.
    """
    parts = parse_rule(rule)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_datetime(parts["UNTIL"], tz).strftime("%Y%m%dT%H%M%S")
    start = datetime.combine(first, time())
    expanded = rrulestr(rule_text(parts), dtstart=start)
    end = datetime.combine(until, time(23, 59, 59))
    found = {moment.date() for moment in expanded.between(start, end, inc=True)}
    if first <= until:
        found.add(first)
    return sorted(found)


__all__ = [
    "DEFAULT_TZ", "RFC_DAYS", "describe_repetition", "occurrences", "parse_date_list",
    "parse_repetition", "until_value",
]
