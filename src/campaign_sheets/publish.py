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
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import PublishRefused
from .problems import render_message

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; a single sync at a time is assumed
    fcntl = None  # type: ignore[assignment]

_RENAME_EXCHANGE = 2
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
    if dry_run:
        return _compare(files, current_tree(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        old = current_tree(out)
        result = _compare(files, old)
        if old is not None and not result.any_change:
            return result
        gens = generations_dir(out)
        gens.mkdir(exist_ok=True)
        new = gens / f"g-{time.time_ns()}-{os.getpid()}"
        _write_generation(new, files, old, set(result.unchanged))
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
    pure = PurePosixPath(path)
    if (
        not path
        or pure.is_absolute()
        or "\\" in path
        or any(part in ("..", ".", "") for part in path.split("/"))
    ):
        raise ValueError(render_message("publish.bad_path", {"path": path}))


def _walk(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            full = Path(dirpath) / name
            found[full.relative_to(root).as_posix()] = full
    return found


def _compare(files: Mapping[str, bytes], old: Path | None) -> PublishResult:
    old_files = set(_walk(old)) if old is not None else set()
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    for path, data in files.items():
        if path not in old_files:
            added.append(path)
            continue
        assert old is not None
        target = old / path
        same = target.stat().st_size == len(data) and target.read_bytes() == data
        (unchanged if same else changed).append(path)
    removed = old_files - set(files)
    return PublishResult(
        tuple(sorted(added)), tuple(sorted(changed)), tuple(sorted(removed)),
        tuple(sorted(unchanged)),
    )


def _write_generation(
    new: Path, files: Mapping[str, bytes], old: Path | None, unchanged: set[str]
) -> None:
    new.mkdir()
    made: set[Path] = {new}
    for path, data in files.items():
        target = new / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if old is not None and path in unchanged:
            try:
                os.link(old / path, target)
                continue
            except OSError:
                pass  # another file system or no hard links: copy, keeping the mtime
            shutil.copy2(old / path, target)
            continue
        target.write_bytes(data)


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
    for entry in generations_dir(out).iterdir():
        if entry != keep:
            shutil.rmtree(entry, ignore_errors=True)
    for pattern in (f".{out.name}.link-*", f".{out.name}.old-*"):
        for stray in out.parent.glob(pattern):
            if stray.is_symlink():
                stray.unlink(missing_ok=True)
            elif stray.is_dir():
                shutil.rmtree(stray, ignore_errors=True)
