"""``build_pages``: the index, event pages, QR codes and flyers of the output tree.

The public tree shows public actions without contacts; with a members' token the
same pages are built under ``members/<token>/`` from the members' view. Which
actions and fields each tree gets is decided by :mod:`campaign_sheets.core.audience`.
Output is deterministic: no build time is printed anywhere.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..core.audience import Audience, actions_for
from ..core.model import Action, kinds
from ..core.outputs import BuildContext, OutputFiles, OutputItem, Published
from ..feeds.catalog import feed_catalog
from ..feeds.event import base_with_slash
from ..feeds.towns import town_catalog
from ..rollup.records import collect_records
from .cache import EventIndex, build_stamp
from .dates import format_month, next_date
from .links import is_http_url, registration_url
from .pdf import flyer_pdf, pdf_available
from .qr import qr_png, qr_svg
from .render import render
from .views import (
    EventView,
    FeedLink,
    FlyerLink,
    StopView,
    event_view,
    feed_link,
    feeds_by_group,
    stop_views,
)

_EVENT_ROOT = "../../"


@dataclass(frozen=True)
class _Tree:
    """One audience's tree: where it lives and its subscribe links."""

    audience: Audience
    prefix: str
    feeds: tuple[FeedInfoLinks, ...]
    pdf: bool
    cache_dir: Path | None


@dataclass(frozen=True)
class _EventInputs:
    """Everything an event's files depend on besides what the whole build shares
    (templates, page words, settings, code): its render-cache key is made from this."""

    action: Action
    url: str | None
    #: each organising organisation: as typed, its key, its own registration link
    orgs: tuple[tuple[str, str, str | None], ...]
    pdf: bool
    series_feed: FeedLink | None
    all_feed: FeedLink | None
    #: a caravan's stops as its page lists them
    route: tuple[StopView, ...] = ()


@dataclass(frozen=True)
class FeedInfoLinks:
    """A feed with its links as seen from the index and from an event page."""

    group: str
    name: str
    at_index: FeedLink
    at_event: FeedLink


def build_pages(
    ctx: BuildContext, *, pdf: bool | None = None, cache_dir: Path | None = None
) -> OutputFiles:
    """Every page, QR code and flyer, for the public and (with a token) the members,
    as bytes (see :func:`iter_pages`, which a sync uses)."""
    files: OutputFiles = {}
    for path, item in iter_pages(ctx, pdf=pdf, cache_dir=cache_dir):
        assert not isinstance(item, Published)  # nothing is published to compare with
        files[path] = item
    return files


def iter_pages(
    ctx: BuildContext,
    *,
    pdf: bool | None = None,
    cache_dir: Path | None = None,
    published: Mapping[str, str] | None = None,
) -> Iterator[OutputItem]:
    """Every page, QR code and flyer, one file at a time, for the public and (with a
    token) the members.

    ``pdf`` adds ``flyer.pdf`` files; by default they are made when the ``pdf``
    extra (WeasyPrint) is installed. They cost about a second each on first build,
    QR codes a few thousandths: with ``cache_dir`` both are kept on disk by content.
    ``published`` (path → SHA-256 of the tree shown now) lets an event whose inputs
    are as they were come out as :class:`~campaign_sheets.core.outputs.Published` files,
    neither rendered nor read (:mod:`.cache`); the index is always rendered again.
    """
    with_pdf = pdf_available() if pdf is None else pdf
    index = EventIndex(cache_dir, build_stamp(ctx.templates, (
        ctx.config.calendar.name, ctx.config.timezone, str(with_pdf),
    )))
    shown = published or {}
    yield from _tree_files(ctx, _Tree(Audience.PUBLIC, "", (), with_pdf, cache_dir), index, shown)
    if ctx.members_token:
        prefix = f"members/{ctx.members_token}/"
        members = _Tree(Audience.MEMBERS, prefix, (), with_pdf, cache_dir)
        yield from _tree_files(ctx, members, index, shown)
    index.finish()


def _tree_files(
    ctx: BuildContext, bare: _Tree, index: EventIndex, published: Mapping[str, str]
) -> Iterator[OutputItem]:
    actions = actions_for(ctx.workbook.actions, bare.audience)
    tree = replace(bare, feeds=_feed_links(ctx, bare.audience, bare.prefix))
    for action in actions:
        inputs = _event_inputs(ctx, tree, action)
        key = index.key(f"{tree.prefix}\x00{tree.audience.value}\x00{inputs!r}")
        folder = f"{tree.prefix}events/{action.id}/"
        kept = index.recall(key, folder, published)
        if kept is not None:
            for path, digest in kept:
                yield path, Published(digest)
            continue
        event = _event_files(ctx, tree, inputs)
        index.record(key, event)
        for name, data in event.items():
            yield folder + name, data
    page_url = _page_url(ctx, tree.prefix)
    yield from _qr_files(tree.prefix, "qr", page_url, tree.cache_dir).items()
    yield tree.prefix + "index.html", _index(ctx, tree, actions, page_url)


def _page_url(ctx: BuildContext, prefix: str) -> str | None:
    """The published address of a tree's index (for its QR code), when it is known."""
    base = ctx.config.calendar.base_url
    return base_with_slash(base) + prefix if base and is_http_url(base) else None


