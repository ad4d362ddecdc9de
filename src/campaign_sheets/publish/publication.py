"""The only writer of the output tree: atomic, streaming, and silent when nothing changed.

``out`` is a symbolic link to a complete generation directory (layout in
:mod:`campaign_sheets.publish.generations`). A publication takes files one at a time, as the
builders make them, so a tree of a hundred thousand files never sits in memory:

- each file goes into the *target* generation: the spare one (shown before the
  current) when there is one, brought up to date by changing only the files that
  differ from what it holds, else a new directory;
- a file the shown tree already has (same SHA-256, by its manifest) is hard-linked
  from it, so an unchanged file keeps its inode and mtime; only new or changed bytes
  are written; a file is never changed in place (the target may share its inode with
  the shown tree), always replaced;
- a file with the same bytes as one already put in this tree (a members' page, code
  or flyer that is the public one) is hard-linked to it: each content is on disk once;
- at commit the target's leftovers go, its manifest is written, and the link is
  replaced in one ``rename`` (``os.replace``), which POSIX makes atomic: a reader or a
  kill sees the old tree or the new one, never a mixture. A kill half way leaves a
  generation without a manifest, which the next publish removes.

When ``out`` is a plain directory from an older run, the first publish exchanges it
with the link in one ``renameat2(RENAME_EXCHANGE)`` call (Linux); elsewhere it falls
back to two renames, with a moment in between where ``out`` is missing. A publish
with no change swaps nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import PublishRefused
from ..core.outputs import Hashed, Published
from ..core.problems import render_message
from .generations import (
    clean,
    current_tree,
    drop_manifest,
    generations_dir,
    hashes_on_disk,
    link_copy,
    link_for,
    new_generation,
    read_manifest,
    remove_tree,
    spare_generation,
    swap,
    walk,
    write_manifest,
)

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; a single sync at a time is assumed
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "Publication",
    "PublishResult",
    "PublishedFilesMissing",
    "VanishRefused",
    "current_tree",
    "generations_dir",
    "open_publication",
    "plan_vanish",
    "publish_tree",
]


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

    @property
    def paths(self) -> tuple[str, ...]:
        """Every path of the published tree (sorted)."""
        return tuple(sorted((*self.added, *self.changed, *self.unchanged)))


class VanishRefused(PublishRefused):
    """Publishing would make too many of the published events vanish (``publish.vanish``)."""

    def __init__(self, previous: int, new: int) -> None:
        super().__init__(
            "publish.vanish", {"previous": previous, "new": new, "missing": previous - new}
        )


class PublishedFilesMissing(PublishRefused):
    """Files said to stay as published are gone from the shown tree (someone removed
    them by hand): the build must give their bytes (``publish.files_missing``)."""

    def __init__(self, paths: Iterable[str]) -> None:
        listed = sorted(paths)
        super().__init__("publish.files_missing", {"count": len(listed), "first": listed[0]})
        self.paths = tuple(listed)


def plan_vanish(previous_count: int, new_count: int, *, force: bool = False) -> None:
    """Refuse (:class:`VanishRefused`) when more than half of the events published
    last time would vanish, unless ``force``. A sheet read half-way or a renamed tab
    must not empty every subscriber's calendar."""
    if force or previous_count <= 0:
        return
    if (previous_count - new_count) * 2 > previous_count:
        raise VanishRefused(previous_count, new_count)


def publish_tree(files: Mapping[str, bytes], out: Path, *, dry_run: bool = False) -> PublishResult:
    """Make ``out`` hold exactly ``files`` (relative POSIX path → bytes), atomically.

    Unchanged files keep their inode and mtime; with no change at all nothing is
    swapped. ``dry_run`` only computes the result.
    """
    with open_publication(out, dry_run=dry_run) as publication:
        for path, data in files.items():
            publication.add(path, data)
        return publication.commit()


@contextmanager
def open_publication(out: Path, *, dry_run: bool = False) -> Iterator[Publication]:
    """A publication of ``out``: add every file, then :meth:`Publication.commit`.

    One publication at a time per tree (a ``sync --every`` loop and a manual sync
    take turns). Leaving the block without a commit, by an exception or not, shows
    nothing new and removes what was begun.
    """
    out = link_for(out.absolute())
    if out.exists() and not out.is_dir():
        raise PublishRefused("publish.not_a_tree", {"out": str(out)})
    if dry_run:
        yield Publication(out, current_tree(out), None)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "a+b") as lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        shown = current_tree(out)
        publication = Publication(out, shown, _Target.choose(out, shown))
        try:
            yield publication
        finally:
            publication.close()


