"""Subscribers always see the last good tree: publishing is atomic, quiet without change."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_sheets.core.errors import PublishRefused
from campaign_sheets.feeds.build import build_feeds
from campaign_sheets.publish.generations import current_tree, generations_dir, manifest_path
from campaign_sheets.publish.publication import (
    PublishedFilesMissing,
    VanishRefused,
    open_publication,
    plan_vanish,
    publish_tree,
)
from feed_support import context, example_actions

ROOT = Path(__file__).resolve().parent.parent


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
    }


def _mtimes(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
        for p in root.rglob("*") if p.is_file()
    }


def _generations(out: Path) -> list[str]:
    """The generation directories kept beside ``out`` (sorted names)."""
    return sorted(p.name for p in generations_dir(out).iterdir() if p.is_dir())


def _check_generations(out: Path) -> None:
    """The shown generation and at most one spare, each holding exactly what its
    manifest lists (a spare that lies would put wrong bytes in a later tree); a
    generation without a manifest is never used again."""
    names = _generations(out)
    shown = current_tree(out)
    assert shown is not None and shown.name in names and len(names) <= 2, names
    for name in names:
        generation = generations_dir(out) / name
        listed = generation.with_name(name + ".manifest")
        if name != shown.name and not listed.exists():
            continue
        manifest = json.loads(listed.read_bytes())
        assert manifest["generation"] == name
        assert {path: hashlib.sha256(data).hexdigest()
                for path, data in _tree(generation).items()} == manifest["sha256"]


def _manifest(out: Path) -> Path:
    path = manifest_path(out)
    assert path is not None
    return path


def test_first_publish_creates_the_tree(tmp_path: Path) -> None:
    files = build_feeds(context(example_actions()), {}).files
    result = publish_tree(files, tmp_path / "public")
    assert _tree(tmp_path / "public") == files
    assert set(result.added) == set(files) and not result.changed and not result.removed
    assert (tmp_path / "public").is_symlink()


def test_publishing_the_same_files_again_rewrites_nothing(tmp_path: Path) -> None:
    out = tmp_path / "public"
    files = build_feeds(context(example_actions()), {}).files
    publish_tree(files, out)
    before, link = _mtimes(out), os.readlink(out)
    time.sleep(0.02)
    result = publish_tree(dict(files), out)
    assert _mtimes(out) == before and os.readlink(out) == link
    assert not result.any_change and set(result.unchanged) == set(files)
    _check_generations(out)


def test_a_change_rewrites_only_changed_files_and_keeps_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A", "dir/b.ics": b"B", "gone.ics": b"G"}, out)
    before = _mtimes(out)
    result = publish_tree({"a.ics": b"A", "dir/b.ics": b"B2", "new.ics": b"N"}, out)
    assert result.added == ("new.ics",) and result.changed == ("dir/b.ics",)
    assert result.removed == ("gone.ics",) and result.unchanged == ("a.ics",)
    after = _mtimes(out)
    assert after["a.ics"] == before["a.ics"]  # same inode and mtime: hard-linked
    assert _tree(out) == {"a.ics": b"A", "dir/b.ics": b"B2", "new.ics": b"N"}
    _check_generations(out)  # the old generation is kept as the spare, unchanged


def test_publishing_to_the_resolved_link_still_swaps_the_link(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A"}, out)
    publish_tree({"a.ics": b"B"}, out.resolve())
    assert out.is_symlink() and _tree(out) == {"a.ics": b"B"}
    _check_generations(out)


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = publish_tree({"a.ics": b"A"}, out, dry_run=True)
    assert result.added == ("a.ics",)
    assert not out.exists() and not generations_dir(out).exists()
    publish_tree({"a.ics": b"A"}, out)
    result = publish_tree({"a.ics": b"B"}, out, dry_run=True)
    assert result.changed == ("a.ics",) and (out / "a.ics").read_bytes() == b"A"


def test_a_plain_directory_from_an_older_run_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "public"
    (out / "kinds").mkdir(parents=True)
    (out / "kinds" / "street.ics").write_bytes(b"old")
    (out / "calendar.ics").write_bytes(b"same")
    result = publish_tree({"calendar.ics": b"same", "kinds/study.ics": b"new"}, out)
    assert out.is_symlink()
    assert _tree(out) == {"calendar.ics": b"same", "kinds/study.ics": b"new"}
    assert result.removed == ("kinds/street.ics",) and result.unchanged == ("calendar.ics",)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".public.generations", ".public.lock", "public"]


def test_an_unchanged_plain_directory_stays_and_gets_one_spare(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "calendar.ics").write_bytes(b"same")
    result = publish_tree({"calendar.ics": b"same"}, out)
    assert not result.any_change and not out.is_symlink()
    spare = _generations(out)
    assert len(spare) == 1 and _tree(generations_dir(out) / spare[0]) == {"calendar.ics": b"same"}


@pytest.mark.parametrize("bad", ["../x.ics", "/etc/x", "a/../../b", "", "a//b", "a\\b"])
def test_paths_outside_the_tree_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        publish_tree({bad: b"x"}, tmp_path / "public")
    assert not (tmp_path / "public").exists()


def test_a_file_in_place_of_the_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / "public").write_text("not a folder")
    with pytest.raises(PublishRefused) as caught:
        publish_tree({"a.ics": b"A"}, tmp_path / "public")
    assert caught.value.code == "publish.not_a_tree"


def test_losing_more_than_half_the_events_is_refused_unless_forced() -> None:
    plan_vanish(10, 5)
    plan_vanish(0, 0)
    with pytest.raises(VanishRefused) as caught:
        plan_vanish(10, 4)
    assert caught.value.code == "publish.vanish"
    assert caught.value.params == {"previous": 10, "new": 4, "missing": 6}
    text = caught.value.message("ja")
    assert "--force" in text and "10件" in text and "6件" in text
    plan_vanish(10, 0, force=True)
    assert "--force" in VanishRefused(10, 0).message("en")


def test_the_manifest_names_the_shown_generation_and_the_hash_of_every_file(
    tmp_path: Path,
) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A", "dir/b.ics": b"B"}, out)
    manifest = json.loads(_manifest(out).read_bytes())
    assert manifest["generation"] == out.resolve().name
    assert manifest["sha256"] == {"a.ics": hashlib.sha256(b"A").hexdigest(),
                                  "dir/b.ics": hashlib.sha256(b"B").hexdigest()}
    assert not any("manifest" in p.name for p in out.resolve().rglob("*"))


@pytest.mark.parametrize("damage", ["missing", "garbled", "another generation", "wrong hashes"])
def test_a_manifest_that_cannot_be_trusted_falls_back_to_reading_the_tree(
    tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A", "same.ics": b"S", "gone.ics": b"G"}, out)
    before = _mtimes(out)
    manifest = _manifest(out)
    body = json.loads(manifest.read_bytes())
    if damage == "missing":
        manifest.unlink()
    elif damage == "garbled":
        manifest.write_bytes(manifest.read_bytes()[:20])
    else:
        # a kill between writing a new generation's manifest and the swap
        body["generation"] = "g-1-1" if damage == "another generation" else body["generation"]
        if damage == "another generation":
            body["sha256"] = {"a.ics": hashlib.sha256(b"A2").hexdigest()}
        manifest.write_text(json.dumps(body))
    if damage == "wrong hashes":  # only a manifest that names the generation is trusted
        result = publish_tree({"a.ics": b"A", "same.ics": b"S"}, out)
        assert result.removed == ("gone.ics",) and result.unchanged == ("a.ics", "same.ics")
        return
    result = publish_tree({"a.ics": b"A2", "same.ics": b"S", "new.ics": b"N"}, out)
    assert result.changed == ("a.ics",) and result.unchanged == ("same.ics",)
    assert result.added == ("new.ics",) and result.removed == ("gone.ics",)
    assert _mtimes(out)["same.ics"] == before["same.ics"]
    assert _tree(out) == {"a.ics": b"A2", "same.ics": b"S", "new.ics": b"N"}
    assert json.loads(_manifest(out).read_bytes())["generation"] == out.resolve().name
    _check_generations(out)


def test_an_unchanged_tree_from_an_older_version_is_not_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A", "d/b.ics": b"B"}, out)
    _manifest(out).unlink()
    before, link = _mtimes(out), os.readlink(out)
    result = publish_tree({"a.ics": b"A", "d/b.ics": b"B"}, out)
    assert not result.any_change and _mtimes(out) == before and os.readlink(out) == link
    _check_generations(out)  # the shown tree was read once, and its manifest written


def test_leftovers_of_a_killed_publish_go_without_following_links_out(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A"}, out)
    keep = tmp_path / "elsewhere"
    (keep / "inner").mkdir(parents=True)
    (keep / "inner" / "precious.txt").write_bytes(b"keep me")
    stray = generations_dir(out) / "g-1-1"
    (stray / "events" / "x").mkdir(parents=True)
    (stray / "events" / "x" / "event.ics").write_bytes(b"half")
    (stray / "events" / "linked").symlink_to(keep)
    (stray / "events" / "file-link").symlink_to(keep / "inner" / "precious.txt")
    publish_tree({"a.ics": b"B"}, out)
    assert "g-1-1" not in _generations(out)
    _check_generations(out)
    assert (keep / "inner" / "precious.txt").read_bytes() == b"keep me"


_PATHS = st.sampled_from(["calendar.ics", "kinds/street.ics", "kinds/study.ics", "feeds.json",
                          "events/a/event.ics", "events/a/qr.png", "members/t/calendar.ics",
                          "kinds", "events/a/qr.png/x"])


def _a_tree(files: dict[str, bytes]) -> bool:
    """No path is also the folder of another (a file cannot be a folder too)."""
    return not any(other.startswith(path + "/") for path in files for other in files)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.dictionaries(_PATHS, st.binary(max_size=40)).filter(_a_tree),
                          st.booleans()),
                min_size=1, max_size=5))
def test_the_tree_always_holds_exactly_the_last_published_files(
    trees: list[tuple[dict[str, bytes], bool]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "public"
        shown: dict[str, bytes] = {}
        for files, lose_manifest in trees:
            shown_manifest = manifest_path(out)
            if lose_manifest and shown_manifest is not None:
                # a tree from an older version: the same result by reading it
                shown_manifest.unlink(missing_ok=True)
            result = publish_tree(files, out)
            assert result.added == tuple(sorted(set(files) - set(shown)))
            assert result.removed == tuple(sorted(set(shown) - set(files)))
            assert result.changed == tuple(
                sorted(p for p in files if p in shown and shown[p] != files[p]))
            assert _tree(out) == files
            shown = files
            _check_generations(out)


def test_two_publishes_at_once_take_turns(tmp_path: Path) -> None:
    out = tmp_path / "public"
    errors: list[BaseException] = []

    def publisher(name: str) -> None:
        try:
            for n in range(15):
                publish_tree({f"{name}/{i}.ics": f"{name} {n}".encode() for i in range(20)}, out)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=publisher, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    tree = _tree(out)
    assert len({data for data in tree.values()}) == 1 and len(tree) == 20
    _check_generations(out)


_PUBLISHER = """
import sys
from pathlib import Path
from campaign_sheets.publish.publication import publish_tree
out = Path(sys.argv[1])
n = int(sys.argv[2])
print("ready", flush=True)
while True:
    n += 1
    files = {f"d{i % 5}/f{i}.ics": f"gen {n} file {i}".encode() * 20
             for i in range(30 + n % 4 * 15)}
    files["static.txt"] = b"same in every generation"
    files["count.txt"] = str(n).encode()
    publish_tree(files, out)
