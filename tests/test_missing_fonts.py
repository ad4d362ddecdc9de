"""On a laptop without the Noto CJK fonts the PDF flyer tests are skipped with a reason,
as the README promises for every missing system package, and in CI
(``CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1``) they fail instead of passing on a wrong font.

The PDF tests are run in a child pytest whose fontconfig knows no font at all."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _run_pdf_tests(tmp_path: Path, require: bool) -> subprocess.CompletedProcess[str]:
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(f"<?xml version='1.0'?><fontconfig><cachedir>{tmp_path}/cache</cachedir>"
                     "</fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    env.pop("CAMPAIGN_SHEETS_REQUIRE_SYSTEM", None)
    if require:
        env["CAMPAIGN_SHEETS_REQUIRE_SYSTEM"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         str(HERE / "test_pages_pdf.py")],
        capture_output=True, text=True, env=env, cwd=HERE.parent, timeout=600, check=False)


@pytest.fixture(autouse=True)
def weasyprint() -> None:
    if importlib.util.find_spec("weasyprint") is None:
        pytest.skip("the PDF tests skip on the missing pdf extra before any font is looked at")


@pytest.mark.slow
def test_without_the_fonts_the_pdf_tests_skip_with_the_reason(tmp_path: Path) -> None:
    run = _run_pdf_tests(tmp_path, require=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "needs the font 'Noto Sans CJK JP'" in run.stdout
    assert " failed" not in run.stdout and "skipped" in run.stdout


@pytest.mark.slow
def test_in_ci_a_missing_font_fails_the_pdf_tests(tmp_path: Path) -> None:
    run = _run_pdf_tests(tmp_path, require=True)
    assert run.returncode == 1, run.stdout
    assert "CAMPAIGN_SHEETS_REQUIRE_SYSTEM=1" in run.stdout
