"""The secretariat tracks a dozen petitions through a dozen assemblies, and members
learn of every hearing from their calendar.

The workbook is ``tests/data/assembly/dozen-petitions-over-several-assemblies.toml``
written by the real init code; it is synced with the real xlsx source into a real
output tree, and the feeds are read back with icalendar, the CSVs with the csv module.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from icalendar import Calendar

from assembly_support import TOKEN, cli, edit_tab, sync_tracker, tracker_site
from sync_support import TOKEN_ENV, Site, copy_site, feed_events

#: What the organisers' workbook adds up to on :data:`TODAY` (members' view: the
#: members-only petition of 厚木市 is in, the 非公開 one of 海老名市 never).
SENTENCE = ("2都道府県の4市区町村と1都道府県議会で採択（うち本会議で確定4）、意見書1本。"
            "継続審査1件、不採択2件。懇談 2/33自治体、アンケート回答 2/33。")
#: The same for the public: without 厚木市's carry-over.
PUBLIC_SENTENCE = ("2都道府県の4市区町村と1都道府県議会で採択（うち本会議で確定4）、意見書1本。"
                   "不採択2件。懇談 2/33自治体、アンケート回答 2/33。")
PUBLIC_STAGES = {"s01a", "s01b", "s02a", "s02b", "s03a", "s03b", "s04a", "s04b", "s04c",
                 "s04d", "s04e", "s05", "s06", "s07a", "s07b", "s08a", "s08b", "s09a",
                 "s09b", "s10", "s13"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The council's folder after one sync on :data:`TODAY`."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TOKEN_ENV, TOKEN)
        site = tracker_site(tmp_path_factory.mktemp("tracker") / "council")
        result = sync_tracker(site)
        assert not [p for p in result.problems if p.severity.value == "error"]
        yield site


def out(site: Site, rel: str, *, members: bool = False) -> bytes:
    prefix = f"members/{TOKEN}/" if members else ""
    return (site.out / f"{prefix}{rel}").read_bytes()


def vevents(data: bytes) -> dict[str, Any]:
    """The VEVENTs of a feed by UID."""
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def petitions_cli(site: Site, *args: str) -> Any:
    run = cli("petitions", "--config", str(site.config), *args)
    assert run.code == 0, run.err
    return run


# -- where each petition stands ------------------------------------------------------


def test_petitions_json_tells_each_story(site: Site) -> None:
    data = json.loads(petitions_cli(site, "--format", "json").out)
    by_id = {p["id"]: p for p in data["petitions"]}
    # the secretariat's view: the members-only petition is there, the private one never
    assert "p11" in by_id and "p12" not in by_id
    tie = by_id["p02"]
    vote = tie["actions"][0]["vote"]
    assert vote == {**vote, "yes": 3, "no": 3, "abstain": None, "unanimous": False,
                    "chair_decided": True}
    assert tie["status"]["outcome"] == "採択" and tie["status"]["final"] is True
    assert tie["status"]["body"] == "本会議" and tie["status"]["date"] == "2026-10-02"
    overturned = by_id["p03"]["status"]
    assert overturned["outcome"] == "不採択" and overturned["final"] is True
    assert overturned["overturned"] is True
    assert [a["outcome"] for a in by_id["p03"]["actions"]] == ["採択", "不採択"]
    withdrawn = by_id["p04"]["status"]
    assert withdrawn["outcome"] == "取り下げ" and withdrawn["final"] is True
    assert withdrawn["carried_over"] == 3 and withdrawn["days"] == 266
    opinion = by_id["p05"]
    assert opinion["classification"] == "意見書"
    assert opinion["status"]["outcome"] == "可決" and opinion["status"]["final"] is True
    spirit = by_id["p07"]["actions"][0]
    assert spirit["outcome"] == "趣旨採択"
    waiting = by_id["p09"]["status"]
    assert waiting["outcome"] == "採択" and waiting["final"] is False
    assert waiting["next"]["date"] == "2026-12-18"
    assert by_id["p10"]["status"]["outcome"] is None
    assert by_id["p11"]["status"] == {**by_id["p11"]["status"], "outcome": "継続審査",
                                      "final": False}
    assert by_id["p13"]["municipality"] == {"code": "131156", "name": "杉並区",
                                            "prefecture": "東京都"}
    assert by_id["p01"]["municipality"]["code"] == "140007"
    assert data["summary"] == {
        **data["summary"], "prefectures_adopted": 2, "municipalities_adopted": 4,
        "opinions_adopted": 1, "carried_over": 1, "rejected": 2}
    assert data["sentence"] == SENTENCE


def test_the_published_json_is_the_audiences_own(site: Site) -> None:
    public = json.loads(out(site, "assembly/petitions.json"))
    members = json.loads(out(site, "assembly/petitions.json", members=True))
    public_ids = {p["id"] for p in public["petitions"]}
    assert "p11" not in public_ids and "p12" not in public_ids and len(public_ids) == 11
    assert {p["id"] for p in members["petitions"]} == public_ids | {"p11"}
    assert public["summary"]["carried_over"] == 0
    assert members["summary"]["carried_over"] == 1
    assert b"p12" not in out(site, "assembly/index.html", members=True)


def test_petitions_text_starts_with_the_sentence_and_parse_reads_it_back(site: Site) -> None:
    text = petitions_cli(site).out
    assert text.splitlines()[0] == SENTENCE
    assert "p04" in text and "取り下げ" in text
    parsed = cli("parse", SENTENCE, "--format", "json")
    assert parsed.code == 0, parsed.err
    assert json.loads(parsed.out)["assembly"] == {
        "prefectures": 2, "municipalities": 4, "prefectural_assemblies": 1, "final": 4,
        "opinions": 1, "carried_over": 1, "rejected": 2, "met": 2, "answered": 2,
        "total": 33, "label": None}


def test_a_sentence_per_prefecture_and_for_a_period(site: Site) -> None:
    data = json.loads(petitions_cli(site, "--by", "prefecture", "--format", "json").out)
    sentences = {entry["name"]: entry["sentence"] for entry in data["by"]}
    assert sentences["東京都"] == "東京都：1都道府県の1市区町村で採択。"
    assert sentences["神奈川県"].startswith("神奈川県：1都道府県の3市区町村と1都道府県議会で採択")
    for sentence in sentences.values():
        parsed = json.loads(cli("parse", sentence, "--format", "json").out)["assembly"]
        assert parsed["label"] == sentence.split("：")[0]
    september = petitions_cli(site, "--from", "2026-09-01", "--to", "2026-09-30").out
    # in September 川崎市 and 鎌倉市 adopted in committee; their plenaries came in October
    assert september.splitlines()[0].startswith("1都道府県の2市区町村で採択（うち本会議で確定0）")
    by_town = json.loads(petitions_cli(site, "--by", "municipality", "--format", "json").out)
    kawasaki = next(e for e in by_town["by"] if e["code"] == "141305")
    assert kawasaki["sentence"] == "川崎市：1都道府県の1市区町村で採択。"
    parsed = json.loads(cli("parse", kawasaki["sentence"], "--format", "json").out)
    assert parsed["assembly"]["label"] == "川崎市" and parsed["assembly"]["municipalities"] == 1


# -- the calendar --------------------------------------------------------------------


def test_every_stage_is_a_hearing_in_the_feeds_with_a_stable_uid(site: Site) -> None:
    everything = vevents(out(site, "calendar.ics"))
    hearings = vevents(out(site, "kinds/hearing.ics"))
    expected = {f"{s}@example.org" for s in PUBLIC_STAGES}
    assert set(hearings) == expected
    assert expected <= set(everything)
    assert "street-1201@example.org" in everything and "street-1201@example.org" not in hearings
    tie = hearings["s02a@example.org"]
    assert str(tie["SUMMARY"]) == "川崎市議会 健康福祉委員会「介護保険料の負担軽減を求める陳情」"
    assert str(tie["LOCATION"]) == "川崎市議会"
    assert str(tie["CATEGORIES"].to_ical().decode()) == "傍聴"
    description = str(tie["DESCRIPTION"])
    assert "結果: 採択、採決: 3対3（委員長決裁）" in description
    assert "その後、2026-10-02の本会議で採択。" in description
    ahead = hearings["s10@example.org"]
    assert "結果" not in str(ahead["DESCRIPTION"])
    assert ahead.decoded("DTSTART").isoformat() == "2026-12-05T13:30:00+09:00"
    venue = hearings["s01a@example.org"]
    assert str(venue["LOCATION"]) == "県議会 第3委員会室"


def test_hearings_are_in_their_municipalitys_feed(site: Site) -> None:
    yokosuka = vevents(out(site, "towns/142018.ics"))
    assert "s10@example.org" in yokosuka
    assert set(vevents(out(site, "towns/141305.ics"))) >= {"s02a@example.org",
                                                           "s02b@example.org"}
    # the prefectural assembly's hearings are in the prefecture-wide feeds only
    towns = [p for p in (site.out / "towns").iterdir()]
    assert all("s01a@" not in p.read_text(encoding="utf-8") for p in towns)
    assert not (site.out / "towns" / "142123.ics").exists()
    members_atsugi = vevents(out(site, "towns/142123.ics", members=True))
    assert set(members_atsugi) == {"s11@example.org"}


def test_members_only_petitions_are_heard_in_members_feeds_only(site: Site) -> None:
    for rel in ("calendar.ics", "kinds/hearing.ics"):
        assert "s11@example.org" not in vevents(out(site, rel))
        assert "s11@example.org" in vevents(out(site, rel, members=True))
    for path in site.out.resolve().rglob("*"):
        if path.is_file() and path.suffix in (".ics", ".html", ".json", ".csv"):
            assert b"s12@" not in path.read_bytes(), path
            assert "非公開の請願".encode() not in path.read_bytes(), path


def test_a_moved_hearing_moves_and_a_decided_one_says_how(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    site = copy_site(site, tmp_path / "council")
    before = feed_events(out(site, "kinds/hearing.ics"))["s10@example.org"]
    edit_tab(site.workbook, "審議", "s10", "日付", date(2026, 12, 8))
    sync_tracker(site)
    moved = feed_events(out(site, "kinds/hearing.ics"))["s10@example.org"]
    assert moved.start == "20261208T133000" and before.start == "20261205T133000"
    assert moved.sequence > before.sequence
    edit_tab(site.workbook, "審議", "s10", "結果", "採択")
    edit_tab(site.workbook, "審議", "s10", "採決", "5対2")
    sync_tracker(site, today=date(2026, 12, 9))
    decided = vevents(out(site, "kinds/hearing.ics"))["s10@example.org"]
    assert "結果: 採択、採決: 5対2" in str(decided["DESCRIPTION"])
    assert "本会議の議決はこれからです。" in str(decided["DESCRIPTION"])
    assert int(decided["SEQUENCE"]) > moved.sequence
    assert str(decided["UID"]) == "s10@example.org"


# -- the exports ---------------------------------------------------------------------


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_petitions_csv_has_a_row_per_petition_the_audience_sees(site: Site) -> None:
    rows = {r["ID"]: r for r in read_csv(out(site, "assembly/petitions.csv"))}
    assert set(rows) == {f"p{n:02d}" for n in range(1, 14)} - {"p11", "p12"}
    assert rows["p02"] | {} == {**rows["p02"], "自治体コード": "141305", "結果": "採択",
                                "確定": "確定", "採決": "28対25", "会議": "本会議"}
    assert rows["p04"]["継続回数"] == "3" and rows["p04"]["結果"] == "取り下げ"
    assert rows["p09"]["確定"] == "未確定" and rows["p09"]["次の審議"].startswith("2026-12-18")
    members = {r["ID"] for r in read_csv(out(site, "assembly/petitions.csv", members=True))}
    assert "p11" in members and "p12" not in members


def test_coverage_csv_has_every_municipality_of_the_prefecture(site: Site) -> None:
    rows = read_csv(out(site, "assembly/coverage.csv"))
    codes = [r["自治体コード"] for r in rows]
    assert len(set(codes)) == 33 and codes == sorted(codes)
    kawasaki = next(r for r in rows if r["自治体"] == "川崎市")
    assert kawasaki["懇談日"] == "2026-10-15" and kawasaki["アンケート回答日"] == "2026-09-30"
    assert kawasaki["確認日"] == "2026-10-20" and kawasaki["成果"] == "子ども医療費の所得制限の撤廃"
    hakone = next(r for r in rows if r["自治体"] == "箱根町")
    assert hakone["懇談状況"] == "見送り"


def test_the_rollup_tab_gains_an_assembly_section(site: Site) -> None:
    book = openpyxl.load_workbook(site.workbook, read_only=True)
    rows = [r for r in book["集計"].iter_rows(values_only=True) if any(v is not None for v in r)]
    book.close()
    start = next(i for i, r in enumerate(rows) if r[0] == "議会")
    assert rows[start][1] == SENTENCE
    header = rows[start + 1]
    assert header[:3] == ("自治体コード", "自治体", "請願・陳情")
    body = {r[0]: r for r in rows[start + 2:]}
    assert body["142123"][header.index("継続審査")] == 1
    assert body["143413"][header.index("意見書")] == 1
    assert len([c for c in body if str(c).startswith("14")]) == 34  # 33 and the prefecture


def test_the_page_says_the_public_sentence(site: Site) -> None:
    page = out(site, "assembly/index.html").decode()
    assert PUBLIC_SENTENCE in page
    assert SENTENCE in out(site, "assembly/index.html", members=True).decode()


def test_a_new_stage_typed_without_an_id_gets_one_written_back(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    site = copy_site(site, tmp_path / "council")
    book = openpyxl.load_workbook(site.workbook)
    sheet = book["審議"]
    headers = [c.value for c in sheet[1]]
    row = [None] * len(headers)
    for header, value in {"請願ID": "p10", "日付": "12月18日", "会議": "本会議"}.items():
        row[headers.index(header)] = value
    sheet.append(row)
    book.save(site.workbook)
    result = sync_tracker(site)
    assert result.write is not None and len(result.write.written) == 1
    written = result.write.written[0].value
    assert written.startswith("s-20261218-")
    book = openpyxl.load_workbook(site.workbook, read_only=True)
    ids = [r[0] for r in book["審議"].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert ids[-1] == written
    assert f"{written}@example.org" in vevents(out(site, "kinds/hearing.ics"))
    sync_tracker(site)
    assert f"{written}@example.org" in vevents(out(site, "kinds/hearing.ics"))