class Publication:
    """Files going into the next tree of ``out``; see :func:`open_publication`."""

    def __init__(self, out: Path, shown: Path | None, target: _Target | None) -> None:
        self._out = out
        self._shown = shown
        self._target = target
        self._digests: dict[str, str] = {}
        #: a path of the new tree holding each content written or linked so far
        self._holder: dict[str, str] = {}
        self._missing: list[str] = []
        #: a file the shown tree's manifest lists is gone (removed by hand): the
        #: manifest is no longer true, so that tree must never serve as a spare
        self._damaged = False
        self._committed = False
        hashes = read_manifest(shown) if shown is not None and self._in_generations(shown) else None
        self._shown_listed = hashes is not None
        self.published: Mapping[str, str] = (
            hashes if hashes is not None
            else hashes_on_disk(shown) if shown is not None
            else {}
        )
        """SHA-256 of every file of the tree shown now, by relative path."""
        if target is not None:
            target.share(self.published)

    def add(self, path: str, data: bytes, sha256: str | None = None) -> None:
        """Put ``data`` at ``path`` in the next tree (``sha256``: its digest, when the
        caller has it already)."""
        digest = sha256 if sha256 is not None else hashlib.sha256(data).hexdigest()
        digest = self._record(path, digest)
        target = self._target
        if target is None or target.holds(path, digest):
            self._holder.setdefault(digest, path)
            return
        if self.published.get(path) == digest:
            if target.link_from(self._shown, path):
                self._holder.setdefault(digest, path)
                return
            self._damaged = True
        twin = self._holder.get(digest)
        if twin is None or not target.link_within(twin, path):
            target.write(path, data)
        self._holder.setdefault(digest, path)

    def keep(self, path: str, sha256: str) -> None:
        """Keep ``path`` as the shown tree has it (its manifest must list ``sha256``)."""
        if self.published.get(path) != sha256:
            raise ValueError(f"{path} is not published with SHA-256 {sha256}")
        digest = self._record(path, sha256)
        target = self._target
        if target is None or target.holds(path, digest):
            self._holder.setdefault(digest, path)
            return
        if target.link_from(self._shown, path):
            self._holder.setdefault(digest, path)
        else:
            self._missing.append(path)
            self._damaged = True

    def put(self, path: str, item: bytes | Hashed | Published) -> None:
        """:meth:`add` bytes (hashed or not) or :meth:`keep` a :class:`Published` file."""
        if isinstance(item, Published):
            self.keep(path, item.sha256)
        elif isinstance(item, Hashed):
            self.add(path, item.data, item.sha256)
        else:
            self.add(path, item)

    def commit(self) -> PublishResult:
        """Show the new tree (unless nothing changed) and say what changed.

        Raises :class:`PublishedFilesMissing` when files to keep were gone from the
        shown tree; nothing is shown then.
        """
        shown = self._shown
        in_generations = shown is not None and self._in_generations(shown)
        if self._damaged and shown is not None and in_generations:
            drop_manifest(shown)
        if self._missing:
            raise PublishedFilesMissing(self._missing)
        result = _result(self._digests, self.published)
        target = self._target
        if target is None:
            return result
        target.finish(self._digests)
        self._committed = True
        keep = {target.path.name}
        if shown is not None and in_generations:
            keep.add(shown.name)
            if not self._shown_listed and not self._damaged:
                write_manifest(shown, self.published)  # a tree from an older version, read
        swapped = shown is None or result.any_change
        if swapped:
            swap(self._out, target.path)
        # else the target holds what is shown: it stays as the spare
        if swapped and not in_generations:
            # A first tree gets its spare now, hard-linked, so that the first change
            # after it costs a few files like every later one, not a tree of links.
            spare = link_copy(target.path, self._out)
            write_manifest(spare, self._digests)
            keep.add(spare.name)
        clean(self._out, keep)
        return result

    def close(self) -> None:
        """Remove an uncommitted target (an error in the build, or no commit)."""
        if self._target is not None and not self._committed:
            drop_manifest(self._target.path)
            remove_tree(str(self._target.path))

    def _in_generations(self, tree: Path | None) -> bool:
        return tree is not None and tree.parent == generations_dir(self._out)

    def _record(self, path: str, digest: str) -> str:
        """Note ``path`` as holding ``digest``; the digest string to use from here on."""
        _check_path(path)
        if path in self._digests:
            raise ValueError(render_message("publish.duplicate_path", {"path": path}))
        shown = self.published.get(path)
        # one string per unchanged hash, not one per manifest: a large tree has a
        # hundred thousand of them
        if shown == digest and shown is not None:
            digest = shown
        self._digests[path] = digest
        return digest


