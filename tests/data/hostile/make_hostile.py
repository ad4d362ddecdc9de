"""Build the hostile workbooks of this folder: every odd shape a shared sheet takes.

Run it after editing a case: ``python tests/data/hostile/make_hostile.py``.
Each ``<case>.xlsx`` is named after what is odd about it. What openpyxl will not
write (control characters, formulas with a cached result) is put into the
sheet XML of the saved zip afterwards, the way Excel itself stores it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
HEADERS = ["ID", "種別", "行動名", "日付", "時間", "会場", "定員", "状態", "公開", "申込URL"]
GOOD = ["good", "宣伝行動", "駅前宣伝", "2026/10/3", "10:00〜11:00", "駅前", 20, "予定", "公開"]
#: Length of a huge cell: far above both the loader's limit and Excel's own.
HUGE = 100_000
BLANK_RUN = 10_000
ERRORS = ["#REF!", "#N/A", "#DIV/0!", "#VALUE!"]
ASTRAL = "🎉\U00020BB7野家🙆\u200d♀️𝄞"

Rows = Sequence[Sequence[object]]
CASES: dict[str, Callable[[], bytes]] = {}


def case(name: str) -> Callable[[Callable[[], bytes]], Callable[[], bytes]]:
    """Register a builder of ``<name>.xlsx``."""
    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        CASES[name] = build
        return build
    return register


def book(tabs: dict[str, Rows]) -> tuple[Workbook, dict[str, Worksheet]]:
    """A workbook with ``tabs`` in order; dates keep a date-only format as Excel gives them."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {}
    for name, rows in tabs.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, dt.date) and not isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy/mm/dd"
        sheets[name] = ws
    return wb, sheets


