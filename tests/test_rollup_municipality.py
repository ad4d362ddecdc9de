"""The secretariat counts, per municipality, what the campaign did there: actions,
caravan stops, people and results (``report --by municipality``, by-municipality.csv)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import caravan_support as cs
from campaign_sheets.cli import main
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.report import ParsedReport
from campaign_sheets.rollup.frame import Rollup
from campaign_sheets.rollup.period import Period
from campaign_sheets.rollup.records import collect_records
from campaign_sheets.rollup.report_files import build_reports
from campaign_sheets.rollup.sheet import rollup_rows

YEAR = Period(cs.FIRST.replace(month=4, day=1), cs.FIRST.replace(year=2027, month=3, day=31))


def _table(
    tabs: dict[str, list[list[Any]]] | None = None, reader: Any = cs.reader
) -> list[tuple[Any, ...]]:
    workbook, _ = cs.two_day_workbook(tabs or cs.TABS)
    records = collect_records(workbook, parse=reader)
    rollup = Rollup.build(workbook.actions, records, YEAR, BuildContext(
        cs.config(), workbook, cs.FIRST).org_index)
    table = rollup.by_municipality()
    assert [c.label for c in table.columns] == [
        "コード", "自治体", "行動数", "行程数", "人数", "人数不明の回", "署名（筆）"]
    return list(table.rows)


def test_each_municipality_counts_its_stops_its_actions_people_and_results() -> None:
    assert _table() == [
        ("141003", "横浜市", 1, 1, 10, 0, ""),
        ("142051", "藤沢市", 2, 1, 14, 0, 42),   # a stop, and the street action held there
        ("142077", "茅ヶ崎市", 1, 1, 6, 0, ""),
        ("142123", "厚木市", 1, 2, 15, 0, 15),   # two stops; the signatures attributed to it
        ("143219", "寒川町", 1, 1, 8, 0, 8),
        ("144011", "愛川町", 1, 1, 5, 0, ""),
        ("144029", "清川村", 1, 1, 3, 0, ""),    # the stop's count, not its 参加 row again
    ]


def test_a_stop_without_a_count_is_counted_by_the_sentence_its_rows_or_stays_unknown() -> None:
    rows = [list(r) for r in cs.TABS["行程"]]
    rows[6][7] = ""  # 清川村: its 参加 row says 4
    rows[2][7] = ""  # 茅ヶ崎: the sentence says 6
    tabs = {**cs.TABS, "行程": rows}
    by_code = {row[0]: row for row in _table(tabs)}
    assert by_code["142077"][4:6] == (6, 0)
    silent = {row[0]: row for row in _table(tabs, reader=lambda _text: ParsedReport())}
    assert silent["144029"][4:6] == (4, 0)
    assert silent["142077"][4:6] == (None, 1)


def test_a_wards_actions_count_for_its_city_too() -> None:
    held = ["ku-1", "医療生協", 12, "", "", ""]  # the study meeting in 横浜市中区 was held
    tabs = {**cs.TABS, "参加": [*cs.TABS["参加"], held]}
    by_code = {row[0]: row for row in _table(tabs)}
    assert by_code["141046"][1:6] == ("横浜市中区", 1, 0, 12, 0)
    assert by_code["141003"][1:6] == ("横浜市", 2, 1, 22, 0)


def test_the_reports_and_the_rollup_tab_carry_the_municipality_table() -> None:
    workbook, _ = cs.two_day_workbook()
    ctx = BuildContext(cs.config(), workbook, cs.FIRST)
    records = collect_records(workbook, parse=cs.reader)
    files = build_reports(ctx, records=records)
    rows = list(csv.reader(io.StringIO(files["reports/by-municipality.csv"].decode("utf-8-sig"))))
    assert rows[0][:6] == ["コード", "自治体", "行動数", "行程数", "人数", "人数不明の回"]
    assert rows[1][:5] == ["141003", "横浜市", "1", "1", "10"]
    assert "## 自治体別" in files["reports/report.md"].decode()
    book = openpyxl.load_workbook(io.BytesIO(files["reports/report.xlsx"]), read_only=True)
    assert "自治体別" in book.sheetnames
    sheet = rollup_rows(ctx)
    titles = [r[0] for r in sheet if len(r) == 1]
    assert titles[-1] == "自治体別"


def _site(tmp_path: Path) -> Path:
    return cs.write_site(tmp_path, cs.one_day_tabs())


def test_report_by_municipality_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _site(tmp_path)
    assert main(["report", "--config", str(config), "--by", "municipality"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "自治体別" and lines[2].split()[:5] == ["141003", "横浜市", "1", "1", "10"]
    assert main(["report", "--config", str(config), "--by", "municipality", "--format",
                 "json"]) == 0
    payload = json.loads(capsys.readouterr()[0])
    table = payload["tables"]["by_municipality"]
    assert table["rows"][0] == {"code": "141003", "municipality": "横浜市", "actions": 1,
                                "stops": 1, "people": 10, "unknown": 0, "item:署名:筆": ""}
    assert main(["report", "--config", str(config), "--by", "municipality", "--format",
                 "csv"]) == 0
    csv_rows = list(csv.reader(io.StringIO(capsys.readouterr()[0].lstrip("\ufeff"))))
    assert [r[1] for r in csv_rows[1:]] == [
        "横浜市", "藤沢市", "茅ヶ崎市", "厚木市", "寒川町", "愛川町", "清川村"]
    assert main(["report", "--config", str(config), "--by", "municipality", "--format",
                 "md"]) == 0
    assert "| コード | 自治体 |" in capsys.readouterr()[0]
    target = tmp_path / "集計.xlsx"
    assert main(["report", "--config", str(config), "--by", "municipality", "--format",
                 "xlsx", "-o", str(target)]) == 0
    assert "自治体別" in openpyxl.load_workbook(target, read_only=True).sheetnames
    assert "エラー" not in err
