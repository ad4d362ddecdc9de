"""Goals as organisers write them (``3万筆``, ``30,000``, ``３万``, ``1.5万``, ``三万``),
and numbers of signatures as the secretariat writes them back (``3万``, ``2,318``).

Accepted: digits (full-width too) with or without thousands commas; ``万`` and
``千`` after a number (``1.5万``, ``3万5千``, ``3万5000``); kanji numerals
(``三万``, ``一万五千``, ``十万``); ``目標`` before and ``筆``/``人``/``名`` after.
A goal is a whole number above zero: ``1.23456万`` is not a number of signatures.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..core.errors import ParseError
from ..core.text import nfkc
from ..core.values import CellValue
from .model import drive_words

_TEN_THOUSAND = Decimal(10000)
_SPACES = re.compile(r"[\s\u3000]+")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_THOUSANDS = re.compile(r"^(?P<n>\d+(?:\.\d+)?)千(?P<rest>\d+)?$")
_COMMAS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_goal(value: CellValue) -> int:
    """The goal in a 目標 cell; raises :class:`ParseError` (``drive.goal_*``)."""
    if isinstance(value, bool) or value is None:
        raise ParseError("drive.goal_unreadable", {"value": "" if value is None else str(value)})
    if isinstance(value, int | float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        number = _parse_text(value)
    else:
        raise ParseError("drive.goal_unreadable", {"value": str(value)})
    if number != number.to_integral_value() or number <= 0:
        raise ParseError("drive.goal_not_whole", {"value": str(value)})
    return int(number)


def _parse_text(raw: str) -> Decimal:
    text = _SPACES.sub("", nfkc(raw))
    words = drive_words()["goal"]
    for prefix in words["prefixes"]:
        text = text.removeprefix(prefix)
    for suffix in words["suffixes"]:
        text = text.removesuffix(suffix)
    if _COMMAS.match(text):
        text = text.replace(",", "")
    high, sep, low = text.partition("万")
    parts = (high, low) if sep else ("", high)
    top = _part(parts[0]) if parts[0] else (Decimal(0) if not sep else None)
    bottom = _part(parts[1]) if parts[1] else Decimal(0)
    if top is None or bottom is None or not text or (sep and not parts[0]):
        raise ParseError("drive.goal_unreadable", {"value": raw})
    if sep and bottom >= _TEN_THOUSAND:
        raise ParseError("drive.goal_unreadable", {"value": raw})
    return top * _TEN_THOUSAND + bottom


def _part(text: str) -> Decimal | None:
    """A number below (or, before 万, at any size) ``万``: digits, ``5千``, or kanji."""
    try:
        if _PLAIN.match(text):
            return Decimal(text)
        found = _THOUSANDS.match(text)
        if found:
            return Decimal(found["n"]) * 1000 + Decimal(found["rest"] or 0)
    except InvalidOperation:
        return None
    return _kanji(text)


def _kanji(text: str) -> Decimal | None:
    """``一万五千`` below 万: ``五千``, ``三百二十``, ``十`` (a bare unit is one of it)."""
    total, current, seen_digit = 0, 0, False
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[ch]
            seen_digit = True
        elif ch in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
        else:
            return None
    if not text or (not seen_digit and not total):
        return None
    return Decimal(total + current)


def format_goal(number: int) -> str:
    """A goal as organisers write it: ``3万``, ``1.5万``, ``12,345``, ``5,000``.

    :func:`parse_goal` reads every such text back to the same number.
    """
    if number >= 10000 and number % 1000 == 0:
        man = (Decimal(number) / _TEN_THOUSAND).normalize()
        return f"{man:f}万"
    return format_count(number)


def format_count(number: int) -> str:
    """A count with thousands commas: ``2,318``."""
    return f"{number:,}"


def one_decimal(value: Decimal) -> Decimal:
    """``value`` rounded half up to one decimal (7.7267 → 7.7; 312.45 → 312.5)."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
