"""The secretariat runs `campaign-sheets report` on the campaign workbook."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import openpyxl
import pytest

from campaign_sheets.cli import main

DATA = Path(__file__).resolve().parent / "data" / "rollup"
_spec = importlib.util.spec_from_file_location("make_workbook", DATA / "make_workbook.py")
assert _spec is not None and _spec.loader is not None
make_workbook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_workbook)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A configuration pointing at the autumn campaign workbook, fiscal year 2025."""
    make_workbook.write_workbook(DATA / "autumn.json", tmp_path / "autumn.xlsx")
    path = tmp_path / "campaign-sheets.toml"
    path.write_text('source = "autumn.xlsx"\nfiscal_year = 2025\n', encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_totals_by_organisation(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--config", str(config), "--by", "org", "--format", "csv")
    assert code == 0
    rows = _csv(out)
    assert rows[0][:4] == ["団体", "参加行動数", "人数", "人数不明の回"]
    # The command shows the members' view: the members-only rally counts, 非公開 never.
    assert [r[:4] for r in rows[1:]] == [
        ["年金者組合", "6", "12", "2"], ["医療生協", "5", "13", "1"],
        ["建設ユニオン", "2", "4", "0"], ["保険医協会", "2", "5", "0"],
        ["商工会", "1", "不明", "1"], ["医療生協会", "1", "1", "0"]]
    assert "医療生協会" in err and "org.unknown" in err
    assert "rollup.tab_overrides_report" in err


def test_totals_by_item_as_json(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "--config", str(config), "--by", "item", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    rows = payload["tables"]["by_item"]["rows"]
    totals = {(r["item"], r["unit"], r["option"]): r["total"] for r in rows}
    assert totals[("署名", "筆", "")] == 43
    assert totals[("シール投票", "", "反対")] == 45
    assert totals[("チラシ", "枚", "")] == 600 and totals[("チラシ", "個", "")] == 300
    assert totals[("相談", "件", "")] == 22
    assert payload["period"]["from"] == "2025-04-01"


def test_the_exact_sentence_for_one_action(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = _run(capsys, "--config", str(config), "--event", "e1")
    assert code == 0
    assert out == (
        "参加は、年金者組合5人（うち支部役員2人）、医療生協3人、建設ユニオン2人、保険医協会1人の計4団体11人。"
        "チラシ600枚、署名31筆、シール投票48（反対45、賛成3）でした。\n")


def test_a_period_in_any_date_form(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "--config", str(config), "--from", "2025年6月1日", "--to",
                           "R7.6.30", "--by", "action", "--format", "csv")
    assert code == 0
    rows = _csv(out)
    assert [r[0] for r in rows[1:]] == ["e2", "e3"]
    header = rows[0]
    e3 = dict(zip(header, rows[2], strict=True))
    assert e3["人数"] == "不明" and e3["人数不明の団体"] == "3"
    assert e3["報告の人数"] == "9" and e3["報告の団体数"] == "3"


def test_registrations_beside_attendance(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "--config", str(config), "--event", "e7", "--by", "action",
                           "--format", "csv")
    assert code == 0
    row = dict(zip(*_csv(out)[:2], strict=True))
    assert (row["申込人数"], row["人数"]) == ("5", "5")
    assert "山田" not in out and "example.org" not in out


def test_xlsx_opens_with_openpyxl(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "集計.xlsx"
    code, out, _err = _run(capsys, "--config", str(config), "--format", "xlsx", "-o", str(target))
    assert code == 0 and out == ""
    book = openpyxl.load_workbook(target)
    assert "団体別" in book.sheetnames
    assert book["団体別"]["A2"].value == "年金者組合"


def test_markdown_and_text(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, md, _err = _run(capsys, "--config", str(config), "--by", "month", "--format", "md")
    assert md.startswith("# 参加と成果の集計 2025年度\n")
    assert "| 2025-06 | 2 |" in md
    _code, text, _err = _run(capsys, "--config", str(config), "--by", "kind")
    assert text.splitlines()[0] == "種別"


def test_mistakes_in_the_command_line(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, "--config", str(config), "--event", "nope")
    assert code == 1 and "nope" in err
    code, _out, err = _run(capsys, "--config", str(config), "--format", "xlsx")
    assert code == 2 and "-o" in err
    code, _out, err = _run(capsys, "--config", str(config), "--from", "いつか")
    assert code == 2 and "いつか" in err
    code, _out, err = _run(capsys, "--config", str(config), "--from", "2025-09-01", "--to",
                           "2025-08-01")
    assert code == 2 and "--from" in err
    code, _out, err = _run(capsys, "--config", str(config), "--event", "e10")
    assert code == 0 and "e10" in err


def test_a_missing_workbook_is_exit_1_with_its_name_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "campaign-sheets.toml"
    path.write_text('source = "nowhere.xlsx"\n', encoding="utf-8")
    code, out, err = _run(capsys, "--config", str(path), "--format", "csv")
    assert code == 1
    assert out == ""
    assert err.startswith("campaign-sheets: ") and "nowhere.xlsx" in err
