"""The generations of a published tree on disk: where they live, their manifests, the
link swap and the clean-up. :mod:`campaign_sheets.publish.publication` decides what goes in them.

Layout: ``out`` is a symbolic link to a generation directory in
``.<name>.generations/``. Beside each complete generation ``g-…`` lies ``g-….manifest``
(the SHA-256 of every file in it, JSON). A manifest is written only once its generation
is complete, and removed before a generation is changed, so a generation with a
manifest that names it is exactly what that manifest says; one without is unfinished
(a kill half way) and only good for removal. Two generations are kept: the one shown
and the one shown before it (the *spare*), which the next publish brings up to date by
changing only the files that differ, instead of building a whole tree again.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import time
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path

_RENAME_EXCHANGE = 2
_MANIFEST_FORMAT = 1
_MANIFEST_SUFFIX = ".manifest"
# removal by directory descriptors needs scandir(fd) and O_DIRECTORY (not on Windows)
_FD_REMOVAL = os.scandir in os.supports_fd and hasattr(os, "O_DIRECTORY")
_AT_FDCWD = -100


def generations_dir(out: Path) -> Path:
    """Where the generation directories of ``out`` live (beside it)."""
    return out.parent / f".{out.name}.generations"


def link_for(out: Path) -> Path:
    """The link itself when ``out`` is the generation it points to.

    ``Path.resolve()`` on the link (easy to do when normalising a ``--out``) gives
    the generation directory; publishing into that would nest trees.
    """
    parent = out.parent.name
    if out.name.startswith("g-") and parent.startswith(".") and parent.endswith(".generations"):
        link = out.parent.parent / parent[1 : -len(".generations")]
        if link.is_symlink():
            return link
    return out


def current_tree(out: Path) -> Path | None:
    """The directory ``out`` shows now, or ``None`` when nothing was published."""
    if out.is_symlink() or out.is_dir():
        resolved = out.resolve()
        return resolved if resolved.is_dir() else None
    return None


def manifest_of(generation: Path) -> Path:
    """The manifest file of a generation directory (beside it, outside the tree)."""
    return generation.with_name(generation.name + _MANIFEST_SUFFIX)


def manifest_path(out: Path) -> Path | None:
    """The manifest of the generation ``out`` shows, or ``None`` when none is shown."""
    shown = current_tree(out)
    return manifest_of(shown) if shown is not None else None


def new_generation(out: Path) -> Path:
    """A new, empty generation directory (not shown yet)."""
    gens = generations_dir(out)
    gens.mkdir(exist_ok=True)
    path = gens / f"g-{time.time_ns()}-{os.getpid()}"
    path.mkdir()
    return path


def link_copy(generation: Path, out: Path) -> Path:
    """A new generation holding the files of ``generation``, hard-linked (copied
    where links are impossible), without a manifest yet."""
    copy = new_generation(out)
    root, skip = str(copy), len(str(generation)) + 1
    for dirpath, dirs, names in os.walk(generation):
        inside = f"{root}/{dirpath[skip:]}" if len(dirpath) >= skip else root
        for name in dirs:
            os.mkdir(f"{inside}/{name}")
        for name in names:
            try:
                os.link(f"{dirpath}/{name}", f"{inside}/{name}")
            except OSError:  # another file system or no hard links
                shutil.copy2(f"{dirpath}/{name}", f"{inside}/{name}")
    return copy


def read_manifest(generation: Path) -> dict[str, str] | None:
    """The hashes of the files of ``generation`` by relative path, or ``None`` when its
    manifest cannot be trusted (missing, unreadable, naming another generation)."""
    try:
        with open(manifest_of(generation), "rb") as handle:
            loaded = json.load(handle)
    except (OSError, ValueError):
        return None
    if (
        not isinstance(loaded, dict)
        or loaded.get("format") != _MANIFEST_FORMAT
        or loaded.get("generation") != generation.name
        or not isinstance(loaded.get("sha256"), dict)
    ):
        return None
    hashes: dict[str, str] = loaded["sha256"]
    if not all(isinstance(value, str) for value in hashes.values()):
        return None
    return hashes


def write_manifest(generation: Path, hashes: Mapping[str, str]) -> None:
    """Record ``generation`` as complete, in one rename: a kill leaves none or all of it."""
    final = manifest_of(generation)
    temp = final.with_name(f"{final.name}-{os.getpid()}-{time.time_ns()}")
    listed = hashes if isinstance(hashes, dict) else dict(hashes)  # no copy of a large dict
    body = {"format": _MANIFEST_FORMAT, "generation": generation.name, "sha256": listed}
    # dumps, not dump: dump encodes in small pieces, a write call each
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, final)


def drop_manifest(generation: Path) -> None:
    """Mark ``generation`` as being changed (no longer trusted) before changing it."""
    manifest_of(generation).unlink(missing_ok=True)


def hashes_on_disk(root: Path) -> dict[str, str]:
    """Stand-in for a manifest, from the files themselves (a tree from an older version,
    or one whose manifest was lost): every file is read once."""
    found: dict[str, str] = {}
    for path in walk(str(root)):
        with open(f"{root}/{path}", "rb") as handle:
            found[path] = hashlib.file_digest(handle, "sha256").hexdigest()
    return found


def walk(root: str) -> list[str]:
    """Relative POSIX paths of the files under ``root`` (strings: a ``Path`` per file
    costs more than the walk itself on a tree of a hundred thousand files)."""
    found: list[str] = []
    skip = len(root) + 1
    for dirpath, _dirs, names in os.walk(root):
        prefix = dirpath[skip:].replace(os.sep, "/")
        if prefix:
            found.extend(f"{prefix}/{name}" for name in names)
        else:
            found.extend(names)
    return found


def spare_generation(out: Path, shown: Path | None) -> Path | None:
    """The newest complete generation other than the one shown, to be brought up to
    date instead of building a new one; ``None`` when there is none."""
    gens = generations_dir(out)
    if shown is None or shown.parent != gens:
        return None
    try:
        names = os.listdir(gens)
    except OSError:
        return None
    candidates = sorted(
        (name for name in names if name.startswith("g-") and name != shown.name
         and not name.endswith(_MANIFEST_SUFFIX) and (gens / name).is_dir()),
        key=_age, reverse=True,
    )
    for name in candidates:
        if os.path.exists(manifest_of(gens / name)):
            return gens / name
    return None


def _age(name: str) -> tuple[int, str]:
    """Generations sort by the time in their name (``g-<ns>-<pid>``)."""
    parts = name.split("-")
    return (int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0, name)


def swap(out: Path, new: Path) -> None:
    """Show ``new`` at ``out`` in one atomic step."""
    link_target = os.path.relpath(new, out.parent)
    temp_link = out.parent / f".{out.name}.link-{os.getpid()}-{time.time_ns()}"
    os.symlink(link_target, temp_link)
    if out.is_dir() and not out.is_symlink():
        # an older run left a plain directory: exchange it with the link
        if _exchange(temp_link, out):
            shutil.rmtree(temp_link)  # now the old plain directory
            return
        aside = out.parent / f".{out.name}.old-{os.getpid()}-{time.time_ns()}"
        os.rename(out, aside)
        os.replace(temp_link, out)
        shutil.rmtree(aside)
        return
    os.replace(temp_link, out)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2 (Linux); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    status = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    return bool(status == 0)


def clean(out: Path, keep: set[str]) -> None:
    """Remove every generation (and manifest) not named in ``keep``, and what killed
    runs left beside ``out`` (temporary links, half-written manifests)."""
    gens = generations_dir(out)
    kept = keep | {name + _MANIFEST_SUFFIX for name in keep}
    with suppress(FileNotFoundError), os.scandir(gens) as entries:
        stale = [entry.path for entry in entries if entry.name not in kept]
    for path in stale:
        remove_tree(path)
    # ``.<name>.manifest`` is where an older version kept the shown generation's manifest
    for pattern in (f".{out.name}.link-*", f".{out.name}.old-*", f".{out.name}.manifest*"):
        for stray in out.parent.glob(pattern):
            if stray.is_symlink() or stray.is_file():
                stray.unlink(missing_ok=True)
            elif stray.is_dir():
                shutil.rmtree(stray, ignore_errors=True)


def remove_tree(path: str) -> None:
    """Remove a generation (or a stray file), ignoring errors like ``rmtree``.

    Names relative to open directory descriptors, one ``scandir`` per directory and
    no ``stat``: on a hundred thousand files this is what a one-change publish waits
    for. ``O_NOFOLLOW`` keeps a symbolic link from leading the removal elsewhere.
    """
    if not _FD_REMOVAL and os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except (OSError, AttributeError):
        with suppress(OSError):
            os.unlink(path)
        return
    try:
        _empty_directory(fd)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)  # whatever is left, the careful way
    finally:
        os.close(fd)
    with suppress(OSError):
        os.rmdir(path)


def _empty_directory(dir_fd: int) -> None:
    with os.scandir(dir_fd) as entries:
        listed = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
    for name, is_dir in listed:
        if not is_dir:
            os.unlink(name, dir_fd=dir_fd)
            continue
        child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dir_fd)
        try:
            _empty_directory(child)
        finally:
            os.close(child)
        os.rmdir(name, dir_fd=dir_fd)
