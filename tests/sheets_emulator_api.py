"""The spreadsheets the Sheets API emulator holds, and the API methods that act on them.

Values follow the real API: unformatted reads give numbers, booleans and text, dates
as serial numbers; RAW writes store values as sent, USER_ENTERED ones as a person
typing them (``=`` starts a formula, numbers and dates are recognised); structural
requests are applied all or nothing. Errors are :class:`ApiError` with the real
API's codes and messages.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as time_of_day
from typing import Any

STATUS_TEXT = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 502: "UNAVAILABLE",
    503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
}
EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula (what USER_ENTERED makes of text starting with ``=``)."""

    text: str


@dataclass
class Sheet:
    """One tab: its properties and cells (``None`` is an empty cell)."""

    sheet_id: int
    title: str
    rows: list[list[Any]] = field(default_factory=list)
    frozen_rows: int = 0
    hidden: bool = False
    validations: list[dict[str, Any]] = field(default_factory=list)
    protected: list[dict[str, Any]] = field(default_factory=list)

    def put(self, row: int, col: int, value: Any) -> None:
        """Set the cell at 0-based ``row``/``col``."""
        while len(self.rows) <= row:
            self.rows.append([])
        cells = self.rows[row]
        cells.extend([None] * (col + 1 - len(cells)))
        cells[col] = value

    def get(self, row: int, col: int) -> Any:
        """The cell at 0-based ``row``/``col`` (``None`` when empty)."""
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


@dataclass
class Spreadsheet:
    """A spreadsheet: tabs in order; ``shared`` False answers 403; ``native`` False is an
    uploaded .xlsx (400 FAILED_PRECONDITION)."""

    key: str
    sheets: list[Sheet] = field(default_factory=list)
    shared: bool = True
    native: bool = True

    def sheet(self, title: str) -> Sheet | None:
        """The tab called ``title``."""
        return next((s for s in self.sheets if s.title == title), None)

    def by_id(self, sheet_id: int) -> Sheet | None:
        """The tab with ``sheet_id``."""
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)


