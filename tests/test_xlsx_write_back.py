"""A secretariat's workbook, saved by LibreOffice with charts, pictures, shapes, comments,
dropdowns and conditional formats, goes through a sync's write-back: its blank IDs are
filled and its 集計 tab rewritten, and not one other byte of the package changes."""

from __future__ import annotations

import csv
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from campaign_sheets.core.values import CellWrite, WriteBack
from campaign_sheets.sources import xlsx_sheet_xml
from campaign_sheets.sources.xlsx import XlsxSource
from conftest import require_program
from office_workbook import convert, libreoffice_workbook

ROLLUP = [["2026年度 集計", "2026-04-01〜2027-03-31"], [], ["団体別"], ["団体", "人数"],
          ["県年金者組合", 5], ["=SUM(B1:B3)", 3.5], ["  空白つき  ", True]]
IDS = (CellWrite("行動", 2, 0, "2026-1204-street"), CellWrite("行動", 3, 0, "someone-else"),
       CellWrite("行動", 4, 0, "2027-0116-rally"))
#: What the workbook holds besides its cells, and where it shows in the package.
FEATURES = {
    "chart": lambda p: any(n.startswith("xl/charts/chart") for n in p),
    "picture": lambda p: any(n.startswith("xl/media/") for n in p),
    "shape": lambda p: any(b"<xdr:sp>" in d for n, d in p.items() if n.startswith("xl/drawings/")),
    "comment": lambda p: any("会場は要確認".encode() in d for n, d in p.items() if "comments" in n),
    "dropdown": lambda p: b'type="list"' in p["xl/worksheets/sheet1.xml"],
    "conditional format": lambda p: b"<conditionalFormatting" in p["xl/worksheets/sheet1.xml"],
    "defined name": lambda p: "団体一覧".encode() in p["xl/workbook.xml"],
    "styles": lambda p: b"DDEBF7" in p["xl/styles.xml"].upper(),
}


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def stored(path: Path) -> dict[str, tuple[int, int, int, tuple[int, ...]]]:
    """How each member is stored: method, compressed size, CRC and date."""
    with zipfile.ZipFile(path) as archive:
        return {i.filename: (i.compress_type, i.compress_size, i.CRC, i.date_time)
                for i in archive.infolist()}


def sheet_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode("utf-8")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rel = re.search(rf'<sheet name="{name}" sheetId="\d+"[^>]*r:id="(\w+)"', book)
    assert rel is not None, name
    target = re.search(rf'Id="{rel.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rel.group(1)}"', rels)
    assert target is not None
    return "xl/" + target.group(1).removeprefix("/xl/")


