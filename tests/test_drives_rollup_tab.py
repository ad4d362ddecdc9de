"""The signature drives in the 集計 tab: after a sync, the secretariat finds each drive's
goal, total, paper and WEB, share, next deadline and pace in its own sheet, and what
each organisation handed in — the figures of ``drives/drives.json``, read back from the
real workbook.

The workbook is ``tests/data/drives/petition-winter.json`` (a public drive, a members'
drive, actions' signatures and batches, one with a 行動分) with one more drive kept
非公開, which must appear nowhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from assembly_support import cli
from campaign_sheets.commands.common import source_from_config
from campaign_sheets.core.config import Config, load_config
from campaign_sheets.core.model import Workbook as Model
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.rollup.sheet import rollup_rows
from campaign_sheets.sync import SyncResult, run_sync
from caravan_support import write_xlsx
from national_support import council_tabs
from sync_support import Site, make_site

DATA = Path(__file__).resolve().parent / "data" / "drives"
TODAY = date(2026, 12, 1)
TOKEN_ENV = "CAMPAIGN_SHEETS_TEST_ROLLUP_DRIVES_TOKEN"
TOKEN = "rollup-drives-members-51c0"
SECRET = "役員選挙署名"


def drives_workbook(path: Path) -> Path:
    """petition-winter.json as a real .xlsx, with a 非公開 drive and its batch added."""
    tabs = json.loads((DATA / "petition-winter.json").read_text(encoding="utf-8"))
    tabs["署名"].append([SECRET, "", "", "1000", "2026/10/1", "3月末", "非公開"])
    tabs["署名集約"].append([SECRET, "協会", "2026/11/28", 77, 0, 0, ""])
    return write_xlsx(tabs, path)


def sync_on(site: Site, today: date) -> SyncResult:
    config = load_config(site.config)
    return run_sync(config, source_from_config(config), today=today)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("rollup-drives")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TOKEN_ENV, TOKEN)
        made = make_site(root / "site", drives_workbook(root / "drives.xlsx"), TOKEN_ENV,
                         pdf=False)
        result = sync_on(made, TODAY)
        assert result.write is not None and result.write.rollup_written
        yield made


def rollup_tab(site: Site) -> list[tuple[Any, ...]]:
    """Every row of the 集計 tab as the secretariat sees it (blank rows kept as ``()``,
    trailing empty cells dropped)."""
    book = openpyxl.load_workbook(site.workbook, read_only=True)
    rows = [tuple(r) for r in book["集計"].iter_rows(values_only=True)]
    book.close()
    trimmed = []
    for row in rows:
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        trimmed.append(tuple(cells))
    return trimmed


def section(rows: list[tuple[Any, ...]], title: str) -> list[tuple[Any, ...]]:
    """The header and rows under the title row of one section (the row after a blank
    one that starts with ``title``), up to the next blank row."""
    start = next(i for i, r in enumerate(rows) if r[:1] == (title,) and not rows[i - 1])
    end = next((i for i in range(start + 1, len(rows)) if not rows[i]), len(rows))
    return rows[start + 1:end]


def drives_json(site: Site) -> dict[str, dict[str, Any]]:
    """The members' ``drives.json`` (the 集計 tab shows the members' view), by name."""
    path = site.out / "members" / TOKEN / "drives" / "drives.json"
    return {d["name"]: d for d in json.loads(path.read_text("utf-8"))["drives"]}


def test_each_drive_has_its_figures_as_numbers(site: Site) -> None:
    rows = rollup_tab(site)
    assert ("署名", "2026-12-01現在") in rows  # the day the pace is of
    header, *drives = section(rows, "署名")
    assert header == ("署名名", "宛先", "目標", "累計", "紙", "WEB", "達成率（%）",
                           "次の集約日", "集約", "残り日数", "目標まで", "1日あたり必要数")
    assert drives == [
        # 1,418 from 医療生協 (150 of its paper from the actions), 850 from 協会, 50
        # counted at actions not yet handed in; 27,682 to go over 31 days
        ("請願署名", "県議会", 30000, 2318, 2100, 218, 7.7, "2026-12-31", "一次集約", 31,
         27682, 893.0),
        ("会員署名", None, 5000, 50, 44, 6, 1.0, "2027-03-31", "集約日", 121, 4950, 40.9),
    ]


def test_the_figures_are_those_of_drives_json(site: Site) -> None:
    _header, *drives = section(rollup_tab(site), "署名")
    published = drives_json(site)
    assert [d[0] for d in drives] == list(published)
    for row in drives:
        p = published[row[0]]
        ahead = p["next_deadline"]
        assert row[2:12] == (p["goal"], p["total"], p["paper"], p["online"], p["percent"],
                             ahead["date"], ahead["label"] or "集約日", ahead["days_left"],
                             p["remaining"], p["pace_per_day"])


def test_each_organisation_has_its_part_of_each_drive(site: Site) -> None:
    header, *orgs = section(rollup_tab(site), "署名 団体別")
    assert header == ("署名名", "団体", "累計", "紙", "WEB")
    published = drives_json(site)
    expected = [(name, s["org"], s["total"], s["paper"], s["online"])
                for name, d in published.items() for s in d["by_org"]]
    assert orgs == expected
    petition = [r for r in orgs if r[0] == "請願署名"]
    assert ("請願署名", "行動で集めた分", 50, 50, 0) in petition
    assert sum(r[2] for r in petition) == 2318


def test_a_private_drive_is_nowhere_in_the_tab(site: Site) -> None:
    cells = [c for r in rollup_tab(site) for c in r if c is not None]
    assert not any(SECRET in str(c) for c in cells)
    assert SECRET not in drives_json(site)


def test_the_next_days_sync_writes_the_next_days_pace(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    result = sync_on(site, TODAY + timedelta(days=1))
    assert result.write is not None and result.write.rollup_written
    rows = rollup_tab(site)
    assert ("署名", "2026-12-02現在") in rows
    _header, petition, _members = section(rows, "署名")
    assert petition[9:12] == (30, 27682, 922.7)  # 27,682 over 30 days now


def test_a_workbook_without_drives_has_no_drives_section() -> None:
    ctx = BuildContext(Config(fiscal_year=2026), Model(), TODAY)
    rows = rollup_rows(ctx)
    assert rows and not any(r[:1] == ["署名 団体別"] for r in rows)
    assert not any(len(r) > 1 and str(r[1]).endswith("現在") for r in rows)


def test_in_a_tree_of_many_sheets_each_sheet_has_its_own_drives(tmp_path: Path) -> None:
    kanagawa = council_tabs("kn", ["横浜市"])
    kanagawa["署名"] = [["署名名", "別名", "宛先", "目標", "開始日", "集約日", "公開"],
                      ["国保署名", "", "県知事", "1万", "2026/10/1", "3月末", ""]]
    kanagawa["署名集約"] = [["署名名", "団体", "日付", "紙", "WEB", "行動分", "備考"],
                        ["国保署名", "年金者組合", "2026/11/20", 300, 20, 0, ""]]
    write_xlsx(kanagawa, tmp_path / "kanagawa.xlsx")
    write_xlsx(council_tabs("tk", ["杉並区"]), tmp_path / "tokyo.xlsx")
    config = tmp_path / "campaign-sheets.toml"
    config.write_text(
        'fiscal_year = 2026\nout = "public"\nstate = "state.sqlite"\n'
        '[calendar]\nname = "全国社保協 行動予定"\nuid_domain = "national.example.org"\n'
        'base_url = "https://national.example.org/calendar/"\n'
        '[[sources]]\nsource = "kanagawa.xlsx"\nprefecture = "神奈川県"\nname = "神奈川県社保協"\n'
        '[[sources]]\nsource = "tokyo.xlsx"\nprefecture = "東京都"\nname = "東京社保協"\n',
        encoding="utf-8")
    run = cli("sync", "--config", str(config))
    assert run.code in (0, 1), run.err
    book = openpyxl.load_workbook(tmp_path / "kanagawa.xlsx", read_only=True)
    rows = [tuple(c for c in r if c is not None) for r in book["集計"].iter_rows(values_only=True)]
    book.close()
    drive = next(r for r in rows if r[:1] == ("国保署名",))
    assert drive[:7] == ("国保署名", "県知事", 10000, 320, 300, 20, 3.2)
    book = openpyxl.load_workbook(tmp_path / "tokyo.xlsx", read_only=True)
    tokyo = [r for r in book["集計"].iter_rows(values_only=True)]
    book.close()
    assert tokyo and not any(r[:1] == ("署名 団体別",) for r in tokyo)