class ApiError(Exception):
    """An error answer in the API's JSON shape."""

    def __init__(self, code: int, message: str, status: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message = code, message
        self.status = status or STATUS_TEXT.get(code, "UNKNOWN")


def serial(value: date | datetime | time_of_day) -> float | int:
    """A date, date-time or time as a Sheets serial number (days since 1899-12-30)."""
    if isinstance(value, datetime):
        delta = value - datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    if isinstance(value, date):
        return (value - EPOCH).days
    return (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def shape(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows as the API returns them: trailing empty cells and rows dropped."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        out.append(["" if v is None else v for v in cells])
    while out and not out[-1]:
        out.pop()
    return out


# -- spreadsheets.get and field masks ------------------------------------------------


def get_spreadsheet(book: Spreadsheet, *, grid: bool = False) -> dict[str, Any]:
    """The ``spreadsheets.get`` body; with ``grid`` each sheet's ``data`` too (the real
    API includes grid data when the field mask names it)."""
    sheets = []
    for index, sheet in enumerate(book.sheets):
        entry: dict[str, Any] = {
            "properties": _properties(sheet, index),
            "protectedRanges": copy.deepcopy(sheet.protected),
        }
        if grid:
            entry["data"] = [_grid_data(sheet)]
        sheets.append(entry)
    return {
        "spreadsheetId": book.key,
        "properties": {"title": book.key, "locale": "ja_JP", "timeZone": "Asia/Tokyo"},
        "sheets": sheets,
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.key}/edit",
    }


def _grid_data(sheet: Sheet) -> dict[str, Any]:
    """One ``GridData`` from A1: a ``RowData`` per row up to the last one with cells
    (``{}`` for an empty row or cell; start indexes of 0 are omitted, as proto3 JSON
    omits zeros)."""
    rows = list(sheet.rows)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    if not rows:
        return {}
    row_data = []
    for row in rows:
        cells = [{} if v is None else {"effectiveValue": effective_value(v)} for v in row]
        row_data.append({"values": cells} if cells else {})
    return {"rowData": row_data}


#: What a cell shows for each ``ErrorValue.type``.
ERROR_TEXT = {"DIVIDE_BY_ZERO": "#DIV/0!", "N_A": "#N/A", "REF": "#REF!", "VALUE": "#VALUE!",
              "NAME": "#NAME?", "NUM": "#NUM!", "NULL_VALUE": "#NULL!", "ERROR": "#ERROR!"}


@dataclass(frozen=True)
class CellError:
    """A cell whose formula failed (``kind`` one of :data:`ERROR_TEXT`'s keys)."""

    kind: str


def effective_value(value: Any) -> dict[str, Any]:
    """A stored value as an ``ExtendedValue`` (dates and times are numbers, as in Sheets)."""
    if isinstance(value, CellError):
        return {"errorValue": {"type": value.kind, "message": "emulated error"}}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    if isinstance(value, (date, time_of_day)):
        return {"numberValue": serial(value)}
    if isinstance(value, Formula):
        return {"stringValue": f"<value of {value.text}>"}
    return {"stringValue": str(value)}


def _properties(sheet: Sheet, index: int) -> dict[str, Any]:
    return {
        "sheetId": sheet.sheet_id,
        "title": sheet.title,
        "index": index,
        "sheetType": "GRID",
        **({"hidden": True} if sheet.hidden else {}),
        "gridProperties": {
            "rowCount": max(1000, len(sheet.rows)),
            "columnCount": max(26, *(len(r) for r in sheet.rows), 0),
            "frozenRowCount": sheet.frozen_rows,
        },
    }


def parse_mask(mask: str) -> dict[str, Any]:
    """A field mask (``sheets(properties(title,sheetId)),spreadsheetId``) as a tree."""
    tree: dict[str, Any] = {}
    stack = [tree]
    name = ""

    def close_name() -> None:
        nonlocal name
        if name:
            node = stack[-1]
            for part in name.split(".")[:-1]:
                node = node.setdefault(part, {})
            node.setdefault(name.split(".")[-1], None)
        name = ""

    for ch in mask.replace(" ", ""):
        if ch == "(":
            node = stack[-1]
            for part in name.split("."):
                child = node.get(part)
                node[part] = child = child if isinstance(child, dict) else {}
                node = child
            stack.append(node)
            name = ""
        elif ch == ")":
            close_name()
            stack.pop()
        elif ch == ",":
            close_name()
        else:
            name += ch
    close_name()
    return tree


def apply_mask(body: Any, mask: str | dict[str, Any]) -> Any:
    """Only the fields ``mask`` names, as the real API answers."""
    tree = parse_mask(mask) if isinstance(mask, str) else mask
    if isinstance(body, list):
        return [apply_mask(item, tree) for item in body]
    if not isinstance(body, dict):
        return body
    out = {}
    for key, sub in tree.items():
        if key in body:
            out[key] = body[key] if sub is None else apply_mask(body[key], sub)
    return out


# -- values ---------------------------------------------------------------------------

_CELL = re.compile(r"([A-Za-z]*)(\d*)")


def parse_range(book: Spreadsheet, text: str) -> tuple[Sheet, int, int, int | None, int | None]:
    """``(sheet, row0, col0, row_end, col_end)`` of an A1 range (ends exclusive, None: open)."""
    quoted = re.fullmatch(r"'((?:[^']|'')*)'(?:!(.*))?", text)
    title, cells = (quoted.group(1).replace("''", "'"), quoted.group(2)) if quoted else (
        text.split("!", 1)[0], text.split("!", 1)[1] if "!" in text else None)
    sheet = book.sheet(title)
    if sheet is None or (cells is not None and not re.fullmatch(r"[A-Za-z]*\d*(:[A-Za-z]*\d*)?",
                                                                cells)):
        raise ApiError(400, f"Unable to parse range: {text}")
    if not cells:
        return sheet, 0, 0, None, None
    first, _, last = cells.partition(":")
    r0, c0 = _cell(first)
    if not last:
        return sheet, r0 or 0, c0 or 0, (r0 or 0) + 1, (c0 or 0) + 1
    r1, c1 = _cell(last)
    return sheet, r0 or 0, c0 or 0, None if r1 is None else r1 + 1, None if c1 is None else c1 + 1


def _cell(ref: str) -> tuple[int | None, int | None]:
    found = _CELL.fullmatch(ref)
    assert found
    letters, digits = found.groups()
    col = None
    if letters:
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        col -= 1
    return (int(digits) - 1 if digits else None), col


def _render(value: Any, params: Mapping[str, list[str]]) -> Any:
    render = params.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
    dates = params.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0]
    if isinstance(value, Formula):
        return value.text if render == "FORMULA" else f"<value of {value.text}>"
    if isinstance(value, CellError):
        return ERROR_TEXT[value.kind]
    if isinstance(value, (date, time_of_day)):
        if render != "FORMATTED_VALUE" and dates == "SERIAL_NUMBER":
            return serial(value)
        return value.isoformat().replace("-", "/")
    if render == "FORMATTED_VALUE" and not isinstance(value, str):
        return str(value).upper() if isinstance(value, bool) else str(value)
    return value


def values_ops(kind: str, book: Spreadsheet, params: Mapping[str, list[str]],
               payload: Mapping[str, Any]) -> Any:
    """Answer ``values:batchGet``, ``values:batchUpdate`` and ``values:batchClear``."""
    if kind == "batchGet":
        return {"spreadsheetId": book.key,
                "valueRanges": [_get(book, r, params) for r in params.get("ranges", [])]}
    if kind == "values.batchUpdate":
        return _update(book, payload)
    if kind == "batchClear":
        for text in payload.get("ranges", []):
            sheet, r0, c0, r1, c1 = parse_range(book, text)
            for r in range(r0, len(sheet.rows) if r1 is None else min(r1, len(sheet.rows))):
                row = sheet.rows[r]
                for c in range(c0, len(row) if c1 is None else min(c1, len(row))):
                    row[c] = None
        return {"spreadsheetId": book.key, "clearedRanges": payload.get("ranges", [])}
    raise ApiError(404, f"not emulated: {kind}")


def _get(book: Spreadsheet, text: str, params: Mapping[str, list[str]]) -> dict[str, Any]:
    sheet, r0, c0, r1, c1 = parse_range(book, text)
    end = len(sheet.rows) if r1 is None else min(r1, len(sheet.rows))
    rows = [[_render(v, params) if v is not None else None for v in sheet.rows[r][c0:c1]]
            for r in range(r0, end)]
    answer: dict[str, Any] = {"range": text, "majorDimension": "ROWS"}
    shaped = shape(rows)
    if shaped:
        answer["values"] = shaped
    return answer


def _update(book: Spreadsheet, payload: Mapping[str, Any]) -> dict[str, Any]:
    option = payload.get("valueInputOption")
    if option not in ("RAW", "USER_ENTERED"):
        raise ApiError(400, "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    planned = []
    for block in payload.get("data", []):
        sheet, r0, c0, _r1, _c1 = parse_range(book, block["range"])
        planned.append((sheet, r0, c0, block.get("values", [])))
    total = 0
    for sheet, r0, c0, values in planned:
        for dr, row in enumerate(values):
            for dc, value in enumerate(row):
                if value is None:
                    continue  # null leaves the cell alone
                stored = _entered(value) if option == "USER_ENTERED" else value
                sheet.put(r0 + dr, c0 + dc, None if stored == "" else stored)
                total += 1
    return {"spreadsheetId": book.key, "totalUpdatedCells": total}


def _entered(value: Any) -> Any:
    """What Sheets makes of a value typed by a person (USER_ENTERED)."""
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]  # typed after an apostrophe: text as it is
    if value.startswith("="):
        return Formula(value)
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    # The date and time forms a ja_JP sheet recognises as it is typed.
    found = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})(?: (\d{1,2}):(\d{2}))?", value)
    if found:
        y, m, d, hh, mm = found.groups()
        if hh is None:
            return date(int(y), int(m), int(d))
        return datetime(int(y), int(m), int(d), int(hh), int(mm))
    found = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    if found:
        return time_of_day(int(found.group(1)), int(found.group(2)))
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


