"""What the last sync found, kept so that a sync with nothing changed stops after the read.

A sync whose input fingerprint, published generation and 集計 rows are those of the
last successful sync would validate the same tables into the same problems, keep the
same last good rows and publish the same events. :class:`LastSync` holds exactly what
it would report (every field of every problem, the IDs kept at their last good
version, how many events are published and whether blank IDs were waiting), stored as
JSON in the state store beside the fingerprint and read back unchanged.

Problem parameters are stored with their types (a tuple stays a tuple, a date a date,
a nested message a nested message), so a message renders again letter for letter.
A parameter of any other type makes the findings unstorable: the next sync then
validates as before rather than report something slightly different.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from ..core.problems import Nested, Problem, Severity

#: The state store's meta key the findings are kept under.
META_KEY = "last_sync"


@dataclass(frozen=True)
class LastSync:
    """What a sync reported that does not come from the configuration alone.

    ``problems`` are those of the workbook (validation, records, drives), in order;
    ``kept_last_good`` the IDs of rows with an error shown at their last good version;
    ``events`` how many events were published; ``ids_pending`` how many blank ID cells
    the sync found (a sync that must write IDs is never skipped).
    """

    problems: tuple[Problem, ...]
    kept_last_good: tuple[str, ...]
    events: int
    ids_pending: int


class UnstorableValue(TypeError):
    """A problem parameter of a type :func:`dumps` does not keep exactly."""


def dumps(found: LastSync) -> str | None:
    """The JSON text of ``found``, or ``None`` when a parameter cannot be kept exactly."""
    try:
        problems = [_problem_json(p) for p in found.problems]
    except UnstorableValue:
        return None
    return json.dumps({
        "problems": problems, "kept_last_good": list(found.kept_last_good),
        "events": found.events, "ids_pending": found.ids_pending,
    }, ensure_ascii=False, sort_keys=True)


def loads(text: str | None) -> LastSync | None:
    """The findings :func:`dumps` wrote (``None`` for nothing, or text it did not write)."""
    if not text:
        return None
    try:
        data = json.loads(text)
        return LastSync(
            problems=tuple(_problem_of(p) for p in data["problems"]),
            kept_last_good=tuple(str(i) for i in data["kept_last_good"]),
            events=int(data["events"]), ids_pending=int(data["ids_pending"]),
        )
    except (ValueError, KeyError, TypeError):
        # a store written by another version: validate again rather than guess
        return None


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "sheet": problem.sheet, "row": problem.row, "col": problem.col,
        "column": problem.column, "code": problem.code,
        "params": _mapping_json(problem.params), "severity": problem.severity.value,
    }


def _problem_of(data: Mapping[str, Any]) -> Problem:
    return Problem(
        sheet=data["sheet"], row=data["row"], col=data["col"], column=data["column"],
        code=data["code"], params=_mapping_of(data["params"]),
        severity=Severity(data["severity"]),
    )


def _mapping_json(params: Mapping[str, Any]) -> list[list[Any]]:
    # pairs, not an object: the parameters' order is kept as the problem had it
    return [[str(key), _value_json(value)] for key, value in params.items()]


def _mapping_of(pairs: Sequence[Sequence[Any]]) -> dict[str, Any]:
    return {str(key): _value_of(value) for key, value in pairs}


def _value_json(value: Any) -> list[Any]:
    """``[type tag, payload]``: JSON alone would turn tuples into lists and dates into text."""
    if value is None or isinstance(value, bool | str):
        return ["plain", value]
    if isinstance(value, int) and type(value) is int:
        return ["plain", value]
    if isinstance(value, float) and type(value) is float:
        return ["float", repr(value)]
    if isinstance(value, Nested):
        return ["nested", [value.code, _mapping_json(value.params)]]
    if type(value) in (tuple, list):
        return ["tuple" if isinstance(value, tuple) else "list", [_value_json(v) for v in value]]
    if type(value) is dict and all(type(key) is str for key in value):
        return ["dict", _mapping_json(value)]
    if type(value) in (datetime, date, time):
        return [type(value).__name__, value.isoformat()]
    raise UnstorableValue(type(value).__name__)


_FROM_TEXT = {"date": date.fromisoformat, "datetime": datetime.fromisoformat,
              "time": time.fromisoformat, "float": float}


def _value_of(tagged: Sequence[Any]) -> Any:
    tag, payload = tagged
    if tag == "plain":
        return payload
    if tag in _FROM_TEXT:
        return _FROM_TEXT[tag](payload)
    if tag == "nested":
        return Nested(payload[0], _mapping_of(payload[1]))
    if tag in ("tuple", "list"):
        items = [_value_of(v) for v in payload]
        return tuple(items) if tag == "tuple" else items
    if tag == "dict":
        return _mapping_of(payload)
    raise ValueError(f"unknown tag {tag!r}")
