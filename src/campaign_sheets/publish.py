"""The only writer of the output tree: atomic, and silent when nothing changed.

Layout: ``out`` is a symbolic link to a generation directory kept beside it in
``.<name>.generations/``. A publish builds the next generation completely (files
that did not change are hard-linked from the current one, so their inode and
mtime stay; changed and new files are written), then replaces the link in one
``rename`` (``os.replace``), which POSIX makes atomic: a reader or a kill sees
either the old tree or the new one, never a mixture. A kill half way leaves only
an unreferenced generation directory, removed by the next publish.

When ``out`` is a plain directory from an older run, the first publish exchanges
it with the link in one ``renameat2(RENAME_EXCHANGE)`` call (Linux); elsewhere it
falls back to two renames, with a moment in between where ``out`` is missing.
A publish with no change writes nothing and swaps nothing.

Beside the link, ``.<name>.manifest`` records the SHA-256 of every file of the
generation it names, so a publish compares new bytes with hashes instead of reading
the published tree back. It is replaced (``os.replace``) after the generation is
complete and before the link swap; when it is missing, unreadable or names another
generation (a kill between the two, or a tree from an older version) the publish
falls back to reading the published files.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .errors import PublishRefused
from .problems import render_message

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; a single sync at a time is assumed
    fcntl = None  # type: ignore[assignment]

_RENAME_EXCHANGE = 2
_MANIFEST_FORMAT = 1
# removal by directory descriptors needs scandir(fd) and O_DIRECTORY (not on Windows)
_FD_REMOVAL = os.scandir in os.supports_fd and hasattr(os, "O_DIRECTORY")
_AT_FDCWD = -100


@dataclass(frozen=True)
class PublishResult:
    """Which relative paths a publish added, changed, removed and left alone (sorted)."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]

    @property
    def any_change(self) -> bool:
        """True when the tree differs from the one published before."""
        return bool(self.added or self.changed or self.removed)


class VanishRefused(PublishRefused):
    """Publishing would make too many of the published events vanish (``publish.vanish``)."""

    def __init__(self, previous: int, new: int) -> None:
        super().__init__(
            "publish.vanish", {"previous": previous, "new": new, "missing": previous - new}
        )


def plan_vanish(previous_count: int, new_count: int, *, force: bool = False) -> None:
    """Refuse (:class:`VanishRefused`) when more than half of the events published
    last time would vanish, unless ``force``. A sheet read half-way or a renamed tab
    must not empty every subscriber's calendar."""
    if force or previous_count <= 0:
        return
    if (previous_count - new_count) * 2 > previous_count:
        raise VanishRefused(previous_count, new_count)


def generations_dir(out: Path) -> Path:
    """Where the generation directories of ``out`` live (beside it)."""
    return out.parent / f".{out.name}.generations"


def _link_for(out: Path) -> Path:
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


def manifest_path(out: Path) -> Path:
    """The manifest of the generation ``out`` shows (beside it, outside the tree)."""
    return out.parent / f".{out.name}.manifest"


def publish_tree(files: Mapping[str, bytes], out: Path, *, dry_run: bool = False) -> PublishResult:
    """Make ``out`` hold exactly ``files`` (relative POSIX path → bytes), atomically.

    Unchanged files keep their inode and mtime; with no change at all nothing is
    written. ``dry_run`` only computes the result.
    """
    for path in files:
        _check_path(path)
    out = _link_for(out.absolute())
    if out.exists() and not out.is_dir():
        raise PublishRefused("publish.not_a_tree", {"out": str(out)})
    hashes = {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    if dry_run:
        old = current_tree(out)
        return _compare(files, hashes, old, _read_manifest(out, old))
    out.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        old = current_tree(out)
        result = _compare(files, hashes, old, _read_manifest(out, old))
        if old is not None and not result.any_change:
            return result
        gens = generations_dir(out)
        gens.mkdir(exist_ok=True)
        new = gens / f"g-{time.time_ns()}-{os.getpid()}"
        _write_generation(new, files, old, set(result.unchanged))
        _write_manifest(out, new.name, hashes)
        _swap(out, new)
        _clean(out, keep=new)
    return result


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    """One publish at a time per tree (a ``sync --every`` loop and a manual sync):
    otherwise one would clean up the generation the other is still writing."""
    with open(out.parent / f".{out.name}.lock", "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def _check_path(path: str) -> None:
    # plain string tests: a PurePosixPath per file costs a second on a large tree
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(part in ("..", ".", "") for part in path.split("/"))
    ):
        raise ValueError(render_message("publish.bad_path", {"path": path}))


def _walk(root: str) -> list[str]:
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


def _read_manifest(out: Path, old: Path | None) -> dict[str, str] | None:
    """The hashes of the files of ``old`` by relative path, or ``None`` when the
    manifest cannot be trusted for it (missing, unreadable, another generation)."""
    if old is None or old.parent != generations_dir(out):
        return None
    try:
        with open(manifest_path(out), "rb") as handle:
            loaded = json.load(handle)
    except (OSError, ValueError):
        return None
    if (
        not isinstance(loaded, dict)
        or loaded.get("format") != _MANIFEST_FORMAT
        or loaded.get("generation") != old.name
        or not isinstance(loaded.get("sha256"), dict)
    ):
        return None
    hashes: dict[str, str] = loaded["sha256"]
    if not all(isinstance(value, str) for value in hashes.values()):
        return None
    return hashes


def _write_manifest(out: Path, generation: str, hashes: Mapping[str, str]) -> None:
    """Replace the manifest in one rename: a kill leaves the old one or the new one."""
    final = manifest_path(out)
    temp = final.with_name(f"{final.name}-{os.getpid()}-{time.time_ns()}")
    body = {"format": _MANIFEST_FORMAT, "generation": generation, "sha256": dict(hashes)}
    # dumps, not dump: dump encodes in small pieces, a write call each
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, final)


