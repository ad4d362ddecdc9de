"""Shared test helpers.

Tests that need a system program (chromium, zbarimg, libreoffice, vdirsyncer, khal)
call :func:`require_program`, and those that need a system font :func:`require_font`:
on a laptop without it they skip with a reason; with ``CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1``
(set by ``.ci/run``) a missing program or font fails, and so does any other skip: CI
passes only when every test ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REQUIRE_SYSTEM = os.environ.get("CAMPAIGN_SHEETS_REQUIRE_SYSTEM") == "1"


def require_program(name: str, hint: str = "") -> str:
    """The path of program ``name``; skip (or fail in CI) when it is missing.

    Programs installed in the running interpreter's environment are found too.
    """
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found:
        return found
    reason = f"needs the program '{name}'" + (f" ({hint})" if hint else "")
    if REQUIRE_SYSTEM:
        pytest.fail(reason + " but CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1", pytrace=False)
    pytest.skip(reason)


def require_font(family: str, hint: str) -> None:
    """Skip (or fail in CI) unless fontconfig knows the font ``family``.

    PDF flyers are laid out with the fonts fontconfig offers: without the Japanese one
    another font is used and the bytes differ from run to run, so those tests cannot
    say anything true about the flyer.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is not None:
        listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True,
                                check=False, timeout=60).stdout
        if family in listed:
            return
    reason = f"needs the font '{family}' ({hint})"
    if REQUIRE_SYSTEM:
        pytest.fail(reason + " but CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Under ``CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1`` a skipped test is a failed one: a test
    that skips for a reason nobody foresaw must not pass CI unseen."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if REQUIRE_SYSTEM and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        reason = str(reason).removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"skipped under CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1: {reason}"
    return None


@pytest.fixture
def data_dir() -> Path:
    """``tests/data``."""
    return DATA
