"""Every report compares with last year: 「相談は41件、昨年は19件」. Two fiscal years of
a council's 相談会 and its course, with actions on 31 March and 1 April."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook as XlsxWorkbook

from campaign_sheets.cli import main
from campaign_sheets.core.config import Config
from campaign_sheets.core.model import Workbook
from campaign_sheets.core.orgs import OrgIndex
from campaign_sheets.core.values import RawTable
from campaign_sheets.load import load_workbook
from campaign_sheets.rollup.compare import compare_table, previous_period
from campaign_sheets.rollup.frame import Rollup
from campaign_sheets.rollup.period import Period, fiscal_period
from campaign_sheets.rollup.previous import same_action_last_year, title_key
from campaign_sheets.rollup.records import Records, collect_records
from campaign_sheets.rollup.sentence_of import SentenceContext, sentence_of
from sync_support import make_site

DATA = Path(__file__).resolve().parent / "data" / "compare"


def two_years() -> tuple[Workbook, Records]:
    tabs = json.loads((DATA / "two-years.json").read_text(encoding="utf-8"))
    workbook = load_workbook({n: RawTable(n, rows) for n, rows in tabs.items()}, Config()).workbook
    return workbook, collect_records(workbook)


def last_year_of(event_id: str) -> str | None:
    workbook, _records = two_years()
    action = next(a for a in workbook.actions if a.id == event_id)
    found = same_action_last_year(action, workbook.actions)
    return None if found is None else found.id


# --- which action is "the same one last year" ------------------------------------

def test_1_april_is_a_new_fiscal_year_so_31_march_is_last_year() -> None:
    # c26a (2026-04-01, FY2026) ↔ c25 (2026-03-31, FY2025), never c24 (2025-03-31, FY2024)
    assert last_year_of("c26a") == "c25"


def test_31_march_belongs_to_the_year_that_began_the_april_before() -> None:
    # c25 (2026-03-31) is FY2025: its last year is FY2024, where c24 (2025-03-31) is
    assert last_year_of("c25") == "c24"


def test_among_several_the_one_nearest_a_year_before_is_taken_and_cancelled_ones_never() -> None:
    # c26b (2027-03-20): c25 (2026-03-31) is nearer a year before than nothing else held;
    # c25x (2025-09-10) was cancelled
    assert last_year_of("c26b") == "c25"


def test_the_same_title_of_another_kind_is_another_action() -> None:
    workbook, _ = two_years()
    street = next(a for a in workbook.actions if a.id == "k25")
    assert street.kind != next(a for a in workbook.actions if a.id == "c26a").kind
    assert last_year_of("c26a") != "k25"


def test_a_series_session_is_compared_with_the_session_at_the_same_place() -> None:
    assert last_year_of("t1") == "s1"
    assert last_year_of("t2") == "s2"
    assert last_year_of("t3") is None  # last year's course had only two sessions


def test_titles_compare_without_ordinals_years_and_brackets() -> None:
    assert title_key("第2回 なんでも相談会（2026年度）") == title_key("なんでも相談会")
    assert title_key("令和8年度 社会保障講座") == title_key("社会保障講座 第12回")
    assert title_key("なんでも相談会") != title_key("介護相談会")


def test_an_action_with_no_counterpart_has_none() -> None:
    assert last_year_of("s2") is None  # FY2024 had no course


# --- the report sentence ---------------------------------------------------------------

def sentence(event_id: str) -> str:
    workbook, records = two_years()
    return sentence_of(event_id, records, workbook.orgs, SentenceContext(workbook.actions))


def test_the_sentence_says_last_years_count_after_this_years() -> None:
    assert sentence("c26b") == (
        "参加は、県年金者組合4人、県医療生活協同組合2人の計2団体6人（昨年3人）。"
        "相談41件（昨年19件）、署名15筆でした。")


def test_a_result_last_year_did_not_count_has_no_note() -> None:
    assert "署名15筆（昨年" not in sentence("c26b")


def test_without_a_context_the_sentence_is_as_before() -> None:
    workbook, records = two_years()
    assert "昨年" not in sentence_of("c26b", records, workbook.orgs)


def test_a_course_session_says_last_years_session_head_count() -> None:
    assert sentence("t2").endswith("計2団体9人（昨年4人）。")


# --- report --compare previous-year ----------------------------------------------

FY2026 = fiscal_period(2026)


def compared(by: str, period: Period = FY2026) -> list[dict[str, object]]:
    workbook, records = two_years()
    orgs = OrgIndex(workbook.orgs)
    this = Rollup.build(workbook.actions, records, period, orgs)
    last = Rollup.build(workbook.actions, records, previous_period(period), orgs)
    return list(compare_table(by, this, last).records())


def test_the_previous_period_of_a_fiscal_year_is_the_fiscal_year_before() -> None:
    last = previous_period(fiscal_period(2026))
    assert (last.start, last.end, last.fiscal_year) == (date(2025, 4, 1), date(2026, 3, 31), 2025)
    days = previous_period(Period(date(2026, 10, 1), date(2027, 2, 28)))
    assert (days.start, days.end) == (date(2025, 10, 1), date(2026, 2, 28))


def test_by_kind_each_kind_this_year_beside_last() -> None:
    rows = {r["kind"]: r for r in compared("kind")}
    assert (rows["相談会"]["actions_this"], rows["相談会"]["actions_last"]) == (2, 1)
    assert (rows["講座"]["people_this"], rows["講座"]["people_last"],
            rows["講座"]["people_change"]) == (19, 12, 7)
    # a kind held only last year is shown with none this year
    assert (rows["宣伝行動"]["actions_this"], rows["宣伝行動"]["actions_change"]) == (0, -1)


def test_by_month_april_stands_beside_april_and_march_beside_march() -> None:
    pairs = [(r["month_this"], r["month_last"]) for r in compared("month")]
    assert pairs == [("2026-04", ""), ("", "2025-05"), ("2026-10", "2025-10"),
                     ("2026-11", "2025-11"), ("2027-03", "2026-03")]


def test_by_item_the_consultations_of_both_years() -> None:
    row = next(r for r in compared("item") if r["item"] == "相談")
    # FY2026: 23 on 1 April + 41 in March 2027; FY2025: 19 on 31 March 2026 (not 11 of FY2024)
    assert (row["total_this"], row["total_last"], row["total_change"]) == (64, 19, 45)


def test_by_org_and_by_action() -> None:
    orgs = {r["org"]: r for r in compared("org")}
    assert (orgs["県年金者組合"]["people_this"], orgs["県年金者組合"]["people_last"]) == (17, 12)
    actions = {r["id"]: r for r in compared("action")}
    assert (actions["t2"]["last_id"], actions["t2"]["people_change"]) == ("s2", 5)


@pytest.fixture()
def site_workbook(tmp_path: Path) -> Path:
    tabs = json.loads((DATA / "two-years.json").read_text(encoding="utf-8"))
    book = XlsxWorkbook()
    book.remove(book.worksheets[0])
    for name, rows in tabs.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "two-years.xlsx"
    book.save(path)
    return path


def test_report_compare_previous_year_from_the_command_line(
    site_workbook: Path, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", site_workbook, pdf=False)
    out = tmp_path / "compared.json"
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        code = main(["report", "--config", str(site.config), "--compare", "previous-year",
                     "--by", "item", "--format", "json", "-o", str(out)])
    assert code == 0
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["period"]["fiscal_year"] == 2026
    assert payload["compared_with"] == {"from": "2025-04-01", "to": "2026-03-31",
                                        "fiscal_year": 2025}
    rows = payload["tables"]["compare_by_item"]["rows"]
    assert {r["item"]: (r["total_this"], r["total_last"]) for r in rows}["相談"] == (64, 19)


def test_the_event_sentence_from_the_command_line_names_last_year(
    site_workbook: Path, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", site_workbook, pdf=False)
    out = tmp_path / "sentence.txt"
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        main(["report", "--config", str(site.config), "--event", "c26b", "-o", str(out)])
    assert "相談41件（昨年19件）" in out.read_text(encoding="utf-8")


def test_compare_with_a_table_it_cannot_pair_is_a_usage_error(
    site_workbook: Path, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", site_workbook, pdf=False)
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main(["report", "--config", str(site.config), "--compare", "previous-year",
                     "--by", "municipality"])
    assert code == 2 and "--by municipality" in err.getvalue()
