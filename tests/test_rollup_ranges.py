"""A caravan of two days is one action in the roll-up: counted on its first day, shown whole."""

from __future__ import annotations

from datetime import date

from campaign_sheets.core.config import Config
from campaign_sheets.core.model import Action, Organisation, Participation, Status, Tally, Workbook
from campaign_sheets.core.orgs import OrgIndex
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.rollup.frame import Rollup
from campaign_sheets.rollup.period import Period, fiscal_period
from campaign_sheets.rollup.records import collect_records
from campaign_sheets.rollup.report_files import build_reports
from campaign_sheets.rollup.tables import Table

ORGS = (Organisation("年金者組合"), Organisation("医療生協"))
CARAVAN = Action(
    id="caravan-1130", kind="caravan", title="自治体キャラバン 湘南コース",
    date=date(2025, 11, 30), end_date=date(2025, 12, 2), status=Status.DONE,
)
STREET = Action(id="street-1204", kind="street", title="宣伝行動", date=date(2025, 12, 4),
                status=Status.DONE)


def _workbook() -> Workbook:
    return Workbook(
        actions=(CARAVAN, STREET), orgs=ORGS,
        participation=(
            Participation("caravan-1130", "年金者組合", 6),
            Participation("caravan-1130", "医療生協", 4),
            Participation("street-1204", "年金者組合", 3),
        ),
        tallies=(Tally("caravan-1130", "署名", 23, label="介護を守れ", unit="筆"),),
    )


def _rollup(period: Period) -> Rollup:
    workbook = _workbook()
    return Rollup.build(workbook.actions, collect_records(workbook), period, OrgIndex(ORGS))


def _column(table: Table, key: str) -> list[object]:
    index = table.column_index(key)
    return [row[index] for row in table.rows]


def test_the_by_action_table_shows_the_range_as_an_iso_interval() -> None:
    table = _rollup(fiscal_period(2025)).by_action()
    assert _column(table, "id") == ["caravan-1130", "street-1204"]
    assert _column(table, "date") == ["2025-11-30/2025-12-02", "2025-12-04"]
    assert _column(table, "people") == [10, 3]


def test_a_range_counts_once_in_the_month_of_its_first_day() -> None:
    by_month = _rollup(fiscal_period(2025)).by_month()
    months = dict(zip(_column(by_month, "month"), _column(by_month, "actions"), strict=True))
    assert months == {"2025-11": 1, "2025-12": 1}
    by_org = _rollup(fiscal_period(2025)).by_org()
    assert dict(zip(_column(by_org, "org"), _column(by_org, "actions"), strict=True)) == {
        "年金者組合": 2, "医療生協": 1,
    }


def test_a_period_takes_a_range_by_its_first_day() -> None:
    december = _rollup(Period(date(2025, 12, 1), date(2025, 12, 31))).by_action()
    assert _column(december, "id") == ["street-1204"]  # begun in November
    november = _rollup(Period(date(2025, 11, 1), date(2025, 11, 30))).by_action()
    assert _column(november, "id") == ["caravan-1130"]


def test_the_report_files_show_the_range() -> None:
    files = build_reports(BuildContext(Config(fiscal_year=2025), _workbook(), date(2026, 1, 10)))
    csv = files["reports/by-action.csv"].decode("utf-8-sig").splitlines()
    assert csv[1].startswith("caravan-1130,2025-11-30/2025-12-02,自治体キャラバン 湘南コース,")
    markdown = files["reports/report.md"].decode("utf-8")
    assert "| caravan-1130 | 2025-11-30/2025-12-02 | 自治体キャラバン 湘南コース |" in markdown
