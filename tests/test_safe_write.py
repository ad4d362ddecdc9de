"""A workbook written by init is whole or absent: never half a file, never a stray temp."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from campaign_sheets.sources.safe_write import synced_temp_file
from campaign_sheets.sources.xlsx_init import write_new_workbook


def test_a_new_workbook_is_shared_readable_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "schedule.xlsx"
    write_new_workbook(path, b"PK workbook bytes")
    assert path.read_bytes() == b"PK workbook bytes"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schedule.xlsx"]


def test_an_existing_workbook_is_kept_unless_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "schedule.xlsx"
    path.write_bytes(b"the organiser's data")
    with pytest.raises(FileExistsError):
        write_new_workbook(path, b"new")
    assert path.read_bytes() == b"the organiser's data"
    write_new_workbook(path, b"new", overwrite=True)
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schedule.xlsx"]


def test_a_write_that_fails_halfway_leaves_nothing_behind(tmp_path: Path) -> None:
    def half(handle: object) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"), synced_temp_file(tmp_path, half, 0o644):
        pass
    assert list(tmp_path.iterdir()) == []


def test_the_temporary_file_is_gone_when_not_moved_away(tmp_path: Path) -> None:
    with synced_temp_file(tmp_path, lambda h: h.write(b"x"), 0o600) as temp:
        assert temp.parent == tmp_path and temp.read_bytes() == b"x"
        assert stat.S_IMODE(os.stat(temp).st_mode) == 0o600
    assert not temp.exists()
