"""A sync on a server: a ``--every`` loop outlives a bad moment and stops cleanly, and a
sync killed at any moment leaves the old tree or the complete new one, never a mixture.

Both run the real ``python -m campaign_sheets`` in a subprocess with bounded waits.
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from openpyxl import load_workbook

from sync_support import (
    ROOT,
    SUMMARY,
    Site,
    contents,
    make_site,
    module_command,
    set_cell,
    state_events,
    subprocess_env,
)

# -- sync --every ---------------------------------------------------------------------


class Lines:
    """The lines a subprocess writes to one stream, read by a thread as they come."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)

    def wait_for(self, test: Callable[[str], bool], timeout: float) -> str:
        """The next line passing ``test``; fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no such line within {timeout}s; saw:\n{''.join(self.seen)}")
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if test(line):
                return line


def _start_every(site: Site) -> tuple[subprocess.Popen[str], Lines, Lines]:
    process = subprocess.Popen(
        module_command("sync", "--config", str(site.config), "--every", "0.01"),
        cwd=site.root, env=subprocess_env([("PYTHONUNBUFFERED", "1")]),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    return process, Lines(process.stdout), Lines(process.stderr)


def _stop(process: subprocess.Popen[str], signum: int) -> int:
    process.send_signal(signum)
    try:
        return process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_every_outlives_a_missing_and_a_corrupt_workbook_and_stops_cleanly(
    tmp_path: Path, signum: int
) -> None:
    site = make_site(tmp_path / "site", pdf=False)
    good = site.workbook.read_bytes()
    process, out, err = _start_every(site)
    try:
        first = out.wait_for(lambda line: SUMMARY.search(line) is not None, 120)
        assert " 28 added" in first  # 17 actions, 8 public hearings, 3 deadlines of the drives
        site.workbook.rename(site.root / "away.xlsx")  # someone moves it for a moment
        err.wait_for(lambda line: "was not found" in line, 60)
        site.workbook.write_bytes(b"PK\x03\x04 half a download")  # then copies it back badly
        err.wait_for(lambda line: "damaged" in line or "is not an Excel workbook" in line, 60)
        (site.root / "away.xlsx").unlink()
        site.workbook.write_bytes(good)
        again = out.wait_for(lambda line: SUMMARY.search(line) is not None, 60)
        assert " 0 added" in again and " 0 removed" in again
        assert process.poll() is None, "the loop stopped by itself"
        code = _stop(process, signum)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 0
    assert not any("Traceback" in line for line in err.seen), "".join(err.seen)
    assert (site.out / "calendar.ics").is_file()


# -- a sync killed at random moments ----------------------------------------------------

EVENTS = 2000
EDITED = "E001000"


Tree = dict[str, bytes]
State = dict[str, tuple[str, str, int]]


def _tree(site: Site) -> Tree:
    """The published tree, without the moment of the sync: a changed event's DTSTAMP
    and LAST-MODIFIED are the time its sync ran, which differs between two runs."""
    files = contents(site.out)
    for path, data in files.items():
        if path.endswith(".ics"):
            files[path] = b"".join(
                line for line in data.splitlines(keepends=True)
                if not line.startswith((b"DTSTAMP:", b"LAST-MODIFIED:"))
            )
    return files


def _state(site: Site) -> State:
    """The published events of the state store (integrity checked), without stamps."""
    return {key: value[:3] for key, value in state_events(site.state).items()}


@dataclass(frozen=True)
class BigSite:
    """A 2,000-event folder after its first sync, and the tree the next sync must make."""

    site: Site
    old_tree: Tree
    old_state: State
    new_tree: Tree
    new_state: State
    seconds: float


def _generated(path: Path) -> Path:
    generate = ROOT / "benchmarks" / "generate.py"
    done = subprocess.run(
        [sys.executable, str(generate), "--events", str(EVENTS), "-o", str(path)],
        env=subprocess_env(), capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    return path


def _edit(site: Site) -> None:
    set_cell(site.workbook, EDITED, "行動名", "差し替えた行動名（中断テスト）")


def _cli_sync(site: Site, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        module_command("sync", "--config", str(site.config), "--quiet"), cwd=site.root,
        env=subprocess_env(), capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> BigSite:
    """Generated once per session: the first sync (old), then in a copy the edit and
    the sync a killed run was making (new), timed."""
    base = tmp_path_factory.mktemp("big")
    workbook = _generated(base / "generated.xlsx")
    site = make_site(base / "site", workbook, pdf=False)
    first = _cli_sync(site)
    assert first.returncode in (0, 1), first.stderr[-2000:]
    _edit(site)
    reference = Site(base / "reference")
    shutil.copytree(site.root, reference.root, symlinks=True)
    started = time.monotonic()
    done = _cli_sync(reference)
    seconds = time.monotonic() - started
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return BigSite(
        site=site, old_tree=_tree(site), old_state=_state(site),
        new_tree=_tree(reference), new_state=_state(reference),
        seconds=seconds,
    )


def _restore(big: BigSite, root: Path) -> Site:
    """A fresh copy of the folder before the interrupted sync (the tree hard-linked:
    a publish never changes a file in place)."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(big.site.root, root, symlinks=True, copy_function=os.link)
    for name in ("state.sqlite", big.site.workbook.name):
        (root / name).unlink()
        shutil.copy2(big.site.root / name, root / name)
    return Site(root)


