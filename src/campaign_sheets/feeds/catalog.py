"""The list of feeds an output tree offers: which files, with which titles.

Pages use it for subscribe buttons and ``feeds.json``; feed building uses it to
decide which files to write. Keys are ASCII so paths and URLs stay simple.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.audience import Audience, actions_for
from ..core.model import Action, chronological_key, kinds
from ..core.orgs import OrgIndex, slug


@dataclass(frozen=True)
class FeedInfo:
    """One feed: its path in the tree (``kinds/street.ics``), group and title.

    ``group`` is ``all``, ``kind``, ``org``, ``series`` or ``region``; ``name`` is the
    kind label, organisation, series or region it selects (empty for ``all``).
    """

    path: str
    group: str
    name: str
    title: str
    count: int


def feed_selections(
    actions: Iterable[Action], orgs: OrgIndex, calendar_name: str
) -> list[tuple[FeedInfo, tuple[Action, ...]]]:
    """Every feed with the actions it holds, in a fixed order (all, kinds, orgs, series, regions).

    ``actions`` must already be filtered for the audience. Empty feeds are left out,
    except ``calendar.ics``, which always exists.
    """
    acts = tuple(actions)
    out: list[tuple[FeedInfo, tuple[Action, ...]]] = [
        (FeedInfo("calendar.ics", "all", "", calendar_name, len(acts)), acts)
    ]
    for kind in kinds():
        chosen = tuple(a for a in acts if a.kind == kind.key)
        if chosen:
            title = f"{calendar_name}（{kind.label}）"
            info = FeedInfo(f"kinds/{kind.key}.ics", "kind", kind.label, title, len(chosen))
            out.append((info, chosen))
    # one pass per group (not one per name): thousands of actions, dozens of names
    by_org: dict[str, list[Action]] = {}
    for act in acts:
        for name in act.organisations:
            by_org.setdefault(name, []).append(act)
    for name, members in by_org.items():
        title = f"{calendar_name}（{name}）"
        info = FeedInfo(f"orgs/{orgs.key_of(name)}.ics", "org", name, title, len(members))
        out.append((info, tuple(members)))
    for group, attr, prefix in (("series", "series", "series"), ("region", "region", "region")):
        by_name: dict[str, list[Action]] = {}
        for act in acts:
            value = getattr(act, attr)
            if value:
                by_name.setdefault(value, []).append(act)
        for name, picked in by_name.items():
            path = f"{'series' if group == 'series' else 'regions'}/{slug(name, prefix)}.ics"
            title = f"{calendar_name}（{name}）"
            out.append((FeedInfo(path, group, name, title, len(picked)), tuple(picked)))
    return out


def feed_catalog(
    actions: Iterable[Action], orgs: OrgIndex, calendar_name: str, audience: Audience
) -> list[FeedInfo]:
    """The feeds ``audience`` is offered (paths relative to its own tree)."""
    visible = sorted(actions_for(actions, audience), key=chronological_key)
    return [info for info, _ in feed_selections(visible, orgs, calendar_name)]
