"""A council's two-day caravan through eight municipalities, as its sheet holds it.

``TABS`` are the tabs (rows as typed); :func:`tables` gives them as a source reads
them. The caravan ``cv-2`` runs on 20 and 21 October 2026; its 参加報告 sentence
names the eight stops with their counts, two of which differ from the 行程 tab
(清川村 4 against 3, 本厚木駅前 7 against 6). :data:`SAID` is that sentence as the
report grammar reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from campaign_sheets.core.config import CalendarConfig, Config
from campaign_sheets.core.model import Action, Stop, Workbook
from campaign_sheets.core.problems import Problem
from campaign_sheets.core.schema import tab_spec
from campaign_sheets.core.values import RawTable
from campaign_sheets.load import load_workbook
from campaign_sheets.load.cells import RowReader, row_is_blank
from campaign_sheets.load.stops import StopRules, complete_routes, read_stop
from campaign_sheets.load.tabs import open_tab
from campaign_sheets.report import ParsedReport, StopEntry, tally

FIRST, SECOND = date(2026, 10, 20), date(2026, 10, 21)
NOW = datetime(2026, 10, 1, 0, 0, tzinfo=UTC)
TOKEN = "members-token-0123456789"
SENTENCE = (
    "キャラバン第1日は、寒川町（8人参加）、茅ヶ崎市（6人）、藤沢市（7人）、横浜市（10人）で懇談。"
    "第2日は、愛川町（5人）、清川村（4人）、厚木市（9人）で懇談、厚木市本厚木駅前（7人）で宣伝。"
    "署名23筆。"
)
#: The sentence as the report grammar reads it: the stops it names, and the result.
SAID = ParsedReport(
    stops=(
        StopEntry("寒川町", people=8, activity="懇談"),
        StopEntry("茅ヶ崎市", people=6, activity="懇談"),
        StopEntry("藤沢市", people=7, activity="懇談"),
        StopEntry("横浜市", people=10, activity="懇談"),
        StopEntry("愛川町", people=5, activity="懇談"),
        StopEntry("清川村", people=4, activity="懇談"),
        StopEntry("厚木市", people=9, activity="懇談"),
        StopEntry("厚木市", people=7, activity="宣伝", venue="本厚木駅前"),
    ),
    tallies=(tally("署名", 23, unit="筆"),),
)

TABS: dict[str, list[list[Any]]] = {
    "行動": [
        ["ID", "種別", "行動名", "日付", "時間", "会場", "住所", "地域", "公開", "参加報告"],
        ["cv-2", "キャラバン", "自治体キャラバン 湘南・県央コース", "10月20日（火）～21日（水）",
         "9:30～16:30",
         "", "", "県央", "", SENTENCE],
        ["st-1", "宣伝行動", "年金署名宣伝", "2026-10-24", "12:00～13:00", "藤沢駅 南口", "",
         "藤沢", "", ""],
        ["ku-1", "学習会", "介護保険学習会", "2026-11-05", "18:30～20:30", "中区役所 会議室",
         "横浜市中区日本大通35", "", "", ""],
        ["mb-1", "キャラバン", "役員の下見（会員のみ）", "2026-10-10", "10:00～12:00", "", "",
         "", "会員", ""],
    ],
    "行程": [
        ["行動ID", "順", "自治体", "日付", "時間", "会場", "内容", "人数", "備考"],
        ["cv-2", 1, "寒川町", "", "9:30～10:30", "寒川町役場", "懇談", 8, "町長が同席"],
        ["cv-2", 2, "茅ヶ崎", "", "11:00～12:00", "茅ヶ崎市役所", "懇談", 6, ""],
        ["cv-2", 3, "藤沢市", "", "13:30～14:30", "藤沢市役所", "懇談", 7, ""],
        ["cv-2", 4, "横浜市", "", "15:30～16:30", "横浜市役所", "懇談", 10, ""],
        ["cv-2", 5, "愛川町", "10月21日（水）", "9:30～10:30", "愛川町役場", "懇談", 5, ""],
        ["cv-2", 6, "清川村", "", "11:00～11:45", "清川村役場", "懇談", 3, ""],
        ["cv-2", 7, "厚木市", "", "13:30～14:30", "厚木市役所", "懇談", 9, ""],
        ["cv-2", 8, "142123", "", "15:00～16:00", "本厚木駅前", "宣伝", 6, ""],
        ["mb-1", 1, "大磯町", "", "10:00～11:00", "大磯町役場", "下見", "", "駐車場あり"],
    ],
    "参加": [
        ["行動ID", "団体", "人数", "うち", "備考", "自治体"],
        ["st-1", "年金者組合", 4, "", "", ""],
        ["st-1", "医療生協", 3, "", "", ""],
        ["cv-2", "年金者組合", 4, "", "", "清川村"],
    ],
    "成果": [
        ["行動ID", "項目", "内訳", "数", "単位", "自治体"],
        ["cv-2", "署名", "", 15, "筆", "厚木市"],
        ["cv-2", "署名", "", 8, "筆", "寒川町"],
        ["st-1", "署名", "", 42, "筆", ""],
    ],
    "団体": [
        ["団体名", "略称", "別名", "キー", "区分"],
        ["年金者組合", "", "", "nenkin", ""],
        ["医療生協", "", "", "iryo", ""],
    ],
}


def config() -> Config:
    """The council's configuration: Kanagawa, fiscal year 2026, a fixed base URL."""
    return Config(
        fiscal_year=2026, prefecture="神奈川県",
        calendar=CalendarConfig(name="県社保協 行動予定", uid_domain="example.org",
                                base_url="https://example.org/calendar/"),
    )


