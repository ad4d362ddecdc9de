"""``drives.json`` (SPEC §9): every drive with its goal, totals, deadlines, parts by
organisation and month, and the pace to the next deadline.

The shape of SPEC §9 exactly, with more keys beside it: ``aliases``,
``addressee``, ``start``, ``at_actions`` (counted at actions), ``counted_in_batches``
(of those, already in a batch), ``remaining``, ``next_deadline`` and ``by_month``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from .progress import DriveProgress


def drive_record(progress: DriveProgress) -> dict[str, Any]:
    """One drive as a JSON object."""
    drive = progress.drive
    ahead = progress.ahead
    return {
        "name": drive.name,
        "aliases": list(drive.aliases),
        "addressee": drive.addressee or None,
        "goal": drive.goal,
        "start": _iso(drive.start),
        "total": progress.total,
        "paper": progress.paper,
        "online": progress.online,
        "percent": _number(progress.percent),
        "at_actions": progress.at_actions,
        "counted_in_batches": progress.counted_in_batches,
        "remaining": progress.remaining,
        "deadlines": [{"label": d.label, "date": d.date.isoformat()} for d in drive.deadlines],
        "next_deadline": None if ahead is None else {
            "label": ahead.deadline.label, "date": ahead.deadline.date.isoformat(),
            "days_left": ahead.days,
        },
        "pace_per_day": None if ahead is None else _number(ahead.pace_per_day),
        "by_org": [
            {"org": s.name, "total": s.total, "paper": s.paper, "online": s.online,
             "at_actions": s.at_actions}
            for s in progress.by_org
        ],
        "by_month": [
            {"month": m.month, "total": m.total, "paper": m.paper, "online": m.online,
             "cumulative": m.cumulative}
            for m in progress.by_month
        ],
    }


def drives_json(progresses: Iterable[DriveProgress], today: date | None = None) -> bytes:
    """``{"drives": [...]}`` as UTF-8 bytes (with ``as_of`` when ``today`` is given)."""
    payload: dict[str, Any] = {}
    if today is not None:
        payload["as_of"] = today.isoformat()
    payload["drives"] = [drive_record(p) for p in progresses]
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
