"""The list of feeds an output tree offers: which files, with which titles.

Pages use it for subscribe buttons and ``feeds.json``; feed building uses it to
decide which files to write.

An organisation's, a series' or a region's feed is named by its key (the 団体 tab's キー
column; ``[feeds.series]`` and ``[feeds.regions]`` in the configuration); without one, by
its name: an ASCII name in lower case
(``Tokyo Caravan`` → ``tokyo-caravan``), any other name as it is written, made safe for a
file name (``regions/横浜.ics``; URLs percent-encode it). Both stay the same as long as the
name does. Earlier versions named these feeds by a hash (``region-ebe64a20.ics``,
``org-ec6463da.ics``): each
feed is also published under its older names, with the same bytes, so subscriptions
made then keep working; ``feeds.json`` lists only the current name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.audience import Audience, actions_for
from ..core.config import FeedKeys
from ..core.model import Action, chronological_key, kinds
from ..core.orgs import OrgIndex, slug
from ..core.text import match_key
from ..geo import register


@dataclass(frozen=True)
class FeedInfo:
    """One feed: its path in the tree (``kinds/street.ics``), group and title.

    ``group`` is ``all``, ``kind``, ``org``, ``series``, ``region`` or (a tree of many
    councils' sheets) ``prefecture``; ``name`` is the kind label, organisation, series,
    region or prefecture it selects (empty for ``all``).
    """

    path: str
    group: str
    name: str
    title: str
    count: int
    #: older paths of the same feed, published with the same bytes (never listed)
    aliases: tuple[str, ...] = ()


def feed_selections(
    actions: Iterable[Action], orgs: OrgIndex, calendar_name: str,
    feed_keys: FeedKeys | None = None,
) -> list[tuple[FeedInfo, tuple[Action, ...]]]:
    """Every feed with the actions it holds, in a fixed order (all, kinds, orgs, series, regions).

    ``actions`` must already be filtered for the audience. Empty feeds are left out,
    except ``calendar.ics``, which always exists.
    """
    feed_keys = feed_keys or FeedKeys()
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
    org_names = {name: feed_file_names(orgs.canonical(name), "org", orgs.own_key(name))
                 for name in by_org}
    out += _named_feeds(by_org, org_names, "org", "orgs", calendar_name)
    for group, folder, keys in (("series", "series", feed_keys.series),
                                ("region", "regions", feed_keys.regions)):
        by_name: dict[str, list[Action]] = {}
        for act in acts:
            value = getattr(act, group)
            if value:
                by_name.setdefault(value, []).append(act)
        names = {name: feed_file_names(name, group, keys.get(name)) for name in by_name}
        out += _named_feeds(by_name, names, group, folder, calendar_name)
    return out + _council_feeds(acts, calendar_name)


def _council_feeds(
    acts: tuple[Action, ...], calendar_name: str
) -> list[tuple[FeedInfo, tuple[Action, ...]]]:
    """In a tree of many councils' sheets, one feed per council: ``prefectures/14.ics``
    (its prefecture's code), titled with the prefecture's name."""
    by_code: dict[str, list[Action]] = {}
    for act in acts:
        if act.council:
            by_code.setdefault(act.council, []).append(act)
    out = []
    for code in sorted(by_code):
        found = register().prefecture_of(code)
        name = found.name if found is not None else code
        info = FeedInfo(f"prefectures/{code}.ics", "prefecture", name,
                        f"{calendar_name}（{name}）", len(by_code[code]))
        out.append((info, tuple(by_code[code])))
    return out


def _named_feeds(
    by_name: dict[str, list[Action]], file_names: dict[str, list[str]], group: str,
    folder: str, calendar_name: str,
) -> list[tuple[FeedInfo, tuple[Action, ...]]]:
    """One feed per name, under the first of its file names no earlier feed took (files
    differing only in case clash on macOS and Windows), its other names as aliases."""
    out = []
    taken: set[str] = set()
    for name, picked in by_name.items():
        names = file_names[name]
        stem = next((n for n in names if n.lower() not in taken), names[-1])
        taken.add(stem.lower())
        old = tuple(f"{folder}/{n}.ics" for n in names if n != stem)
        title = f"{calendar_name}（{name}）"
        info = FeedInfo(f"{folder}/{stem}.ics", group, name, title, len(picked), old)
        out.append((info, tuple(picked)))
    return out


def feed_file_names(name: str, prefix: str, key: str | None = None) -> list[str]:
    """The file names (without ``.ics``) a feed of ``name`` is published under,
    the one to list first: its key, else its readable name, then the hashed name earlier
    versions used (last, so that it is also the one taken when two names clash)."""
    legacy = slug(name, prefix)  # what earlier versions named it (a hash unless ASCII)
    readable = legacy if match_key(name).isascii() else _file_safe(name)
    return list(dict.fromkeys(n for n in (key, readable, legacy) if n))


#: Characters no file name on a common system may hold, and spaces (ugly in a URL).
_UNSAFE = re.compile(r'[\\/:*?"<>|#%&{}$!\'`^~\[\]\s\x00-\x1f\x7f]+')
#: Longest readable file name, in characters (a feed's title carries the whole name).
_READABLE_LIMIT = 40


def _file_safe(name: str) -> str:
    """``name`` as a file name: NFC (as macOS would have it too), unsafe runs as ``-``,
    no dot or dash at the ends, at most :data:`_READABLE_LIMIT` characters."""
    text = _UNSAFE.sub("-", unicodedata.normalize("NFC", name)).strip(".-")
    return text[:_READABLE_LIMIT].rstrip(".-")


def feed_catalog(
    actions: Iterable[Action], orgs: OrgIndex, calendar_name: str, audience: Audience,
    feed_keys: FeedKeys | None = None,
) -> list[FeedInfo]:
    """The feeds ``audience`` is offered (paths relative to its own tree)."""
    visible = sorted(actions_for(actions, audience), key=chronological_key)
    return [info for info, _ in feed_selections(visible, orgs, calendar_name, feed_keys)]
