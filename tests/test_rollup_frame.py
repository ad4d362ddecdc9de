"""The secretariat adds up a year of actions: by organisation, kind, month and item."""

from __future__ import annotations

from datetime import date

from campaign_sheets.core.model import (
    Action,
    Option,
    Organisation,
    Participation,
    Registration,
    Status,
    Tally,
    Workbook,
)
from campaign_sheets.core.orgs import OrgIndex
from campaign_sheets.rollup.frame import Rollup
from campaign_sheets.rollup.period import choose_period, fiscal_period, fiscal_year_of
from campaign_sheets.rollup.records import collect_records
from campaign_sheets.rollup.tables import Table

ORGS = (Organisation("年金者組合"), Organisation("医療生協"), Organisation("商工会"))


def _rollup(workbook: Workbook, year: int = 2025) -> Rollup:
    return Rollup.build(workbook.actions, collect_records(workbook), fiscal_period(year),
                        OrgIndex(workbook.orgs))


def _rows(table: Table, *keys: str) -> list[tuple[object, ...]]:
    index = [table.column_index(k) for k in keys]
    return [tuple(row[i] for i in index) for row in table.rows]


def _year() -> Workbook:
    actions = (
        Action("a1", "street", "5月宣伝", date(2025, 5, 4), status=Status.DONE),
        Action("a2", "study", "学習会", date(2025, 6, 10)),
        Action("a3", "street", "6月宣伝", date(2025, 6, 14)),
        Action("a4", "street", "中止の宣伝", date(2025, 7, 4), status=Status.CANCELLED),
        Action("a5", "street", "前年度", date(2025, 3, 4)),
        Action("a6", "rally", "予定だけ", date(2025, 12, 1)),
    )
    participation = (
        Participation("a1", "年金者組合", 5),
        Participation("a1", "商工会", None),
        Participation("a2", "医療生協", 3),
        Participation("a2", "年金者組合", 2),
        Participation("a3", "年金者組合", 4),
        Participation("a4", "医療生協", 9),
        Participation("a5", "医療生協", 7),
    )
    tallies = (
        Tally("a1", "署名", 31, label="介護を守れ", unit="筆"),
        Tally("a3", "署名", 12, label="介護を守れ", unit="筆"),
        Tally("a3", "署名", None, label="年金", unit="筆"),
        Tally("a1", "シール投票", 48, options=(Option("反対", 45), Option("賛成", 3))),
        Tally("a5", "署名", 100, label="介護を守れ", unit="筆"),
    )
    return Workbook(actions=actions, orgs=ORGS, participation=participation, tallies=tallies)


def test_totals_by_organisation_over_the_fiscal_year() -> None:
    table = _rollup(_year()).by_org()
    assert _rows(table, "org", "actions", "people", "unknown") == [
        ("年金者組合", 3, 11, 0),
        ("医療生協", 1, 3, 0),
        ("商工会", 1, None, 1),
    ]
    assert _rows(table, "kind_street", "kind_study") == [(2, 1), (0, 1), (1, 0)]


def test_an_unknown_count_is_never_added_as_zero() -> None:
    rollup = _rollup(_year())
    by_action = rollup.by_action()
    assert _rows(by_action, "id", "people", "unknown", "participants")[0] == (
        "a1", 5, 1, "年金者組合5、商工会（不明）")
    assert rollup.summary() == {"actions": 3, "participations": 5, "people": 14, "unknown": 1}


def test_signatures_per_petition_and_poll_answers_are_added_up() -> None:
    table = _rollup(_year()).by_item()
    assert _rows(table, "item", "label", "option", "total", "actions", "unknown") == [
        ("署名", "介護を守れ", "", 43, 2, 0),
        ("シール投票", "", "", 48, 1, 0),
        ("シール投票", "", "反対", 45, 1, 0),
        ("シール投票", "", "賛成", 3, 1, 0),
        ("署名", "年金", "", None, 1, 1),
    ]


def test_kind_and_month_roll_ups_leave_out_cancelled_and_unrecorded_actions() -> None:
    rollup = _rollup(_year())
    assert _rows(rollup.by_kind(), "kind", "actions", "people") == [
        ("宣伝行動", 2, 9), ("学習会", 1, 5)]
    assert _rows(rollup.by_month(), "month", "actions", "participations", "people",
                 "unknown") == [("2025-05", 1, 2, 5, 1), ("2025-06", 2, 3, 9, 0)]
    assert [a.id for a in rollup.actions] == ["a1", "a2", "a3"]


def test_per_organisation_and_month() -> None:
    table = _rollup(_year()).org_month()
    assert _rows(table, "org", "month", "people") == [
        ("年金者組合", "2025-05", 5), ("年金者組合", "2025-06", 6),
        ("医療生協", "2025-06", 3), ("商工会", "2025-05", None)]


def test_registered_against_attended_per_organisation() -> None:
    workbook = Workbook(
        actions=(Action("s", "study", "講演会", date(2025, 11, 15), status=Status.DONE),),
        orgs=ORGS,
        participation=(Participation("s", "医療生協", 3), Participation("s", "商工会", None)),
        registrations=(Registration("s", "医療生協", 2), Registration("s", "医療生協", 2),
                       Registration("s", "年金者組合", 1)),
    )
    rollup = _rollup(workbook)
    assert _rows(rollup.registrations(), "org", "registered", "attended", "difference") == [
        ("年金者組合", 1, "", ""), ("医療生協", 4, 3, -1), ("商工会", "", None, "")]
    assert _rows(rollup.by_action(), "registered") == [(5,)]


def test_periods_default_to_the_fiscal_year() -> None:
    assert fiscal_year_of(date(2026, 3, 31)) == 2025
    assert fiscal_year_of(date(2026, 4, 1)) == 2026
    assert choose_period(None, None, None, date(2026, 1, 5)) == fiscal_period(2025)
    assert choose_period(None, None, 2023, date(2026, 1, 5)) == fiscal_period(2023)
    narrowed = choose_period(date(2025, 6, 1), None, None, date(2026, 1, 5))
    assert (narrowed.start, narrowed.end) == (date(2025, 6, 1), date(2026, 3, 31))
    rollup = Rollup.build(_year().actions, collect_records(_year()), narrowed, OrgIndex(ORGS))
    assert [a.id for a in rollup.actions] == ["a2", "a3"]


def test_an_empty_year_gives_empty_tables() -> None:
    rollup = _rollup(Workbook(orgs=ORGS))
    assert all(table.rows == () for table in rollup.tables())
    assert rollup.summary() == {"actions": 0, "participations": 0, "people": None, "unknown": 0}
