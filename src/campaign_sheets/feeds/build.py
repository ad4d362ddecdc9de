"""``build_feeds``: every calendar file of the output tree, from the validated actions.

Events keep their SEQUENCE and DTSTAMP while their content hash (see
:mod:`.event`) is unchanged, so an unchanged event is byte-identical from sync
to sync; a changed one gets SEQUENCE + 1 and the sync's ``now`` as its stamp; a
new one starts at SEQUENCE 0. Serialized VEVENTs are cached by a key made of
(content hash, audience, members token, sequence, stamp): in-process, and across
processes through ``cache`` (the state store keeps ``FeedBuild.vevents``), so a
sync that changes little serializes little.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import partial
from urllib.parse import quote

from ..core.audience import Audience, actions_for
from ..core.errors import ConfigError
from ..core.model import Action, chronological_key
from ..core.outputs import BuildContext, OutputFiles
from ..core.problems import render_message
from ..publish.state import EventState, EventStates
from ..rollup.records import Records
from .calendar import assemble, calendar_header
from .catalog import FeedInfo, feed_selections
from .event import FeedSettings, base_with_slash, content_hash, feed_text, render_vevent, uid_of
from .stops import (
    KeyedStop,
    render_stop_vevent,
    route_facts,
    route_lines,
    state_key,
    stop_content_hash,
    stop_uid,
)
from .towns import TownItem, routes_of, town_selections

__all__ = [
    "EventState", "EventStates", "FeedBuild", "FeedPlan", "VeventRenderer", "VeventWork",
    "build_feeds", "members_prefix", "plan_feeds", "render_vevents",
]

_VEVENT_CACHE: dict[str, bytes] = {}
#: the token is a path segment of a secret URL: URL-safe, and too long to guess
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")
_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class FeedBuild:
    """The feed files of the tree and the state of every event they publish.

    ``vevents`` holds every serialized VEVENT of this build by cache key; ``events``
    carries them too (an :class:`EventStates`), so ``StateStore.save(build.events)``
    stores them and the next process does not serialize unchanged events again.
    """

    files: OutputFiles
    events: Mapping[str, EventState]
    vevents: Mapping[str, bytes] = field(default_factory=dict)


def members_prefix(token: str) -> str:
    """Where the members' tree lives: ``members/<token>/``."""
    return f"members/{token}/"


@dataclass(frozen=True)
class StopWork:
    """A caravan's stop to serialize as its own VEVENT: which of how many."""

    stop: KeyedStop
    position: int
    count: int


#: One VEVENT to serialize: its cache key, the action, the audience, its state, and
#: either the lines of the action's route (the action's VEVENT) or the stop's.
VeventWork = tuple[str, Action, Audience, EventState, tuple[str, ...] | StopWork]
#: Serializes VEVENTs (by cache key), here or in worker processes.
VeventRenderer = Callable[[FeedSettings, Sequence[VeventWork]], Mapping[str, bytes]]


def render_vevents(settings: FeedSettings, work: Sequence[VeventWork]) -> dict[str, bytes]:
    """The serialized VEVENTs of ``work`` by cache key (the per-event part of a feed
    build, which a worker process can do)."""
    out: dict[str, bytes] = {}
    for key, action, audience, state, what in work:
        if isinstance(what, StopWork):
            out[key] = render_stop_vevent(
                action, what.stop, what.position, what.count, audience, settings,
                state.sequence, state.stamp)
        else:
            out[key] = render_vevent(
                action, audience, settings, state.sequence, state.stamp, what)
    return out


def _vevent_work(
    ctx: BuildContext,
    audiences: Sequence[Audience],
    settings: FeedSettings,
    states: Mapping[str, EventState],
    stop_states: Mapping[str, EventState],
    routes: Mapping[str, Sequence[KeyedStop]],
    cache: Mapping[str, bytes],
) -> list[VeventWork]:
    """Every VEVENT of the build that no cache holds: each audience's actions and the
    stops of their routes (the towns' feeds list them)."""
    work: list[VeventWork] = []

    def add(audience: Audience, action: Action, state: EventState,
            what: tuple[str, ...] | StopWork) -> None:
        key = _cache_key(audience, settings, state)
        if key not in _VEVENT_CACHE and key not in cache:
            work.append((key, action, audience, state, what))

    for audience in audiences:
        for action in actions_for(ctx.workbook.actions, audience):
            route = routes[action.id]
            add(audience, action, states[action.id],
                tuple(route_lines(action, route, audience)))
            for position, stop in enumerate(route, start=1):
                add(audience, action, stop_states[state_key(action, stop)],
                    StopWork(stop, position, len(route)))
    return work


