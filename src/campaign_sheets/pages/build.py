"""``build_pages``: the index, event pages, QR codes and flyers of the output tree.

The public tree shows public actions without contacts; with a members' token the
same pages are built under ``members/<token>/`` from the members' view. Which
actions and fields each tree gets is decided by :mod:`campaign_sheets.core.audience`.
Output is deterministic: no build time is printed anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..core.audience import Audience, actions_for, may_see, view_for
from ..core.model import Action, Status, kinds
from ..core.outputs import BuildContext, Hashed, OutputFiles, OutputItem, Published, SheetStatus
from ..feeds.catalog import feed_catalog
from ..feeds.event import base_with_slash
from ..feeds.towns import town_catalog
from ..rollup.records import collect_records
from ..workers import Workers
from .cache import EventIndex, build_stamp
from .dates import format_month, next_date
from .event_files import (
    EVENT_ROOT,
    QR_FORMATS,
    EventInputs,
    EventRenderer,
    FeedInfoLinks,
    OrgFlyer,
    RenderedFile,
    Tree,
)
from .links import is_http_url, registration_link, registration_url
from .pdf import pdf_available
from .pool import Job, render_jobs
from .qr import qr_png, qr_svg
from .render import render
from .views import (
    EventView,
    FeedLink,
    event_view,
    feed_link,
    feeds_by_group,
    sheet_lines,
    stop_views,
)

__all__ = ["FeedInfoLinks", "build_pages", "iter_pages", "split_upcoming"]

#: Statuses under which a flyer still asks people to register.
_OPEN = (Status.PLANNED, Status.POSTPONED)
#: An event's part waiting for its files: tree, cache key, folder, inputs, codes kept.
_Pending = tuple[int, str, str, EventInputs, list[tuple[str, str]]]


def build_pages(
    ctx: BuildContext, *, pdf: bool | None = None, cache_dir: Path | None = None,
    workers: Workers | None = None,
) -> OutputFiles:
    """Every page, QR code and flyer, for the public and (with a token) the members,
    as bytes (see :func:`iter_pages`, which a sync uses)."""
    files: OutputFiles = {}
    for path, item in iter_pages(ctx, pdf=pdf, cache_dir=cache_dir, workers=workers):
        assert not isinstance(item, Published)  # nothing is published to compare with
        files[path] = item.data if isinstance(item, Hashed) else item
    return files


def iter_pages(
    ctx: BuildContext,
    *,
    pdf: bool | None = None,
    cache_dir: Path | None = None,
    published: Mapping[str, str] | None = None,
    workers: Workers | None = None,
) -> Iterator[OutputItem]:
    """Every page, QR code and flyer, one file at a time, for the public and (with a
    token) the members.

    ``pdf`` adds ``flyer.pdf`` files; by default they are made when the ``pdf``
    extra (WeasyPrint) is installed. They cost about a second each on first build:
    with ``cache_dir`` they are kept on disk by content, beside the page index.
    ``published`` (path → SHA-256 of the tree shown now) lets an event whose inputs
    are as they were come out as :class:`~campaign_sheets.core.outputs.Published` files,
    neither rendered nor read (:mod:`.cache`), and so the QR codes of links that did
    not change; the index is always rendered again. With ``workers`` the events are
    rendered in worker processes (:mod:`.pool`); the files are the same either way.
    """
    with_pdf = pdf_available() if pdf is None else pdf
    index = EventIndex(cache_dir, build_stamp(ctx.templates, (
        ctx.config.calendar.name, ctx.config.timezone, str(with_pdf),
    )))
    shown = published or {}
    audiences = [Audience.PUBLIC] + ([Audience.MEMBERS] if ctx.members_token else [])
    trees = tuple(
        Tree(audience, prefix, _feed_links(ctx, audience, prefix), with_pdf, cache_dir)
        for audience in audiences
        for prefix in [f"members/{ctx.members_token}/" if audience is Audience.MEMBERS else ""]
    )
    work: list[Job] = []
    pending: list[list[_Pending]] = []
    for action in ctx.workbook.actions:
        parts, waiting = [], []
        for number, tree in enumerate(trees):
            if not may_see(action, tree.audience):
                continue
            inputs = _event_inputs(ctx, tree, view_for(action, tree.audience))
            key = index.key(f"{tree.prefix}\x00{tree.audience.value}\x00{inputs!r}")
            folder = f"{tree.prefix}events/{action.id}/"
            kept = index.recall(key, folder, shown)
            if kept is not None:
                for path, digest in kept:
                    yield path, Published(digest)
                continue
            codes = _kept_codes(index, inputs, folder, shown)
            for name, digest in codes:
                yield folder + name, Published(digest)
            parts.append((number, inputs, frozenset(name for name, _ in codes)))
            waiting.append((number, key, folder, inputs, codes))
        if parts:
            work.append(tuple(parts))
            pending.append(waiting)
    renderer = EventRenderer(ctx.config, ctx.templates, trees)
    for result, waiting in zip(render_jobs(renderer, work, workers), pending, strict=True):
        for files, (_number, key, folder, inputs, codes) in zip(result, waiting, strict=True):
            index.record(key, [*((name, digest) for name, _, digest in files), *codes])
            _record_codes(index, inputs, files)
            for name, data, digest in files:
                yield folder + name, Hashed(data, digest)
    for tree in trees:
        yield from _tree_index(ctx, tree)
    index.finish()


def _kept_codes(
    index: EventIndex, inputs: EventInputs, folder: str, shown: Mapping[str, str]
) -> list[tuple[str, str]]:
    """The QR files of an event that the shown tree already holds as they would be
    drawn (their link is as it was): name and SHA-256."""
    kept = []
    for stem, url in inputs.codes():
        for fmt in QR_FORMATS:
            name = f"{stem}.{fmt}"
            digest = index.code_digest(fmt, url)
            if digest is not None and shown.get(folder + name) == digest:
                kept.append((name, digest))
    return kept


def _record_codes(index: EventIndex, inputs: EventInputs, files: list[RenderedFile]) -> None:
    digests = {name: digest for name, _, digest in files}
    for stem, url in inputs.codes():
        for fmt in QR_FORMATS:
            digest = digests.get(f"{stem}.{fmt}")
            if digest is not None:
                index.record_code(fmt, url, digest)


def _tree_index(ctx: BuildContext, tree: Tree) -> Iterator[OutputItem]:
    """A tree's index page and the QR code of its address."""
    actions = actions_for(ctx.workbook.actions, tree.audience)
    page_url = _page_url(ctx, tree.prefix)
    if page_url is not None:
        yield tree.prefix + "qr.png", qr_png(page_url)
        yield tree.prefix + "qr.svg", qr_svg(page_url)
    yield tree.prefix + "index.html", _index(ctx, tree, actions, page_url)
    for sheet in ctx.sheets:
        own = tuple(a for a in actions if a.council == sheet.code)
        path = f"{tree.prefix}prefectures/{sheet.code}/index.html"
        yield path, _index(ctx, tree, own, None, council=sheet)


