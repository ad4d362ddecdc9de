"""Each event's rendered files, kept by content between builds.

An edited action changes only its own pages, codes and flyers (and the index), yet
rendering every event again costs tens of thousands of template renders at a few
thousand actions. An event's files are a pure function of what the key here holds:
the action as the audience sees it, its registration links, its feed links, the
tree it lives in, the template files and page words, the settings the pages print
and the code itself. An unchanged event then costs a hash and a read.

Entries live in memory for the process (a ``--every`` loop) and, with a cache
folder, one small file per event, written through a temporary file so that a
reader never sees half of one; an entry that cannot be read is made again. The
cache holds renderings only: what is published is decided by the build, never here.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import struct
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from .. import __version__
from ..fingerprint import code_stamp, folder_files
from ..outputs import OutputFiles
from ..resources import bundled_templates

#: Bump when the way event files are made changes in a way the code stamp misses.
_VERSION = "1"
_MAGIC = b"campaign-sheets event files 1\n"
_FOLDER = "pages"
_SUFFIX = ".event"
_PACKAGE = Path(__file__).resolve().parent.parent
#: Libraries whose output bytes end up in an event's files.
_LIBRARIES = ("jinja2", "markupsafe", "qrcode", "pillow", "weasyprint")

#: Entries kept in this process by cache folder and key, trimmed to the last build's:
#: by folder too, so that a build with a folder fills it even after one without.
_MEMORY: dict[tuple[str, str], OutputFiles] = {}


def clear_cache() -> None:
    """Forget the event files kept in this process (for measurements and tests)."""
    _MEMORY.clear()


def build_stamp(templates: Path | None, settings: Iterable[str]) -> str:
    """The digest of what every event of a build shares: code, libraries, template
    files (bundled and ``templates``), page words and the ``settings`` pages print."""
    digest = hashlib.sha256()
    for part in (_VERSION, __version__, code_stamp(), _library_versions(), *settings):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    for folder in (bundled_templates(), templates):
        for name, data in folder_files(folder):
            digest.update(name.encode("utf-8", "surrogatepass") + b"\x00")
            digest.update(hashlib.sha256(data).digest())
    words = resources.files("campaign_sheets") / "data" / "page_text.toml"
    digest.update(words.read_bytes())
    return digest.hexdigest()


class EventCache:
    """The event files of one build: looked up by key, kept, and trimmed at the end."""

    def __init__(self, cache_dir: Path | None, stamp: str) -> None:
        self._folder = cache_dir / _FOLDER if cache_dir is not None else None
        self._place = str(self._folder.absolute()) if self._folder is not None else ""
        self._stamp = stamp
        self._used: set[str] = set()

    def key(self, inputs: str) -> str:
        """The entry name for an event whose every other input is spelt in ``inputs``."""
        digest = hashlib.sha256(self._stamp.encode("ascii") + b"\x00")
        digest.update(inputs.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> OutputFiles | None:
        """The files kept for ``key``, from memory or disk, else ``None``."""
        self._used.add(key)
        files = _MEMORY.get((self._place, key))
        if files is None and self._folder is not None:
            files = _read(self._folder / f"{key}{_SUFFIX}", key)
            if files is not None:
                _MEMORY[self._place, key] = files
        return dict(files) if files is not None else None

    def put(self, key: str, files: OutputFiles) -> None:
        """Keep ``files`` for ``key`` in memory and, with a folder, on disk."""
        self._used.add(key)
        _MEMORY[self._place, key] = dict(files)
        if self._folder is not None:
            _write(self._folder, key, files)

    def finish(self) -> None:
        """Drop the entries this build did not use, so neither memory nor the folder
        grows with every edit."""
        for entry in [e for e in _MEMORY if e[0] != self._place or e[1] not in self._used]:
            del _MEMORY[entry]
        if self._folder is None:
            return
        try:
            names = os.listdir(self._folder)
        except OSError:
            return
        for name in names:
            if name.endswith(_SUFFIX) and name.removesuffix(_SUFFIX) not in self._used:
                with contextlib.suppress(OSError):  # a stale entry only costs space
                    (self._folder / name).unlink()


def encode(key: str, files: OutputFiles) -> bytes:
    """One entry as bytes: a header naming its key, then each file's name and data."""
    parts = [_MAGIC, key.encode("ascii"), struct.pack(">I", len(files))]
    for name, data in files.items():
        raw = name.encode("utf-8")
        parts += [struct.pack(">IQ", len(raw), len(data)), raw, data]
    return b"".join(parts)


def decode(blob: bytes, key: str) -> OutputFiles | None:
    """The files of an entry written for ``key``, or ``None`` when it is anything else."""
    head = _MAGIC + key.encode("ascii")
    if not blob.startswith(head):
        return None
    try:
        at = len(head)
        (count,) = struct.unpack_from(">I", blob, at)
        at += 4
        files: OutputFiles = {}
        for _ in range(count):
            size, length = struct.unpack_from(">IQ", blob, at)
            at += 12
            name = blob[at:at + size].decode("utf-8")
            at += size
            if at + length > len(blob):
                return None
            files[name] = blob[at:at + length]
            at += length
    except (struct.error, UnicodeDecodeError):
        return None
    return files if at == len(blob) else None


def _read(path: Path, key: str) -> OutputFiles | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    return decode(blob, key)


def _write(folder: Path, key: str, files: OutputFiles) -> None:
    path = folder / f"{key}{_SUFFIX}"
    # the process id keeps two builds sharing a folder from writing one temporary file
    tmp = folder / f"{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(encode(key, files))
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            tmp.unlink(missing_ok=True)


def _library_versions() -> str:
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return " ".join(versions)
