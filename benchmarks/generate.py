"""Generate a realistic campaign workbook of N actions, for benchmarks.

Every kind, dates in several typed forms and as date cells, times in several forms,
a repetition on every 25th action, ten participation rows per action, results and
registrations, 30 organisations with aliases. Deterministic for a given N and seed.

    python benchmarks/generate.py --events 5000 -o /tmp/big.xlsx
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from campaign_sheets.model import kinds
from campaign_sheets.parsing.dates import format_date
from campaign_sheets.schema import tab_spec

FIRST_DAY = date(2026, 4, 1)
ORG_STEMS = ["保険医協会", "年金者組合", "医療生協", "建設ユニオン", "地区労", "民商", "新婦人",
             "自治労連", "生健会", "借地借家人組合"]
TIMES = ["13:30～15:00", "10時～12時", "午後1時半～3時", "18:30-20:30", "13時より", "", "9:45〜12:00"]
DATE_STYLES = ["iso", "slash", "kanji", "kanji_weekday", "reiwa", None]


def orgs(count: int = 30) -> list[list[object]]:
    """The 団体 rows: canonical name, short name, aliases, key, category."""
    rows: list[list[object]] = []
    for i in range(count):
        stem = ORG_STEMS[i % len(ORG_STEMS)]
        name = f"{stem}{i // len(ORG_STEMS) + 1}支部" if i >= len(ORG_STEMS) else f"県{stem}"
        rows.append([name, stem if i < len(ORG_STEMS) else "", f"{name}本部、{name}事務局",
                     f"org{i:02d}", "加盟"])
    return rows


def events(n: int, rng: random.Random, org_names: list[str]) -> list[list[object]]:
    """The 行動 rows in the column order of the schema."""
    keys = [k.key for k in kinds()]
    rows: list[list[object]] = []
    for i in range(n):
        day = FIRST_DAY + timedelta(days=rng.randrange(365))
        style = DATE_STYLES[i % len(DATE_STYLES)]
        kind = keys[i % len(keys)]
        repeat = "毎月4のつく日" if i % 25 == 0 else ""
        rows.append({
            "id": f"E{i:06d}", "kind": kind, "title": f"{kind}行動 第{i}回 社会保障を守れ",
            "date": day if style is None else format_date(day, style),
            "time": TIMES[i % len(TIMES)], "venue": f"{rng.choice(['横浜', '川崎', '相模原'])}駅前",
            "address": "神奈川県横浜市西区1-1", "organizer": rng.choice(org_names),
            "orgs": "、".join(rng.sample(org_names, 2)), "series": f"連続講座{i % 7}" if kind == "course" else "",
            "speaker": "講師 太郎" if kind in ("study", "course") else "", "repeat": repeat,
            "registration": "", "capacity": 50, "status": "中止" if i % 97 == 0 else "",
            "visibility": "会員" if kind == "meeting" else "", "region": f"地域{i % 5}",
            "description": "医療・介護・年金の改善を求めて宣伝します。" * 2,
            "contact": "045-000-0000",
            "report": "参加は、年金者組合5人（うち支部役員2人）、医療生協3人の計2団体8人。署名31筆、チラシ600枚でした。"
            if i % 3 == 0 else "",
        })
    columns = [c.key for c in tab_spec("events").columns]
    return [[row.get(key, "") for key in columns] for row in rows]  # type: ignore[attr-defined]


def write_workbook(path: Path, n: int, seed: int = 7) -> Path:
    """Write a workbook of ``n`` actions to ``path``."""
    rng = random.Random(seed)
    org_rows = orgs()
    names = [str(r[0]) for r in org_rows]
    book = Workbook(write_only=True)
    tabs = {
        "events": events(n, rng, names),
        "participation": [[f"E{i:06d}", names[(i + j) % len(names)], rng.randrange(1, 9), "役員1", ""]
                          for i in range(n) for j in range(10)],
        "results": [[f"E{i:06d}", item, label, rng.randrange(1, 700), unit]
                    for i in range(n) for item, label, unit in
                    (("署名", "介護を守れ", "筆"), ("チラシ", "", "枚"))],
        "orgs": org_rows,
        "registrations": [[f"2026-05-01 10:00:{i % 60:02d}", f"E{i % n:06d}", rng.choice(names), 1,
                           "山田 太郎", "taro@example.org", "090-0000-0000"] for i in range(n)],
    }
    for key, rows in tabs.items():
        spec = tab_spec(key)
        sheet = book.create_sheet(spec.name)
        header = [c.header for c in spec.columns]
        if key == "registrations":
            header += ["お名前", "メールアドレス", "電話番号"]
        sheet.append(header)
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
    book.save(path)
    return path


def main() -> None:
    """Command line: ``--events N -o FILE``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(write_workbook(args.output, args.events, args.seed))


if __name__ == "__main__":
    main()
