"""Rows of the 請願 and 審議 tabs, and the checks across a petition's stages.

Every bad cell is a problem naming it; a row with an error is left out (a stage's
hearing then keeps its last good version, as an action does). Across rows: a stage
after the petition was settled is an error (a committee after a deciding plenary
says so in its own words), a stage before the submission a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..assembly.model import Petition, Stage
from ..assembly.status import is_final, stage_order
from ..assembly.vocabulary import (
    assembly_name,
    classifications,
    find_outcome,
    find_term,
    is_plenary,
    outcome,
    outcomes,
    suggest_outcome,
)
from ..assembly.votes import Vote, format_vote, parse_vote
from ..core.config import Config
from ..core.orgs import OrgIndex
from ..core.problems import Nested, Problem, column_letter, make_problem
from ..core.urls import is_http_url
from ..parsing.times import parse_time_range
from .cells import RowReader, cell_text, read_visibility, split_list
from .places import read_day, read_place
from .records import resolve_name
from .tabs import TabView


@dataclass(frozen=True)
class AssemblyRules:
    """What reading the tracker's rows needs besides the rows."""

    config: Config
    home: str | None
    orgs: OrgIndex


def read_petition(r: RowReader, rules: AssemblyRules) -> Petition | None:
    """One row of the 請願 tab (its ``id`` is given by the caller), or ``None`` on an error."""
    place = read_place(r, "municipality", rules.home)
    title = r.required_text("title", "petition_title")
    classification = _classification(r)
    submitted = read_day(r, "submitted", rules.config)
    submitter = resolve_name(r, "submitter", r.text("submitter"), rules.orgs)
    visibility = read_visibility(r)
    source = _url(r, "source")
    texts = {key: r.text(key) for key in ("assembly", "introducers", "note")}
    if r.failed or place is None or title is None or classification is None:
        return None
    return Petition(
        id="", place=place, assembly=texts["assembly"] or assembly_name(place.code, place.name),
        classification=classification, title=title, submitted=submitted, submitter=submitter,
        introducers=tuple(split_list(texts["introducers"])), source=source,
        visibility=visibility, note=texts["note"], row=r.row,
    )


def read_stage(r: RowReader, rules: AssemblyRules) -> Stage | None:
    """One row of the 審議 tab (``id`` and the petition check are the caller's)."""
    petition_id = r.required_text("petition", "petition")
    day = read_day(r, "date", rules.config)
    if not r.has("date"):
        r.required_text("date", "stage_date")
    times = r.parsed("time", parse_time_range)
    body = r.required_text("body", "body")
    found = _outcome(r)
    vote = r.parsed("vote", lambda v: parse_vote(cell_text(v)))
    if vote is not None:
        _check_vote(r, vote, found)
    source = _url(r, "source")
    texts = {key: r.text(key) for key in ("venue", "note")}
    if r.failed or petition_id is None or day is None or body is None:
        return None
    return Stage(
        id="", petition_id=petition_id, date=day, body=body, plenary=is_plenary(body),
        start=times.start if times else None, end=times.end if times else None,
        outcome=found, vote=vote, venue=texts["venue"], source=source, note=texts["note"],
        row=r.row,
    )


def _classification(r: RowReader) -> str | None:
    text = r.text("classification")
    if not text:
        return "petition"
    term = find_term(classifications(), text)
    if term is None:
        choices = "、".join(t.label for t in classifications())
        r.report("classification", "petition.classification_unknown", value=text,
                 choices=choices)
        return None
    return term.key



def _url(r: RowReader, key: str) -> str:
    text = r.text(key)
    if text and not is_http_url(text):
        r.report(key, "url.not_http", header=r.headers.headers.get(key, key), value=text)
        return ""
    return text


def _outcome(r: RowReader) -> str | None:
    text = r.text("outcome")
    if not text:
        return None
    found = find_outcome(text)
    if found is None:
        close = suggest_outcome(text)
        suggestion: Nested | str = ""
        if close:
            suggestion = Nested("stage.outcome_suggestion", {"label": close})
        r.report("outcome", "stage.outcome_unknown", value=text, suggestion=suggestion,
                 choices="、".join(o.label for o in outcomes()))
        return None
    if found.variant is not None:
        r.report("outcome", "stage.outcome_variant", value=text, label=outcome(found.key).label)
    return found.key


def _check_vote(r: RowReader, vote: Vote, found: str | None) -> None:
    written = format_vote(vote)
    if found is None and not r.has("outcome"):
        r.report("vote", "stage.vote_without_outcome", value=written)
    if vote.is_tie and not vote.chair_decided:
        r.report("vote", "stage.tie_without_chair", value=written)
    if vote.chair_decided and vote.yes is not None and vote.no is not None and not vote.is_tie:
        r.report("vote", "stage.chair_without_tie", value=written)


def check_sequences(
    stages: list[Stage],
    petitions: Mapping[str, Petition],
    view: TabView,
    problems: list[Problem],
) -> set[str]:
    """Checks across each petition's stages; the IDs of stages that must be left out."""
    by_petition: dict[str, list[Stage]] = {}
    for stage in stages:
        by_petition.setdefault(stage.petition_id, []).append(stage)
    bad: set[str] = set()
    report = _reporter(view, problems)
    for petition_id, group in by_petition.items():
        petition = petitions[petition_id]
        settled: Stage | None = None
        for stage in sorted(group, key=stage_order):
            if petition.submitted is not None and stage.date < petition.submitted:
                report(stage, "stage.before_submission", date=stage.date.isoformat(),
                       submitted=petition.submitted.isoformat())
            if settled is not None:
                bad.add(stage.id)
                _after_settled(report, stage, settled, _cell(view, settled))
                continue
            if is_final(stage):
                settled = stage
    return bad


def _after_settled(
    report: Callable[..., None], stage: Stage, settled: Stage, where: str
) -> None:
    if settled.plenary and not stage.plenary:
        report(stage, "stage.committee_after_plenary", date=stage.date.isoformat(),
               plenary_date=settled.date.isoformat(), plenary_cell=where)
    else:
        report(stage, "stage.after_final", date=stage.date.isoformat(),
               final_date=settled.date.isoformat(), final_cell=where,
               outcome=outcome(settled.outcome or "").label)


def _reporter(view: TabView, problems: list[Problem]) -> Callable[..., None]:
    col = view.headers.columns.get("date")
    header = view.headers.headers.get("date")

    def report(stage: Stage, code: str, **params: Any) -> None:
        problems.append(make_problem(code, view.name, stage.row, col, header, **params))

    return report


def _cell(view: TabView, stage: Stage) -> str:
    col = view.headers.columns.get("date")
    return f"{view.name}!{column_letter(col) if col is not None else ''}{stage.row}"
