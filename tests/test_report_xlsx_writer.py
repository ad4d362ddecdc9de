"""The secretariat opens report.xlsx in Excel or LibreOffice after every sync.

The workbook is written as SpreadsheetML text; what a reader sees in it must be
what the former openpyxl-based writer gave (kept below as the reference).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from campaign_sheets.core.audience import Audience
from campaign_sheets.core.config import Config
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.rollup.export import to_xlsx, xlsx_sheets
from campaign_sheets.rollup.report_files import default_period, rollup_for
from campaign_sheets.rollup.report_xlsx import (
    _BAD_SHEET_CHARS,
    FIXED_STAMP,
    PlainSheet,
    _cell_width,
    display_width,
    tables_workbook_bytes,
)
from campaign_sheets.rollup.tables import Table
from campaign_sheets.sources.xlsx_init import _HEADER_FILL, _HEADER_FONT, reproducible
from conftest import require_program
from test_rollup_records import autumn


def openpyxl_tables_workbook_bytes(sheets: Sequence[PlainSheet]) -> bytes:
    """The former writer (openpyxl write-only mode), the reference for what readers see."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = workbook.create_sheet(title.translate(_BAD_SHEET_CHARS)[:31])
        ws.freeze_panes = "A2"
        for index, label in enumerate(header, start=1):
            longest = max([display_width(label),
                           *(_cell_width(str(r[index - 1])) for r in rows)])
            ws.column_dimensions[get_column_letter(index)].width = min(60, 2 + longest)
        cells = []
        for label in header:
            cell = WriteOnlyCell(ws, value=label)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            ws.append([_text_cell(ws, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue(), FIXED_STAMP)


def _text_cell(ws: Any, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


#: XlsxWriter's padding of a column width: the width Excel shows is the one asked for.
_PADDING = 0.7109375


def _unescaped(value: Any) -> Any:
    """XlsxWriter writes a carriage return as OOXML's ``_x000D_``, which Excel and
    LibreOffice read as the character; openpyxl leaves the escape as it is."""
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def _widths(data: bytes, sheet: int) -> dict[int, float]:
    """The width of every column of a sheet by number, from its ``<col>`` ranges (a
    writer may give several columns of one width a single range)."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{sheet}.xml").decode()
    widths = {}
    for col in re.finditer(r"<col ([^>]*)/>", xml):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', col.group(1)))
        for number in range(int(attrs["min"]), int(attrs["max"]) + 1):
            widths[number] = float(attrs["width"])
    return widths


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _assert_reads_like_reference(sheets: Sequence[PlainSheet]) -> None:
    """Values, types, header style, freeze pane and widths equal the reference's."""
    new_bytes, old_bytes = tables_workbook_bytes(sheets), openpyxl_tables_workbook_bytes(sheets)
    new, old = _book(new_bytes), _book(old_bytes)
    assert len(new.worksheets) == len(old.worksheets) == len(sheets)
    for number, ((_, header, rows), ws, ref) in enumerate(
        zip(sheets, new.worksheets, old.worksheets, strict=True), start=1
    ):
        widths, ref_widths = _widths(new_bytes, number), _widths(old_bytes, number)
        assert ws.freeze_panes == ref.freeze_panes == "A2"
        for c, label in enumerate(header, start=1):
            cell, ref_cell = ws.cell(1, c), ref.cell(1, c)
            assert _unescaped(cell.value) == ref_cell.value == (label or None)
            assert cell.font.b and ref_cell.font.b
            assert cell.fill.fgColor.rgb == ref_cell.fill.fgColor.rgb == "FFDDEBF7"
            assert widths[c] == ref_widths[c] + _PADDING
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell, ref_cell = ws.cell(r, c), ref.cell(r, c)
                if isinstance(value, float):
                    # both round floats to 16 digits (openpyxl wrote 0.0 as 0)
                    assert cell.value == pytest.approx(value, rel=1e-15, abs=1e-300)
                    assert cell.value == pytest.approx(ref_cell.value, rel=1e-15, abs=1e-300)
                    continue
                assert _unescaped(cell.value) == ref_cell.value == _as_read(value)
                assert type(cell.value) is type(ref_cell.value)
                if cell.value is not None:  # openpyxl typed an empty text cell too
                    assert cell.data_type == ref_cell.data_type
                assert not cell.font.b


def _as_read(value: Any) -> Any:
    """``value`` as openpyxl reads it back: no empty text, a date as midnight of the day."""
    if value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    return value


def _sheet(title: str, header: list[str], rows: list[list[Any]]) -> PlainSheet:
    return (title, header, rows)


_LETTERS = list("ab Zz09=&<>\"'_\t\n\r.-") + list("行動別参加団体不明年金者組合ｱｲｳ")
_TEXT = st.text(alphabet=st.sampled_from([*_LETTERS, "😀", "👍", "\U0001f3fd", "é"]), max_size=12)
_CELL = st.one_of(
    st.none(), st.just(""), st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e300, max_value=1e300),  # openpyxl rounded the largest to inf
    st.sampled_from(["=SUM(A1)", "&<>", "  先頭の空白", "末尾の空白 ", "😀", "不明", "a & b"]),
    _TEXT,
)
_TITLE = st.text(alphabet=st.sampled_from(list("ab行動別[]:*?/\\ 😀_")), max_size=40)


def _cleaned(title: str) -> str:
    return title.translate(_BAD_SHEET_CHARS)[:31].lower() or "sheet"


@st.composite
def _sheets(draw: st.DrawFn) -> list[PlainSheet]:
    count = draw(st.integers(min_value=1, max_value=3))
    # Titles that clean to the same name are renamed differently (see the next test).
    titles = draw(st.lists(_TITLE, min_size=count, max_size=count, unique_by=_cleaned))
    out = []
    for title in titles:
        width = draw(st.integers(min_value=1, max_value=5))
        header = draw(st.lists(_TEXT.filter(bool), min_size=width, max_size=width))
        rows = draw(st.lists(st.lists(_CELL, min_size=width, max_size=width), max_size=8))
        out.append(_sheet(title, header, rows))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets=_sheets())
def test_a_report_workbook_reads_as_the_openpyxl_one_did(sheets: list[PlainSheet]) -> None:
    _assert_reads_like_reference(sheets)
    new = _book(tables_workbook_bytes(sheets)).sheetnames
    old = _book(openpyxl_tables_workbook_bytes(sheets)).sheetnames
    for name, ref in zip(new, old, strict=True):
        # Excel counts a name's length in UTF-16 units: an emoji takes two
        assert name == ref or (len(name.encode("utf-16-le")) <= 62 and ref.startswith(name))


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(_TITLE, min_size=1, max_size=6))
def test_sheet_names_are_ones_excel_accepts_even_when_titles_repeat(titles: list[str]) -> None:
    names = _book(tables_workbook_bytes([_sheet(t, ["見出し"], []) for t in titles])).sheetnames
    assert len({n.lower() for n in names}) == len(names)
    for title, name in zip(titles, names, strict=True):
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        cleaned = title.translate(_BAD_SHEET_CHARS)[:31] or "Sheet"
        assert cleaned.startswith(name.rstrip("0123456789")) or name.startswith(cleaned)


