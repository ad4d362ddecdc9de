"""`campaign-sheets check` as an organiser runs it: text and JSON, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaign_sheets.cli import main

MISTAKES = Path(__file__).parent / "data" / "mistakes"


def write_config(folder: Path, source: Path, fiscal_year: int | None = 2026) -> Path:
    lines = [f'source = "{source}"']
    if fiscal_year:
        lines.append(f"fiscal_year = {fiscal_year}")
    path = folder / "campaign-sheets.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_check_json_has_the_spec_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, MISTAKES / "weekday-disagrees-with-date.xlsx")
    status = main(["check", "--config", str(config), "--format", "json"])
    payload = json.loads(capsys.readouterr().out)
    assert status == 0  # weekday mismatches are warnings
    first = payload["problems"][0]
    assert set(first) == {"sheet", "cell", "row", "column", "severity", "code", "message"}
    assert first == {
        "sheet": "行動", "cell": "D2", "row": 2, "column": "日付", "severity": "warning",
        "code": "date.weekday_mismatch", "message": first["message"],
    }
    assert "月曜日" in first["message"]


def test_check_exits_1_on_errors_and_names_each_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, MISTAKES / "date-unreadable.xlsx")
    status = main(["check", "--config", str(config)])
    out = capsys.readouterr()
    assert status == 1
    for cell in ("行動!D2", "行動!D3", "行動!D4"):
        assert cell in out.out
    assert "エラー 3件" in out.err


def test_check_speaks_english_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, MISTAKES / "kind-unknown.xlsx")
    main(["check", "--config", str(config), "--lang", "en"])
    out = capsys.readouterr().out
    assert "Unknown kind 'デモ行進'" in out
    assert ": error:" in out


def test_source_option_overrides_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, MISTAKES / "kind-unknown.xlsx")
    status = main(["check", "--config", str(config), "--source",
                   str(MISTAKES / "fullwidth-and-era-forms-are-fine.xlsx"), "--format", "json"])
    assert status == 0
    assert json.loads(capsys.readouterr().out) == {"problems": []}


def test_a_missing_workbook_is_reported_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, tmp_path / "nowhere.xlsx")
    status = main(["check", "--config", str(config)])
    assert status == 1
    assert "nowhere.xlsx" in capsys.readouterr().err


def test_an_unknown_config_key_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.toml"
    path.write_text('sorce = "x.xlsx"\n', encoding="utf-8")
    assert main(["check", "--config", str(path)]) == 2
    assert "「sorce」" in capsys.readouterr().err  # told in Japanese, the default language
