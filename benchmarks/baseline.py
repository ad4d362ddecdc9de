"""The naive rebuild a user would otherwise script, for comparison with a sync.

Written as a competent organiser with Python would write it, without campaign-sheets:
read every tab with openpyxl (read-only, values only), parse the date and time forms
the schedule uses with a few regular expressions, build every event with icalendar
(every feed, every event's own file, the members' feed), regenerate every QR code
(PNG and SVG) and every page and flyer with jinja2, and group participation and
results with pandas into CSV, Excel, Markdown and a chart. Everything is rebuilt and
rewritten on every run: there is no memory of the previous one.

    python benchmarks/baseline.py WORKBOOK OUT
"""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
import openpyxl
import pandas as pd
import qrcode
import qrcode.image.svg
from icalendar import Calendar, Event, vRecur

TZ = ZoneInfo("Asia/Tokyo")
FORM = "https://docs.google.com/forms/d/e/FORM_ID/viewform?usp=pp_url&entry.111={id}&entry.222={org}"
REIWA = 2018
WEEKDAYS = {"月": "MO", "火": "TU", "水": "WE", "木": "TH", "金": "FR", "土": "SA", "日": "SU"}
PAGE = jinja2.Template("""<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>{{ e.title }}</title></head><body><h1>{{ e.title }}</h1>
<p>{{ e.date }} {{ e.time }}</p><p>{{ e.venue }} {{ e.address }}</p>
<p>{{ e.description }}</p>{% if e.speaker %}<p>講師: {{ e.speaker }}</p>{% endif %}
<p><a href="{{ e.url }}">参加登録</a></p><img src="qr.png" alt="QR">
<p><a href="event.ics">カレンダーに追加</a></p></body></html>""", autoescape=True)
FLYER = jinja2.Template("""<!doctype html><html lang="ja"><head><meta charset="utf-8">
<style>@page { size: A4 }</style></head><body><h1>{{ e.title }}</h1>
<p>{{ e.date }} {{ e.time }} {{ e.venue }}</p><p>{{ e.description }}</p>
<p>参加登録はURL・QRより</p><img src="qr.svg" alt="QR"><p>{{ e.url }}</p></body></html>""",
                        autoescape=True)
INDEX = jinja2.Template("""<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>行動予定</title></head><body><h1>行動予定</h1>
<p><a href="webcal://example.org/calendar/calendar.ics">カレンダーを購読</a></p><ul>
{% for e in events %}<li>{{ e.date }} <a href="events/{{ e.id }}/">{{ e.title }}</a></li>
{% endfor %}</ul></body></html>""", autoescape=True)


def read_tabs(path: Path) -> dict[str, pd.DataFrame]:
    """Every tab as a DataFrame, the first row as the header."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    frames = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if rows:
            header = [str(h) for h in rows[0]]
            width = len(header)
            body = [(*r, *[None] * (width - len(r)))[:width] for r in rows[1:]]
            frames[sheet.title] = pd.DataFrame(body, columns=header)
    book.close()
    return frames


def parse_date(value: Any) -> date:
    """A date cell or one of the typed forms of the schedule."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"[(（].*?[)）]", "", text)
    m = re.match(r"令和(\d+)年(\d+)月(\d+)日", text) or re.match(r"R(\d+)\.(\d+)\.(\d+)", text)
    if m:
        return date(REIWA + int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})", text)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(f"unreadable date {value!r}")


def _clock(text: str) -> time:
    pm = text.startswith("午後")
    text = text.removeprefix("午後").removeprefix("午前")
    m = re.match(r"(\d{1,2})(?::(\d{2})|時(半|(\d{1,2})分)?)?", text)
    if not m:
        raise ValueError(text)
    hour = int(m[1]) + (12 if pm and int(m[1]) < 12 else 0)
    minute = int(m[2] or m[4] or 0) + (30 if m[3] == "半" else 0)
    return time(hour % 24, minute)


