"""The feeds of the municipalities: ``towns/<code>.ics`` holds everything held there.

An action without stops is in the feed of the municipality its 住所, 会場 or 地域
names (:func:`campaign_sheets.geo.place_of`); a caravan is there through its stops,
each a VEVENT of its own, so a town's subscribers see the hour the caravan comes to
them. What happens in a ward of a designated city is in the city's feed too.
Feeds are listed in code order; one is made only for a municipality with something in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time

from ..core.audience import Audience, actions_for
from ..core.model import Action
from ..core.outputs import BuildContext
from ..geo import listed_under, place_of, register
from ..rollup.records import Records, collect_records
from .catalog import FeedInfo
from .event import feed_text
from .stops import KeyedStop, keyed

#: Where a town's feed lives in the tree.
TOWN_FOLDER = "towns/"


@dataclass(frozen=True)
class TownItem:
    """One VEVENT of a town's feed: an action, or one stop of a caravan."""

    action: Action
    stop: KeyedStop | None = None

    def sort_key(self) -> tuple[date, bool, time, str, str]:
        """By day, all-day first, then start time, action ID and stop key."""
        if self.stop is None:
            a = self.action
            return (a.date, a.start is not None, a.start or time(0), a.id, "")
        s = self.stop.stop
        return (s.date or self.action.date, s.start is not None, s.start or time(0),
                self.action.id, self.stop.key)


def routes_of(
    ctx: BuildContext, actions: Iterable[Action], records: Records | None = None
) -> dict[str, tuple[KeyedStop, ...]]:
    """Each action's stops (行程 rows and those its sentence names), keyed, in route
    order; ``records`` are the workbook's when the caller has collected them already."""
    records = records if records is not None else collect_records(ctx.workbook)
    return {a.id: keyed(records.stops_of(a.id)) for a in actions}


def town_selections(
    actions: Sequence[Action],
    routes: Mapping[str, Sequence[KeyedStop]],
    home: str | None,
    calendar_name: str,
) -> list[tuple[FeedInfo, tuple[TownItem, ...]]]:
    """Every town's feed with its VEVENTs, in code order; ``actions`` must already be
    the audience's."""
    by_code: dict[str, list[TownItem]] = {}
    for action in actions:
        route = routes.get(action.id, ())
        if route:
            for stop in route:
                for code in listed_under(stop.stop.code):
                    by_code.setdefault(code, []).append(TownItem(action, stop))
            continue
        place = place_of(action, home)
        if place is not None:
            for code in listed_under(place.code):
                by_code.setdefault(code, []).append(TownItem(action))
    template = feed_text()["town"]["title"]
    out = []
    for code in sorted(by_code):
        items = tuple(sorted(by_code[code], key=TownItem.sort_key))
        entry = register().by_code(code)
        name = entry.name if entry is not None else code
        title = template.format(calendar=calendar_name, town=name)
        out.append((FeedInfo(f"{TOWN_FOLDER}{code}.ics", "town", name, title, len(items)), items))
    return out


def town_catalog(ctx: BuildContext, audience: Audience) -> list[FeedInfo]:
    """The town feeds ``audience`` is offered (paths relative to its own tree)."""
    visible = actions_for(ctx.workbook.actions, audience)
    routes = routes_of(ctx, visible)
    chosen = town_selections(visible, routes, ctx.workbook.home, ctx.config.calendar.name)
    return [info for info, _ in chosen]
