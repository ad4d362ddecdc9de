"""Small text helpers shared by every parser.

NFKC is used for *matching and parsing* only, never on text that is printed back
(it rewrites ``（日）``, ``①`` and ``㈱``).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u3000]+")
# Both range marks organisers type; NFKC leaves the wave dash U+301C alone.
RANGE_MARKS = "~〜～-−–—ー"


def nfkc(text: str) -> str:
    """NFKC-normalise ``text`` (full-width digits and letters become ASCII)."""
    return unicodedata.normalize("NFKC", text)


def match_key(text: str) -> str:
    """The key two labels are compared by: NFKC, no spaces, case-folded."""
    return _SPACES.sub("", nfkc(text)).casefold()


#: Unicode's control characters (category Cc: C0, DEL and C1) but tab and newline.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_cell_text(text: str) -> str:
    """Trim surrounding spaces (also ideographic) and drop control characters except
    tabs and newlines."""
    return CONTROL_CHARS.sub("", text).strip(" \t\r\n\u3000")
