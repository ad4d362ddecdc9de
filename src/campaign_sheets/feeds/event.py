"""One action as one VEVENT: its content hash and its serialized bytes.

The content hash covers everything any audience is told about an action (the
members' view, which is the public view plus the contact), together with the
settings and label texts that shape the VEVENT. Hashing both views together
means one SEQUENCE per event for every feed it appears in: a change seen only by
members (the contact) also raises the SEQUENCE in the public feed, which costs
subscribers nothing and keeps a single state per ID.

Choices about what clients show:

- cancelled → ``STATUS:CANCELLED`` and ``【中止】`` before the title (Google hides
  cancelled events of a subscription and Outlook ignores STATUS, so the title
  carries the news);
- postponed → ``STATUS:TENTATIVE`` and ``【延期】`` (the date shown is the old one
  and no longer holds; TENTATIVE is the RFC's "not confirmed");
- start without an end (``13時より``) → DTEND one hour after the start, with a
  DESCRIPTION line saying the end is not fixed. A DTSTART alone means a zero-length
  event (RFC 5545 §3.6.1), which clients draw as a sliver or hide; DTEND is
  understood by every client where DURATION is not (several ignore it with RRULE);
- all-day → ``VALUE=DATE`` with the exclusive next day as DTEND;
- several days, all-day (``11月12～13日``) → one VEVENT from the first day to the day
  after the last (``DTEND;VALUE=DATE`` is exclusive), drawn as one bar across the days;
- several days with hours (``11月12～13日`` and ``10:00～16:00``) → the hours of the
  first day and ``RRULE:FREQ=DAILY;COUNT=<days>``: one UID and one SEQUENCE for the
  action, each day shown with its own hours. A single VEVENT from the first morning to
  the last evening would claim the nights in between; one VEVENT per day would need UIDs
  that no row of the sheet owns.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Event, vRecur

from ..core.audience import Audience, view_for
from ..core.model import Action, Status, kind_label

#: Raise when the VEVENT layout changes, so every event gets a new SEQUENCE.
FORMAT_VERSION = 1
#: Sections of feed_text.toml that only caravan routes and town feeds use: left out
#: of every event's hash (a caravan with stops hashes them in its route facts).
ROUTE_SECTIONS = ("stop", "town")

_UNTIL = re.compile(r"UNTIL=([0-9TZ]+)", re.IGNORECASE)


@cache
def feed_text() -> dict[str, dict[str, str]]:
    """The label texts of ``data/feed_text.toml``."""
    path = resources.files("campaign_sheets") / "data" / "feed_text.toml"
    data: dict[str, dict[str, str]] = tomllib.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def text_digest(sections: tuple[str, ...] | None = None) -> str:
    """A digest of the label texts: of ``sections``, or of all but the route's."""
    texts = feed_text()
    chosen = {k: v for k, v in texts.items()
              if (k in sections if sections is not None else k not in ROUTE_SECTIONS)}
    raw = json.dumps(chosen, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class FeedSettings:
    """What shapes a VEVENT besides the action: zone, UID domain, URLs."""

    timezone: str
    uid_domain: str
    base_url: str = ""
    members_token: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        """The configured zone (Asia/Tokyo unless the configuration says otherwise)."""
        return ZoneInfo(self.timezone)

    def page_url(self, action: Action, audience: Audience) -> str:
        """The absolute URL of the action's page, or ``""`` without a base URL."""
        if not self.base_url:
            return ""
        prefix = ""
        if audience is Audience.MEMBERS and self.members_token and _members_only(action):
            prefix = f"members/{self.members_token}/"
        return f"{base_with_slash(self.base_url)}{prefix}events/{action.id}/"


def base_with_slash(url: str) -> str:
    """``url`` ending in exactly one ``/``."""
    return url.rstrip("/") + "/"


def _members_only(action: Action) -> bool:
    return action.visibility.value == "members"


def content_hash(
    action: Action, settings: FeedSettings, route: Sequence[Any] = ()
) -> str:
    """A hash of everything published about ``action`` to any audience; ``route`` holds
    the facts of its stops (a caravan's description lists them)."""
    rep = action.repetition
    facts: list[Any] = [
        FORMAT_VERSION,
        text_digest(),
        settings.timezone,
        settings.uid_domain,
        settings.base_url,
        action.id,
        action.kind,
        action.title,
        action.date.isoformat(),
        # only a range adds a fact, so every one-day event keeps its hash and SEQUENCE
        *([] if action.end_date is None else [["end_date", action.end_date.isoformat()]]),
        action.start.isoformat() if action.start is not None else None,
        action.end.isoformat() if action.end is not None else None,
        action.venue,
        action.address,
        action.online,
        action.organizer,
        list(action.orgs),
        action.series,
        action.speaker,
        None if rep is None else [rep.rule, [d.isoformat() for d in sorted(rep.exdates)]],
        action.registration,
        action.capacity,
        action.status.value,
        _members_only(action),
        action.description,
        action.contact,
    ]
    if route:
        # only when there is one, so the hash of every other action stays as it was
        facts.append(list(route))
    raw = json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def uid_of(action: Action, settings: FeedSettings) -> str:
    """``<ID>@<uid_domain>``: fixed for the life of the row."""
    return f"{action.id}@{settings.uid_domain}"


def render_vevent(
    action: Action,
    audience: Audience,
    settings: FeedSettings,
    sequence: int,
    stamp: datetime,
    route: Sequence[str] = (),
) -> bytes:
    """The serialized VEVENT of ``action`` as ``audience`` may see it (CRLF, folded);
    ``route`` is the lines of its stops, for the description."""
    act = view_for(action, audience)
    texts = feed_text()
    event = Event()
    event.add("uid", uid_of(act, settings))
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence)
    event.add("summary", _summary(act, texts))
    status = {Status.CANCELLED: "CANCELLED", Status.POSTPONED: "TENTATIVE"}.get(
        act.status, "CONFIRMED"
    )
    event.add("status", status)
    start, end = _span(act, settings.zone)
    event.add("dtstart", start)
    event.add("dtend", end)
    if act.repetition is not None and act.repetition.rule:
        _add_repetition(event, act, settings.zone)
    elif act.end_date is not None and act.start is not None:
        event.add("rrule", vRecur({"FREQ": "DAILY", "COUNT": act.days}))
    location = _location(act)
    if location:
        event.add("location", location)
    event.add("description", _description(act, audience, settings, texts, route))
    url = settings.page_url(act, audience)
    if url:
        event.add("url", url)
    category = kind_label(act.kind, unknown="")
    if category:
        event.add("categories", [category])
    event.add("transp", "OPAQUE")
    data: bytes = event.to_ical()
    return data


