"""Four prefectural councils' sheets for the national tree's stories: Kanagawa, Tokyo
and Saitama keep workbooks, Chiba a Google Sheet (on the emulator).

Two of them use the same IDs (``cv-1``), two list 年金者組合 under one キー (one
organisation nationally) and 医療生協 without one (two organisations), and three
prefectures' assemblies adopted the petition.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from caravan_support import write_xlsx

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
LATER = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
DOMAIN = "national.example.org"

EVENTS_HEADER = ["ID", "種別", "行動名", "日付", "時間", "会場", "主催", "参加団体", "公開",
                 "参加報告"]
ORGS_HEADER = ["団体名", "略称", "別名", "キー", "区分"]
PETITIONS_HEADER = ["ID", "自治体", "議会", "種別", "件名", "提出日", "提出者", "紹介議員", "出典",
                    "公開", "備考"]
SESSIONS_HEADER = ["ID", "請願ID", "日付", "時間", "会議", "結果", "採決", "会場", "出典", "備考"]


def council_tabs(
    prefix: str, towns: list[str], *, blank_id: bool = False
) -> dict[str, list[list[Any]]]:
    """One council's tabs: three actions (one with the shared ID ``cv-1``), the two
    organisations, and a petition adopted in each of ``towns``."""
    events = [
        EVENTS_HEADER,
        ["cv-1", "キャラバン", f"{prefix}自治体キャラバン", "2026-12-10", "9:30～16:00", "",
         "年金者組合", "医療生協", "", ""],
        [f"{prefix}-st", "宣伝行動", f"{prefix}駅前宣伝", "2026-12-14", "12:00～13:00",
         "駅前", "医療生協", "", "", "年金者組合4人、医療生協3人、計7人が参加。"],
        ["" if blank_id else f"{prefix}-ku", "学習会", f"{prefix}介護保険学習会",
         "2026-12-20", "18:30～20:30", "会議室", "年金者組合", "", "", ""],
    ]
    petitions = [PETITIONS_HEADER]
    sessions = [SESSIONS_HEADER]
    for number, town in enumerate(towns, start=1):
        petitions.append([f"p{number}", town, "", "請願", "国民健康保険料の引き下げを求める請願",
                          "2026-09-01", "社保協", "", "", "", ""])
        sessions.append([f"s{number}", f"p{number}", "2026-10-01", "", "本会議", "採択",
                         "", "", "", ""])
    return {
        "行動": events,
        "団体": [ORGS_HEADER, ["年金者組合", "", "", "nenkin", ""], ["医療生協", "", "", "", ""]],
        "請願": petitions,
        "審議": sessions,
    }


KANAGAWA = council_tabs("kn", ["横浜市", "川崎市"], blank_id=True)
TOKYO = council_tabs("tk", ["杉並区"])
SAITAMA = council_tabs("st", [])
CHIBA = council_tabs("cb", [])


def write_councils(folder: Path, google_key: str) -> Path:
    """Three workbooks and a configuration naming them and the Google Sheet; its path."""
    write_xlsx(KANAGAWA, folder / "kanagawa.xlsx")
    write_xlsx(TOKYO, folder / "tokyo.xlsx")
    write_xlsx(SAITAMA, folder / "saitama.xlsx")
    config = folder / "campaign-sheets.toml"
    config.write_text(
        'fiscal_year = 2026\n'
        'out = "public"\nstate = "state.sqlite"\n'
        '[calendar]\nname = "全国社保協 行動予定"\n'
        f'uid_domain = "{DOMAIN}"\nbase_url = "https://national.example.org/calendar/"\n'
        '[[sources]]\nsource = "kanagawa.xlsx"\nprefecture = "神奈川県"\nname = "神奈川県社保協"\n'
        '[[sources]]\nsource = "tokyo.xlsx"\nprefecture = "東京都"\nname = "東京社保協"\n'
        '[[sources]]\nsource = "saitama.xlsx"\nprefecture = "埼玉"\nname = "埼玉県社保協"\n'
        f'[[sources]]\nsource = "gsheet:{google_key}"\nprefecture = "12"\nname = "千葉県社保協"\n',
        encoding="utf-8",
    )
    return config