def build_feeds(
    ctx: BuildContext,
    states: Mapping[str, EventState],
    cache: Mapping[str, bytes] | None = None,
    records: Records | None = None,
    *,
    render: VeventRenderer = render_vevents,
) -> FeedBuild:
    """Every feed file (public tree, and the members' tree when a token is set), held
    together; :func:`plan_feeds` makes them one at a time. The arguments are
    :func:`plan_feeds`'s."""
    plan = plan_feeds(ctx, states, cache, records, render=render)
    files = dict(plan.files())
    return FeedBuild(files=files, events=plan.events, vevents=plan.events.vevents)


@dataclass(frozen=True)
class FeedPlan:
    """The states of every event a build publishes, and its feed files made when asked.

    The calendars of a large workbook weigh more than anything else a sync holds (125 MB
    at 5,000 actions), so a publication takes them one at a time from :meth:`files`,
    which may be called again (a publication started over) and gives the same files.
    ``events.vevents`` fills as the files are made: it is complete once they all were.
    """

    events: EventStates
    trees: tuple[_Tree, ...]
    ctx: BuildContext

    def files(self) -> Iterator[tuple[str, bytes]]:
        """Each feed file's path and bytes, as :func:`build_feeds`'s dict holds them."""
        for tree in self.trees:
            prefix = prefix_of(self.ctx, tree.audience)
            for path, data in _tree_files(self.ctx, tree):
                yield prefix + path, data
        if len(_VEVENT_CACHE) > _CACHE_LIMIT:
            _VEVENT_CACHE.clear()


def plan_feeds(
    ctx: BuildContext,
    states: Mapping[str, EventState],
    cache: Mapping[str, bytes] | None = None,
    records: Records | None = None,
    *,
    render: VeventRenderer = render_vevents,
) -> FeedPlan:
    """The states of every event and the way to its feed files (public tree, and the
    members' tree when a token is set).

    ``states`` are the states saved by the last successful publish; the returned
    ``events`` are to be saved after this build is published. ``cache`` is the
    ``vevents`` of an earlier build (optional, it only saves time); by default the
    ones ``states`` carries when it came from ``StateStore.load()``. ``records`` are
    the workbook's (caravans' stops among them) when the caller has collected them.
    ``render`` serializes the VEVENTs no cache holds, the actions' and their stops'
    (all at once, so it may spread them over worker processes); the feeds are the
    same whoever renders them.
    """
    if cache is None:
        cache = states.vevents if isinstance(states, EventStates) else {}
    if ctx.members_token is not None and not _TOKEN.fullmatch(ctx.members_token):
        env = ctx.config.members.token_env
        raise ConfigError(render_message("feeds.bad_members_token", {"env": env}, ctx.config.lang))
    settings = FeedSettings(
        timezone=ctx.config.timezone,
        uid_domain=ctx.config.calendar.uid_domain,
        base_url=ctx.config.calendar.link_base,
        members_token=ctx.members_token,
    )
    now = _stamp_now(ctx)
    audiences = [Audience.PUBLIC] + ([Audience.MEMBERS] if ctx.members_token else [])
    visible = {a.id: a for aud in audiences for a in actions_for(ctx.workbook.actions, aud)}
    routes = routes_of(ctx, visible.values(), records)
    new_states = {
        key: _next_state(action, settings, states.get(key), now, routes[key])
        for key, action in visible.items()
    }
    old_stops = states.stops if isinstance(states, EventStates) else {}
    stop_states = _stop_states(visible.values(), routes, settings, old_stops, now)
    work = _vevent_work(ctx, audiences, settings, new_states, stop_states, routes, cache)
    rendered = render(settings, list({item[0]: item for item in work}.values()))
    cache = {**cache, **rendered} if rendered else cache
    events = EventStates(new_states, None, stop_states)
    # one dict, filled by the trees as their files are made
    used = events.vevents
    trees = tuple(_Tree(settings, new_states, stop_states, routes, audience, cache, used)
                  for audience in audiences)
    return FeedPlan(events=events, trees=trees, ctx=ctx)