def test_repeated_and_long_titles_get_a_number_within_31_characters() -> None:
    long = "参" * 40
    names = _book(tables_workbook_bytes(
        [_sheet(t, ["h"], []) for t in ("行動別", "行動別", "行動[別]", "行動_別_", long, long)]
    )).sheetnames
    assert names == ["行動別", "行動別1", "行動_別_", "行動_別_1", "参" * 31, "参" * 30 + "1"]


def test_an_apostrophe_cannot_start_or_end_a_sheet_name() -> None:
    names = _book(tables_workbook_bytes([_sheet("'月別'", ["h"], [])])).sheetnames
    assert names == ["_月別_"]


def test_characters_xml_cannot_hold_are_left_out_instead_of_failing() -> None:
    bad = "a\x00b\x01c\x1fd\ud800e\ufffe"
    data = tables_workbook_bytes([_sheet("月\x07別", ["見\x0b出し"], [[bad, "ok\r\n\t"]])])
    ws = _book(data).worksheets[0]
    assert ws.title == "月別"
    assert ws["A1"].value == "見出し"
    assert ws["A2"].value == "abcde"
    assert _unescaped(ws["B2"].value) == "ok\r\n\t"
    with pytest.raises(openpyxl.utils.exceptions.IllegalCharacterError):
        openpyxl_tables_workbook_bytes([_sheet("月別", ["h"], [[bad]])])


