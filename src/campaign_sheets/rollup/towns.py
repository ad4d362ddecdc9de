"""The roll-up per municipality (``report --by municipality``, ``by-municipality.csv``).

Per municipality, in code order: the actions held there or stopping there, the
caravan stops, the people and the results. What is counted where:

- a caravan's stop counts for its municipality, with its 人数 (行程 or sentence);
- a 参加 or 成果 row with a 自治体 counts for that municipality; for a stop whose
  人数 is known, its 参加 rows are not added again (the stop's count is the count);
- an action without stops counts where its 住所, 会場 or 地域 places it, with the
  rest of its records; a caravan's records without a 自治体 count nowhere (the sheet
  does not say which town they belong to);
- what happens in a ward of a designated city counts for the city too (as in its
  feed), so a city's row includes its wards' and the rows are not to be added up.

An unknown head-count is never added as zero: it is counted in ``unknown``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..core.model import Action, Participation, Tally, canonical_unit
from ..geo import listed_under, place_of, register
from .records import Records
from .tables import Cell, Column, Table, label, make_table

_R = TypeVar("_R", Participation, Tally)


@dataclass
class _Town:
    """What one municipality's row adds up."""

    actions: set[str] = field(default_factory=set)
    stops: int = 0
    people: int | None = None
    unknown: int = 0
    tallies: dict[tuple[str, str], int] = field(default_factory=dict)

    def people_cell(self) -> Cell:
        """The known people; unknown (``None``) when only unknown counts were given,
        nothing (``""``) when no count was given at all."""
        if self.people is None and not self.unknown:
            return ""
        return self.people

    def add_people(self, count: int | None) -> None:
        """Add one head-count (``None``: unknown, counted apart)."""
        if count is None:
            self.unknown += 1
        else:
            self.people = (self.people or 0) + count


def municipality_table(actions: Sequence[Action], records: Records) -> Table:
    """The 自治体別 table of ``actions`` (already chosen for a period and an audience)."""
    towns: dict[str, _Town] = defaultdict(_Town)
    items: dict[tuple[str, str], None] = {}
    people = _by_event(records.participation)
    tallies = _by_event(records.tallies)
    for action in actions:
        _count_action(action, records, people.get(action.id, []), tallies.get(action.id, []),
                      towns, items)
    extra = [Column(_item_key(item, unit), _item_label(item, unit)) for item, unit in items]
    rows: list[list[Cell]] = []
    for code in sorted(towns):
        town = towns[code]
        entry = register().by_code(code)
        rows.append([
            code, entry.name if entry is not None else code, len(town.actions), town.stops,
            town.people_cell(), town.unknown, *(town.tallies.get(key, "") for key in items),
        ])
    return make_table("by_municipality", rows, extra)


def _count_action(
    action: Action,
    records: Records,
    people: Sequence[Participation],
    tallies: Sequence[Tally],
    towns: dict[str, _Town],
    items: dict[tuple[str, str], None],
) -> None:
    stops = records.stops_of(action.id)
    place = None if stops else place_of(action, records.home)
    whole = place.code if place is not None else ""
    counted = {s.code for s in stops if s.people is not None}
    if whole:
        _towns(towns, whole, action)  # held there, with records or without
    for stop in stops:
        for town in _towns(towns, stop.code, action):
            town.stops += 1
            # a stop without a count is counted by its 参加 rows, when it has some
            if stop.people is not None or not _attributed(people, stop.code):
                town.add_people(stop.people)
    for p in people:
        code = p.municipality or whole
        if code and code not in counted:
            for town in _towns(towns, code, action):
                town.add_people(p.people)
    for t in tallies:
        code = t.municipality or whole
        if not code or t.value is None:
            continue
        key = (t.item, canonical_unit(t.unit))
        items.setdefault(key)
        for town in _towns(towns, code, action):
            town.tallies[key] = town.tallies.get(key, 0) + t.value


def _towns(towns: dict[str, _Town], code: str, action: Action) -> list[_Town]:
    """The rows that count what happens in ``code`` (a ward's and its city's), with
    ``action`` counted among their actions."""
    out = []
    for listed in listed_under(code):
        town = towns[listed]
        town.actions.add(action.id)
        out.append(town)
    return out


def _attributed(people: Sequence[Participation], code: str) -> bool:
    return any(p.municipality == code for p in people)


def _by_event(records: Iterable[_R]) -> dict[str, list[_R]]:
    grouped: dict[str, list[_R]] = defaultdict(list)
    for record in records:
        grouped[record.event_id].append(record)
    return grouped


def _item_key(item: str, unit: str) -> str:
    return f"item:{item}:{unit}" if unit else f"item:{item}"


def _item_label(item: str, unit: str) -> str:
    return label("item_column").format(item=item, unit=unit) if unit else item
