"""How big a value in the sheet may sensibly be.

A shared sheet holds what dozens of people typed: a title pasted with a whole
leaflet behind it, a head-count with a few digits too many. These limits decide
what is warned about, what is cut for display and what is refused, in one place.
"""

from __future__ import annotations

#: The largest count (people, signatures, leaflets) taken as typed. Anything larger is
#: a typo, and would overflow the 64-bit sums of a roll-up.
MAX_COUNT = 10**9

#: Longest text of a short field (title, venue …) before the loader warns; pages and
#: flyers show at most this many characters of it, then ``…``.
SHORT_TEXT_LIMITS = {
    "title": 80,
    "venue": 80,
    "address": 120,
    "speaker": 80,
    "series": 60,
    "region": 40,
    "organizer": 60,
    "org": 60,
}

#: What a cut text ends with.
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (the last one ``…``) when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