def save(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plain(tabs: dict[str, Rows]) -> bytes:
    """A workbook of plain values."""
    return save(book(tabs)[0])


def patch_sheet(data: bytes, replacements: dict[str, str], sheet: int = 1) -> bytes:
    """Rewrite ``xl/worksheets/sheet<n>.xml`` of a saved workbook, text for text."""
    part = f"xl/worksheets/sheet{sheet}.xml"
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == part:
                xml = body.decode("utf-8")
                for old, new in replacements.items():
                    xml = _replace(xml, old, new)
                body = xml.encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


def _replace(xml: str, old: str, new: str) -> str:
    """Replace text ``old``, or the whole cell when ``old`` is a reference (``C2``).

    A whole cell is matched because openpyxl spells its XML differently depending
    on the XML library it finds (``<v/>`` or ``<v></v>``, characters or references).
    """
    if re.fullmatch(r"[A-Z]+[0-9]+", old):
        xml, count = re.subn(rf'<c r="{old}"[^>]*>.*?</c>', new, xml, count=1)
    else:
        count = xml.count(old)
        xml = xml.replace(old, new)
    if not count:
        raise ValueError(f"{old!r} is not in the sheet")
    return xml


@case("events-tab-without-rows")
def _no_rows() -> bytes:
    return plain({"行動": []})


@case("events-tab-header-only")
def _header_only() -> bytes:
    return plain({"行動": [HEADERS]})


@case("merged-header-cells")
def _merged_header() -> bytes:
    # 行動名 spans C:D and 会場 spans F:G (room beside the venue): a merged range
    # keeps its text in the first cell only.
    header = ["ID", "種別", "行動名", None, "日付", "会場", None]
    wb, sheets = book({"行動": [
        header,
        ["m1", "宣伝行動", "駅前宣伝", "（雨天決行）", "2026/10/3", "駅前", "北口"],
        ["m2", "学習会", "学習会", None, "2026/10/4", "市民会館", "第1会議室"],
        ["m3", "学習会", "日付なし", None, None, "市民会館", None],
    ]})
    ws = sheets["行動"]
    ws.merge_cells("C1:D1")
    ws.merge_cells("F1:G1")
    return save(wb)


@case("title-row-above-headers")
def _title_row() -> bytes:
    wb, sheets = book({"行動": [
        ["2026年度 秋の行動予定（県社保協）"],
        HEADERS[:5],
        ["t1", "宣伝行動", "駅前宣伝", "2026/10/3", "10:00〜11:00"],
        ["t2", "学習会", "学習会", "2026/10/4"],
        ["t3", "学習会", "読めない日付", "そのうち"],
    ]})
    sheets["行動"].merge_cells("A1:E1")
    return save(wb)


@case("ten-thousand-blank-rows")
def _blank_rows() -> bytes:
    # Formatted but empty rows, as Excel leaves them after rows are cleared.
    wb, sheets = book({"行動": [HEADERS[:4], ["b1", "宣伝行動", "最初の行", "2026/10/3"]]})
    ws = sheets["行動"]
    fill = PatternFill("solid", start_color="FFFFEE")
    for row in range(3, 3 + BLANK_RUN):
        ws.cell(row=row, column=2).fill = fill
    bad = 3 + BLANK_RUN
    for col, value in enumerate(["b2", "宣伝行動", "間の行", "2026/13/40"], start=1):
        ws.cell(row=bad, column=col, value=value)
    for col, value in enumerate(["b3", "学習会", "最後の行", "2026/10/5"], start=1):
        ws.cell(row=bad + 1, column=col, value=value)
    for row in range(bad + 2, bad + 2 + BLANK_RUN):
        ws.cell(row=row, column=2).fill = fill
    return save(wb)


@case("formulas-without-computed-values")
def _formulas_uncomputed() -> bytes:
    # openpyxl writes formulas without results: nothing has computed them yet.
    return plain({"行動": [
        HEADERS[:7],
        ["f1", "宣伝行動", "=CONCAT(\"駅前\",\"宣伝\")", "2026/10/3"],
        ["f2", "宣伝行動", "日付が数式", "=DATE(2026,10,4)"],
        ["f3", "学習会", "定員が数式", "2026/10/5", None, None, "=10*2"],
        ["f4", "学習会", "数式なし", "2026/10/6"],
    ]})


@case("formulas-with-computed-values")
def _formulas_cached() -> bytes:
    data = plain({"行動": [
        HEADERS[:7],
        ["c1", "宣伝行動", "=CONCAT(\"駅前\",\"宣伝\")", "2026/10/3", "=IF(1=1,\"\",\"x\")", None,
         "=10*2"],
    ]})
    # As Excel saves it: the formula and, beside it, the value it last computed.
    return patch_sheet(data, {
        "C2": '<c r="C2" t="str"><f>CONCAT("駅前","宣伝")</f><v>駅前宣伝</v></c>',
        "G2": '<c r="G2"><f>10*2</f><v>20</v></c>',
        # A formula whose result is empty text: computed, and blank.
        "E2": '<c r="E2" t="str"><f>IF(1=1,"","x")</f><v></v></c>',
    })


@case("error-cells-in-every-column")
def _errors() -> bytes:
    header: list[object] = [*HEADERS, "主催"]
    rows: list[list[object]] = [header]
    # One row per column holding an error; the other cells are good.
    for index in range(len(header)):
        row: list[object] = [f"e{index}", *GOOD[1:], "https://example.org/", "県社保協"]
        row[index] = ERRORS[index % len(ERRORS)]
        rows.append(row)
    return plain({
        "行動": rows,
        "参加": [
            ["行動ID", "団体", "人数"], ["e5", "県社保協", "#DIV/0!"], ["#N/A", "県社保協", 3],
        ],
        "成果": [["行動ID", "項目", "数"], ["e5", "署名", "#REF!"], ["e5", "#VALUE!", 12]],
    })


@case("huge-cells")
def _huge() -> bytes:
    # openpyxl cuts a cell at Excel's 32,767 characters; other programs do not.
    data = plain({"行動": [
        [*HEADERS[:4], "説明"],
        ["h1", "宣伝行動", "HUGE_TITLE", "2026/10/3", "HUGE_TEXT"],
        ["h2", "宣伝行動", "日付が長い", "HUGE_DATE"],
    ]})
    long_text = ("長い説明文。" * (HUGE // 6 + 1))[:HUGE]
    return patch_sheet(data, {
        "<t>HUGE_TITLE</t>": f"<t>{long_text}</t>",
        "<t>HUGE_TEXT</t>": f"<t>{long_text}</t>",
        "<t>HUGE_DATE</t>": "<t>2026/10/4" + "0" * HUGE + "</t>",
    })


@case("astral-characters")
def _astral() -> bytes:
    return plain({
        "団体": [["団体名", "略称"], ["𠮷野家ユニオン🎉", "𠮷野"], ["県社保協", None]],
        "行動": [
            [*HEADERS[:6], "主催", "参加報告"],
            ["a1", "宣伝行動", f"駅前宣伝{ASTRAL}", "2026/10/3", None, f"𠮷祥寺駅{ASTRAL}",
             "𠮷野", "参加は、𠮷野家ユニオン🎉3人、県社保協2人の計2団体5人。"],
            ["a2", "宣伝行動", ASTRAL, "2026/10/4", None, None, "県社保協"],
        ],
    })


@case("control-characters")
def _control() -> bytes:
    data = plain({"行動": [
        HEADERS[:6],
        ["k1", "宣伝行動", "CTRL_TITLE", "2026/10/3", None, "CTRL_VENUE"],
        ["k2", "宣伝行動", "CTRL_ONLY", "2026/10/4"],
        ["k3", "宣伝行動", "CTRL_DATE_ROW", "CTRL_DATE"],
    ]})
    # Excel writes a control character as _xHHHH_ (XML 1.0 has no way to hold it).
    return patch_sheet(data, {
        "<t>CTRL_TITLE</t>": "<t>駅前_x0001_宣伝_x0007_</t>",
        "<t>CTRL_VENUE</t>": "<t>_x001F_駅前_x000B_北口_x0009_</t>",
        "<t>CTRL_ONLY</t>": "<t>_x0000__x0002__x001B_</t>",
        "<t>CTRL_DATE</t>": "<t>2026/10/5_x0008_</t>",
    })


@case("numbers-and-text-swapped")
def _swapped() -> bytes:
    return plain({
        "行動": [
            HEADERS[:7],
            ["n1", "宣伝行動", 12345, "2026/10/3", None, 3.5, 20],
            ["n2", 7, "種別が数", "2026/10/4"],
            ["n3", "学習会", "定員が文字", "2026/10/5", None, None, "たくさん"],
            ["n4", "学習会", "時間が文字", "2026/10/6", "お昼ごろ"],
            [1234, "学習会", "IDが数", "2026/10/7"],
        ],
        "参加": [["行動ID", "団体", "人数"], ["n1", 42, "十人"], ["n1", "県社保協", "3人"]],
    })


@case("booleans-in-every-column")
def _booleans() -> bytes:
    header = [*HEADERS, "主催", "参加団体"]
    return plain({
        "行動": [header, [True] * len(header), ["ok", "宣伝行動", True, "2026/10/3", None, False]],
        "参加": [["行動ID", "団体", "人数"], [True, True, True]],
    })


@case("dates-with-times")
def _datetimes() -> bytes:
    wb, sheets = book({"行動": [
        HEADERS[:5],
        ["d1", "宣伝行動", "時刻つきの日付", dt.datetime(2026, 10, 3, 10, 30)],
        ["d2", "宣伝行動", "時間列が優先", dt.datetime(2026, 10, 4, 9, 0), "13:00〜14:00"],
        ["d3", "学習会", "真夜中", dt.datetime(2026, 10, 5, 0, 0)],
    ]})
    for row in (2, 3, 4):
        sheets["行動"].cell(row=row, column=4).number_format = "yyyy/mm/dd hh:mm"
    return save(wb)


@case("negative-and-gigantic-serials")
def _serials() -> bytes:
    rows: list[list[object]] = [list[object](HEADERS[:7])]
    for n, serial in enumerate([-5, 10**9, 1e300, 2958466, 46298], start=1):
        rows.append([f"s{n}", "宣伝行動", f"シリアル{serial}", serial])
    rows.append(["s6", "宣伝行動", "時間が負", 46299, -0.5])
    rows.append(["s7", "宣伝行動", "定員が巨大", 46300, None, None, 10**20])
    wb, sheets = book({"行動": rows})
    for row in range(2, 7):
        sheets["行動"].cell(row=row, column=4).number_format = "yyyy/mm/dd"
    return save(wb)


@case("events-tab-named-with-trailing-space")
def _trailing_space() -> bytes:
    return plain({"行動 ": [HEADERS[:4], ["w1", "宣伝行動", "駅前宣伝", "2026/10/3"]]})


@case("events-tab-in-fullwidth-letters")
def _fullwidth_tab() -> bytes:
    return plain({"ｅｖｅｎｔｓ": [HEADERS[:4], ["w1", "宣伝行動", "駅前宣伝", "2026/10/3"]]})


@case("duplicate-headers")
def _duplicate_headers() -> bytes:
    return plain({"行動": [
        ["ID", "種別", "行動名", "日付", "日付", "date"],
        ["u1", "宣伝行動", "最初の日付列", "2026/10/3", "2026/12/24", "2026/1/1"],
        ["u2", "宣伝行動", "二番目だけ", None, "2026/10/4"],
    ]})


@case("headers-only-in-english")
def _english() -> bytes:
    return plain({
        "events": [
            ["id", "kind", "title", "date", "time", "venue", "capacity", "status", "visibility"],
            ["en1", "宣伝行動", "Station leafleting", "2026/10/3", "10:00-11:00", "Station", 20,
             "予定", "公開"],
        ],
        "participation": [["event", "org", "people"], ["en1", "県社保協", 4]],
    })


@case("two-events-tabs")
def _two_tabs() -> bytes:
    return plain({
        "行動": [HEADERS[:4], ["p1", "宣伝行動", "最初のタブ", "2026/10/3"]],
        "events": [HEADERS[:4], ["p2", "宣伝行動", "二番目のタブ", "2026/10/4"]],
    })


NOT_WORKBOOKS: dict[str, bytes] = {
    "csv-renamed": "ID,種別,行動名,日付\nx1,宣伝行動,駅前宣伝,2026/10/3\n".encode(),
    "empty-file": b"",
}


def zip_of_text() -> bytes:
    """A zip archive that holds no spreadsheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed time stamp keeps the file the same on every run.
        archive.writestr(zipfile.ZipInfo("readme.txt", (2026, 1, 1, 0, 0, 0)), "not a workbook")
    return out.getvalue()


def write_all(folder: Path = HERE) -> list[Path]:
    """Write every case into ``folder``; returns the paths written."""
    written = []
    for name, build in CASES.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(build())
        written.append(path)
    for name, body in {**NOT_WORKBOOKS, "zip-of-text": zip_of_text()}.items():
        path = folder / f"not-a-workbook-{name}.xlsx"
        path.write_bytes(body)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path, written_path.stat().st_size, file=sys.stderr)
