"""`campaign-sheets municipalities` as an organiser or a script runs it (SPEC §7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaign_sheets.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["municipalities", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_names_and_codes_resolve_to_the_spec_shape(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "杉並", "横浜市中区", "広島県府中市", "県", "13115",
                         "--prefecture", "東京都", "--format", "json")
    payload = json.loads(out)
    assert status == 0
    assert payload["problems"] == []
    first = payload["municipalities"][0]
    assert {k: first[k] for k in ("query", "code", "name", "prefecture", "kana")} == {
        "query": "杉並", "code": "131156", "name": "杉並区", "prefecture": "東京都",
        "kana": "すぎなみく",
    }
    assert [m["code"] for m in payload["municipalities"]] == [
        "131156", "141046", "342084", "130001", "131156"]


def test_an_ambiguous_name_exits_1_and_lists_the_candidates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "府中市", "--prefecture", "神奈川県", "--format", "json")
    payload = json.loads(out)
    assert status == 1
    assert payload["municipalities"] == []
    [problem] = payload["problems"]
    assert problem["query"] == "府中市"
    assert problem["code"] == "municipality.ambiguous"
    assert problem["candidates"] == ["132063", "342084"]
    assert "広島県府中市" in problem["message"]


def test_an_unknown_name_suggests_and_a_bad_check_digit_gives_the_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "大礒", "131157", "--prefecture", "14")
    assert status == 1
    assert "大礒" in err and "大磯町" in err
    assert "131156" in err  # the code with its right check digit


def test_without_queries_it_lists_the_home_prefecture_in_code_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "--prefecture", "神奈川県")
    lines = out.splitlines()
    assert status == 0
    assert len(lines) == 61  # 33 municipalities and 28 wards of Yokohama, Kawasaki, Sagamihara
    assert lines[0].split("\t")[:2] == ["141003", "神奈川県横浜市"]
    codes = [line.split("\t")[0] for line in lines]
    assert codes == sorted(codes)
    assert lines[-1].split("\t")[1] == "神奈川県清川村"


def test_the_configured_prefecture_is_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "campaign-sheets.toml"
    config.write_text('prefecture = "広島県"\n', encoding="utf-8")
    status, out, _ = run(capsys, "府中市", "--config", str(config), "--format", "json")
    assert status == 0
    assert json.loads(out)["municipalities"][0]["code"] == "342084"


def test_an_unknown_prefecture_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "campaign-sheets.toml"
    config.write_text('prefecture = "火星"\n', encoding="utf-8")
    status, _, err = run(capsys, "--config", str(config))
    assert status == 2
    assert "火星" in err


def test_no_prefecture_to_list_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "campaign-sheets.toml"
    config.write_text("", encoding="utf-8")
    status, _, err = run(capsys, "--config", str(config), "--lang", "en")
    assert status == 2
    assert "--prefecture" in err
