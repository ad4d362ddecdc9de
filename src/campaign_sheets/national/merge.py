"""One national workbook from many councils' shares (SPEC §9).

Each sheet was validated on its own, with its own organisations and drives; joining
them must not let one council's ``cv-1`` or ``年金者組合`` become another's:

- every ID gets its prefecture's code (``cv-1`` of Kanagawa is ``cv-1.14``), in the
  actions and everything that points at them, so UIDs are ``cv-1.14@…``;
- an organisation is one across sheets only when the 団体 tabs give it the same キー
  (it then takes the name the first sheet gives it); any other is its council's own and
  is called ``年金者組合（神奈川県）``;
- a signature drive stays its council's (``請願署名（神奈川県）``): goals and deadlines
  are a council's.

Nothing here reads or writes: shares in, one share out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..assembly.model import Petition, Stage, Tracker
from ..core.model import (
    Action,
    Organisation,
    Participation,
    Registration,
    Stop,
    Tally,
    Workbook,
)
from ..core.problems import Problem
from ..drives.ledger import DriveLedger, UnknownLabel
from ..drives.model import Batch, Drive, DriveBook
from ..rollup.records import Records
from .councils import Council


@dataclass(frozen=True)
class Share:
    """What one sheet brings to a sync, validated on its own: its workbook (with the
    last good version of rows that now have errors), its records, its petitions and
    drives, and its problems."""

    workbook: Workbook
    records: Records
    tracker: Tracker
    ledger: DriveLedger
    problems: tuple[Problem, ...] = ()


def national_ids(council: Council) -> Callable[[str], str]:
    """How ``council``'s IDs are spelt in the national tree: ``cv-1`` → ``cv-1.14``."""
    suffix = f".{council.code}"
    return lambda value: value + suffix if value else value


@dataclass(frozen=True)
class _Names:
    """How one sheet's IDs, organisations and drives are called in the national tree."""

    council: Council
    ids: Callable[[str], str]
    orgs: Callable[[str], str]
    drives: Callable[[str], str]


def merge_shares(shares: Sequence[tuple[Council, Share]]) -> Share:
    """The national share: every sheet's share renamed (see the module) and joined, in
    the order of ``shares``."""
    org_names = _org_names(shares)
    renamed = [_rename(share, _names(council, org_names[council.name]))
               for council, share in shares]
    records = _join_records([s.records for s in renamed])
    return Share(
        workbook=_with_records(_join_workbooks([s.workbook for s in renamed]), records),
        records=records,
        tracker=_join_trackers([s.tracker for s in renamed]),
        ledger=_join_ledgers([s.ledger for s in renamed]),
        problems=tuple(p for s in renamed for p in s.problems),
    )


def _names(council: Council, orgs: dict[str, str]) -> _Names:
    def org(name: str) -> str:
        return orgs.get(name) or qualified(name, council) if name else name

    return _Names(council=council, ids=national_ids(council), orgs=org,
                  drives=lambda name: qualified(name, council) if name else name)


def qualified(name: str, council: Council) -> str:
    """``name`` as one council's own: ``年金者組合（神奈川県）``."""
    return f"{name}（{council.prefecture}）"


def _org_names(shares: Sequence[tuple[Council, Share]]) -> dict[str, dict[str, str]]:
    """Per council, its organisations' national names: one キー shared by several
    sheets is one organisation under the first sheet's name; an organisation whose name
    no other one takes keeps it; any other is qualified with its prefecture."""
    first_by_key: dict[str, str] = {}
    identity: dict[tuple[str, str], str] = {}
    for council, share in shares:
        for org in share.workbook.orgs:
            key = org.key.lower()
            if key:
                first_by_key.setdefault(key, org.name)
                identity[(council.name, org.name)] = "key:" + key
            else:
                identity[(council.name, org.name)] = f"own:{council.name}:{org.name}"
    display: dict[tuple[str, str], str] = {}
    for (council_name, name), ident in identity.items():
        display[(council_name, name)] = (first_by_key[ident[4:]] if ident.startswith("key:")
                                         else name)
    identities_by_name: dict[str, set[str]] = {}
    for place, shown in display.items():
        identities_by_name.setdefault(shown, set()).add(identity[place])
    prefecture = {council.name: council for council, _ in shares}
    out: dict[str, dict[str, str]] = {council.name: {} for council, _ in shares}
    for (council_name, name), shown in display.items():
        keyed = identity[(council_name, name)].startswith("key:")
        clash = len(identities_by_name[shown]) > 1
        out[council_name][name] = (qualified(shown, prefecture[council_name])
                                   if clash or not keyed else shown)
    return out


# -- renaming one share --------------------------------------------------------------


def _rename(share: Share, names: _Names) -> Share:
    wb, rec = share.workbook, share.records
    ids = names.ids
    return Share(
        workbook=replace(
            wb,
            actions=tuple(_action(a, names) for a in wb.actions),
            orgs=_orgs(wb.orgs, names),
            participation=_each(wb.participation, names, _participation),
            tallies=_each(wb.tallies, names, _tally),
            registrations=_each(wb.registrations, names, _registration),
            stops=_each(wb.stops, names, _stop),
            home=None,
        ),
        records=replace(
            rec,
            participation=_each(rec.participation, names, _participation),
            tallies=_each(rec.tallies, names, _tally),
            registrations=_each(rec.registrations, names, _registration),
            stops=_each(rec.stops, names, _stop),
            stated={ids(key): value for key, value in rec.stated.items()},
            problems=_tagged(rec.problems, names.council),
            home=None,
        ),
        tracker=replace(
            share.tracker,
            petitions=_each(share.tracker.petitions, names, _petition),
            stages=_each(share.tracker.stages, names, _stage),
        ),
        ledger=_ledger(share.ledger, names),
        problems=_tagged(share.problems, names.council),
    )


