"""The sync story as an organiser lives it, through the real command line.

Every test works in its own copy of a council's folder (the example workbook, a
configuration, and what the first sync left there) and runs ``campaign-sheets sync``
as it would be typed, then reads back the published tree, the feeds, the state store
and the workbook itself.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync_support import (
    TOKEN_ENV,
    Run,
    Site,
    column,
    contents,
    copy_site,
    edit_events,
    feed_events,
    make_site,
    set_cell,
    snapshot,
    sync,
    tab_rows,
)

STATION = "2026-1004-yon"
PREF = "2026-1110-pref"
CANCELLED = "2026-1103-fujisawa"
CARAVAN = "2026-1125-caravan"
MEMBERS_ONLY = "2026-1207-jimu"
MEMBERS_TITLE = "事務局会議（12月）"
MEMBERS_CONTACT = "045-000-0000"
TOKEN = "members-0f3a9c2e7b51d846"


def uid(event_id: str) -> str:
    """The UID the configuration gives an action."""
    return f"{event_id}@example.org"


@dataclass(frozen=True)
class FirstSync:
    """The council's folder right after its very first sync, and what it printed."""

    site: Site
    run: Run
    blank_rows: tuple[int, ...]


@pytest.fixture(scope="session")
def first_sync(tmp_path_factory: pytest.TempPathFactory) -> FirstSync:
    """One first sync of the example workbook, shared: each test copies its folder."""
    os.environ.pop(TOKEN_ENV, None)
    site = make_site(tmp_path_factory.mktemp("council") / "site")
    ids = column(site.workbook, "行動", "ID")
    blank = tuple(i for i, value in enumerate(ids) if value in (None, ""))
    return FirstSync(site, sync(site), blank)


