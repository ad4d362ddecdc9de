"""A member subscribes with a real calendar client to what ``campaign-sheets serve``
serves, and follows an organiser's edit made in the workbook and published by
``campaign-sheets sync``.

vdirsyncer (http → filesystem) and khal come from their own environment, found the
way ``test_calendar_client.py`` finds them (``CAMPAIGN_SHEETS_CLIENT_BIN`` or PATH).
"""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from client_support import clients, configs, run
from sync_support import Site, make_site, module_command, set_cell, subprocess_env, sync

pytestmark = pytest.mark.system

STATION = "2026-1004-yon"
STATION_TITLE = "4のつく日宣伝（横浜駅西口）"
CANCELLED_TITLE = "【中止】文化の日 宣伝行動（藤沢駅南口）"
NOVEMBER = ("2026-11-01", "2026-11-30")


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


def _agenda(khal: str, kconf: Path, start: str, end: str) -> list[list[str]]:
    out = run(khal, "-c", str(kconf), "list", "--day-format", "",
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
    vdirsyncer, khal = clients(monkeypatch)
    site, url = served
    vconf, kconf, local = configs(tmp_path / "member", url)
    run(vdirsyncer, "-c", str(vconf), "discover", "feed")
    run(vdirsyncer, "-c", str(vconf), "sync", "feed")

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
    run(vdirsyncer, "-c", str(vconf), "sync", "feed")

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