def _each(
    items: Iterable[Any], names: _Names, one: Callable[[Any, _Names], Any]
) -> tuple[Any, ...]:
    return tuple(one(item, names) for item in items)


def _tagged(problems: Iterable[Problem], council: Council) -> tuple[Problem, ...]:
    return tuple(p if p.source else replace(p, source=council.name) for p in problems)


def _action(action: Action, names: _Names) -> Action:
    return replace(action, id=names.ids(action.id), organizer=names.orgs(action.organizer),
                   orgs=tuple(names.orgs(o) for o in action.orgs), council=names.council.code)


def _orgs(orgs: Iterable[Organisation], names: _Names) -> tuple[Organisation, ...]:
    # aliases did their work when the sheet's rows were read; kept, they could make one
    # council's 協会 look another's up
    return tuple(replace(o, name=names.orgs(o.name), aliases=()) for o in orgs)


def _participation(p: Participation, names: _Names) -> Participation:
    return replace(p, event_id=names.ids(p.event_id), org=names.orgs(p.org))


def _tally(t: Tally, names: _Names) -> Tally:
    org = names.orgs(t.org) if t.org else t.org
    return replace(t, event_id=names.ids(t.event_id), org=org)


def _registration(r: Registration, names: _Names) -> Registration:
    return replace(r, event_id=names.ids(r.event_id), org=names.orgs(r.org))


def _stop(s: Stop, names: _Names) -> Stop:
    return replace(s, event_id=names.ids(s.event_id))


def _petition(p: Petition, names: _Names) -> Petition:
    return replace(p, id=names.ids(p.id))


def _stage(s: Stage, names: _Names) -> Stage:
    return replace(s, id=names.ids(s.id), petition_id=names.ids(s.petition_id))


def _ledger(ledger: DriveLedger, names: _Names) -> DriveLedger:
    book = ledger.book
    return DriveLedger(
        book=replace(book, drives=_each(book.drives, names, _drive),
                     batches=_each(book.batches, names, _batch)),
        collected=tuple(replace(c, drive=names.drives(c.drive), event_id=names.ids(c.event_id))
                        for c in ledger.collected),
        unknown=tuple(UnknownLabel(_tally(u.tally, names), u.suggestion) for u in ledger.unknown),
    )


def _drive(d: Drive, names: _Names) -> Drive:
    return replace(d, name=names.drives(d.name), aliases=())


def _batch(b: Batch, names: _Names) -> Batch:
    return replace(b, drive=names.drives(b.drive), org=names.orgs(b.org))


# -- joining the renamed shares --------------------------------------------------------


def _join_workbooks(books: Sequence[Workbook]) -> Workbook:
    if not books:
        return Workbook()
    orgs: dict[str, Organisation] = {}
    for book in books:
        for org in book.orgs:
            orgs.setdefault(org.name, org)  # one キー across sheets: one organisation
    return replace(
        books[0],
        actions=tuple(a for b in books for a in b.actions),
        orgs=tuple(orgs.values()),
        participation=tuple(p for b in books for p in b.participation),
        tallies=tuple(t for b in books for t in b.tallies),
        registrations=tuple(r for b in books for r in b.registrations),
        stops=tuple(s for b in books for s in b.stops),
        home=None,
    )


def _with_records(workbook: Workbook, records: Records) -> Workbook:
    """The national workbook holding every record its sheets' sentences gave, the
    sentences themselves read already: a builder that collects the records again finds
    them all, each municipality resolved in its own council's prefecture."""
    return replace(
        workbook,
        actions=tuple(replace(a, report="") if a.report else a for a in workbook.actions),
        participation=records.participation, tallies=records.tallies,
        registrations=records.registrations, stops=records.stops,
    )


def _join_records(records: Sequence[Records]) -> Records:
    return Records(
        participation=tuple(p for r in records for p in r.participation),
        tallies=tuple(t for r in records for t in r.tallies),
        registrations=tuple(x for r in records for x in r.registrations),
        stated={k: v for r in records for k, v in r.stated.items()},
        problems=tuple(p for r in records for p in r.problems),
        stops=tuple(s for r in records for s in r.stops),
        home=None,
    )


def _join_trackers(trackers: Sequence[Tracker]) -> Tracker:
    scope = {m.code: m for t in trackers for m in t.scope}
    sheet_names: dict[str, str] = {}
    for tracker in trackers:
        for key, value in tracker.sheet_names.items():
            sheet_names.setdefault(key, value)
    return Tracker(
        petitions=tuple(p for t in trackers for p in t.petitions),
        stages=tuple(s for t in trackers for s in t.stages),
        coverage=tuple(c for t in trackers for c in t.coverage),
        scope=tuple(scope[code] for code in sorted(scope)),
        sheet_names=sheet_names,
    )


def _join_ledgers(ledgers: Sequence[DriveLedger]) -> DriveLedger:
    present = [ledger.book for ledger in ledgers if ledger.book.present]
    first = present[0] if present else DriveBook()
    book = replace(
        first,
        drives=tuple(d for ledger in ledgers for d in ledger.book.drives),
        batches=tuple(b for ledger in ledgers for b in ledger.book.batches),
        present=bool(present),
    )
    return DriveLedger(
        book=book,
        collected=tuple(c for ledger in ledgers for c in ledger.collected),
        unknown=tuple(u for ledger in ledgers for u in ledger.unknown),
    )
