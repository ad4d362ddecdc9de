"""The assembly tracker's tables and files: ``assembly/petitions.json``,
``assembly/petitions.csv`` and ``assembly/coverage.csv`` for each audience, the
tables of the ``petitions`` command and the 議会 section of the 集計 tab.

The CSVs go through :func:`.export.to_csv`, the writer of ``reports/*.csv``: the
same encoding (UTF-8 with BOM, CRLF) and the same treatment of every cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..assembly.model import Tracker, tracker_for
from ..assembly.popolo import petitions_json
from ..assembly.progress import Progress, by_prefecture, place_rows, progress
from ..assembly.sentence import RollupSentence, render_sentence
from ..assembly.summary import Tracked
from ..assembly.vocabulary import (
    classifications,
    columns,
    meeting_statuses,
    outcome,
    status_style,
    term_label,
    title,
)
from ..assembly.votes import format_vote
from ..core.audience import Audience
from ..core.outputs import BuildContext, OutputFiles
from ..core.values import CellValue
from .export import to_csv
from .tables import Cell, Column, Table

#: What ``petitions --by`` accepts, and the table each gives.
BY = ("petition", "municipality", "prefecture")


def _table(key: str, table_title: str, rows: Sequence[Sequence[Cell]]) -> Table:
    cols = tuple(Column(k, v) for k, v in columns(key).items())
    return Table(key, table_title, cols, tuple(tuple(r) for r in rows))


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def petition_table(view: Progress) -> Table:
    """One row per petition: where it went, what it is, where it stands."""
    rows: list[list[Cell]] = []
    for item in view.tracked:
        p, s = item.petition, item.status
        rows.append([
            p.id, p.place.code, p.place.name, p.place.prefecture, p.assembly,
            term_label(classifications(), p.classification), p.title, _day(p.submitted),
            p.submitter, outcome(s.outcome).label if s.outcome else "",
            _yes_no(s.final) if s.outcome else "", _day(s.date), s.body or "",
            format_vote(s.vote) if s.vote else "", s.carried_over,
            "" if s.days is None else s.days, _next(item),
        ])
    return _table("petitions", title("petitions"), rows)


def _yes_no(final: bool) -> str:
    return title("yes") if final else title("no")


def _next(item: Tracked) -> str:
    upcoming = item.status.upcoming
    return f"{upcoming.date.isoformat()} {upcoming.body}" if upcoming else ""


def municipality_table(view: Progress) -> Table:
    """One row per municipality in scope (and any other named), the prefecture first."""
    rows: list[list[Cell]] = []
    for row in place_rows(view):
        rows.append([
            row.place.code, row.place.name, row.petitions, row.stages, row.adopted, row.final,
            row.carried_over, row.rejected, row.opinions, status_style(row.status).label,
            _met(row.met, row.meeting), _day(row.answered), _day(row.confirmed),
        ])
    return _table("municipalities", title("municipalities"), rows)


def _met(held: date | None, meeting: str | None) -> str:
    if held is not None:
        return held.isoformat()
    return term_label(meeting_statuses(), meeting) if meeting else ""


def prefecture_table(view: Progress) -> Table:
    """One row per prefecture, with its sentence."""
    rows: list[list[Cell]] = []
    for prefecture, summary in by_prefecture(view):
        sentence = render_sentence(RollupSentence.of(summary))
        rows.append([
            prefecture.name, summary.municipalities_adopted,
            summary.prefectural_assemblies_adopted, summary.adopted_final,
            summary.opinions_adopted, summary.carried_over, summary.rejected, sentence,
        ])
    return _table("prefectures", title("prefectures"), rows)


def coverage_table(tracker: Tracker) -> Table:
    """Every municipality in scope, with each of its 自治体 rows (by year), in code
    order; a municipality without a row gets a row of blanks."""
    by_place: dict[str, list[list[Cell]]] = {m.code: [] for m in tracker.scope}
    names = {m.code: m.name for m in tracker.scope}
    for c in sorted(tracker.coverage, key=lambda c: (c.place.code, c.year)):
        names.setdefault(c.place.code, c.place.name)
        by_place.setdefault(c.place.code, []).append([
            c.place.code, c.place.name, c.year, _day(c.planned), _day(c.held),
            term_label(meeting_statuses(), c.meeting), _day(c.sent), _day(c.answered),
            _day(c.confirmed), c.outcome, c.source,
        ])
    rows: list[list[Cell]] = []
    for code in sorted(by_place):
        rows += by_place[code] or [[code, names[code], "", "", "", "", "", "", "", "", ""]]
    return _table("coverage", title("coverage"), rows)


def by_table(view: Progress, by: str) -> Table:
    """The table ``petitions --by`` shows."""
    if by == "municipality":
        return municipality_table(view)
    if by == "prefecture":
        return prefecture_table(view)
    return petition_table(view)


def assembly_exports(ctx: BuildContext, tracker: Tracker) -> OutputFiles:
    """``assembly/…`` for the public, and under ``members/<token>/`` for the members
    (nothing for a workbook without any of the tracker's tabs)."""
    if not tracker.sheet_names:
        return {}
    audiences = [(Audience.PUBLIC, "")]
    if ctx.members_token:
        audiences.append((Audience.MEMBERS, f"members/{ctx.members_token}/"))
    files: OutputFiles = {}
    for audience, prefix in audiences:
        shown = tracker_for(tracker, audience)
        view = progress(shown, fiscal_year=ctx.config.fiscal_year)
        files[f"{prefix}assembly/petitions.json"] = petitions_json(view.tracked, view.summary)
        files[f"{prefix}assembly/petitions.csv"] = to_csv(petition_table(view))
        files[f"{prefix}assembly/coverage.csv"] = to_csv(coverage_table(shown))
    return files


def assembly_sheet_rows(tracker: Tracker, fiscal_year: int | None) -> list[list[CellValue]]:
    """The 議会 section of the 集計 tab (the members' view: the tab stays in the sheet):
    its title with the roll-up sentence, then the table per municipality."""
    if not (tracker.petitions or tracker.coverage):
        return []
    view = progress(tracker_for(tracker, Audience.MEMBERS), fiscal_year=fiscal_year)
    table = municipality_table(view)
    rows: list[list[CellValue]] = [
        [title("sheet"), render_sentence(RollupSentence.of(view.summary))],
        [c.label for c in table.columns],
    ]
    rows += [list(row) for row in table.rows]
    return rows
