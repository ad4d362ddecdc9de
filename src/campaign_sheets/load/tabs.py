"""Finding each tab of the layout in what a source read, and its header row."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..core.problems import Problem, column_letter, make_problem
from ..core.schema import HeaderMap, TabSpec, find_header_row, find_tab, map_headers
from ..core.values import CellValue, RawTable


@dataclass(frozen=True)
class TabView:
    """A tab of the layout as found: its spelt name, header map and data rows."""

    spec: TabSpec
    name: str
    headers: HeaderMap
    rows: Sequence[Sequence[CellValue]]

    def data_rows(self) -> Iterator[tuple[int, Sequence[CellValue]]]:
        """``(sheet row number, cells)`` for every row below the header row."""
        start = self.headers.header_row
        for offset, cells in enumerate(self.rows[start:]):
            yield start + offset + 1, cells

    def columns(self) -> dict[str, tuple[int, str]]:
        """Field key → (column index, header as spelt)."""
        return {
            key: (index, self.headers.headers[key]) for key, index in self.headers.columns.items()
        }


def open_tab(
    spec: TabSpec, tables: Mapping[str, RawTable], problems: list[Problem]
) -> TabView | None:
    """The tab ``spec`` describes, with problems for a missing tab or missing headers.

    Returns ``None`` when the tab is absent or lacks a required column (every row
    would fail the same way, so one problem says it once).
    """
    name = find_tab(spec, list(tables))
    if name is None:
        if spec.required:
            aliases = "、".join(spec.aliases)
            problems.append(make_problem("tab.missing", spec.name, tab=spec.name, aliases=aliases))
        return None
    _warn_other_spellings(spec, name, tables, problems)
    rows = tables[name].rows
    if not any(rows):
        listed = "、".join(c.header for c in spec.columns)
        if spec.required:
            problems.append(make_problem("tab.empty", name, tab=name, headers=listed))
        return None
    header_index = find_header_row(rows, spec)
    headers = map_headers(rows[header_index], spec, header_index)
    for header, first, second in headers.duplicates:
        problems.append(
            make_problem(
                "header.duplicate", name, headers.header_row, second, header,
                header=header, first=column_letter(first), second=column_letter(second),
            )
        )
    missing = [c for c in spec.columns if c.required and c.key not in headers.columns]
    for col in missing:
        problems.append(
            make_problem("header.missing", name, headers.header_row, None, None,
                         tab=name, header=col.header)
        )
    if missing:
        return None
    return TabView(spec, name, headers, rows)


def _warn_other_spellings(
    spec: TabSpec, first: str, tables: Mapping[str, RawTable], problems: list[Problem]
) -> None:
    """The first tab that plays a part wins; every later one is named, not merged."""
    later = list(tables)
    later = later[later.index(first) + 1:]
    while (other := find_tab(spec, later)) is not None:
        problems.append(make_problem("tab.duplicate", other, tab=spec.name, first=first))
        later = later[later.index(other) + 1:]
