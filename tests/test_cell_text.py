"""A cell's text is cleaned of pasted control characters the same way Unicode defines
them: the fast pattern drops exactly the characters of category Cc but tab and newline."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.text import CONTROL_CHARS, clean_cell_text


def by_category(text: str) -> str:
    """The rule as Unicode states it, one character at a time."""
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return kept.strip(" \t\r\n\u3000")


def test_the_pattern_matches_every_control_character_and_nothing_else() -> None:
    for point in range(sys.maxunicode + 1):
        ch = chr(point)
        control = unicodedata.category(ch) == "Cc" and ch not in "\n\t"
        assert bool(CONTROL_CHARS.fullmatch(ch)) is control, hex(point)


@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_cleaning_equals_the_rule_by_category(text: str) -> None:
    assert clean_cell_text(text) == by_category(text)


def test_a_pasted_cell_keeps_its_lines_and_loses_its_controls() -> None:
    assert clean_cell_text("\u3000年金者組合\x07\r\n第2支部\x85 \t") == "年金者組合\n第2支部"
