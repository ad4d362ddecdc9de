"""Whatever anyone types into any column of any tab, a sync builds every output.

A property test over every column of the workbook layout (a caravan's 行程 tab
included): one good row of each tab, then one more whose cell in the chosen column
holds a generated value (negative, fractional and gigantic numbers, huge and
formula-like text, dates, booleans, formula errors …). Loading, the roll-up, the feeds,
the pages, the report files and the 集計 rows must all be built without an exception;
every problem names its tab and renders in both languages; every file name stays short
enough for any file system.

This is how the negative head-count told as "not a number" and the count that
overflowed the roll-up's 64-bit sums (a crash of the whole sync) were found.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_sheets.core.config import CalendarConfig, Config, RegistrationConfig
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.core.schema import tab_specs
from campaign_sheets.core.values import CellValue, RawTable
from campaign_sheets.feeds.build import build_feeds
from campaign_sheets.load import load_workbook
from campaign_sheets.load.cells import ERROR_VALUES
from campaign_sheets.pages.build import build_pages
from campaign_sheets.rollup.records import collect_records
from campaign_sheets.rollup.report_files import build_reports
from campaign_sheets.rollup.sheet import rollup_rows

CONFIG = Config(
    fiscal_year=2026,
    prefecture="神奈川県",
    calendar=CalendarConfig(name="地区社保協 行動予定", uid_domain="shaho.test-council.jp",
                            base_url="https://calendar.test-council.jp/"),
    registration=RegistrationConfig(
        url_template="https://docs.google.com/forms/d/e/1FAIpQLSc9x/viewform?entry.1234567={id}"),
    flyer_pdf=False,
)

#: One good row of each tab, by column key.
GOOD: dict[str, dict[str, CellValue]] = {
    "events": {"id": "good-1", "kind": "キャラバン", "title": "自治体キャラバン",
               "date": "2026-10-17",
               "time": "13:30～15:00", "venue": "駅前", "organizer": "協会", "orgs": "年金者組合",
               "series": "連続宣伝", "region": "川崎", "status": "終了",
               "report": "協会3人。署名12筆。"},
    "participation": {"event": "good-1", "org": "協会", "people": 3},
    "results": {"event": "good-1", "item": "署名", "value": 12, "unit": "筆"},
    "stops": {"event": "good-1", "order": 1, "municipality": "川崎市", "time": "10:00～11:00",
              "venue": "市役所", "activity": "懇談", "people": 4},
    "orgs": {"name": "県保険医協会", "short": "協会", "aliases": "年金者組合", "key": "hokeni"},
    "registrations": {"timestamp": "2026/10/01 10:00", "event": "good-1", "org": "協会",
                      "people": 2},
}

huge_text = st.builds(lambda ch, n: ch * n, st.sampled_from(["あ", "a", "=", "/", ".."]),
                      st.integers(200, 6000))
values: st.SearchStrategy[CellValue] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**25), 10**25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([-3, 0, 2.5, -0.5, 10**20, "▲2", "－1", "2.5人", "99999999999999999999"]),
    st.dates(), st.datetimes(), st.times(),
    st.text(max_size=40),
    huge_text,
    st.sampled_from(['=HYPERLINK("http://evil","x")', "+1+1", "@SUM(A1)", "../../etc",
                     "a/b\\c", "CON", ".", "http://plain.test/", "javascript:alert(1)",
                     "good-1", "中止", "会員", "非公開", "毎月4のつく日"]),
    st.sampled_from(sorted(ERROR_VALUES)),
)
columns = st.sampled_from([(spec.key, col.key) for spec in tab_specs() if spec.key in GOOD
                           for col in spec.columns])


def _tables(tab: str, column: str, value: CellValue) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    for spec in tab_specs():
        if spec.key not in GOOD:
            continue
        header = [col.header for col in spec.columns]
        good = [GOOD[spec.key].get(col.key) for col in spec.columns]
        rows: list[list[CellValue]] = [header, good]
        if spec.key == tab:
            odd = list(good)
            if spec.key == "events":
                odd[header.index("ID")] = "odd-1"
            odd[[c.key for c in spec.columns].index(column)] = value
            rows.append(odd)
        tables[spec.name] = RawTable(spec.name, rows)
    return tables


def _build_everything(tables: dict[str, RawTable]) -> tuple[list[Any], dict[str, bytes]]:
    loaded = load_workbook(tables, CONFIG)
    records = collect_records(loaded.workbook)
    ctx = BuildContext(config=CONFIG, workbook=loaded.workbook, today=date(2026, 11, 1),
                       members_token="members-token-0123456789",
                       now=datetime(2026, 11, 1, 3, 0).astimezone())
    files = dict(build_feeds(ctx, {}).files)
    files.update(build_reports(ctx, records=records))
    files.update(build_pages(ctx, pdf=False))
    rollup_rows(ctx)
    return [*loaded.problems, *records.problems], files


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(columns, values)
def test_any_value_in_any_column_builds_every_output(column: tuple[str, str],
                                                     value: CellValue) -> None:
    tab, key = column
    problems, files = _build_everything(_tables(tab, key, value))
    for problem in problems:
        assert problem.sheet
        assert problem.message("ja") and problem.message("en")
    for path in files:
        parts = path.split("/")
        assert all(0 < len(part.encode("utf-8")) <= 200 for part in parts), path
        assert ".." not in parts and "." not in parts, path
    # the good row is published whatever the odd row holds
    assert "events/good-1/index.html" in files


def test_a_good_row_alone_has_no_problem() -> None:
    problems, _ = _build_everything(_tables("events", "id", "odd-2"))
    assert [p.code for p in problems] == []


def test_times_and_dates_in_text_columns_are_read_as_the_sheet_shows_them() -> None:
    problems, files = _build_everything(_tables("events", "venue", time(13, 30)))
    assert "events/odd-1/index.html" in files
    assert not problems