def _compare(
    files: Mapping[str, bytes],
    hashes: Mapping[str, str],
    old: Path | None,
    manifest: Mapping[str, str] | None,
) -> PublishResult:
    if old is None:
        old_hashes: Mapping[str, str] = {}
    elif manifest is not None:
        old_hashes = manifest
    else:
        old_hashes = _hashes_on_disk(str(old), files)
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    for path, digest in hashes.items():
        previous = old_hashes.get(path)
        if previous is None:
            added.append(path)
        else:
            (unchanged if previous == digest else changed).append(path)
    removed = set(old_hashes).difference(hashes)
    return PublishResult(
        tuple(sorted(added)), tuple(sorted(changed)), tuple(sorted(removed)),
        tuple(sorted(unchanged)),
    )


def _hashes_on_disk(root: str, files: Mapping[str, bytes]) -> dict[str, str]:
    """Stand-in for a manifest, from the published files themselves: a file of
    another size cannot be the same, so only same-size files are read."""
    found: dict[str, str] = {}
    for path in _walk(root):
        data = files.get(path)
        full = f"{root}/{path}"
        if data is not None and os.stat(full).st_size == len(data):
            with open(full, "rb") as handle:
                found[path] = hashlib.sha256(handle.read()).hexdigest()
        else:
            found[path] = ""  # present, and differs from any new bytes
    return found


def _write_generation(
    new: Path, files: Mapping[str, bytes], old: Path | None, unchanged: set[str]
) -> None:
    root = str(new)
    source = str(old) if old is not None else ""
    os.mkdir(root)
    made: set[str] = {root}
    for path, data in files.items():
        target = f"{root}/{path}"
        parent = target.rpartition("/")[0]
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        if path in unchanged and _carry_over(f"{source}/{path}", target):
            continue
        with open(target, "wb") as handle:
            handle.write(data)


def _carry_over(source: str, target: str) -> bool:
    """Hard-link an unchanged file (same inode and mtime); copy it, keeping the mtime,
    where links are impossible; False when it is gone, so the caller writes it."""
    try:
        os.link(source, target)
        return True
    except FileNotFoundError:
        return False
    except OSError:
        pass  # another file system or no hard links
    try:
        shutil.copy2(source, target)
        return True
    except OSError:
        return False


def _swap(out: Path, new: Path) -> None:
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


def _clean(out: Path, keep: Path) -> None:
    """Remove every generation but ``keep``, and what killed runs left beside ``out``."""
    with os.scandir(generations_dir(out)) as entries:
        stale = [entry.path for entry in entries if entry.name != keep.name]
    for path in stale:
        _remove_tree(path)
    for pattern in (f".{out.name}.link-*", f".{out.name}.old-*", f".{out.name}.manifest-*"):
        for stray in out.parent.glob(pattern):
            if stray.is_symlink() or stray.is_file():
                stray.unlink(missing_ok=True)
            elif stray.is_dir():
                shutil.rmtree(stray, ignore_errors=True)


def _remove_tree(path: str) -> None:
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
