"""Building new workbooks with openpyxl: the blank schedule of ``init`` and the example.

A new workbook has every tab of ``data/schema.toml`` in order, a bold frozen
header row, column widths that fit the Japanese headers, and dropdowns for the
columns whose values come from a fixed list (種別, 状態, 公開) or from the 団体 tab
(主催, and 団体 on the 参加 tab). Dropdowns only warn on other values, because
the loader also understands aliases (``駅頭宣伝``, ``会員のみ``, ``協会``) that the
lists do not show.

Rows are given per tab key as mappings from a column's field key to a value; a
key that is not a column of the tab becomes an extra column headed by the key
itself (the personal columns of a Google Form's answers, for instance).
"""

from __future__ import annotations

import io
import math
import os
import re
import tomllib
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .model import kinds, labels_for
from .problems import render_message
from .safe_write import synced_temp_file
from .schema import TabSpec, tab_spec, tab_specs

#: Rows per tab as field key → value, keyed by tab key (``events``, ``orgs`` …).
TabRows = Mapping[str, Sequence[Mapping[str, Any]]]

#: How far down the dropdowns reach, and how many 団体 rows the org list covers.
VALIDATION_LAST_ROW = 1000
ORG_LIST_LAST_ROW = 200
#: A fixed time for reproducible files (the zip format cannot store earlier dates).
FIXED_STAMP = datetime(2026, 4, 1, 0, 0, 0)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="FFDDEBF7")
_DATE_FORMAT = "yyyy/m/d"
_TIME_FORMAT = "h:mm"
_DATETIME_FORMAT = "yyyy/m/d h:mm"
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def load_example_rows(name: str = "init") -> dict[str, list[dict[str, Any]]]:
    """The example rows of ``data/example.toml`` section ``name``, per tab key."""
    text = (resources.files("campaign_sheets") / "data" / "example.toml").read_text("utf-8")
    section = tomllib.loads(text)[name]
    return {key: [dict(row) for row in rows] for key, rows in section.items()}


def new_workbook(rows: TabRows | None = None, lang: str = "ja") -> Workbook:
    """A workbook with every tab, header, width and dropdown, filled with ``rows``."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    rows = rows or {}
    for spec in tab_specs():
        ws = workbook.create_sheet(spec.name)
        if spec.owned:
            ws["A1"] = render_message("init.rollup_note", {}, lang)
            ws.column_dimensions["A"].width = 60
            continue
        headers = _headers(spec, rows.get(spec.key, ()))
        _write_header(ws, spec, headers)
        _write_rows(ws, headers, rows.get(spec.key, ()))
    _add_dropdowns(workbook, lang)
    return workbook


def new_workbook_bytes(
    example_rows: bool = True,
    *,
    rows: TabRows | None = None,
    lang: str = "ja",
    stamp: datetime | None = FIXED_STAMP,
) -> bytes:
    """The bytes of a new ``.xlsx``: with the small example rows unless told not to.

    ``rows`` (per tab key) replaces the built-in example. With ``stamp`` the file
    is byte-for-byte reproducible: every time stored in it is ``stamp``.
    """
    if rows is None:
        rows = load_example_rows("init") if example_rows else {}
    buffer = io.BytesIO()
    new_workbook(rows, lang).save(buffer)
    data = buffer.getvalue()
    return data if stamp is None else reproducible(data, stamp)


def write_new_workbook(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; ``FileExistsError`` unless ``overwrite``.

    Without ``overwrite`` the final step is a hard link, which fails rather than
    replaces when a file appeared at ``path`` meanwhile.
    """
    # mkstemp makes 0600; a workbook is meant to be shared
    with synced_temp_file(path.resolve().parent, lambda h: h.write(data), 0o644) as temp:
        if overwrite:
            os.replace(temp, path)
        else:
            _link_or_copy(temp, path)


