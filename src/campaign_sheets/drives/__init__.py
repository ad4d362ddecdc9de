"""Signature drives: goals, deadlines, batches, and what actions collected.

Pure: the model (:mod:`.model`), goals and deadlines as organisers write them
(:mod:`.goals`, :mod:`.deadlines`), the matching of actions' signatures to drives
(:mod:`.ledger`), progress and pace (:mod:`.progress`), the deadlines as actions
(:mod:`.events`), ``drives.json`` (:mod:`.export`) and the report sentence's line
(:mod:`.sentence`). Reading the tabs is in ``load/drives.py``; the page in
``pages/drives.py``; the tables of the ``drives`` command in ``rollup/drives.py``.
"""

from .deadlines import DeadlineRules, parse_deadlines
from .events import DEADLINE_KIND, deadline_actions, deadline_id
from .export import drive_record, drives_json
from .goals import format_count, format_goal, parse_goal
from .ledger import DriveLedger, drive_ledger, ledger_problems
from .model import Batch, Deadline, Drive, DriveBook, DriveIndex
from .progress import Collected, DriveProgress, Share, drive_progress
from .sentence import drive_line

__all__ = [
    "DEADLINE_KIND", "Batch", "Collected", "Deadline", "DeadlineRules", "Drive", "DriveBook",
    "DriveIndex", "DriveLedger", "DriveProgress", "Share", "deadline_actions", "deadline_id",
    "drive_ledger", "drive_line", "drive_progress", "drive_record", "drives_json",
    "format_count", "format_goal", "ledger_problems", "parse_deadlines", "parse_goal",
]