# -- spreadsheets:batchUpdate ------------------------------------------------------------


def batch_update(book: Spreadsheet, payload: Mapping[str, Any], ids: Iterator[int]
                 ) -> tuple[list[dict[str, Any]], Spreadsheet]:
    """Apply every request to a copy; any failure leaves the spreadsheet unchanged."""
    work = copy.deepcopy(book)
    replies = []
    for index, request in enumerate(payload.get("requests", [])):
        (name, body), = request.items()
        handler = _STRUCTURAL.get(name)
        if handler is None:
            raise ApiError(400, f"Invalid requests[{index}]: unsupported request {name}")
        replies.append(handler(work, body, ids, index))
    return replies, work


def _add_sheet(book: Spreadsheet, body: Mapping[str, Any], ids: Iterator[int], i: int) -> Any:
    props = body.get("properties", {})
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    if book.sheet(title) is not None:
        raise ApiError(400, f'Invalid requests[{i}].addSheet: A sheet with the name "{title}" '
                            "already exists. Please enter another name.")
    sheet_id = props.get("sheetId", next(ids))
    if book.by_id(sheet_id) is not None:
        raise ApiError(400, f"Invalid requests[{i}].addSheet: sheetId {sheet_id} already exists")
    sheet = Sheet(sheet_id, title)
    sheet.frozen_rows = props.get("gridProperties", {}).get("frozenRowCount", 0)
    sheet.hidden = bool(props.get("hidden", False))
    position = props.get("index", len(book.sheets))
    book.sheets.insert(min(position, len(book.sheets)), sheet)
    return {"addSheet": {"properties": _properties(sheet, book.sheets.index(sheet))}}


