"""The same action last year: what a report compares with (``相談は41件（昨年19件）``).

An action's counterpart is in the previous fiscal year (April–March), held (not
cancelled or postponed), and either

1. of the same series: the session at the same place in that year's series
   (the 3rd session of 社会保障講座 beside last year's 3rd), or, without a series,
2. of the same kind with the same title, compared by :func:`title_key` — the
   title without years, era years, ordinals and other numbers (``第12回``,
   ``2026年``, ``令和8年度``), brackets and punctuation; when several match, the
   one held nearest to a year before.

Series names are compared by the same key, so ``社会保障学校2026`` and
``社会保障学校2025`` are one series.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date

from ..core.model import Action, Status, chronological_key
from ..core.text import match_key
from .period import fiscal_year_of

_NOT_HELD = (Status.CANCELLED, Status.POSTPONED)
_ERA_YEARS = re.compile(r"(?:令和|平成|昭和)(?:\d+|元)(?:年度?)?|[rhs]\d+年度?")
_WESTERN_YEARS = re.compile(r"\d{4}年度?")
_ORDINALS = re.compile(r"第(?:\d+|[一二三四五六七八九十百]+)[回次期弾号]目?|\d+[回次期弾号]目?")
_DIGITS = re.compile(r"\d+")


def title_key(title: str) -> str:
    """What two titles are compared by: ``第12回 いのちと暮らしを守る県民集会（2026）``
    and ``第11回いのちと暮らしを守る県民集会`` both give ``いのちと暮らしを守る県民集会``."""
    text = match_key(title)
    for pattern in (_ERA_YEARS, _WESTERN_YEARS, _ORDINALS, _DIGITS):
        text = pattern.sub("", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZ")


def shift_year(day: date, years: int) -> date:
    """``day`` moved by whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def same_action_last_year(action: Action, actions: Iterable[Action]) -> Action | None:
    """The same action in the previous fiscal year, or ``None`` when there is none."""
    year = fiscal_year_of(action.date)
    held = [a for a in actions if a.status not in _NOT_HELD and a.id != action.id]
    last = [a for a in held if fiscal_year_of(a.date) == year - 1]
    if action.series and title_key(action.series):
        return _same_series(action, [a for a in held if fiscal_year_of(a.date) == year], last)
    key = title_key(action.title)
    if not key:
        return None
    same = [a for a in last if a.kind == action.kind and title_key(a.title) == key]
    if not same:
        return None
    target = shift_year(action.date, -1)
    return min(same, key=lambda a: (abs((a.date - target).days), chronological_key(a)))


def _same_series(action: Action, this: Sequence[Action], last: Sequence[Action]) -> Action | None:
    key = title_key(action.series)

    def session(actions: Iterable[Action]) -> list[Action]:
        return sorted((a for a in actions if a.series and title_key(a.series) == key),
                      key=chronological_key)

    place = [a.id for a in session([*this, action])].index(action.id)
    earlier = session(last)
    return earlier[place] if place < len(earlier) else None
