"""The state store remembers what subscribers were told, even across a killed sync."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_sheets.core.model import Action, Repetition, Status, Visibility
from campaign_sheets.feeds import build as feed_build
from campaign_sheets.feeds.build import build_feeds
from campaign_sheets.publish.state import EventState, StateStore, action_from_json, action_to_json
from feed_support import context, example_actions

ROOT = Path(__file__).resolve().parent.parent


def test_states_saved_after_publish_come_back_and_keep_feeds_identical(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite")
    assert store.load() == {}
    first = build_feeds(context(example_actions()), {})
    store.save(first.events, first.events.keys(), example_actions())
    loaded = store.load()
    assert loaded == first.events
    again = build_feeds(context(example_actions(), now=datetime(2026, 1, 1, tzinfo=UTC)), loaded)
    assert again.files == first.files
    assert store.published_count() == len(first.events)
    assert store.published_ids() == frozenset(first.events)


def test_a_no_change_sync_in_a_new_process_serializes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(tmp_path / "state.sqlite")
    with store:
        first = build_feeds(context(example_actions()), store.load())
        store.save(first.events)  # as sync calls it: published IDs and VEVENTs come along
    assert store.published_ids() == frozenset(first.events)
    monkeypatch.setattr(feed_build, "_VEVENT_CACHE", {})  # what a new process starts with

    def no_rendering(*_args: object) -> bytes:
        raise AssertionError("an unchanged event was serialized again")

    monkeypatch.setattr(feed_build, "render_vevent", no_rendering)
    again = build_feeds(context(example_actions()), store.load())
    assert again.files == first.files


def test_states_of_vanished_events_are_kept_so_sequence_continues(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite")
    stamp = datetime(2025, 1, 1, tzinfo=UTC)
    store.save({"a": EventState("a@x", "h1", 3, stamp)}, ["a"])
    store.save({}, [])
    assert "a" not in store.load()
    assert store.load(include_retired=True)["a"].sequence == 3
    assert store.published_count() == 0


def test_a_failing_save_changes_nothing(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite")
    stamp = datetime(2025, 1, 1, tzinfo=UTC)
    store.save({"a": EventState("a@x", "h1", 0, stamp)}, ["a"])

    def broken() -> Iterator[Action]:
        yield example_actions()[0]
        raise RuntimeError("disk trouble")

    with pytest.raises(RuntimeError):
        store.save({"a": EventState("a@x", "h2", 1, stamp)}, ["a", "b"], broken())
    assert store.load()["a"].content_hash == "h1"
    assert store.published_ids() == {"a"}
    assert store.last_good(["station-4"]) == {}


def test_a_row_with_an_error_keeps_its_last_good_version(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite")
    actions = example_actions()
    store.remember(actions)
    found = store.last_good(["station-4", "study-0301", "nope"])
    assert set(found) == {"station-4", "study-0301"}
    assert found["station-4"] == actions[0]


_text = st.text(max_size=20)


@st.composite
def _any_action(draw: st.DrawFn) -> Action:
    start = draw(st.none() | st.times())
    day = draw(st.dates(max_value=date(9999, 11, 30)))
    return Action(
        id=draw(st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)),
        kind=draw(st.sampled_from(["street", "study", "course"])),
        title=draw(_text),
        date=day,
        end_date=draw(st.none() | st.integers(1, 30).map(lambda n: day + timedelta(days=n))),
        start=start,
        end=draw(st.none() | st.times()),
        venue=draw(_text),
        orgs=tuple(draw(st.lists(_text, max_size=3))),
        repetition=draw(st.none() | st.builds(
            Repetition, st.just("FREQ=MONTHLY;BYMONTHDAY=4,14,24"), _text,
            st.lists(st.dates(), max_size=3).map(tuple))),
        capacity=draw(st.none() | st.integers(min_value=0, max_value=10_000)),
        status=draw(st.sampled_from(list(Status))),
        visibility=draw(st.sampled_from(list(Visibility))),
        contact=draw(_text),
        row=draw(st.integers(min_value=0, max_value=100_000)),
    )


@settings(max_examples=60, deadline=None)
@given(_any_action())
def test_an_action_round_trips_through_the_store_codec(action: Action) -> None:
    assert action_from_json(action_to_json(action)) == action


def test_midnight_start_survives_the_codec() -> None:
    action = Action(id="m", kind="street", title="t", date=date(2025, 1, 1), start=dtime(0, 0))
    assert action_from_json(action_to_json(action)).start == dtime(0, 0)


_WRITER = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from campaign_sheets.publish.state import EventState, StateStore
store = StateStore(Path(sys.argv[1]))
stamp = datetime(2025, 1, 1, tzinfo=UTC)
n = int(sys.argv[2])
print("ready", flush=True)
while True:
    n += 1
    ids = [f"e{i}" for i in range(n % 7 * 40 + 40)]
    store.save({i: EventState(i + "@x", str(n), n, stamp) for i in ids}, ids)
"""


def test_a_killed_save_leaves_old_or_new_state(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for attempt in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(attempt * 1_000_000)],
            env=env,
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        child.stdout.readline()
        time.sleep(0.05 + attempt * 0.03)
        child.send_signal(signal.SIGKILL)
        child.wait()
        store = StateStore(path)
        states = store.load(include_retired=True)
        published = store.published_ids()
        assert set(store.load()) == published
        if not published:
            continue
        # every published ID was written by the same save as the published set
        newest = max(s.sequence for s in states.values())
        assert {states[i].sequence for i in published} == {newest}
        assert published == {k for k, s in states.items() if s.sequence == newest}
