"""What the templates see: plain values made from actions, with every link checked.

Templates get no model objects and build no URLs themselves: every ``href`` they
print was made here and is either relative, ``http(s)://`` or ``webcal://``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote
from zoneinfo import ZoneInfo

from ..core.limits import SHORT_TEXT_LIMITS, clip
from ..core.model import Action, Status, Stop, kind_by_key, label_of
from ..core.outputs import SheetStatus
from ..feeds.build import feed_url
from ..feeds.catalog import FeedInfo
from ..geo import register
from ..parsing.repeat import describe_repetition
from .dates import format_date, format_days, format_time
from .links import is_http_url
from .text import page_text

OSM_SEARCH = "https://www.openstreetmap.org/search?query="
GOOGLE_ADD = "https://calendar.google.com/calendar/render?cid="


@dataclass(frozen=True)
class FeedLink:
    """A feed as a subscribe entry: title, https (or relative) URL, webcal:// URL."""

    title: str
    group: str
    name: str
    count: int
    url: str
    webcal: str | None
    google: str | None


@dataclass(frozen=True)
class FlyerLink:
    """An organisation's own flyer (its registration link carries the organisation)."""

    org: str
    href: str


@dataclass(frozen=True)
class EventView:
    """One action as a page shows it."""

    id: str
    title: str
    kind: str
    kind_label: str
    date_text: str
    date_iso: str
    time_text: str
    end_open: bool
    status: str
    status_label: str
    venue: str
    address: str
    map_url: str | None
    online: str | None
    speaker: str
    series: str
    organisations: tuple[str, ...]
    region: str
    capacity: int | None
    contact: str
    repeat_text: str
    except_text: str
    description: str
    registration: str | None
    #: a registration link exists but is not printed yet: "not open yet", not "not needed"
    registration_pending: bool
    href: str


@dataclass(frozen=True)
class StopView:
    """One stop of a caravan's route as its page lists it."""

    date_text: str
    time_text: str
    municipality: str
    venue: str
    activity: str
    note: str


def stop_views(
    stops: Sequence[Stop], action: Action, *, members: bool
) -> tuple[StopView, ...]:
    """The route of ``action`` (stops in route order); the day is shown for a caravan of
    several days, the note (備考) to members only."""
    several = action.last_date != action.date
    views = []
    for stop in stops:
        entry = register().by_code(stop.code)
        views.append(StopView(
            date_text=format_date(stop.date) if several and stop.date else "",
            time_text=format_time(stop.start, stop.end),
            municipality=entry.name if entry is not None else stop.municipality,
            venue=stop.venue,
            activity=stop.activity,
            note=stop.note if members else "",
        ))
    return tuple(views)


def feed_link(info: FeedInfo, base_url: str, prefix: str, root: str) -> FeedLink:
    """Subscribe URLs of a feed: absolute under ``base_url``, else relative to the page."""
    name = clip(info.name, SHORT_TEXT_LIMITS["series"])
    if not base_url:
        path = quote(info.path, safe="/")
        return FeedLink(info.title, info.group, name, info.count, root + path, None, None)
    url, webcal = feed_url(info.path, base_url, prefix)
    google = GOOGLE_ADD + quote(webcal, safe="") if webcal else None
    return FeedLink(info.title, info.group, name, info.count, url, webcal, google)


def safe_link(url: str) -> str | None:
    """``url`` when it is an http(s) link, else ``None`` (never a ``javascript:`` href)."""
    return url if url and is_http_url(url) else None


def map_link(action: Action) -> str | None:
    """An OpenStreetMap search for the address (or the venue), as a link."""
    query = action.address or action.venue
    return OSM_SEARCH + quote(query, safe="") if query else None


def repeat_text(action: Action, tz: str) -> tuple[str, str]:
    """The repetition in Japanese and the skipped dates, or empty strings."""
    if action.repetition is None:
        return "", ""
    described = describe_repetition(action.repetition.rule, tz=tz)
    skipped = "、".join(format_date(d, with_year=True) for d in action.repetition.exdates)
    return described, skipped


def event_view(
    action: Action,
    registration: str | None,
    href: str,
    tz: str,
    *,
    shown: date | None = None,
    pending: bool = False,
) -> EventView:
    """The page values of ``action``; ``shown`` is the date to show (the next one, for lists)."""
    day = shown or action.date
    # a range is shown whole; a repeating action shows the one date it is listed under
    last = action.end_date if action.repetition is None else None
    repeat, skipped = repeat_text(action, tz)
    status_label = "" if action.status is Status.PLANNED else label_of(action.status)
    short = _short_texts(action)
    return EventView(
        id=action.id,
        title=short["title"],
        kind=action.kind,
        kind_label=kind_by_key(action.kind).label,
        date_text=format_days(day, last, with_year=True),
        date_iso=day.isoformat(),
        time_text=_time_text(action, several_days=last is not None),
        end_open=action.start is not None and action.end is None,
        status=action.status.value,
        status_label=status_label,
        venue=short["venue"],
        address=short["address"],
        map_url=map_link(action),
        online=safe_link(action.online),
        speaker=short["speaker"],
        series=short["series"],
        organisations=tuple(clip(name, SHORT_TEXT_LIMITS["org"])
                            for name in action.organisations),
        region=short["region"],
        capacity=action.capacity,
        contact=action.contact,
        repeat_text=repeat,
        except_text=skipped,
        description=action.description,
        registration=safe_link(registration or ""),
        registration_pending=pending and not registration,
        href=href,
    )


def _short_texts(action: Action) -> dict[str, str]:
    """The short fields of ``action`` cut for a page or a flyer (a title pasted with a
    whole leaflet behind it would fill pages); the sheet and the feeds keep them whole."""
    return {key: clip(getattr(action, key), limit) for key, limit in SHORT_TEXT_LIMITS.items()
            if key not in ("org", "organizer")}


def _time_text(action: Action, *, several_days: bool) -> str:
    """``13:30〜15:00``; ``各日10:00〜16:00`` when the hours hold on each of several days."""
    text = format_time(action.start, action.end)
    if text and several_days:
        return f"{page_text().text['each_day']}{text}"
    return text


def feeds_by_group(links: Sequence[FeedLink]) -> list[tuple[str, list[FeedLink]]]:
    """Feed links grouped (all, prefecture, kind, org, series, region, town), groups in
    that order."""
    order = ("all", "prefecture", "kind", "org", "series", "region", "town")
    grouped = [(g, [f for f in links if f.group == g]) for g in order]
    return [(g, members) for g, members in grouped if members]


@dataclass(frozen=True)
class SheetLine:
    """A council's "data as of" line: ``神奈川県社保協 12月3日 14:20現在``, and whether
    this sync could not read its sheet (the line then says what is shown instead)."""

    name: str
    prefecture: str
    as_of: str
    failed: bool
    never: bool


def sheet_lines(sheets: Sequence[SheetStatus], tz: str) -> list[SheetLine]:
    """The "data as of" lines of a many-sheet tree's councils, in their order."""
    words = page_text().text
    out = []
    for sheet in sheets:
        if sheet.read_at is None:
            as_of = ""
        else:
            local = sheet.read_at.astimezone(ZoneInfo(tz))
            as_of = words["sheet_as_of"].format(
                date=format_date(local.date()), time=f"{local.hour}:{local.minute:02d}")
        out.append(SheetLine(sheet.name, sheet.prefecture, as_of, sheet.failed,
                             sheet.read_at is None))
    return out