def _feed_links(ctx: BuildContext, audience: Audience, prefix: str) -> tuple[FeedInfoLinks, ...]:
    catalog = feed_catalog(
        ctx.workbook.actions, ctx.org_index, ctx.config.calendar.name, audience
    ) + town_catalog(ctx, audience)
    base = ctx.config.calendar.base_url
    return tuple(
        FeedInfoLinks(
            info.group,
            info.name,
            feed_link(info, base, prefix, ""),
            feed_link(info, base, prefix, _EVENT_ROOT),
        )
        for info in catalog
    )


def _event_inputs(ctx: BuildContext, tree: _Tree, action: Action) -> _EventInputs:
    orgs = []
    for name in action.organisations:
        key = ctx.org_index.key_of(name)
        org = ctx.org_index.find(name)
        link = registration_url(action, ctx.config, org.name if org else name, key)
        orgs.append((name, key, link))
    return _EventInputs(
        # the row number and the report sentence are on no page: a row inserted above,
        # or a result reported, must not make every later event render again
        action=replace(action, row=0, report=""),
        url=registration_url(action, ctx.config),
        orgs=tuple(orgs),
        # Only flyers that can still be printed for an upcoming action are worth
        # the second a PDF takes; past actions keep their HTML flyer.
        pdf=tree.pdf and (action.date >= ctx.today or action.repetition is not None),
        series_feed=_feed_for(tree, "series", action.series),
        all_feed=_feed_for(tree, "all", ""),
        route=stop_views(collect_records(ctx.workbook).stops_of(action.id), action,
                         members=tree.audience is Audience.MEMBERS),
    )


def _event_files(ctx: BuildContext, tree: _Tree, inputs: _EventInputs) -> OutputFiles:
    """An event's files, by name within its folder, from its inputs alone (and what
    the build stamp holds)."""
    files: OutputFiles = {}
    action, url = inputs.action, inputs.url
    view = event_view(action, url, "", ctx.config.timezone)
    flyers: list[FlyerLink] = []
    files.update(_qr_files("", "qr", url, tree.cache_dir))
    files["flyer.html"] = _flyer(ctx, tree, view, url, "")
    for name, key, org_url in inputs.orgs:
        files.update(_qr_files("", f"qr-{key}", org_url, tree.cache_dir))
        files[f"flyer-{key}.html"] = _flyer(ctx, tree, view, org_url, name)
        flyers.append(FlyerLink(name, f"flyer-{key}.html"))
    if inputs.pdf:
        html = files["flyer.html"].decode("utf-8")
        files["flyer.pdf"] = flyer_pdf(html, cache_dir=tree.cache_dir)
    files["index.html"] = render(
        "event.html",
        ctx.templates,
        event=view,
        root=_EVENT_ROOT,
        qr=url is not None,
        flyers=flyers,
        pdf="flyer.pdf" in files,
        series_feed=inputs.series_feed,
        all_feed=inputs.all_feed,
        route=inputs.route,
        members=tree.audience is Audience.MEMBERS,
        calendar_name=ctx.config.calendar.name,
    )
    return files


def _feed_for(tree: _Tree, group: str, name: str) -> FeedLink | None:
    if group != "all" and not name:
        return None
    for feed in tree.feeds:
        if feed.group == group and feed.name == name:
            return feed.at_event
    return None


def _qr_files(folder: str, stem: str, url: str | None, cache_dir: Path | None) -> OutputFiles:
    if url is None:
        return {}
    return {
        folder + f"{stem}.png": qr_png(url, cache_dir),
        folder + f"{stem}.svg": qr_svg(url, cache_dir),
    }


def _flyer(ctx: BuildContext, tree: _Tree, view: EventView, url: str | None, org: str) -> bytes:
    # the QR travels inside the flyer, so a saved or e-mailed flyer still prints whole
    qr_src = (
        "data:image/svg+xml;base64,"
        + base64.b64encode(qr_svg(url, tree.cache_dir)).decode("ascii")
        if url
        else None
    )
    return render(
        "flyer.html", ctx.templates, event=view, url=url, qr_src=qr_src, org=org,
        calendar_name=ctx.config.calendar.name,
    )


def _index(
    ctx: BuildContext, tree: _Tree, actions: tuple[Action, ...], page_url: str | None
) -> bytes:
    upcoming, past = split_upcoming(actions, ctx.today, ctx.config.timezone)
    tz = ctx.config.timezone
    months: dict[str, list[EventView]] = {}
    for day, action in upcoming:
        view = event_view(action, None, f"events/{action.id}/", tz, shown=day)
        months.setdefault(format_month(day), []).append(view)
    past_views = [event_view(a, None, f"events/{a.id}/", tz) for a in past]
    present = {a.kind for _, a in upcoming}
    return render(
        "index.html",
        ctx.templates,
        months=list(months.items()),
        past=past_views,
        kinds=[k for k in kinds() if k.key in present],
        feed_groups=feeds_by_group([f.at_index for f in tree.feeds]),
        relative=not ctx.config.calendar.base_url,
        members=tree.audience is Audience.MEMBERS,
        calendar_name=ctx.config.calendar.name,
        description=ctx.config.calendar.description,
        page_url=page_url,
        root="",
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
