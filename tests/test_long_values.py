"""Someone pastes a whole leaflet (5,000 characters) into an action's title, and a long
address into its venue. ``check`` warns at the cells; the pages and the A4 flyer stay
readable (the short fields are cut with …); the sheet and the calendar feed keep the
text whole."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import openpyxl
from icalendar import Calendar

from campaign_sheets.cli import main
from campaign_sheets.core.limits import SHORT_TEXT_LIMITS
from pages_support import parse_html

LEAFLET = "消費税減税と社会保障の拡充を求める宣伝行動のご案内です。" * 170
VENUE = "川崎駅東口駅前広場（雨天の場合は駅ビル前のひさしの下、さらに強い雨なら中止）" * 20
CONFIG = """source = "行動予定.xlsx"
fiscal_year = 2026
flyer_pdf = false
[calendar]
name = "地区社保協 行動予定"
uid_domain = "shaho.test-council.jp"
"""


def _site(folder: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "行動"
    sheet.append(["ID", "種別", "行動名", "日付", "会場"])
    sheet.append(["long-1", "宣伝行動", LEAFLET, "2026-12-07", VENUE])
    book.save(folder / "行動予定.xlsx")
    config = folder / "campaign-sheets.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


def _run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue()


def _h1(page: bytes) -> str:
    html = page.decode("utf-8")
    return parse_html(html[html.index("<h1"):html.index("</h1>")].encode()).text[0]


def test_check_warns_at_the_long_cells_and_still_passes(tmp_path: Path) -> None:
    code, out = _run("check", "--config", str(_site(tmp_path)), "--format", "json")
    assert code == 0
    found = {(p["cell"], p["code"]) for p in json.loads(out)["problems"]}
    assert found == {("C2", "cell.long_text"), ("E2", "cell.long_text")}


def test_pages_and_flyers_show_the_short_fields_cut_and_the_feed_keeps_them(
    tmp_path: Path,
) -> None:
    config = _site(tmp_path)
    assert _run("sync", "--config", str(config), "--quiet")[0] == 0
    event = tmp_path / "public" / "events" / "long-1"
    limit = SHORT_TEXT_LIMITS["title"]
    for page in ("index.html", "flyer.html"):
        title = _h1((event / page).read_bytes())
        assert len(title) == limit and title.endswith("…"), page
        assert LEAFLET.startswith(title[:-1])
        assert VENUE not in (event / page).read_text(encoding="utf-8")
    index = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert LEAFLET not in index and LEAFLET[: limit - 1] + "…" in index
    feed = Calendar.from_ical((tmp_path / "public" / "calendar.ics").read_bytes())
    (vevent,) = feed.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == LEAFLET
    assert openpyxl.load_workbook(tmp_path / "行動予定.xlsx")["行動"]["C2"].value == LEAFLET
