"""Publishing: the only writer of the output tree.

:mod:`.publication` streams files into the next generation and swaps it in
atomically; :mod:`.generations` lays the generations out; :mod:`.state` keeps what
subscribers must see stay stable (SEQUENCE, DTSTAMP, last good rows);
:mod:`.fingerprint` tells a sync whose inputs are unchanged.
"""

from .publication import (
    PublishedFilesMissing,
    PublishResult,
    open_publication,
    plan_vanish,
    publish_tree,
)

__all__ = [
    "PublishResult",
    "PublishedFilesMissing",
    "open_publication",
    "plan_vanish",
    "publish_tree",
]
