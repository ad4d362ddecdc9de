"""What every output builder receives, and what it returns.

Builders are pure: ``build_x(ctx, ...) -> dict[relative posix path, bytes]``, or, for
the many files of the pages, a stream of ``(path, bytes | Hashed | Published)`` pairs
that the publish step writes as they come. Only
:mod:`campaign_sheets.publish.publication` writes files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from .config import Config
from .model import Workbook
from .orgs import OrgIndex

#: Relative POSIX path in the output tree → file contents.
OutputFiles = dict[str, bytes]


@dataclass(frozen=True)
class Published:
    """In place of a file's bytes: the file stays as the tree shown now has it.

    A builder says this only when it knows that rendering again would give a file of
    this SHA-256 and the shown tree's manifest lists the very same hash for the path:
    the bytes then need neither rendering nor reading.
    """

    sha256: str


@dataclass(frozen=True)
class Hashed:
    """A file's bytes with their SHA-256, computed where they were rendered (a worker
    process), so the one process that publishes does not hash them again."""

    data: bytes
    sha256: str


#: One file of a stream of outputs: its relative POSIX path and what it holds.
OutputItem = tuple[str, "bytes | Hashed | Published"]


@dataclass(frozen=True)
class SheetStatus:
    """One council's sheet of a many-sheet tree, as the pages' "data as of" line tells it:
    when what is published was read, and whether this sync failed to read it again."""

    name: str
    code: str
    prefecture: str
    read_at: datetime | None
    failed: bool = False


@dataclass(frozen=True)
class BuildContext:
    """The validated workbook and everything a builder may need besides.

    ``today`` is passed in (never read from the clock inside a builder) so builds
    are reproducible; ``members_token`` is ``None`` when no members' tree is built.
    """

    config: Config
    workbook: Workbook
    today: date
    members_token: str | None = None
    templates: Path | None = None
    #: the moment of this sync (UTC), stamped on events that changed; ``None``
    #: means midnight UTC of ``today``
    now: datetime | None = None
    #: True when the workbook has signature drives: the index links to their page
    drives_page: bool = False
    #: the councils' sheets of a many-sheet tree, in the configuration's order (empty
    #: for a tree of one sheet): per-prefecture feeds and pages, "data as of" lines
    sheets: tuple[SheetStatus, ...] = ()

    @cached_property
    def org_index(self) -> OrgIndex:
        """Organisation lookup over the 団体 tab (built once per context: builders ask
        for it once per event)."""
        return OrgIndex(self.workbook.orgs)
