"""An organiser syncs from their Google Sheet instead of the workbook file: the same
files are published, a sync costs one or two requests to the Sheets API (emulated on
127.0.0.1, reached by real gspread and google-auth), and when Google fails nothing
that was published before changes."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import gsheet_support
from campaign_sheets.cli import main
from campaign_sheets.core.config import Config, load_config
from campaign_sheets.core.errors import SourceError
from campaign_sheets.core.values import CellValue, RawTable, WriteBack
from campaign_sheets.sources.gsheet import GoogleSheetSource, RetryPolicy, init_google_sheet
from campaign_sheets.sources.tables import trim_rows
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sync import SyncResult, _same_rows, run_sync
from sheets_emulator import (
    CellError,
    SheetsEmulator,
    serial,
    service_account_info,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kanagawa.xlsx"
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
TOKEN_ENV = "CAMPAIGN_SHEETS_MEMBERS_TOKEN"
_KEYS = itertools.count(1)


emulator = gsheet_support.emulator
client = gsheet_support.client


@pytest.fixture(autouse=True)
def members_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a token the members' tree is built too, so it is compared as well."""
    monkeypatch.setenv(TOKEN_ENV, "members-token-0123456789")


@pytest.fixture(scope="module")
def renderings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of flyer and QR renderings for every sync here: a sync keeps them by
    content beside its state store, so sharing them only saves rendering time."""
    return tmp_path_factory.mktemp("renderings")


@pytest.fixture
def fresh(emulator: SheetsEmulator) -> Iterator[SheetsEmulator]:
    emulator.faults.clear()
    yield emulator
    emulator.faults.clear()
    emulator.always = None


# -- helpers -----------------------------------------------------------------------


@cache
def example_tables() -> dict[str, RawTable]:
    """The example workbook's tabs as the workbook source reads them."""
    return XlsxSource(EXAMPLE).read_tables()


def as_google(value: CellValue) -> Any:
    """A cell as Google Sheets holds it: dates, date-times and times as serial numbers
    (days since 1899-12-30, times as fractions of a day); text and numbers as they are."""
    if isinstance(value, date | time):
        return serial(value)
    return value


def example_sheet(emulator: SheetsEmulator) -> str:
    """A new spreadsheet holding the example workbook's tabs; its key."""
    key = f"example-{next(_KEYS):04d}-0123456789abcdef"
    tabs = {name: [[as_google(v) for v in row] for row in table.rows]
            for name, table in example_tables().items()}
    emulator.add_spreadsheet(key, tabs)
    return key


