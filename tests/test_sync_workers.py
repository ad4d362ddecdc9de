"""A large council's sync on every core: the worker processes change nothing of what is
published, and a worker killed half way costs the subscribers nothing.

The workbooks are generated (``benchmarks/generate.py``) with enough actions for the
pages, the VEVENTs and the reports to go to worker processes.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import pytest

from campaign_sheets.core.config import load_config
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sync import run_sync
from campaign_sheets.workers import Workers
from sync_support import (
    ROOT,
    SUMMARY,
    Site,
    contents,
    make_site,
    module_command,
    state_events,
    subprocess_env,
)

#: Enough actions that pages (64 or more) and VEVENTs (500 or more) go to workers.
ACTIONS = 300
TODAY = date(2026, 10, 1)
NOW = datetime(2026, 10, 1, 1, 2, 3, tzinfo=UTC)


def generated(path: Path, actions: int = ACTIONS) -> Path:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--events", str(actions),
         "-o", str(path)],
        env=subprocess_env(), capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory.mktemp("generated") / "generated.xlsx")


def members_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_STORY_MEMBERS_TOKEN", "members-token-for-the-workers-0123")


def package(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def submissions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the tasks given to workers from now on, in order."""
    submitted: list[str] = []
    submit = Workers.submit

    def counted(self: Workers, call: Callable[..., object], *args: object) -> object:
        named = call.func if isinstance(call, partial) else call
        submitted.append(named.__name__)
        return submit(self, call, *args)

    monkeypatch.setattr(Workers, "submit", counted)
    return submitted


