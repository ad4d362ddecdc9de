"""The progress page ``assembly/index.html``: the roll-up sentence, the hearings ahead
with subscribe links, a tile-grid map of the municipalities coloured by status, a
table per municipality and a timeline per petition.

One page per audience: the public's never shows a members-only petition (or its
hearings); the members' lives under ``members/<token>/`` like the rest of their tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..assembly.model import Tracker, tracker_for
from ..assembly.progress import PlaceRow, Progress, place_rows, progress
from ..assembly.sentence import RollupSentence, render_sentence
from ..assembly.status import is_final
from ..assembly.summary import Tracked
from ..assembly.tiles import tile_grid
from ..assembly.vocabulary import (
    assembly_text,
    classifications,
    columns,
    meeting_statuses,
    outcome,
    status_style,
    status_styles,
    term_label,
)
from ..assembly.votes import format_vote
from ..core.audience import Audience
from ..core.outputs import BuildContext, OutputFiles
from ..feeds.catalog import feed_catalog
from ..geo import Level
from .dates import format_date, format_time
from .render import render
from .views import FeedLink, feed_link, safe_link

PAGE = "assembly/index.html"
_ROOT = "../"
#: The size of a tile and the gap between tiles, in SVG units.
TILE, GAP = 48, 4


@dataclass(frozen=True)
class TileView:
    """A square of the map."""

    code: str
    name: str
    short: str
    status: str
    label: str
    colour: str
    ink: str
    x: int
    y: int


@dataclass(frozen=True)
class StepView:
    """A step of a petition's timeline."""

    date_text: str
    date_iso: str
    body: str
    outcome: str
    vote: str
    final: bool
    ahead: bool
    href: str | None


@dataclass(frozen=True)
class TimelineView:
    """One petition and its steps."""

    id: str
    title: str
    classification: str
    place: str
    assembly: str
    submitted_text: str
    submitted_iso: str
    submitter: str
    introducers: str
    status: str
    status_label: str
    final: bool
    decided: bool
    overturned: bool
    carried_over: int
    days: int | None
    source: str | None
    steps: tuple[StepView, ...]


def assembly_pages(ctx: BuildContext, tracker: Tracker) -> OutputFiles:
    """The progress page of each audience's tree (none for a workbook without any of
    the tracker's tabs)."""
    if not tracker.sheet_names:
        return {}
    files = {PAGE: _page(ctx, tracker, Audience.PUBLIC, "")}
    if ctx.members_token:
        prefix = f"members/{ctx.members_token}/"
        files[prefix + PAGE] = _page(ctx, tracker, Audience.MEMBERS, prefix)
    return files


def _page(ctx: BuildContext, tracker: Tracker, audience: Audience, prefix: str) -> bytes:
    shown = tracker_for(tracker, audience)
    view = progress(shown, fiscal_year=ctx.config.fiscal_year)
    rows = place_rows(view)
    visible = {a.id for a in ctx.workbook.actions}
    return render(
        "assembly.html",
        ctx.templates,
        w=assembly_text()["page"],
        sentence=render_sentence(RollupSentence.of(view.summary)),
        hearings=_hearings(view, ctx.today, visible),
        feed=_hearing_feed(ctx, audience, prefix),
        map=_map(view, rows),
        legend=_legend(rows),
        heads=_heads(),
        rows=[_row_view(r) for r in rows],
        timelines=[_timeline(t, visible) for t in view.tracked],
        prefecture=_prefecture_name(view),
        members=audience is Audience.MEMBERS,
        calendar_name=ctx.config.calendar.name,
        root=_ROOT,
    )


def _hearing_feed(ctx: BuildContext, audience: Audience, prefix: str) -> FeedLink | None:
    catalog = feed_catalog(ctx.workbook.actions, ctx.org_index, ctx.config.calendar.name,
                           audience)
    for info in catalog:
        if info.path == "kinds/hearing.ics":
            return feed_link(info, ctx.config.calendar.base_url, prefix, _ROOT)
    return None


def _event_href(stage_id: str, visible: set[str]) -> str | None:
    return f"{_ROOT}events/{stage_id}/" if stage_id in visible else None


def _hearings(view: Progress, today: date, visible: set[str]) -> list[dict[str, Any]]:
    ahead = [(stage, item) for item in view.tracked for stage in item.stages
             if stage.outcome is None and stage.date >= today]
    ahead.sort(key=lambda pair: (pair[0].date, pair[0].start is not None, pair[0].start,
                                 pair[0].id))
    return [
        {
            "date_text": format_date(stage.date, with_year=True),
            "date_iso": stage.date.isoformat(),
            "time_text": format_time(stage.start, stage.end),
            "assembly": item.petition.assembly,
            "body": stage.body,
            "title": item.petition.title,
            "venue": stage.venue or item.petition.assembly,
            "href": _event_href(stage.id, visible),
        }
        for stage, item in ahead
    ]


