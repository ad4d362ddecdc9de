"""A second build reuses the renderings of the first: the disk cache by content."""

from __future__ import annotations

from pathlib import Path

from campaign_sheets.cache import cached_on_disk


def test_a_rendering_is_made_once_and_read_back_from_disk(tmp_path: Path) -> None:
    made: list[str] = []

    def make() -> bytes:
        made.append("x")
        return b"%PDF flyer"

    folder = tmp_path / "cache"
    assert cached_on_disk(folder, "1\nflyer", ".pdf", make) == b"%PDF flyer"
    assert cached_on_disk(folder, "1\nflyer", ".pdf", make) == b"%PDF flyer"
    assert made == ["x"]
    assert [p.suffix for p in folder.iterdir()] == [".pdf"]


def test_another_key_is_another_rendering(tmp_path: Path) -> None:
    assert cached_on_disk(tmp_path, "a", ".svg", lambda: b"A") == b"A"
    assert cached_on_disk(tmp_path, "b", ".svg", lambda: b"B") == b"B"
    assert len(list(tmp_path.glob("*.svg"))) == 2


def test_a_cache_that_cannot_be_written_still_gives_the_rendering(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    assert cached_on_disk(blocker, "k", ".png", lambda: b"PNG") == b"PNG"
    assert blocker.read_text() == "a file where the cache folder should be"
