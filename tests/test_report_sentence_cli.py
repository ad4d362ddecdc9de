"""An organiser checks a report sentence from the command line: ``campaign-sheets parse``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from campaign_sheets.cli import main
from campaign_sheets.report import parse_report

CASES = Path(__file__).resolve().parent / "data" / "sentences"
EXAMPLE = (CASES / "synthetic-1-street-action.txt").read_text(encoding="utf-8").strip()


def test_json_is_the_spec_shape_in_readable_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", EXAMPLE, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "年金者組合" in out and "\\u" not in out
    assert out.startswith('{\n  "participants"')
    data = json.loads(out)
    assert set(data) == {"participants", "stated", "venue", "tallies", "stops", "warnings"}
    assert data == parse_report(EXAMPLE).to_json()
    assert data["stated"] == {"orgs": 4, "people": 11, "people_at_least": None}


def test_json_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "署名31筆"]) == 0
    assert json.loads(capsys.readouterr().out)["tallies"][0]["value"] == 31


def test_sentence_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (CASES / "synthetic-3-role-counts-and-unknown-orgs.txt").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert main(["parse", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["org"] for p in data["participants"]] == ["医療生協", "年金者組合", "商工会"]


def test_no_argument_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("会場28人、オンライン９カ所"))
    assert main(["parse"]) == 0
    assert json.loads(capsys.readouterr().out)["venue"] == {"people": 28, "online_sites": 9}


def test_text_summary_ends_with_the_sentence_written_back(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse", EXAMPLE, "--format", "text"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == EXAMPLE
    assert any("年金者組合" in line and "5人" in line and "支部役員" in line for line in lines)
    assert any("シール投票" in line and "反対45" in line for line in lines)


def test_warnings_are_printed_but_do_not_fail(capsys: pytest.CaptureFixture[str]) -> None:
    text = "年金者組合5人、医療生協3人の計2団体10人"
    assert main(["parse", text, "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "10人" in out and "8人" in out
    assert main(["parse", text, "--format", "json"]) == 0
    (warning,) = json.loads(capsys.readouterr().out)["warnings"]
    assert warning["code"] == "report.total_mismatch"
    assert warning["text"] == "計2団体10人" and "合いません" in warning["message"]


def test_english_warnings_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "年金者組合5人、天気は晴れ13:30", "--lang", "en"]) == 0
    (warning,) = json.loads(capsys.readouterr().out)["warnings"]
    assert warning["message"].startswith("Could not read '天気は晴れ13:30'")


@pytest.mark.parametrize("text", ["", "  \n"])
def test_no_text_is_a_usage_error(
    text: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert main(["parse", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "参加報告の文がありません" in captured.err