def _stamp_now(ctx: BuildContext) -> datetime:
    """The sync's moment in UTC, to the second (DTSTAMP has no fractions)."""
    if ctx.now is None:
        return datetime.combine(ctx.today, time(0), tzinfo=UTC)
    if ctx.now.tzinfo is None:
        raise ValueError("BuildContext.now must carry a time zone")
    return ctx.now.astimezone(UTC).replace(microsecond=0)


def _next_state(
    action: Action,
    settings: FeedSettings,
    old: EventState | None,
    now: datetime,
    route: Sequence[KeyedStop] = (),
) -> EventState:
    digest = content_hash(action, settings, route_facts(route) if route else ())
    return _advance(uid_of(action, settings), digest, old, now)


def _advance(uid: str, digest: str, old: EventState | None, now: datetime) -> EventState:
    """The state after this build: the old one while the content is unchanged."""
    if old is None:
        return EventState(uid, digest, 0, now)
    if old.content_hash == digest:
        return old
    return EventState(uid, digest, old.sequence + 1, now)


def _stop_states(
    actions: Iterable[Action],
    routes: Mapping[str, Sequence[KeyedStop]],
    settings: FeedSettings,
    old: Mapping[str, EventState],
    now: datetime,
) -> dict[str, EventState]:
    """The state of every stop's own VEVENT, by :func:`~.stops.state_key`."""
    out: dict[str, EventState] = {}
    for action in actions:
        route = routes[action.id]
        for position, stop in enumerate(route, start=1):
            key = state_key(action, stop)
            digest = stop_content_hash(action, stop, position, len(route), settings)
            out[key] = _advance(stop_uid(action, stop, settings), digest, old.get(key), now)
    return out


def _cache_key(audience: Audience, settings: FeedSettings, state: EventState) -> str:
    token = (settings.members_token or "") if audience is Audience.MEMBERS else ""
    # hashed so the members' token is not written into the state store
    raw = f"{state.content_hash}|{audience.value}|{token}|{state.sequence}|{state.stamp}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Tree:
    """What building one audience's tree needs besides the context."""

    settings: FeedSettings
    states: Mapping[str, EventState]
    stop_states: Mapping[str, EventState]
    routes: Mapping[str, Sequence[KeyedStop]]
    audience: Audience
    cache: Mapping[str, bytes]
    used: dict[str, bytes]

    def vevent(self, state: EventState, render: Callable[[], bytes]) -> bytes:
        """The VEVENT of ``state`` for this audience: cached, else ``render()``-ed."""
        key = _cache_key(self.audience, self.settings, state)
        data = _VEVENT_CACHE.get(key) or self.cache.get(key)
        if data is None:
            data = render()
        _VEVENT_CACHE[key] = data
        self.used[key] = data
        return data

    def action_vevent(self, action: Action) -> bytes:
        """The VEVENT of an action, with its route in the description."""
        state = self.states[action.id]
        route = route_lines(action, self.routes[action.id], self.audience)
        return self.vevent(state, lambda: render_vevent(
            action, self.audience, self.settings, state.sequence, state.stamp, route))

    def stop_vevent(self, action: Action, stop: KeyedStop) -> bytes:
        """The VEVENT of one stop of ``action``."""
        state = self.stop_states[state_key(action, stop)]
        route = self.routes[action.id]
        position = route.index(stop) + 1
        return self.vevent(state, lambda: render_stop_vevent(
            action, stop, position, len(route), self.audience, self.settings,
            state.sequence, state.stamp))