def without_cell(xml: bytes, ref: str) -> bytes:
    return re.sub(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', b"", xml, flags=re.S)


def libreoffice_reads(soffice: str, path: Path, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Every tab as LibreOffice reads it back (one CSV per tab)."""
    out = tmp_path / "csv"
    convert(soffice, path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
            "false,false,-1", out, tmp_path / "profile-read")
    tabs = {}
    for file in out.glob("*.csv"):
        with file.open(encoding="utf-8") as handle:
            tabs[file.stem.split("-", 1)[1]] = list(csv.reader(handle))
    return tabs


@pytest.fixture(scope="module")
def soffice() -> str:
    return require_program("soffice", "Debian libreoffice-calc")


@pytest.mark.system
def test_a_libreoffice_workbook_loses_nothing_but_its_blank_ids_and_old_rollup(
    soffice: str, tmp_path: Path
) -> None:
    path = libreoffice_workbook(soffice, tmp_path / "book", with_rollup=True)
    before, how_before = members(path), stored(path)
    assert {name for name, found in FEATURES.items() if found(before)} == set(FEATURES)
    events, rollup = sheet_part(path, "行動"), sheet_part(path, "集計")

    result = XlsxSource(path).write_back(WriteBack(cells=IDS, rollup=ROLLUP))

    assert [w.value for w in result.written] == ["2026-1204-street", "2027-0116-rally"]
    assert [w.value for w in result.skipped] == ["someone-else"]  # the ID typed there wins
    after, how_after = members(path), stored(path)
    assert list(after) == list(before)  # the same members in the same order
    for name in before.keys() - {events, rollup}:
        assert after[name] == before[name], name
        assert how_after[name] == how_before[name], f"{name} was not copied as stored"
    # the 行動 tab: only the two blank ID cells, each keeping its style
    changed = after[events]
    for ref in ("A2", "A4"):
        assert re.search(rb'<c r="' + ref.encode() + rb'"[^>]*t="inlineStr"', changed)
        changed = without_cell(changed, ref)
    assert changed == without_cell(without_cell(before[events], "A2"), "A4")
    assert re.search(rb'<c r="A4" s="\d+" t="inlineStr">', after[events])  # the yellow mark
    # the 集計 tab: new rows, no merged title; its view and page setup as they were
    old_rest = re.sub(rb"<sheetData>.*</sheetData>|<mergeCells.*?</mergeCells>|<dimension[^>]*>",
                      b"", before[rollup], flags=re.S)
    new_rest = re.sub(rb"<sheetData>.*</sheetData>|<dimension[^>]*>", b"", after[rollup],
                      flags=re.S)
    assert new_rest == old_rest and b"<mergeCells" in before[rollup]
    assert {name for name, found in FEATURES.items() if found(after)} == set(FEATURES)

    tables = XlsxSource(path).read_tables()
    assert [row[0] for row in tables["行動"].rows[1:]] == [
        "2026-1204-street", "2026-1207-course", "2027-0116-rally"]
    assert [list(r) for r in tables["集計"].rows] == [
        ["2026年度 集計", "2026-04-01〜2027-03-31"], [], ["団体別"], ["団体", "人数"],
        ["県年金者組合", 5], ["=SUM(B1:B3)", 3.5], ["  空白つき  ", True]]
    assert load_workbook(path, read_only=True)["集計"]["A6"].data_type == "s"  # never a formula
    # (openpyxl cannot even open this workbook for editing: LibreOffice's conditional
    # format names a differential style its styles part does not list)
    with pytest.raises(IndexError):
        load_workbook(path)
    seen = libreoffice_reads(soffice, path, tmp_path)
    assert seen["行動"][1][0] == "2026-1204-street" and seen["行動"][3][0] == "2027-0116-rally"
    assert seen["集計"][4] == ["県年金者組合", "5"] and seen["集計"][5][0] == "=SUM(B1:B3)"


@pytest.mark.system
def test_a_rollup_tab_the_workbook_lacks_is_added_last_and_the_rest_stays(
    soffice: str, tmp_path: Path
) -> None:
    path = libreoffice_workbook(soffice, tmp_path / "book", with_rollup=False)
    before, how_before = members(path), stored(path)
    XlsxSource(path).write_back(WriteBack(rollup=ROLLUP, rollup_sheet="集計"))
    after, how_after = members(path), stored(path)
    book_parts = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    added = set(after) - set(before)
    assert len(added) == 1 and added.pop().startswith("xl/worksheets/sheet")
    for name in before.keys() - book_parts:
        assert after[name] == before[name] and how_after[name] == how_before[name], name
    assert load_workbook(path, read_only=True).sheetnames == ["行動", "団体", "集計"]
    assert "団体一覧".encode() in after["xl/workbook.xml"]
    seen = libreoffice_reads(soffice, path, tmp_path)
    assert seen["集計"][0] == ["2026年度 集計", "2026-04-01〜2027-03-31"]
    assert seen["団体"][1] == ["県年金者組合", "5"]


def big_workbook(path: Path, other_rows: int) -> Path:
    """A 行動 tab of three rows and a 参加 tab of ``other_rows`` rows."""
    book = Workbook(write_only=True)
    events = book.create_sheet("行動")
    events.append(["ID", "種別", "行動名"])
    for title in ("横浜駅西口宣伝", "社会保障講座", "県民大集会"):
        events.append([None, "宣伝行動", title])
    other = book.create_sheet("参加")
    other.append(["行動ID", "団体", "人数", "うち", "備考"])
    for i in range(other_rows):
        other.append([f"E{i:06d}", f"団体{i % 30}", i % 9, "役員1", "備考" * 5])
    book.save(path)
    return path


def write_back_peak(path: Path) -> int:
    tracemalloc.start()
    try:
        XlsxSource(path).write_back(WriteBack(
            cells=(CellWrite("行動", 2, 0, "a-1"),), rollup=[["計", 3]]))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_write_back_needs_no_more_memory_for_a_larger_workbook(tmp_path: Path) -> None:
    """Four times the other tab, the same memory: a chunk at a time, never a whole part."""
    large = big_workbook(tmp_path / "large.xlsx", 20_000)
    larger = big_workbook(tmp_path / "larger.xlsx", 80_000)
    with zipfile.ZipFile(larger) as archive:
        size = archive.getinfo("xl/worksheets/sheet2.xml").file_size
    assert size > 20_000_000
    peaks = write_back_peak(large), write_back_peak(larger)
    assert peaks[1] < peaks[0] + 200_000 and peaks[1] < size / 20, peaks
    rows = XlsxSource(larger).read_tables()
    assert rows["行動"].rows[1][0] == "a-1" and len(rows["参加"].rows) == 80_001


# -- the sheet XML as it streams by -------------------------------------------------------

PREFIXED = (
    b'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><x:dimension ref="A1:C4"/><x:sheetData>'
    b'<x:row r="1" spans="1:3"><x:c r="A1" t="inlineStr"><x:is><x:t>ID</x:t></x:is></x:c>'
    b'<x:c r="C1" s="2"><x:v>1</x:v></x:c></x:row>'
    b"<x:row><x:c><x:v>5</x:v></x:c><x:c/><x:c><x:f>A2*2</x:f></x:c></x:row>"
    b'<x:row r="4" spans="2:3"/></x:sheetData><x:pageMargins left="0.7"/></x:worksheet>'
)


def edited(xml: bytes, cells: dict[int, dict[int, str]], chunk: int) -> bytes:
    out: list[bytes] = []

    class Slow:
        def __init__(self) -> None:
            self.at = 0

        def read(self, size: int = -1) -> bytes:
            piece = xml[self.at : self.at + chunk]
            self.at += len(piece)
            return piece

    original = xlsx_sheet_xml._CHUNK
    xlsx_sheet_xml._CHUNK = chunk
    try:
        xlsx_sheet_xml.put_cells(Slow(), out.append, cells)  # type: ignore[arg-type]
    finally:
        xlsx_sheet_xml._CHUNK = original
    return b"".join(out)


def test_cells_go_in_order_into_prefixed_rows_with_and_without_numbers() -> None:
    cells = {1: {2: "B"}, 2: {2: "two"}, 3: {1: "new row"}, 4: {1: "x"}, 6: {3: "last"}}
    out = edited(PREFIXED, cells, 1 << 20)
    assert out.startswith(PREFIXED[: PREFIXED.index(b"<x:sheetData>")])
    assert out.endswith(b'</x:sheetData><x:pageMargins left="0.7"/></x:worksheet>')
    # B1 between A1 and C1; the unnumbered row 2 keeps its cells around the new B2
    assert re.search(rb'<x:c r="A1".*<x:c r="B1" t="inlineStr"><x:is><x:t>B</x:t>.*<x:c r="C1"',
                     out)
    assert b'<x:row><x:c><x:v>5</x:v></x:c><x:c r="B2" t="inlineStr">' in out
    assert b'<x:c><x:f>A2*2</x:f></x:c></x:row>' in out
    assert b'<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>new row</x:t>' in out
    assert b'<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>' in out
    assert out.index(b'<x:row r="6">') > out.index(b'<x:row r="4">')
    assert b"spans" not in out.split(b"<x:sheetData>")[1].split(b'<x:row r="4"')[0][:60]


@settings(max_examples=40, deadline=None)
@given(chunk=st.integers(1, 400), row=st.integers(1, 7), column=st.integers(1, 5),
       text=st.text(min_size=1, max_size=8))
def test_the_edit_is_the_same_however_the_part_is_cut_into_chunks(
    chunk: int, row: int, column: int, text: str
) -> None:
    cells = {row: {column: text}}
    assert edited(PREFIXED, cells, chunk) == edited(PREFIXED, cells, 1 << 20)
