"""A secretariat starts a new schedule with `campaign-sheets init --xlsx`, and the
bundled example workbook shows a council's autumn.

The workbook must open in Excel and LibreOffice with every tab and header, a
frozen bold header row, dropdowns, and example rows that pass `check`.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from campaign_sheets.commands import init as init_command
from campaign_sheets.core.config import Config, load_config
from campaign_sheets.core.model import kinds, labels_for
from campaign_sheets.core.problems import Severity
from campaign_sheets.core.resources import bundled_config
from campaign_sheets.core.schema import tab_spec, tab_specs
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sources.xlsx_init import load_example_rows, new_workbook_bytes
from campaign_sheets.validate import check_workbook
from conftest import ROOT, require_program

EXAMPLE = ROOT / "examples" / "kanagawa.xlsx"
WEEKDAYS = "月火水木金土日"


def run_init(*argv: str) -> int:
    """``campaign-sheets init ARGV`` through the command's own parser."""
    parser = argparse.ArgumentParser(prog="campaign-sheets")
    init_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["init", *argv])
    return int(args.run(args))


def bundled() -> Config:
    """The bundled configuration (fiscal year 2026), as `check` uses it."""
    return load_config(bundled_config(), bundled=True)


def test_init_makes_a_workbook_with_every_tab_and_header(tmp_path: Path) -> None:
    path = tmp_path / "予定.xlsx"
    assert run_init("--xlsx", str(path)) == 0
    wb = load_workbook(path)
    # the bundled configuration's prefecture gives the hidden list of its municipalities
    assert wb.sheetnames == [*(spec.name for spec in tab_specs()), "自治体リスト"]
    for spec in tab_specs():
        ws = wb[spec.name]
        if spec.owned:
            continue
        headers = [c.value for c in ws[1]]
        assert headers[: len(spec.columns)] == [c.header for c in spec.columns]
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        for index, column in enumerate(spec.columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            assert ws.column_dimensions[letter].width >= column.width


def test_dropdowns_offer_kinds_statuses_visibilities_and_the_org_list() -> None:
    wb = load_workbook(io.BytesIO(new_workbook_bytes()))
    letters = {c.key: get_column_letter(i) for i, c in enumerate(tab_spec("events").columns, 1)}
    events = {str(dv.sqref): dv for dv in wb["行動"].data_validations.dataValidation}
    assert len(events) == 4

    def rule(key: str) -> str:
        return str(events[f"{letters[key]}2:{letters[key]}1000"].formula1)

    assert rule("kind") == '"' + ",".join(k.label for k in kinds()) + '"'
    assert rule("status") == '"' + ",".join(labels_for("status")) + '"'
    assert rule("visibility") == '"' + ",".join(labels_for("visibility")) + '"'
    assert rule("organizer") == "'団体'!$A$2:$A$200"
    participation = wb["参加"].data_validations.dataValidation
    assert [(dv.formula1, str(dv.sqref)) for dv in participation] == [
        ("'団体'!$A$2:$A$200", "B2:B1000")
    ]
    assert all(dv.type == "list" and dv.errorStyle == "warning" for dv in events.values())


def test_the_example_rows_show_a_street_action_a_course_and_a_members_meeting() -> None:
    tables = read_bytes(new_workbook_bytes())
    events = tables["行動"]
    kinds_typed = [row[1] for row in events[1:]]
    assert kinds_typed == ["宣伝行動", "講座", "事務局会議", "キャラバン"]
    visibility = [c.key for c in tab_spec("events").columns].index("visibility")
    assert events[3][visibility] == "会員"
    assert [row[2] for row in tables["行程"][1:]] == ["寒川町", "大磯町"]
    assert len(tables["団体"]) >= 4


def test_the_municipality_columns_offer_the_home_prefectures_municipalities(
    tmp_path: Path,
) -> None:
    path = tmp_path / "予定.xlsx"
    assert run_init("--xlsx", str(path), "--prefecture", "東京都") == 0
    wb = load_workbook(path)
    listing = wb["自治体リスト"]
    assert listing.sheet_state == "hidden"
    names = [row[0] for row in listing.iter_rows(min_row=2, values_only=True)]
    assert names[:3] == ["千代田区", "中央区", "港区"] and "八王子市" in names
    assert listing["B2"].value == "131016"
    for tab in ("行程", "参加", "成果"):
        spec = next(s for s in tab_specs() if s.name == tab)
        letter = get_column_letter([c.key for c in spec.columns].index("municipality") + 1)
        rules = {str(dv.sqref): dv for dv in wb[tab].data_validations.dataValidation}
        rule = rules[f"{letter}2:{letter}1000"]
        assert rule.formula1 == f"'自治体リスト'!$A$2:$A${len(names) + 1}"
        assert rule.errorStyle == "warning"


def test_without_a_prefecture_there_is_no_municipality_list() -> None:
    wb = load_workbook(io.BytesIO(new_workbook_bytes()))
    assert "自治体リスト" not in wb.sheetnames
    assert wb["行程"].data_validations.dataValidation == []


def test_no_examples_leaves_only_the_headers(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    assert run_init("--xlsx", str(path), "--no-examples") == 0
    tables = XlsxSource(path).read_tables()
    assert all(len(t.rows) == 1 for name, t in tables.items() if name != "自治体リスト")


def test_init_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "予定.xlsx"
    path.write_bytes(b"precious")
    assert run_init("--xlsx", str(path)) == 2
    assert path.read_bytes() == b"precious"
    assert "--force" in capsys.readouterr().err
    assert run_init("--xlsx", str(path), "--force") == 0
    assert load_workbook(path).sheetnames[0] == "行動"


@pytest.mark.parametrize("name", ["予定.csv", "no-such-folder/予定.xlsx"])
def test_init_says_why_it_cannot_make_the_file(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_init("--xlsx", str(tmp_path / name)) == 2
    err = capsys.readouterr().err
    assert "予定" in err and ("xlsx" in err or "フォルダー" in err)
    assert not list(tmp_path.rglob("*.xlsx"))


def test_xlsx_and_sheet_are_one_or_the_other(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        run_init("--xlsx", str(tmp_path / "a.xlsx"), "--sheet", "gsheet:abc")
    assert exited.value.code == 2


def test_the_command_line_runs_init(tmp_path: Path) -> None:
    from campaign_sheets.cli import main

    assert main(["init", "--xlsx", str(tmp_path / "予定.xlsx")]) == 0
    assert (tmp_path / "予定.xlsx").exists()


def test_a_google_sheet_that_cannot_be_reached_is_exit_1_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing-key.json"))
    assert run_init("--sheet", "gsheet:0123456789abcdefghij", "--lang", "en") == 1
    err = capsys.readouterr().err
    assert "missing-key.json" in err and "service-account" in err


def test_a_new_workbook_passes_check_with_no_error(tmp_path: Path) -> None:
    path = tmp_path / "予定.xlsx"
    assert run_init("--xlsx", str(path)) == 0
    problems = check_workbook(XlsxSource(path).read_tables(), bundled())
    assert [p for p in problems if p.severity is Severity.ERROR] == []


def test_the_example_workbook_passes_check_with_no_problem() -> None:
    problems = check_workbook(XlsxSource(EXAMPLE).read_tables(), bundled())
    assert [(p.location, p.code) for p in problems] == []


def test_the_committed_example_is_what_make_example_writes(tmp_path: Path) -> None:
    out = tmp_path / "kanagawa.xlsx"
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "make_example.py"), str(out)],
        check=True, capture_output=True, env={"PYTHONPATH": str(ROOT / "src")},
    )
    assert out.read_bytes() == EXAMPLE.read_bytes()


def test_example_weekdays_in_brackets_are_the_true_ones() -> None:
    text = (resources.files("campaign_sheets") / "data" / "example.toml").read_text("utf-8")
    found = 0
    for section in tomllib.loads(text).values():
        for row in section.get("events", []):
            match = re.fullmatch(r"(\d+)(?:月|/)(\d+)日?[（(](.)[）)]", str(row.get("date", "")))
            if match:
                month, day, weekday = int(match[1]), int(match[2]), match[3]
                year = 2026 if month >= 4 else 2027
                assert WEEKDAYS[date(year, month, day).weekday()] == weekday, row["date"]
                found += 1
    assert found >= 4


def test_the_example_covers_what_a_council_does() -> None:
    rows = load_example_rows("kanagawa")
    events = rows["events"]
    by = lambda key: [e.get(key) for e in events]  # noqa: E731
    assert {"中止", "延期", "終了"} <= set(by("status"))
    assert {"会員", "非公開"} <= set(by("visibility"))
    assert "毎月4のつく日" in by("repeat") and any(by("except"))
    assert sum(1 for e in events if not e.get("id")) == 2
    assert sum(1 for e in events if e.get("series") == "社会保障講座") == 4
    assert any(e.get("online") for e in events if e["kind"] == "集会")
    assert any(e.get("contact") for e in events if e.get("visibility") == "会員")
    assert len(rows["orgs"]) >= 10 and all(o.get("key", "").isascii() for o in rows["orgs"])
    assert rows["participation"] and rows["results"] and any(by("report"))
    assert all("example.org" in r["メールアドレス"] for r in rows["registrations"])


@pytest.mark.system
def test_the_workbook_opens_in_libreoffice(tmp_path: Path) -> None:
    office = require_program("libreoffice")
    path = tmp_path / "予定.xlsx"
    assert run_init("--xlsx", str(path)) == 0
    subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    pdf = tmp_path / "予定.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


cells = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), min_size=1,
            max_size=10).filter(str.strip),
    st.integers(min_value=0, max_value=10**6),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.fixed_dictionaries({}, optional={
    "org": cells, "people": cells, "breakdown": cells, "note": cells, "event": cells,
}), min_size=1, max_size=5))
def test_rows_written_into_a_new_workbook_read_back_in_their_columns(
    rows: list[dict[str, Any]],
) -> None:
    tables = read_bytes(new_workbook_bytes(rows={"participation": rows}))
    spec = tab_spec("participation")
    position = {c.key: i for i, c in enumerate(spec.columns)}
    read = tables["参加"][1:]
    for written, got in zip(rows, read + [[]] * len(rows), strict=False):
        for key, value in written.items():
            assert got[position[key]] == value


def read_bytes(data: bytes) -> dict[str, list[list[Any]]]:
    """Read workbook bytes through the real source, via a temporary file."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        path.write_bytes(data)
        tables = XlsxSource(path).read_tables()
        return {name: [list(r) for r in t.rows] for name, t in tables.items()}
