"""The period a roll-up covers: ``--from``/``--to``, or a fiscal year (April–March)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .tables import label


@dataclass(frozen=True)
class Period:
    """The days from ``start`` to ``end``, both included."""

    start: date
    end: date
    fiscal_year: int | None = None

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def title(self) -> str:
        """``2025年度`` for a fiscal year, else ``2025-04-01〜2025-06-30``."""
        if self.fiscal_year is not None:
            return label("fiscal_year_title").format(year=self.fiscal_year)
        return label("period_title").format(start=self.start.isoformat(), end=self.end.isoformat())


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day falls in: April 2025 – March 2026 is 2025."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_period(year: int) -> Period:
    """April 1 of ``year`` to March 31 of the next year."""
    return Period(date(year, 4, 1), date(year + 1, 3, 31), fiscal_year=year)


def choose_period(
    start: date | None, end: date | None, fiscal_year: int | None, today: date
) -> Period:
    """The period asked for: with no bounds, the configured (else current) fiscal
    year; with one bound, from it to the end (or from the start) of its fiscal year."""
    if start is None and end is None:
        return fiscal_period(fiscal_year if fiscal_year is not None else fiscal_year_of(today))
    if start is None:
        assert end is not None
        start = fiscal_period(fiscal_year_of(end)).start
    if end is None:
        end = fiscal_period(fiscal_year_of(start)).end
    return Period(start, end)
