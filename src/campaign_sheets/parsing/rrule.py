"""Checking and normalising a raw RFC 5545 RRULE value, part by part.

Only rules an action can follow are accepted: FREQ is DAILY, WEEKLY, MONTHLY or YEARLY
(an action happens on days, not hours), and BYHOUR, BYMINUTE and BYSECOND are refused.
Every other RFC 5545 part is checked for its range and for the combinations the RFC
forbids (a numbered BYDAY outside MONTHLY/YEARLY, BYMONTHDAY with WEEKLY, …).
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime

RuleParts = dict[str, str]

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
#: The order parts are written in, which is also the list of accepted parts.
PART_ORDER = (
    "FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS",
    "WKST", "COUNT", "UNTIL",
)
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^(?P<n>[+-]?\d{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_NUMBER = re.compile(r"^[+-]?\d{1,3}$")
_UNTIL = re.compile(r"^\d{8}(?:T\d{6}Z?)?$")
_RANGES = {"BYMONTHDAY": 31, "BYYEARDAY": 366, "BYWEEKNO": 53, "BYSETPOS": 366}


def parse_rule(text: str) -> RuleParts:
    """``{name: value}`` of a raw RRULE (``RRULE:`` prefix optional); ``ValueError`` if bad."""
    text = text.strip()
    if text[:6].upper() == "RRULE:":
        text = text[6:]
    parts: RuleParts = {}
    for item in filter(None, text.split(";")):
        name, sep, value = item.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not value or name not in PART_ORDER or name in parts:
            raise ValueError(f"bad or repeated part {item!r}")
        parts[name] = _normalise(name, value)
    _check_combination(parts)
    return parts


def rule_text(parts: RuleParts) -> str:
    """The parts as an RRULE value in :data:`PART_ORDER` (``FREQ=WEEKLY;BYDAY=WE``)."""
    return ";".join(f"{name}={parts[name]}" for name in PART_ORDER if name in parts)


def _normalise(name: str, value: str) -> str:
    if name == "FREQ":
        if value not in FREQUENCIES:
            raise ValueError(f"FREQ must be one of {FREQUENCIES}")
        return value
    if name in ("INTERVAL", "COUNT"):
        if not value.isdigit() or int(value) < 1 or len(value) > 6:
            raise ValueError(f"{name} must be a whole number from 1")
        return str(int(value))
    if name == "UNTIL":
        return _check_until(value)
    if name == "WKST":
        if value not in _DAYS:
            raise ValueError("WKST must be a weekday")
        return value
    return ",".join(_list_item(name, item) for item in value.split(","))


def _list_item(name: str, item: str) -> str:
    if name == "BYDAY":
        found = _BYDAY.match(item)
        if found is None:
            raise ValueError(f"bad BYDAY {item!r}")
        n = found.group("n")
        if n is None:
            return found.group("day")
        if not 1 <= abs(int(n)) <= 53:
            raise ValueError(f"bad BYDAY {item!r}")
        return f"{int(n)}{found.group('day')}"
    if not _NUMBER.match(item):
        raise ValueError(f"bad {name} {item!r}")
    number = int(item)
    if name == "BYMONTH":
        if not 1 <= number <= 12:
            raise ValueError(f"bad BYMONTH {item!r}")
    elif not 1 <= abs(number) <= _RANGES[name]:
        raise ValueError(f"bad {name} {item!r}")
    return str(number)


def _check_until(value: str) -> str:
    if not _UNTIL.match(value):
        raise ValueError("UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ")
    form = {8: "%Y%m%d", 15: "%Y%m%dT%H%M%S", 16: "%Y%m%dT%H%M%SZ"}[len(value)]
    datetime.strptime(value, form)  # raises ValueError for a date that does not exist
    return value


def _check_combination(parts: RuleParts) -> None:
    freq = parts.get("FREQ")
    if freq is None:
        raise ValueError("FREQ is required")
    if "UNTIL" in parts and "COUNT" in parts:
        raise ValueError("UNTIL and COUNT cannot both be given")
    numbered = any(not item.isalpha() for item in parts.get("BYDAY", "").split(",") if item)
    if numbered and (freq not in ("MONTHLY", "YEARLY") or "BYWEEKNO" in parts):
        raise ValueError("a numbered BYDAY needs FREQ=MONTHLY or YEARLY")
    if "BYMONTHDAY" in parts and freq == "WEEKLY":
        raise ValueError("BYMONTHDAY cannot be used with FREQ=WEEKLY")
    if "BYYEARDAY" in parts and freq != "YEARLY":
        raise ValueError("BYYEARDAY needs FREQ=YEARLY")
    if "BYWEEKNO" in parts and freq != "YEARLY":
        raise ValueError("BYWEEKNO needs FREQ=YEARLY")
    if "BYSETPOS" in parts:
        _check_setpos(parts, freq)
    _check_possible(parts)


def _check_setpos(parts: RuleParts, freq: str) -> None:
    """BYSETPOS picks from each period's dates, so it cannot point past the period's length.

    A position no period has would leave dateutil searching to the year 9999.
    """
    if not any(name.startswith("BY") and name != "BYSETPOS" for name in parts):
        raise ValueError("BYSETPOS needs another BY part")
    longest = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}[freq]
    if freq == "DAILY" or any(abs(int(p)) > longest for p in parts["BYSETPOS"].split(",")):
        raise ValueError("BYSETPOS points past the dates a period can have")


def _check_possible(parts: RuleParts) -> None:
    """Refuse ``BYMONTH=2;BYMONTHDAY=30``: a rule with no date would be searched for ever."""
    if "BYMONTH" not in parts or "BYMONTHDAY" not in parts:
        return
    months = [int(m) for m in parts["BYMONTH"].split(",")]
    days = [abs(int(d)) for d in parts["BYMONTHDAY"].split(",")]
    if not any(day <= calendar.monthrange(2000, month)[1] for month in months for day in days):
        raise ValueError("BYMONTH and BYMONTHDAY have no date in common")


__all__ = ["FREQUENCIES", "PART_ORDER", "RuleParts", "parse_rule", "rule_text"]
