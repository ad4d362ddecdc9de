"""The vocabulary of the report sentence, read from ``data/report.toml``.

Counters, units, item words, role words, services, activities and fillers are data,
so a council that writes ``ビラ`` or ``枚数`` differently extends the table, not the code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

OPENING_BRACKETS = "(「『【[{"
CLOSING_BRACKETS = ")」』】]}"


@dataclass(frozen=True)
class Vocabulary:
    """Every word list of the grammar, longest words first."""

    people_counters: tuple[str, ...]
    site_counters: tuple[str, ...]
    town_counters: tuple[str, ...]
    tally_units: tuple[str, ...]
    not_counters: tuple[str, ...]
    date_time_marks: tuple[str, ...]
    ordinal_prefixes: tuple[str, ...]
    vague_marks: tuple[str, ...]
    some_words: tuple[str, ...]
    venue_words: tuple[str, ...]
    online_words: tuple[str, ...]
    online_fillers: tuple[str, ...]
    hybrid_joiners: tuple[str, ...]
    hybrid_words: tuple[str, ...]
    hybrid_including: tuple[str, ...]
    hybrid_fillers: tuple[str, ...]
    total_words: tuple[str, ...]
    lower_bound_words: tuple[str, ...]
    approx_before: tuple[str, ...]
    approx_after: tuple[str, ...]
    roles: tuple[str, ...]
    more_words: tuple[str, ...]
    others_words: tuple[str, ...]
    breakdown_openers: tuple[str, ...]
    honorifics: tuple[str, ...]
    shared_honorifics: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    particles: tuple[str, ...]
    topic_particles: tuple[str, ...]
    inline_separators: tuple[str, ...]
    after_count_separators: tuple[str, ...]
    joiners: tuple[str, ...]
    count_particles: tuple[str, ...]
    partial_joiners: tuple[str, ...]
    source_joiners: tuple[str, ...]
    org_tally_headings: tuple[str, ...]
    items: tuple[str, ...]
    poll_items: tuple[str, ...]
    result_verbs: tuple[str, ...]
    poll_units: tuple[str, ...]
    item_suffixes: tuple[str, ...]
    item_joiners: tuple[str, ...]
    item_particles: tuple[str, ...]
    activities: tuple[str, ...]
    activity_joiners: tuple[str, ...]
    activity_connectors: tuple[str, ...]
    activity_tails: tuple[str, ...]
    place_words: tuple[str, ...]
    place_name_prefixes: tuple[str, ...]
    stop_fillers: tuple[str, ...]
    topic_endings: tuple[str, ...]
    done_endings: tuple[str, ...]
    counterparts: tuple[str, ...]
    counterpart_prefixes: tuple[str, ...]
    leading_fillers: tuple[str, ...]
    trailing_fillers: tuple[str, ...]
    prose_endings: tuple[str, ...]
    prose_tails: tuple[str, ...]
    item_separators: tuple[str, ...]
    sentence_ends: tuple[str, ...]
    org_counter: str
    kanji_digits: str
    kanji_units: dict[str, int]
    kanji_myriad: dict[str, int]
    unit_items: dict[str, str]
    longest_name: int
    longest_item: int
    render: dict[str, str]

    @property
    def counters(self) -> tuple[str, ...]:
        """Every word that makes the number before it a count, longest first."""
        words = (
            self.people_counters
            + self.site_counters
            + self.town_counters
            + self.tally_units
            + (self.org_counter,)
        )
        return _longest_first(list(words))

    def all_words(self) -> tuple[str, ...]:
        """Every word of the grammar (for checks that a character was understood)."""
        words: list[str] = [
            self.org_counter,
            self.kanji_digits,
            *self.render.values(),
            *self.kanji_units,
            *self.kanji_myriad,
            *self.unit_items.values(),
        ]
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                words.extend(value)
        return tuple(words)


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary from ``data/report.toml``."""
    path = resources.files("campaign_sheets") / "data" / "report.toml"
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    lists = {key: _longest_first(value) for key, value in data.items() if isinstance(value, list)}
    return Vocabulary(
        org_counter=data["org_counter"],
        kanji_digits=data["kanji_digits"],
        kanji_units={k: int(v) for k, v in data["kanji_units"].items()},
        kanji_myriad={k: int(v) for k, v in data["kanji_myriad"].items()},
        unit_items=dict(data["unit_items"]),
        longest_name=int(data["longest_name"]),
        longest_item=int(data["longest_item"]),
        render=dict(data["render"]),
        **lists,
    )


def ending_word(text: str, words: tuple[str, ...]) -> str | None:
    """The longest of ``words`` that ``text`` ends with, or ``None``."""
    for word in words:
        if text.endswith(word):
            return word
    return None


def starting_word(text: str, words: tuple[str, ...], start: int = 0) -> str | None:
    """The longest of ``words`` that ``text`` has at ``start``, or ``None``."""
    for word in words:
        if text.startswith(word, start):
            return word
    return None
