"""Each deadline of a drive as an all-day action of kind ``deadline``.

They flow through the feeds like any action: ``calendar.ics``, ``kinds/deadline.ics``,
an event page, and the members' tree when the drive is 会員. The ID (and so the
UID) is made from the drive's name and the deadline's label, never from a row:
moving rows, or moving a deadline to another day, keeps the event; renaming the
drive or the label makes a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from ..core.model import Action, Visibility
from .goals import format_count, format_goal
from .model import Deadline, Drive, drive_words
from .progress import DriveProgress

#: The kind key of a deadline (data/kinds.toml).
DEADLINE_KIND = "deadline"


def deadline_id(drive: Drive, deadline: Deadline) -> str:
    """``deadline-<12 hex>``: a stable ID from the drive's name and the deadline's key."""
    digest = hashlib.sha1(f"{drive.name}\x00{deadline.key}".encode()).hexdigest()
    return f"deadline-{digest[:12]}"


def deadline_actions(progresses: Iterable[DriveProgress]) -> tuple[Action, ...]:
    """The deadline actions of every drive (private drives' ones stay private)."""
    out: list[Action] = []
    for progress in progresses:
        drive = progress.drive
        if drive.visibility is Visibility.PRIVATE:
            continue
        for deadline in drive.deadlines:
            out.append(Action(
                id=deadline_id(drive, deadline), kind=DEADLINE_KIND,
                title=_words()["title"].format(name=drive.name, label=deadline.shown_label),
                date=deadline.date, visibility=drive.visibility,
                description=_description(progress, deadline),
            ))
    return tuple(out)


def _words() -> dict[str, str]:
    return {k: str(v) for k, v in drive_words()["event"].items()}


def _description(progress: DriveProgress, deadline: Deadline) -> str:
    """What the deadline is for, the goal and the progress (no pace: it changes daily,
    and an event that changes every day would be sent to every calendar every day)."""
    words, unit = _words(), str(drive_words()["unit"])
    drive = progress.drive
    lines = [words["about"].format(name=drive.name, label=deadline.shown_label)]
    total = format_count(progress.total)
    if drive.goal is not None:
        lines.append(words["goal"].format(goal=format_goal(drive.goal), total=total,
                                          percent=progress.percent, unit=unit))
    else:
        lines.append(words["no_goal"].format(total=total, unit=unit))
    if drive.addressee:
        lines.append(words["addressee"].format(addressee=drive.addressee))
    return "\n".join(lines)