def _short(name: str) -> str:
    """The label of a tile: the name without 市/町/村/区, at most three characters."""
    stem = name[:-1] if len(name) > 2 and name[-1] in "市町村区" else name
    return stem[:3]


def _map(view: Progress, rows: Sequence[PlaceRow]) -> dict[str, Any]:
    status = {r.place.code: r.status for r in rows}
    grid = tile_grid(list(view.scope))
    tiles = []
    for tile in grid.tiles:
        m = tile.municipality
        style = status_style(status.get(m.code, "none"))
        tiles.append(TileView(
            code=m.code, name=m.name, short=_short(m.name), status=style.key,
            label=style.label, colour=style.colour, ink=style.ink,
            x=tile.column * (TILE + GAP), y=tile.row * (TILE + GAP),
        ))
    width = max(grid.columns * (TILE + GAP) - GAP, 0)
    height = max(grid.rows * (TILE + GAP) - GAP, 0)
    return {"tiles": tiles, "width": width, "height": height, "size": TILE}


def _legend(rows: Sequence[PlaceRow]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for row in rows:
        if row.place.level is not Level.PREFECTURE:
            counts[row.status] = counts.get(row.status, 0) + 1
    return [{"key": s.key, "label": s.label, "colour": s.colour, "ink": s.ink,
             "count": counts.get(s.key, 0)} for s in status_styles()]


#: The columns of the table per municipality, in order; the numeric ones sort as numbers.
_HEADS = (("code", False), ("municipality", False), ("status", True), ("petitions", True),
          ("stages", True), ("adopted", True), ("opinions", True), ("met", False),
          ("answered", False), ("confirmed", False))


def _heads() -> list[dict[str, Any]]:
    labels = columns("municipalities")
    return [{"key": key, "label": labels[key], "numeric": numeric} for key, numeric in _HEADS]


def _row_view(row: PlaceRow) -> dict[str, Any]:
    style = status_style(row.status)
    rank = [s.key for s in status_styles()].index(style.key)
    met = row.met.isoformat() if row.met else ""
    meeting = term_label(meeting_statuses(), row.meeting) if row.meeting else ""
    return {
        "code": row.place.code, "name": row.place.name, "petitions": row.petitions,
        "stages": row.stages, "adopted": row.adopted, "final": row.final,
        "opinions": row.opinions, "status": style.key, "status_label": style.label,
        "status_rank": rank,
        "colour": style.colour, "ink": style.ink,
        "met": met, "meeting": meeting if not met else "",
        "answered": row.answered.isoformat() if row.answered else "",
        "confirmed": row.confirmed.isoformat() if row.confirmed else "",
        "anchors": [t.petition.id for t in row.tracked],
    }


def _timeline(item: Tracked, visible: set[str]) -> TimelineView:
    p, s = item.petition, item.status
    style = status_style(s.style)
    steps = tuple(
        StepView(
            date_text=format_date(st.date, with_year=True), date_iso=st.date.isoformat(),
            body=st.body, outcome=outcome(st.outcome).label if st.outcome else "",
            vote=format_vote(st.vote) if st.vote else "", final=is_final(st),
            ahead=st.outcome is None, href=_event_href(st.id, visible),
        )
        for st in item.stages
    )
    return TimelineView(
        id=p.id, title=p.title, classification=term_label(classifications(), p.classification),
        place=p.place.name, assembly=p.assembly,
        submitted_text=format_date(p.submitted, with_year=True) if p.submitted else "",
        submitted_iso=p.submitted.isoformat() if p.submitted else "",
        submitter=p.submitter, introducers="、".join(p.introducers),
        status=style.key, status_label=_status_label(item), final=s.final,
        decided=s.outcome is not None,
        overturned=s.overturned, carried_over=s.carried_over, days=s.days,
        source=safe_link(p.source), steps=steps,
    )


def _status_label(item: Tracked) -> str:
    status = item.status
    if status.outcome is None:
        return status_style("pending").label
    return outcome(status.outcome).label


def _prefecture_name(view: Progress) -> str:
    """The home prefecture's name (the scope is its municipalities)."""
    return view.scope[0].prefecture if view.scope else ""
