"""Each sync publishes the year's reports, and rewrites the 集計 tab, without leaking anything."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_sheets.core.config import Config
from campaign_sheets.core.model import Action, Participation, Registration, Status, Tally, Workbook
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.core.values import RawTable
from campaign_sheets.load import load_workbook
from campaign_sheets.rollup.report_files import build_reports
from campaign_sheets.rollup.sheet import rollup_rows
from test_rollup_records import autumn

GOLDEN = Path(__file__).resolve().parent / "golden" / "reports"
REGENERATE = os.environ.get("CAMPAIGN_SHEETS_REGENERATE") == "1"
TODAY = date(2026, 1, 10)
PUBLIC_FILES = {"by-action.csv", "by-org.csv", "tallies.csv", "by-municipality.csv",
                "report.xlsx", "report.md", "participation.png"}


def _ctx(workbook: Workbook, token: str | None = None) -> BuildContext:
    return BuildContext(Config(fiscal_year=2025), workbook, TODAY, members_token=token)


def _text(data: bytes, path: str) -> str:
    """Every readable text of a report file (an XLSX's cells, as a reader sees them)."""
    if path.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            str(value) for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True) for value in row if value is not None
        )
    if path.endswith(".png"):
        return data.decode("latin-1")
    return data.decode("utf-8-sig")


def test_the_public_tree_has_every_report_file() -> None:
    files = build_reports(_ctx(autumn()))
    assert set(files) == {f"reports/{name}" for name in PUBLIC_FILES}


def test_reports_match_the_golden_files() -> None:
    files = build_reports(_ctx(autumn()))
    for name in ("by-action.csv", "by-org.csv", "tallies.csv", "report.md"):
        golden = GOLDEN / name
        if REGENERATE:
            golden.write_bytes(files[f"reports/{name}"])
        assert files[f"reports/{name}"] == golden.read_bytes(), name


def test_public_totals_by_organisation_leave_out_members_only_and_private_actions() -> None:
    files = build_reports(_ctx(autumn(), token="s3cret"))
    public = files["reports/by-org.csv"].decode("utf-8-sig").splitlines()
    members = files["members/s3cret/reports/by-org.csv"].decode("utf-8-sig").splitlines()
    assert public[1].startswith("年金者組合,5,10,2,")
    assert members[1].startswith("年金者組合,6,12,2,")
    assert public[4].startswith("保険医協会,1,1,0,")
    assert members[4].startswith("保険医協会,2,5,0,")
    assert "会員限定" not in _text(files["reports/report.xlsx"], ".xlsx")
    assert "会員限定" in _text(files["members/s3cret/reports/report.xlsx"], ".xlsx")
    for path, data in files.items():
        assert "非公開 幹事会" not in _text(data, path), path


def test_the_report_workbook_opens_with_a_sheet_per_table(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(build_reports(_ctx(autumn()))["reports/report.xlsx"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["行動別", "団体別", "団体別・月別", "種別", "月別", "成果",
                               "自治体別", "申込と参加"]
    rows = list(book["申込と参加"].iter_rows(min_row=2, values_only=True))
    assert [r[3:] for r in rows] == [("年金者組合", 2, None, None), ("医療生協", 3, 3, 0),
                                     ("建設ユニオン", None, 2, None)]


def test_a_sync_that_changes_nothing_gives_identical_bytes() -> None:
    assert build_reports(_ctx(autumn())) == build_reports(_ctx(autumn()))


def test_the_rollup_tab_holds_the_members_view_of_the_fiscal_year() -> None:
    rows = rollup_rows(_ctx(autumn()))
    assert rows[0] == ["集計 2025年度", "2025-04-01〜2026-03-31"]
    titles = [r[0] for r in rows if len(r) == 1]
    assert titles == ["団体別", "成果", "月別", "自治体別"]
    assert rows[3] == ["団体", "参加行動数", "人数", "人数不明の回", "宣伝行動（回）",
                       "学習会（回）", "集会（回）", "交渉（回）"]
    assert rows[4][:4] == ["年金者組合", 6, 12, 2]
    assert all(isinstance(c, int | str) for row in rows for c in row)
    assert next(r for r in rows if r and r[0] == "商工会")[:4] == ["商工会", 1, "不明", 1]


_SECRET = st.text(alphabet="あいうえおかきくけこさしすせそ", min_size=4, max_size=8)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_SECRET, min_size=1, max_size=3), title=_SECRET,
       phone=st.integers(10_000_000, 99_999_999), mail=st.from_regex(r"[a-z]{6,10}",
                                                                   fullmatch=True))
def test_no_personal_data_or_members_only_title_reaches_public_reports(
    names: list[str], title: str, phone: int, mail: str
) -> None:
    tables = {
        "行動": [["ID", "種別", "行動名", "日付", "公開", "参加報告"],
               ["p1", "宣伝行動", "駅前宣伝", "2025-05-04", "公開", "年金者組合2人。"],
               ["m1", "集会", f"秘{title}", "2025-06-01", "会員", "年金者組合3人。"],
               ["h1", "会議", f"隠{title}", "2025-06-02", "非公開", "年金者組合4人。"]],
        "団体": [["団体名"], ["年金者組合"]],
        "申込": [["タイムスタンプ", "行動ID", "団体", "人数", "氏名", "メール", "電話"]]
        + [["2025/05/01", event, "年金者組合", 1, f"氏{name}", f"{mail}@example.org",
            f"090-{phone // 10_000:04d}-{phone % 10_000:04d}"]
           for name in names for event in ("p1", "m1")],
    }
    raw = {k: RawTable(k, v) for k, v in tables.items()}
    workbook = load_workbook(raw, Config(fiscal_year=2025)).workbook
    files = build_reports(_ctx(workbook, token="tok"))
    secrets = [f"秘{title}", f"隠{title}", f"{mail}@example.org",
               f"090-{phone // 10_000:04d}-{phone % 10_000:04d}",
               *(f"氏{n}" for n in names)]
    for path, data in files.items():
        text = _text(data, path)
        public = path.startswith("reports/")
        for secret in secrets:
            if public or not secret.startswith("秘"):
                assert secret not in text, (path, secret)
    assert f"秘{title}" in _text(files["members/tok/reports/by-action.csv"], ".csv")


@pytest.mark.slow
def test_five_thousand_actions_of_ten_rows_are_all_counted() -> None:
    """A federation-sized roll-up builds and counts everything (its speed is measured
    by benchmarks/run.py, not here)."""
    start_day = date(2025, 4, 1)
    actions = tuple(
        Action(f"a{i}", "street", f"宣伝{i}", start_day + timedelta(days=i % 365),
               status=Status.DONE)
        for i in range(5000))
    orgs = autumn().orgs
    participation = tuple(
        Participation(a.id, orgs[j % len(orgs)].name if j < 5 else f"団体{j}",
                      None if j == 9 else j + 1)
        for a in actions for j in range(10))
    tallies = tuple(Tally(a.id, "署名", 10, unit="筆") for a in actions)
    registrations = tuple(Registration(a.id, orgs[0].name, 2) for a in actions[::10])
    workbook = replace(autumn(), actions=actions, participation=participation, tallies=tallies,
                       registrations=registrations)
    files = build_reports(_ctx(workbook, token="tok"))
    assert len(files) == 14
    by_action = files["reports/by-action.csv"].decode("utf-8-sig").splitlines()
    assert len(by_action) == 1 + 5000
