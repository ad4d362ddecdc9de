"""Problems found in a workbook, with where they are and how to fix them.

A :class:`Problem` carries a stable ``code`` and the ``params`` that fill the
message template for that code; templates live in ``data/messages/*.toml``
(one file per area), in Japanese and English. Nothing in the code spells a
user-facing message itself.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

LANGS = ("ja", "en")


class Severity(StrEnum):
    """How serious a problem is: an error leaves the row out, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@cache
def message_table() -> Mapping[str, Mapping[str, str]]:
    """Return ``{code: {"ja": template, "en": template, "severity": ...}}`` from the data files."""
    table: dict[str, dict[str, str]] = {}
    folder = resources.files("campaign_sheets") / "data" / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for code, texts in data.items():
            if code in table:
                raise RuntimeError(f"message code {code!r} defined twice ({entry.name})")
            table[code] = dict(texts)
    return table


@dataclass(frozen=True)
class Nested:
    """A message inside a message (a suggestion, a hint), rendered in the same language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


def render_message(code: str, params: Mapping[str, Any], lang: str = "ja") -> str:
    """Fill the template of ``code`` in ``lang`` with ``params``.

    ``Nested`` parameters are rendered first, in the same language."""
    texts = message_table()[code]
    template = texts.get(lang) or texts["ja"]
    values = {
        key: render_message(value.code, value.params, lang) if isinstance(value, Nested) else value
        for key, value in params.items()
    }
    return template.format_map(values)


def default_severity(code: str) -> Severity:
    """The severity a code has unless the caller says otherwise."""
    return Severity(message_table()[code].get("severity", "error"))


def column_letter(index: int) -> str:
    """``0 → "A"``, ``25 → "Z"``, ``26 → "AA"``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One problem: where it is, how serious, what it is, and how to fix it.

    ``row`` is the 1-based row number in the sheet and ``col`` the 0-based column
    index; ``column`` is the header as the workbook spells it. A problem about a
    whole tab has no row; one about a whole row has no column.
    """

    sheet: str
    row: int | None
    col: int | None
    column: str | None
    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    severity: Severity = Severity.ERROR
    #: in a tree of many sheets, the name of the sheet (``[[sources]]`` name) it is in
    source: str = ""

    @property
    def cell(self) -> str | None:
        """The cell in A1 notation (``D14``; a whole row is ``14:14``), ``None`` for a tab."""
        if self.row is None:
            return None
        if self.col is None:
            return f"{self.row}:{self.row}"
        return f"{column_letter(self.col)}{self.row}"

    @property
    def location(self) -> str:
        """``行動!D14`` (or ``行動`` for a tab problem; ``campaign-sheets.toml
        calendar.name`` for a key of the configuration file)."""
        cell = self.cell
        if cell:
            place = f"{self.sheet}!{cell}"
        else:
            place = f"{self.sheet} {self.column}" if self.column else self.sheet
        return f"{self.source} {place}" if self.source else place

    def message(self, lang: str = "ja") -> str:
        """The message in ``lang``, saying what is wrong and how to fix it."""
        return render_message(self.code, self.params, lang)

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        """The JSON shape of SPEC §4."""
        shape = {
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message(lang),
        }
        return {"source": self.source, **shape} if self.source else shape


def make_problem(
    code: str,
    sheet: str,
    row: int | None = None,
    col: int | None = None,
    column: str | None = None,
    severity: Severity | None = None,
    **params: Any,
) -> Problem:
    """Build a problem, taking the severity from the message table unless given."""
    if code not in message_table():
        raise KeyError(f"unknown problem code {code!r}")
    return Problem(
        sheet=sheet,
        row=row,
        col=col,
        column=column,
        code=code,
        params=params,
        severity=severity or default_severity(code),
    )


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem is an error."""
    return any(p.severity is Severity.ERROR for p in problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sheet order, then row, then column: the order a person reads them in."""
    return sorted(problems, key=lambda p: (p.sheet, p.row or 0, p.col or -1, p.code))
