"""The sentence as the parser sees it: NFKC text that remembers where each character came from.

Parsing matches NFKC text (full-width digits, colons and brackets become ASCII), but
names are returned *as written*, so every normalised character keeps the span of the
original characters it came from.
"""

from __future__ import annotations

import unicodedata

from ..core.text import nfkc

_SOUND_MARKS = "\u3099\u309a"
# Brackets organisers use inside round ones (〈うち開業医2人〉) are read as round ones.
_AS_ROUND = str.maketrans("〈〉〔〕", "()()")


class Source:
    """The normalised text ``norm`` of ``text`` and a map back to ``text``."""

    def __init__(self, text: str) -> None:
        self.text = text
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for index, char in enumerate(text):
            normal = nfkc(char)
            # A character that expands (㈱ → (株)) is kept: its brackets are not brackets.
            if len(normal) != 1:
                normal = char
            normal = normal.translate(_AS_ROUND)
            if normal in _SOUND_MARKS and chars:
                joined = unicodedata.normalize("NFC", chars[-1] + normal)
                if len(joined) == 1:
                    chars[-1] = joined
                    ends[-1] = index + 1
                    continue
            chars.append(normal)
            starts.append(index)
            ends.append(index + 1)
        self.norm = "".join(chars)
        self._starts = starts
        self._ends = ends

    def original(self, start: int, end: int) -> str:
        """The text as written for the normalised span ``[start, end)``."""
        if end <= start:
            return ""
        return self.text[self._starts[start] : self._ends[end - 1]]

    def strip(self, start: int, end: int) -> tuple[int, int]:
        """The span without surrounding spaces."""
        while start < end and self.norm[start].isspace():
            start += 1
        while end > start and self.norm[end - 1].isspace():
            end -= 1
        return start, end
