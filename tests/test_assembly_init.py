"""A council starting its tracker gets the 請願, 審議 and 自治体 tabs from `init`, with
headers and the dropdowns organisers pick from (種別, 結果, 懇談状況, 公開 and, for
its home prefecture, every municipality), in a workbook and in a Google Sheet."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

import gsheet_support
from assembly_support import cli
from campaign_sheets.assembly.vocabulary import (
    classifications,
    meeting_statuses,
    outcomes,
)
from campaign_sheets.core.model import labels_for
from campaign_sheets.core.schema import map_headers, municipality_list_tab, tab_spec
from campaign_sheets.geo import dropdown_towns
from campaign_sheets.sources.gsheet import init_google_sheet
from sheets_emulator import SheetsEmulator

emulator = gsheet_support.emulator
client = gsheet_support.client
_KEYS = itertools.count(1)
TRACKER_TABS = ("請願", "審議", "自治体")
LIST = municipality_list_tab().name


def literal(labels: list[str]) -> str:
    return '"' + ",".join(labels) + '"'


def xlsx_rules(book: Any, tab: str) -> dict[str, str]:
    """Header → the list formula of its column's dropdown."""
    sheet = book[tab]
    headers = [c.value for c in sheet[1]]
    rules = {}
    for dv in sheet.data_validations.dataValidation:
        first = str(dv.sqref).split(":")[0]
        column = openpyxl.utils.cell.column_index_from_string(first.rstrip("0123456789"))
        assert str(dv.sqref) == f"{get_column_letter(column)}2:{get_column_letter(column)}1000"
        rules[headers[column - 1]] = str(dv.formula1)
    return rules


def test_init_makes_the_tracker_tabs_with_their_dropdowns(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    run = cli("init", "--xlsx", str(path), "--prefecture", "神奈川県")
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(path)
    for name in TRACKER_TABS:
        assert name in book.sheetnames
        spec = tab_spec({"請願": "petitions", "審議": "stages", "自治体": "coverage"}[name])
        header = [c.value for c in book[name][1]]
        assert map_headers(header, spec, 0).columns.keys() == {c.key for c in spec.columns}
        assert book[name].freeze_panes == "A2"
    names = book[LIST]
    assert names.sheet_state == "hidden"
    listed = [tuple(r) for r in names.iter_rows(min_row=2, values_only=True)]
    # the prefecture's own assembly first, then every municipality and ward, with codes
    assert listed == dropdown_towns("14")
    assert listed[0] == ("神奈川県", "140007") and ("横浜市中区", "141046") in listed
    towns = f"'{LIST}'!$A$2:$A${len(listed) + 1}"
    assert xlsx_rules(book, "請願") == {
        "自治体": towns, "種別": literal([t.label for t in classifications()]),
        "公開": literal(labels_for("visibility"))}
    assert xlsx_rules(book, "審議") == {"結果": literal([o.label for o in outcomes()])}
    assert xlsx_rules(book, "自治体") == {
        "自治体": towns, "懇談状況": literal([t.label for t in meeting_statuses()])}
    assert "不採択" in xlsx_rules(book, "審議")["結果"]


def test_the_new_workbooks_example_petition_passes_check(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    assert cli("init", "--xlsx", str(path), "--prefecture", "神奈川県").code == 0
    config = tmp_path / "campaign-sheets.toml"
    config.write_text(f'source = "{path.name}"\nprefecture = "神奈川県"\nfiscal_year = 2026\n',
                      encoding="utf-8")
    run = cli("check", "--config", str(config))
    assert run.code == 0, run.out + run.err
    book = openpyxl.load_workbook(path, read_only=True)
    assert len([r for r in book["請願"].iter_rows(min_row=2, values_only=True) if any(r)]) >= 1
    assert len([r for r in book["審議"].iter_rows(min_row=2, values_only=True) if any(r)]) >= 1


def test_without_a_home_prefecture_there_is_no_municipality_list(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    config = tmp_path / "campaign-sheets.toml"
    config.write_text("fiscal_year = 2026\n", encoding="utf-8")
    assert cli("init", "--xlsx", str(path), "--no-examples", "--config", str(config)).code == 0
    book = openpyxl.load_workbook(path)
    assert LIST not in book.sheetnames
    assert "自治体" not in xlsx_rules(book, "請願")
    assert set(xlsx_rules(book, "請願")) == {"種別", "公開"}


def test_a_google_sheet_gets_the_tracker_tabs_and_dropdowns(
    emulator: SheetsEmulator, client: Any
) -> None:
    key = f"tracker-{next(_KEYS):04d}-0123456789abcdefgh"
    emulator.add_spreadsheet(key, {"シート1": []})
    towns = [("神奈川県", "140007"), ("横浜市", "141003"), ("川崎市", "141305")]
    init_google_sheet(key, credentials=None, client=client, example_rows=False, towns=towns)
    town_range = f"='{LIST}'!$A$2:$A$4"
    book = emulator.spreadsheets[key]

    def rules(tab: str) -> dict[str, list[str]]:
        sheet = book.sheet(tab)
        assert sheet is not None and sheet.frozen_rows == 1
        header = emulator.values(key, tab)[0]
        return {header[v["range"]["startColumnIndex"]]: [
            c["userEnteredValue"] for c in v["rule"]["condition"]["values"]]
            for v in sheet.validations}

    assert emulator.values(key, LIST)[1:] == [["神奈川県", "140007"], ["横浜市", "141003"],
                                              ["川崎市", "141305"]]
    assert rules("請願") == {"自治体": [town_range],
                             "種別": [t.label for t in classifications()],
                             "公開": labels_for("visibility")}
    assert rules("審議") == {"結果": [o.label for o in outcomes()]}
    assert rules("自治体") == {"自治体": [town_range],
                               "懇談状況": [t.label for t in meeting_statuses()]}
    for tab in TRACKER_TABS:
        sheet = book.sheet(tab)
        assert sheet is not None
        assert all(v["rule"]["strict"] is False for v in sheet.validations)
        assert all(v["range"]["startRowIndex"] == 1 for v in sheet.validations)
