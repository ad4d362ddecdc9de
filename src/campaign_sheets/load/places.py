"""Cells that name a municipality or a date, for the assembly tracker's tabs."""

from __future__ import annotations

from datetime import date

from ..core.config import Config
from ..core.problems import Nested
from ..geo import Level, Municipality, register, resolve
from ..parsing.dates import WEEKDAYS_EN, format_date, parse_date, weekday_index, weekday_label
from .cells import RowReader


def read_place(r: RowReader, key: str, home: str | None) -> Municipality | None:
    """The municipality (or prefecture) cell ``key`` names, resolved inside the home
    prefecture first; a ward of a designated city is folded into its city (with a
    note), since wards have no assembly of their own."""
    text = r.required_text(key, "assembly_municipality")
    if text is None:
        return None
    found = resolve(text, home)
    if found.municipality is None:
        params = found.message_params()
        hint: Nested | str = ""
        if found.suggestion:
            hint = Nested("municipality.suggestion", params)
        r.report(key, found.code or "municipality.unknown", None, **params, hint=hint)
        return None
    place = found.municipality
    if place.level is Level.WARD and place.city:
        city = register().by_code(place.city)
        if city is not None:
            r.report(key, "municipality.ward", query=text, city=city.name)
            return city
    return place


def read_day(r: RowReader, key: str, config: Config) -> date | None:
    """A date cell (blank is ``None``); a weekday in brackets must agree with it."""
    parsed = r.parsed(
        key, lambda v: parse_date(v, year=config.year, fiscal_year=config.fiscal_year))
    if parsed is None:
        return None
    day = parsed.date
    if parsed.weekday_text:
        written = weekday_index(parsed.weekday_text)
        if written is not None and written != day.weekday():
            r.report(
                key, "date.weekday_mismatch",
                date=format_date(day, "kanji"), date_iso=day.isoformat(), actual=weekday_label(day),
                actual_en=WEEKDAYS_EN[day.weekday()], written=parsed.weekday_text,
            )
    return day
