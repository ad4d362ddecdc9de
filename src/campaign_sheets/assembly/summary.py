"""Adding up: what the roll-up sentence and the ``summary`` of ``petitions.json`` say.

Counted units:

- *municipalities adopted*: municipal assemblies where a 請願/陳情/要望 stands adopted
  (final or waiting for the plenary); *final* counts those whose adoption is final;
- *prefectural assemblies adopted*: the same for prefectures' own assemblies;
- *prefectures adopted*: the prefectures those assemblies are in;
- *opinions adopted*: 意見書 rows finally 可決 or 採択;
- *carried over*, *rejected*, *pending*: petitions (意見書 rows apart) whose latest
  outcome is 継続審査, a final rejection, or no final outcome yet;
- coverage: of the municipalities in scope, how many were met (懇談 held), answered
  the questionnaire, and had their answers confirmed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..geo import Level, Municipality
from .model import Coverage, Petition, Stage, Tracker
from .status import Status, derive_status, stage_order
from .vocabulary import Result


@dataclass(frozen=True)
class Tracked:
    """A petition with its stages (in the order they happened) and its status."""

    petition: Petition
    stages: tuple[Stage, ...]
    status: Status


@dataclass(frozen=True)
class CoverageCount:
    """「懇談 28/33自治体、アンケート回答 21/33」: counts over ``total`` municipalities."""

    total: int = 0
    met: int = 0
    answered: int = 0
    confirmed: int = 0


@dataclass(frozen=True)
class Summary:
    """The numbers of a roll-up sentence."""

    prefectures_adopted: int = 0
    municipalities_adopted: int = 0
    prefectural_assemblies_adopted: int = 0
    adopted_final: int = 0
    opinions_adopted: int = 0
    pending: int = 0
    carried_over: int = 0
    rejected: int = 0
    coverage: CoverageCount | None = None

    @property
    def adopted_places(self) -> int:
        """Assemblies with an adoption, municipal and prefectural."""
        return self.municipalities_adopted + self.prefectural_assemblies_adopted

    def to_json(self) -> dict[str, Any]:
        """The ``summary`` of SPEC §8, with the finer counts besides."""
        data: dict[str, Any] = {
            "prefectures_adopted": self.prefectures_adopted,
            "municipalities_adopted": self.municipalities_adopted,
            "opinions_adopted": self.opinions_adopted,
            "pending": self.pending,
            "carried_over": self.carried_over,
            "rejected": self.rejected,
            "prefectural_assemblies_adopted": self.prefectural_assemblies_adopted,
            "adopted_final": self.adopted_final,
        }
        if self.coverage is not None:
            c = self.coverage
            data["coverage"] = {"municipalities": c.total, "met": c.met,
                                "answered": c.answered, "confirmed": c.confirmed}
        return data


def track(tracker: Tracker, until: date | None = None) -> list[Tracked]:
    """Every petition with its status, in code order then submission and ID.

    With ``until``, stages after that day are left out: the status as it stood then.
    """
    out = []
    for petition in tracker.petitions:
        stages = [s for s in tracker.stages_of(petition.id) if until is None or s.date <= until]
        status = derive_status(petition, stages)
        out.append(Tracked(petition, tuple(sorted(stages, key=stage_order)), status))
    out.sort(key=lambda t: (t.petition.place.code, t.petition.submitted or date.min,
                            t.petition.id))
    return out


def summarise(
    tracked: Iterable[Tracked],
    coverage: Iterable[Coverage] | None = None,
    scope: Sequence[Municipality] = (),
) -> Summary:
    """The counts over ``tracked`` petitions, and over ``coverage`` rows of the
    municipalities in ``scope`` (and any other municipality the rows name)."""
    adopted: dict[str, bool] = {}
    prefectural: set[str] = set()
    counts = {"opinions": 0, "pending": 0, "carried": 0, "rejected": 0}
    for item in tracked:
        status, petition = item.status, item.petition
        if petition.is_opinion:
            if status.final and status.result is Result.ADOPTED:
                counts["opinions"] += 1
            continue
        if status.result is Result.ADOPTED:
            code = petition.place.code
            adopted[code] = adopted.get(code, False) or status.final
            if petition.prefectural:
                prefectural.add(code)
        elif status.result is Result.CARRIED_OVER:
            counts["carried"] += 1
        elif status.result is Result.REJECTED and status.final:
            counts["rejected"] += 1
        if not status.final and status.result is not Result.CARRIED_OVER:
            counts["pending"] += 1
    return Summary(
        prefectures_adopted=len({code[:2] for code in adopted}),
        municipalities_adopted=len(adopted) - len(prefectural),
        prefectural_assemblies_adopted=len(prefectural),
        adopted_final=sum(1 for final in adopted.values() if final),
        opinions_adopted=counts["opinions"],
        pending=counts["pending"],
        carried_over=counts["carried"],
        rejected=counts["rejected"],
        coverage=None if coverage is None else count_coverage(coverage, scope),
    )


def count_coverage(rows: Iterable[Coverage], scope: Sequence[Municipality]) -> CoverageCount:
    """How many municipalities were met, answered and confirmed (each counted once,
    whatever number of rows it has); the prefecture's own rows are not municipalities."""
    places = {m.code for m in scope}
    met: set[str] = set()
    answered: set[str] = set()
    confirmed: set[str] = set()
    for row in rows:
        if row.place.level is Level.PREFECTURE:
            continue
        places.add(row.place.code)
        if row.meeting == "held":
            met.add(row.place.code)
        if row.answered is not None:
            answered.add(row.place.code)
        if row.confirmed is not None:
            confirmed.add(row.place.code)
    return CoverageCount(len(places), len(met), len(answered), len(confirmed))