def test_formula_looking_text_stays_text_and_spaces_stay() -> None:
    data = tables_workbook_bytes([_sheet("団体別", ["団体"], [
        ["=SUM(A1)"], ['=HYPERLINK("http://x")'], ["  二字下げ"], ["末尾 "], ["&<>\"'"]])])
    ws = _book(data).worksheets[0]
    assert [ws.cell(r, 1).value for r in range(2, 7)] == [
        "=SUM(A1)", '=HYPERLINK("http://x")', "  二字下げ", "末尾 ", "&<>\"'"]
    assert {ws.cell(r, 1).data_type for r in range(2, 7)} == {"s"}
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


def test_dates_and_times_read_back_as_the_openpyxl_ones_did() -> None:
    row = [date(2025, 5, 3), datetime(2025, 11, 23, 13, 30, 15), time(9, 45), 1.5, True]
    _assert_reads_like_reference([_sheet("日付", ["日", "日時", "時刻", "数", "真"], [row])])


def test_a_value_a_spreadsheet_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError):
        tables_workbook_bytes([_sheet("x", ["h"], [[object()]])])


def test_the_same_tables_give_the_same_bytes() -> None:
    sheets = [_sheet("行動別", ["行動", "人数"], [["駅頭宣伝", 3], ["=1+1", None]])]
    first = tables_workbook_bytes(sheets)
    assert tables_workbook_bytes(sheets) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert "[Content_Types].xml" in archive.namelist()
    # no part carries the time it was written
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    later = datetime(2027, 1, 2, 3, 4, 5)
    core = zipfile.ZipFile(io.BytesIO(tables_workbook_bytes(sheets, later))).read(
        "docProps/core.xml")
    assert core.count(b"2027-01-02T03:04:05Z") == 2


def _autumn_tables() -> list[Table]:
    ctx = BuildContext(Config(fiscal_year=2025), autumn(), date(2026, 1, 10))
    return rollup_for(ctx, Audience.MEMBERS, default_period(ctx)).tables()


def _autumn_sheets() -> list[PlainSheet]:
    return xlsx_sheets(_autumn_tables())


def test_the_autumn_report_round_trips() -> None:
    tables = _autumn_tables()
    sheets = xlsx_sheets(tables)
    assert sum(len(rows) for _, _, rows in sheets) > 10
    _assert_reads_like_reference(sheets)
    book = _book(to_xlsx(tables))
    assert book.sheetnames == [t.title for t in tables]
    for (_, header, rows), ws in zip(sheets, book.worksheets, strict=True):
        read = [list(r) for r in ws.iter_rows(values_only=True)]
        assert read == [list(header), *[[None if v == "" else v for v in r] for r in rows]]


@pytest.mark.system
def test_libreoffice_opens_the_report(tmp_path: Path) -> None:
    office = require_program("soffice")
    sheets = _autumn_sheets()
    path = tmp_path / "report.xlsx"
    path.write_bytes(tables_workbook_bytes(sheets))
    subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
         str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    text = (tmp_path / "report.csv").read_text(encoding="utf-8")
    title, header, rows = sheets[0]
    read = list(csv.reader(io.StringIO(text)))
    assert read[0] == list(header)
    assert read[1:] == [["" if v is None else str(v) for v in row] for row in rows]
    assert title == "行動別"