def test_one_process_and_two_workers_publish_the_same_bytes(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members_env(monkeypatch)
    submitted = submissions(monkeypatch)
    results = {}
    # two workers first: the VEVENTs serialized then are kept in this process
    for jobs in (2, 1):
        site = make_site(tmp_path / f"jobs-{jobs}", workbook, pdf=False)
        config = load_config(site.config)
        result = run_sync(config, XlsxSource(config.source), today=TODAY, now=NOW, jobs=jobs)
        assert result.events == ACTIONS
        results[jobs] = (contents(site.out), state_events(site.state), package(site.workbook))
    # the reports, the VEVENTs and the pages went to the workers
    assert {"packed_report_outputs", "render_vevents", "render_batch"} <= set(submitted)
    one, two = results[1], results[2]
    assert one[0].keys() == two[0].keys() and len(one[0]) > 4 * ACTIONS
    assert [p for p in one[0] if one[0][p] != two[0][p]] == []
    assert one[1] == two[1]  # the same SEQUENCE and DTSTAMP for every event
    assert one[2] == two[2]  # the same IDs and 集計 tab written back


def descendants(pid: int) -> dict[int, tuple[int, str]]:
    """Every process below ``pid``: its parent and command line."""
    table: dict[int, tuple[int, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        table[int(entry)] = (parent, command.decode(errors="replace"))
    found: dict[int, tuple[int, str]] = {}
    frontier = {pid}
    while frontier:
        frontier = {p for p, (parent, _) in table.items() if parent in frontier}
        found.update({p: table[p] for p in frontier})
    return found


def workers_of(pid: int) -> list[int]:
    """The worker processes of a sync: the children of its fork server."""
    below = descendants(pid)
    servers = {p for p, (_, command) in below.items() if "forkserver" in command}
    return sorted(p for p, (parent, _) in below.items() if parent in servers)


def without_stamps(site: Site) -> dict[str, bytes]:
    """The published tree without the moment of the sync (DTSTAMP and LAST-MODIFIED of
    a changed event are the time its sync ran)."""
    files = contents(site.out)
    for path, data in files.items():
        if path.endswith(".ics"):
            files[path] = b"".join(
                line for line in data.splitlines(keepends=True)
                if not line.startswith((b"DTSTAMP:", b"LAST-MODIFIED:")))
    return files


def cli_sync(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        module_command("sync", "--config", str(site.config), *args), cwd=site.root,
        env=subprocess_env([("SYNC_STORY_MEMBERS_TOKEN", "members-token-for-the-workers-0123")]),
        capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_worker_killed_half_way_leaves_the_last_good_tree_and_the_next_sync_completes(
    workbook: Path, tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site", generated(tmp_path / "big.xlsx", 400), pdf=False)
    first = cli_sync(site, "--jobs", "2")
    assert SUMMARY.search(first.stdout), first.stderr[-2000:]
    # a new calendar name: every page, flyer and feed is built again
    site.config.write_text(site.config.read_text(encoding="utf-8").replace(
        'name = "県社保協 行動予定"', 'name = "県社保協 行動予定（改）"'), encoding="utf-8")
    reference = Site(tmp_path / "reference")
    shutil.copytree(site.root, reference.root, symlinks=True)
    before = (contents(site.out), state_events(site.state), site.workbook.read_bytes())
    generations = site.root / ".public.generations"
    manifests = {p.name for p in generations.iterdir() if p.name.endswith(".manifest")}

    process = subprocess.Popen(
        module_command("sync", "--config", str(site.config), "--jobs", "2"), cwd=site.root,
        env=subprocess_env([("SYNC_STORY_MEMBERS_TOKEN", "members-token-for-the-workers-0123")]),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )
    killed, seen = None, []
    try:
        deadline = time.monotonic() + 300
        while process.poll() is None and time.monotonic() < deadline:
            now_manifests = {p.name for p in generations.iterdir() if p.name.endswith(".manifest")}
            seen = workers_of(process.pid)
            # publishing has begun (the spare's manifest went), a worker is rendering
            if now_manifests != manifests and seen:
                killed = seen[0]
                os.kill(killed, signal.SIGKILL)
                break
            time.sleep(0.01)
        out, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert killed is not None, "the sync finished before a worker could be killed"
    assert process.returncode == 1
    assert "worker process" in err and "Nothing was published" in err, err[-2000:]
    assert not SUMMARY.search(out)
    # the shown tree, the state store and the workbook are the last good ones
    assert contents(site.out) == before[0]
    assert state_events(site.state) == before[1]
    assert site.workbook.read_bytes() == before[2]
    # and the other worker and the fork server went with the sync
    time.sleep(1.5)
    assert not [p for p in seen if Path(f"/proc/{p}").exists()]

    again = cli_sync(site, "--jobs", "2")
    assert SUMMARY.search(again.stdout), again.stderr[-2000:]
    done = cli_sync(reference, "--jobs", "1")
    assert SUMMARY.search(done.stdout), done.stderr[-2000:]
    assert without_stamps(site) == without_stamps(reference)
    assert "（改）" in contents(site.out)["index.html"].decode("utf-8")
    kept = sorted(p.name for p in generations.iterdir())
    assert len([k for k in kept if k.endswith(".manifest")]) == len(
        [k for k in kept if not k.endswith(".manifest")]) <= 2, kept


def test_a_caravans_towns_feeds_are_the_same_bytes_from_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stops' own VEVENTs (``towns/<code>.ics``) and the route on the pages go
    through the workers like every other VEVENT and page, and come out the same."""
    import caravan_support as cs
    from campaign_sheets import sync
    from campaign_sheets.pages import pool

    monkeypatch.setenv("CAMPAIGN_SHEETS_MEMBERS_TOKEN", cs.TOKEN)
    # a small sheet: let every VEVENT batch and every page go to the workers
    monkeypatch.setattr(sync, "_VEVENT_BATCH", 1)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)
    submitted = submissions(monkeypatch)
    trees = {}
    for jobs in (2, 1):
        folder = tmp_path / f"jobs-{jobs}"
        folder.mkdir()
        monkeypatch.chdir(folder)
        config = load_config(cs.write_site(folder, cs.TABS))
        run_sync(config, XlsxSource(config.source), today=TODAY, now=NOW, jobs=jobs)
        trees[jobs] = contents(config.out)
    assert {"render_vevents", "render_batch"} <= set(submitted)
    one, two = trees[1], trees[2]
    towns = [p for p in one if p.startswith("towns/")]
    assert "towns/143219.ics" in towns and b".stop-" in one["towns/143219.ics"]
    assert one.keys() == two.keys()
    assert [p for p in one if one[p] != two[p]] == []


def test_workers_started_ahead_answer_tasks_and_leave_when_closed() -> None:
    """A sync starts the fork server before it validates (so that its imports are done
    meanwhile): the pool then runs tasks on every worker as one started by its first
    task does, and closing it leaves no worker behind."""
    from multiprocessing import forkserver

    started = Workers(2).start()
    try:
        if "forkserver" in multiprocessing.get_all_start_methods():
            assert forkserver._forkserver._forkserver_pid is not None
        assert started.result(started.submit(pow, 2, 10)) == 1024
        assert list(started.in_order(abs, [-3, 4, -5, 6, -7, 8])) == [3, 4, 5, 6, 7, 8]
        pool = started._pool
        assert pool is not None
        children = list(pool._processes.values())
        assert children and all(child.is_alive() for child in children)
    finally:
        started.close()
    assert all(not child.is_alive() for child in children)
    idle = Workers(2).start()
    idle.close()
    assert idle._pool is None
