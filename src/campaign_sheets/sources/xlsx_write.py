"""The write-back of a workbook file: blank ID cells and the 集計 tab, nothing else.

The package is edited in place of being loaded and saved: the parts of the tabs that
get IDs and the 集計 tab's part are streamed through :mod:`.xlsx_sheet_xml`; every
other part (other tabs, charts, images, shapes, comments, data validation,
conditional formats, defined names, styles, macros) is copied byte for byte
(:mod:`.xlsx_zip`). A 集計 tab the workbook does not have yet is added as a new part,
which also adds it to the workbook, its relationships and the content types. Memory
stays that of one row at a time, whatever the size of the other tabs.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, BinaryIO
from xml.etree import ElementTree

from ..core.values import CellValue, CellWrite, WriteBack
from .xlsx_sheet_xml import Found, inspect_cells, put_cells, replace_rows
from .xlsx_zip import Editor, NewMember, rewrite_package

_PACKAGE_RELS = "_rels/.rels"
_OFFICE_DOCUMENT = "/officeDocument"
_WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_SHARED_STRINGS = "/sharedStrings"
_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SHEETS_END = re.compile(rb"</(?P<p>[A-Za-z_][\w.-]*:)?sheets>")
_RELS_END = re.compile(rb"</(?P<p>[A-Za-z_][\w.-]*:)?Relationships>")
_TYPES_END = re.compile(rb"</(?P<p>[A-Za-z_][\w.-]*:)?Types>")


class SheetGone(KeyError):
    """A tab to write into is not in the workbook (renamed or removed since the read)."""

    def __init__(self, sheet: str) -> None:
        super().__init__(sheet)
        self.sheet = sheet


@dataclass(frozen=True)
class _Sheet:
    name: str
    part: str


@dataclass(frozen=True)
class _Book:
    """Where a workbook's parts are: its workbook part, tabs, relationships, strings."""

    workbook: str
    rels: str
    sheets: tuple[_Sheet, ...]
    rel_ids: tuple[str, ...]
    strings: str | None

    def part_of(self, name: str) -> str | None:
        return next((s.part for s in self.sheets if s.name == name), None)


@dataclass(frozen=True)
class Planned:
    """What a write-back will do: the cell writes that land, those a person's value
    stopped, and whether anything is to be written at all."""

    written: tuple[CellWrite, ...]
    skipped: tuple[CellWrite, ...]
    changes: bool


def write_back_package(
    source: BinaryIO, out: Callable[[], BinaryIO], writes: WriteBack
) -> Planned:
    """Work out the write-back of ``writes`` on the package ``source`` and, when it
    changes anything, write the new package to the file ``out()`` gives."""
    with zipfile.ZipFile(source) as archive:
        book = _read_book(archive)
        by_part: dict[str, dict[int, dict[int, CellWrite]]] = {}
        for write in writes.cells:
            part = book.part_of(write.sheet)
            if part is None:
                raise SheetGone(write.sheet)
            by_part.setdefault(part, {}).setdefault(write.row, {})[write.col + 1] = write
        written, skipped = _decide(archive, book, by_part, writes.cells)
    plan = Planned(tuple(written), tuple(skipped), bool(written) or writes.rollup is not None)
    if not plan.changes:
        return plan
    texts: dict[str, dict[int, dict[int, str]]] = {}
    for write in written:
        part = book.part_of(write.sheet)
        assert part is not None
        texts.setdefault(part, {}).setdefault(write.row, {})[write.col + 1] = write.value
    edits: dict[str, Editor] = {part: _cells_editor(cells) for part, cells in texts.items()}
    added: list[NewMember] = []
    if writes.rollup is not None:
        _plan_rollup(archive_book=book, name=writes.rollup_sheet, rows=writes.rollup,
                     source=source, edits=edits, added=added)
    source.seek(0)
    rewrite_package(source, out(), edits, added)
    return plan


def _decide(
    archive: zipfile.ZipFile,
    book: _Book,
    by_part: Mapping[str, Mapping[int, Mapping[int, CellWrite]]],
    writes: Sequence[CellWrite],
) -> tuple[list[CellWrite], list[CellWrite]]:
    """Which writes land (in the order given): a person's value typed since the read
    wins over ours."""
    now: dict[tuple[str, int, int], Found] = {}
    for part, rows in by_part.items():
        with archive.open(part) as raw:
            found = inspect_cells(raw, {row: list(cells) for row, cells in rows.items()})
        strings = _shared_strings(archive, book.strings, {
            int(f.value) for f in found.values() if f.kind == "s" and f.value.strip().isdigit()
        })
        for (row, column), cell in found.items():
            if cell.kind == "s" and not cell.formula:
                index = int(cell.value) if cell.value.strip().isdigit() else -1
                cell = Found("str", strings.get(index, ""), False)
            now[(part, row, column)] = cell
    written: list[CellWrite] = []
    skipped: list[CellWrite] = []
    for write in writes:
        held = now.get((str(book.part_of(write.sheet)), write.row, write.col + 1))
        if write.only_if_blank and held is not None and (held.formula or held.value.strip()):
            skipped.append(write)  # a formula is a person's, whatever it shows
        else:
            written.append(write)
    return written, skipped


