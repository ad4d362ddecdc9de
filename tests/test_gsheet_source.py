"""An organiser's Google Sheet as the source: real gspread and google-auth over HTTP to
the Sheets API emulator on 127.0.0.1, counting every request the way the quota does."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gsheet_support
from campaign_sheets.core.errors import SourceError
from campaign_sheets.core.values import CellValue, CellWrite, WriteBack
from campaign_sheets.sources import open_source
from campaign_sheets.sources.gsheet import (
    GoogleSheetSource,
    credentials_path,
    spreadsheet_key,
)
from gsheet_support import comparable_rows
from sheets_emulator import Formula, SheetsEmulator, serial, service_account_info

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab"
EVENTS: list[list[Any]] = [
    ["ID", "種別", "行動名", "日付", "時間"],
    ["2026-1204-street", "宣伝行動", "４のつく日宣伝", date(2026, 12, 4), "12:00～13:00"],
    ["", "講座", "社会保障講座", date(2026, 12, 7), time(18, 30)],
    [],
    [None, "集会", "県民大集会", datetime(2027, 1, 16, 13, 30)],
]
ORGS = [["団体名", "略称"], ["神奈川県保険医協会", "協会"]]
_KEYS = itertools.count(1)


emulator = gsheet_support.emulator
client = gsheet_support.client


def fresh_key() -> str:
    return f"{KEY}{next(_KEYS)}"


def make(emulator: SheetsEmulator, client: Any, tabs: dict[str, list[list[Any]]],
         **kwargs: Any) -> tuple[GoogleSheetSource, str]:
    key = fresh_key()
    emulator.add_spreadsheet(key, tabs)
    source = GoogleSheetSource.from_client(f"gsheet:{key}", client, email="sync@x.org", **kwargs)
    return source, key


def kinds_since(emulator: SheetsEmulator, mark: int) -> list[str]:
    return [r.kind for r in emulator.requests()[mark:]]


def test_first_sync_learns_the_tab_names_and_reads_every_tab_in_one_request(
    emulator: SheetsEmulator, client: Any, tmp_path: Path
) -> None:
    cache = tmp_path / "gsheet-tabs.json"
    source, key = make(emulator, client, {"行動": EVENTS, "団体": ORGS, "メモ": []},
                       cache_path=cache)
    mark = len(emulator.requests())
    tables = source.read_tables()
    # Names and cells together: one spreadsheets.get whose field mask names the grid data.
    assert kinds_since(emulator, mark) == ["get"]
    assert "rowData(values(effectiveValue))" in emulator.requests()[mark].params["fields"][0]
    assert list(tables) == ["行動", "団体", "メモ"]
    assert tables["メモ"].rows == []

    # The next sync (a new process) finds the names on disk: exactly one batchGet.
    again = GoogleSheetSource.from_client(f"gsheet:{key}", client, cache_path=cache)
    mark = len(emulator.requests())
    assert again.read_tables() == tables
    assert kinds_since(emulator, mark) == ["batchGet"]
    batch = emulator.requests()[mark]
    assert batch.params["ranges"] == ["'行動'", "'団体'", "'メモ'"]
    assert batch.params["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert batch.params["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    assert json.loads(cache.read_text(encoding="utf-8"))[key]["titles"] == ["行動", "団体", "メモ"]


def test_dates_stay_serial_numbers_and_rows_stay_ragged(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, _ = make(emulator, client, {"行動": EVENTS})
    rows = source.read_tables()["行動"].rows
    assert rows[1] == ["2026-1204-street", "宣伝行動", "４のつく日宣伝", serial(date(2026, 12, 4)),
                       "12:00～13:00"]
    assert rows[2][3] == 46363 and rows[2][4] == pytest.approx(18.5 / 24)
    assert rows[3] == []
    assert rows[4][0] in ("", None)
    assert rows[4][3] == pytest.approx(serial(datetime(2027, 1, 16, 13, 30)))
    assert len(rows) == 5


def test_a_renamed_tab_makes_the_sync_learn_the_names_again_once(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, key = make(emulator, client, {"行動": EVENTS, "団体": ORGS})
    source.read_tables()
    sheet = emulator.spreadsheets[key].sheet("団体")
    assert sheet is not None
    sheet.title = "団体一覧"
    mark = len(emulator.requests())
    tables = source.read_tables()
    assert kinds_since(emulator, mark) == ["batchGet", "get"]
    assert [r.status for r in emulator.requests()[mark:]] == [400, 200]
    assert list(tables) == ["行動", "団体一覧"]


def test_a_tab_name_with_a_quote_is_quoted(emulator: SheetsEmulator, client: Any) -> None:
    source, _ = make(emulator, client, {"行動": EVENTS, "Bob's notes": [["x"]]})
    source.read_tables()  # learns the names
    assert source.read_tables()["Bob's notes"].rows == [["x"]]
    assert emulator.requests()[-1].params["ranges"][-1] == "'Bob''s notes'"


def test_blank_ids_are_written_raw_in_one_request_and_nothing_else_changes(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, key = make(emulator, client, {"行動": EVENTS, "団体": ORGS})
    before = source.read_tables()
    mark = len(emulator.requests())
    writes = (CellWrite("行動", 3, 0, "2026-1207-course"), CellWrite("行動", 5, 0, "=HYPERLINK(1)"))
    result = source.write_back(WriteBack(cells=writes))
    assert result.written == writes
    # One re-read of the ID cells (a person's value wins), then one RAW write.
    assert kinds_since(emulator, mark) == ["batchGet", "values.batchUpdate"]
    write = emulator.requests()[-1]
    assert write.body["valueInputOption"] == "RAW"
    assert [d["range"] for d in write.body["data"]] == ["'行動'!A3", "'行動'!A5"]
    assert emulator.values(key, "行動")[4][0] == "=HYPERLINK(1)"  # text, not a live formula
    after = source.read_tables()
    assert after["団体"] == before["団体"]
    assert [r[1:] for r in after["行動"].rows] == [r[1:] for r in before["行動"].rows]


def test_user_entered_would_have_made_a_formula(emulator: SheetsEmulator, client: Any) -> None:
    """The emulator tells RAW from USER_ENTERED, so the RAW check above can fail."""
    key = fresh_key()
    emulator.add_spreadsheet(key, {"t": []})
    client.http_client.values_batch_update(key, {"valueInputOption": "USER_ENTERED", "data": [
        {"range": "'t'!A1", "values": [["=1+1", "007", "TRUE"]]}]})
    assert emulator.values(key, "t") == [[Formula("=1+1"), 7, True]]


def test_an_id_a_person_types_between_read_and_write_wins(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, key = make(emulator, client, {"行動": EVENTS})
    source.read_tables()
    sheet = emulator.spreadsheets[key].sheet("行動")
    assert sheet is not None
    sheet.put(2, 0, "typed-by-hand")  # row 3, after the read
    mine = CellWrite("行動", 3, 0, "tool-id")
    other = CellWrite("行動", 5, 0, "tool-id-2")
    result = source.write_back(WriteBack(cells=(mine, other)))
    assert result.skipped == (mine,) and result.written == (other,)
    assert emulator.values(key, "行動")[2][0] == "typed-by-hand"
    assert emulator.values(key, "行動")[4][0] == "tool-id-2"


def test_an_id_already_there_at_the_read_costs_no_request(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, _ = make(emulator, client, {"行動": EVENTS})
    source.read_tables()
    mark = len(emulator.requests())
    taken = CellWrite("行動", 2, 0, "tool-id")
    assert source.write_back(WriteBack(cells=(taken,))).skipped == (taken,)
    assert kinds_since(emulator, mark) == []


def test_rollup_is_replaced_and_blanked_beyond_the_new_data_in_the_same_write(
    emulator: SheetsEmulator, client: Any
) -> None:
    old = [["古い", "集計", "表"]] * 5
    source, key = make(emulator, client, {"行動": EVENTS, "集計": old})
    source.read_tables()
    mark = len(emulator.requests())
    new: list[list[CellValue]] = [["団体", "回数", "日"], ["協会", 3, date(2026, 12, 7)]]
    result = source.write_back(WriteBack(cells=(CellWrite("行動", 3, 0, "x1"),), rollup=new))
    assert result.rollup_written
    assert kinds_since(emulator, mark) == ["batchGet", "values.batchUpdate"]
    assert emulator.values(key, "集計") == [["団体", "回数", "日"], ["協会", 3, "2026-12-07"]]


def test_rollup_tab_is_created_once_then_only_rewritten(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, key = make(emulator, client, {"行動": EVENTS})
    source.read_tables()
    mark = len(emulator.requests())
    source.write_back(WriteBack(rollup=[["計", 1]]))
    assert kinds_since(emulator, mark) == ["batchUpdate", "values.batchUpdate"]
    assert emulator.requests()[mark].body == {"requests": [{"addSheet": {"properties": {
        "title": "集計"}}}]}
    mark = len(emulator.requests())
    source.write_back(WriteBack(rollup=[["計", 2]]))
    assert kinds_since(emulator, mark) == ["values.batchUpdate"]
    assert [s.title for s in emulator.spreadsheets[key].sheets] == ["行動", "集計"]


def test_steady_state_sync_is_one_read_and_no_write_when_nothing_changed(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, _ = make(emulator, client, {"行動": EVENTS, "集計": [["計", 2]]})
    source.read_tables()
    mark = len(emulator.requests())
    source.read_tables()
    result = source.write_back(WriteBack(rollup=[["計", 2.0]]))
    assert not result.rollup_written
    assert kinds_since(emulator, mark) == ["batchGet"]
    assert source.write_back(WriteBack()).details["requests"] == 0


def test_rollup_not_read_in_this_process_is_cleared_first(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, key = make(emulator, client, {"行動": EVENTS, "集計": [["a", "b", "c"]] * 4})
    source.write_back(WriteBack(rollup=[["計", 1]]))
    assert kinds_since(emulator, len(emulator.requests()) - 3) == [
        "get", "batchClear", "values.batchUpdate"]
    assert emulator.values(key, "集計") == [["計", 1]]


def test_a_write_into_a_vanished_tab_is_refused_before_anything_is_sent(
    emulator: SheetsEmulator, client: Any
) -> None:
    source, _ = make(emulator, client, {"行動": EVENTS})
    source.read_tables()
    mark = len(emulator.requests())
    with pytest.raises(SourceError, match="消えたタブ"):
        source.write_back(WriteBack(cells=(CellWrite("消えたタブ", 2, 0, "x"),)))
    assert "values.batchUpdate" not in kinds_since(emulator, mark)


def test_a_damaged_name_cache_is_ignored(
    emulator: SheetsEmulator, client: Any, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.json"
    cache.write_text("{not json", encoding="utf-8")
    source, _ = make(emulator, client, {"行動": EVENTS}, cache_path=cache)
    assert list(source.read_tables()) == ["行動"]
    assert json.loads(cache.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("spec", "key"), [
    ("gsheet:1AbCdEfGhIjKlMnOpQrStUvWxYz0123", "1AbCdEfGhIjKlMnOpQrStUvWxYz0123"),
    ("https://docs.google.com/spreadsheets/d/1AbC-dEf_GhIjKlMnOpQrStUv/edit#gid=0",
     "1AbC-dEf_GhIjKlMnOpQrStUv"),
    ("gsheet:https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrSt/",
     "1AbCdEfGhIjKlMnOpQrSt"),
])
def test_the_key_is_taken_from_a_url_or_gsheet_spec(spec: str, key: str) -> None:
    assert spreadsheet_key(spec) == key


def test_a_spec_without_a_key_says_what_to_give() -> None:
    with pytest.raises(SourceError, match="gsheet:<キー>"):
        spreadsheet_key("gsheet:abc")


def test_a_missing_key_file_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    missing = tmp_path / "nope.json"
    with pytest.raises(SourceError) as err:
        GoogleSheetSource.from_spec(f"gsheet:{KEY}", credentials=missing)
    assert str(missing) in str(err.value) and "鍵を追加" in str(err.value)
    assert "GOOGLE_APPLICATION_CREDENTIALS" in str(err.value)


def test_the_key_file_comes_from_the_environment_then_gspreads_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "env.json"))
    assert credentials_path(tmp_path / "arg.json") == tmp_path / "arg.json"
    assert credentials_path(None) == tmp_path / "env.json"
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")
    assert credentials_path(None).parts[-2:] == ("gspread", "service_account.json")


@pytest.mark.parametrize("content", ["{not json", '{"type": "authorized_user"}',
                                     '{"type": "service_account", "private_key": "x"}'])
def test_an_invalid_key_file_is_named(tmp_path: Path, content: str) -> None:
    path = tmp_path / "key.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match="サービスアカウントの鍵として読めません"):
        GoogleSheetSource.from_spec(f"gsheet:{KEY}", credentials=path)


def test_open_source_reads_a_sheet_through_a_proxy_from_the_environment(
    emulator: SheetsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Production sessions keep trust_env: HTTP(S)_PROXY reach both the token and the
    Sheets requests (the emulator plays the proxy and refuses the HTTPS tunnel)."""
    path = tmp_path / "key.json"
    info = service_account_info("http://oauth.example.invalid/token", email="proxy@x.org")
    path.write_text(json.dumps(info), encoding="utf-8")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, emulator.base_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    source = open_source(f"gsheet:{KEY}", credentials=path, cache_path=tmp_path / "tabs.json")
    assert isinstance(source, GoogleSheetSource) and source.cache_path == tmp_path / "tabs.json"
    mark = len(emulator.log)
    with pytest.raises(SourceError, match="接続できませんでした"):
        source.read_tables()
    seen = [(r.kind, r.path) for r in emulator.log[mark:]]
    assert ("token", "/token") in seen
    assert ("connect", "sheets.googleapis.com:443") in seen
    assert emulator.token_emails[-1] == "proxy@x.org"


