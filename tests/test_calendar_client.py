"""A member's real calendar client subscribes to the served feed and follows a change.

vdirsyncer (http → filesystem) fetches ``calendar.ics`` from ``serve`` on 127.0.0.1
and khal shows what a member would see. Both come from PyPI and may pin another
icalendar, so they usually live in their own environment: point
``CAMPAIGN_SHEETS_CLIENT_BIN`` at its ``bin`` folder (or put them on PATH).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from campaign_sheets.feeds.build import build_feeds
from campaign_sheets.publish.publication import publish_tree
from campaign_sheets.serve import start_server
from client_support import clients, configs, run
from feed_support import context, example_actions
from test_feeds_ranges import RANGES

pytestmark = pytest.mark.system

STATION = "4のつく日 横浜駅西口宣伝"


def _agenda(khal: str, kconf: Path) -> list[list[str]]:
    out = run(khal, "-c", str(kconf), "list", "--day-format", "",
               "--format", "{start}|{end}|{title}|{status}", "2025-01-01", "2025-02-28")
    return [line.strip().split("|") for line in out.splitlines() if line.strip()]


def test_vdirsyncer_and_khal_follow_the_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vdirsyncer, khal = clients(monkeypatch)
    out = tmp_path / "public"
    actions = example_actions()
    first = build_feeds(context(actions), {})
    publish_tree(first.files, out)
    server, url = start_server(out)
    try:
        vconf, kconf, local = configs(tmp_path, url)
        run(vdirsyncer, "-c", str(vconf), "discover", "feed")
        run(vdirsyncer, "-c", str(vconf), "sync", "feed")
        rows = _agenda(khal, kconf)
        station = [r for r in rows if r[2] == STATION]
        assert [r[0] for r in station] == [
            "2025-01-04 07:30", "2025-01-24 07:30", "2025-02-04 07:30", "2025-02-14 07:30",
            "2025-02-24 07:30",
        ]  # 14 January is an EXDATE
        assert all(r[1].endswith("08:30") for r in station)
        rally = [r for r in rows if "県民集会" in r[2]]
        assert rally == [["2025-02-15 10:00", "2025-02-15 12:00",
                          "【中止】いのちとくらしを守る県民集会", "CANCELLED"]]
        assert not any("事務局会議" in r[2] or "傍聴" in r[2] for r in rows)
        items_before = sorted(p.name for p in local.iterdir())

        moved = tuple(replace(a, start=time(8, 0), end=time(9, 0)) if a.id == "station-4" else a
                      for a in actions)
        later = datetime(2025, 1, 2, 9, 0, tzinfo=UTC)
        second = build_feeds(context(moved, now=later), first.events)
        assert second.events["station-4"].sequence == 1
        publish_tree(second.files, out)
        run(vdirsyncer, "-c", str(vconf), "sync", "feed")
        rows = _agenda(khal, kconf)
        station = [r for r in rows if r[2] == STATION]
        assert [r[0][-5:] for r in station] == ["08:00"] * 5  # moved, and no duplicate
        assert len(list(local.iterdir())) == len(items_before)
    finally:
        server.shutdown()
        server.server_close()


def test_khal_shows_a_range_on_each_of_its_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vdirsyncer, khal = clients(monkeypatch)
    out = tmp_path / "public"
    publish_tree(build_feeds(context(RANGES), {}).files, out)
    server, url = start_server(out)
    try:
        vconf, kconf, _local = configs(tmp_path, url)
        run(vdirsyncer, "-c", str(vconf), "discover", "feed")
        run(vdirsyncer, "-c", str(vconf), "sync", "feed")
        out_text = run(khal, "-c", str(kconf), "list", "--day-format", "{date}",
                       "--format", "  {start-time}|{end-time}|{title}", "2025-11-10", "2025-11-23")
    finally:
        server.shutdown()
        server.server_close()
    days: dict[str, list[str]] = {}
    current = ""
    for line in out_text.splitlines():
        if line and not line.startswith(" "):
            current = line.strip()
        elif line.strip():
            days.setdefault(current, []).append(line.strip())
    all_day = "||自治体キャラバン 県西コース"
    timed = "10:00|16:00|自治体キャラバン 県央コース"
    assert days == {
        "2025-11-12": [all_day], "2025-11-13": [all_day],
        "2025-11-19": [timed], "2025-11-20": [timed], "2025-11-21": [timed],
    }
