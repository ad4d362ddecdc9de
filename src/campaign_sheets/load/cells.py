"""Reading one row of a tab: typed access to cells by field key, collecting problems.

A :class:`RowReader` is made per row; each accessor returns a clean value or
``None`` and records a :class:`Problem` naming the cell when the value is bad, so a
bad cell never stops the rest of the row from being checked.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from importlib import resources
from typing import Any, TypeVar

from ..core.errors import ParseError
from ..core.limits import MAX_COUNT
from ..core.model import Visibility, find_visibility, labels_for
from ..core.problems import Nested, Problem, Severity, make_problem
from ..core.schema import HeaderMap
from ..core.text import clean_cell_text, nfkc
from ..core.values import CellValue, UncomputedFormula

T = TypeVar("T")

#: What spreadsheets show in a cell whose formula failed.
ERROR_VALUES = frozenset(
    {"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!", "#SPILL!",
     "#CALC!", "#GETTING_DATA"}
)
#: Longest text kept from one cell; longer text is cut with a warning.
MAX_CELL_CHARS = 5000
#: Longest cell value or formula quoted in a message.
MAX_QUOTED_CHARS = 200
#: Control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def is_blank(value: CellValue) -> bool:
    """True for an empty cell (``None`` or only spaces)."""
    return value is None or (isinstance(value, str) and not clean_cell_text(value))


def row_is_blank(row: Sequence[CellValue]) -> bool:
    """True when every cell of ``row`` is blank."""
    return all(is_blank(v) for v in row)


def cell_text(value: CellValue) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return clean_cell_text(str(value))


class RowReader:
    """Typed access to the cells of one row, recording problems as it goes."""

    def __init__(
        self,
        sheet: str,
        row_number: int,
        cells: Sequence[CellValue],
        headers: HeaderMap,
        problems: list[Problem],
    ) -> None:
        self.sheet = sheet
        self.row = row_number
        self.cells = cells
        self.headers = headers
        self.problems = problems
        self.failed = False

    def has(self, key: str) -> bool:
        """True when the tab has column ``key`` and this row's cell is not blank."""
        return not is_blank(self.raw(key))

    def raw(self, key: str) -> CellValue:
        """The cell value as read, or ``None`` (no such column, or beyond a ragged row)."""
        index = self.headers.columns.get(key)
        if index is None or index >= len(self.cells):
            return None
        value = self.cells[index]
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value

    def report(
        self, key: str | None, code: str, severity: Severity | None = None, **params: Any
    ) -> None:
        """Record a problem at this row's ``key`` cell (the whole row when ``key`` is None)."""
        col = self.headers.columns.get(key) if key else None
        column = self.headers.headers.get(key) if key else None
        quoted = {k: _shorten(v) if isinstance(v, str) else v for k, v in params.items()}
        problem = make_problem(code, self.sheet, self.row, col, column, severity, **quoted)
        if problem.severity is Severity.ERROR:
            self.failed = True
        self.problems.append(problem)

    def value(self, key: str) -> CellValue:
        """The cell value, with formula errors reported and long text cut."""
        value = self.raw(key)
        if isinstance(value, UncomputedFormula):
            self.report(key, "cell.formula_uncomputed", formula=str(value))
            return None
        if isinstance(value, str):
            # Control characters (pasted from other programs) would defeat every parser.
            value = _CONTROL.sub("", value)
            stripped = value.strip()
            if stripped.upper() in ERROR_VALUES:
                self.report(key, "cell.error_value", value=stripped)
                return None
            if len(value) > MAX_CELL_CHARS:
                self.report(key, "cell.too_long", length=len(value), limit=MAX_CELL_CHARS)
                return value[:MAX_CELL_CHARS]
        return value

    def text(self, key: str) -> str:
        """The cell as clean text ('' when blank)."""
        return cell_text(self.value(key))

    def required_text(self, key: str, hint: str) -> str | None:
        """The cell as text, reporting ``cell.required`` (with the ``hint.<hint>``
        message) when blank."""
        text = self.text(key)
        # A cell already reported (a formula error) is not blank: say so only once.
        if not text and is_blank(self.raw(key)):
            header = self.headers.headers.get(key, key)
            self.report(key, "cell.required", header=header, hint=Nested(f"hint.{hint}"))
        return text or None

    def parsed(self, key: str, parse: Callable[[CellValue], T]) -> T | None:
        """``parse(cell)``; a :class:`ParseError` becomes a problem at this cell."""
        value = self.value(key)
        if is_blank(value):
            return None
        try:
            return parse(value)
        except ParseError as exc:
            params = {"value": cell_text(value), **exc.params}
            if params["value"] == str(value):
                # The parser quoted the whole cell: quote it as the sheet shows it (TRUE).
                params["value"] = cell_text(value)
            self.report(key, exc.code, **params)
            return None

    def integer(self, key: str, severity: Severity | None = None) -> int | None:
        """A whole number from 0 to :data:`MAX_COUNT`; blank is ``None`` (unknown, not
        zero). A negative, fractional or huge number is reported as what it is."""
        value = self.value(key)
        if is_blank(value):
            return None
        number, code = read_count(value)
        if code is not None:
            header = self.headers.headers.get(key, key)
            self.report(key, code, severity, header=header, value=cell_text(value),
                        limit=f"{MAX_COUNT:,}")
        return number


