"""How far a drive has come: totals, by organisation, by month, paper and online,
and the pace needed to reach the goal by the next deadline.

Two streams count toward a drive: the signatures actions collected (成果 rows and
report sentences naming the drive) and the batches organisations hand in. A batch
often holds signatures an action's result already counted; its 行動分 says how
many, and those are not counted twice. The rule, taken day by day in date order
(on one day, actions before batches):

- an action's signatures go into a pool of *counted at actions, not yet handed in*;
- a batch adds its paper and WEB signatures, and takes its 行動分 out of the pool
  (never more than the pool holds: the rest is a :class:`Shortfall` to check);
- the total is everything handed in plus what is still in the pool.

By organisation, each organisation has what it handed in, and what is still in the
pool is listed apart (``行動で集めた分``), so the rows add up to the total. Signatures
collected at actions are paper signatures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .goals import one_decimal
from .model import Batch, Deadline, Drive, drive_words


@dataclass(frozen=True)
class Collected:
    """Signatures one action collected for a drive (a 成果 row or a sentence's tally)."""

    drive: str
    event_id: str
    date: date
    value: int


@dataclass(frozen=True)
class Share:
    """One organisation's part of a drive (or, with ``at_actions``, the actions' part)."""

    name: str
    total: int
    paper: int
    online: int
    at_actions: bool = False


@dataclass(frozen=True)
class MonthShare:
    """What a month added to a drive (``month`` is ``2026-11``) and the total after it."""

    month: str
    total: int
    paper: int
    online: int
    cumulative: int


@dataclass(frozen=True)
class Ahead:
    """The next deadline seen from ``today``: the days left (today and the deadline
    day included), the signatures still needed, and how many a day that takes."""

    deadline: Deadline
    days: int
    remaining: int | None
    pace_per_day: Decimal | None


@dataclass(frozen=True)
class Shortfall:
    """A batch whose 行動分 is more than the actions had counted and not yet handed in."""

    batch: Batch
    missing: int
    available: int


@dataclass(frozen=True)
class DriveProgress:
    """A drive's progress over the records up to ``as_of`` (all of them when ``None``)."""

    drive: Drive
    total: int
    paper: int
    online: int
    handed_in: int
    at_actions: int
    counted_in_batches: int
    by_org: tuple[Share, ...]
    by_month: tuple[MonthShare, ...]
    #: (day, total after that day) for every day something was counted
    timeline: tuple[tuple[date, int], ...]
    ahead: Ahead | None
    shortfalls: tuple[Shortfall, ...]
    as_of: date | None = None

    @property
    def percent(self) -> Decimal | None:
        """The share of the goal reached, to one decimal (``7.7``); ``None`` without a goal."""
        if self.drive.goal is None:
            return None
        return one_decimal(Decimal(self.total) * 100 / Decimal(self.drive.goal))

    @property
    def remaining(self) -> int | None:
        """Signatures still needed for the goal (0 once reached); ``None`` without a goal."""
        if self.drive.goal is None:
            return None
        return max(0, self.drive.goal - self.total)


@dataclass
class _Sums:
    paper: int = 0
    online: int = 0

    @property
    def total(self) -> int:
        return self.paper + self.online


def drive_progress(
    drive: Drive,
    batches: Iterable[Batch],
    collected: Iterable[Collected],
    *,
    today: date | None = None,
    as_of: date | None = None,
    org_order: Callable[[str], int] | None = None,
) -> DriveProgress:
    """The progress of ``drive`` from the batches and actions' counts given (others'
    are ignored). ``today`` gives the next deadline and the pace (none without it);
    ``as_of`` counts only what happened on or before that day; ``org_order`` ranks
    organisations of equal totals (their place in the 団体 tab)."""
    mine_batches = [b for b in batches if b.drive == drive.name
                    and (as_of is None or b.date <= as_of)]
    mine_collected = [c for c in collected if c.drive == drive.name
                      and (as_of is None or c.date <= as_of)]
    steps = sorted(
        [((c.date, 0, c.event_id, 0, 0, 0), c) for c in mine_collected]
        + [((b.date, 1, b.org, b.paper, b.online, b.from_actions), b) for b in mine_batches],
        key=lambda pair: pair[0],
    )
    pool = 0
    orgs: dict[str, _Sums] = {}
    months: dict[str, _Sums] = {}
    shortfalls: list[Shortfall] = []
    timeline: dict[date, int] = {}
    handed = _Sums()
    consumed = 0
    for _key, step in steps:
        month = months.setdefault(f"{step.date.year:04d}-{step.date.month:02d}", _Sums())
        if isinstance(step, Collected):
            pool += step.value
            month.paper += step.value
        else:
            taken = min(step.from_actions, pool)
            if taken < step.from_actions:
                shortfalls.append(Shortfall(step, step.from_actions - taken, pool))
            pool -= taken
            consumed += taken
            sums = orgs.setdefault(step.org, _Sums())
            sums.paper += step.paper
            sums.online += step.online
            handed.paper += step.paper
            handed.online += step.online
            month.paper += step.paper - taken
            month.online += step.online
        timeline[step.date] = handed.total + pool
    at_actions = sum(c.value for c in mine_collected)
    total = handed.total + pool
    result = DriveProgress(
        drive=drive, total=total, paper=handed.paper + pool, online=handed.online,
        handed_in=handed.total, at_actions=at_actions, counted_in_batches=consumed,
        by_org=_by_org(orgs, pool, org_order), by_month=_by_month(months),
        timeline=tuple(sorted(timeline.items())), ahead=None,
        shortfalls=tuple(shortfalls), as_of=as_of,
    )
    if today is None:
        return result
    return _with_ahead(result, today)


def _by_org(
    orgs: dict[str, _Sums], pool: int, order: Callable[[str], int] | None
) -> tuple[Share, ...]:
    rank = order or (lambda _name: 0)
    shares = [Share(name, s.total, s.paper, s.online) for name, s in orgs.items()]
    shares.sort(key=lambda s: (-s.total, rank(s.name), s.name))
    if pool:
        shares.append(Share(str(drive_words()["by_org"]["actions"]), pool, pool, 0, True))
    return tuple(shares)


def _by_month(months: dict[str, _Sums]) -> tuple[MonthShare, ...]:
    out: list[MonthShare] = []
    running = 0
    for month in sorted(months):
        sums = months[month]
        running += sums.total
        out.append(MonthShare(month, sums.total, sums.paper, sums.online, running))
    return tuple(out)


def _with_ahead(progress: DriveProgress, today: date) -> DriveProgress:
    upcoming = [d for d in progress.drive.deadlines if d.date >= today]
    if not upcoming:
        return progress
    deadline = upcoming[0]
    days = (deadline.date - today).days + 1
    remaining = progress.remaining
    pace = None if remaining is None else one_decimal(Decimal(remaining) / Decimal(days))
    return replace(progress, ahead=Ahead(deadline, days, remaining, pace))
