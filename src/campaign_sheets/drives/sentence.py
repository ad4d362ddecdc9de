"""The drive's line after an action's report sentence:
``国保署名は累計2,318筆（目標3万筆の7.7%）``. The wording is in ``data/drives.toml``."""

from __future__ import annotations

from .goals import format_count, format_goal
from .model import drive_words
from .progress import DriveProgress


def drive_line(progress: DriveProgress) -> str:
    """One drive's cumulative total, with the goal and its share when there is a goal."""
    words = drive_words()["sentence"]
    unit = str(drive_words()["unit"])
    drive = progress.drive
    total = format_count(progress.total)
    if drive.goal is None:
        return str(words["line_no_goal"]).format(name=drive.name, total=total, unit=unit)
    return str(words["line"]).format(name=drive.name, total=total, unit=unit,
                                     goal=format_goal(drive.goal), percent=progress.percent)
