"""The report workbook (``report.xlsx``), written with XlsxWriter (the only module that
imports it): plain tables, one sheet each, a frozen header row, fitted columns.

Text is written as text (``write_string``: a text starting with ``=`` stays text, never
a formula) and numbers as numbers (``write_number``), never guessed from the value;
what each table cell becomes is decided before, in
:func:`campaign_sheets.rollup.export.xlsx_sheets`. The bytes are reproducible: the
document's dates are ``stamp`` and XlsxWriter dates every part 1 January 1980. The
workbooks a person edits (``init``) are made with openpyxl in
:mod:`campaign_sheets.sources.xlsx_init`.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import xlsxwriter

#: A fixed time for reproducible files (the zip format cannot store earlier dates).
FIXED_STAMP = datetime(2026, 4, 1, 0, 0, 0)
#: The fill of a header row (a light blue), as ARGB.
HEADER_FILL_RGB = "FFDDEBF7"

#: One sheet of a report export: (sheet title, header labels, rows of numbers and text).
PlainSheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
# Excel refuses sheet names longer than 31 characters or with these in them.
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_SHEET_NAME_LIMIT = 31
#: A name Excel keeps for itself.
_RESERVED_NAMES = frozenset({"history"})
# XML 1.0 cannot hold these at all (openpyxl refuses them): they are left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd h:mm:ss", "time": "h:mm:ss"}
_OPTIONS = {
    "in_memory": True,
    # every cell is written by its own type below; nothing is to be guessed
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: 2 for a wide (Japanese) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def tables_workbook_bytes(sheets: Sequence[PlainSheet], stamp: datetime = FIXED_STAMP) -> bytes:
    """A reproducible ``.xlsx`` of plain tables, one sheet each (the report exports).

    Characters XML cannot hold are left out; the same ``sheets`` and ``stamp`` always
    give the same bytes. A value no spreadsheet can hold is a :class:`TypeError`.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, _OPTIONS)
    book.set_properties({"created": stamp, "author": "campaign-sheets"})
    header = book.add_format({"bold": True, "bg_color": "#" + HEADER_FILL_RGB[2:], "pattern": 1})
    formats = {kind: book.add_format({"num_format": code}) for kind, code in _FORMATS.items()}
    for name, (_title, labels, rows) in zip(
        _unique_sheet_names([title for title, _, _ in sheets]), sheets, strict=True
    ):
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for column, label in enumerate(labels):
            width = _column_width(str(label), [str(row[column]) for row in rows
                                               if column < len(row)])
            sheet.set_column(column, column, width)
            text = _NOT_XML.sub("", str(label))
            if text:
                sheet.write_string(0, column, text, header)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                _write(sheet, number, column, value, formats)
    book.close()
    return out.getvalue()


def _write(sheet: Any, row: int, column: int, value: Any, formats: dict[str, Any]) -> None:
    """One body cell, by the type of its value; empty text and ``None`` stay empty."""
    if isinstance(value, str):
        text = _NOT_XML.sub("", value)
        if text:
            sheet.write_string(row, column, text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        if _finite(value):
            sheet.write_number(row, column, float(value) if isinstance(value, Decimal) else value)
        else:  # spreadsheets have no infinity or NaN: show what it is, as text
            sheet.write_string(row, column, str(value))
    elif isinstance(value, datetime | date | time):
        if getattr(value, "tzinfo", None) is not None:
            raise TypeError(f"a spreadsheet cannot hold a time zone: {value!r}")
        kind = ("datetime" if isinstance(value, datetime)
                else "date" if isinstance(value, date) else "time")
        sheet.write_datetime(row, column, value, formats[kind])
    elif value is not None:
        raise TypeError(f"a report cell cannot hold {type(value).__name__}: {value!r}")


def _finite(value: int | float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) or math.isfinite(value)


def _cell_width(text: str) -> int:
    """``display_width(text)``, without looking at each character of ASCII text (most
    cells: numbers, IDs, dates), where every character takes one column."""
    return len(text) if text.isascii() else display_width(text)


def _column_width(label: str, texts: Sequence[str]) -> int:
    """``min(60, 2 + widest)`` of the label and the texts of a column.

    A text takes at most two columns a character, so the longest texts are measured
    first and the rest only while they could still be wider, or until the cap.
    """
    widest = display_width(label)
    for text in sorted(set(texts), key=len, reverse=True):
        if 2 * len(text) <= widest or widest >= 58:
            break
        widest = max(widest, _cell_width(text))
    return min(60, 2 + widest)


def _unique_sheet_names(titles: Sequence[str]) -> list[str]:
    """Sheet names Excel accepts: cleaned, at most 31 characters, none repeated.

    Excel compares names without case and counts their length in UTF-16 units (an
    emoji takes two); a repeat gets a number (``名前1``, ``名前2``), cut short enough
    to stay within the limit.
    """
    names: list[str] = []
    taken: set[str] = set(_RESERVED_NAMES)
    for title in titles:
        base = _cut(_NOT_XML.sub("", title.translate(_BAD_SHEET_CHARS)), _SHEET_NAME_LIMIT)
        # Excel refuses a name that starts or ends with an apostrophe, or is empty.
        base = re.sub("^'|'$", "_", base) or "Sheet"
        name, number = base, 0
        while name.lower() in taken:
            number += 1
            suffix = str(number)
            name = _cut(base, _SHEET_NAME_LIMIT - len(suffix)) + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _cut(text: str, limit: int) -> str:
    """The longest start of ``text`` of at most ``limit`` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text
