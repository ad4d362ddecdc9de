"""Adding up participation and results with pandas (the only module importing it).

Every roll-up comes out as a plain :class:`~.tables.Table`. An unknown head-count
is never added as zero: sums take the known counts only, a separate column
counts the unknown ones, and a sum with no known count at all is unknown (``None``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from functools import cached_property
from typing import Any, TypeVar

import pandas as pd

from ..core.model import (
    NOT_COUNTED,
    Action,
    Participation,
    Status,
    Tally,
    canonical_unit,
    kind_by_key,
    kind_label,
    kinds,
)
from ..core.orgs import OrgIndex
from .period import Period
from .records import Records
from .tables import Cell, Column, Table, label, make_table, venue_labels
from .towns import municipality_table

#: The roll-ups ``report --by`` offers, each with the table it shows.
BY_TABLE = {
    "action": "by_action",
    "org": "by_org",
    "kind": "by_kind",
    "month": "by_month",
    "item": "by_item",
    "municipality": "by_municipality",
}
#: Every table, in the order exports list them.
TABLE_ORDER = ("by_action", "by_org", "org_month", "by_kind", "by_month", "by_item",
               "by_municipality", "registrations")
_MIDNIGHT = time(0, 0)
_R = TypeVar("_R", Participation, Tally)


def _counted_when_done(kind: str) -> bool:
    try:
        return kind_by_key(kind).counted_when_done
    except KeyError:
        return True


def select_actions(actions: Iterable[Action], records: Records, period: Period) -> list[Action]:
    """The actions a roll-up counts: held in ``period`` and either done or with
    records (cancelled and postponed actions, plans without records, and decided
    hearings nobody reported on, are not).
    An action of several days counts once, in the period and month of its first day."""
    recorded = {p.event_id for p in records.participation}
    recorded |= {t.event_id for t in records.tallies}
    recorded |= set(records.stated)
    chosen = [
        a for a in actions
        if a.date in period and a.status not in NOT_COUNTED
        and ((a.status is Status.DONE and _counted_when_done(a.kind)) or a.id in recorded)
    ]
    return sorted(chosen, key=lambda a: (a.date, a.start or _MIDNIGHT, a.id))



def _day_cell(action: Action) -> str:
    """The 日付 cell of a per-action row: ``2025-11-12``, or for an action of several
    days the ISO 8601 interval ``2025-11-12/2025-11-13`` (it still sorts by the first day)."""
    if action.end_date is None:
        return action.date.isoformat()
    return f"{action.date.isoformat()}/{action.end_date.isoformat()}"


def _month(action: Action) -> str:
    return f"{action.date.year:04d}-{action.date.month:02d}"


def _known(value: Any) -> int | None:
    """A pandas number as an int, ``None`` for NA."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return int(value)


@dataclass(frozen=True)
class _Counts:
    """One group's counts: ``total`` of the known values, or ``None`` when none was known."""

    actions: int
    rows: int
    total: int | None
    unknown: int


