"""A local ``.xlsx`` workbook as a source (openpyxl).

Reading opens the file read-only with cached formula values, so a formula gives
the value Excel or LibreOffice last computed and an error cell gives its text
(``#REF!``) for the loader to report; a formula saved without any result (as
programs other than Excel write them) becomes an :class:`UncomputedFormula`, and
control characters stored as ``_x0001_`` are decoded. Writing back edits the package
itself (:mod:`.xlsx_write`): only blank ID cells and the tool-owned 集計 tab change,
every other part is copied byte for byte, and the file is replaced atomically so a
crash never leaves half a workbook behind.
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from ..core.values import CellValue, RawTable, UncomputedFormula, WriteBack, WriteResult
from .failure import CodedSourceError
from .tables import trim_row, trim_rows
from .xlsx_sheet_xml import SheetXmlError
from .xlsx_write import SheetGone, write_back_package

#: The first bytes of an OLE2 compound file: an old ``.xls`` or an encrypted ``.xlsx``.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream name an encrypted OOXML file carries, as it is spelt inside the OLE file.
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")
#: Quoted literals and ``[...]`` sections (colours, locales, elapsed time) of a number format.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
#: What openpyxl raises for a zip that is not a complete, well-formed workbook
#: (a broken XML part is a ``SyntaxError``; a broken compressed stream a ``zlib.error``).
_DAMAGE = (
    KeyError, ValueError, TypeError, AttributeError, IndexError, EOFError, SyntaxError,
    zipfile.BadZipFile, zlib.error,
)
#: How OOXML spells a control character, which XML cannot hold (``_x0001_``); openpyxl
#: leaves it as is. Only control characters are decoded: other ``_xHHHH_`` is text.
_OOXML_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f])_")
#: A formula element in a sheet's XML.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
#: openpyxl's warning about a date-formatted number no date has (it reads ``#VALUE!``).
_BAD_SERIAL = re.compile(
    r"Cell (?P<cell>[A-Z]+[0-9]+) is marked as a date"
    r" but the serial value (?P<value>\S+) is outside"
)


class XlsxSource:
    """A workbook file; see the module docstring for what is read and written."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def describe(self) -> str:
        """The path of the workbook."""
        return str(self.path)

    def read_tables(self) -> dict[str, RawTable]:
        """Every tab, keyed by its name, with trailing empties trimmed."""
        workbook = self._open()
        tables: dict[str, list[list[CellValue]]] = {}
        try:
            with zipfile.ZipFile(self.path) as archive:
                for ws in workbook.worksheets:
                    rows = tables[ws.title] = _read_sheet(ws)
                    part = getattr(ws, "_worksheet_path", None)
                    if isinstance(part, str):
                        _mark_uncomputed(rows, archive, part)
        except _DAMAGE as exc:
            raise self._error("source.xlsx_corrupt", exc) from exc
        finally:
            workbook.close()
        return {title: RawTable(title, rows) for title, rows in tables.items()}

    def write_back(self, writes: WriteBack) -> WriteResult:
        """Write blank ID cells and the 集計 tab; leave every other cell and part alone.

        Nothing is written when ``writes.empty`` or when every ID cell was filled by a
        person since the read, so the file (and its modification time) stays as it was.
        """
        if writes.empty:
            return WriteResult()
        self._check_file()
        folder = self.path.resolve().parent
        temp: list[Path] = []

        def new_file() -> BinaryIO:
            fd, name = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=folder)
            temp.append(Path(name))
            handle = os.fdopen(fd, "w+b")
            handles.append(handle)
            return handle

        handles: list[BinaryIO] = []
        try:
            with open(self.path, "rb") as source:
                plan = write_back_package(source, new_file, writes)
            for handle in handles:
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
            if plan.changes:
                os.chmod(temp[0], self.path.stat().st_mode & 0o7777)
                os.replace(temp[0], self.path)
                _fsync_folder(folder)
        except SheetGone as exc:
            raise CodedSourceError("source.sheet_gone", source=self.path, sheet=exc.sheet) from exc
        except OSError as exc:
            raise self._error("source.xlsx_unwritable", exc) from exc
        except (*_DAMAGE, SheetXmlError, ElementTree.ParseError) as exc:
            raise self._error("source.xlsx_corrupt", exc) from exc
        finally:
            for handle in handles:
                handle.close()
            for path in temp:
                path.unlink(missing_ok=True)
        return WriteResult(
            written=plan.written,
            skipped=plan.skipped,
            rollup_written=writes.rollup is not None,
            details={"path": str(self.path)},
        )

    def _open(self) -> Any:
        """The openpyxl workbook, read-only with cached values, or an
        :class:`CodedSourceError` that says what to do."""
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self._check_file()
        try:
            return load_workbook(
                self.path,
                read_only=True,
                data_only=True,
                keep_links=True,
            )
        except (zipfile.BadZipFile, InvalidFileException) as exc:
            raise CodedSourceError("source.xlsx_not_workbook", path=self.path) from exc
        except OSError as exc:
            raise self._error("source.xlsx_unreadable", exc) from exc
        except _DAMAGE as exc:
            raise self._error("source.xlsx_corrupt", exc) from exc

    def _check_file(self) -> None:
        """Tell a missing, old-format or password-protected file apart before openpyxl."""
        try:
            with self.path.open("rb") as handle:
                head = handle.read(8)
                if head == _OLE_MAGIC:
                    body = handle.read(1 << 20)
                    code = "source.xlsx_encrypted" if _ENCRYPTION_MARK in body else (
                        "source.xlsx_old_format"
                    )
                    raise CodedSourceError(code, path=self.path)
        except FileNotFoundError as exc:
            raise CodedSourceError("source.xlsx_missing", path=self.path) from exc
        except IsADirectoryError as exc:
            raise CodedSourceError("source.xlsx_not_workbook", path=self.path) from exc
        except OSError as exc:
            raise self._error("source.xlsx_unreadable", exc) from exc
        if not zipfile.is_zipfile(self.path) or not self._has_workbook_part():
            raise CodedSourceError("source.xlsx_not_workbook", path=self.path)

    def _has_workbook_part(self) -> bool:
        """False for a zip that is not a spreadsheet (a renamed .docx, an archive)."""
        try:
            with zipfile.ZipFile(self.path) as archive:
                return any(name.startswith("xl/") for name in archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return False

    def _error(self, code: str, exc: BaseException) -> CodedSourceError:
        detail = str(exc) or type(exc).__name__
        return CodedSourceError(code, path=self.path, detail=detail)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; the rename is durable enough there.
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_sheet(ws: Any) -> list[list[CellValue]]:
    """The rows of one read-only sheet, ragged and trimmed."""
    # The stored dimension is often wrong in files other programs wrote; without
    # it openpyxl reads every row that is really there.
    ws.reset_dimensions()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = [trim_row([_cell_value(cell) for cell in row]) for row in ws.iter_rows()]
    _restore_serials(rows, caught)
    return trim_rows(rows)


def _restore_serials(
    rows: list[list[CellValue]], caught: Iterable[warnings.WarningMessage]
) -> None:
    """Put back the number of a date-formatted cell openpyxl could not turn into a date.

    openpyxl replaces such a serial (negative, or past year 9999) with ``#VALUE!``,
    which would be reported as a formula error; the number itself says what is wrong.
    """
    for warning in caught:
        match = _BAD_SERIAL.search(str(warning.message))
        if match is None:
            continue
        col, row = coordinate_from_string(match["cell"])
        number = float(match["value"])
        value: CellValue = int(number) if number.is_integer() and abs(number) < 1e15 else number
        _put(rows, row - 1, column_index_from_string(col) - 1, value)


def _put(rows: list[list[CellValue]], row: int, col: int, value: CellValue) -> None:
    while len(rows) <= row:
        rows.append([])
    cells = rows[row]
    while len(cells) <= col:
        cells.append(None)
    cells[col] = value


def _mark_uncomputed(
    rows: list[list[CellValue]], archive: zipfile.ZipFile, part: str
) -> None:
    """Turn each formula cell saved without its result into an :class:`UncomputedFormula`.

    Read with cached values, such a cell is ``None``, which the loader would take
    for a blank cell. A formula whose result is empty text keeps ``t="str"``, so
    only a cell with neither a result nor that type is marked.
    """
    with archive.open(part) as raw:
        if not _FORMULA_TAG.search(raw.read()):
            return  # most sheets hold no formula: spare them the second parse
    with archive.open(part) as raw:
        for _event, element in ElementTree.iterparse(raw):
            if element.tag.endswith("}c"):
                _mark_cell(rows, element)
                element.clear()


def _mark_cell(rows: list[list[CellValue]], element: ElementTree.Element) -> None:
    formula = next((e for e in element if e.tag.endswith("}f")), None)
    value = next((e for e in element if e.tag.endswith("}v")), None)
    where = element.get("r")
    if formula is None or not where or (value is not None and value.text):
        return
    if element.get("t") == "str":
        return
    col, row = coordinate_from_string(where)
    _put(rows, row - 1, column_index_from_string(col) - 1,
         UncomputedFormula("=" + (formula.text or "")))


def _cell_value(cell: Any) -> CellValue:
    """A cell's value, with a date typed into a date-only cell kept as a date."""
    value = cell.value
    if isinstance(value, str) and "_x" in value:
        return _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), value)
    if value is None or isinstance(value, str | int | float):
        return value  # the common case first: this runs for every cell of every tab
    if isinstance(value, datetime):
        if value.time() == time(0) and _is_date_only_format(cell.number_format):
            return value.date()
        return value
    if isinstance(value, date | time):
        return value
    # A duration cell ([h]:mm) comes as a timedelta: keep what the person sees as text.
    return str(value)


@cache
def _is_date_only_format(number_format: str | None) -> bool:
    """True for ``yyyy/m/d`` or ``ggge"年"m"月"d"日"``; false when hours or seconds show."""
    if not number_format:
        return False
    bare = _FORMAT_NOISE.sub("", number_format).lower()
    return "h" not in bare and "s" not in bare
