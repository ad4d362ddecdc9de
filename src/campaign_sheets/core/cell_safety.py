"""Text that a spreadsheet would run as a formula, made inert before it is exported.

A title typed as ``=HYPERLINK("http://evil","click")`` is only text in the sheet,
but a CSV or workbook opened in Excel or LibreOffice runs every cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list for CSV
injection). :func:`neutralise_formula` puts an apostrophe before such text, so it
shows as typed and runs nothing; numbers, and text that is only a number
(``-3``, ``+1.5``), are left alone, since a spreadsheet reads those as the number.

Leading spaces do not protect a cell (some programs trim them before deciding), and
full-width ``＝＋－＠`` are what a Japanese input method types for ``=+-@``, so both
count as the start of a formula too.
"""

from __future__ import annotations

import re
import unicodedata

#: The characters a spreadsheet takes as the start of a formula (OWASP).
FORMULA_STARTS = frozenset("=+-@\t\r")
#: What neutralised text starts with: a spreadsheet shows what follows as text.
NEUTRAL_MARK = "'"
#: Spaces a program may trim before it looks at the first character.
_LEADING_SPACE = " \u3000\u00a0\n"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet opening ``text`` as a cell could take it for a formula.

    Leading spaces and control characters are looked past: programs trim the one, and
    writers drop the other (XML cannot hold them), either of which would bring a
    ``=`` to the front.
    """
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return _PLAIN_NUMBER.fullmatch(text) is None
    for index, char in enumerate(text):
        if char in _LEADING_SPACE or unicodedata.category(char) == "Cc":
            continue
        if unicodedata.normalize("NFKC", char)[:1] not in FORMULA_STARTS:
            return False
        return _PLAIN_NUMBER.fullmatch(text[index:].strip()) is None
    return False


def neutralise_formula(text: str) -> str:
    """``text`` as a spreadsheet must get it: with an apostrophe in front when it could
    run as a formula, else unchanged. Applying it twice changes nothing more."""
    return NEUTRAL_MARK + text if starts_like_formula(text) else text
