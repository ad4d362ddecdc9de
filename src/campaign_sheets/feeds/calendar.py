"""Whole calendars assembled from cached VEVENT bytes.

A calendar is its header (serialized with icalendar), one generated VTIMEZONE per
zone, the VEVENT bytes in a fixed order and ``END:VCALENDAR``. Concatenating the
cached bytes of each event is what keeps a sync over thousands of unchanged
events cheap: nothing is serialized twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

from icalendar import Calendar, Timezone, vDuration

from ..core.errors import ConfigError
from ..core.problems import Nested

#: The fixed product identifier (RFC 5545 §3.7.3).
PRODID = "-//campaign-sheets//campaign-sheets feeds 1//JA"
_END = b"END:VCALENDAR\r\n"


@cache
def vtimezone(tzid: str) -> bytes:
    """The generated VTIMEZONE of ``tzid`` (serialized once per process)."""
    component = Timezone.from_tzid(tzid, first_date=date(1970, 1, 1), last_date=date(2100, 1, 1))
    data: bytes = component.to_ical()
    return data


@cache
def calendar_header(name: str, description: str, tzid: str, refresh: str) -> bytes:
    """``BEGIN:VCALENDAR`` and the calendar properties, without components or the end.

    No calendar-level UID (vdirsyncer would merge every event into one item) and
    no METHOD (a subscription is not a scheduling message).
    """
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description:
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", tzid)
    try:
        interval = vDuration.from_ical(refresh)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        raise ConfigError(Nested("feeds.bad_refresh", {"value": refresh})) from exc
    cal.add("refresh-interval", vDuration(interval), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(interval))
    data: bytes = cal.to_ical()
    assert data.endswith(_END)
    return data[: -len(_END)]


def assemble(header: bytes, tzids: Iterable[str], vevents: Iterable[bytes]) -> bytes:
    """The calendar file: header, VTIMEZONEs, VEVENTs, end."""
    parts = [header]
    parts.extend(vtimezone(tzid) for tzid in sorted(set(tzids)))
    parts.extend(vevents)
    parts.append(_END)
    return b"".join(parts)
