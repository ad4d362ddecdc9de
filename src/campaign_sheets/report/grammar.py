"""The vocabulary of the report sentence, read from ``data/report.toml``.

Counters, units, item words, role words and fillers are data, so a council that
writes ``ビラ`` or ``枚数`` differently extends the table, not the code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

# A count as organisers type it: 26, 1000 or 1,000.
NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+"
OPENING_BRACKETS = "(「『【[{"
CLOSING_BRACKETS = ")」』】]}"


@dataclass(frozen=True)
class Vocabulary:
    """Every word list of the grammar, longest words first where it matters."""

    people_counters: tuple[str, ...]
    site_counters: tuple[str, ...]
    venue_words: tuple[str, ...]
    online_words: tuple[str, ...]
    tally_units: tuple[str, ...]
    items: tuple[str, ...]
    roles: tuple[str, ...]
    more_words: tuple[str, ...]
    breakdown_openers: tuple[str, ...]
    lower_bound_words: tuple[str, ...]
    joiners: tuple[str, ...]
    partial_joiners: tuple[str, ...]
    total_words: tuple[str, ...]
    org_counter: str
    leading_fillers: tuple[str, ...]
    trailing_fillers: tuple[str, ...]
    prose_endings: tuple[str, ...]
    longest_name: int
    longest_item: int
    item_separators: tuple[str, ...]
    sentence_ends: tuple[str, ...]
    render: dict[str, str]

    def all_words(self) -> tuple[str, ...]:
        """Every word of the grammar (for checks that a character was understood)."""
        words: list[str] = [self.org_counter, *self.render.values()]
        for name in (
            "people_counters",
            "site_counters",
            "venue_words",
            "online_words",
            "tally_units",
            "items",
            "roles",
            "more_words",
            "breakdown_openers",
            "lower_bound_words",
            "joiners",
            "partial_joiners",
            "total_words",
            "leading_fillers",
            "trailing_fillers",
            "prose_endings",
            "item_separators",
            "sentence_ends",
        ):
            words.extend(getattr(self, name))
        return tuple(words)


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary from ``data/report.toml``."""
    path = resources.files("campaign_sheets") / "data" / "report.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    lists = {key: _longest_first(value) for key, value in data.items() if isinstance(value, list)}
    return Vocabulary(
        org_counter=data["org_counter"],
        longest_name=int(data["longest_name"]),
        longest_item=int(data["longest_item"]),
        render=dict(data["render"]),
        **lists,
    )


def alternation(words: tuple[str, ...]) -> str:
    """A regular-expression alternation of ``words`` (longest first)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def ending_word(text: str, words: tuple[str, ...]) -> str | None:
    """The longest of ``words`` that ``text`` ends with, or ``None``."""
    for word in words:
        if text.endswith(word):
            return word
    return None