def _tree_files(ctx: BuildContext, tree: _Tree) -> Iterator[tuple[str, bytes]]:
    """One audience's feed files, made one at a time: each path once, where it first
    comes, with the bytes of the last feed that names it (a feed's old name can be
    another's name), as a dict of them all would hold."""
    audience, settings = tree.audience, tree.settings
    actions = sorted(actions_for(ctx.workbook.actions, audience), key=chronological_key)
    vevents = {a.id: tree.action_vevent(a) for a in actions}
    suffix = feed_text()["calendar"]["members_suffix"] if audience is Audience.MEMBERS else ""
    makers: dict[str, Callable[[], bytes]] = {}
    catalog: list[FeedInfo] = []
    selections = feed_selections(actions, ctx.org_index, ctx.config.calendar.name,
                                 ctx.config.feeds)
    for info, chosen in selections:
        make = _once(partial(_chosen_calendar, ctx, info.title + suffix, chosen, vevents))
        # subscriptions made to an older name of the feed keep getting the same bytes
        for path in (info.path, *info.aliases):
            makers[path] = make
        catalog.append(info)
    towns = town_selections(actions, tree.routes, ctx.workbook.home, ctx.config.calendar.name)
    for info, items in towns:
        makers[info.path] = partial(
            _town_calendar, ctx, info.title + suffix, tree, items, vevents)
        catalog.append(info)
    single_header = _header(ctx, ctx.config.calendar.name + suffix)
    for action in actions:
        makers[f"events/{action.id}/event.ics"] = partial(
            assemble, single_header, [settings.timezone], [vevents[action.id]])
    makers["feeds.json"] = partial(
        feeds_json, catalog, ctx.config.calendar.link_base, prefix_of(ctx, audience), audience)
    for path in list(makers):
        # taken out as it is used: a calendar's bytes go once its last name is written
        yield path, makers.pop(path)()


def _chosen_calendar(
    ctx: BuildContext, title: str, chosen: Iterable[Action], vevents: Mapping[str, bytes]
) -> bytes:
    return _calendar(ctx, title, (vevents[a.id] for a in chosen))


def _town_calendar(
    ctx: BuildContext, title: str, tree: _Tree, items: Iterable[TownItem],
    vevents: Mapping[str, bytes],
) -> bytes:
    return _calendar(ctx, title, (_town_vevent(tree, item, vevents) for item in items))


def prefix_of(ctx: BuildContext, audience: Audience) -> str:
    """Where ``audience``'s tree is: the members' folder, or the top."""
    return members_prefix(ctx.members_token or "") if audience is Audience.MEMBERS else ""


def _once(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """``make``, its bytes kept for the feed's other names (while they are to come)."""
    kept: list[bytes] = []

    def made() -> bytes:
        if not kept:
            kept.append(make())
        return kept[0]
    return made


def _town_vevent(tree: _Tree, item: TownItem, vevents: Mapping[str, bytes]) -> bytes:
    if item.stop is None:
        return vevents[item.action.id]
    return tree.stop_vevent(item.action, item.stop)


def _header(ctx: BuildContext, title: str) -> bytes:
    cal = ctx.config.calendar
    description = cal.description or feed_text()["calendar"]["description"].format(name=title)
    return calendar_header(title, description, ctx.config.timezone, cal.refresh)


def _calendar(ctx: BuildContext, title: str, vevents: Iterable[bytes]) -> bytes:
    return assemble(_header(ctx, title), [ctx.config.timezone], vevents)


def feed_url(path: str, base_url: str, prefix: str = "") -> tuple[str, str | None]:
    """The https (or relative) URL of a feed and its ``webcal://`` form, if absolute."""
    path = quote(path, safe="/")  # a feed named in Japanese (regions/横浜.ics)
    if not base_url:
        return prefix + path, None
    url = base_with_slash(base_url) + prefix + path
    scheme, sep, rest = url.partition("://")
    webcal = f"webcal://{rest}" if sep and scheme in ("http", "https") else None
    return url, webcal


def feeds_json(
    catalog: Sequence[FeedInfo], base_url: str, prefix: str, audience: Audience
) -> bytes:
    """``feeds.json`` (SPEC §5): every feed with its title, URL and webcal:// URL."""
    feeds = []
    for info in catalog:
        url, webcal = feed_url(info.path, base_url, prefix)
        feeds.append(
            {
                "path": info.path,
                "group": info.group,
                "name": info.name,
                "title": info.title,
                "count": info.count,
                "url": url,
                "webcal": webcal,
            }
        )
    payload = {"audience": audience.value, "feeds": feeds}
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
