"""A petition's status, derived from its stages — pure, and the same whatever order
the stage rows are in.

- the stages are put in the order they happened: date, time, a committee before the
  plenary of the same day, then ID;
- the status is the latest outcome, final or not: a committee's 採択 waits for the
  plenary, 継続審査 is never final, 審査未了 and a withdrawal are final wherever
  they are recorded;
- the deciding vote is the vote of that stage; the days run from submission to a
  final decision;
- each carry-over is counted once: a plenary confirming its committee's 継続審査 is
  the same carry-over, not a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from .model import Petition, Stage
from .vocabulary import Finality, Result, outcome
from .votes import Vote

CARRIED_OVER = "carried_over"


@dataclass(frozen=True)
class Status:
    """Where a petition stands.

    ``outcome`` is ``None`` while no stage has decided anything; ``body`` and
    ``date`` are those of the deciding stage; ``days`` counts from submission to a
    final decision (``None`` otherwise); ``upcoming`` is the next stage without an
    outcome, if any; ``overturned`` is True when the plenary reversed a committee.
    """

    outcome: str | None = None
    final: bool = False
    date: date | None = None
    body: str | None = None
    stage_id: str | None = None
    vote: Vote | None = None
    days: int | None = None
    carried_over: int = 0
    upcoming: Stage | None = None
    overturned: bool = False

    @property
    def result(self) -> Result | None:
        """What the outcome counts as (adopted, rejected …)."""
        return outcome(self.outcome).result if self.outcome else None

    @property
    def style(self) -> str:
        """The status key pages colour it by (``data/assembly.toml`` ``[[status]]``)."""
        result = self.result
        if result is None:
            return "pending"
        if result is Result.ADOPTED:
            return "adopted" if self.final else "committee"
        if result is Result.CARRIED_OVER:
            return "carried_over"
        if result is Result.REJECTED:
            return "rejected" if self.final else "pending"
        return "closed" if self.final else "pending"


def stage_order(stage: Stage) -> tuple[date, time, bool, str]:
    """The order stages happened in (never the sheet's row order)."""
    return (stage.date, stage.start or time(0), stage.plenary, stage.id)


def is_final(stage: Stage) -> bool:
    """Whether this stage's outcome settles the petition."""
    if stage.outcome is None:
        return False
    finality = outcome(stage.outcome).final
    if finality is Finality.ANYWHERE:
        return True
    return finality is Finality.PLENARY and stage.plenary


def derive_status(petition: Petition, stages: Iterable[Stage]) -> Status:
    """The status of ``petition`` from its ``stages`` (in any order)."""
    ordered = sorted(stages, key=stage_order)
    decided = [s for s in ordered if s.outcome is not None]
    upcoming = next((s for s in ordered if s.outcome is None and (
        not decided or stage_order(s) > stage_order(decided[-1]))), None)
    carried = _carry_overs(decided)
    if not decided:
        return Status(upcoming=upcoming, carried_over=carried)
    last = decided[-1]
    final = is_final(last)
    days = None
    if final and petition.submitted is not None:
        days = (last.date - petition.submitted).days
    return Status(
        outcome=last.outcome, final=final, date=last.date, body=last.body, stage_id=last.id,
        vote=last.vote, days=days, carried_over=carried,
        upcoming=None if final else upcoming, overturned=_overturned(decided),
    )


def _carry_overs(decided: list[Stage]) -> int:
    count = 0
    previous: Stage | None = None
    for stage in decided:
        if stage.outcome == CARRIED_OVER:
            confirming = (stage.plenary and previous is not None and not previous.plenary
                          and previous.outcome == CARRIED_OVER)
            if not confirming:
                count += 1
        previous = stage
    return count


def _overturned(decided: list[Stage]) -> bool:
    """True when the last stage is a plenary whose result differs from the committee's
    just before it (a committee 採択 rejected in the plenary, or the reverse)."""
    if len(decided) < 2 or not decided[-1].plenary or decided[-2].plenary:
        return False
    before, after = (outcome(s.outcome or "").result for s in decided[-2:])
    turning = {Result.ADOPTED, Result.REJECTED}
    return before in turning and after in turning and before is not after
