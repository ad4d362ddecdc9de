"""A council plans a two-day caravan through eight municipalities in its sheet, checks
it, publishes it, moves one stop, and counts what it did per municipality — all through
the command line, on a real workbook, read back with icalendar.

The caravan's 日付 is ``10月20日（火）～21日（水）``; its 行程 rows carry counts, and so
does its 参加報告 sentence, which names the same eight stops: two of them disagree
(清川村 4 against 3, 本厚木駅前 7 against 6), and each disagreement is a warning at the
行程 cell (``caravan_support.TABS``).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from icalendar import Calendar

import caravan_support as cs
from campaign_sheets.cli import main

ROUTE = ("143219", "142077", "142051", "141003", "144011", "144029", "142123", "142123-2")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _vevents(path: Path) -> dict[str, Any]:
    return {str(e["UID"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def _stop_uids(public: Path) -> dict[str, str]:
    """Every stop VEVENT of the towns' feeds: UID → the feed it was found in."""
    found: dict[str, str] = {}
    for feed in sorted((public / "towns").glob("*.ics")):
        for uid in _vevents(feed):
            if ".stop-" in uid:
                found.setdefault(uid, feed.stem)
    return found


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAMPAIGN_SHEETS_MEMBERS_TOKEN", cs.TOKEN)
    monkeypatch.chdir(tmp_path)
    return cs.write_site(tmp_path, cs.TABS)


def test_a_caravan_through_eight_municipalities_from_the_sheet_to_the_towns_calendars(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(site)
    code, out, _err = _run(capsys, "check", "--config", config, "--format", "json")
    problems = json.loads(out)["problems"]
    assert code == 0 and not [p for p in problems if p["severity"] == "error"]
    # the sentence counts 清川村 and 本厚木駅前 otherwise than their 行程 rows: each row's
    # 人数 is named; the rows' counts are kept
    assert [(p["cell"], p["severity"]) for p in problems if p["sheet"] == "行程"] == [
        ("H7", "warning"), ("H9", "warning")]

    code, _out, err = _run(capsys, "sync", "--config", config)
    assert code == 0, err
    public = site.parent / "public"
    # every stop is in its municipality's feed, under a UID made from its town
    stops = _stop_uids(public)
    assert stops == {f"cv-2.stop-{key}@example.org": key[:6] for key in ROUTE}
    samukawa = _vevents(public / "towns" / "143219.ics")["cv-2.stop-143219@example.org"]
    assert str(samukawa["SUMMARY"]) == "自治体キャラバン 湘南・県央コース（寒川町・懇談）"
    assert samukawa["DTSTART"].dt.isoformat() == "2026-10-20T09:30:00+09:00"
    # and so is every action held there: the street action in 藤沢 (its 地域), the study
    # meeting in 横浜市中区 (its 住所), in 横浜市's feed too
    assert "st-1@example.org" in _vevents(public / "towns" / "142051.ics")
    assert "ku-1@example.org" in _vevents(public / "towns" / "141003.ics")
    # the caravan's own event lists the route with its times
    caravan = _vevents(public / "calendar.ics")["cv-2@example.org"]
    route = [line for line in str(caravan["DESCRIPTION"]).split("\n") if line[:2] in
             {f"{n}." for n in range(1, 9)}]
    assert route[0] == "1. 10/20(火) 9:30～10:30 寒川町 寒川町役場（懇談）"
    assert route[7] == "8. 10/21(水) 15:00～16:00 厚木市 本厚木駅前（宣伝）"
    # two days: the caravan's hours on each of them, the second day's stops on the 21st
    assert caravan["RRULE"]["COUNT"] == [2]
    aikawa = _vevents(public / "towns" / "144011.ics")["cv-2.stop-144011@example.org"]
    assert aikawa["DTSTART"].dt.isoformat() == "2026-10-21T09:30:00+09:00"
    # the members-only 下見 is in the members' 大磯町 feed only
    assert not (public / "towns" / "143413.ics").exists()
    members_oiso = public / "members" / cs.TOKEN / "towns" / "143413.ics"
    assert "mb-1.stop-143413@example.org" in _vevents(members_oiso)
    feeds = json.loads((public / "feeds.json").read_text(encoding="utf-8"))["feeds"]
    titles = {f["path"]: f["title"] for f in feeds if f["group"] == "town"}
    assert titles["towns/144029.ics"] == "県社保協 行動予定（清川村の行動）"
    index = (public / "index.html").read_text(encoding="utf-8")
    assert "<summary>自治体ごと（8）</summary>" in index
    assert "towns/143219.ics" in index
    page = (public / "events" / "cv-2" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="route">行程</h2>' in page and "清川村役場" in page

    before = {p: p.read_bytes() for p in (public / "towns").glob("*.ics")}
    code, _out, _err = _run(capsys, "sync", "--config", config)
    assert code == 0
    assert {p: p.read_bytes() for p in (public / "towns").glob("*.ics")} == before

    # the secretariat moves the 清川村 stop a quarter of an hour
    book = openpyxl.load_workbook(site.parent / "予定.xlsx")
    book["行程"]["E7"] = "11:15～12:00"
    book.save(site.parent / "予定.xlsx")
    code, _out, err = _run(capsys, "sync", "--config", config)
    assert code == 0, err
    moved = _vevents(public / "towns" / "144029.ics")["cv-2.stop-144029@example.org"]
    assert moved["SEQUENCE"] == 1 and moved["DTSTART"].dt.hour == 11
    assert _vevents(public / "calendar.ics")["cv-2@example.org"]["SEQUENCE"] == 1
    after = {p: p.read_bytes() for p in (public / "towns").glob("*.ics")}
    assert [p.stem for p in after if after[p] != before[p]] == ["144029"]

    code, out, _err = _run(capsys, "report", "--config", config, "--by", "municipality",
                           "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0] == ["コード", "自治体", "行動数", "行程数", "人数", "人数不明の回", "署名（筆）"]
    assert rows[1:] == [
        ["141003", "横浜市", "1", "1", "10", "0", ""],
        ["142051", "藤沢市", "2", "1", "14", "0", "42"],
        ["142077", "茅ヶ崎市", "1", "1", "6", "0", ""],
        ["142123", "厚木市", "1", "2", "15", "0", "15"],
        ["143219", "寒川町", "1", "1", "8", "0", "8"],
        ["144011", "愛川町", "1", "1", "5", "0", ""],
        ["144029", "清川村", "1", "1", "3", "0", ""],
    ]
    published = (public / "reports" / "by-municipality.csv").read_bytes().decode("utf-8-sig")
    assert published.splitlines()[1].startswith("141003,横浜市,1,1,10")
