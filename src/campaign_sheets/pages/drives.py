"""``drives/index.html`` and ``drives/drives.json``: each drive's progress toward its
goal, with bars by organisation and month and a chart of the running total.

Published only when the workbook has a 署名 tab. Each audience sees the drives its
公開 column allows (:func:`~campaign_sheets.core.audience.visible_to`): the public
tree the public drives, the members' tree those and the members' ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from ..core.audience import Audience, visible_to
from ..core.outputs import BuildContext, OutputFiles
from ..drives.export import drives_json
from ..drives.goals import format_count, format_goal
from ..drives.ledger import DriveLedger
from ..drives.progress import DriveProgress
from ..parsing.dates import format_date
from .drive_chart import drive_chart
from .render import render
from .text import page_text


@dataclass(frozen=True)
class Bar:
    """One bar of a table: its label, the count shown and its width in percent."""

    label: str
    count: str
    width: float
    detail: str = ""


@dataclass(frozen=True)
class DriveView:
    """What the page shows of one drive."""

    name: str
    anchor: str
    addressee: str
    goal: str
    total: str
    paper: str
    online: str
    percent: str
    width: float
    next_deadline: str
    days_left: str
    pace: str
    deadlines: tuple[tuple[str, str, str], ...]
    by_org: tuple[Bar, ...]
    by_month: tuple[Bar, ...]
    chart: Markup


def drive_progresses(ledger: DriveLedger, ctx: BuildContext) -> tuple[DriveProgress, ...]:
    """Every drive's progress as of ``ctx.today``, organisations in 団体-tab order."""
    order = {org.name: i for i, org in enumerate(ctx.workbook.orgs)}
    return ledger.all_progress(today=ctx.today,
                               org_order=lambda name: order.get(name, len(order)))


def build_drive_files(ctx: BuildContext, ledger: DriveLedger) -> OutputFiles:
    """The drives page and JSON of the public tree and (with a token) the members'."""
    if not ledger.book.present:
        return {}
    progresses = drive_progresses(ledger, ctx)
    files: OutputFiles = {}
    trees = [(Audience.PUBLIC, "")]
    if ctx.members_token:
        trees.append((Audience.MEMBERS, f"members/{ctx.members_token}/"))
    for audience, prefix in trees:
        shown = tuple(p for p in progresses if visible_to(p.drive.visibility, audience))
        files[f"{prefix}drives/drives.json"] = drives_json(shown, ctx.today)
        files[f"{prefix}drives/index.html"] = _page(ctx, shown, audience)
    return files


def _page(ctx: BuildContext, progresses: Sequence[DriveProgress], audience: Audience) -> bytes:
    words = page_text().text
    return render(
        "drives.html", ctx.templates,
        drives=[_view(p, ctx) for p in progresses],
        as_of=str(words["drives_as_of"]).format(date=format_date(ctx.today, "kanji")),
        deadline_feed="../kinds/deadline.ics",
        members=audience is Audience.MEMBERS,
        calendar_name=ctx.config.calendar.name,
        root="../",
    )


def _view(progress: DriveProgress, ctx: BuildContext) -> DriveView:
    words = page_text().text
    drive, ahead = progress.drive, progress.ahead
    pace = ""
    if ahead is not None and ahead.remaining is not None and ahead.pace_per_day is not None:
        pace = (str(words["drive_goal_reached"]) if ahead.remaining == 0 else
                str(words["drive_pace"]).format(remaining=format_count(ahead.remaining),
                                                pace=_decimal(ahead.pace_per_day)))
    return DriveView(
        name=drive.name, anchor=_anchor(drive.name),
        addressee=drive.addressee,
        goal="" if drive.goal is None else format_goal(drive.goal),
        total=format_count(progress.total), paper=format_count(progress.paper),
        online=format_count(progress.online),
        percent="" if progress.percent is None else _decimal(progress.percent),
        width=_width(progress.percent),
        next_deadline="" if ahead is None else
        f"{ahead.deadline.shown_label} {format_date(ahead.deadline.date, 'kanji')}",
        days_left="" if ahead is None else str(words["drive_days_left"]).format(days=ahead.days),
        pace=pace,
        deadlines=tuple((d.shown_label, d.date.isoformat(), format_date(d.date, "kanji"))
                        for d in drive.deadlines),
        by_org=_bars([(s.name, s.total, _parts(s.paper, s.online)) for s in progress.by_org]),
        by_month=_bars([(m.month, m.total, _parts(m.paper, m.online))
                        for m in progress.by_month]),
        chart=drive_chart(progress, ctx.today, f"{drive.name} {words['drive_chart']}",
                          str(words["drive_chart_goal"])),
    )


def _anchor(name: str) -> str:
    """A fragment for the drive's section that stays when rows move."""
    return "drive-" + hashlib.sha1(name.encode()).hexdigest()[:10]


def _parts(paper: int, online: int) -> str:
    words = page_text().text
    return f"{words['drive_paper']} {format_count(paper)} / {words['drive_online']} " \
           f"{format_count(online)}"


def _bars(rows: Sequence[tuple[str, int, str]]) -> tuple[Bar, ...]:
    top = max((count for _, count, _ in rows), default=0)
    return tuple(Bar(label, format_count(count), 0.0 if not top else round(count / top * 100, 1),
                     detail) for label, count, detail in rows)


def _width(percent: Decimal | None) -> float:
    if percent is None:
        return 0.0
    return float(min(Decimal(100), percent))


def _decimal(value: Decimal) -> str:
    return f"{value:,}"
