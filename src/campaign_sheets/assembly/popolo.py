"""``petitions.json``: the petitions in the shape of the Open Civic Data bill and the
Popolo vote (SPEC §8) — ``id``, ``classification``, ``title``, ``municipality``,
``submitted``, ``status``, ``actions`` with their ``vote`` — and a ``summary``.

Keys beyond the SPEC's are added, never renamed: ``assembly``, ``submitted_by``,
``sponsors`` (紹介議員), ``sources``, and in ``status`` the ``vote``, ``days``,
``carried_over``, ``category`` and ``next``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..geo import Municipality
from .model import Petition, Stage
from .sentence import RollupSentence, render_sentence
from .status import Status
from .summary import Summary, Tracked
from .vocabulary import classifications, outcome, term_label


def municipality_json(place: Municipality) -> dict[str, str]:
    """``{"code", "name", "prefecture"}``."""
    return {"code": place.code, "name": place.name, "prefecture": place.prefecture}


def stage_json(stage: Stage) -> dict[str, Any]:
    """One action of a petition: a committee's or the plenary's session."""
    return {
        "id": stage.id,
        "date": stage.date.isoformat(),
        "time": stage.start.strftime("%H:%M") if stage.start else None,
        "body": stage.body,
        "classification": "plenary" if stage.plenary else "committee",
        "outcome": outcome(stage.outcome).label if stage.outcome else None,
        "vote": stage.vote.to_json() if stage.vote else None,
        "sources": [{"url": stage.source}] if stage.source else [],
    }


def status_json(status: Status) -> dict[str, Any]:
    """``status`` of SPEC §8 with the deciding vote, days and carry-overs besides."""
    upcoming = status.upcoming
    return {
        "outcome": outcome(status.outcome).label if status.outcome else None,
        "final": status.final,
        "date": status.date.isoformat() if status.date else None,
        "body": status.body,
        "vote": status.vote.to_json() if status.vote else None,
        "days": status.days,
        "carried_over": status.carried_over,
        "overturned": status.overturned,
        "category": status.style,
        "next": None if upcoming is None else {
            "id": upcoming.id, "date": upcoming.date.isoformat(), "body": upcoming.body},
    }


def petition_json(item: Tracked) -> dict[str, Any]:
    """One petition."""
    p: Petition = item.petition
    return {
        "id": p.id,
        "classification": term_label(classifications(), p.classification),
        "title": p.title,
        "municipality": municipality_json(p.place),
        "assembly": p.assembly,
        "submitted": p.submitted.isoformat() if p.submitted else None,
        "submitted_by": p.submitter or None,
        "sponsors": list(p.introducers),
        "sources": [{"url": p.source}] if p.source else [],
        "status": status_json(item.status),
        "actions": [stage_json(s) for s in item.stages],
    }


def petitions_payload(
    tracked: Iterable[Tracked], summary: Summary, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The whole document: petitions, summary, the sentence, and ``extra`` keys."""
    return {
        "petitions": [petition_json(t) for t in tracked],
        "summary": summary.to_json(),
        "sentence": render_sentence(RollupSentence.of(summary)),
        **(extra or {}),
    }


def petitions_json(
    tracked: Iterable[Tracked], summary: Summary, extra: Mapping[str, Any] | None = None
) -> bytes:
    """:func:`petitions_payload` as UTF-8 JSON, indented, ending in a newline."""
    payload = petitions_payload(tracked, summary, extra)
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
