"""A copy of a zip package with a few members rewritten and every other one copied raw.

A workbook's write-back changes one or two parts of a package that holds many more
(other tabs, charts, images, styles, comments): those are copied as the bytes they
are in the file, compressed data included, never decompressed or parsed, so they
come out exactly as they went in and cost no memory. A rewritten member is streamed
through its editor and compressed as it goes.

Only the plain zip format is copied raw (what Excel, LibreOffice and Google write for
any workbook under 4 GB); a package with zip64 records is copied through
:mod:`zipfile` instead (every member decompressed and compressed again, unchanged).
"""

from __future__ import annotations

import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, BinaryIO

#: Writes a member's new content: given the old content (``None`` for a new member)
#: and a function that takes the new bytes piece by piece.
Editor = Callable[[IO[bytes] | None, Callable[[bytes], object]], None]

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG, _DESCRIPTOR_SIG = (
    0x04034B50, 0x02014B50, 0x06054B50, 0x08074B50)
_DESCRIPTOR_FLAG = 0x08
_UTF8_FLAG = 0x800
_LIMIT = 0xFFFFFFFF
_CHUNK = 1 << 18
_LEVEL = 6


@dataclass(frozen=True)
class NewMember:
    """A member to add at the end of the package."""

    name: str
    edit: Editor


def rewrite_package(
    source: BinaryIO,
    out: BinaryIO,
    edits: Mapping[str, Editor],
    added: Sequence[NewMember] = (),
) -> None:
    """Write to ``out`` (seekable) the package read from ``source`` (seekable), with the
    members named in ``edits`` rewritten by their editor and ``added`` appended."""
    with zipfile.ZipFile(source) as archive:
        if not _raw_copy_possible(archive):
            _rewrite_with_zipfile(archive, out, edits, added)
            return
        infos = archive.infolist()
        records = list(_central_records(source, archive.start_dir, len(infos)))
        central: list[bytes] = []
        for info, record in zip(infos, records, strict=True):
            offset = out.tell()
            editor = edits.get(info.filename)
            if editor is None:
                _copy_member(source, out, info)
                central.append(record[:42] + struct.pack("<I", offset) + record[46:])
                continue
            with archive.open(info) as old:
                sizes = _write_member(out, info.filename, info.date_time, editor, old)
            central.append(_central_record(info.filename, info.date_time, offset, sizes,
                                           info.external_attr))
        comment = archive.comment
    for member in added:
        offset = out.tell()
        sizes = _write_member(out, member.name, _NEW_DATE, member.edit, None)
        central.append(_central_record(member.name, _NEW_DATE, offset, sizes, 0o600 << 16))
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    if len(central) > 0xFFFF or start > _LIMIT:
        raise ValueError("the workbook is too large to rewrite without zip64")
    out.write(_END.pack(_END_SIG, 0, 0, len(central), len(central), size, start, len(comment)))
    out.write(comment)


#: The date of a member this tool adds (zip cannot hold dates before 1980).
_NEW_DATE = (1980, 1, 1, 0, 0, 0)


def _raw_copy_possible(archive: zipfile.ZipFile) -> bool:
    """True for a plain zip: no zip64 sizes or offsets, nothing encrypted."""
    if archive.start_dir >= _LIMIT or len(archive.infolist()) >= 0xFFFF:
        return False
    for info in archive.infolist():
        if max(info.header_offset, info.compress_size, info.file_size) >= _LIMIT:
            return False
        if info.flag_bits & 0x01:  # encrypted
            return False
    return True


def _central_records(source: BinaryIO, start: int, count: int) -> Iterator[bytes]:
    """The central directory records of the package, as stored, in order."""
    source.seek(start)
    for _ in range(count):
        head = source.read(_CENTRAL.size)
        fields = _CENTRAL.unpack(head)
        if fields[0] != _CENTRAL_SIG:
            raise zipfile.BadZipFile("central directory record expected")
        rest = source.read(fields[10] + fields[11] + fields[12])
        yield head + rest


