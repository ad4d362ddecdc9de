"""The workbook layout (SPEC §3) as data, and finding tabs and headers in a workbook.

Tabs and headers are found by Japanese name or English alias, in any column order,
with surrounding spaces and full-width forms ignored (see :func:`text.match_key`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .text import match_key
from .values import CellValue


@dataclass(frozen=True)
class ColumnSpec:
    """A column of a tab: its field key, Japanese header and aliases."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 12


@dataclass(frozen=True)
class TabSpec:
    """A tab of the workbook: its key, Japanese name, aliases and columns."""

    key: str
    name: str
    aliases: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    required: bool = False
    owned: bool = False

    def column(self, key: str) -> ColumnSpec:
        """The column with field ``key``."""
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@cache
def _schema() -> dict[str, Any]:
    return tomllib.loads(
        (resources.files("campaign_sheets") / "data" / "schema.toml").read_text(encoding="utf-8")
    )


@dataclass(frozen=True)
class ListTab:
    """A hidden tab ``init`` writes for a dropdown: its name, headers, and the
    (tab key, field key) columns whose dropdown lists its first column."""

    name: str
    headers: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]


@cache
def municipality_list_tab() -> ListTab:
    """The hidden tab of the home prefecture's municipalities (``自治体リスト``)."""
    data = _schema()["municipality_list"]
    return ListTab(
        name=data["name"],
        headers=tuple(data["headers"]),
        columns=tuple((tab, key) for tab, key in data["columns"]),
    )


@cache
def tab_specs() -> tuple[TabSpec, ...]:
    """Every tab of the layout, in workbook order."""
    data = _schema()
    return tuple(
        TabSpec(
            key=t["key"],
            name=t["name"],
            aliases=tuple(t.get("aliases", ())),
            columns=tuple(
                ColumnSpec(
                    key=c["key"],
                    header=c["header"],
                    aliases=tuple(c.get("aliases", ())),
                    required=c.get("required", False),
                    width=c.get("width", 12),
                )
                for c in t["columns"]
            ),
            required=t.get("required", False),
            owned=t.get("owned", False),
        )
        for t in data["tab"]
    )


def tab_spec(key: str) -> TabSpec:
    """The tab with key ``key`` (``events``, ``orgs`` …)."""
    for spec in tab_specs():
        if spec.key == key:
            return spec
    raise KeyError(key)


def find_tab(spec: TabSpec, names: Sequence[str]) -> str | None:
    """The name, among ``names``, of the tab ``spec`` describes; ``None`` if absent."""
    wanted = {match_key(spec.name), *(match_key(a) for a in spec.aliases)}
    for name in names:
        if match_key(name) in wanted:
            return name
    return None


@dataclass(frozen=True)
class HeaderMap:
    """Where each field's column is in a tab, found from its header row.

    ``columns`` maps field key → 0-based column index; ``headers`` maps field key
    → the header as the workbook spells it; ``duplicates`` lists
    ``(header, first_index, second_index)``; ``header_row`` is 1-based.
    """

    columns: Mapping[str, int]
    headers: Mapping[str, str]
    duplicates: tuple[tuple[str, int, int], ...]
    header_row: int


def find_header_row(rows: Sequence[Sequence[CellValue]], spec: TabSpec, limit: int = 10) -> int:
    """The 0-based index of the header row: the first of the top ``limit`` rows that
    names the most known columns (a title row above the headers is tolerated)."""
    best, best_hits = 0, 0
    known = {match_key(a) for c in spec.columns for a in (c.header, c.key, *c.aliases)}
    for index, row in enumerate(rows[:limit]):
        hits = sum(1 for v in row if isinstance(v, str) and match_key(v) in known)
        if hits > best_hits:
            best, best_hits = index, hits
    return best


def map_headers(header: Sequence[CellValue], spec: TabSpec, header_row: int) -> HeaderMap:
    """Match the cells of a header row to the columns of ``spec``."""
    lookup: dict[str, str] = {}
    for col in spec.columns:
        for text in (col.header, col.key, *col.aliases):
            lookup.setdefault(match_key(text), col.key)
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    duplicates: list[tuple[str, int, int]] = []
    for index, cell in enumerate(header):
        if not isinstance(cell, str) or not cell.strip():
            continue
        key = lookup.get(match_key(cell))
        if key is None:
            continue
        if key in columns:
            duplicates.append((cell.strip(), columns[key], index))
            continue
        columns[key] = index
        headers[key] = cell.strip()
    return HeaderMap(columns, headers, tuple(duplicates), header_row + 1)