def tables(tabs: Mapping[str, Sequence[Sequence[Any]]] = TABS) -> dict[str, RawTable]:
    """The tabs as a source reads them."""
    return {name: RawTable(name, [list(r) for r in rows]) for name, rows in tabs.items()}


def two_day_workbook(tabs: Mapping[str, Sequence[Sequence[Any]]] = TABS) -> tuple[
    Workbook, list[Problem]
]:
    """The workbook as the loader reads it: the caravan's 日付 holds its two days."""
    loaded = load_workbook(tables(tabs), config())
    return loaded.workbook, list(loaded.problems)


def read_stops(
    raw: Mapping[str, RawTable], actions: Sequence[Action], problems: list[Problem]
) -> tuple[Stop, ...]:
    """The 行程 tab read against ``actions``, as :func:`load_workbook` reads it."""
    view = open_tab(tab_spec("stops"), raw, problems)
    assert view is not None
    by_id = {a.id: a for a in actions}
    rules = StopRules(config(), "14", by_id, set(by_id))
    rows = []
    for number, cells in view.data_rows():
        if row_is_blank(cells):
            continue
        stop = read_stop(RowReader(view.name, number, cells, view.headers, problems), rules)
        if stop is not None:
            rows.append(stop)
    stops, _duplicates = complete_routes(rows, by_id)
    return stops


def reader(text: str) -> ParsedReport:
    """The report grammar's reading of this workbook's one sentence."""
    assert text == SENTENCE, text
    return SAID


def one_day_tabs() -> dict[str, list[list[Any]]]:
    """The same sheet for a caravan of one day (20 October): no stop names a date."""
    actions = [list(r) for r in TABS["行動"]]
    actions[1][3] = "2026-10-20"
    rows = [list(r) for r in TABS["行程"]]
    rows[5][3] = ""
    return {**TABS, "行動": actions, "行程": rows}


def write_xlsx(tabs: Mapping[str, Sequence[Sequence[Any]]], path: Path) -> Path:
    """The tabs as a real workbook, cells typed as they are (text stays text)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tabs.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
    book.save(path)
    return path


def write_site(folder: Path, tabs: Mapping[str, Sequence[Sequence[Any]]]) -> Path:
    """A council's folder: the workbook and a configuration naming it; the config's path."""
    write_xlsx(tabs, folder / "予定.xlsx")
    config = folder / "campaign-sheets.toml"
    config.write_text(
        'source = "予定.xlsx"\nfiscal_year = 2026\nprefecture = "神奈川県"\n'
        '[calendar]\nname = "県社保協 行動予定"\nuid_domain = "example.org"\n'
        'base_url = "https://example.org/calendar/"\n',
        encoding="utf-8",
    )
    return config
