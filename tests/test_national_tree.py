"""A national body publishes one tree over four prefectural councils' sheets: three
workbooks and a Google Sheet (real gspread over HTTP to the emulator). On the second
sync the Google Sheet answers 403 (its sharing was withdrawn): the tree still
publishes, Chiba's events stay exactly as they were, the problem names Chiba, and
nothing is written back to it; the other councils' edits go out as usual."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

import gsheet_support
import national_support as ns
from campaign_sheets.cli import main
from campaign_sheets.core.config import load_config
from campaign_sheets.national import councils_of
from campaign_sheets.sources.gsheet import GoogleSheetSource
from campaign_sheets.sources.xlsx import XlsxSource
from campaign_sheets.sync import SyncResult, run_sync
from sheets_emulator import SheetsEmulator
from sync_support import column, set_cell

emulator = gsheet_support.emulator
client = gsheet_support.client
KEY = "chiba-council-0123456789abcdef"


@pytest.fixture
def chiba(emulator: SheetsEmulator) -> Iterator[SheetsEmulator]:
    emulator.faults.clear()
    emulator.add_spreadsheet(KEY, ns.CHIBA)
    yield emulator
    emulator.spreadsheets.pop(KEY, None)


def sources(config_path: Path, client: Any) -> list[tuple[Any, Any]]:
    """Each council with its sheet, as ``sync`` opens them (the Google Sheet through the
    emulated client)."""
    config = load_config(config_path)
    pairs = []
    for council in councils_of(config):
        if council.source.source.startswith("gsheet:"):
            source: Any = GoogleSheetSource.from_client(
                council.source.source, client, email="sync@x.org",
                cache_path=config_path.parent / "state.sqlite.12.sheets.json")
        else:
            source = XlsxSource(Path(council.source.source))
        pairs.append((council, source))
    return pairs


def sync(config_path: Path, client: Any, now: Any = ns.NOW) -> SyncResult:
    return run_sync(load_config(config_path), sources(config_path, client), now=now,
                    today=now.date())


def events(out: Path, path: str = "calendar.ics") -> dict[str, Any]:
    """The VEVENTs of a feed by UID."""
    cal = Calendar.from_ical((out / path).read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def vevent_bytes(out: Path, suffix: str) -> dict[str, bytes]:
    """The VEVENTs of calendar.ics whose UID ends with ``suffix``, as published."""
    return {uid: e.to_ical() for uid, e in events(out).items() if uid.endswith(suffix)}


@pytest.fixture
def national(tmp_path: Path, chiba: SheetsEmulator) -> Path:
    return ns.write_councils(tmp_path, KEY)


def test_one_tree_over_four_sheets(national: Path, client: Any) -> None:
    result = sync(national, client)
    out = national.parent / "public"
    uids = set(events(out))
    # the same ID in two sheets is two events, told apart by the prefecture's code
    assert {f"cv-1.{code}@{ns.DOMAIN}" for code in ("14", "13", "11", "12")} <= uids
    assert len(uids) == 12 + 3  # four councils' three actions, three adopted petitions
    # each council has its own feed, named by its prefecture's code
    assert set(events(out, "prefectures/12.ics")) == {
        f"{i}.12@{ns.DOMAIN}" for i in ("cv-1", "cb-st", "cb-ku")}
    assert "千葉県" in Calendar.from_ical((out / "prefectures/12.ics").read_bytes())["X-WR-CALNAME"]
    # one キー across sheets is one organisation; 医療生協 without one is two
    feeds = json.loads((out / "feeds.json").read_text(encoding="utf-8"))
    orgs = {f["name"]: f for f in feeds["feeds"] if f["group"] == "org"}
    assert orgs["年金者組合"]["count"] == 4 * 2
    assert {"医療生協（神奈川県）", "医療生協（東京都）", "医療生協（埼玉県）",
            "医療生協（千葉県）"} <= set(orgs)
    assert "医療生協" not in orgs
    # the assembly roll-up over all: two prefectures' three municipalities
    petitions = json.loads((out / "assembly/petitions.json").read_text(encoding="utf-8"))
    assert "2都道府県の3市区町村で採択" in json.dumps(petitions, ensure_ascii=False)
    # the pages say how recent each council's data is, and link each council's page
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ("神奈川県社保協", "東京社保協", "埼玉県社保協", "千葉県社保協"):
        assert name in index
    assert "prefectures/14/index.html" in index
    own = (out / "prefectures/14/index.html").read_text(encoding="utf-8")
    assert "kn駅前宣伝" in own and "tk駅前宣伝" not in own
    # the blank ID went back to Kanagawa's workbook alone
    assert result.ids_assigned == 1
    assert "" not in column(national.parent / "kanagawa.xlsx", "行動", "ID")
    assert not [p for p in result.problems if p.severity.value == "error"]


def test_a_sheet_that_answers_403_keeps_its_events(
    national: Path, client: Any, chiba: SheetsEmulator
) -> None:
    sync(national, client)
    out = national.parent / "public"
    before = vevent_bytes(out, f".12@{ns.DOMAIN}")
    assert len(before) == 3
    chiba.spreadsheets[KEY].shared = False  # the sheet's sharing was withdrawn
    set_cell(national.parent / "saitama.xlsx", "st-st", "行動名", "st駅前宣伝（時間変更）")
    mark = len(chiba.requests())

    result = sync(national, client, now=ns.LATER)

    # the tree still publishes: Saitama's edit is out
    titles = {str(e["SUMMARY"]) for e in events(out).values()}
    assert "st駅前宣伝（時間変更）" in titles
    # Chiba's events stay as they were, byte for byte
    assert vevent_bytes(out, f".12@{ns.DOMAIN}") == before
    # the problem names Chiba and says since when
    kept = [p for p in result.problems if p.code == "source.sheet_kept"]
    assert len(kept) == 1 and kept[0].source == "千葉県社保協"
    assert "千葉県社保協" in kept[0].location
    assert "2026-11-24" in kept[0].message("ja")
    assert result.has_errors
    # nothing but the failed read went to Chiba's sheet: no write-back was attempted
    after = chiba.requests()[mark:]
    assert after and all(r.status == 403 for r in after)
    assert not [r for r in after if r.method != "GET"]
    # the pages say Chiba's data is the earlier read
    index = (out / "index.html").read_text(encoding="utf-8")
    line = next(li for li in index.split("<li") if "千葉県社保協" in li)
    assert "読めなかった" in line and "11月24日" in line

    chiba.spreadsheets[KEY].shared = True  # shared again: Chiba is read afresh
    again = sync(national, client, now=ns.LATER)
    assert not [p for p in again.problems if p.code == "source.sheet_kept"]
    index = (out / "index.html").read_text(encoding="utf-8")
    line = next(li for li in index.split("<li") if "千葉県社保協" in li)
    assert "読めなかった" not in line


def test_a_broken_workbook_stops_only_itself(national: Path, client: Any) -> None:
    sync(national, client)
    out = national.parent / "public"
    tokyo = vevent_bytes(out, f".13@{ns.DOMAIN}")
    (national.parent / "tokyo.xlsx").write_bytes(b"PK\x03\x04 not a workbook any more")

    result = sync(national, client, now=ns.LATER)

    assert vevent_bytes(out, f".13@{ns.DOMAIN}") == tokyo
    assert [p.source for p in result.problems if p.code == "source.sheet_kept"] == ["東京社保協"]
    assert len(vevent_bytes(out, f".14@{ns.DOMAIN}")) == 3 + 2  # actions, hearings


def test_check_names_the_sheet_it_cannot_read(tmp_path: Path, capsys: Any) -> None:
    config = ns.write_councils(tmp_path, KEY)
    # without the Google Sheet: three workbooks, one of them gone
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("[[sources]]\nsource = \"gsheet:")], encoding="utf-8")
    shutil.move(tmp_path / "saitama.xlsx", tmp_path / "saitama-old.xlsx")
    status = main(["check", "--config", str(config), "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert status == 1
    unreadable = [p for p in problems if p["code"] == "source.sheet_unreadable"]
    assert [p["source"] for p in unreadable] == ["埼玉県社保協"]
    assert "埼玉県社保協" in unreadable[0]["message"]


def xlsx_only(tmp_path: Path) -> Path:
    """The national configuration without the Google Sheet."""
    config = ns.write_councils(tmp_path, KEY)
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("[[sources]]\nsource = \"gsheet:")], encoding="utf-8")
    return config


def test_petitions_and_report_over_every_sheet(tmp_path: Path, capsys: Any) -> None:
    config = xlsx_only(tmp_path)
    assert main(["petitions", "--config", str(config), "--format", "text"]) == 0
    assert "2都道府県の3市区町村で採択" in capsys.readouterr().out
    main(["report", "--config", str(config), "--by", "org", "--format", "csv",
          "--from", "2026-04-01", "--to", "2027-03-31"])
    table = capsys.readouterr().out
    # 年金者組合 is one organisation (one キー); each council's 医療生協 its own
    assert "年金者組合," in table
    assert "医療生協（神奈川県）" in table and "医療生協（東京都）" in table
