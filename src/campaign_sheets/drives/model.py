"""Signature drives as values: a drive with its goal and deadlines, and the batches
organisations hand in.

A drive (署名運動) is one row of the 署名 tab; a batch is one row of the 署名集約
tab. Names are canonical once loaded: a batch names its drive by the drive's
署名名 and its organisation by the 団体 tab's name.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from importlib import resources
from typing import Any

from ..core.model import Visibility
from ..core.schema import tab_spec
from ..core.text import match_key


@cache
def drive_words() -> Mapping[str, Any]:
    """The words of ``data/drives.toml``."""
    path = resources.files("campaign_sheets") / "data" / "drives.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Deadline:
    """A hand-in date of a drive: ``一次集約 1月末`` is label 一次集約, 2027-01-31.

    ``label`` is ``None`` when the cell gave only a date. ``key`` tells the drive's
    deadlines apart for good: the label, or ``#n`` for the n-th unlabelled one, never
    the row, so moving rows or fixing a date keeps the deadline's identity.
    ``vague`` is true for a part of a month (``中旬``) taken as its last day.
    """

    label: str | None
    date: date
    key: str
    text: str = ""
    vague: bool = False

    @property
    def shown_label(self) -> str:
        """The label, or the default word (``集約日``) for a deadline without one."""
        return self.label or str(drive_words()["deadline"]["default_label"])


@dataclass(frozen=True)
class Drive:
    """One row of the 署名 tab.

    ``goal is None`` means no goal was set (or it could not be read): progress is
    then counted without a percentage or a pace. ``deadlines`` are in date order.
    """

    name: str
    aliases: tuple[str, ...] = ()
    addressee: str = ""
    goal: int | None = None
    start: date | None = None
    deadlines: tuple[Deadline, ...] = ()
    visibility: Visibility = Visibility.PUBLIC
    row: int = 0


@dataclass(frozen=True)
class Batch:
    """Signatures an organisation handed in for a drive on a day (a 署名集約 row).

    ``from_actions`` (the 行動分 column) is the part of ``paper`` that was already
    counted from the actions' results (成果 rows, report sentences): it is not
    counted twice.
    """

    drive: str
    org: str
    date: date
    paper: int = 0
    online: int = 0
    from_actions: int = 0
    note: str = ""
    row: int = 0

    @property
    def handed_in(self) -> int:
        """Everything in the batch, paper and online."""
        return self.paper + self.online


class DriveIndex:
    """Looks drives up by 署名名 and 別名, and suggests the closest for a typo."""

    def __init__(self, drives: Iterable[Drive]) -> None:
        self.drives = tuple(drives)
        self._by_key: dict[str, Drive] = {}
        for drive in self.drives:
            for text in (drive.name, *drive.aliases):
                if text:
                    self._by_key.setdefault(match_key(text), drive)

    def __bool__(self) -> bool:
        return bool(self.drives)

    def find(self, typed: str) -> Drive | None:
        """The drive ``typed`` names (by name or alias, ``「」`` ignored), or ``None``."""
        return self._by_key.get(match_key(typed.strip("「」『』\"'")))

    def suggest(self, typed: str) -> str | None:
        """The drive name closest to ``typed`` (also matching inside longer names)."""
        key = match_key(typed)
        if not key:
            return None
        for known, drive in self._by_key.items():
            if key in known or known in key:
                return drive.name
        close = difflib.get_close_matches(key, list(self._by_key), n=1, cutoff=0.5)
        return self._by_key[close[0]].name if close else None


@dataclass(frozen=True)
class DriveBook:
    """The 署名 and 署名集約 tabs, validated.

    ``present`` is true when the workbook has a 署名 tab (the drives page is
    published only then).
    """

    drives: tuple[Drive, ...] = ()
    batches: tuple[Batch, ...] = ()
    present: bool = False
    #: tab key (``drives``, ``batches``) → the tab's name as the workbook spells it
    sheet_names: Mapping[str, str] = field(default_factory=dict)
    #: tab key → field key → (0-based column index, header as spelt)
    columns: Mapping[str, Mapping[str, tuple[int, str]]] = field(default_factory=dict)

    @cached_property
    def index(self) -> DriveIndex:
        """Lookup of the drives by name and alias."""
        return DriveIndex(self.drives)

    def cell_of(self, tab: str, field_key: str) -> tuple[str, int | None, str | None]:
        """(sheet name, column index, header) of a field, for making a problem."""
        sheet = self.sheet_names.get(tab) or tab_spec(tab).name
        col, header = self.columns.get(tab, {}).get(field_key, (None, None))
        return sheet, col, header
