"""Rows of the 団体, 参加, 成果 and 申込 tabs."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime

from ..core.errors import ParseError
from ..core.model import Breakdown, Organisation, Participation, Registration, Tally
from ..core.orgs import OrgIndex, is_valid_key
from ..core.problems import Nested, Severity
from ..core.text import nfkc
from ..core.values import CellValue
from ..geo import Municipality
from ..parsing.dates import parse_date, serial_to_datetime
from .cells import RowReader, parse_count, split_list
from .municipality import municipality_cell

_BREAKDOWN_ITEM = re.compile(r"^(?P<label>.*?)\s*[:：]?\s*(?P<count>\d+)\s*(?:人|名)?$")


def read_org(r: RowReader) -> Organisation | None:
    """One row of the 団体 tab."""
    name = r.required_text("name", "org")
    key = r.text("key")
    if key and not is_valid_key(key):
        r.report("key", "org.key_malformed", value=key)
        key = ""
    if name is None:
        return None
    return Organisation(
        name=name, short=r.text("short"), aliases=tuple(split_list(r.text("aliases"))),
        key=key, category=r.text("category"), row=r.row,
    )


def event_ref(r: RowReader, known_ids: Collection[str]) -> str | None:
    """The 行動ID of a record row; unknown IDs are warned about and the row kept out."""
    event_id = r.required_text("event", "event")
    if event_id is not None and event_id not in known_ids:
        r.report("event", "event.unknown", value=event_id)
        return None
    return event_id


def resolve_org(r: RowReader, key: str, orgs: OrgIndex) -> str:
    """The canonical organisation name in cell ``key`` (kept as typed when unknown)."""
    return resolve_name(r, key, r.text(key), orgs)


def resolve_name(r: RowReader, key: str, typed: str, orgs: OrgIndex) -> str:
    """The canonical name of ``typed`` (found in cell ``key``); unknown names are kept
    as typed with a warning that suggests the closest known name."""
    if not typed or not orgs:
        return typed
    found = orgs.resolve(typed)
    if found.name is not None:
        return found.name
    suggestion: Nested | str = ""
    if found.suggestion:
        suggestion = Nested("org.suggestion", {"name": found.suggestion})
    r.report(key, "org.unknown", value=typed, suggestion=suggestion)
    return typed


def stop_of(r: RowReader, home: str | None) -> Municipality | None:
    """The stop a 参加 or 成果 row is attributed to (its optional 自治体 cell); a name
    that does not resolve is a warning and the row counts for the action as a whole."""
    return municipality_cell(r, "municipality", home, Severity.WARNING)


def read_participation(
    r: RowReader, known_ids: Collection[str], orgs: OrgIndex, home: str | None = None
) -> Participation | None:
    """One row of the 参加 tab; a blank 人数 is unknown, never zero."""
    event_id = event_ref(r, known_ids)
    org = resolve_org(r, "org", orgs)
    if not org:
        r.required_text("org", "org")
    people = r.integer("people")
    breakdown = _breakdown(r)
    stop = stop_of(r, home)
    if r.failed or event_id is None or not org:
        return None
    return Participation(
        event_id=event_id, org=org, people=people, breakdown=breakdown,
        note=r.text("note"), source="tab", row=r.row, municipality=stop.code if stop else "",
    )


def _breakdown(r: RowReader) -> tuple[Breakdown, ...]:
    """``開業医2、事務局1`` → breakdown entries; a part without a number is unknown."""
    parts = []
    for part in split_list(r.text("breakdown")):
        match = _BREAKDOWN_ITEM.match(nfkc(part))
        if match and match["label"]:
            parts.append(Breakdown(part[: len(match["label"])].strip(), int(match["count"])))
        else:
            parts.append(Breakdown(part, None))
    return tuple(parts)


def read_tally(r: RowReader, known_ids: Collection[str], home: str | None = None) -> Tally | None:
    """One row of the 成果 tab."""
    event_id = event_ref(r, known_ids)
    item = r.required_text("item", "item")
    value = r.integer("value")
    if not r.has("value"):
        r.required_text("value", "value")
    stop = stop_of(r, home)
    if r.failed or event_id is None or item is None:
        return None
    return Tally(
        event_id=event_id, item=item, value=value, label=r.text("label") or None,
        unit=r.text("unit") or None, source="tab", row=r.row,
        municipality=stop.code if stop else "",
    )


def read_registration(
    r: RowReader, known_ids: Collection[str], orgs: OrgIndex
) -> Registration | None:
    """One form response: only the action, organisation, head-count and time.

    Every other column (names, e-mail addresses, phone numbers) is never read.
    A blank 人数 counts as one person: one response registers its sender.
    """
    event_id = event_ref(r, known_ids)
    org = resolve_org(r, "org", orgs)
    people = r.integer("people", Severity.WARNING)
    if r.failed or event_id is None:
        return None
    return Registration(
        event_id=event_id, org=org, people=1 if people is None else people,
        timestamp=_timestamp(r.raw("timestamp")), row=r.row,
    )


def _timestamp(value: CellValue) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return serial_to_datetime(float(value))
        except (ValueError, OverflowError):
            return None
    if isinstance(value, str) and value.strip():
        try:
            day = parse_date(value.split()[0]).date
        except ParseError:
            return None
        return datetime(day.year, day.month, day.day)
    return None


__all__ = [
    "event_ref", "parse_count", "read_org", "read_participation", "read_registration",
    "read_tally", "resolve_name", "resolve_org", "stop_of",
]