def _page_url(ctx: BuildContext, prefix: str) -> str | None:
    """The published address of a tree's index (for its QR code), when it is known."""
    base = ctx.config.calendar.link_base
    return base_with_slash(base) + prefix if base and is_http_url(base) else None


def _feed_links(ctx: BuildContext, audience: Audience, prefix: str) -> tuple[FeedInfoLinks, ...]:
    catalog = feed_catalog(
        ctx.workbook.actions, ctx.org_index, ctx.config.calendar.name, audience,
        ctx.config.feeds,
    ) + town_catalog(ctx, audience)
    base = ctx.config.calendar.link_base
    return tuple(
        FeedInfoLinks(
            info.group,
            info.name,
            feed_link(info, base, prefix, ""),
            feed_link(info, base, prefix, EVENT_ROOT),
        )
        for info in catalog
    )


def _event_inputs(ctx: BuildContext, tree: Tree, action: Action) -> EventInputs:
    link = registration_link(action, ctx.config)
    url = link.url
    return EventInputs(
        # the row number and the report sentence are on no page: a row inserted above,
        # or a result reported, must not make every later event render again
        action=replace(action, row=0, report=""),
        url=url,
        pending=link.refused is not None,
        orgs=_org_flyers(ctx, action, url),
        # Only flyers that can still be printed for an upcoming action are worth
        # the second a PDF takes; past actions keep their HTML flyer.
        pdf=tree.pdf and (action.date >= ctx.today or action.repetition is not None),
        series_feed=_feed_for(tree, "series", action.series),
        all_feed=_feed_for(tree, "all", ""),
        route=stop_views(collect_records(ctx.workbook).stops_of(action.id), action,
                         members=tree.audience is Audience.MEMBERS),
    )


