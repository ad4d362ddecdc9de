"""The assembly tracker's records: petitions, the sessions that deal with them
(stages), and each municipality's coverage for a year. Plain frozen values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from functools import cached_property

from ..core.audience import Audience, visible_to
from ..core.model import Visibility
from ..geo import Level, Municipality
from .votes import Vote


@dataclass(frozen=True)
class Petition:
    """One row of the 請願 tab, validated.

    ``place`` is the municipality (or prefecture) whose assembly the petition went to
    — a ward of a designated city is folded into its city, which has the assembly;
    ``classification`` is a key of the vocabulary (``petition``, ``statement``,
    ``opinion``, ``request``).
    """

    id: str
    place: Municipality
    assembly: str
    classification: str
    title: str
    submitted: date | None = None
    submitter: str = ""
    introducers: tuple[str, ...] = ()
    source: str = ""
    visibility: Visibility = Visibility.PUBLIC
    note: str = ""
    row: int = 0

    @property
    def is_opinion(self) -> bool:
        """True for an 意見書 row, which the roll-up counts apart."""
        return self.classification == "opinion"

    @property
    def prefectural(self) -> bool:
        """True when the petition went to the prefecture's own assembly."""
        return self.place.level is Level.PREFECTURE


@dataclass(frozen=True)
class Stage:
    """One row of the 審議 tab: a committee's or the plenary's session on a petition.

    ``outcome`` is an outcome key, ``None`` while the session is still ahead.
    """

    id: str
    petition_id: str
    date: date
    body: str
    plenary: bool
    start: time | None = None
    end: time | None = None
    outcome: str | None = None
    vote: Vote | None = None
    venue: str = ""
    source: str = ""
    note: str = ""
    row: int = 0


@dataclass(frozen=True)
class Coverage:
    """One row of the 自治体 tab: a municipality in one fiscal year.

    ``meeting`` is a key of the 懇談状況 vocabulary, read from the dates when blank.
    """

    place: Municipality
    year: int
    meeting: str
    planned: date | None = None
    held: date | None = None
    sent: date | None = None
    answered: date | None = None
    confirmed: date | None = None
    outcome: str = ""
    source: str = ""
    note: str = ""
    row: int = 0


@dataclass(frozen=True)
class Tracker:
    """Everything the 請願, 審議 and 自治体 tabs hold, validated.

    ``scope`` lists the municipalities a council covers — the home prefecture's, with
    wards folded into their cities — in code order: the tiles of the map and the
    denominators of 「懇談 28/33自治体」.
    """

    petitions: tuple[Petition, ...] = ()
    stages: tuple[Stage, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    scope: tuple[Municipality, ...] = ()
    sheet_names: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def stages_by_petition(self) -> Mapping[str, tuple[Stage, ...]]:
        """Petition ID → its stages (in no particular order: status sorts them)."""
        grouped: dict[str, list[Stage]] = {}
        for stage in self.stages:
            grouped.setdefault(stage.petition_id, []).append(stage)
        return {key: tuple(value) for key, value in grouped.items()}

    def stages_of(self, petition_id: str) -> tuple[Stage, ...]:
        """The stages of one petition."""
        return self.stages_by_petition.get(petition_id, ())

    @cached_property
    def petition_by_id(self) -> Mapping[str, Petition]:
        """Petition ID → petition."""
        return {p.id: p for p in self.petitions}


def tracker_for(tracker: Tracker, audience: Audience) -> Tracker:
    """What ``audience`` may see: the petitions of its visibility and their stages
    (coverage rows carry nothing private and stay)."""
    petitions = tuple(p for p in tracker.petitions if visible_to(p.visibility, audience))
    if len(petitions) == len(tracker.petitions):
        return tracker
    shown = {p.id for p in petitions}
    return replace(tracker, petitions=petitions,
                   stages=tuple(s for s in tracker.stages if s.petition_id in shown))