def _grid_sheet(book: Spreadsheet, grid: Mapping[str, Any], name: str, i: int) -> Sheet:
    sheet = book.by_id(grid.get("sheetId", 0))
    if sheet is None:
        raise ApiError(400, f"Invalid requests[{i}].{name}: No grid with id: {grid.get('sheetId')}")
    return sheet


def _set_validation(book: Spreadsheet, body: Mapping[str, Any], ids: Iterator[int], i: int
                    ) -> Any:
    sheet = _grid_sheet(book, body.get("range", {}), "setDataValidation", i)
    sheet.validations.append({"range": body["range"], "rule": body.get("rule")})
    return {}


def _add_protected(book: Spreadsheet, body: Mapping[str, Any], ids: Iterator[int], i: int
                   ) -> Any:
    protected = dict(body.get("protectedRange", {}))
    sheet = _grid_sheet(book, protected.get("range", {}), "addProtectedRange", i)
    protected["protectedRangeId"] = next(ids)
    sheet.protected.append(protected)
    return {"addProtectedRange": {"protectedRange": protected}}


def _update_props(book: Spreadsheet, body: Mapping[str, Any], ids: Iterator[int], i: int
                  ) -> Any:
    props = body.get("properties", {})
    sheet = _grid_sheet(book, props, "updateSheetProperties", i)
    fields = body.get("fields", "")
    if not fields:
        raise ApiError(400, f"Invalid requests[{i}].updateSheetProperties: fields is required")
    for name in fields.split(","):
        if name == "gridProperties.frozenRowCount":
            sheet.frozen_rows = props.get("gridProperties", {}).get("frozenRowCount", 0)
        elif name == "title":
            sheet.title = props["title"]
    return {}


_STRUCTURAL = {
    "addSheet": _add_sheet,
    "setDataValidation": _set_validation,
    "addProtectedRange": _add_protected,
    "updateSheetProperties": _update_props,
}