def _org_flyers(ctx: BuildContext, action: Action, url: str | None) -> tuple[OrgFlyer, ...]:
    """The organiser's own flyer and code, where one serves.

    An organisation prints its own flyer for the actions it organises, before they
    take place, so that the people it brings register through its own link (the
    form then counts them for it). So: the 主催 organisation only (the 参加団体 join
    and hand out the action's flyer), only while the action is ahead and open for
    registration, and only when its link differs from the action's (a row's own
    申込URL cannot carry the organisation: its flyer would say the same).
    """
    name = action.organizer
    if not name or url is None or action.status not in _OPEN:
        return ()
    if next_date(action, ctx.today, ctx.config.timezone) is None:
        return ()
    key = ctx.org_index.key_of(name)
    org = ctx.org_index.find(name)
    link = registration_url(action, ctx.config, org.name if org else name, key)
    if link is None or link == url:
        return ()
    return (OrgFlyer(name, key, link),)


def _feed_for(tree: Tree, group: str, name: str) -> FeedLink | None:
    if group != "all" and not name:
        return None
    for feed in tree.feeds:
        if feed.group == group and feed.name == name:
            return feed.at_event
    return None


def _index(
    ctx: BuildContext, tree: Tree, actions: tuple[Action, ...], page_url: str | None,
    council: SheetStatus | None = None,
) -> bytes:
    """A tree's index; with ``council``, its page of one council's actions
    (``prefectures/<code>/index.html``, two folders down like an event's page)."""
    upcoming, past = split_upcoming(actions, ctx.today, ctx.config.timezone)
    tz = ctx.config.timezone
    root = "" if council is None else EVENT_ROOT
    months: dict[str, list[EventView]] = {}
    for day, action in upcoming:
        view = event_view(action, None, f"{root}events/{action.id}/", tz, shown=day)
        months.setdefault(format_month(day), []).append(view)
    past_views = [event_view(a, None, f"{root}events/{a.id}/", tz) for a in past]
    present = {a.kind for _, a in upcoming}
    if council is None:
        feeds = [f.at_index for f in tree.feeds]
    else:
        feeds = [f.at_event for f in tree.feeds if f.group == "all"
                 or (f.group == "prefecture" and f.name == council.prefecture)]
    name = ctx.config.calendar.name
    return render(
        "index.html",
        ctx.templates,
        months=list(months.items()),
        past=past_views,
        kinds=[k for k in kinds() if k.key in present],
        feed_groups=feeds_by_group(feeds),
        relative=not ctx.config.calendar.link_base,
        members=tree.audience is Audience.MEMBERS,
        calendar_name=name if council is None else f"{name}（{council.prefecture}）",
        description=ctx.config.calendar.description,
        page_url=page_url,
        drives_page=ctx.drives_page and council is None,
        sheets=sheet_lines(ctx.sheets if council is None else (council,), tz),
        councils=[] if council is not None else [
            (s.prefecture, f"prefectures/{s.code}/index.html") for s in ctx.sheets],
        root=root,
    )


def split_upcoming(
    actions: tuple[Action, ...], today: date, tz: str
) -> tuple[list[tuple[date, Action]], list[Action]]:
    """Upcoming actions with the date to list them under (soonest first), and past ones
    (latest first). A repeating action is upcoming while it has a date ahead."""
    upcoming: list[tuple[date, Action]] = []
    past: list[Action] = []
    for action in actions:
        day = next_date(action, today, tz)
        if day is None:
            past.append(action)
        else:
            upcoming.append((day, action))
    upcoming.sort(key=lambda pair: (pair[0], pair[1].start is not None, pair[1].start, pair[1].id))
    past.sort(key=lambda a: (a.date, a.id), reverse=True)
    return upcoming, past
