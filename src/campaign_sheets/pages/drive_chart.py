"""The chart of a drive's page: the running total day by day, the goal as a line
and each deadline as a mark, drawn as inline SVG.

SVG made here (not an image from matplotlib) keeps the page one self-contained
file that scales on a phone and reads its labels aloud; every text in it is
escaped, every number is ours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from markupsafe import Markup, escape

from ..drives.goals import format_count
from ..drives.progress import DriveProgress

_WIDTH, _HEIGHT = 640, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 16, 40


def drive_chart(progress: DriveProgress, today: date, title: str, goal_word: str) -> Markup:
    """An ``<svg>`` of ``progress``: the running total from the drive's start to its
    last deadline (or today, if later), the goal and the deadlines."""
    first, last = _span(progress, today)
    top = max(progress.drive.goal or 0, progress.total, 1)
    days = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(_LEFT + (day - first).days / days * (_WIDTH - _LEFT - _RIGHT), 1)

    def y(value: int) -> float:
        return round(_HEIGHT - _BOTTOM - value / top * (_HEIGHT - _TOP - _BOTTOM), 1)

    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{_LEFT}" y1="{y(0)}" x2="{_WIDTH - _RIGHT}" y2="{y(0)}"/>',
        f'<text class="tick" x="{_LEFT - 6}" y="{y(0)}" text-anchor="end">0</text>',
        f'<text class="tick" x="{x(first)}" y="{_HEIGHT - 12}">{first.isoformat()}</text>',
        f'<text class="tick" x="{x(last)}" y="{_HEIGHT - 12}" text-anchor="end">'
        f"{last.isoformat()}</text>",
    ]
    for deadline in progress.drive.deadlines:
        at = x(deadline.date)
        parts.append(f'<line class="deadline" x1="{at}" y1="{_TOP}" x2="{at}" y2="{y(0)}">'
                     f"<title>{escape(deadline.shown_label)} {deadline.date.isoformat()}"
                     "</title></line>")
    goal = progress.drive.goal
    if goal is not None:
        parts.append(f'<line class="goal" x1="{_LEFT}" y1="{y(goal)}" x2="{_WIDTH - _RIGHT}" '
                     f'y2="{y(goal)}"/>')
        parts.append(f'<text class="tick" x="{_LEFT - 6}" y="{y(goal)}" text-anchor="end">'
                     f"{escape(goal_word)} {format_count(goal)}</text>")
    parts.append(f'<polyline class="total" points="{_points(progress, first, today, x, y)}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _span(progress: DriveProgress, today: date) -> tuple[date, date]:
    drive = progress.drive
    counted = [day for day, _ in progress.timeline]
    first = drive.start or (min(counted) if counted else today)
    ends = [d.date for d in drive.deadlines] + counted + [today]
    last = max(ends)
    if last <= first:
        last = first + timedelta(days=1)
    return first, last


def _points(
    progress: DriveProgress,
    first: date,
    today: date,
    x: Callable[[date], float],
    y: Callable[[int], float],
) -> str:
    """A step line: flat between days, rising on each day something was counted."""
    points = [(x(first), y(0))]
    running = 0
    for day, total in progress.timeline:
        if day < first:
            running = total
            continue
        points.append((x(day), y(running)))
        running = total
        points.append((x(day), y(running)))
    end = max(today, first)
    points.append((x(end), y(running)))
    return " ".join(f"{px},{py}" for px, py in points)
