"""Which signatures counted at actions belong to which drive, and each drive's progress.

A 成果 row (or a report sentence's tally) counts toward a drive when its item is a
signature item (``署名``) and its label names the drive or an alias: the label
alone (``国保署名``) or the label with the item (``年金`` + ``署名`` → ``年金署名``).
Signatures without a label count toward no drive: which petition they were for is
not written, and it is not guessed. Results of cancelled or postponed actions are
not counted, as in every roll-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..core.model import Action, Status, Tally
from ..core.problems import Nested, Problem, make_problem
from ..core.text import match_key
from .model import Drive, DriveBook, DriveIndex, drive_words
from .progress import Collected, DriveProgress, drive_progress

_NOT_HELD = (Status.CANCELLED, Status.POSTPONED)


@cache
def _signature_items() -> frozenset[str]:
    return frozenset(match_key(str(item)) for item in drive_words()["signature_items"])


def is_signature(tally: Tally) -> bool:
    """True for a tally of signatures (its item is ``署名``)."""
    return match_key(tally.item) in _signature_items()


def drive_of(index: DriveIndex, tally: Tally) -> Drive | None:
    """The drive a signature tally's label names, or ``None``."""
    if not tally.label:
        return None
    return index.find(tally.label) or index.find(tally.label + tally.item)


@dataclass(frozen=True)
class UnknownLabel:
    """A signature tally whose label names no drive, with the closest drive name."""

    tally: Tally
    suggestion: str | None


@dataclass(frozen=True)
class DriveLedger:
    """The drives with everything counted toward them."""

    book: DriveBook
    collected: tuple[Collected, ...] = ()
    unknown: tuple[UnknownLabel, ...] = ()

    def progress(
        self,
        drive: Drive,
        *,
        today: date | None = None,
        as_of: date | None = None,
        org_order: Callable[[str], int] | None = None,
    ) -> DriveProgress:
        """The progress of one drive (see :func:`~.progress.drive_progress`)."""
        return drive_progress(drive, self.book.batches, self.collected, today=today,
                              as_of=as_of, org_order=org_order)

    def all_progress(
        self, *, today: date | None = None, org_order: Callable[[str], int] | None = None
    ) -> tuple[DriveProgress, ...]:
        """Every drive's progress, in the 署名 tab's order."""
        return tuple(self.progress(d, today=today, org_order=org_order)
                     for d in self.book.drives)

    def drives_of_event(self, event_id: str) -> tuple[Drive, ...]:
        """The drives an action collected signatures for, in the 署名 tab's order."""
        names = {c.drive for c in self.collected if c.event_id == event_id}
        return tuple(d for d in self.book.drives if d.name in names)


def drive_ledger(
    book: DriveBook, tallies: Iterable[Tally], actions: Iterable[Action]
) -> DriveLedger:
    """Match the signature tallies of held actions to the drives of ``book``."""
    if not book.drives:
        return DriveLedger(book)
    held = {a.id: a for a in actions if a.status not in _NOT_HELD}
    collected: list[Collected] = []
    unknown: list[UnknownLabel] = []
    for tally in tallies:
        action = held.get(tally.event_id)
        if action is None or not is_signature(tally) or tally.value is None:
            continue
        drive = drive_of(book.index, tally)
        if drive is not None:
            collected.append(Collected(drive.name, action.id, action.date, tally.value))
        elif tally.label:
            unknown.append(UnknownLabel(tally, book.index.suggest(tally.label)))
    return DriveLedger(book, tuple(collected), tuple(unknown))


def ledger_problems(
    ledger: DriveLedger,
    cell_of: Callable[[str, str], tuple[str, int | None, str | None]],
    action_rows: dict[str, int],
) -> list[Problem]:
    """Signature labels that name no drive (at the 成果 cell, or at the action's
    参加報告 cell for a sentence's tally), and 行動分 the actions cannot cover.

    ``cell_of`` is the workbook's (sheet, column, header) of a field; ``action_rows``
    the sheet row of each action.
    """
    problems: list[Problem] = []
    for entry in ledger.unknown:
        tally = entry.tally
        hint: Nested | str = ""
        if entry.suggestion:
            hint = Nested("drive.suggestion", {"name": entry.suggestion})
        if tally.source == "tab":
            sheet, col, header = cell_of("results", "label")
            problems.append(make_problem("drive.unknown_in_results", sheet, tally.row or None,
                                         col, header, value=tally.label, suggestion=hint))
        else:
            sheet, col, header = cell_of("events", "report")
            problems.append(make_problem("drive.unknown_in_report", sheet,
                                         action_rows.get(tally.event_id) or None, col, header,
                                         value=tally.label, suggestion=hint))
    sheet, col, header = ledger.book.cell_of("batches", "from_actions")
    for drive in ledger.book.drives:
        for short in ledger.progress(drive).shortfalls:
            batch = short.batch
            problems.append(make_problem(
                "batch.from_actions_unmatched", sheet, batch.row or None, col, header,
                value=batch.from_actions, missing=short.missing, counted=short.available,
                date=batch.date.isoformat()))
    return problems
