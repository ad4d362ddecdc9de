"""An organiser fills a new (or half-made) Google Sheet with `init --sheet`: every tab,
header, dropdown and frozen header row, in two writes, without touching their data."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

import gsheet_support
from campaign_sheets.core.model import kinds, labels_for
from campaign_sheets.core.schema import find_header_row, map_headers, tab_specs
from campaign_sheets.sources.gsheet import GoogleSheetSource, InitResult, init_google_sheet
from sheets_emulator import SheetsEmulator, serial

_KEYS = itertools.count(1)


emulator = gsheet_support.emulator
client = gsheet_support.client


def new_key(emulator: SheetsEmulator, tabs: dict[str, list[list[Any]]]) -> str:
    key = f"init-{next(_KEYS):04d}-0123456789abcdefgh"
    emulator.add_spreadsheet(key, tabs)
    return key


def test_a_blank_google_sheet_gets_every_tab_in_two_writes(
    emulator: SheetsEmulator, client: Any
) -> None:
    key = new_key(emulator, {"シート1": []})
    mark = len(emulator.requests())
    result = init_google_sheet(key, credentials=None, client=client)
    # No tab of the layout yet, so no top rows to read: one look, two writes.
    assert [r.kind for r in emulator.requests()[mark:]] == [
        "get", "batchUpdate", "values.batchUpdate"]
    book = emulator.spreadsheets[key]
    assert [s.title for s in book.sheets] == ["シート1", *(t.name for t in tab_specs())]
    assert result.added_tabs == tuple(t.name for t in tab_specs())
    assert result.example_rows > 0
    for spec in tab_specs():
        sheet = book.sheet(spec.name)
        assert sheet is not None
        if spec.owned:
            assert sheet.protected and sheet.protected[0]["warningOnly"] is True
            continue
        assert sheet.frozen_rows == 1
        header = emulator.values(key, spec.name)[0]
        assert map_headers(header, spec, 0).columns.keys() == {c.key for c in spec.columns}
    assert "タブを作りました" in result.summary("ja") and "Added these tabs" in result.summary("en")


def test_dropdowns_offer_kinds_statuses_visibilities_and_the_org_list(
    emulator: SheetsEmulator, client: Any
) -> None:
    key = new_key(emulator, {})
    init_google_sheet(f"gsheet:{key}", credentials=None, client=client, example_rows=False)
    events = emulator.spreadsheets[key].sheet("行動")
    assert events is not None
    header = emulator.values(key, "行動")[0]
    rules = {header[v["range"]["startColumnIndex"]]: v["rule"] for v in events.validations}
    def listed(name: str) -> list[str]:
        return [v["userEnteredValue"] for v in rules[name]["condition"]["values"]]
    assert listed("種別") == [k.label for k in kinds()]
    assert listed("状態") == labels_for("status")
    assert listed("公開") == labels_for("visibility")
    assert listed("主催") == ["='団体'!$A$2:$A$200"]
    assert all(rule["strict"] is False for rule in rules.values())
    assert all(v["range"]["startRowIndex"] == 1 for v in events.validations)
    assert emulator.values(key, "行動")[1:] == []


def test_the_municipality_columns_list_a_hidden_tab_of_the_home_prefecture(
    emulator: SheetsEmulator, client: Any
) -> None:
    key = new_key(emulator, {})
    towns = [("横浜市", "141003"), ("横浜市鶴見区", "141011"), ("大磯町", "143413")]
    result = init_google_sheet(key, credentials=None, client=client, towns=towns)
    book = emulator.spreadsheets[key]
    listing = book.sheet("自治体リスト")
    assert listing is not None and listing.hidden
    assert "自治体リスト" in result.added_tabs
    assert emulator.values(key, "自治体リスト") == [
        ["自治体", "コード"], ["横浜市", "141003"], ["横浜市鶴見区", "141011"],
        ["大磯町", "143413"]]
    for tab in ("行程", "参加", "成果"):
        sheet = book.sheet(tab)
        assert sheet is not None
        header = emulator.values(key, tab)[0]
        rules = {header[v["range"]["startColumnIndex"]]: v["rule"] for v in sheet.validations}
        condition = rules["自治体"]["condition"]
        assert condition == {"type": "ONE_OF_RANGE",
                             "values": [{"userEnteredValue": "='自治体リスト'!$A$2:$A$4"}]}
    # a second run finds the list and adds nothing
    again = init_google_sheet(key, credentials=None, client=client, towns=towns)
    assert not again.changed


def test_examples_are_typed_like_a_person_so_dates_become_date_cells(
    emulator: SheetsEmulator, client: Any
) -> None:
    key = new_key(emulator, {})
    init_google_sheet(key, credentials=None, client=client)
    assert emulator.requests("values.batchUpdate")[-1].body["valueInputOption"] == "USER_ENTERED"
    source = GoogleSheetSource.from_client(key, client)
    tables = source.read_tables()
    events = tables["行動"].rows
    cols = map_headers(events[0], next(t for t in tab_specs() if t.key == "events"), 0).columns
    assert events[1][cols["title"]] == "駅頭宣伝（見本）"
    assert events[1][cols["date"]] == serial(date(2026, 12, 4))  # a date cell, read as a serial
    assert events[2][cols["date"]] == "12月7日（月）"  # a form Sheets does not know stays text
    assert events[2][cols["start"]] == pytest.approx(18.5 / 24)


def test_running_it_again_changes_nothing(emulator: SheetsEmulator, client: Any) -> None:
    key = new_key(emulator, {})
    init_google_sheet(key, credentials=None, client=client)
    before = {s.title: emulator.values(key, s.title) for s in emulator.spreadsheets[key].sheets}
    mark = len(emulator.requests())
    result = init_google_sheet(key, credentials=None, client=client)
    assert not result.changed
    assert [r.kind for r in emulator.requests()[mark:]] == ["get", "batchGet"]
    after = {s.title: emulator.values(key, s.title) for s in emulator.spreadsheets[key].sheets}
    assert after == before
    assert "何も変えていません" in result.summary()


def test_a_half_made_sheet_gets_only_the_missing_tabs_and_headers(
    emulator: SheetsEmulator, client: Any
) -> None:
    mine = [["県社保協 行動予定"], ["行動名", "日付", "メモ"], ["宣伝", "12/4", "私のメモ"]]
    orgs = [["団体名"], ["協会"]]
    key = new_key(emulator, {"行動": mine, "団体": orgs, "集計": [["古い"]]})
    result = init_google_sheet(key, credentials=None, client=client)
    rows = emulator.values(key, "行動")
    assert rows[0] == ["県社保協 行動予定"] and rows[2] == ["宣伝", "12/4", "私のメモ"]
    spec = next(t for t in tab_specs() if t.key == "events")
    at = find_header_row(rows, spec)
    assert at == 1 and rows[1][:3] == ["行動名", "日付", "メモ"]
    assert map_headers(rows[1], spec, 1).columns.keys() == {c.key for c in spec.columns}
    assert emulator.values(key, "団体")[1] == ["協会"]
    assert "行動" in result.added_headers and "行動" not in result.added_tabs
    assert "参加" in result.added_tabs and "団体" not in result.added_tabs
    book = emulator.spreadsheets[key]
    events, rollup = book.sheet("行動"), book.sheet("集計")
    assert events is not None and rollup is not None
    assert events.frozen_rows == 2
    assert rollup.protected and emulator.values(key, "集計") == [["古い"]]
    # Dropdowns only on the columns init added, below the existing header row.
    assert events.validations and all(
        v["range"]["startRowIndex"] == 2 and v["range"]["startColumnIndex"] >= 3
        for v in events.validations
    )


def test_a_sheet_not_shared_fails_before_writing(
    emulator: SheetsEmulator, client: Any
) -> None:
    key = f"init-private-{next(_KEYS):04d}-0123456789"
    emulator.add_spreadsheet(key, {}, shared=False)
    with pytest.raises(Exception, match="共有"):
        init_google_sheet(key, credentials=None, client=client)


def test_the_summary_lists_what_was_added() -> None:
    result = InitResult("k" * 30, ("行動", "参加"), {"団体": ("略称",)}, 3)
    text = result.summary("ja")
    assert "行動、参加" in text and "団体: 略称" in text and "3行" in text
    assert result.url == f"https://docs.google.com/spreadsheets/d/{'k' * 30}/edit"
