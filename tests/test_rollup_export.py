"""The secretariat opens the reports in Excel, reads them on the web, and a script reads JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_sheets.core.cell_safety import neutralise_formula
from campaign_sheets.rollup.chart import Bar, participation_png
from campaign_sheets.rollup.export import to_csv, to_json, to_markdown, to_text, to_xlsx
from campaign_sheets.rollup.period import fiscal_period
from campaign_sheets.rollup.tables import Table, make_table

ROOT = Path(__file__).resolve().parent.parent


def _by_org(*rows: tuple[str, int, int | None, int]) -> Table:
    return make_table("by_org", [list(r) for r in rows])


ORGS = _by_org(
    ("年金者組合", 3, 11, 0), ("=HYPERLINK(\"x\")", 1, 2, 0), ("商工会|支部", 1, None, 1))


def test_csv_opens_in_excel_with_japanese_intact() -> None:
    data = to_csv(ORGS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["団体", "参加行動数", "人数", "人数不明の回"]
    assert rows[3] == ["商工会|支部", "1", "不明", "1"]


def test_xlsx_has_a_sheet_per_table_and_keeps_formula_looking_text_as_text(
    tmp_path: Path,
) -> None:
    months = make_table("by_month", [["2025-05", 1, 2, 5, 1]])
    path = tmp_path / "report.xlsx"
    path.write_bytes(to_xlsx([ORGS, months]))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["団体別", "月別"]
    sheet = book["団体別"]
    assert [c.value for c in sheet[1]] == ["団体", "参加行動数", "人数", "人数不明の回"]
    # shown as typed behind the apostrophe that keeps a spreadsheet from running it
    assert sheet["A3"].value == "'=HYPERLINK(\"x\")"
    assert sheet["A3"].data_type == "s"
    assert sheet["C4"].value == "不明"
    assert sheet["C2"].value == 11


def test_xlsx_bytes_do_not_change_when_the_numbers_do_not() -> None:
    first = to_xlsx([ORGS])
    time.sleep(1.1)  # the next save falls in another second: no clock may leak in
    assert to_xlsx([ORGS]) == first


def test_markdown_and_text_show_unknown_and_escape_pipes() -> None:
    md = to_markdown([ORGS], "参加と成果の集計 2025年度", [("人数", 13), ("人数不明の回", 1)])
    assert md.startswith("# 参加と成果の集計 2025年度\n")
    assert "- 人数: 13" in md
    assert "| 商工会\\|支部 | 1 | 不明 | 1 |" in md
    assert "| --- | ---: | ---: | ---: |" in md
    text = to_text(ORGS)
    assert text.splitlines()[0] == "団体別"
    assert "不明" in text.splitlines()[4]


def test_json_uses_column_keys_and_null_for_unknown() -> None:
    payload = json.loads(to_json([ORGS], fiscal_period(2025)))
    assert payload["period"] == {"from": "2025-04-01", "to": "2026-03-31", "fiscal_year": 2025}
    rows = payload["tables"]["by_org"]["rows"]
    assert rows[2] == {"org": "商工会|支部", "actions": 1, "people": None, "unknown": 1}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.integers(0, 500),
                          st.one_of(st.none(), st.integers(0, 9999)), st.integers(0, 9)),
                max_size=6))
def test_csv_round_trips_any_table(rows: list[tuple[str, int, int | None, int]]) -> None:
    table = _by_org(*rows)
    back = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"), newline="")))
    expected = [["不明" if c is None else neutralise_formula(str(c)) for c in row]
                for row in table.rows]
    assert back[1:] == expected


BARS = [Bar("年金者組合", 11), Bar("医療生協", 3, unknown=1), Bar("商工会", None, unknown=2)]
_PNG_IN_CHILD = """
import sys
from campaign_sheets.core.cell_safety import neutralise_formula
from campaign_sheets.rollup.chart import Bar, participation_png
bars = [Bar("年金者組合", 11), Bar("医療生協", 3, unknown=1), Bar("商工会", None, unknown=2)]
sys.stdout.buffer.write(participation_png(bars, "団体別 参加人数 2025年度"))
"""


def test_chart_is_a_png_with_the_same_bytes_every_time() -> None:
    png = participation_png(BARS, "団体別 参加人数 2025年度")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"Software" not in png and b"matplotlib" not in png.lower()
    assert png == participation_png(BARS, "団体別 参加人数 2025年度")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    child = subprocess.run([sys.executable, "-c", _PNG_IN_CHILD], capture_output=True,
                           check=True, cwd=ROOT, env=env)
    assert child.stdout == png
    assert participation_png(BARS[:2], "団体別 参加人数 2025年度") != png


def test_chart_of_an_empty_period_still_draws() -> None:
    assert participation_png([], "団体別 参加人数 2025年度").startswith(b"\x89PNG")


def test_period_title() -> None:
    assert fiscal_period(2025).title == "2025年度"
    assert date(2026, 3, 31) in fiscal_period(2025)