def _cells_editor(cells: Mapping[int, Mapping[int, str]]) -> Editor:
    def edit(old: IO[bytes] | None, emit: Callable[[bytes], object]) -> None:
        assert old is not None
        put_cells(old, emit, cells)
    return edit


def _plan_rollup(
    *, archive_book: _Book, name: str, rows: Sequence[Sequence[CellValue]],
    source: BinaryIO, edits: dict[str, Editor], added: list[NewMember],
) -> None:
    """The 集計 tab's part rewritten; or a new part, added to the workbook, its
    relationships and the content types."""
    def fill(old: IO[bytes] | None, emit: Callable[[bytes], object]) -> None:
        replace_rows(old, emit, rows)

    part = archive_book.part_of(name)
    if part is not None:
        edits[part] = fill
        return
    with zipfile.ZipFile(source) as archive:
        taken = set(archive.namelist())
    number = 1
    while f"xl/worksheets/sheet{number}.xml" in taken:
        number += 1
    new_part = f"xl/worksheets/sheet{number}.xml"
    rel_id = _free_id(archive_book.rel_ids)
    target = posixpath.relpath(new_part, posixpath.dirname(archive_book.workbook))
    edits[archive_book.workbook] = _insert_before(_SHEETS_END, lambda p: (
        b"<" + p + b"sheet name=\"" + _attr(name) + b"\" sheetId=\""
        + str(_next_sheet_id(source, archive_book.workbook)).encode() + b"\" xmlns:cs=\""
        + _RELATIONSHIPS_NS.encode() + b"\" cs:id=\"" + rel_id.encode() + b"\"/>"))
    edits[archive_book.rels] = _insert_before(_RELS_END, lambda p: (
        b"<" + p + b"Relationship Id=\"" + rel_id.encode() + b"\" Type=\""
        + _WORKSHEET_TYPE.encode() + b"\" Target=\"" + _attr(target) + b"\"/>"))
    edits["[Content_Types].xml"] = _insert_before(_TYPES_END, lambda p: (
        b"<" + p + b"Override PartName=\"/" + _attr(new_part) + b"\" ContentType=\""
        + _WORKSHEET_CONTENT.encode() + b"\"/>"))
    added.append(NewMember(new_part, fill))


def _insert_before(end: re.Pattern[bytes], make: Callable[[bytes], bytes]) -> Editor:
    """An editor that inserts ``make(prefix)`` before the closing tag ``end`` (small parts)."""
    def edit(old: IO[bytes] | None, emit: Callable[[bytes], object]) -> None:
        assert old is not None
        text = old.read()
        found = list(end.finditer(text))
        if not found:
            raise ValueError(f"no {end.pattern!r} to insert before")
        closing = found[-1]
        emit(text[: closing.start()] + make(closing["p"] or b"") + text[closing.start():])
    return edit


def _attr(text: str) -> bytes:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return escaped.encode("utf-8")


def _free_id(taken: Sequence[str]) -> str:
    numbers = [int(m.group(1)) for i in taken if (m := re.fullmatch(r"rId(\d+)", i))]
    candidate = max(numbers, default=0) + 1
    while f"rId{candidate}" in taken:
        candidate += 1
    return f"rId{candidate}"


def _next_sheet_id(source: BinaryIO, workbook: str) -> int:
    with zipfile.ZipFile(source) as archive:
        root = ElementTree.fromstring(archive.read(workbook))
    ids = [int(e.get("sheetId") or 0) for e in root.iter() if _local(e.tag) == "sheet"]
    return max(ids, default=0) + 1


def _read_book(archive: zipfile.ZipFile) -> _Book:
    workbook = "xl/workbook.xml"
    for rel in _relationships(archive, _PACKAGE_RELS):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT):
            workbook = rel.get("Target", workbook).lstrip("/")
    folder = posixpath.dirname(workbook)
    rels = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets: dict[str, str] = {}
    strings = None
    for rel in _relationships(archive, rels):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        targets[rel.get("Id", "")] = path
        if rel.get("Type", "").endswith(_SHARED_STRINGS):
            strings = path
    root = ElementTree.fromstring(archive.read(workbook))
    sheets = []
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        if rel_id in targets:
            sheets.append(_Sheet(element.get("name", ""), targets[rel_id]))
    return _Book(workbook, rels, tuple(sheets), tuple(targets), strings)


def _relationships(archive: zipfile.ZipFile, part: str) -> list[ElementTree.Element]:
    try:
        root = ElementTree.fromstring(archive.read(part))
    except KeyError:
        return []
    return [e for e in root if _local(e.tag) == "Relationship"]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _shared_strings(
    archive: zipfile.ZipFile, part: str | None, wanted: set[int]
) -> dict[int, str]:
    """The shared strings at the indices ``wanted`` (read as a stream, the rest dropped)."""
    if part is None or not wanted:
        return {}
    found: dict[int, str] = {}
    last = max(wanted)
    index = 0
    with archive.open(part) as raw:
        for _event, element in ElementTree.iterparse(raw):
            if _local(element.tag) != "si":
                continue
            if index in wanted:
                # the text runs, without their phonetic readings (rPh)
                runs = [e for e in element if _local(e.tag) in ("t", "r")]
                found[index] = "".join(
                    t.text or "" for run in runs for t in run.iter() if _local(t.tag) == "t")
            element.clear()
            index += 1
            if index > last:
                break
    return found
