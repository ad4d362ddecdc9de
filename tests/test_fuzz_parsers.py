"""Whatever people type into a shared sheet, the parsers and the loader answer with
problems, never with a traceback.

Every parser either returns a value or raises :class:`ParseError` (whose code has a
message); the header matcher always returns positions inside the row; and
:func:`load_workbook` never raises and never silently drops a non-blank 行動 row:
each ends either as an action or with at least one problem on its row.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from campaign_sheets.core.config import Config
from campaign_sheets.core.errors import ParseError
from campaign_sheets.core.problems import message_table
from campaign_sheets.core.schema import find_header_row, find_tab, map_headers, tab_spec, tab_specs
from campaign_sheets.core.text import match_key
from campaign_sheets.core.values import CellValue, RawTable, UncomputedFormula
from campaign_sheets.load import load_workbook
from campaign_sheets.load.cells import (
    ERROR_VALUES,
    LIST_SEPARATORS,
    RowReader,
    cell_text,
    is_blank,
    parse_count,
    row_is_blank,
    split_list,
)
from campaign_sheets.parsing.dates import parse_date
from campaign_sheets.parsing.ranges import parse_date_range
from campaign_sheets.parsing.repeat import parse_date_list, parse_repetition
from campaign_sheets.parsing.times import parse_time, parse_time_range
from campaign_sheets.sources.tables import trim_rows
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.validate import check_workbook

FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

#: Fragments of what organisers really type, so generated text reaches deep into
#: the grammars instead of failing at the first character.
FRAGMENTS = (
    "2026", "年", "月", "日", "R8", "令和", "元", "平成", "/", ".", "-", "〜", "~", "～",
    "毎週", "隔週", "毎月", "第", "第2", "土曜", "曜日", "（日）", "(Sun)", "まで", "より",
    "午前", "午後", "時", "分", "半", ":", "10", "12", "31", "0", "99", "１２", "、", ",",
    " ", "\u3000", "\n", "終日", "FREQ=WEEKLY", ";BYDAY=SA", "UNTIL=20261231", "回",
    "から", "12日（火）", "～13日", "🎉", "\U00020BB7", "\x00", "\x1f", "#REF!", "人", "名",
    "参加は", "年金者組合", "（うち", "）", "計", "団体", "署名", "筆", "。",
)
astral_text = st.text(
    alphabet=st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF), max_size=5
)
typed_text = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join),
    st.text(max_size=30),
    astral_text,
)
cell_values: st.SearchStrategy[CellValue] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    typed_text,
    st.sampled_from(sorted(ERROR_VALUES)),
    st.sampled_from(["=A1+1", '=CONCAT("a","b")']).map(UncomputedFormula),
)
first_days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
years = st.one_of(st.none(), st.integers(min_value=1, max_value=9999))


def only_parse_errors(parse: Callable[[], Any]) -> Any:
    """Call ``parse``; a ParseError must carry a code with a message template."""
    try:
        return parse()
    except ParseError as exc:
        assert exc.code in message_table(), exc.code
        return None


@FUZZ
@given(cell_values, years, years)
def test_a_date_cell_is_read_or_named_as_unreadable(
    value: CellValue, year: int | None, fiscal_year: int | None
) -> None:
    parsed = only_parse_errors(lambda: parse_date(value, year=year, fiscal_year=fiscal_year))
    if parsed is not None:
        assert isinstance(parsed.date, date)


@FUZZ
@given(cell_values, years, years)
def test_a_date_range_cell_is_read_or_named_as_unreadable(
    value: CellValue, year: int | None, fiscal_year: int | None
) -> None:
    parsed = only_parse_errors(
        lambda: parse_date_range(value, year=year, fiscal_year=fiscal_year)
    )
    if parsed is not None and parsed.end_date is not None:
        assert parsed.first.date < parsed.end_date


@FUZZ
@given(cell_values)
def test_a_time_cell_is_read_or_named_as_unreadable(value: CellValue) -> None:
    parsed = only_parse_errors(lambda: parse_time(value))
    if parsed is not None:
        assert isinstance(parsed, time) and parsed.tzinfo is None


@FUZZ
@given(cell_values)
def test_a_time_range_cell_is_read_or_named_as_unreadable(value: CellValue) -> None:
    parsed = only_parse_errors(lambda: parse_time_range(value))
    if parsed is not None and parsed.start is not None and parsed.end is not None:
        assert isinstance(parsed.start, time) and isinstance(parsed.end, time)


@FUZZ
@given(typed_text, first_days)
def test_a_repetition_is_read_or_named_as_unreadable(text: str, first: date) -> None:
    rule = only_parse_errors(lambda: parse_repetition(text, first))
    if rule is not None:
        assert isinstance(rule, str) and rule


@FUZZ
@given(cell_values, years, years)
def test_an_except_cell_is_read_or_named_as_unreadable(
    value: CellValue, year: int | None, fiscal_year: int | None
) -> None:
    dates = only_parse_errors(
        lambda: parse_date_list(value, year=year, fiscal_year=fiscal_year)
    )
    if dates is not None:
        assert all(isinstance(d, date) for d in dates)


@FUZZ
@given(cell_values)
def test_a_count_is_a_non_negative_whole_number_or_nothing(value: CellValue) -> None:
    count = parse_count(value)
    assert count is None or (isinstance(count, int) and count >= 0)


@FUZZ
@given(typed_text)
def test_a_list_of_names_keeps_every_name_and_no_blank_one(text: str) -> None:
    names = split_list(text)
    assert all(name and name == name.strip(" \u3000\t") for name in names)
    for name in names:
        assert name in text
    # the same names as splitting at each separator in turn
    parts = [text]
    for sep in LIST_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(sep)]
    assert names == [p.strip(" \u3000\t") for p in parts if p.strip(" \u3000\t")]


@FUZZ
@given(cell_values)
def test_every_cell_has_a_text_form(value: CellValue) -> None:
    text = cell_text(value)
    assert isinstance(text, str)
    assert is_blank(value) == (text == "")


# --- header matcher -----------------------------------------------------------

def known_names(key: str) -> list[str]:
    """Every spelling of every column of tab ``key``, with noise around some."""
    spec = tab_spec(key)
    return [n for c in spec.columns for n in (c.header, c.key, *c.aliases)]


def header_cells(key: str) -> st.SearchStrategy[CellValue]:
    """A header cell: a known name (maybe spaced or full-width), junk, or any value."""
    names = st.sampled_from(known_names(key))
    noisy = st.tuples(names, st.sampled_from(["", " ", "\u3000", "\n"])).map(
        lambda p: p[1] + p[0] + p[1]
    )
    return st.one_of(names, noisy, cell_values)


@FUZZ
@given(st.lists(header_cells("events"), max_size=30))
def test_every_header_found_is_a_cell_of_the_header_row(header: list[CellValue]) -> None:
    spec = tab_spec("events")
    found = map_headers(header, spec, 0)
    assert found.header_row == 1
    for key, index in found.columns.items():
        cell = header[index]
        assert isinstance(cell, str)
        assert spec.column(key).key == key
        assert found.headers[key] == cell.strip()
    for _name, first, second in found.duplicates:
        assert first < second < len(header)
    # Each column is taken once: the first cell that names it.
    assert len(set(found.columns.values())) == len(found.columns)


@FUZZ
@given(st.lists(st.lists(header_cells("events"), max_size=12), max_size=14))
def test_the_header_row_is_one_of_the_top_rows(rows: list[list[CellValue]]) -> None:
    index = find_header_row(rows, tab_spec("events"))
    assert 0 <= index <= max(0, min(len(rows), 10) - 1)


tab_names = st.one_of(
    st.sampled_from([n for s in tab_specs() for n in (s.name, *s.aliases)]),
    st.sampled_from(["行動 ", " 行動", "ｅｖｅｎｔｓ", "ＥＶＥＮＴＳ", "Sheet1", "集計"]),
    typed_text,
)


@FUZZ
@given(st.lists(tab_names, max_size=8, unique=True))
def test_a_tab_is_found_by_any_spelling_of_its_name(names: list[str]) -> None:
    for spec in tab_specs():
        found = find_tab(spec, names)
        wanted = {match_key(n) for n in (spec.name, *spec.aliases)}
        matching = [n for n in names if match_key(n) in wanted]
        assert found == (matching[0] if matching else None)


# --- the loader over generated workbooks ---------------------------------------

def event_rows() -> st.SearchStrategy[list[list[CellValue]]]:
    """A 行動 tab: maybe a title row, a header row of known and junk names, data rows."""
    good = st.fixed_dictionaries({
        "kind": st.sampled_from(["宣伝行動", "学習会", "会議", "謎"]),
        "date": st.one_of(st.sampled_from(["2026/5/3", "R8.12.4", "5月3日(日)"]), cell_values),
        "report": typed_text,
    })
    header = st.lists(header_cells("events"), max_size=14)
    data = st.lists(
        st.one_of(
            st.lists(cell_values, max_size=14),
            good.map(lambda g: [None, g["kind"], "題", g["date"], g["report"]]),
        ),
        max_size=8,
    )
    title: st.SearchStrategy[list[list[CellValue]]] = st.one_of(
        st.just([]), st.just([["2026年度 行動予定"]])
    )
    core: st.SearchStrategy[list[CellValue]] = st.just(["ID", "種別", "行動名", "日付", "参加報告"])
    return st.tuples(title, st.one_of(core, header), data).map(
        lambda t: [*t[0], t[1], *t[2]]
    )


def other_tab(key: str) -> st.SearchStrategy[list[list[CellValue]]]:
    """A 団体/参加/成果/申込 tab of known headers and any cells."""
    header = st.lists(header_cells(key), max_size=6)
    return st.tuples(header, st.lists(st.lists(cell_values, max_size=6), max_size=4)).map(
        lambda t: [t[0], *t[1]]
    )


workbooks = st.fixed_dictionaries(
    {"行動": event_rows()},
    optional={
        "団体": other_tab("orgs"), "参加": other_tab("participation"),
        "成果": other_tab("results"), "申込": other_tab("registrations"),
        "ｅｖｅｎｔｓ": event_rows(),
    },
)
configs = st.builds(
    Config,
    fiscal_year=st.one_of(st.none(), st.integers(min_value=1990, max_value=2100)),
    year=st.one_of(st.none(), st.integers(min_value=1990, max_value=2100)),
)


@FUZZ
@given(workbooks, configs)
def test_loading_never_raises_and_never_drops_a_row_silently(
    tabs: dict[str, list[list[CellValue]]], config: Config
) -> None:
    tables = {name: RawTable(name, rows) for name, rows in tabs.items()}
    result = load_workbook(tables, config)
    # What `check` adds (report sentences against their totals) must not raise either.
    assert all(p.code in message_table() for p in check_workbook(tables, config))
    for problem in result.problems:
        assert problem.sheet and problem.code in message_table()
        assert problem.message("ja") and problem.message("en")
    if "ｅｖｅｎｔｓ" in tabs:
        # Two tabs both look like 行動: the first is read and the second is named.
        first, second = [name for name in tabs if name in ("行動", "ｅｖｅｎｔｓ")]
        assert any(p.code == "tab.duplicate" and p.sheet == second for p in result.problems)
        assert result.tabs.get("events") in (first, None)
    events = result.tabs.get("events")
    if events is None:
        assert any(p.severity.value == "error" or p.code == "tab.empty" for p in result.problems)
        return
    rows = tables[events].rows
    header_row = find_header_row(rows, tab_spec("events")) + 1
    kept = {a.row for a in result.workbook.actions}
    troubled = {p.row for p in result.problems if p.sheet == events}
    for number, cells in enumerate(rows, start=1):
        if number <= header_row or row_is_blank(cells):
            continue
        assert number in kept or number in troubled, (number, cells)


def test_nan_and_infinite_numbers_read_as_blank_cells() -> None:
    """NaN and infinities (a Sheets API quirk) are blank, never numbers."""
    headers = map_headers(["定員"], tab_spec("events"), 0)
    problems: list[Any] = []
    for value in (math.nan, math.inf, -math.inf):
        reader = RowReader("行動", 2, [value], headers, problems)
        assert reader.integer("capacity") is None and not reader.has("capacity")
    assert problems == []
    assert cell_text(datetime(2026, 5, 3, 10, 0)) == "2026-05-03T10:00:00"


# --- the workbook source: what a workbook holds is what is read ------------------

#: Values Excel itself can hold in a cell: text up to its limit (control characters
#: included, stored escaped), numbers, booleans and dates.
stored_values: st.SearchStrategy[CellValue] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    # Excel keeps 15 significant digits, and so does openpyxl when it writes.
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300).map(
        lambda f: float(f"{f:.15g}")
    ),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.text(max_size=40).filter(lambda t: not t.startswith("=") and "_x" not in t),
    astral_text,
)


def _escaped(text: str) -> str:
    """How Excel stores a control character in a cell: ``_xHHHH_``."""
    return "".join(f"_x{ord(c):04X}_" if ord(c) < 32 and c not in "\t\n" else c for c in text)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(stored_values, max_size=5), max_size=5))
def test_what_a_workbook_holds_is_what_the_source_reads(grid: list[list[CellValue]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行動"
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = _escaped(value) if isinstance(value, str) else value
            if isinstance(value, date):
                cell.number_format = "yyyy/mm/dd"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        book.save(path)
        read = XlsxSource(path).read_tables()["行動"].rows
    # An empty text cell is no cell at all in a workbook.
    expected = trim_rows([[None if v == "" else v for v in row] for row in grid])
    assert [list(row) for row in read] == expected