def reproducible(data: bytes, stamp: datetime) -> bytes:
    """The same ``.xlsx`` with every zip entry time and document time set to ``stamp``."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "docProps/core.xml":
                body = _CORE_TIMES.sub(rb"\g<1>" + iso + rb"\g<2>", body)
            info = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, body)
    return out.getvalue()


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: 2 for a wide (Japanese) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def style_header_row(ws: Worksheet, count: int) -> None:
    """Bold, tinted, frozen first row (shared with report exports)."""
    for col in range(1, count + 1):
        cell = ws.cell(row=1, column=col)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"


def _headers(spec: TabSpec, rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """``(field key, header)`` of every column: the schema's, then extra keys in rows."""
    headers = [(c.key, c.header) for c in spec.columns]
    known = {c.key for c in spec.columns}
    for row in rows:
        for key in row:
            if key not in known:
                headers.append((key, key))
                known.add(key)
    return headers


def _write_header(ws: Worksheet, spec: TabSpec, headers: Sequence[tuple[str, str]]) -> None:
    widths = {c.key: c.width for c in spec.columns}
    for index, (key, header) in enumerate(headers, start=1):
        ws.cell(row=1, column=index, value=header)
        width = max(widths.get(key, 14), display_width(header) + 4)
        ws.column_dimensions[get_column_letter(index)].width = width
    style_header_row(ws, len(headers))


def _write_rows(
    ws: Worksheet, headers: Sequence[tuple[str, str]], rows: Sequence[Mapping[str, Any]]
) -> None:
    position = {key: index for index, (key, _) in enumerate(headers, start=1)}
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=position[key], value=value)
            if isinstance(value, datetime):
                cell.number_format = _DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = _DATE_FORMAT
            elif isinstance(value, time):
                cell.number_format = _TIME_FORMAT
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"


def _add_dropdowns(workbook: Workbook, lang: str) -> None:
    """Lists for 種別/状態/公開, and the 団体 tab's names for 主催 and 参加's 団体."""
    orgs = tab_spec("orgs")
    name_col = get_column_letter(_column_number(orgs, "name"))
    org_list = f"'{orgs.name}'!${name_col}$2:${name_col}${ORG_LIST_LAST_ROW}"
    choices = {
        ("events", "kind"): _literal_list([k.label for k in kinds()]),
        ("events", "status"): _literal_list(labels_for("status")),
        ("events", "visibility"): _literal_list(labels_for("visibility")),
        ("events", "organizer"): org_list,
        ("participation", "org"): org_list,
    }
    for (tab_key, field_key), formula in choices.items():
        spec = tab_spec(tab_key)
        letter = get_column_letter(_column_number(spec, field_key))
        rule = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=render_message("init.dropdown_title", {}, lang),
            error=render_message("init.dropdown_other", {}, lang),
        )
        rule.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
        workbook[spec.name].add_data_validation(rule)


def _column_number(spec: TabSpec, field_key: str) -> int:
    """1-based column of a field in a new workbook (schema order)."""
    return [c.key for c in spec.columns].index(field_key) + 1


def _literal_list(labels: Sequence[str]) -> str:
    return '"' + ",".join(labels) + '"'


def _link_or_copy(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` without ever replacing a file that is already there."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        # Some file systems (FAT, some network drives) have no hard links.
        with path.open("xb") as handle:
            handle.write(temp.read_bytes())
            handle.flush()
            os.fsync(handle.fileno())


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
# Styles by number: 0 plain, 1 the header (_HEADER_FONT, _HEADER_FILL), 2 date,
# 3 date and time, 4 time (the formats openpyxl gives such cells).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_MAIN_NS}"><numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    f'<font>{"<b/>" if _HEADER_FONT.b else ""}<sz val="11"/><name val="Calibri"/>'
    '<family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    f'<fill><patternFill patternType="{_HEADER_FILL.fill_type}">'
    f'<fgColor rgb="{_HEADER_FILL.fgColor.rgb}"/></patternFill></fill></fills>'
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
