"""One namespace of IDs over the 行動, 請願 and 審議 tabs.

A stage's ID is also its hearing's action ID (and UID), so no ID may stand in two of
these tabs: a collision is an error that names both cells. A blank ID cell is given a
readable, deterministic ID that no typed ID of any of the tabs already holds, and is
queued for writing back like the 行動 tab's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.problems import column_letter
from ..core.values import CellWrite
from .cells import RowReader, cell_text, row_is_blank
from .tabs import TabView

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class _Owner:
    tab: str
    row: int
    location: str


@dataclass
class IdRegistry:
    """Who holds each ID, and the IDs typed anywhere (which a new ID must avoid)."""

    owners: dict[str, _Owner] = field(default_factory=dict)
    reserved: set[str] = field(default_factory=set)
    writes: list[CellWrite] = field(default_factory=list)

    def hold(self, tab: str, view: TabView | None, ids: Iterable[tuple[str, int]]) -> None:
        """Record IDs already given out in ``tab`` (``(ID, row)`` pairs)."""
        for value, row in ids:
            self.owners.setdefault(value, _Owner(tab, row, _location(view, row)))

    def reserve(self, view: TabView | None) -> None:
        """Keep every ID typed in ``view`` from being given to a blank cell."""
        if view is None or "id" not in view.headers.columns:
            return
        col = view.headers.columns["id"]
        for _row, cells in view.data_rows():
            if col < len(cells) and not row_is_blank([cells[col]]):
                self.reserved.add(cell_text(cells[col]))

    def claim(self, r: RowReader, tab: str, view: TabView, make: str) -> str | None:
        """The row's ID: the typed one when it is valid and free, else a new one
        (made from ``make``); ``None`` after reporting a bad or taken typed ID."""
        typed = r.text("id")
        if typed:
            if not _ID.match(typed):
                r.report("id", "id.malformed", value=typed)
                return None
            owner = self.owners.get(typed)
            if owner is not None:
                if owner.tab == tab:
                    r.report("id", "id.duplicate", value=typed, other=owner.row)
                else:
                    r.report("id", "id.collision", value=typed, other=owner.location)
                return None
            self.owners[typed] = _Owner(tab, r.row, _location(view, r.row))
            return typed
        new_id = self._free(make)
        self.owners[new_id] = _Owner(tab, r.row, _location(view, r.row))
        col = view.headers.columns.get("id")
        if col is not None:
            self.writes.append(CellWrite(view.name, r.row, col, new_id))
        return new_id

    def _free(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.owners or candidate in self.reserved:
            candidate, n = f"{base}-{n}", n + 1
        return candidate


def short_hash(*parts: str) -> str:
    """Four hex digits of ``parts``: the same row gives the same ID until written back."""
    return hashlib.sha1("\x00".join(parts).encode("utf-8")).hexdigest()[:4]


def _location(view: TabView | None, row: int) -> str:
    if view is None:
        return f"{row}"
    col = view.headers.columns.get("id")
    cell = f"{column_letter(col)}{row}" if col is not None else f"{row}:{row}"
    return f"{view.name}!{cell}"
