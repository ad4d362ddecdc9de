"""Where a petition stands, read from its stages as the secretariat records them — and
the same whatever order the 審議 rows are typed in."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assembly_support import load_organisers, organisers_rows, tracker_config
from campaign_sheets.assembly import Petition, Stage, Status, derive_status
from campaign_sheets.assembly.vocabulary import outcomes
from campaign_sheets.geo import register
from campaign_sheets.load import load_workbook
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sources.xlsx_init import new_workbook_bytes


@pytest.fixture(scope="module")
def statuses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Status]:
    tracker = load_organisers(tmp_path_factory.mktemp("status")).tracker
    return {p.id: derive_status(p, tracker.stages_of(p.id)) for p in tracker.petitions}


def test_a_tie_settled_by_the_chair_then_adopted_in_the_plenary(
    statuses: dict[str, Status], tmp_path: Path
) -> None:
    tracker = load_organisers(tmp_path).tracker
    committee = next(s for s in tracker.stages if s.id == "s02a")
    assert committee.vote is not None and committee.vote.chair_decided
    assert (committee.vote.yes, committee.vote.no) == (3, 3)
    status = statuses["p02"]
    assert (status.outcome, status.final, status.body) == ("adopted", True, "本会議")
    assert status.vote is not None and (status.vote.yes, status.vote.no) == (28, 25)
    assert status.days == 43  # 2026-08-20 → 2026-10-02


def test_a_committee_adoption_overturned_in_the_plenary(statuses: dict[str, Status]) -> None:
    status = statuses["p03"]
    assert (status.outcome, status.final, status.overturned) == ("rejected", True, True)
    assert status.vote is not None and status.vote.abstain == 1
    assert status.style == "rejected"


def test_three_carry_overs_then_a_withdrawal(statuses: dict[str, Status]) -> None:
    status = statuses["p04"]
    # the plenary confirming its committee's 継続審査 in June is the same carry-over
    assert status.carried_over == 3
    assert (status.outcome, status.final, status.days) == ("withdrawn", True, 266)
    assert status.style == "closed"


def test_an_opinion_adopted_and_one_voted_down(statuses: dict[str, Status]) -> None:
    assert (statuses["p05"].outcome, statuses["p05"].final) == ("passed", True)
    assert statuses["p05"].vote is not None and statuses["p05"].vote.unanimous
    assert (statuses["p06"].outcome, statuses["p06"].final) == ("voted_down", True)


def test_adopted_in_committee_is_not_final_until_the_plenary(
    statuses: dict[str, Status]
) -> None:
    status = statuses["p09"]
    assert (status.outcome, status.final, status.days) == ("adopted", False, None)
    assert status.upcoming is not None and status.upcoming.id == "s09b"
    assert status.style == "committee"


def test_carried_over_is_never_final_and_a_hearing_ahead_is_pending(
    statuses: dict[str, Status]
) -> None:
    assert (statuses["p11"].outcome, statuses["p11"].final) == ("carried_over", False)
    assert statuses["p11"].carried_over == 1
    pending = statuses["p10"]
    assert pending.outcome is None and pending.upcoming is not None
    assert pending.style == "pending"


def test_shushi_is_read_as_the_usual_spelling(statuses: dict[str, Status]) -> None:
    assert statuses["p07"].outcome == "adopted_in_spirit"


# -- the status does not depend on the order of the stage rows -----------------------

KAWASAKI = register().by_code("141305")
assert KAWASAKI is not None
PETITION = Petition(id="p", place=KAWASAKI, assembly="川崎市議会", classification="petition",
                    title="請願", submitted=date(2026, 5, 1))
BODIES = ("健康福祉委員会", "本会議")


@st.composite
def stage_rows(draw: st.DrawFn) -> list[Stage]:
    """A petition's stages as organisers type them: some on the same day (a committee
    in the morning, the plenary in the afternoon), some ahead without an outcome."""
    count = draw(st.integers(min_value=1, max_value=7))
    keys = [o.key for o in outcomes()]
    stages = []
    for index in range(count):
        body = draw(st.sampled_from(BODIES))
        stages.append(Stage(
            id=f"s{index}", petition_id="p",
            date=date(2026, 6, 1) + timedelta(days=draw(st.integers(0, 200))),
            body=body, plenary=body == "本会議",
            start=draw(st.none() | st.sampled_from([time(10), time(13, 30)])),
            outcome=draw(st.none() | st.sampled_from(keys)),
        ))
    return stages


@given(stage_rows(), st.randoms(use_true_random=False))
def test_the_status_does_not_depend_on_the_order_of_the_stage_rows(
    stages: list[Stage], rng: random.Random
) -> None:
    shuffled = list(stages)
    rng.shuffle(shuffled)
    assert derive_status(PETITION, shuffled) == derive_status(PETITION, stages)
    assert derive_status(PETITION, reversed(stages)) == derive_status(PETITION, stages)


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_shuffled_rows_of_the_stages_tab_give_the_same_statuses(
    tmp_path_factory: pytest.TempPathFactory, rng: random.Random
) -> None:
    """The whole way, from a workbook whose 審議 rows are in another order."""
    rows = organisers_rows()
    expected = _statuses(tmp_path_factory.mktemp("rows"), rows)
    shuffled = list(rows["stages"])
    rng.shuffle(shuffled)
    assert _statuses(tmp_path_factory.mktemp("shuffled"), {**rows, "stages": shuffled}) \
        == expected


def _statuses(folder: Path, rows: dict[str, list[dict[str, object]]]) -> dict[str, Status]:
    path = folder / "workbook.xlsx"
    path.write_bytes(new_workbook_bytes(rows=rows))
    tracker = load_workbook(XlsxSource(path).read_tables(), tracker_config()).tracker
    # row numbers differ with the order; everything else must not
    return {p.id: _without_rows(derive_status(p, tracker.stages_of(p.id)))
            for p in tracker.petitions}


def _without_rows(status: Status) -> Status:
    upcoming = status.upcoming
    return replace(status, upcoming=replace(upcoming, row=0) if upcoming else None)
