"""Edits of a worksheet's XML as it streams by: cells put into given rows, or the rows
of a sheet replaced; every other byte of the part stays as it was.

A sheet part can be tens of megabytes (a large 行動 tab): it is read in chunks, and
only the rows to edit are looked at, one at a time. Cells are written as inline
strings or numbers, so the shared-string table and the styles (shared by every tab)
are never touched; a cell keeps its style.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO
from xml.sax.saxutils import unescape

from ..core.values import CellValue

Emit = Callable[[bytes], object]

_CHUNK = 1 << 18
_NAME = rb"[A-Za-z_][\w.-]*:"
_SHEET_DATA = re.compile(rb"<(?P<p>" + _NAME + rb")?sheetData\b[^>]*?(?P<e>/?)>")
_ROW_OR_END = re.compile(
    rb"<(?P<p>" + _NAME + rb")?row\b(?P<a>[^>]*?)(?P<e>/?)>|</(?:" + _NAME + rb")?sheetData>"
)
_MERGE = re.compile(rb"<(?:" + _NAME + rb")?mergeCells\b[^>]*?(?P<e>/?)>")
_MERGE_END = re.compile(rb"</(?:" + _NAME + rb")?mergeCells>")
_DIMENSION = re.compile(rb"(<(?:" + _NAME + rb")?dimension\b[^>]*?\bref=\")[^\"]*(\")")
_CELL = re.compile(
    rb"<(?P<p>" + _NAME + rb")?c\b(?P<a>[^>]*?)(?:/>|>(?P<body>.*?)</(?:" + _NAME + rb")?c>)",
    re.DOTALL,
)
_ATTR_R = re.compile(rb"\br=\"([^\"]*)\"")
_ATTR_T = re.compile(rb"\bt=\"([^\"]*)\"")
_ATTR_S = re.compile(rb"\bs=\"([^\"]*)\"")
_SPANS = re.compile(rb"\s+spans=\"[^\"]*\"")
_VALUE = re.compile(rb"<(?:" + _NAME + rb")?v\b[^>]*>(.*?)</(?:" + _NAME + rb")?v>", re.DOTALL)
_TEXT = re.compile(rb"<(?:" + _NAME + rb")?t\b[^>]*>(.*?)</(?:" + _NAME + rb")?t>", re.DOTALL)
_FORMULA = re.compile(rb"<(?:" + _NAME + rb")?f[\s>/]")
_REF = re.compile(r"([A-Z]+)([0-9]+)")
#: What XML 1.0 cannot hold: left out of written text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


class SheetXmlError(ValueError):
    """The part is not the worksheet XML it should be."""


@dataclass(frozen=True)
class Found:
    """What a cell to be written holds now: its type, its value text, whether it is a
    formula. ``None`` in place of a ``Found`` means the cell is not in the sheet."""

    kind: str
    value: str
    formula: bool


class _Reader:
    """A part read in chunks; what lies before each complete tag looked for is passed on."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._buffer = b""
        self._done = False

    def until(self, pattern: re.Pattern[bytes], emit: Emit) -> re.Match[bytes] | None:
        """Emit everything before the next match of ``pattern`` and return the match
        (consumed); at the end of the part emit the rest and return ``None``."""
        start = 0
        while True:
            match = pattern.search(self._buffer, start)
            if match is not None:
                emit(self._buffer[: match.start()])
                self._buffer = self._buffer[match.end():]
                return match
            if self._done:
                emit(self._buffer)
                self._buffer = b""
                return None
            # a tag cut in two by the chunk starts at the last "<": keep it for the next look
            cut = self._buffer.rfind(b"<")
            cut = len(self._buffer) if cut < 0 else cut
            emit(self._buffer[:cut])
            self._buffer = self._buffer[cut:]
            start = 0
            piece = self._raw.read(_CHUNK)
            if piece:
                self._buffer += piece
            else:
                self._done = True

    def rest(self, emit: Emit) -> None:
        """Emit everything that is left."""
        emit(self._buffer)
        self._buffer = b""
        while piece := self._raw.read(_CHUNK):
            emit(piece)


def _discard(_piece: bytes) -> None:
    """Emit nowhere."""


def column_number(letters: str) -> int:
    """``A`` → 1, ``AB`` → 28."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """1 → ``A``, 28 → ``AB``."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- cells in given rows --------------------------------------------------------------


