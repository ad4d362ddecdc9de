"""A newcomer follows the README word for word on a fresh machine: a fresh copy of the
project, a fresh venv, the Quick start's first command, then "Your own sheet" exactly as
written (no venv activated beforehand, ``~`` a new home folder). Every command must
succeed, and the council's own folder must end up with its workbook, its configuration
and a published tree."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What a fresh clone does not have: built and cached things of this checkout.
_NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "public", ".public.*", ".campaign-sheets-*", "__pycache__",
    "*.egg-info", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache", "dist",
    "build", "test-artifacts")


def readme_blocks(section: str) -> list[str]:
    """The ``sh`` code blocks of a README section, as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {section}\n")
    end = text.find("\n## ", start + 1)
    body = text[start:end if end != -1 else None]
    return re.findall(r"```sh\n(.*?)```", body, re.S)


def test_the_readme_holds_the_commands_this_test_runs() -> None:
    quick = readme_blocks("Quick start")
    assert quick[0].strip().startswith("python3 -m venv .venv")
    own = readme_blocks("Your own sheet")
    assert len(own) == 1 and "campaign-sheets init --xlsx" in own[0]


@pytest.mark.slow
def test_quick_start_then_your_own_sheet_work_as_written(tmp_path: Path) -> None:
    python = shutil.which("python3")
    assert python is not None
    clone = tmp_path / "campaign-sheets"
    shutil.copytree(ROOT, clone, ignore=_NOT_IN_A_CLONE, symlinks=True)
    home = tmp_path / "home"
    home.mkdir()
    script = "set -euo pipefail\n" + readme_blocks("Quick start")[0] + readme_blocks(
        "Your own sheet")[0]
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("VIRTUAL_ENV", "PYTHON", "CAMPAIGN_SHEETS_"))}
    # pip keeps this machine's settings and cache, though ~ is a new folder
    real_home = Path.home()
    if (real_home / ".config" / "pip" / "pip.conf").is_file():
        env.setdefault("PIP_CONFIG_FILE", str(real_home / ".config" / "pip" / "pip.conf"))
    env.setdefault("PIP_CACHE_DIR", str(real_home / ".cache" / "pip"))
    # a shell as a newcomer has it: no venv of ours on the PATH
    env.update(HOME=str(home), PATH=os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep)
        if p and Path(p).resolve() != Path(sys.executable).parent.resolve()))
    run = subprocess.run(["bash", "-c", script], cwd=clone, env=env, capture_output=True,
                         text=True, timeout=1500, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (clone / "public" / "calendar.ics").is_file()  # the Quick start's example
    own = home / "shahokyo"
    assert (own / "行動予定.xlsx").is_file()
    config = (own / "campaign-sheets.toml").read_text(encoding="utf-8")
    assert 'source = "行動予定.xlsx"' in config and "example.org" not in config
    published = own / "public"
    assert published.is_symlink() and (published / "calendar.ics").is_file()
    assert (published / "index.html").is_file()
    assert "見本のまま" not in run.stderr  # the starter configuration carries no example name