def parse_times(row: dict[str, Any]) -> tuple[time | None, time | None]:
    """Start and end from 時間 (``13:30～15:00``, ``13時より``) or 開始/終了."""
    if isinstance(row.get("開始"), time):
        return row["開始"], row.get("終了")
    text = unicodedata.normalize("NFKC", str(row.get("時間") or "")).strip()
    if not text:
        return None, None
    parts = re.split(r"[~〜～\-]|から", text.replace("より", ""))
    start = _clock(parts[0].strip())
    end = _clock(("午後" if text.startswith("午後") else "") + parts[1].strip()) \
        if len(parts) > 1 and parts[1].strip() else None
    return start, end


def rrule(phrase: str) -> dict[str, Any] | None:
    """The recurrence of the phrases the schedule uses."""
    if not phrase:
        return None
    if phrase.startswith("FREQ="):
        return dict(vRecur.from_ical(phrase))
    if m := re.match(r"毎月(\d)のつく日", phrase):
        d = int(m[1])
        return {"freq": "monthly", "bymonthday": [d, d + 10, d + 20]}
    if m := re.match(r"毎週(.)曜", phrase):
        return {"freq": "weekly", "byday": [WEEKDAYS[m[1]]]}
    if m := re.match(r"毎月第(\d)(.)曜", phrase):
        return {"freq": "monthly", "byday": [f"{m[1]}{WEEKDAYS[m[2]]}"]}
    return None


def events_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The actions as dictionaries, with parsed dates, times and links."""
    out = []
    for record in frame.to_dict("records"):
        row = {str(k): (None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
               for k, v in record.items()}
        day = parse_date(row["日付"])
        start, end = parse_times(row)
        out.append({
            "id": row["ID"], "kind": row["種別"], "title": row["行動名"], "day": day,
            "date": f"{day.month}月{day.day}日", "start": start, "end": end,
            "time": f"{start:%H:%M}～{end:%H:%M}" if start and end else "",
            "venue": row["会場"] or "", "address": row["住所"] or "",
            "description": row["説明"] or "", "speaker": row["講師"] or "",
            "series": row["シリーズ"], "organizer": row["主催"],
            "orgs": str(row["参加団体"] or "").split("、"), "repeat": row["繰り返し"] or "",
            "except": row["除外日"], "status": row["状態"] or "予定",
            "members": row["公開"] == "会員", "contact": row["連絡先"],
            "url": row["申込URL"] or FORM.format(id=quote(str(row["ID"])), org=""),
        })
    return out


def vevent(e: dict[str, Any], members: bool) -> Event:
    """One VEVENT."""
    ev = Event()
    ev.add("uid", f"{e['id']}@example.org")
    ev.add("dtstamp", datetime(2026, 1, 1, tzinfo=TZ))
    cancelled = e["status"] == "中止"
    ev.add("summary", ("【中止】" if cancelled else "") + e["title"])
    if e["start"]:
        ev.add("dtstart", datetime.combine(e["day"], e["start"], TZ))
        if e["end"]:
            ev.add("dtend", datetime.combine(e["day"], e["end"], TZ))
    else:
        ev.add("dtstart", e["day"])
        ev.add("dtend", e["day"] + timedelta(days=1))
    if rule := rrule(e["repeat"]):
        ev.add("rrule", rule)
        if e["except"]:
            skipped = parse_date(e["except"])
            ev.add("exdate", datetime.combine(skipped, e["start"], TZ) if e["start"] else skipped)
    ev.add("location", f"{e['venue']} {e['address']}".strip())
    ev.add("description", e["description"] + (f"\n連絡先: {e['contact']}" if members else ""))
    ev.add("url", e["url"])
    if cancelled:
        ev.add("status", "CANCELLED")
    return ev


def calendar(events: list[dict[str, Any]], name: str, members: bool = False) -> bytes:
    """A whole feed, with its VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", "-//bench baseline//ja")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for e in events:
        cal.add_component(vevent(e, members))
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def feeds(events: list[dict[str, Any]], names: dict[str, str]) -> dict[str, bytes]:
    """calendar.ics, per kind, organisation and series, and the members' tree."""
    public = [e for e in events if not e["members"]]
    files = {"calendar.ics": calendar(public, "行動予定"),
             "members/token/calendar.ics": calendar(events, "行動予定（会員）", members=True)}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in public:
        groups[f"kinds/{e['kind']}.ics"].append(e)
        for org in {e["organizer"], *e["orgs"]}:
            if org in names:
                groups[f"orgs/{names[org]}.ics"].append(e)
        if e["series"]:
            groups[f"series/{e['series']}.ics"].append(e)
    for path, members in groups.items():
        files[path] = calendar(members, path)
    return files


