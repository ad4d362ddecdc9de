"""The report workbook (``report.xlsx``): plain tables written as SpreadsheetML.

The cells are written as text (openpyxl's cell objects would cost most of the time of
a report with thousands of rows); the bytes are reproducible. The workbooks a person
edits (``init``) are made with openpyxl in :mod:`campaign_sheets.sources.xlsx_init`.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

#: A fixed time for reproducible files (the zip format cannot store earlier dates).
FIXED_STAMP = datetime(2026, 4, 1, 0, 0, 0)
#: The fill of a header row (a light blue), as ARGB.
HEADER_FILL_RGB = "FFDDEBF7"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: 2 for a wide (Japanese) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: One sheet of a report export: (sheet title, header labels, rows of numbers and text).
PlainSheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
# Excel refuses sheet names longer than 31 characters or with these in them.
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_SHEET_NAME_LIMIT = 31


def tables_workbook_bytes(sheets: Sequence[PlainSheet], stamp: datetime = FIXED_STAMP) -> bytes:
    """A reproducible ``.xlsx`` of plain tables, one sheet each (the report exports).

    The SpreadsheetML is written as text (openpyxl's cell objects cost most of the
    time of a report with thousands of rows). Text that starts with ``=`` is stored
    as text, never as a formula; characters XML cannot hold are left out; the same
    ``sheets`` and ``stamp`` always give the same bytes.
    """
    names = _unique_sheet_names([title for title, _, _ in sheets])
    parts = [
        ("[Content_Types].xml", _content_types(len(sheets))),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/app.xml", _APP),
        ("docProps/core.xml", _core(stamp)),
        ("xl/workbook.xml", _workbook_xml(names)),
        ("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets))),
        ("xl/styles.xml", _STYLES),
    ]
    parts += [(f"xl/worksheets/sheet{n}.xml", _sheet_xml(header, rows))
              for n, (_, header, rows) in enumerate(sheets, start=1)]
    return _zip_parts(parts, stamp)


def _cell_width(text: str) -> int:
    """``display_width(text)``, without looking at each character of ASCII text (most
    cells: numbers, IDs, dates), where every character takes one column."""
    return len(text) if text.isascii() else display_width(text)


# XML 1.0 cannot hold these at all (openpyxl refuses them): they are left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Anything a text needs escaping or cleaning for; most cells have none of it.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A carriage return would be read back as a line feed unless written as a reference.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;"})
_NS = "http://schemas.openxmlformats.org/"
_MAIN_NS = _NS + "spreadsheetml/2006/main"
_REL_NS = _NS + "officeDocument/2006/relationships"
_HEADER_STYLE, _DATE_STYLE, _DATETIME_STYLE, _TIME_STYLE = 1, 2, 3, 4
_EXCEL_EPOCH = datetime(1899, 12, 30)


def _xml_text(text: str) -> str:
    """``text`` escaped for an element or attribute, without what XML cannot hold."""
    return _NOT_XML.sub("", text).translate(_ESCAPES)


def _unique_sheet_names(titles: Sequence[str]) -> list[str]:
    """Sheet names Excel accepts: cleaned, at most 31 characters, none repeated.

    Excel compares names without case; a repeat gets a number (``名前1``, ``名前2``),
    cut short enough to stay within the limit.
    """
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = _NOT_XML.sub("", title.translate(_BAD_SHEET_CHARS))[:_SHEET_NAME_LIMIT]
        # Excel refuses a name that starts or ends with an apostrophe, or is empty.
        base = re.sub("^'|'$", "_", base) or "Sheet"
        name, number = base, 0
        while name.lower() in taken:
            number += 1
            suffix = str(number)
            name = base[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _column_letters(count: int) -> list[str]:
    """``A``, ``B`` … for the first ``count`` columns."""
    letters = []
    for number in range(1, count + 1):
        letter = ""
        while number:
            number, rest = divmod(number - 1, 26)
            letter = chr(65 + rest) + letter
        letters.append(letter)
    return letters


def _sheet_xml(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """One worksheet: frozen header row, fitted column widths, the rows."""
    widest = max([len(header), *(len(row) for row in rows)])
    letters = _column_letters(widest)
    out = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN_NS}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2"'
        ' activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"'
        ' activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
    ]
    if header:
        out.append("<cols>")
        for index, label in enumerate(header):
            width = _column_width(label, [str(r[index]) for r in rows])
            out.append(f'<col min="{index + 1}" max="{index + 1}" width="{width}"'
                       ' customWidth="1"/>')
        out.append("</cols>")
    out.append("<sheetData>")
    # Header labels are text, whatever they were given as (a style per cell is one only).
    labels = [label if label is None or isinstance(label, str) else str(label)
              for label in header]
    out.append(_row_xml(1, labels, letters, _HEADER_STYLE))
    out.extend(_row_xml(number, row, letters, 0) for number, row in enumerate(rows, start=2))
    out.append('</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1"'
               ' header="0.5" footer="0.5"/></worksheet>')
    return "".join(out)


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


def _row_xml(number: int, values: Sequence[Any], letters: Sequence[str], style: int) -> str:
    """One ``<row>``: empty cells (``None``, ``""``) are left out."""
    suffix = f'{number}" s="{style}"' if style else f'{number}"'
    cells = []
    for letter, value in zip(letters, values, strict=False):
        # Text and whole numbers are nearly every cell: written here, without a call.
        kind = type(value)
        if kind is str:
            if value:
                cells.append(_text_cell_xml(letter + suffix, value))
        elif kind is int:
            cells.append(f'<c r="{letter}{suffix}><v>{value}</v></c>')
        elif value is not None:
            cells.append(_cell_xml(letter + suffix, value))
    return f'<row r="{number}">{"".join(cells)}</row>'


def _text_cell_xml(ref: str, value: str) -> str:
    """An inline text cell, never a formula, its outer spaces kept."""
    text = value if _SPECIAL.search(value) is None else _xml_text(value)
    if text[:1].isspace() or text[-1:].isspace():
        return f'<c r="{ref} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{ref} t="inlineStr"><is><t>{text}</t></is></c>'


def _cell_xml(ref: str, value: Any) -> str:
    """One ``<c>``; ``ref`` is the rest of the opening tag after ``r="`` (ref and style)."""
    if isinstance(value, str):
        return _text_cell_xml(ref, value) if value else ""
    if isinstance(value, bool):
        return f'<c r="{ref} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, float | Decimal) and _finite(value)):
        return f'<c r="{ref}><v>{value}</v></c>'
    if isinstance(value, float | Decimal):
        # Spreadsheets have no infinity or NaN: show what it is, as text.
        return _text_cell_xml(ref, str(value))
    return _date_cell_xml(ref, value)


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def _date_cell_xml(ref: str, value: Any) -> str:
    """A date, time or date and time as a day number with its display format."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise TypeError(f"a spreadsheet cannot hold a time zone: {value!r}")
        serial, style = (value - _EXCEL_EPOCH) / timedelta(days=1), _DATETIME_STYLE
    elif isinstance(value, date):
        serial, style = float((value - _EXCEL_EPOCH.date()).days), _DATE_STYLE
    elif isinstance(value, time):
        if value.tzinfo is not None:
            raise TypeError(f"a spreadsheet cannot hold a time zone: {value!r}")
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        serial, style = (seconds + value.microsecond / 1e6) / 86400, _TIME_STYLE
    else:
        raise TypeError(f"a report cell cannot hold {type(value).__name__}: {value!r}")
    # Only body cells reach here (header labels are text), so ref carries no style yet.
    return f'<c r="{ref} s="{style}"><v>{serial:.15g}</v></c>'


def _content_types(count: int) -> str:
    main = "application/vnd.openxmlformats-officedocument."
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml"'
        f' ContentType="{main}spreadsheetml.worksheet+xml"/>' for n in range(1, count + 1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{_NS}package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{main}spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/><Override PartName="/docProps/app.xml"'
        f' ContentType="{main}extended-properties+xml"/>{sheets}</Types>'
    )


def _workbook_xml(names: Sequence[str]) -> str:
    sheets = "".join(f'<sheet name="{_xml_text(name)}" sheetId="{n}" r:id="rId{n}"/>'
                     for n, name in enumerate(names, start=1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
        "</workbook>"
    )


def _workbook_rels(count: int) -> str:
    kind = _REL_NS + "/"
    sheets = "".join(f'<Relationship Id="rId{n}" Type="{kind}worksheet"'
                     f' Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_NS}package/2006/relationships">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{kind}styles" Target="styles.xml"/>'
        "</Relationships>"
    )


def _core(stamp: datetime) -> str:
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<cp:coreProperties xmlns:cp="{_NS}package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>campaign-sheets'
        f'</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{iso}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{iso}</dcterms:modified>'
        "</cp:coreProperties>"
    )


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_NS}package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS}package/2006/relationships/metadata/core-properties"'
    ' Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL_NS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Properties xmlns="{_NS}officeDocument/2006/extended-properties">'
    "<Application>campaign-sheets</Application></Properties>"
)
# Styles by number: 0 plain, 1 the header (bold, HEADER_FILL_RGB), 2 date,
# 3 date and time, 4 time (the formats openpyxl gives such cells).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_MAIN_NS}"><numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/>'
    '<family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid">'
    f'<fgColor rgb="{HEADER_FILL_RGB}"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1"'
    ' applyFill="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def _zip_parts(parts: Sequence[tuple[str, str]], stamp: datetime) -> bytes:
    """The parts zipped in the given order, every entry dated ``stamp``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # the same bytes whichever system writes them
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