class _Target:
    """The generation being made: the spare one brought up to date, or a new one."""

    def __init__(self, path: Path, holds: dict[str, str], *, fresh: bool) -> None:
        self.path = path
        self._root = str(path)
        self._hashes = holds
        self._fresh = fresh
        self._made: set[str] = set()

    @classmethod
    def choose(cls, out: Path, shown: Path | None) -> _Target:
        """The spare generation of ``out`` (showing ``shown``) when it has one, else a
        new one."""
        spare = spare_generation(out, shown)
        holds = read_manifest(spare) if spare is not None else None
        # A file removed by hand while the spare was shown would otherwise be missing
        # from every later tree: its listing must match, or it is built anew.
        if spare is not None and holds is not None and set(walk(str(spare))) == holds.keys():
            drop_manifest(spare)  # from here on it is being changed
            return cls(spare, holds, fresh=False)
        return cls(new_generation(out), {}, fresh=True)

    def share(self, hashes: Mapping[str, str]) -> None:
        """Use the strings of ``hashes`` for equal hashes (less memory, same content)."""
        mine = self._hashes
        for path, digest in mine.items():
            other = hashes.get(path)
            if other == digest and other is not None:
                mine[path] = other

    def holds(self, path: str, digest: str) -> bool:
        """True when the target already has these bytes at ``path``."""
        return self._hashes.get(path) == digest

    def link_from(self, shown: Path | None, path: str) -> bool:
        """Hard-link the shown tree's file (same inode and mtime); copy it, keeping the
        mtime, where links are impossible; False when it is gone."""
        if shown is None:
            return False
        source = f"{shown}/{path}"
        target = self._prepare(path)
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

    def link_within(self, twin: str, path: str) -> bool:
        """Hard-link ``path`` to ``twin``, a file of this tree with the same bytes;
        False where links are impossible (the bytes are then written)."""
        try:
            os.link(f"{self._root}/{twin}", self._prepare(path))
            return True
        except OSError:
            return False

    def write(self, path: str, data: bytes) -> None:
        """Write new bytes at ``path``."""
        with open(self._prepare(path), "xb") as handle:
            handle.write(data)

    def finish(self, digests: Mapping[str, str]) -> None:
        """Remove what the new tree no longer has, and record the target as complete."""
        for path in self._hashes.keys() - digests.keys():
            target = f"{self._root}/{path}"
            with suppress(OSError):  # gone already, or a folder of the new tree now
                os.unlink(target)
            _remove_empty_parents(target, self._root)
        write_manifest(self.path, digests)

    def _prepare(self, path: str) -> str:
        """The file's full path, its folder made and whatever was there removed: the old
        file may be a hard link of a shown file, so it is replaced, never rewritten."""
        target = f"{self._root}/{path}"
        parent = target.rpartition("/")[0]
        if parent not in self._made:
            _make_folder(parent, self._root)
            self._made.add(parent)
        if not self._fresh and os.path.lexists(target):
            if os.path.isdir(target) and not os.path.islink(target):
                remove_tree(target)
            else:
                with suppress(FileNotFoundError):
                    os.unlink(target)
        return target


def _make_folder(folder: str, root: str) -> None:
    """``makedirs``, removing a file of the old tree that stands where a folder goes."""
    try:
        os.makedirs(folder, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    parts = folder[len(root) + 1:].split("/")
    walked = root
    for part in parts:
        walked = f"{walked}/{part}"
        if os.path.lexists(walked) and not os.path.isdir(walked):
            os.unlink(walked)
    os.makedirs(folder, exist_ok=True)


def _remove_empty_parents(path: str, root: str) -> None:
    folder = path.rpartition("/")[0]
    while folder != root and folder.startswith(root):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = folder.rpartition("/")[0]


def _result(new: Mapping[str, str], old: Mapping[str, str]) -> PublishResult:
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    for path, digest in new.items():
        previous = old.get(path)
        if previous is None:
            added.append(path)
        else:
            (unchanged if previous == digest else changed).append(path)
    removed = old.keys() - new.keys()
    return PublishResult(
        tuple(sorted(added)), tuple(sorted(changed)), tuple(sorted(removed)),
        tuple(sorted(unchanged)),
    )


def _check_path(path: str) -> None:
    # plain string tests: a PurePosixPath per file costs a second on a large tree
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(part in ("..", ".", "") for part in path.split("/"))
    ):
        raise ValueError(render_message("publish.bad_path", {"path": path}))