def _kill(site: Site, rng: random.Random, *, publishing: float, limit: float) -> str:
    """Start a sync and SIGKILL it: at a random moment of the whole run, or (with
    ``publishing`` seconds) at a random moment of the first ``publishing`` seconds after
    it began writing its new generation. Returns when it was killed, for the messages."""
    generations = site.root / ".public.generations"
    existing = set(os.listdir(generations))
    process = subprocess.Popen(
        module_command("sync", "--config", str(site.config), "--quiet"), cwd=site.root,
        env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    started = time.monotonic()
    try:
        if publishing:
            # a new generation appears, or the spare's manifest goes as it is brought up to date
            while set(os.listdir(generations)) == existing and process.poll() is None:
                assert time.monotonic() - started < 120 + 3 * limit, "it never began publishing"
                time.sleep(0.005)
            delay = rng.uniform(0.0, publishing)
        else:
            delay = rng.uniform(0.2, limit * 1.2)
        when = f"{time.monotonic() - started + delay:.2f}s"
        when += " (publishing)" if publishing else ""
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return when + ("" if process.returncode == -signal.SIGKILL else " (had finished)")


def test_a_killed_sync_leaves_the_old_tree_or_the_new_one(
    big: BigSite, tmp_path: Path
) -> None:
    assert big.old_tree != big.new_tree
    assert big.old_state != big.new_state
    rng = random.Random(int(os.environ.get("SYNC_KILL_SEED", "2026")))
    outcomes = []
    # one kill anywhere in the run, then two in the publish (the risky part): while the
    # generation is written (a fraction of a second), then up to the state and workbook
    for publishing in (0.0, 0.3, 2.0):
        site = _restore(big, tmp_path / "site")
        when = _kill(site, rng, publishing=publishing, limit=big.seconds)
        tree = _tree(site)
        assert tree in (big.old_tree, big.new_tree), f"a mixed tree after a kill at {when}"
        assert load_workbook(site.workbook, read_only=True).sheetnames[0] == "行動"
        state = _state(site)
        assert state in (big.old_state, big.new_state), f"a mixed state after a kill at {when}"
        outcomes.append(f"{when}: tree {'new' if tree == big.new_tree else 'old'}, "
                        f"state {'new' if state == big.new_state else 'old'}")
    following = _cli_sync(site)
    assert following.returncode in (0, 1), following.stderr[-2000:]
    assert _tree(site) == big.new_tree
    assert _state(site) == big.new_state
    # what killed runs left is gone: the shown generation and at most one spare remain,
    # each with the manifest of a complete generation
    generations = site.root / ".public.generations"
    shown = (site.root / "public").resolve()
    kept = sorted(p.name for p in generations.iterdir() if p.is_dir())
    assert shown.name in kept and len(kept) <= 2, kept
    assert sorted(p.name for p in generations.iterdir() if not p.is_dir()) == sorted(
        f"{name}.manifest" for name in kept), list(generations.iterdir())
    print("\n".join(outcomes))