def inspect_cells(
    raw: IO[bytes], wanted: Mapping[int, Iterable[int]]
) -> dict[tuple[int, int], Found]:
    """What the cells at (row, column) (both 1-based) in ``wanted`` hold now."""
    found: dict[tuple[int, int], Found] = {}

    def look(number: int, open_tag: bytes, body: bytes, close: bytes) -> bytes:
        columns = set(wanted.get(number, ()))
        for column, match in _cells(body):
            if column in columns:
                found[(number, column)] = _found(match)
        return open_tag + body + close

    _walk_rows(raw, set(wanted), look, lambda _number: b"", _discard)
    return found


def put_cells(
    raw: IO[bytes], emit: Emit, cells: Mapping[int, Mapping[int, str]]
) -> None:
    """The part with the text ``cells[row][column]`` written into those cells (a cell
    there is replaced, keeping its style; a missing cell or row is added in order)."""
    prefix = [b""]

    def edit(number: int, open_tag: bytes, body: bytes, close: bytes) -> bytes:
        return _edited_row(number, open_tag, body, close, cells[number])

    def new_row(number: int) -> bytes:
        p = prefix[0]
        inner = b"".join(_text_cell(p, column_letters(c) + str(number), text, None)
                         for c, text in sorted(cells[number].items()))
        return b"<" + p + b"row r=\"" + str(number).encode() + b"\">" + inner + b"</" + p + b"row>"

    _walk_rows(raw, set(cells), edit, new_row, emit, prefix)


def _walk_rows(
    raw: IO[bytes],
    targets: set[int],
    edit: Callable[[int, bytes, bytes, bytes], bytes],
    new_row: Callable[[int], bytes],
    emit: Emit,
    prefix_out: list[bytes] | None = None,
) -> None:
    """Copy the part, passing each target row through ``edit`` and adding ``new_row``
    for target rows the sheet does not have, in row order."""
    reader = _Reader(raw)
    opening = reader.until(_SHEET_DATA, emit)
    if opening is None:
        raise SheetXmlError("no sheetData")
    p = opening["p"] or b""
    if prefix_out is not None:
        prefix_out[0] = p
    pending = sorted(targets)
    if opening["e"]:
        emit(b"<" + p + b"sheetData>" + b"".join(new_row(n) for n in pending)
             + b"</" + p + b"sheetData>")
        reader.rest(emit)
        return
    emit(opening.group(0))
    number = 0
    while True:
        match = reader.until(_ROW_OR_END, emit)
        if match is None:
            raise SheetXmlError("sheetData is not closed")
        if match["a"] is None:  # </sheetData>
            emit(b"".join(new_row(n) for n in pending) + match.group(0))
            reader.rest(emit)
            return
        written = _ATTR_R.search(match["a"])
        number = int(written.group(1)) if written else number + 1
        body_parts: list[bytes] = []
        close = b""
        if not match["e"]:
            end = reader.until(_close_row(match["p"] or b""), body_parts.append)
            if end is None:
                raise SheetXmlError("a row is not closed")
            close = end.group(0)
        while pending and pending[0] < number:
            emit(new_row(pending.pop(0)))
        body = b"".join(body_parts)
        if pending and pending[0] == number:
            pending.pop(0)
            emit(edit(number, match.group(0), body, close))
        else:
            emit(match.group(0) + body + close)


def _close_row(prefix: bytes) -> re.Pattern[bytes]:
    return _ROW_ENDS.get(prefix) or _ROW_ENDS.setdefault(
        prefix, re.compile(rb"</" + re.escape(prefix) + rb"row>"))


_ROW_ENDS: dict[bytes, re.Pattern[bytes]] = {}


def _cells(body: bytes) -> Iterable[tuple[int, re.Match[bytes]]]:
    column = 0
    for match in _CELL.finditer(body):
        ref = _ATTR_R.search(match["a"])
        found = _REF.fullmatch(ref.group(1).decode("ascii")) if ref else None
        column = column_number(found.group(1)) if found else column + 1
        yield column, match


def _found(match: re.Match[bytes]) -> Found:
    attrs, body = match["a"], match["body"] or b""
    kind = _ATTR_T.search(attrs)
    type_name = kind.group(1).decode("ascii") if kind else "n"
    if type_name == "inlineStr":
        text = b"".join(m.group(1) for m in _TEXT.finditer(body))
    else:
        value = _VALUE.search(body)
        text = value.group(1) if value else b""
    return Found(type_name, unescape(text.decode("utf-8")), _FORMULA.search(body) is not None)


