"""A real calendar client for the tests: vdirsyncer (http → filesystem) and khal.

Both come from PyPI; they are found on PATH, next to the running interpreter, or in
``CAMPAIGN_SHEETS_CLIENT_BIN`` (a ``bin`` folder of their own environment).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import require_program


def clients(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    extra = os.environ.get("CAMPAIGN_SHEETS_CLIENT_BIN")
    if extra:
        monkeypatch.setenv("PATH", extra + os.pathsep + os.environ.get("PATH", ""))
    hint = "pip install vdirsyncer khal in a separate venv and set CAMPAIGN_SHEETS_CLIENT_BIN"
    return require_program("vdirsyncer", hint), require_program("khal", hint)


def configs(tmp: Path, url: str) -> tuple[Path, Path, Path]:
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


def run(*cmd: str) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
