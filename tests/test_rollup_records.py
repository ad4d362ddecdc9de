"""After each action the secretariat writes a report sentence, or fills the 参加/成果 tabs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_sheets.core.config import Config
from campaign_sheets.core.model import Action, Organisation, Participation, Tally, Workbook
from campaign_sheets.core.values import RawTable
from campaign_sheets.load import load_workbook
from campaign_sheets.rollup.records import Records, collect_records
from campaign_sheets.rollup.sentence_of import sentence_of

DATA = Path(__file__).resolve().parent / "data" / "rollup"


def autumn() -> Workbook:
    """The autumn campaign of tests/data/rollup/autumn.json, loaded as a sync would."""
    tabs = json.loads((DATA / "autumn.json").read_text(encoding="utf-8"))
    tables = {name: RawTable(name, rows) for name, rows in tabs.items()}
    return load_workbook(tables, Config(fiscal_year=2025)).workbook


def _people(records: Records, event: str) -> list[tuple[str, int | None, str]]:
    return [(p.org, p.people, p.source) for p in records.participation if p.event_id == event]


def test_the_sentence_becomes_participation_and_results() -> None:
    records = collect_records(autumn())
    assert _people(records, "e1") == [
        ("年金者組合", 5, "report"), ("医療生協", 3, "report"), ("建設ユニオン", 2, "report"),
        ("保険医協会", 1, "report")]
    signatures = [t for t in records.tallies if t.event_id == "e1" and t.item == "署名"]
    assert [(t.value, t.unit, t.source) for t in signatures] == [(31, "筆", "report")]
    stated, _venue = records.stated["e1"]
    assert (stated.orgs, stated.people) == (4, 11)
    e1 = next(p for p in records.participation if p.event_id == "e1")
    assert [(b.label, b.people) for b in e1.breakdown] == [("支部役員", 2)]


def test_an_organisation_named_without_a_count_stays_unknown() -> None:
    records = collect_records(autumn())
    assert _people(records, "e3") == [
        ("医療生協", None, "report"), ("年金者組合", None, "report"), ("商工会", None, "report")]
    assert next(p for p in records.participation if p.event_id == "e3").more


def test_aliases_and_short_names_resolve_to_the_canonical_name() -> None:
    assert _people(collect_records(autumn()), "e5") == [
        ("保険医協会", 4, "report"), ("年金者組合", 2, "report")]


def test_an_unknown_organisation_is_reported_with_the_closest_name() -> None:
    records = collect_records(autumn())
    unknown = [p for p in records.problems if p.code == "org.unknown"]
    assert [(p.location, p.params["value"]) for p in unknown] == [("行動!I10", "医療生協会")]
    assert "「医療生協」のことですか？" in unknown[0].message()
    assert ("医療生協会", 1, "report") in _people(records, "e9")


def test_tab_records_beat_the_sentence_and_the_difference_is_a_warning() -> None:
    records = collect_records(autumn())
    assert _people(records, "e4") == [("年金者組合", 3, "tab"), ("医療生協", 3, "tab")]
    [warning] = [p for p in records.problems if p.code == "rollup.tab_overrides_report"]
    assert warning.location == "行動!I5"
    assert warning.severity.value == "warning"
    message = warning.message()
    assert "年金者組合3、医療生協2" in message and "年金者組合3、医療生協3" in message
    assert "参加団体と人数" in message
    assert "participants" in warning.message("en")


def test_a_sentence_with_only_the_venue_adds_to_the_tab_records() -> None:
    records = collect_records(autumn())
    assert _people(records, "e2") == [("医療生協", 4, "tab"), ("年金者組合", None, "tab")]
    venue = [(t.item, t.value, t.unit) for t in records.tallies if t.event_id == "e2"]
    assert venue == [("会場", 28, "人"), ("オンライン", 9, "カ所")]
    assert not [p for p in records.problems if p.code == "rollup.tab_overrides_report"
                and p.row == 3]


def test_a_stated_total_that_differs_from_the_parts_is_a_warning_at_the_cell() -> None:
    workbook = Workbook(
        actions=(Action("x", "street", "宣伝", date(2025, 5, 4), row=7,
                        report="年金者組合5人、医療生協3人の計4団体12人。"),),
        orgs=(Organisation("年金者組合"), Organisation("医療生協")),
        sheet_names={"events": "行動"}, columns={"events": {"report": (3, "参加報告")}},
    )
    records = collect_records(workbook)
    codes = {p.code for p in records.problems}
    assert "report.total_mismatch" in codes
    assert {p.location for p in records.problems} == {"行動!D7"}
    assert all(p.message() for p in records.problems)
    # Both kept, nothing "fixed": the parts are the records, the statement is kept beside.
    assert [p.people for p in records.participation] == [5, 3]
    assert records.stated["x"][0].people == 12


def test_the_sentence_of_an_action_is_written_from_its_records() -> None:
    workbook = autumn()
    records = collect_records(workbook)
    assert sentence_of("e1", records, workbook.orgs) == workbook.actions[0].report
    # The tab won for e4, so the totals are counted from the tab.
    expected = "参加は、年金者組合3人、医療生協3人の計2団体6人。"
    assert sentence_of("e4", records, workbook.orgs) == expected


def test_organisations_come_in_the_order_of_the_orgs_tab() -> None:
    workbook = Workbook(
        actions=(Action("y", "street", "宣伝", date(2025, 5, 4)),),
        orgs=(Organisation("年金者組合"), Organisation("医療生協")),
        participation=(Participation("y", "医療生協", 2), Participation("y", "年金者組合", 1)),
        tallies=(Tally("y", "署名", 7, label="介護を守れ", unit="筆"),),
    )
    text = sentence_of("y", collect_records(workbook), workbook.orgs)
    assert text.startswith("参加は、年金者組合1人、医療生協2人の計2団体3人。")
    assert "署名" in text and "7筆" in text


_ORG_NAMES = ("年金者組合", "医療生協", "建設ユニオン", "保険医協会", "商工会")


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(st.tuples(st.sampled_from(_ORG_NAMES), st.one_of(st.none(),
                                                                        st.integers(1, 300))),
                    min_size=1, max_size=5, unique_by=lambda p: p[0]),
    signatures=st.one_of(st.none(), st.integers(1, 5000)),
)
def test_a_written_sentence_reads_back_as_the_same_records(
    people: list[tuple[str, int | None]], signatures: int | None
) -> None:
    orgs = tuple(Organisation(name) for name in _ORG_NAMES)
    tallies = (Tally("z", "署名", signatures, unit="筆"),) if signatures else ()
    written = Workbook(
        actions=(Action("z", "street", "宣伝", date(2025, 5, 4)),), orgs=orgs,
        participation=tuple(Participation("z", org, n) for org, n in people), tallies=tallies)
    sentence = sentence_of("z", collect_records(written), orgs)
    read = collect_records(Workbook(
        actions=(Action("z", "street", "宣伝", date(2025, 5, 4), report=sentence),), orgs=orgs))
    in_order = sorted(people, key=lambda p: _ORG_NAMES.index(p[0]))
    assert [(p.org, p.people) for p in read.participation] == in_order
    assert [(t.item, t.value) for t in read.tallies] == [(t.item, t.value) for t in tallies]
    assert read.problems == ()


CARAVAN = (
    "キャラバン第2日は、寒川町（8人参加）、愛川町（5人）、清川村（3人）で懇談、"
    "厚木市本厚木駅前（6人）で宣伝。参加は、川崎市職労3人、年金者組合2人。"
    "団体別では医療生協が120冊、年金者組合80冊の注文。署名23筆。"
)


def _caravan() -> Workbook:
    orgs = (Organisation("川崎市職労"), Organisation("年金者組合", aliases=("年金",)),
            Organisation("医療生協"))
    action = Action("c2", "caravan", "キャラバン第2日", date(2025, 10, 9), report=CARAVAN, row=4)
    return Workbook(actions=(action,), orgs=orgs)


def test_caravan_stops_are_not_organisations_and_an_org_starting_with_a_town_is() -> None:
    records = collect_records(_caravan(), "14")
    assert _people(records, "c2") == [("川崎市職労", 3, "report"), ("年金者組合", 2, "report")]
    assert not [p for p in records.problems if p.code == "org.unknown"]


def test_results_counted_per_organisation_are_tallies_of_it_not_participation() -> None:
    records = collect_records(_caravan(), "14")
    per_org = [(t.org, t.item, t.value, t.unit) for t in records.tallies if t.org]
    assert per_org == [("医療生協", "注文", 120, "冊"), ("年金者組合", "注文", 80, "冊")]
    assert all(p.org not in ("医療生協",) for p in records.participation)
    sentence = sentence_of("c2", records, _caravan().orgs)
    assert "医療生協が120冊、年金者組合が80冊の注文" in sentence
    assert "署名23筆" in sentence


def test_a_municipality_that_does_not_resolve_is_a_problem_at_the_sentence_cell() -> None:
    workbook = Workbook(actions=(
        Action("c3", "caravan", "キャラバン", date(2025, 10, 9), report="緑区（5人）で懇談", row=6),
    ))
    at_home = collect_records(workbook, "14")
    [problem] = [p for p in at_home.problems if p.code == "report.stop_unresolved"]
    assert problem.row == 6 and "横浜市緑区" in problem.message()
    assert not at_home.participation