def _copy_member(source: BinaryIO, out: BinaryIO, info: zipfile.ZipInfo) -> None:
    """The member's local header, data and data descriptor, byte for byte."""
    source.seek(info.header_offset)
    head = source.read(_LOCAL.size)
    fields = _LOCAL.unpack(head)
    if fields[0] != _LOCAL_SIG:
        raise zipfile.BadZipFile(f"bad local header of {info.filename}")
    length = fields[9] + fields[10] + info.compress_size
    out.write(head)
    _copy_bytes(source, out, length)
    if info.flag_bits & _DESCRIPTOR_FLAG:
        mark = source.read(4)
        out.write(mark)
        if struct.unpack("<I", mark)[0] == _DESCRIPTOR_SIG:
            out.write(source.read(12))
        else:
            out.write(source.read(8))  # crc was the mark itself


def _copy_bytes(source: BinaryIO, out: BinaryIO, length: int) -> None:
    while length:
        piece = source.read(min(_CHUNK, length))
        if not piece:
            raise zipfile.BadZipFile("the workbook ends early")
        out.write(piece)
        length -= len(piece)


@dataclass(frozen=True)
class _Sizes:
    crc: int
    compressed: int
    size: int


def _write_member(
    out: BinaryIO,
    name: str,
    when: tuple[int, int, int, int, int, int],
    editor: Editor,
    old: IO[bytes] | None,
) -> _Sizes:
    """A deflated member written by ``editor``; its header is completed afterwards."""
    encoded, flags = _name(name)
    start = out.tell()
    dostime, dosdate = _dos(when)
    out.write(_LOCAL.pack(_LOCAL_SIG, 20, flags, zipfile.ZIP_DEFLATED, dostime, dosdate,
                          0, 0, 0, len(encoded), 0) + encoded)
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    crc = size = compressed = 0

    def write(piece: bytes) -> None:
        nonlocal crc, size, compressed
        crc = zlib.crc32(piece, crc)
        size += len(piece)
        done = packer.compress(piece)
        compressed += len(done)
        out.write(done)

    editor(old, write)
    done = packer.flush()
    compressed += len(done)
    out.write(done)
    end = out.tell()
    out.seek(start + 14)
    out.write(struct.pack("<III", crc, compressed, size))
    out.seek(end)
    if max(compressed, size) >= _LIMIT:
        raise ValueError(f"{name} is too large to rewrite without zip64")
    return _Sizes(crc, compressed, size)


def _central_record(
    name: str, when: tuple[int, int, int, int, int, int], offset: int, sizes: _Sizes,
    external: int,
) -> bytes:
    encoded, flags = _name(name)
    dostime, dosdate = _dos(when)
    return _CENTRAL.pack(
        _CENTRAL_SIG, 20, 20, flags, zipfile.ZIP_DEFLATED, dostime, dosdate, sizes.crc,
        sizes.compressed, sizes.size, len(encoded), 0, 0, 0, 0, external, offset,
    ) + encoded


def _name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_FLAG


def _dos(when: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = when
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _rewrite_with_zipfile(
    archive: zipfile.ZipFile,
    out: BinaryIO,
    edits: Mapping[str, Editor],
    added: Sequence[NewMember],
) -> None:
    """The same package through :mod:`zipfile`: every member decompressed and compressed
    again (the same content), the edited ones rewritten."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
        for info in archive.infolist():
            editor = edits.get(info.filename)
            with archive.open(info) as old, target.open(_copy_info(info), "w") as new:
                if editor is None:
                    shutil.copyfileobj(old, new, _CHUNK)
                else:
                    editor(old, new.write)
        for member in added:
            info = zipfile.ZipInfo(member.name, date_time=_NEW_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w") as new:
                member.edit(None, new.write)


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.comment = info.comment
    return copy
