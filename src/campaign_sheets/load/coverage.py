"""Rows of the 自治体 tab: one municipality in one fiscal year — the meeting (懇談),
the questionnaire (アンケート) and what was won."""

from __future__ import annotations

import re
from datetime import date

from ..assembly.model import Coverage
from ..assembly.vocabulary import find_term, meeting_statuses
from ..core.text import nfkc
from ..core.urls import is_http_url
from ..parsing.dates import ERAS
from .cells import RowReader, cell_text
from .petitions import AssemblyRules
from .places import read_day, read_place

_YEAR = re.compile(r"^(?:(?P<era>令和|平成|R|H))?(?P<n>\d{1,4}|元)(?:年度?)?$", re.IGNORECASE)
_DATES = ("planned", "held", "sent", "answered", "confirmed")


def read_coverage(r: RowReader, rules: AssemblyRules) -> Coverage | None:
    """One row of the 自治体 tab, or ``None`` when it has an error."""
    place = read_place(r, "municipality", rules.home)
    days = {key: read_day(r, key, rules.config) for key in _DATES}
    year = _year(r, days, rules.config.fiscal_year)
    meeting = _meeting(r, days)
    source = r.text("source")
    if source and not is_http_url(source):
        r.report("source", "url.not_http", header=r.headers.headers.get("source", "source"),
                 value=source)
        source = ""
    sent, answered = days["sent"], days["answered"]
    if sent is not None and answered is not None and answered < sent:
        r.report("answered", "coverage.answer_before_sent", answered=answered.isoformat(),
                 sent=sent.isoformat())
    texts = {key: r.text(key) for key in ("outcome", "note")}
    if r.failed or place is None or year is None or meeting is None:
        return None
    return Coverage(
        place=place, year=year, meeting=meeting, planned=days["planned"], held=days["held"],
        sent=sent, answered=answered, confirmed=days["confirmed"], outcome=texts["outcome"],
        source=source, note=texts["note"], row=r.row,
    )


def _year(r: RowReader, days: dict[str, date | None], configured: int | None) -> int | None:
    value = r.value("year")
    text = nfkc(cell_text(value)).replace(" ", "")
    if text:
        match = _YEAR.match(text)
        if match is None:
            r.report("year", "coverage.year_unreadable", value=cell_text(value))
            return None
        n = 1 if match["n"] == "元" else int(match["n"])
        if match["era"]:
            return _era_start(match["era"]) + n
        if n < 1900:
            r.report("year", "coverage.year_unreadable", value=cell_text(value))
            return None
        return n
    for day in days.values():
        if day is not None:
            return day.year if day.month >= 4 else day.year - 1
    if configured is not None:
        return configured
    r.report("year", "coverage.year_missing")
    return None


def _era_start(era: str) -> int:
    """The year before an era's first (令和 → 2018, so 令和8 = 2026)."""
    for name, letter, start in ERAS:
        if era in (name, letter) or era.upper() == letter:
            return start.year - 1
    raise KeyError(era)


def _meeting(r: RowReader, days: dict[str, date | None]) -> str | None:
    text = r.text("meeting")
    if text:
        term = find_term(meeting_statuses(), text)
        if term is None:
            r.report("meeting", "coverage.meeting_unknown", value=text,
                     choices="、".join(t.label for t in meeting_statuses()))
            return None
        return term.key
    if days["held"] is not None:
        return "held"
    if days["planned"] is not None:
        return "scheduled"
    return "none"