@dataclass(frozen=True)
class Rollup:
    """The roll-ups of ``actions`` (already chosen for an audience) over ``period``."""

    actions: tuple[Action, ...]
    records: Records
    period: Period
    orgs: OrgIndex

    @classmethod
    def build(
        cls, actions: Iterable[Action], records: Records, period: Period, orgs: OrgIndex
    ) -> Rollup:
        """Choose the actions of ``period`` and keep only their records."""
        chosen = tuple(select_actions(actions, records, period))
        return cls(chosen, records.only(a.id for a in chosen), period, orgs)

    # -- frames ---------------------------------------------------------------------

    @cached_property
    def _actions(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "event_id": [a.id for a in self.actions],
                "kind": [a.kind for a in self.actions],
                "month": [_month(a) for a in self.actions],
            },
            columns=["event_id", "kind", "month"],
        )

    @cached_property
    def _people(self) -> pd.DataFrame:
        parts = self.records.participation
        frame = pd.DataFrame(
            {
                "event_id": [p.event_id for p in parts],
                "org": [p.org for p in parts],
                "people": pd.array([p.people for p in parts], dtype="Int64"),
            },
            columns=["event_id", "org", "people"],
        )
        return frame.merge(self._actions, on="event_id", how="inner")

    @cached_property
    def _tallies(self) -> pd.DataFrame:
        rows: list[tuple[str, str, str, str, str, int | None]] = []
        # Items are listed in the order they first appear in the actions' (date) order,
        # never in row order: moving rows in the sheet must not rewrite any report.
        position = {a.id: i for i, a in enumerate(self.actions)}
        in_order = sorted(self.records.tallies, key=lambda t: position.get(t.event_id, -1))
        for t in in_order:
            unit = canonical_unit(t.unit)
            rows.append((t.event_id, t.item, t.label or "", "", unit, t.value))
            rows += [(t.event_id, t.item, t.label or "", o.label, unit, o.value)
                     for o in t.options]
        frame = pd.DataFrame(rows, columns=["event_id", "item", "label", "option", "unit", "v"])
        frame["value"] = pd.array(list(frame["v"]), dtype="Int64")
        return frame.drop(columns="v")

    @cached_property
    def _org_orders(self) -> dict[str, int]:
        # Filled as names are met: looking a name up in the 団体 tab is far dearer than
        # the sort, and the registrations table sorts the organisations of every action.
        return {}

    def _org_sort(self, names: Iterable[str]) -> list[str]:
        orders = self._org_orders

        def order(name: str) -> tuple[int, str]:
            if name not in orders:
                orders[name] = self.orgs.order(name)
            return orders[name], name

        return sorted(set(names), key=order)

    def _groups(self, keys: list[str], tallies: bool = False) -> dict[tuple[str, ...], _Counts]:
        """Per group of ``keys`` (in first-seen order): the counts of people (or results)."""
        frame, value = (self._tallies, "value") if tallies else (self._people, "people")
        grouped = frame.groupby(keys, sort=False, dropna=False)
        table = grouped.agg(actions=("event_id", "nunique"), rows=("event_id", "size"),
                            total=(value, "sum"), known=(value, "count")).reset_index()
        out: dict[tuple[str, ...], _Counts] = {}
        for record in table.to_dict("records"):
            known = int(record["known"])
            out[tuple(str(record[k]) for k in keys)] = _Counts(
                actions=int(record["actions"]), rows=int(record["rows"]),
                total=_known(record["total"]) if known else None,
                unknown=int(record["rows"]) - known)
        return out

    # -- tables ---------------------------------------------------------------------

    def by_org(self) -> Table:
        """Per organisation: actions joined, people, unknown counts, actions by kind."""
        counts = self._groups(["org"])
        by_kind = self._groups(["org", "kind"])
        seen = {kind for _org, kind in by_kind}
        present = [k.key for k in kinds() if k.key in seen]
        present += sorted(seen - set(present))
        extra = [Column(f"kind_{k}", label("kind_column").format(label=kind_label(k)))
                 for k in present]
        rows: list[list[Cell]] = []
        for org in self._org_sort(key[0] for key in counts):
            c = counts[(org,)]
            cells: list[Cell] = [org, c.actions, c.total, c.unknown]
            cells += [by_kind[(org, k)].actions if (org, k) in by_kind else 0 for k in present]
            rows.append(cells)
        return make_table("by_org", rows, extra)

    def org_month(self) -> Table:
        """Per organisation and month: actions joined, people, unknown counts."""
        counts = self._groups(["org", "month"])
        order = {org: i for i, org in enumerate(self._org_sort(org for org, _m in counts))}
        rows: list[list[Cell]] = [
            [org, month, c.actions, c.total, c.unknown]
            for (org, month), c in sorted(counts.items(),
                                          key=lambda item: (order[item[0][0]], item[0][1]))
        ]
        return make_table("org_month", rows)

    def _grouped_by(self, key: str) -> dict[str, list[Cell]]:
        actions = self._actions.groupby(key)["event_id"].nunique().to_dict()
        counts = self._groups([key])
        out: dict[str, list[Cell]] = {}
        for value, n_actions in actions.items():
            c = counts.get((str(value),))
            people: list[Cell] = [c.rows, c.total, c.unknown] if c else [0, "", 0]
            out[str(value)] = [int(n_actions), *people]
        return out

    def by_kind(self) -> Table:
        """Per kind of action: actions, participations, people, unknown counts."""
        grouped = self._grouped_by("kind")
        order = [k.key for k in kinds() if k.key in grouped]
        order += sorted(set(grouped) - set(order))
        return make_table("by_kind", [[kind_label(k), *grouped[k]] for k in order])

    def by_month(self) -> Table:
        """Per month: actions, participations, people, unknown counts."""
        grouped = self._grouped_by("month")
        return make_table("by_month", [[m, *grouped[m]] for m in sorted(grouped)])

    def by_item(self) -> Table:
        """Per result item, label and poll answer: the total over the period."""
        counts = self._groups(["item", "label", "option", "unit"], tallies=True)
        rows: list[list[Cell]] = [[*key, c.total, c.actions, c.unknown]
                                  for key, c in counts.items()]
        return make_table("by_item", rows)

    def by_action(self) -> Table:
        """One row per action: who came, how many, results, and what the sentence stated."""
        people = {key[0]: (c.total, c.unknown) for key, c in self._groups(["event_id"]).items()}
        parts = _by_event(self.records.participation)
        tallies = _by_event(self.records.tallies)
        registered = self._registered()
        rows: list[list[Cell]] = []
        for a in self.actions:
            known, unknown = people.get(a.id, ("", 0))
            stated, _venue = self.records.stated.get(a.id, (None, None))
            venue, online, results = _results(tallies.get(a.id, []))
            rows.append([
                a.id, _day_cell(a), a.title, kind_label(a.kind),
                len({p.org for p in parts.get(a.id, [])}), known, unknown,
                _participants(parts.get(a.id, [])), _breakdowns(parts.get(a.id, [])),
                venue, online, results,
                _blank(stated.orgs if stated else None),
                _blank(stated.people if stated else None),
                _blank(stated.people_at_least if stated else None),
                registered.get(a.id, ""),
            ])
        return make_table("by_action", rows)

    def by_municipality(self) -> Table:
        """Per municipality, in code order: actions, stops, people, results
        (:mod:`.towns` says what counts where)."""
        return municipality_table(self.actions, self.records)

    def _registered(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for r in self.records.registrations:
            totals[r.event_id] += r.people or 0
        return dict(totals)

    def registrations(self) -> Table:
        """Per action with registrations and organisation: registered vs attended."""
        registered: dict[tuple[str, str], int] = defaultdict(int)
        orgs_of: dict[str, set[str]] = defaultdict(set)
        for r in self.records.registrations:
            registered[(r.event_id, r.org)] += r.people or 0
            orgs_of[r.event_id].add(r.org)
        attended = {key: c.total for key, c in self._groups(["event_id", "org"]).items()}
        for p in self.records.participation:
            if p.event_id in orgs_of:
                orgs_of[p.event_id].add(p.org)
        rows: list[list[Cell]] = []
        for a in self.actions:
            for org in self._org_sort(orgs_of.get(a.id, ())):
                reg: Cell = registered.get((a.id, org), "")
                came: Cell = attended.get((a.id, org), "")
                diff: Cell = came - reg if isinstance(came, int) and isinstance(reg, int) else ""
                rows.append([a.id, _day_cell(a), a.title, org, reg, came, diff])
        return make_table("registrations", rows)

    def table(self, key: str) -> Table:
        """The table named ``key`` (``by_org`` …)."""
        if key not in TABLE_ORDER:
            raise KeyError(key)
        result: Table = getattr(self, key)()
        return result

    def tables(self) -> list[Table]:
        """Every table, in export order."""
        return [self.table(key) for key in TABLE_ORDER]

    def summary(self) -> dict[str, int | None]:
        """Totals of the period: actions, participations, known people, unknown counts."""
        frame = self._people
        known = int(frame["people"].count())
        return {
            "actions": len(self.actions),
            "participations": len(frame),
            "people": _known(frame["people"].sum()) if known else None,
            "unknown": len(frame) - known,
        }


def _by_event(records: Iterable[_R]) -> dict[str, list[_R]]:
    grouped: dict[str, list[_R]] = defaultdict(list)
    for record in records:
        grouped[record.event_id].append(record)
    return grouped


def _blank(value: int | None) -> Cell:
    """A stated number, or nothing when the sentence stated none."""
    return "" if value is None else value


def _count_text(people: int | None) -> str:
    return f"（{label('unknown')}）" if people is None else str(people)


def _participants(parts: Sequence[Participation]) -> str:
    texts = []
    for p in parts:
        more = label("more") if p.more else ""
        texts.append(f"{p.org}{_count_text(p.people)}{more}")
    return label("list_separator").join(texts)


def _breakdowns(parts: Sequence[Participation]) -> str:
    texts = []
    for p in parts:
        if p.breakdown:
            inner = label("list_separator").join(
                f"{b.label}{_count_text(b.people)}" for b in p.breakdown)
            texts.append(f"{p.org}（{inner}）")
    return label("list_separator").join(texts)


def _results(tallies: Sequence[Tally]) -> tuple[Cell, Cell, str]:
    """(会場 people, online sites, the other results as text) of one action."""
    venue_items = venue_labels()
    venue: Cell = ""
    online: Cell = ""
    texts = []
    for t in tallies:
        if t.item == venue_items["people_item"] and not t.label:
            venue = t.value
        elif t.item == venue_items["online_item"] and not t.label:
            online = t.value
        else:
            texts.append(_tally_text(t))
    return venue, online, label("list_separator").join(texts)


def _tally_text(t: Tally) -> str:
    name = f"「{t.label}」{t.item}" if t.label else t.item
    if t.org:
        name = f"{t.org}：{name}"
    text = f"{name}{_count_text(t.value)}{t.unit or ''}"
    if t.options:
        text += "（" + label("list_separator").join(f"{o.label}{o.value}" for o in t.options) + "）"
    return text
