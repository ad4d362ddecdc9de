"""A council keeps its folder in git (or syncs inside a checkout): after a sync, ``git
status`` shows nothing the sync made: the ``public`` link, the generations, the lock,
the state store and the rendering cache are all ignored by the project's .gitignore."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl

from campaign_sheets.cli import main
from conftest import require_program

ROOT = Path(__file__).resolve().parent.parent


def test_nothing_a_sync_leaves_shows_in_git_status(tmp_path: Path) -> None:
    git = require_program("git")
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    book = openpyxl.Workbook()
    book.active.title = "行動"
    book.active.append(["ID", "種別", "行動名", "日付"])
    book.active.append(["a-1", "宣伝行動", "駅前宣伝", "2026-12-04"])
    book.save(tmp_path / "行動予定.xlsx")
    (tmp_path / "campaign-sheets.toml").write_text(
        'source = "行動予定.xlsx"\nfiscal_year = 2026\nflyer_pdf = false\n', encoding="utf-8")
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    assert main(["sync", "--config", str(tmp_path / "campaign-sheets.toml"), "--quiet"]) == 0
    (tmp_path / ".sync.lock").touch()  # what the README's cron line leaves beside them
    assert (tmp_path / "public").is_symlink()
    status = subprocess.run(
        [git, "-C", str(tmp_path), "-c", "core.quotePath=false", "status", "--porcelain",
         "-uall"], check=True, capture_output=True, text=True).stdout
    shown = {line[3:] for line in status.splitlines()}
    assert shown == {".gitignore", "campaign-sheets.toml", "行動予定.xlsx"}
