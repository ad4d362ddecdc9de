"""Generate a realistic campaign workbook of N actions, for benchmarks.

Every kind; dates in every typed form and as date cells; times as ranges, start-only
phrases and separate 開始/終了 cells; repetitions (毎月4のつく日, 毎週水曜, 毎月第2木曜,
an RRULE) with skipped dates; numbered course sessions sharing a series; members-only
meetings, cancelled and postponed actions; report sentences on a third of the actions;
ten participation rows per action (some with a breakdown, some with an unknown count),
results (signatures, leaflets, sticker polls), registrations with personal columns,
and 30 organisations typed by their name, short name or an alias. Deterministic for a
given N and seed.

    python benchmarks/generate.py --events 5000 -o /tmp/big.xlsx
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from openpyxl import Workbook

from campaign_sheets.core.model import kinds
from campaign_sheets.core.schema import tab_spec
from campaign_sheets.parsing.dates import format_date

FIRST_DAY = date(2026, 4, 1)
ORG_STEMS = ["保険医協会", "年金者組合", "医療生協", "建設ユニオン", "地区労", "民商", "新婦人",
             "自治労連", "生健会", "借地借家人組合"]
TIMES = ["13:30～15:00", "10時～12時", "午後1時半～3時", "18:30-20:30", "13時より", "",
         "9:45〜12:00", "１３：３０～１５：００"]
DATE_STYLES = ["iso", "slash", "kanji", "kanji_weekday", "reiwa", None]
REPEATS = ["毎月4のつく日", "毎週水曜", "毎月第2木曜", "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=6"]
REPORTS = [
    "参加は、{a}5人（うち支部役員2人）、{b}3人、{c}2人の計3団体10人。チラシ600枚、署名31筆、"
    "シール投票48（反対45、賛成3）でした。",
    "会場28人、オンライン９カ所の参加で開催しました。",
    "３団体９名（{a}役員２事務局１ほか、{b}、{c}）参加。署名：１２筆。チラシ：300個配布。",
    "「介護を守れ」署名15筆、年金署名4筆、消費税10％反対署名7筆。相談は22件でした。",
]
#: Personal columns of the Google Form responses (never copied anywhere).
PERSONAL = ["お名前", "メールアドレス", "電話番号"]

Row = list[Any]


def orgs(count: int = 30) -> list[Row]:
    """The 団体 rows: canonical name, short name, aliases, key, category."""
    rows: list[Row] = []
    for i in range(count):
        stem = ORG_STEMS[i % len(ORG_STEMS)]
        name = f"{stem}{i // len(ORG_STEMS) + 1}支部" if i >= len(ORG_STEMS) else f"県{stem}"
        rows.append([name, stem if i < len(ORG_STEMS) else "", f"{name}本部、{name}事務局",
                     f"org{i:02d}", "加盟"])
    return rows


def _typed_names(org_rows: Sequence[Row]) -> list[str]:
    """Every way an organisation is typed: its name, short name and aliases."""
    names: list[str] = []
    for name, short, aliases, _key, _category in org_rows:
        names += [name, *([short] if short else []), *str(aliases).split("、")]
    return names


def _event(i: int, rng: random.Random, names: list[str], typed: list[str]) -> dict[str, Any]:
    """One action, keyed by field: varied the way a real schedule is."""
    keys = [k.key for k in kinds()]
    kind = keys[i % len(keys)]
    day = FIRST_DAY + timedelta(days=rng.randrange(365))
    style = DATE_STYLES[i % len(DATE_STYLES)]
    row: dict[str, Any] = {
        "id": f"E{i:06d}", "kind": kind, "title": f"{kind}行動 第{i}回 社会保障を守れ",
        "date": day if style is None else format_date(day, style),
        "venue": f"{rng.choice(['横浜', '川崎', '相模原', '藤沢'])}駅前",
        "address": "神奈川県横浜市西区1-1", "organizer": rng.choice(names),
        "orgs": "、".join(rng.sample(typed, 2)), "capacity": 50, "region": f"地域{i % 5}",
        "description": "医療・介護・年金の改善を求めて宣伝します。" * 2,
        "contact": "045-000-0000",
    }
    if i % 11 == 5:
        row["start"], row["end"] = time(18, 30), time(20, 0)
    else:
        row["time"] = TIMES[i % len(TIMES)]
    if i % 25 == 0:
        row["repeat"] = REPEATS[(i // 25) % len(REPEATS)]
        if row["repeat"] == "毎月4のつく日":
            # A holiday skipped: the 14th of the next month is an occurrence.
            skipped = (day.replace(day=1) + timedelta(days=32)).replace(day=14)
            row["except"] = format_date(skipped, "iso")
    if kind == "course":
        row["series"] = f"連続講座{i % 7}"
        row["title"] = f"連続講座{i % 7} 第{i // 7 % 12 + 1}回"
    if kind in ("study", "course", "rally"):
        row["speaker"] = "講師 太郎"
        row["online"] = f"https://zoom.example.org/j/{i:08d}"
    if kind == "meeting":
        row["visibility"] = "会員"
    if i % 97 == 0:
        row["status"] = "中止"
    elif i % 89 == 0:
        row["status"] = "延期"
    if i % 3 == 0:
        a, b, c = rng.sample(typed, 3)
        row["report"] = REPORTS[i // 3 % len(REPORTS)].format(a=a, b=b, c=c)
    return row


def events(n: int, rng: random.Random, names: list[str], typed: list[str]) -> list[Row]:
    """The 行動 rows in the column order of the schema."""
    columns = [c.key for c in tab_spec("events").columns]
    return [[row.get(key, "") for key in columns]
            for row in (_event(i, rng, names, typed) for i in range(n))]


def participation(n: int, rng: random.Random, typed: list[str]) -> list[Row]:
    """Ten rows per action; a breakdown on some, an unknown (blank) count on a few."""
    rows: list[Row] = []
    for i in range(n):
        for j in range(10):
            people: object = "" if (i + j) % 37 == 0 else rng.randrange(1, 9)
            breakdown = "役員1" if j % 3 == 0 else ""
            rows.append([f"E{i:06d}", typed[(i + j) % len(typed)], people, breakdown, ""])
    return rows


def results(n: int, rng: random.Random) -> list[Row]:
    """Signatures and leaflets for every action, a sticker poll for every fifth."""
    rows: list[Row] = []
    for i in range(n):
        rows.append([f"E{i:06d}", "署名", "介護を守れ", rng.randrange(1, 700), "筆"])
        rows.append([f"E{i:06d}", "チラシ", "", rng.randrange(1, 700), "枚"])
        if i % 5 == 0:
            against = rng.randrange(1, 80)
            rows.append([f"E{i:06d}", "シール投票", "反対", against, ""])
            rows.append([f"E{i:06d}", "シール投票", "賛成", rng.randrange(0, 10), ""])
    return rows


def registrations(n: int, rng: random.Random, names: list[str]) -> list[Row]:
    """One Google Form response per action, with the personal columns a form collects."""
    start = datetime(2026, 5, 1, 10, 0)
    return [[start + timedelta(minutes=i), f"E{i % n:06d}", rng.choice(names), 1 + i % 3,
             "山田 太郎", "taro@example.org", "090-0000-0000"] for i in range(n)]


def tables(n: int, seed: int = 7) -> dict[str, list[Row]]:
    """Every tab of a workbook of ``n`` actions: tab name → rows, header row first.

    Cells are Python values (text, numbers, dates, times); ``""`` is an empty cell.
    """
    rng = random.Random(seed)
    org_rows = orgs()
    names = [str(r[0]) for r in org_rows]
    typed = _typed_names(org_rows)
    body = {
        "events": events(n, rng, names, typed),
        "participation": participation(n, rng, typed),
        "results": results(n, rng),
        "orgs": org_rows,
        "registrations": registrations(n, rng, names),
    }
    out: dict[str, list[Row]] = {}
    for key, rows in body.items():
        spec = tab_spec(key)
        header: Row = [c.header for c in spec.columns]
        if key == "registrations":
            header += PERSONAL
        out[spec.name] = [header, *rows]
    return out


def write_workbook(path: Path, n: int, seed: int = 7) -> Path:
    """Write a workbook of ``n`` actions to ``path``."""
    book = Workbook(write_only=True)
    for name, rows in tables(n, seed).items():
        sheet = book.create_sheet(name)
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
