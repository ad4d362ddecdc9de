"""The petition drive published: its deadlines in everyone's calendar, its progress
page in a real browser, its JSON, and the ``drives`` command at the terminal."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import date, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import icalendar
import pytest

from campaign_sheets.cli import main
from campaign_sheets.commands.common import source_from_config
from campaign_sheets.core.config import load_config
from campaign_sheets.sync import SyncResult, run_sync
from caravan_support import write_xlsx
from conftest import require_program
from pages_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from sync_support import Site, make_site

DATA = Path(__file__).resolve().parent / "data" / "drives"
TODAY = date(2026, 12, 1)
TOKEN_ENV = "CAMPAIGN_SHEETS_TEST_DRIVES_TOKEN"
TOKEN = "drives-members-7f3a9c"


def petition_workbook(path: Path) -> Path:
    """tests/data/drives/petition-winter.json as a real .xlsx, one tab per key."""
    tabs = json.loads((DATA / "petition-winter.json").read_text(encoding="utf-8"))
    return write_xlsx(tabs, path)


def sync_on(site: Site, today: date = TODAY) -> SyncResult:
    config = load_config(site.config)
    return run_sync(config, source_from_config(config), today=today)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("drives")
    workbook = petition_workbook(root / "petition.xlsx")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TOKEN_ENV, TOKEN)
        made = make_site(root / "site", workbook, TOKEN_ENV, pdf=False)
        result = sync_on(made)
        assert result.publish is not None
        yield made


def deadlines_in(feed: Path) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    return sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))


def test_each_deadline_is_an_all_day_event_in_the_deadline_feed(site: Site) -> None:
    events = deadlines_in(site.out / "kinds" / "deadline.ics")
    assert [str(e["SUMMARY"]) for e in events] == ["請願署名 一次集約", "請願署名 最終集約"]
    for event, day in zip(events, (date(2026, 12, 31), date(2027, 2, 28)), strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and start == day and end == day + timedelta(days=1)
        assert "目標3万筆、累計2,318筆（7.7%）" in str(event["DESCRIPTION"])
    uids = {str(e["UID"]) for e in deadlines_in(site.out / "calendar.ics")}
    assert {str(e["UID"]) for e in events} <= uids


def test_a_members_drive_has_its_deadline_only_in_the_members_calendar(site: Site) -> None:
    public = [str(e["SUMMARY"]) for e in deadlines_in(site.out / "kinds" / "deadline.ics")]
    members_feed = site.out / "members" / TOKEN / "kinds" / "deadline.ics"
    members = [str(e["SUMMARY"]) for e in deadlines_in(members_feed)]
    assert "会員署名 集約日" in members and "会員署名 集約日" not in public
    public_json = json.loads((site.out / "drives" / "drives.json").read_text("utf-8"))
    members_json = json.loads(
        (site.out / "members" / TOKEN / "drives" / "drives.json").read_text("utf-8"))
    assert [d["name"] for d in public_json["drives"]] == ["請願署名"]
    assert [d["name"] for d in members_json["drives"]] == ["請願署名", "会員署名"]


def test_drives_json_is_published_with_the_pace_of_the_day(site: Site) -> None:
    payload = json.loads((site.out / "drives" / "drives.json").read_text("utf-8"))
    drive = payload["drives"][0]
    assert payload["as_of"] == "2026-12-01"
    assert (drive["total"], drive["percent"], drive["pace_per_day"]) == (2318, 7.7, 893.0)


def test_a_sync_the_next_day_keeps_the_deadlines_uids_and_bytes(
    site: Site, tmp_path: Path
) -> None:
    before = (site.out / "kinds" / "deadline.ics").read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TOKEN_ENV, TOKEN)
        sync_on(site, TODAY + timedelta(days=1))
    assert (site.out / "kinds" / "deadline.ics").read_bytes() == before
    payload = json.loads((site.out / "drives" / "drives.json").read_text("utf-8"))
    assert payload["drives"][0]["pace_per_day"] == 922.7  # 27,682 over 30 days now


def test_the_sync_names_the_unknown_drive_and_the_result_label(site: Site) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TOKEN_ENV, TOKEN)
        result = sync_on(site)
    codes = {(p.sheet, p.cell, p.code) for p in result.problems}
    assert ("署名集約", "A4", "drive.unknown") in codes
    assert ("成果", "C4", "drive.unknown_in_results") in codes


def drives_command(site: Site, *args: str) -> tuple[int, str, str]:
    """``campaign-sheets drives --config <site> ARGS``: exit status, output, messages."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["drives", "--config", str(site.config), *args])
    out.flush()
    buffer = out.buffer
    assert isinstance(buffer, io.BytesIO)
    return code, buffer.getvalue().decode("utf-8"), err.getvalue()


def test_the_drives_command_prints_each_drive_then_the_table(site: Site) -> None:
    code, text, messages = drives_command(site, "--lang", "ja")
    assert code == 1  # the unknown drive in 署名集約 is an error
    lines = text.splitlines()
    assert lines[0].startswith("請願署名は累計2,318筆（目標3万筆の7.7%）。")
    assert lines[1].startswith("会員署名は累計50筆（目標5,000筆の1.0%）。")
    assert "請願著名" in messages
    _code, csv_text, _messages = drives_command(site, "--by", "org", "--format", "csv")
    rows = csv_text.lstrip("\ufeff").splitlines()
    assert rows[:4] == ["署名名,団体,累計,紙,WEB", "請願署名,県医療生活協同組合,1418,1200,218",
                        "請願署名,県保険医協会,850,850,0", "請願署名,行動で集めた分,50,50,0"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(site: Site) -> Iterator[str]:
    handler = partial(_Quiet, directory=str(site.out.resolve()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_the_drives_page_shows_bars_and_a_chart_in_chromium(served: str) -> None:
    require_program("chromium", "Debian chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 740})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
        page.goto(served + "index.html")
        page.click("text=署名の集約状況")
        page.wait_for_url("**/drives/index.html")
        assert page.locator("h2").all_inner_texts() == ["請願署名"]
        assert page.locator("progress").get_attribute("value") == "7.7"
        assert "2,318筆" in page.inner_text("main")
        assert "1日あたり893.0筆" in page.inner_text("main")
        bars = page.locator("table.bars .bar")
        assert bars.count() == 3 + 1  # three by organisation, one month
        widths = [b.bounding_box()["width"] for b in bars.all()[:3]]
        assert widths[0] > widths[1] > widths[2] > 0
        chart = page.locator("svg.chart")
        assert chart.count() == 1 and chart.bounding_box()["width"] > 250
        assert page.locator("svg.chart polyline.total").count() == 1
        assert page.locator("svg.chart line.goal").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        href = page.get_attribute("text=集約日をカレンダーに登録", "href")
        assert page.request.get(served + "drives/" + str(href)).status == 200
        (ARTIFACTS / "drives").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "drives" / "phone.png"), full_page=True)
        assert errors == []
        browser.close()