def config_for(folder: Path, source: str, renderings: Path | None = None) -> Config:
    """The bundled example configuration, writing into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if renderings is not None:
        (folder / ".campaign-sheets-cache").symlink_to(renderings, target_is_directory=True)
    base = load_config(ROOT / "config" / "campaign.toml")
    return base.with_overrides(source=source, out=folder / "public",
                               state=folder / "state.sqlite", write_back=True)


def sheet_source(client: Any, key: str, folder: Path, **kwargs: Any) -> GoogleSheetSource:
    """A new source for the sheet, as a new process would open it (names cached in
    ``folder`` beside the state store, as commands/common.py places them)."""
    return GoogleSheetSource.from_client(f"gsheet:{key}", client, email="sync@x.org",
                                         cache_path=folder / "state.sqlite.sheets.json", **kwargs)


def sync(config: Config, source: Any, **kwargs: Any) -> SyncResult:
    return run_sync(config, source, now=NOW, today=TODAY, **kwargs)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def kinds_since(emulator: SheetsEmulator, mark: int) -> list[str]:
    return [r.kind for r in emulator.requests()[mark:]]


def grid(rows: Any) -> list[list[CellValue]]:
    """Rows with blank cells as ``None``, trailing blanks dropped, for comparison."""
    return [[None if v == "" else v for v in row] for row in trim_rows(rows)]


# -- the same files from the sheet as from the workbook ------------------------------


def test_a_sync_from_the_google_sheet_publishes_the_same_files_as_from_the_workbook(
    emulator: SheetsEmulator, client: Any, tmp_path: Path, renderings: Path
) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copyfile(EXAMPLE, book)
    from_book = sync(config_for(tmp_path / "xlsx", str(book), renderings), XlsxSource(book))
    key = example_sheet(emulator)
    from_sheet = sync(config_for(tmp_path / "gsheet", f"gsheet:{key}", renderings),
                      sheet_source(client, key, tmp_path / "gsheet"))

    files, expected = tree(tmp_path / "gsheet" / "public"), tree(tmp_path / "xlsx" / "public")
    assert files.keys() == expected.keys()
    assert [p for p in files if files[p] != expected[p]] == []
    # Every kind of feed is among them, the members' tree included.
    assert "calendar.ics" in files
    for folder in ("kinds/", "orgs/", "series/", "regions/", "members/"):
        assert any(p.startswith(folder) and p.endswith(".ics") for p in files), folder
    assert sum(1 for p in files if p.startswith("events/") and p.endswith("/event.ics")) >= 10

    assert from_sheet.events == from_book.events > 0
    assert [p.code for p in from_sheet.problems] == [p.code for p in from_book.problems]
    assert from_sheet.write is not None and from_book.write is not None
    assert from_sheet.write.written == from_book.write.written
    assert len(from_sheet.write.written) == 2  # the example's two rows without an ID
    # The 集計 tab holds the same rows in the sheet as in the workbook.
    in_book = XlsxSource(book).read_tables()["集計"].rows
    assert grid(emulator.values(key, "集計")) == grid(in_book)
    assert len(grid(in_book)) > 10


def test_the_sync_command_reads_the_sheet_in_one_request_once_it_knows_the_tabs(
    emulator: SheetsEmulator, tmp_path: Path, renderings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``campaign-sheets sync --source gsheet:<key>`` exactly as an organiser runs it:
    a key file with Google's token address, and HTTPS to Google's hosts. The emulator
    is the HTTPS proxy of the environment and a made-up authority is trusted through
    REQUESTS_CA_BUNDLE, so no code path exists only for tests."""
    key = example_sheet(emulator)
    ca = emulator.serve_https_proxy(tmp_path)
    key_file = tmp_path / "service-account.json"
    info = service_account_info("https://oauth2.googleapis.com/token", email="cli@x.org")
    key_file.write_text(json.dumps(info), encoding="utf-8")
    (tmp_path / ".campaign-sheets-cache").symlink_to(renderings, target_is_directory=True)
    config_file = tmp_path / "campaign-sheets.toml"
    text = (ROOT / "config" / "campaign.toml").read_text(encoding="utf-8")
    text = text.replace('"../examples/kanagawa.xlsx"', '"unused.xlsx"').replace(
        "FORM_ID", "1FAIpQLSe4kR9vT2mWq8xZ3nB6cY1dF5gH7jK0lP2sA9uE3rI6oT8w")
    config_file.write_text(text, encoding="utf-8")
    for name in ("HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, emulator.base_url)
    for name in ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    argv = ["sync", "--config", str(config_file), "--source", f"gsheet:{key}",
            "--out", str(tmp_path / "public"), "--quiet"]

    mark, log_mark = len(emulator.requests()), len(emulator.log)
    assert main(argv) == 0
    assert kinds_since(emulator, mark) == ["get", "batchGet", "values.batchUpdate"]
    tunnels = [(r.path, r.status) for r in emulator.log[log_mark:] if r.kind == "connect"]
    assert ("sheets.googleapis.com:443", 200) in tunnels
    assert ("oauth2.googleapis.com:443", 200) in tunnels  # the key file's own token address
    assert emulator.token_emails[-1] == "cli@x.org"
    assert (tmp_path / "public" / "calendar.ics").is_file()
    events = emulator.values(key, "行動")
    assert all(row[0] for row in events[1:] if row)  # both blank IDs were filled in

    # The next run (a new process in cron) finds the tab names beside the state store.
    mark = len(emulator.requests())
    assert main(argv) == 0
    assert kinds_since(emulator, mark) == ["batchGet"]
    assert (tmp_path / ".campaign-sheets-state.sqlite.sheets.json").is_file()


# -- the request budget ---------------------------------------------------------------


def test_the_first_sync_of_a_sheet_made_by_init_is_one_read_and_one_write(
    emulator: SheetsEmulator, client: Any, tmp_path: Path, renderings: Path
) -> None:
    key = f"init-{next(_KEYS):04d}-0123456789abcdef"
    emulator.add_spreadsheet(key, {"シート1": []})
    init_google_sheet(key, credentials=None, client=client)
    events = emulator.spreadsheets[key].sheet("行動")
    assert events is not None
    for row in range(1, len(events.rows)):  # the organiser gives every example row an ID
        if events.rows[row] and events.get(row, 0) is None:
            events.put(row, 0, f"hand-made-{row}")
    config = config_for(tmp_path, f"gsheet:{key}", renderings)

    mark = len(emulator.requests())
    first = sync(config, sheet_source(client, key, tmp_path))
    # Tab names and every cell in one spreadsheets.get, then the 集計 tab in one write.
    assert kinds_since(emulator, mark) == ["get", "values.batchUpdate"]
    assert first.events > 0 and first.ids_assigned == 0
    assert first.write is not None and first.write.rollup_written

    mark = len(emulator.requests())
    second = sync(config, sheet_source(client, key, tmp_path))
    assert kinds_since(emulator, mark) == ["batchGet"]
    assert second.write is not None and not second.write.rollup_written


def test_a_steady_state_sync_is_exactly_one_batchget_and_no_write(
    emulator: SheetsEmulator, client: Any, tmp_path: Path, renderings: Path
) -> None:
    key = example_sheet(emulator)
    config = config_for(tmp_path, f"gsheet:{key}", renderings)
    sync(config, sheet_source(client, key, tmp_path))
    published = tree(tmp_path / "public")
    # A fresh process, the name cache on disk.
    mark = len(emulator.requests())
    result = sync(config, sheet_source(client, key, tmp_path))
    assert kinds_since(emulator, mark) == ["batchGet"]
    assert result.write is not None
    assert result.write.written == () and not result.write.rollup_written
    assert tree(tmp_path / "public") == published


def test_blank_ids_cost_a_reread_and_one_raw_write_and_a_typed_id_wins(
    emulator: SheetsEmulator, client: Any, tmp_path: Path, renderings: Path
) -> None:
    key = example_sheet(emulator)
    events = emulator.spreadsheets[key].sheet("行動")
    assert events is not None
    blank_rows = [r + 1 for r, row in enumerate(events.rows) if row and events.get(r, 0) is None
                  and any(v is not None for v in row)]
    assert len(blank_rows) == 2
    typed_row, tool_row = blank_rows

    def person_types_an_id(stage: str) -> None:
        # Between the sync's read and its write-back, someone types an ID by hand.
        if stage == "write back":
            events.put(typed_row - 1, 0, "typed-by-hand")

    mark = len(emulator.requests())
    config = config_for(tmp_path, f"gsheet:{key}", renderings)
    result = sync(config, sheet_source(client, key, tmp_path), progress=person_types_an_id)
    assert kinds_since(emulator, mark) == ["get", "batchGet", "values.batchUpdate"]
    reread, write = emulator.requests()[mark + 1:]
    assert reread.params["ranges"] == [f"'行動'!A{typed_row}:A{tool_row}"]
    assert write.body["valueInputOption"] == "RAW"
    ranges = [d["range"] for d in write.body["data"]]
    assert ranges == [f"'行動'!A{tool_row}", "'集計'!A1"]
    assert result.write is not None
    assert [w.row for w in result.write.skipped] == [typed_row]
    assert [w.row for w in result.write.written] == [tool_row]
    assert events.get(typed_row - 1, 0) == "typed-by-hand"
    assert events.get(tool_row - 1, 0) == result.write.written[0].value


def test_a_tab_added_later_is_found_when_the_learned_names_are_a_day_old(
    emulator: SheetsEmulator, client: Any, tmp_path: Path
) -> None:
    key = f"aged-{next(_KEYS):04d}-0123456789abcdef"
    emulator.add_spreadsheet(key, {"行動": [["ID", "行動名"], ["a", "宣伝"]]})
    sheet_source(client, key, tmp_path).read_tables()
    # The organiser adds a tab.
    emulator.add_spreadsheet(key, {"行動": [["ID", "行動名"], ["a", "宣伝"]],
                                   "団体": [["団体名"], ["協会"]]})
    # Within the day the cached names are used: the new tab is not read yet.
    assert list(sheet_source(client, key, tmp_path).read_tables()) == ["行動"]
    cache_file = tmp_path / "state.sqlite.sheets.json"
    cached = json.loads(cache_file.read_text(encoding="utf-8"))
    cached[key]["learned_at"] -= 86400 + 60
    cache_file.write_text(json.dumps(cached), encoding="utf-8")
    mark = len(emulator.requests())
    tables = sheet_source(client, key, tmp_path).read_tables()
    assert kinds_since(emulator, mark) == ["get"]  # names and cells, still one request
    assert list(tables) == ["行動", "団体"]


# -- a failed read publishes nothing ---------------------------------------------------


@pytest.mark.parametrize("failure", ["endless 503", "not shared (403)"])
def test_a_failed_read_leaves_the_last_good_output_as_it_was(
    fresh: SheetsEmulator, client: Any, tmp_path: Path, renderings: Path, failure: str
) -> None:
    key = example_sheet(fresh)
    config = config_for(tmp_path, f"gsheet:{key}", renderings)
    sync(config, sheet_source(client, key, tmp_path))
    published, state = tree(tmp_path / "public"), config.state.read_bytes()
    assert published

    # The sheet changes, then Google fails: the change must not reach subscribers.
    events = fresh.spreadsheets[key].sheet("行動")
    assert events is not None
    events.put(1, 2, "変更された行動名")
    if failure == "endless 503":
        fresh.fail_next(503, count=1000, message="The service is currently unavailable.",
                        status_text="UNAVAILABLE")
    else:
        fresh.spreadsheets[key].shared = False
    retry = RetryPolicy(base_delay=0.01, max_delay=0.02, total=1.0)
    mark = len(fresh.requests())
    with pytest.raises(SourceError):
        sync(config, sheet_source(client, key, tmp_path, retry=retry))
    sent = fresh.requests()[mark:]
    assert [r.kind for r in sent] == ["batchGet"] * len(sent)  # no write was attempted
    assert len(sent) == (4 if failure == "endless 503" else 1)
    assert tree(tmp_path / "public") == published
    assert config.state.read_bytes() == state


# -- the two ways of reading agree ----------------------------------------------------

cells = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=8),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.sampled_from([CellError("DIVIDE_BY_ZERO"), CellError("N_A"), CellError("REF")]),
)
sheets = st.lists(st.lists(cells, max_size=6), max_size=6)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=sheets, other=sheets)
def test_the_first_read_and_a_later_read_return_the_same_tables(
    emulator: SheetsEmulator, client: Any, rows: list[list[Any]], other: list[list[Any]]
) -> None:
    """The first read (names and cells in one spreadsheets.get) gives exactly what a
    later values:batchGet gives, so a first sync and a steady one load the same rows."""
    key = f"agree-{next(_KEYS):05d}-0123456789abcdef"
    emulator.add_spreadsheet(key, {"行動": rows, "メモ": other})
    source = GoogleSheetSource.from_client(f"gsheet:{key}", client)
    mark = len(emulator.requests())
    first = source.read_tables()
    later = source.read_tables()
    assert kinds_since(emulator, mark) == ["get", "batchGet"]
    assert first == later
    assert all(type(a) is type(b) for name in first
               for r1, r2 in zip(first[name].rows, later[name].rows, strict=True)
               for a, b in zip(r1, r2, strict=True))


rollup_cells = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=8),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.integers(min_value=-1000, max_value=1000).map(float),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(rollup_cells, max_size=5), max_size=6))
@example(rows=[["計", 2.0, "  "], [None, 3]])  # a float, a trailing blank text
def test_a_rollup_read_back_compares_equal_so_the_next_sync_writes_nothing(
    emulator: SheetsEmulator, client: Any, rows: list[list[CellValue]]
) -> None:
    key = f"rollup-{next(_KEYS):05d}-0123456789abcdef"
    emulator.add_spreadsheet(key, {"行動": [["ID"]], "集計": [["古い"]]})
    writer = GoogleSheetSource.from_client(f"gsheet:{key}", client)
    writer.read_tables()
    writer.write_back(WriteBack(rollup=rows))
    reader = GoogleSheetSource.from_client(f"gsheet:{key}", client)
    for _ in range(2):  # the first read (grid data), then a batchGet
        assert _same_rows(reader.read_tables()["集計"].rows, rows)