def _edited_row(
    number: int, open_tag: bytes, body: bytes, close: bytes, texts: Mapping[int, str]
) -> bytes:
    p = re.match(rb"<(" + _NAME + rb")?", open_tag)
    prefix = (p.group(1) if p else None) or b""
    # spans only hint at which cells a row has; a new cell may fall outside them
    open_tag = _SPANS.sub(b"", open_tag)
    if open_tag.endswith(b"/>"):
        open_tag = open_tag[:-2].rstrip() + b">"
        close = b"</" + prefix + b"row>"
    cells = list(_cells(body))
    pieces: list[tuple[int, int, bytes]] = []  # (start, end, new bytes) in body
    for column, text in sorted(texts.items()):
        ref = column_letters(column) + str(number)
        same = next((m for c, m in cells if c == column), None)
        if same is not None:
            style = _ATTR_S.search(same["a"])
            pieces.append((same.start(), same.end(),
                           _text_cell(prefix, ref, text, style.group(1) if style else None)))
            continue
        after = next((m for c, m in cells if c > column), None)
        at = after.start() if after is not None else len(body)
        pieces.append((at, at, _text_cell(prefix, ref, text, None)))
    out, position = [], 0
    for start, end, new in sorted(pieces, key=lambda piece: (piece[0], piece[1])):
        out += [body[position:start], new]
        position = end
    out.append(body[position:])
    return open_tag + b"".join(out) + close


# -- a sheet's rows replaced ------------------------------------------------------------


def replace_rows(raw: IO[bytes] | None, emit: Emit, rows: Sequence[Sequence[CellValue]]) -> None:
    """The part (a new worksheet when ``raw`` is ``None``) with ``rows`` as its only
    cells: its sheetData replaced, its merged ranges gone, its dimension updated; its
    views, columns, page setup and everything else kept."""
    if raw is None:
        emit(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="'
             b'http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        emit(_sheet_data(b"", rows))
        emit(b"</worksheet>")
        return
    reader = _Reader(raw)
    head: list[bytes] = []
    opening = reader.until(_SHEET_DATA, head.append)
    if opening is None:
        raise SheetXmlError("no sheetData")
    emit(_DIMENSION.sub(lambda m: m.group(1) + _extent(rows) + m.group(2), b"".join(head), 1))
    p = opening["p"] or b""
    emit(_sheet_data(p, rows))
    if not opening["e"] and reader.until(
        re.compile(rb"</" + re.escape(p) + rb"sheetData>"), _discard
    ) is None:
        raise SheetXmlError("sheetData is not closed")
    merged = reader.until(_MERGE, emit)
    if merged is not None and not merged["e"]:
        reader.until(_MERGE_END, _discard)
    reader.rest(emit)


def _extent(rows: Sequence[Sequence[CellValue]]) -> bytes:
    width = max((len(row) for row in rows), default=0)
    if not rows or not width:
        return b"A1"
    return f"A1:{column_letters(width)}{len(rows)}".encode("ascii")


def _sheet_data(p: bytes, rows: Sequence[Sequence[CellValue]]) -> bytes:
    out = [b"<" + p + b"sheetData>"]
    for r, row in enumerate(rows, start=1):
        cells = [_value_cell(p, column_letters(c) + str(r), value)
                 for c, value in enumerate(row, start=1)]
        inner = b"".join(cell for cell in cells if cell)
        if inner:
            out.append(b"<" + p + b"row r=\"" + str(r).encode() + b"\">" + inner
                       + b"</" + p + b"row>")
    out.append(b"</" + p + b"sheetData>")
    return b"".join(out)


def _value_cell(p: bytes, ref: str, value: CellValue) -> bytes:
    """One cell as data: text stays text (never a formula), numbers are numbers."""
    if value is None or (isinstance(value, str) and not value):
        return b""
    if isinstance(value, bool):
        return b"<" + p + b"c r=\"" + ref.encode() + b"\" t=\"b\"><" + p + b"v>" + (
            b"1" if value else b"0") + b"</" + p + b"v></" + p + b"c>"
    if isinstance(value, int | float) and math.isfinite(value):
        number = repr(value).encode("ascii")
        return (b"<" + p + b"c r=\"" + ref.encode() + b"\"><" + p + b"v>" + number
                + b"</" + p + b"v></" + p + b"c>")
    if isinstance(value, datetime | date | time):
        return _text_cell(p, ref, value.isoformat(), None)
    return _text_cell(p, ref, str(value), None)


def _text_cell(p: bytes, ref: str, text: str, style: bytes | None) -> bytes:
    clean = _NOT_XML.sub("", text).translate(_ESCAPES)
    space = b' xml:space="preserve"' if clean[:1].isspace() or clean[-1:].isspace() else b""
    styled = b" s=\"" + style + b"\"" if style is not None else b""
    return (b"<" + p + b"c r=\"" + ref.encode("ascii") + b"\"" + styled + b" t=\"inlineStr\"><"
            + p + b"is><" + p + b"t" + space + b">" + clean.encode("utf-8") + b"</" + p + b"t></"
            + p + b"is></" + p + b"c>")