def qr_codes(url: str) -> tuple[bytes, bytes]:
    """A link's QR code as PNG and SVG."""
    png, svg = BytesIO(), BytesIO()
    qrcode.make(url).save(png)
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage).save(svg)
    return png.getvalue(), svg.getvalue()


def event_files(e: dict[str, Any], names: dict[str, str]) -> dict[str, bytes]:
    """An event's page and own feed, and a flyer with its QR codes for the event and for
    each organisation that organises it (their registration link names them)."""
    folder = f"events/{e['id']}/"
    files = {
        folder + "index.html": PAGE.render(e=e).encode(),
        folder + "event.ics": calendar([e], e["title"]),
    }
    variants = {"": e["url"]}
    for org in {e["organizer"], *e["orgs"]}:
        if org in names and not e["members"]:
            variants["-" + names[org]] = FORM.format(id=quote(e["id"]), org=quote(org))
    for suffix, url in variants.items():
        png, svg = qr_codes(url)
        files[f"{folder}qr{suffix}.png"] = png
        files[f"{folder}qr{suffix}.svg"] = svg
        files[f"{folder}flyer{suffix}.html"] = FLYER.render(e={**e, "url": url}).encode()
    return files


def reports(tabs: dict[str, pd.DataFrame], out: Path) -> None:
    """Roll-ups by action, organisation and item, as CSV, Excel, Markdown and a chart."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib_fontja  # noqa: F401  (Japanese labels)
    from matplotlib import pyplot as plt

    events, part, results = tabs["行動"], tabs["参加"], tabs["成果"]
    part = part.merge(events[["ID", "種別", "行動名"]], left_on="行動ID", right_on="ID")
    by_action = part.groupby(["行動ID", "行動名"], as_index=False).agg(
        団体数=("団体", "nunique"), 人数=("人数", "sum"))
    by_org = part.groupby("団体", as_index=False).agg(
        行動数=("行動ID", "nunique"), 人数=("人数", "sum"))
    tallies = results.groupby(["項目", "内訳", "単位"], dropna=False, as_index=False)["数"].sum()
    (out / "reports").mkdir(parents=True, exist_ok=True)
    by_action.to_csv(out / "reports/by-action.csv", index=False)
    by_org.to_csv(out / "reports/by-org.csv", index=False)
    tallies.to_csv(out / "reports/tallies.csv", index=False)
    with pd.ExcelWriter(out / "reports/report.xlsx") as writer:
        by_action.to_excel(writer, sheet_name="行動別", index=False)
        by_org.to_excel(writer, sheet_name="団体別", index=False)
        tallies.to_excel(writer, sheet_name="成果", index=False)
    (out / "reports/report.md").write_text(by_org.to_markdown(index=False)
                                           if _has_tabulate() else by_org.to_string())
    top = by_org.sort_values("人数", ascending=False).head(20)
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.barh(top["団体"], top["人数"])
    fig.savefig(out / "reports/participation.png", dpi=100)
    plt.close(fig)


def _has_tabulate() -> bool:
    """pandas writes Markdown only with the optional ``tabulate``."""
    return importlib.util.find_spec("tabulate") is not None


def rebuild(workbook: Path, out: Path) -> int:
    """Rebuild every output from ``workbook`` into ``out``; the number of files written."""
    tabs = read_tabs(workbook)
    names = dict(zip(tabs["団体"]["団体名"], tabs["団体"]["キー"], strict=True))
    events = events_of(tabs["行動"])
    files = feeds(events, names)
    for e in events:
        files.update(event_files(e, names))
    files["index.html"] = INDEX.render(
        events=sorted((e for e in events if not e["members"]), key=lambda e: e["day"])
    ).encode()
    for path, data in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    reports(tabs, out)
    return len(files) + 6


if __name__ == "__main__":
    print(rebuild(Path(sys.argv[1]), Path(sys.argv[2])))
