"""A workbook file as the schedule: what an organiser's Excel file gives and keeps.

The behaviour every source shares is in tests/contract/; these are the cases only
a file has: cached formula values, broken or locked files, and a write-back that
must keep the organiser's dropdowns, column widths and frozen header.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from campaign_sheets.core.errors import SourceError
from campaign_sheets.core.values import CellWrite, WriteBack
from campaign_sheets.sources import open_source
from campaign_sheets.sources.failure import CodedSourceError
from campaign_sheets.sources.xlsx import XlsxSource

DATA = Path(__file__).parent / "data" / "sources"


def organiser_workbook(path: Path) -> Path:
    """A small schedule as an organiser sets it up: dropdown, widths, frozen header."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "行動"
    ws.append(["ID", "種別", "行動名", "日付"])
    ws.append([None, "宣伝行動", "横浜駅西口宣伝", date(2026, 12, 4)])
    ws.append(["2026-1207-course", "講座", "社会保障講座 第1回", "12月7日（月）"])
    ws.append([None, "集会", "県民大集会", "2027/1/16"])
    ws.freeze_panes = "A2"
    ws.column_dimensions["C"].width = 30
    dv = DataValidation(type="list", formula1='"宣伝行動,講座,集会"', allow_blank=True)
    dv.add("B2:B200")
    ws.add_data_validation(dv)
    orgs = wb.create_sheet("団体")
    orgs.append(["団体名", "略称"])
    orgs.append(["神奈川県保険医協会", "協会"])
    wb.save(path)
    return path


def test_formulas_give_the_value_the_spreadsheet_computed() -> None:
    rows = XlsxSource(DATA / "formulas_with_cached_values.xlsx").read_tables()["行動"].rows
    assert list(rows[1]) == [2, 6, "#DIV/0!", "#REF!", "第2回"]


def test_a_date_cell_reads_as_a_date_and_a_date_time_cell_as_a_datetime(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "行動"
    ws.append([datetime(2026, 12, 7), datetime(2026, 12, 7), datetime(2026, 12, 7, 13, 30),
               time(13, 30), datetime(2026, 12, 7)])
    ws["A1"].number_format = 'ggge"年"m"月"d"日"'
    ws["B1"].number_format = "yyyy/m/d h:mm"
    ws["E1"].number_format = "[$-ja-JP]yyyy/mm/dd (aaa)"
    wb.save(tmp_path / "dates.xlsx")
    row = XlsxSource(tmp_path / "dates.xlsx").read_tables()["行動"].rows[0]
    assert row[0] == date(2026, 12, 7) and type(row[0]) is date
    assert row[1] == datetime(2026, 12, 7) and type(row[1]) is datetime
    assert row[2] == datetime(2026, 12, 7, 13, 30)
    assert row[3] == time(13, 30)
    assert type(row[4]) is date


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("missing", "source.xlsx_missing"),
        ("text", "source.xlsx_not_workbook"),
        ("old", "source.xlsx_old_format"),
        ("locked", "source.xlsx_encrypted"),
        ("truncated", "source.xlsx_not_workbook"),
        ("zip_without_workbook", "source.xlsx_not_workbook"),
        ("folder", "source.xlsx_not_workbook"),
    ],
)
def test_a_file_that_cannot_be_read_says_what_to_do_in_japanese(
    tmp_path: Path, case: str, code: str
) -> None:
    path = tmp_path / "予定.xlsx"
    if case == "text":
        path.write_text("ID,種別\n", encoding="utf-8")
    elif case == "old":
        shutil.copy(DATA / "old_excel_format_renamed.xlsx", path)
    elif case == "locked":
        shutil.copy(DATA / "password_protected.xlsx", path)
    elif case == "truncated":
        organiser_workbook(path)
        path.write_bytes(path.read_bytes()[:400])
    elif case == "zip_without_workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
    elif case == "folder":
        path.mkdir()
    with pytest.raises(SourceError) as caught:
        XlsxSource(path).read_tables()
    assert isinstance(caught.value, CodedSourceError)
    assert caught.value.code == code
    assert "予定.xlsx" in str(caught.value)
    assert any("\u3040" <= ch <= "\u30ff" for ch in str(caught.value))
    assert caught.value.message("en") != str(caught.value)