def _shorten(text: str) -> str:
    """A value quoted in a message: a huge cell is cut so the message stays readable."""
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    return text[:MAX_QUOTED_CHARS] + "…"


def parse_count(value: CellValue) -> int | None:
    """``12``, ``12.0``, ``"１２"``, ``"12人"`` → 12; anything that is not a count → ``None``."""
    return read_count(value)[0]


#: Signs typed before a negative number (``▲`` and ``△`` in Japanese accounts).
_NEGATIVE_SIGNS = ("-", "−", "‐", "▲", "△")
_DECIMAL = re.compile(r"\d+\.\d+")


def read_count(value: CellValue) -> tuple[int | None, str | None]:
    """A count and ``None``, or ``None`` and the code of what is wrong with ``value``:
    ``number.negative``, ``number.not_whole``, ``number.too_large`` or ``number.unreadable``."""
    if isinstance(value, bool):
        return None, "number.unreadable"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "number.unreadable"
        if not value.is_integer():
            return None, "number.negative" if value < 0 else "number.not_whole"
        value = int(value)
    if isinstance(value, int):
        return _checked(value)
    if not isinstance(value, str):
        return None, "number.unreadable"
    text = nfkc(value).strip().replace(",", "")
    for suffix in COUNT_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    negative = text.startswith(_NEGATIVE_SIGNS)
    digits = text[1:].strip() if negative else text
    if not digits.isascii():
        return None, "number.unreadable"
    if digits.isdigit():
        return _checked(-int(digits) if negative else int(digits))
    if _DECIMAL.fullmatch(digits):
        return None, "number.negative" if negative else "number.not_whole"
    return None, "number.unreadable"


def _checked(number: int) -> tuple[int | None, str | None]:
    if number < 0:
        return None, "number.negative"
    if number > MAX_COUNT:
        return None, "number.too_large"
    return number, None


def _label_list(group: str, key: str) -> tuple[str, ...]:
    data = tomllib.loads(
        (resources.files("campaign_sheets") / "data" / "labels.toml").read_text(encoding="utf-8")
    )
    return tuple(data[group][key])


#: Counters that may follow a number typed into a count cell.
COUNT_SUFFIXES = _label_list("counters", "suffixes")
#: Separators of a list of names in one cell.
LIST_SEPARATORS = _label_list("lists", "separators")


#: Any one of the separators (the longest first, should one ever contain another).
_LIST_SPLIT = re.compile("|".join(re.escape(sep) for sep in
                                  sorted(LIST_SEPARATORS, key=len, reverse=True)))
_NAME_SPACE = " \u3000\t"


def split_list(text: str) -> list[str]:
    """Split ``A、B，C`` / ``A, B`` / one a line into names (``・`` stays inside a name)."""
    if not text:
        return []
    names = (part.strip(_NAME_SPACE) for part in _LIST_SPLIT.split(text))
    return [name for name in names if name]


def read_visibility(r: RowReader, key: str = "visibility") -> Visibility:
    """公開 / 会員 / 非公開 of a row of a list tab (請願, 署名); blank is public, and an
    unknown word keeps the row unpublished, to be safe, with a problem at its cell."""
    text = r.text(key)
    if not text:
        return Visibility.PUBLIC
    found = find_visibility(text)
    if found is None:
        r.report(key, "visibility.unknown", value=text,
                 choices="、".join(labels_for("visibility")))
        return Visibility.PRIVATE
    return found
