"""One event's files (its page, QR codes and flyers) from its inputs alone.

This is the per-action work of a build, done in this process or in a worker process
(:mod:`.pool`): everything it needs travels in an :class:`EventRenderer` (sent once to
each worker) and an :class:`EventInputs` (one per event and tree), and it returns
the files with their SHA-256, so the same inputs give the same bytes wherever they
are rendered.

Flyers refer to their QR code (``qr.svg`` beside them) instead of carrying a copy: a
flyer is printed from the published page, where the code is, and the tree then holds
each code once. The PDF flyer is the one that must stand alone (it is e-mailed and
printed away from the site), so the HTML it is made from carries the code inline.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..core.audience import Audience
from ..core.config import Config
from ..core.model import Action
from .pdf import flyer_pdf
from .qr import qr_png, qr_svg
from .render import render
from .views import EventView, FeedLink, FlyerLink, StopView, event_view

#: From an event's page to the root of its tree.
EVENT_ROOT = "../../"
#: The formats each QR code is published in.
QR_FORMATS = ("png", "svg")

#: A rendered file: its name within the event's folder, its bytes, their SHA-256.
RenderedFile = tuple[str, bytes, str]


@dataclass(frozen=True)
class FeedInfoLinks:
    """A feed with its links as seen from the index and from an event page."""

    group: str
    name: str
    at_index: FeedLink
    at_event: FeedLink


@dataclass(frozen=True)
class Tree:
    """One audience's tree: where it lives and its subscribe links."""

    audience: Audience
    prefix: str
    feeds: tuple[FeedInfoLinks, ...]
    pdf: bool
    cache_dir: Path | None


@dataclass(frozen=True)
class OrgFlyer:
    """An organisation's own flyer: the name as typed, its key, its own registration link."""

    name: str
    key: str
    url: str


@dataclass(frozen=True)
class EventInputs:
    """Everything an event's files depend on besides what the whole build shares
    (templates, page words, settings, code): its render-cache key is made from this."""

    action: Action
    url: str | None
    #: a link exists but may not be printed (a placeholder, http://): not open yet
    pending: bool
    #: the organiser's own flyer and code, where one serves (see ``pages.build``)
    orgs: tuple[OrgFlyer, ...]
    pdf: bool
    series_feed: FeedLink | None
    all_feed: FeedLink | None
    #: a caravan's stops as its page lists them
    route: tuple[StopView, ...] = ()

    def codes(self) -> tuple[tuple[str, str], ...]:
        """The QR codes of the event: (file stem, link)."""
        main = (("qr", self.url),) if self.url is not None else ()
        return main + tuple((f"qr-{org.key}", org.url) for org in self.orgs)


@dataclass(frozen=True)
class EventRenderer:
    """What every event of a build shares: the settings pages print and the trees."""

    config: Config
    templates: Path | None
    trees: tuple[Tree, ...]


def event_files(
    renderer: EventRenderer, tree_number: int, inputs: EventInputs, skip: frozenset[str]
) -> list[RenderedFile]:
    """An event's files in one tree, by name within its folder, each with its SHA-256;
    the names in ``skip`` (codes the shown tree already holds) are not rendered."""
    tree = renderer.trees[tree_number]
    config = renderer.config
    action, url = inputs.action, inputs.url
    view = event_view(action, url, "", config.timezone, pending=inputs.pending)
    files: list[tuple[str, bytes]] = []

    def code(stem: str, link: str) -> None:
        for fmt in QR_FORMATS:
            name = f"{stem}.{fmt}"
            if name not in skip:
                files.append((name, qr_png(link) if fmt == "png" else qr_svg(link)))

    if url is not None:
        code("qr", url)
    files.append(("flyer.html", _flyer(renderer, view, url, "", "qr.svg")))
    flyers: list[FlyerLink] = []
    for org in inputs.orgs:
        code(f"qr-{org.key}", org.url)
        files.append((f"flyer-{org.key}.html",
                      _flyer(renderer, view, org.url, org.name, f"qr-{org.key}.svg")))
        flyers.append(FlyerLink(org.name, f"flyer-{org.key}.html"))
    if inputs.pdf:
        standalone = _flyer(renderer, view, url, "", _inline_svg(url))
        files.append(("flyer.pdf", flyer_pdf(standalone.decode("utf-8"),
                                              cache_dir=tree.cache_dir)))
    files.append(("index.html", render(
        "event.html",
        renderer.templates,
        event=view,
        root=EVENT_ROOT,
        qr=url is not None,
        flyers=flyers,
        pdf=inputs.pdf,
        series_feed=inputs.series_feed,
        all_feed=inputs.all_feed,
        route=inputs.route,
        members=tree.audience is Audience.MEMBERS,
        calendar_name=config.calendar.name,
    )))
    return [(name, data, hashlib.sha256(data).hexdigest()) for name, data in files]


def _inline_svg(url: str | None) -> str | None:
    if url is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url)).decode("ascii")


def _flyer(
    renderer: EventRenderer, view: EventView, url: str | None, org: str, qr_src: str | None
) -> bytes:
    return render(
        "flyer.html", renderer.templates, event=view, url=url,
        qr_src=qr_src if url else None, org=org, calendar_name=renderer.config.calendar.name,
    )
