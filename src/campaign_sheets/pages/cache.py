"""What each event's rendered files were, kept by content between builds.

An edited action changes only its own pages, codes and flyers (and the index), yet
rendering every event again costs tens of thousands of template renders and QR codes
at a few thousand actions. An event's files are a pure function of what the key here
holds: the action as the audience sees it, its registration links, its feed links,
the tree it lives in, the template files and page words, the settings the pages
print and the code itself.

So the index records, per key, the names of the files rendering gave and one digest
over their SHA-256s; no bytes. When the tree shown now lists the very same hashes for
those names, the event's files are as rendering would make them again, and the build
says so (:class:`~campaign_sheets.core.outputs.Published`) without rendering or reading
anything. The index lives in memory for the process (a ``--every`` loop) and, with a
cache folder, in one file written through a temporary file; an index that cannot be
read is treated as empty. It holds claims about renderings only: what is published is
decided by the build and checked against the shown tree's manifest.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from .. import __version__
from ..core.resources import bundled_templates
from ..publish.fingerprint import code_stamp, folder_files

#: Bump when the way event files are made changes in a way the code stamp misses.
_VERSION = "3"
_FOLDER = "pages"
_INDEX = "index.json"
_FORMAT = 2
#: Libraries whose output bytes end up in an event's files.
_LIBRARIES = ("jinja2", "markupsafe", "qrcode", "numpy", "weasyprint")

#: One entry: the file names (relative to the event's folder) and their joint digest.
Entry = tuple[tuple[str, ...], str]

#: Entries and code digests kept in this process by cache folder; trimmed to the last
#: build's.
_MEMORY: dict[str, tuple[dict[str, Entry], dict[str, str]]] = {}


def clear_cache() -> None:
    """Forget the entries kept in this process (for measurements and tests)."""
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


@functools.cache
def code_build_stamp() -> str:
    """The digest of what a QR code's bytes depend on besides its link: the code and
    the libraries (once per process)."""
    parts = (_VERSION, __version__, code_stamp(), _library_versions())
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def joint_digest(names: Iterable[str], digests: Iterable[str]) -> str:
    """One digest over a set of files' names and SHA-256s."""
    joint = hashlib.sha256()
    for name, digest in zip(names, digests, strict=True):
        joint.update(name.encode("utf-8", "surrogatepass") + b"\x00" + digest.encode("ascii"))
    return joint.hexdigest()


class EventIndex:
    """The event entries of one build: looked up by key, recorded, kept at the end.

    It also knows the SHA-256 of each QR code drawn (by format and link): when an
    event renders again but one of its links is as it was, the shown tree's file of
    that code is kept instead of drawn again. The codes themselves are kept nowhere
    but in the published tree (and, for the process, in :mod:`.qr`'s memory).
    """

    def __init__(self, cache_dir: Path | None, stamp: str) -> None:
        self._file = cache_dir / _FOLDER / _INDEX if cache_dir is not None else None
        self._place = str(self._file.absolute()) if self._file is not None else ""
        self._stamp = stamp
        self._code_stamp = code_build_stamp()
        self._used: dict[str, Entry] = {}
        self._codes_used: dict[str, str] = {}
        if self._place not in _MEMORY:
            _MEMORY[self._place] = _read(self._file)
        self._known, self._codes = _MEMORY[self._place]

    def key(self, inputs: str) -> str:
        """The entry name for an event whose every other input is spelt in ``inputs``."""
        digest = hashlib.sha256(self._stamp.encode("ascii") + b"\x00")
        digest.update(inputs.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def recall(
        self, key: str, folder: str, published: Mapping[str, str]
    ) -> list[tuple[str, str]] | None:
        """The event's files as ``(path, sha256)`` when the shown tree (``published``:
        path → SHA-256) holds exactly what rendering ``key`` gave; else ``None``."""
        entry = self._known.get(key)
        if entry is None or not published:
            return None
        names, joint = entry
        digests = [published.get(folder + name) for name in names]
        if any(d is None for d in digests):
            return None
        shown = [d for d in digests if d is not None]
        if joint_digest(names, shown) != joint:
            return None
        self._used[key] = entry
        return [(folder + name, digest) for name, digest in zip(names, shown, strict=True)]

    def record(self, key: str, files: Iterable[tuple[str, str]]) -> None:
        """Remember what rendering ``key`` gave: (name relative to the event's folder,
        SHA-256) of every file."""
        listed = list(files)
        names = tuple(name for name, _ in listed)
        self._used[key] = (names, joint_digest(names, [digest for _, digest in listed]))

    def code_digest(self, fmt: str, url: str) -> str | None:
        """The SHA-256 of the code of ``url`` in ``fmt`` when it was drawn before."""
        key = self._code_key(fmt, url)
        digest = self._codes.get(key)
        if digest is not None:
            self._codes_used[key] = digest
        return digest

    def record_code(self, fmt: str, url: str, sha256: str) -> None:
        """Remember the SHA-256 of the code of ``url`` in ``fmt``."""
        self._codes_used[self._code_key(fmt, url)] = sha256

    def _code_key(self, fmt: str, url: str) -> str:
        # a code depends on the code that draws it and its libraries, not on templates
        joint = f"{self._code_stamp}\x00{fmt}\x00{url}"
        return hashlib.sha256(joint.encode("utf-8", "surrogatepass")).hexdigest()

    def finish(self) -> None:
        """Keep this build's entries only (neither memory nor the file grows with every
        edit), and write them to the cache folder."""
        self._known.clear()
        self._known.update(self._used)
        self._codes.clear()
        self._codes.update(self._codes_used)
        if self._file is not None:
            _write(self._file, self._used, self._codes_used)


def _read(path: Path | None) -> tuple[dict[str, Entry], dict[str, str]]:
    if path is None:
        return {}, {}
    try:
        with open(path, "rb") as handle:
            loaded = json.load(handle)
        if loaded.get("format") != _FORMAT:
            return {}, {}
        events = {
            str(key): (tuple(str(n) for n in names), str(joint))
            for key, (names, joint) in loaded["events"].items()
        }
        codes = {str(key): str(digest) for key, digest in loaded["codes"].items()}
        return events, codes
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}, {}  # an index that cannot be read only costs rendering again


def _write(path: Path, entries: Mapping[str, Entry], codes: Mapping[str, str]) -> None:
    # the process id keeps two builds sharing a folder from writing one temporary file
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    body = {"format": _FORMAT, "events": {k: [list(n), j] for k, (n, j) in entries.items()},
            "codes": dict(codes)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                       encoding="utf-8")
        tmp.replace(path)
        for stale in path.parent.glob("*.event"):  # entries of an older version
            stale.unlink(missing_ok=True)
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