def test_no_proxy_sends_a_host_around_the_proxy(
    emulator: SheetsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "key.json"
    info = service_account_info(emulator.base_url + "/token", email="direct@x.org")
    path.write_text(json.dumps(info), encoding="utf-8")
    # The proxy points nowhere: only a request that bypasses it can reach the token URL.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,sheets.googleapis.com")
    monkeypatch.setenv("no_proxy", "127.0.0.1,sheets.googleapis.com")
    source = GoogleSheetSource.from_spec(f"gsheet:{KEY}", credentials=path, timeout=(0.5, 0.5))
    mark = len(emulator.log)
    with pytest.raises(SourceError):
        source.read_tables()
    assert ("token", "/token") in [(r.kind, r.path) for r in emulator.log[mark:]]
    assert emulator.token_emails[-1] == "direct@x.org"


rollup_cells = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=8),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.booleans(),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.lists(st.lists(rollup_cells, max_size=5), max_size=5),
       new=st.lists(st.lists(rollup_cells, max_size=5), max_size=5))
def test_any_rollup_round_trips_exactly_as_written(
    emulator: SheetsEmulator, client: Any, old: list[list[CellValue]], new: list[list[CellValue]]
) -> None:
    source, _ = make(emulator, client, {"行動": EVENTS, "集計": old})
    source.read_tables()
    source.write_back(WriteBack(rollup=new))
    read = source.read_tables()["集計"].rows
    expected = [[_as_raw(v) for v in row] for row in new]
    assert comparable_rows(read) == comparable_rows(expected)


def _as_raw(value: CellValue) -> CellValue:
    return value.isoformat() if isinstance(value, date) else value


@given(key=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                   min_size=20, max_size=60))
def test_any_key_comes_back_from_its_url_and_its_gsheet_spec(key: str) -> None:
    assert spreadsheet_key(f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0") == key
    assert spreadsheet_key(f"gsheet:{key}") == key


tab_titles = st.lists(
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
            min_size=1, max_size=10).filter(lambda t: t.strip() == t and t != ""),
    min_size=1, max_size=4, unique=True,
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=tab_titles)
def test_any_tab_name_is_quoted_so_the_api_reads_it_back(
    emulator: SheetsEmulator, client: Any, titles: list[str]
) -> None:
    # With the 行動 tab the learned names are trusted, so the second read names every
    # tab in a range.
    tabs: dict[str, list[list[Any]]] = {"行動": [["行動"]]} | {t: [[t]] for t in titles}
    source, _ = make(emulator, client, tabs)
    source.read_tables()
    tables = source.read_tables()
    assert emulator.requests()[-1].kind == "batchGet"
    assert list(tables) == list(tabs)
    assert all(tables[t].rows == [[t]] for t in tabs)