"""


def test_a_publish_killed_at_any_point_leaves_an_old_or_new_tree(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"static.txt": b"same in every generation", "count.txt": b"0"}, out)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    rng = random.Random(5545)
    for attempt in range(12):
        child = subprocess.Popen(
            [sys.executable, "-c", _PUBLISHER, str(out), str(attempt * 1000)],
            env=env, stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        child.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        tree = _tree(out)
        n = int(tree.pop("count.txt"))
        assert tree.pop("static.txt") == b"same in every generation"
        if n == 0:
            assert tree == {}
            continue
        expected = {f"d{i % 5}/f{i}.ics": f"gen {n} file {i}".encode() * 20
                    for i in range(30 + n % 4 * 15)}
        assert tree == expected, f"mixed tree after kill {attempt}"
    publish_tree({"static.txt": b"after"}, out)
    assert _tree(out) == {"static.txt": b"after"}
    _check_generations(out)
    assert [p.name for p in tmp_path.iterdir() if ".link-" in p.name] == []
    assert current_tree(out) is not None


def test_the_spare_generation_is_brought_up_to_date_instead_of_building_a_tree(
    tmp_path: Path,
) -> None:
    out = tmp_path / "public"
    files = {f"events/e{i}/index.html": f"event {i}".encode() for i in range(50)}
    names = []
    for n in range(4):
        files["calendar.ics"] = f"version {n}".encode()
        publish_tree(files, out)
        names.append(out.resolve().name)
        _check_generations(out)
    # two directories take turns: the third publish changed the first one's files
    assert names[0] == names[2] and names[1] == names[3] and names[0] != names[1]
    assert (out / "calendar.ics").read_bytes() == b"version 3"


def test_an_unchanged_file_keeps_its_inode_and_mtime_through_many_publishes(
    tmp_path: Path,
) -> None:
    out = tmp_path / "public"
    publish_tree({"static.ics": b"S", "moving.ics": b"0"}, out)
    first = _mtimes(out)["static.ics"]
    for n in range(1, 6):
        time.sleep(0.01)
        result = publish_tree({"static.ics": b"S", "moving.ics": str(n).encode()}, out)
        assert result.changed == ("moving.ics",)
        assert _mtimes(out)["static.ics"] == first


def test_a_file_kept_as_published_is_linked_without_its_bytes(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A", "b.ics": b"B"}, out)
    before = _mtimes(out)
    with open_publication(out) as publication:
        publication.keep("a.ics", publication.published["a.ics"])
        publication.add("b.ics", b"B2")
        result = publication.commit()
    assert result.unchanged == ("a.ics",) and result.changed == ("b.ics",)
    assert _tree(out) == {"a.ics": b"A", "b.ics": b"B2"}
    assert _mtimes(out)["a.ics"] == before["a.ics"]


def test_keeping_a_file_the_shown_tree_does_not_have_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A"}, out)
    with open_publication(out) as publication, pytest.raises(ValueError):
        publication.keep("a.ics", hashlib.sha256(b"other").hexdigest())
    _check_generations(out)


def test_a_file_removed_by_hand_from_the_shown_tree_comes_back(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A", "b.ics": b"B"}, out)
    (out / "a.ics").unlink()
    with open_publication(out) as publication:
        publication.keep("a.ics", publication.published["a.ics"])
        publication.add("b.ics", b"B2")
        publication.commit()
    assert _tree(out) == {"a.ics": b"A", "b.ics": b"B2"}  # from the spare
    # the tree that lost a file is never brought up to date as a spare
    for n in range(3):
        publish_tree({"a.ics": b"A", "b.ics": f"B{n + 3}".encode()}, out)
        assert _tree(out) == {"a.ics": b"A", "b.ics": f"B{n + 3}".encode()}
        _check_generations(out)


def test_a_file_gone_from_every_generation_stops_the_publish(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A", "b.ics": b"B"}, out)
    for generation in _generations(out):
        (generations_dir(out) / generation / "a.ics").unlink()
    with pytest.raises(PublishedFilesMissing) as caught, open_publication(out) as publication:
        publication.keep("a.ics", publication.published["a.ics"])
        publication.add("b.ics", b"B2")
        publication.commit()
    assert caught.value.paths == ("a.ics",) and caught.value.code == "publish.files_missing"
    assert _tree(out) == {"b.ics": b"B"}  # nothing new shown
    publish_tree({"a.ics": b"A", "b.ics": b"B2"}, out)  # with the bytes, all is well
    assert _tree(out) == {"a.ics": b"A", "b.ics": b"B2"}
    publish_tree({"a.ics": b"A", "b.ics": b"B3"}, out)
    assert _tree(out) == {"a.ics": b"A", "b.ics": b"B3"}
    _check_generations(out)


def test_a_build_that_fails_half_way_shows_nothing_new_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "public"
    publish_tree({"a.ics": b"A"}, out)
    publish_tree({"a.ics": b"B"}, out)  # now there is a spare
    with pytest.raises(RuntimeError), open_publication(out) as publication:
        publication.add("a.ics", b"C")
        raise RuntimeError("a template error")
    assert _tree(out) == {"a.ics": b"B"}
    assert _generations(out) == [out.resolve().name]  # the half-changed spare is gone
    publish_tree({"a.ics": b"D"}, out)
    assert _tree(out) == {"a.ics": b"D"}
    _check_generations(out)


def test_the_same_path_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError), open_publication(tmp_path / "public") as publication:
        publication.add("a.ics", b"A")
        publication.add("a.ics", b"A")
    assert not (tmp_path / "public").exists()