def _summary(act: Action, texts: dict[str, dict[str, str]]) -> str:
    prefix = texts["prefix"].get(act.status.value, "")
    return f"{prefix}{act.title}"


def _span(act: Action, zone: ZoneInfo) -> tuple[date | datetime, date | datetime]:
    if act.start is None:
        return act.date, act.last_date + timedelta(days=1)
    # a timed range: the first day's hours (its RRULE repeats them)
    start = datetime.combine(act.date, act.start, tzinfo=zone)
    if act.end is None:
        return start, start + timedelta(hours=1)
    end = datetime.combine(act.date, act.end, tzinfo=zone)
    if end <= start:
        # 22:00～02:00 runs past midnight: the end is on the next day.
        end += timedelta(days=1)
    return start, end


def _add_repetition(event: Event, act: Action, zone: ZoneInfo) -> None:
    assert act.repetition is not None
    rule = _normalise_until(act.repetition.rule.strip().removeprefix("RRULE:"), act, zone)
    if re.search(r"(^|;)COUNT=1(;|$)", rule, re.IGNORECASE):
        return  # a single occurrence: an RRULE would only confuse clients
    event.add("rrule", vRecur.from_ical(rule))
    exdates = sorted(set(act.repetition.exdates))
    if not exdates:
        return
    if act.start is None:
        event.add("exdate", exdates)
    else:
        # each EXDATE must equal an occurrence's start exactly, in the same zone
        start = act.start
        event.add("exdate", [datetime.combine(d, start, tzinfo=zone) for d in exdates])


def _normalise_until(rule: str, act: Action, zone: ZoneInfo) -> str:
    """UNTIL as RFC 5545 wants it: a date for all-day, a UTC time for timed actions."""
    match = _UNTIL.search(rule)
    if match is None:
        return rule
    raw = match.group(1).upper()
    if act.start is None:
        value = raw[:8]
    else:
        if len(raw) == 8:
            local = datetime.combine(date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])),
                                     time(23, 59, 59), tzinfo=zone)
        elif raw.endswith("Z"):
            return rule
        else:
            local = datetime.strptime(raw, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
        value = local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return rule[: match.start(1)] + value + rule[match.end(1) :]


def _location(act: Action) -> str:
    parts = [p for p in (act.venue, act.address) if p]
    return "、".join(parts)


def _description(
    act: Action,
    audience: Audience,
    settings: FeedSettings,
    texts: dict[str, dict[str, str]],
    route: Sequence[str] = (),
) -> str:
    labels, notes = texts["label"], texts["note"]
    lines: list[str] = []
    if act.status in (Status.CANCELLED, Status.POSTPONED):
        lines.append(notes[act.status.value])
    if act.start is not None and act.end is None:
        lines.append(notes["end_unknown"])
    if act.description:
        lines.append(act.description)
    lines.extend(route)
    fields = (
        ("speaker", act.speaker),
        ("series", act.series),
        ("organizer", act.organizer),
        ("orgs", "、".join(o for o in act.orgs if o != act.organizer)),
        ("capacity", "" if act.capacity is None else str(act.capacity)),
        ("registration", act.registration),
        ("online", act.online),
        ("contact", act.contact),
        ("page", settings.page_url(act, audience)),
    )
    lines.extend(f"{labels[key]}: {value}" for key, value in fields if value)
    return "\n".join(lines)


