"""A member subscribes with a real calendar client to what ``campaign-sheets serve``
serves, and follows an organiser's edit made in the workbook and published by
``campaign-sheets sync``.

vdirsyncer (http → filesystem) and khal come from their own environment, found the
way ``test_calendar_client.py`` finds them (``CAMPAIGN_SHEETS_CLIENT_BIN`` or PATH).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import require_program
from sync_support import Site, make_site, module_command, set_cell, subprocess_env, sync

pytestmark = pytest.mark.system

STATION = "2026-1004-yon"
STATION_TITLE = "4のつく日宣伝（横浜駅西口）"
CANCELLED_TITLE = "【中止】文化の日 宣伝行動（藤沢駅南口）"
NOVEMBER = ("2026-11-01", "2026-11-30")


def _clients(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    extra = os.environ.get("CAMPAIGN_SHEETS_CLIENT_BIN")
    if extra:
        monkeypatch.setenv("PATH", extra + os.pathsep + os.environ.get("PATH", ""))
    hint = "pip install vdirsyncer khal in a separate venv and set CAMPAIGN_SHEETS_CLIENT_BIN"
    return require_program("vdirsyncer", hint), require_program("khal", hint)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    """The council's folder after a first sync, served by ``campaign-sheets serve`` on a
    free local port; yields the folder and the served address."""
    site = make_site(tmp_path / "site", pdf=False)
    first = sync(site)
    assert first.code == 0, first.err
    server = subprocess.Popen(
        module_command("serve", "--config", str(site.config), "--host", "127.0.0.1",
                       "--port", "0"),
        cwd=site.root, env=subprocess_env([("PYTHONUNBUFFERED", "1")]),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line + (server.stdout.read() if server.poll() is not None else "")
        url = found.group(0)
        _wait_until_up(url + "calendar.ics")
        yield site, url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.headers["Content-Type"].startswith("text/calendar")
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _configs(tmp: Path, url: str) -> tuple[Path, Path, Path]:
    local = tmp / "calendars" / "feed"
    local.mkdir(parents=True)
    vconf = tmp / "vdirsyncer.conf"
    vconf.write_text(
        f"""[general]
status_path = "{tmp / 'status'}/"
[pair feed]
a = "feed_remote"
b = "feed_local"
collections = null
conflict_resolution = "a wins"
[storage feed_remote]
type = "http"
url = "{url}calendar.ics"
[storage feed_local]
type = "filesystem"
path = "{local}/"
fileext = ".ics"
""",
        encoding="utf-8",
    )
    kconf = tmp / "khal.conf"
    kconf.write_text(
        f"""[calendars]
[[feed]]
path = {local}/
type = calendar
readonly = True
[locale]
local_timezone = Asia/Tokyo
default_timezone = Asia/Tokyo
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[sqlite]
path = {tmp / 'khal.db'}
""",
        encoding="utf-8",
    )
    return vconf, kconf, local


def _run(*cmd: str) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _agenda(khal: str, kconf: Path, start: str, end: str) -> list[list[str]]:
    out = _run(khal, "-c", str(kconf), "list", "--day-format", "",
               "--format", "{start}|{end}|{title}|{status}", start, end)
    return [line.strip().split("|") for line in out.splitlines() if line.strip()]


def _items_titled(local: Path, title: str) -> int:
    """How many items of the member's local calendar carry ``title`` (vdirsyncer names
    and may re-identify items by a hash, so the title is what identifies the action)."""
    count = 0
    for path in local.iterdir():
        calendar = Calendar.from_ical(path.read_bytes())
        count += sum(1 for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == title)
    return count


def test_a_member_subscribed_with_khal_sees_the_station_action_and_follows_an_edit(
    served: tuple[Site, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vdirsyncer, khal = _clients(monkeypatch)
    site, url = served
    vconf, kconf, local = _configs(tmp_path / "member", url)
    _run(vdirsyncer, "-c", str(vconf), "discover", "feed")
    _run(vdirsyncer, "-c", str(vconf), "sync", "feed")

    rows = _agenda(khal, kconf, *NOVEMBER)
    station = [r for r in rows if r[2] == STATION_TITLE]
    assert station == [[f"2026-11-{day} 12:00", f"2026-11-{day} 13:00", STATION_TITLE, "CONFIRMED"]
                       for day in ("04", "14", "24")]
    december = [r[0] for r in _agenda(khal, kconf, "2026-12-01", "2026-12-31")
                if r[2] == STATION_TITLE]
    assert december == ["2026-12-04 12:00", "2026-12-14 12:00"]  # 24 December is skipped
    assert [r for r in rows if "藤沢駅南口" in r[2]] == [
        ["2026-11-03 13:30", "2026-11-03 15:00", CANCELLED_TITLE, "CANCELLED"]]
    day_before = _agenda(khal, kconf, "2026-11-04", "2026-11-04")
    items_before = list(local.iterdir())
    assert _items_titled(local, STATION_TITLE) == 1

    set_cell(site.workbook, STATION, "時間", "7時半～8時半")
    set_cell(site.workbook, STATION, "行動名", "4のつく日 朝宣伝（横浜駅西口）")
    again = sync(site)
    assert again.code == 0, again.err
    assert again.summary()["changed"] == 1
    _run(vdirsyncer, "-c", str(vconf), "sync", "feed")

    rows = _agenda(khal, kconf, *NOVEMBER)
    assert not [r for r in rows if r[2] == STATION_TITLE]
    moved = [r for r in rows if r[2] == "4のつく日 朝宣伝（横浜駅西口）"]
    assert [r[:2] for r in moved] == [[f"2026-11-{day} 07:30", f"2026-11-{day} 08:30"]
                                      for day in ("04", "14", "24")]
    assert _items_titled(local, STATION_TITLE) == 0
    assert _items_titled(local, "4のつく日 朝宣伝（横浜駅西口）") == 1
    assert len(list(local.iterdir())) == len(items_before)
    day_after = _agenda(khal, kconf, "2026-11-04", "2026-11-04")
    assert len(day_after) == len(day_before)