def test_a_damaged_sheet_inside_the_workbook_is_reported_as_damaged(tmp_path: Path) -> None:
    good = organiser_workbook(tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(CodedSourceError) as caught:
        XlsxSource(bad).read_tables()
    assert caught.value.code == "source.xlsx_corrupt"


def test_write_back_keeps_dropdowns_widths_and_the_frozen_header(tmp_path: Path) -> None:
    path = organiser_workbook(tmp_path / "予定.xlsx")
    source = XlsxSource(path)
    result = source.write_back(WriteBack(
        cells=(CellWrite("行動", 2, 0, "2026-1204-street"), CellWrite("行動", 3, 0, "other")),
        rollup=[["団体", "回数"], ["神奈川県保険医協会", 2]],
    ))
    assert [w.value for w in result.written] == ["2026-1204-street"]
    assert [w.value for w in result.skipped] == ["other"]
    wb = load_workbook(path)
    ws = wb["行動"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width == 30
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].formula1 == '"宣伝行動,講座,集会"'
    assert str(validations[0].sqref) == "B2:B200"
    assert wb.sheetnames == ["行動", "団体", "集計"]
    assert ws["A2"].value == "2026-1204-street" and ws["A3"].value == "2026-1207-course"
    assert ws["D2"].value == datetime(2026, 12, 4)
    assert not [p for p in tmp_path.iterdir() if p.name != "予定.xlsx"], "a temp file was left"


def test_nothing_to_write_leaves_the_file_and_its_time_alone(tmp_path: Path) -> None:
    path = organiser_workbook(tmp_path / "予定.xlsx")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    before = path.read_bytes()
    XlsxSource(path).write_back(WriteBack())
    assert path.stat().st_mtime == 1_700_000_000
    assert path.read_bytes() == before


def test_only_skipped_writes_leave_the_file_alone(tmp_path: Path) -> None:
    path = organiser_workbook(tmp_path / "予定.xlsx")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    result = XlsxSource(path).write_back(WriteBack(cells=(CellWrite("行動", 3, 0, "x"),)))
    assert result.skipped and not result.written
    assert path.stat().st_mtime == 1_700_000_000


def test_an_old_rollup_is_replaced_not_merged(tmp_path: Path) -> None:
    path = organiser_workbook(tmp_path / "予定.xlsx")
    source = XlsxSource(path)
    source.write_back(WriteBack(rollup=[["a", "b", "c"]] * 10))
    wb = load_workbook(path)
    wb["集計"].merge_cells("A1:C1")
    wb.save(path)
    source.write_back(WriteBack(rollup=[["計", 3]]))
    assert [list(r) for r in source.read_tables()["集計"].rows] == [["計", 3]]


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    path = organiser_workbook(tmp_path / "予定.xlsx")
    source = XlsxSource(path)
    source.write_back(WriteBack(rollup=[["=SUM(A1:A9)", "bell\x07"]]))
    assert list(source.read_tables()["集計"].rows[0]) == ["=SUM(A1:A9)", "bell"]
    assert load_workbook(path)["集計"]["A1"].data_type == "s"


def test_a_workbook_with_shapes_keeps_them_through_a_write_back(tmp_path: Path) -> None:
    """The drawing part (shapes openpyxl could not keep) is copied as it was."""
    plain = organiser_workbook(tmp_path / "plain.xlsx")
    path = tmp_path / "予定.xlsx"
    drawing = '<xdr:wsDr><xdr:sp macro=""/></xdr:wsDr>'
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/drawings/drawing1.xml", drawing)
    result = XlsxSource(path).write_back(WriteBack(cells=(CellWrite("行動", 2, 0, "x"),)))
    assert [w.value for w in result.written] == ["x"]
    with zipfile.ZipFile(path) as archive:
        assert archive.read("xl/drawings/drawing1.xml").decode() == drawing
    assert XlsxSource(path).read_tables()["行動"].rows[1][0] == "x"


def test_open_source_picks_the_workbook_file(tmp_path: Path) -> None:
    path = organiser_workbook(tmp_path / "予定.xlsx")
    source = open_source(str(path))
    assert isinstance(source, XlsxSource)
    assert source.describe() == str(path)


def test_a_few_thousand_rows_are_read_whole(tmp_path: Path) -> None:
    """Three fiscal years of a busy council's schedule, filled the way organisers fill it.
    (How fast: ``benchmarks/run.py``, ``read_only_s``; a timing in a test says more about
    the machine's other work than about the reader.)"""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "行動"
    ws.append(["ID", "種別", "行動名", "日付", "時間", "開始", "終了", "会場", "住所",
               "オンライン", "主催", "参加団体", "シリーズ", "講師", "繰り返し", "除外日",
               "申込URL", "定員", "状態", "公開", "地域", "説明", "連絡先", "参加報告"])
    for i in range(3000):
        ws.append([f"2026-{i:04d}-street", "宣伝行動", f"駅頭宣伝 {i}", date(2026, 12, 4),
                   "12:00～13:00", None, None, "横浜駅西口", None, None, "県社保協",
                   "年金者組合、医療生協", None, None, None, None, None, None, "予定", "公開",
                   "横浜", None, None, "年金者組合5人、医療生協3人の計2団体8人。署名31筆。"])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    rows = XlsxSource(path).read_tables()["行動"].rows
    assert len(rows) == 3001 and rows[-1][0] == "2026-2999-street"
    assert rows[-1][3] == date(2026, 12, 4)


ids = st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(new_ids=st.lists(st.one_of(st.none(), ids), min_size=3, max_size=3))
def test_written_ids_read_back_and_typed_ids_survive(
    tmp_path: Path, new_ids: list[str | None]
) -> None:
    path = organiser_workbook(tmp_path / "予定.xlsx")
    before = [list(r) for r in XlsxSource(path).read_tables()["行動"].rows]
    cells = tuple(CellWrite("行動", r + 2, 0, v) for r, v in enumerate(new_ids) if v)
    XlsxSource(path).write_back(WriteBack(cells=cells))
    after = XlsxSource(path).read_tables()["行動"].rows
    for r, value in enumerate(new_ids):
        typed = before[r + 1][0]
        assert after[r + 1][0] == (typed if typed else value)
        assert list(after[r + 1][1:]) == before[r + 1][1:]
