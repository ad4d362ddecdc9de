"""CI runs every test on a machine with every system program the tests drive: ``.ci/run``
installs them (the Noto CJK fonts and fontconfig's ``fc-list`` among them) and sets
``CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1``, under which any skip fails the run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_ci_installs_the_fonts_and_every_program_the_readme_names() -> None:
    loop = re.search(r"for pkg in ([^;]+);", CI)
    assert loop is not None
    packages = set(loop.group(1).split())
    assert {"fonts-noto-cjk", "fontconfig", "chromium", "zbar-tools",
            "libreoffice-calc"} <= packages
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = re.search(r"`apt-get install ([^`]+)`", readme)
    assert named is not None and set(named.group(1).split()) <= packages


def test_ci_requires_the_system_before_it_runs_the_tests() -> None:
    assert CI.index("export CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1") < CI.index("-m pytest")


def test_under_require_system_any_skip_fails(tmp_path: Path) -> None:
    (tmp_path / "test_story.py").write_text(
        "import pytest\n\n"
        "def test_ran():\n    pass\n\n"
        "def test_skips():\n    pytest.skip('the printer is not here')\n\n"
        "@pytest.mark.skip(reason='not today')\ndef test_marked():\n    pass\n",
        encoding="utf-8")

    def run(require: bool) -> tuple[int, str]:
        env = {k: v for k, v in os.environ.items() if k != "CAMPAIGN_SHEETS_REQUIRE_SYSTEM"}
        env["PYTHONPATH"] = str(ROOT / "tests")  # the suite's conftest, as a plugin
        if require:
            env["CAMPAIGN_SHEETS_REQUIRE_SYSTEM"] = "1"
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "-p", "conftest", str(tmp_path)], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=300, check=False)
        return done.returncode, done.stdout

    code, laptop = run(require=False)
    assert code == 0 and "1 passed, 2 skipped" in laptop
    code, ci = run(require=True)
    # a skip in the test fails it; a skip mark, seen while setting up, errors it
    assert code == 1 and "1 failed, 1 passed, 1 error" in ci
    assert "skipped under CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1: the printer is not here" in ci
    assert "skipped under CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1: not today" in ci