@pytest.fixture
def site(first_sync: FirstSync, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A private copy of the folder after the first sync (no members' token set)."""
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    return copy_site(first_sync.site, tmp_path / "site")


#: The deadlines of the example's drives (署名 tab): all-day events of their own.
DEADLINES = 3


def calendar(site: Site) -> dict[str, object]:
    """The events of ``calendar.ics`` by UID."""
    return dict(feed_events((site.out / "calendar.ics").read_bytes()))


def test_first_sync_publishes_every_action_and_writes_ids_and_rollup_back(
    first_sync: FirstSync,
) -> None:
    run, site = first_sync.run, first_sync.site
    assert run.code == 0, run.err
    counts = run.summary()
    # 17 actions, the hearings of the 8 public 審議 rows and the 3 deadlines of the drives
    assert counts["events"] == 25 + DEADLINES and counts["added"] == 25 + DEADLINES
    assert counts["changed"] == counts["removed"] == counts["errors"] == 0
    assert counts["written"] == len(contents(site.out)) and counts["unchanged"] == 0
    assert "2 blank ID(s) were assigned" in run.out
    assert "The rollup tab was rewritten." in run.out
    assert len(first_sync.blank_rows) == 2
    ids = column(site.workbook, "行動", "ID")
    assigned = [ids[i] for i in first_sync.blank_rows]
    assert all(isinstance(i, str) and i for i in assigned)
    assert len(set(ids)) == len(ids)
    events = feed_events((site.out / "calendar.ics").read_bytes())
    for event_id in assigned:
        assert uid(event_id) in events
        assert (site.out / "events" / event_id / "index.html").is_file()
    rollup = tab_rows(site.workbook, "集計")
    assert rollup[0][0] == "集計 2026年度"
    assert any(r[0] == "県保険医協会" and isinstance(r[1], int) for r in rollup)
    listed = json.loads((site.out / "feeds.json").read_text(encoding="utf-8"))["feeds"]
    every_ics = {p.relative_to(site.out.resolve()).as_posix()
                 for p in site.out.resolve().rglob("*.ics")}
    assert {f["path"] for f in listed} <= every_ics
    for feed in listed:  # every feed parses, with the actions feeds.json says it holds
        assert len(feed_events((site.out / feed["path"]).read_bytes())) == feed["count"]
    listed_bytes = {(site.out / f["path"]).read_bytes() for f in listed}
    for path in every_ics - {f["path"] for f in listed}:
        data = (site.out / path).read_bytes()
        if path.startswith("events/"):  # one action's own .ics
            assert len(feed_events(data)) == 1
        else:  # a listed feed under the older name it had, for old subscriptions
            assert data in listed_bytes, path


def test_the_two_day_caravan_is_one_event_and_lengthening_it_reaches_subscribers(
    site: Site,
) -> None:
    feed = (site.out / "calendar.ics").read_bytes()
    assert feed_events(feed)[uid(CARAVAN)].start == "20261125T093000"
    assert b"RRULE:FREQ=DAILY;COUNT=2" in feed
    page = (site.out / "events" / CARAVAN / "index.html").read_text(encoding="utf-8")
    assert "2026年11月25日（水）〜26日（木）</time> 各日9:30〜16:30" in page
    cell = set_cell(site.workbook, CARAVAN, "日付", "11月25日（水）～27日（金）")
    run = sync(site)
    assert run.code == 0, run.err
    assert run.summary()["changed"] == 1, cell
    feed = (site.out / "calendar.ics").read_bytes()
    assert feed_events(feed)[uid(CARAVAN)].sequence == 1
    assert b"RRULE:FREQ=DAILY;COUNT=3" in feed


def test_second_sync_changes_nothing_not_even_mtimes(site: Site) -> None:
    before = snapshot(site.out)
    link = os.readlink(site.out)
    workbook_mtime = site.workbook.stat().st_mtime_ns
    time.sleep(0.01)  # so a rewrite would show in the mtimes
    run = sync(site)
    assert run.code == 0, run.err
    counts = run.summary()
    assert counts["written"] == 0 and counts["deleted"] == 0
    assert counts["unchanged"] == len(before)
    assert counts["added"] == counts["changed"] == counts["removed"] == 0
    assert "rollup tab was rewritten" not in run.out and "assigned" not in run.out
    assert snapshot(site.out) == before
    assert os.readlink(site.out) == link
    assert site.workbook.stat().st_mtime_ns == workbook_mtime


def test_reordering_rows_keeps_uids_and_every_output(site: Site) -> None:
    everything_before = contents(site.out)
    feeds_before = {p: b for p, b in everything_before.items() if p.endswith(".ics")}
    uids_before = set(calendar(site))
    edit_events(site.workbook, lambda rows: random.Random(7).sample(rows, len(rows)))
    edit_events(site.workbook, lambda rows: rows[::-1])
    run = sync(site)
    assert run.code == 0, run.err
    assert set(calendar(site)) == uids_before
    feeds_after = {p: b for p, b in contents(site.out).items() if p.endswith(".ics")}
    assert feeds_after == feeds_before
    assert run.summary()["changed"] == 0
    # pages, feeds.json and reports list actions by date, not by row: nothing moves
    assert contents(site.out) == everything_before
    assert "「集計」タブを更新しました" not in run.out  # the 集計 tab is not rewritten either


def test_editing_one_time_raises_only_its_sequence(site: Site) -> None:
    before = feed_events((site.out / "calendar.ics").read_bytes())
    time.sleep(1.1)  # DTSTAMP has whole seconds: a rebuilt stamp would differ
    set_cell(site.workbook, PREF, "時間", "15時から16時")
    run = sync(site)
    assert run.code == 0, run.err
    assert run.summary()["changed"] == 1
    after = feed_events((site.out / "calendar.ics").read_bytes())
    assert set(after) == set(before)
    assert after[uid(PREF)].sequence == before[uid(PREF)].sequence + 1
    assert after[uid(PREF)].start.endswith("T150000")
    for key, event in before.items():
        if key != uid(PREF):
            assert after[key] == event, key


def test_cancelling_keeps_the_action_in_the_feed_marked_cancelled(site: Site) -> None:
    before = feed_events((site.out / "calendar.ics").read_bytes())
    set_cell(site.workbook, PREF, "状態", "中止")
    run = sync(site)
    assert run.code == 0, run.err
    counts = run.summary()
    # the 1,250 signatures handed over at the cancelled meeting no longer count: the
    # two deadlines of the 国保 drive say the lower total
    assert counts["cancelled"] == 1 and counts["changed"] == 2 and counts["removed"] == 0
    after = feed_events((site.out / "calendar.ics").read_bytes())
    assert set(after) == set(before)
    event = after[uid(PREF)]
    assert event.status == "CANCELLED" and event.summary.startswith("【中止】")
    assert event.sequence == before[uid(PREF)].sequence + 1
    assert after[uid(CANCELLED)].status == "CANCELLED"


def test_a_row_broken_after_publishing_keeps_its_last_good_version(site: Site) -> None:
    before = feed_events((site.out / "calendar.ics").read_bytes())
    cell = set_cell(site.workbook, PREF, "日付", "来月のどこか")
    run = sync(site)
    assert run.code == 1
    assert cell in run.err, run.err
    assert run.summary()["errors"] >= 1
    assert PREF in run.out and "keep their last published version" in run.out
    after = feed_events((site.out / "calendar.ics").read_bytes())
    assert after[uid(PREF)] == before[uid(PREF)]
    assert set(after) == set(before)


def _keep_two(rows: list[list[object]]) -> list[list[object]]:
    return rows[:2]


@pytest.mark.parametrize("change", [lambda rows: [], _keep_two], ids=["emptied", "filtered"])
def test_mass_vanish_is_refused_until_forced(site: Site, change: object) -> None:
    before = snapshot(site.out)
    link = os.readlink(site.out)
    state_before = site.state.read_bytes()
    edit_events(site.workbook, change)  # type: ignore[arg-type]
    refused = sync(site)
    assert refused.code == 1
    assert "Publishing was refused" in refused.err and "--force" in refused.err
    assert f"of the {25 + DEADLINES} actions published last time would vanish" in refused.err
    assert snapshot(site.out) == before and os.readlink(site.out) == link
    assert site.state.read_bytes() == state_before
    forced = sync(site, "--force")
    counts = forced.summary()
    assert counts["removed"] >= 15
    assert len(feed_events((site.out / "calendar.ics").read_bytes())) == counts["events"]
    assert counts["events"] <= 2 + 8 + DEADLINES  # the hearings and the deadlines stay


def test_dry_run_lists_changes_and_writes_nothing(site: Site) -> None:
    set_cell(site.workbook, PREF, "行動名", "県健康医療局との懇談（国保・介護・障害）")
    before = snapshot(site.out)
    link = os.readlink(site.out)
    state_before = site.state.read_bytes()
    book_before = (site.workbook.read_bytes(), site.workbook.stat().st_mtime_ns)
    folder_before = sorted(p.name for p in site.root.iterdir())
    run = sync(site, "--dry-run")
    assert run.code == 0, run.err
    assert "(dry run: nothing was written)" in run.out
    assert "  ~ calendar.ics" in run.out
    assert f"  ~ events/{PREF}/index.html" in run.out
    assert run.summary()["changed"] == 1
    assert snapshot(site.out) == before and os.readlink(site.out) == link
    assert site.state.read_bytes() == state_before
    assert (site.workbook.read_bytes(), site.workbook.stat().st_mtime_ns) == book_before
    assert sorted(p.name for p in site.root.iterdir()) == folder_before


def test_dry_run_before_any_sync_creates_nothing(tmp_path: Path) -> None:
    fresh = make_site(tmp_path / "fresh")
    book = fresh.workbook.read_bytes()
    run = sync(fresh, "--dry-run")
    assert run.code == 0, run.err
    assert "  + calendar.ics" in run.out
    assert not fresh.out.exists() and not fresh.state.exists()
    assert fresh.workbook.read_bytes() == book


def _public_bytes(site: Site) -> bytes:
    files = contents(site.out)
    return b"\n".join(data for path, data in sorted(files.items())
                      if not path.startswith("members/"))


def test_members_tree_only_with_a_token(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not (site.out / "members").exists()
    run = sync(site)
    assert f"The environment variable {TOKEN_ENV} is not set" in run.out
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    run = sync(site)
    assert run.code == 0, run.err
    assert "is not set" not in run.out
    members = site.out / "members" / TOKEN
    feed = feed_events((members / "calendar.ics").read_bytes())
    assert uid(MEMBERS_ONLY) in feed
    assert MEMBERS_CONTACT in (members / "calendar.ics").read_text(encoding="utf-8")
    page = (members / "events" / MEMBERS_ONLY / "index.html").read_text(encoding="utf-8")
    assert MEMBERS_TITLE in page and MEMBERS_CONTACT in page
    public = _public_bytes(site)
    for secret in (MEMBERS_TITLE, MEMBERS_CONTACT, MEMBERS_ONLY, TOKEN):
        assert secret.encode() not in public, secret
    assert uid(MEMBERS_ONLY) not in calendar(site)


def _subscribed(files: dict[str, bytes]) -> dict[str, bytes]:
    """What subscribers and flyers see: feeds, the feed list and the event pages."""
    return {path: data for path, data in files.items()
            if path.endswith(".ics") or path == "feeds.json" or path.startswith("events/")}


@settings(max_examples=3, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_any_row_order_round_trips_to_the_same_feeds_and_pages(
    first_sync: FirstSync, tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    """Reordering rows is a round trip: whatever the order, the same feeds and event
    pages come back (with the same UIDs and SEQUENCEs)."""
    site = copy_site(first_sync.site, tmp_path_factory.mktemp("order") / "site")
    before = contents(site.out)
    edit_events(site.workbook, lambda rows: random.Random(seed).sample(rows, len(rows)))
    run = sync(site)
    assert run.code == 0, run.err
    after = contents(site.out)
    assert set(after) == set(before)
    assert _subscribed(after) == _subscribed(before)

