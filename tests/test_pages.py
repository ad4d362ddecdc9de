"""Event pages, flyers and the public index, as a member of the public reads them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from campaign_sheets.core.outputs import OutputFiles
from campaign_sheets.pages.build import build_pages, split_upcoming
from campaign_sheets.pages.dates import format_date, format_time, next_date
from pages_support import TODAY, TOKEN, hrefs, page_context, parse_html, winter_actions


@pytest.fixture(scope="module")
def tree() -> OutputFiles:
    return build_pages(page_context(), pdf=False)


def text_of(files: OutputFiles, path: str) -> str:
    return "".join(parse_html(files[path]).text)


def test_the_public_tree_has_index_event_pages_qr_codes_and_flyers(tree: OutputFiles) -> None:
    public = {p for p in tree if not p.startswith("members/")}
    assert "index.html" in public
    for event in ("station-4", "study-1207", "rally-1214", "nego-1218", "consult-1020"):
        for name in ("index.html", "flyer.html", "qr.png", "qr.svg"):
            assert f"events/{event}/{name}" in public
    # the organiser (主催) of an action ahead gets its own flyer and code, named by the
    # 団体 tab's キー; the organisations that join it (参加団体) hand out the action's own
    for name in ("flyer-shahokyo.html", "qr-shahokyo.png", "qr-shahokyo.svg"):
        assert f"events/station-4/{name}" in public
        assert f"events/nego-1218/{name}" in public  # postponed: still open for registration
    for key in ("nenkin", "iryo-seikyo"):
        assert not [p for p in public if p.startswith("events/station-4/") and key in p]


def test_organisations_flyers_only_where_one_is_printed(tree: OutputFiles) -> None:
    """No organiser's flyer after the action (consult-1020 is done and past), for a
    cancelled one (rally-1214), or where the row has its own 申込URL, which cannot
    carry the organisation (study-1207)."""
    for event in ("consult-1020", "rally-1214", "study-1207"):
        names = {p.rsplit("/", 1)[1] for p in tree if p.startswith(f"events/{event}/")}
        assert not {n for n in names if n.startswith(("flyer-", "qr-"))}, event
        assert "flyer.html" in names


def test_an_event_page_says_when_in_japanese_with_the_weekday(tree: OutputFiles) -> None:
    text = text_of(tree, "events/study-1207/index.html")
    assert "2025年12月7日（日）" in text
    assert "13:30〜" in text and "終了時刻は未定です" in text
    facts = ("県民センター301", "山田花子（社会保障研究者）", "社会保障入門講座", "県社保協")
    assert "80人" in text
    for fact in facts:
        assert fact in text


def test_an_event_page_links_map_online_registration_calendar_and_series(tree: OutputFiles) -> None:
    links = hrefs(tree["events/study-1207/index.html"])
    osm = [h for h in links if h.startswith("https://www.openstreetmap.org/search?query=")]
    assert [unquote(h.split("=", 1)[1]) for h in osm] == ["横浜市神奈川区鶴屋町2-24-2"]
    assert "https://zoom.example.org/j/123" in links
    assert "https://forms.example.org/r?id=study-1207" in links
    assert "event.ics" in links
    assert any(h.startswith("webcal://example.org/calendar/series/") for h in links)
    assert "webcal://example.org/calendar/calendar.ics" in links
    imgs = [a for tag, a in parse_html(tree["events/study-1207/index.html"]).tags if tag == "img"]
    assert [a["src"] for a in imgs] == ["qr.svg"]


def test_a_description_keeps_its_line_breaks(tree: OutputFiles) -> None:
    page = tree["events/study-1207/index.html"].decode("utf-8")
    assert "第1部 講演\n第2部 質疑応答\n会場とオンラインの併用です。" in page
    assert re.search(r"\.description \{[^}]*white-space: pre-line", page)


def test_a_repeating_action_is_described_in_japanese(tree: OutputFiles) -> None:
    text = text_of(tree, "events/station-4/index.html")
    assert "毎月4・14・24日" in text
    assert "2025年12月24日（水）" in text  # the skipped day


@pytest.mark.parametrize(
    ("event", "word", "banner"),
    [("rally-1214", "中止", "中止になりました"), ("nego-1218", "延期", "延期になりました")],
)
def test_a_cancelled_or_postponed_action_has_a_clear_banner(
    tree: OutputFiles, event: str, word: str, banner: str
) -> None:
    parsed = parse_html(tree[f"events/{event}/index.html"])
    alerts = [a for tag, a in parsed.tags if a.get("role") == "alert"]
    assert len(alerts) == 1
    text = "".join(parsed.text)
    assert f"【{word}】" in text and banner in text
    flyer = text_of(tree, f"events/{event}/flyer.html")
    assert word in flyer


def test_a_cancelled_action_offers_no_registration(tree: OutputFiles) -> None:
    links = hrefs(tree["events/rally-1214/index.html"])
    assert not any("docs.google.com/forms" in h for h in links)
    tags = parse_html(tree["events/rally-1214/flyer.html"]).tags
    assert not [a for tag, a in tags if tag == "img"]
    assert "参加登録はURL・QRより" not in text_of(tree, "events/rally-1214/flyer.html")


def test_the_flyer_is_a4_with_a_35mm_code_and_the_link_in_text(tree: OutputFiles) -> None:
    page = tree["events/study-1207/flyer.html"].decode("utf-8")
    assert "@page { size: A4" in page
    assert ".register img { width: 35mm; height: 35mm;" in page
    text = text_of(tree, "events/study-1207/flyer.html")
    assert "参加登録はURL・QRより" in text
    assert "https://forms.example.org/r?id=study-1207" in text
    assert "2025年12月7日（日） 13:30〜" in text
    # the flyer shows the code published beside it, not a copy of it
    imgs = [a for tag, a in parse_html(tree["events/study-1207/flyer.html"]).tags if tag == "img"]
    assert len(imgs) == 1 and imgs[0]["src"] == "qr.svg"
    assert b"base64" not in tree["events/study-1207/flyer.html"]


def test_an_organisations_flyer_carries_its_own_registration_link(tree: OutputFiles) -> None:
    text = text_of(tree, "events/station-4/flyer-shahokyo.html")
    form = re.search(r"https://docs\.google\.com/forms/\S+", text)
    assert form is not None
    assert unquote(form.group(0)).endswith(
        "entry.1061254370=station-4&entry.2095814622=県社会保障推進協議会")
    assert tree["events/station-4/qr-shahokyo.png"] != tree["events/station-4/qr.png"]
    imgs = [a for tag, a in parse_html(tree["events/station-4/flyer-shahokyo.html"]).tags
            if tag == "img"]
    assert [img["src"] for img in imgs] == ["qr-shahokyo.svg"]


def test_the_index_lists_upcoming_actions_by_month_from_today(tree: OutputFiles) -> None:
    page = parse_html(tree["index.html"])
    text = "".join(page.text)
    assert "2025年12月" in text
    # the monthly station action is listed under its next date, not its first
    assert "2025年12月4日（木）" in text
    items = [a for tag, a in page.tags if tag == "li" and a.get("data-kind")]
    assert {a["data-kind"] for a in items} >= {"street", "study", "rally", "negotiation"}
    assert "events/study-1207/" in hrefs(tree["index.html"])


def test_the_index_has_kind_filters_and_past_actions(tree: OutputFiles) -> None:
    page = parse_html(tree["index.html"])
    filters = [a["data-filter"] for tag, a in page.tags if tag == "button"]
    assert filters[0] == "all" and "street" in filters and "study" in filters
    text = "".join(page.text)
    past = text.split("終わった行動")[1]
    assert "なんでも電話相談" in past
    scripts = [a for tag, a in page.tags if tag == "script"]
    assert scripts == [{}]  # one inline script, nothing loaded from elsewhere


def test_the_index_offers_webcal_https_and_google_subscriptions(tree: OutputFiles) -> None:
    links = hrefs(tree["index.html"])
    assert "webcal://example.org/calendar/calendar.ics" in links
    assert "https://example.org/calendar/calendar.ics" in links
    assert "webcal://example.org/calendar/kinds/street.ics" in links
    google = [h for h in links if h.startswith("https://calendar.google.com/calendar/render?cid=")]
    assert unquote(google[0].split("cid=", 1)[1]) == "webcal://example.org/calendar/calendar.ics"
    text = text_of(tree, "index.html")
    assert "他のカレンダー" in text and "URLで追加" in text
    assert "8〜24時間" in text


def test_without_a_base_url_links_are_relative(tmp_path: Path) -> None:
    files = build_pages(page_context(base_url="", token=None), pdf=False)
    links = hrefs(files["index.html"])
    assert "calendar.ics" in links
    assert not any(h.startswith("webcal:") for h in links)
    assert "../../calendar.ics" in hrefs(files["events/station-4/index.html"])


def test_pages_load_nothing_from_elsewhere(tree: OutputFiles) -> None:
    for path, data in tree.items():
        if path.endswith(".html"):
            for tag, attrs in parse_html(data).tags:
                src = attrs.get("src") or (attrs.get("href") if tag == "link" else None)
                assert src is None or not re.match(r"(https?:)?//", str(src)), (path, tag, src)


def test_pages_are_readable_on_a_phone(tree: OutputFiles) -> None:
    for path in ("index.html", "events/station-4/index.html", "events/station-4/flyer.html"):
        metas = [a for tag, a in parse_html(tree[path]).tags if tag == "meta"]
        assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas


def test_the_build_is_deterministic_and_carries_no_build_time() -> None:
    first = build_pages(page_context(), pdf=False)
    second = build_pages(page_context(), pdf=False)
    assert first == second
    for path, data in first.items():
        if path.endswith(".html"):
            assert b"2025-12-01" not in data, path  # today appears nowhere


def test_a_template_folder_overrides_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "event.html").write_text(
        '{% extends "base.html" %}{% block main %}<p id="own">{{ event.title }}</p>{% endblock %}',
        encoding="utf-8",
    )
    files = build_pages(page_context(templates=tmp_path, token=None), pdf=False)
    page = files["events/station-4/index.html"].decode()
    assert '<p id="own">4のつく日 横浜駅西口宣伝</p>' in page
    assert "これからの行動" in files["index.html"].decode()


def test_members_pages_live_under_the_token_with_members_events_and_contacts(
    tree: OutputFiles,
) -> None:
    prefix = f"members/{TOKEN}/"
    assert prefix + "index.html" in tree
    page = text_of(tree, prefix + "events/meeting-1210/index.html")
    assert "事務局長 090-0000-2222" in page
    assert "事務局 045-000-1111" in text_of(tree, prefix + "events/station-4/index.html")
    assert "webcal://example.org/calendar/members/" + TOKEN + "/calendar.ics" in hrefs(
        tree[prefix + "index.html"]
    )
    assert "events/meeting-1210/" in hrefs(tree[prefix + "index.html"])
    metas = [a for tag, a in parse_html(tree[prefix + "index.html"]).tags if tag == "meta"]
    assert {"name": "robots", "content": "noindex, nofollow"} in metas


def test_no_members_tree_without_a_token() -> None:
    files = build_pages(page_context(token=None), pdf=False)
    assert not any(p.startswith("members/") for p in files)


def test_dates_and_times_as_pages_print_them() -> None:
    from datetime import date, time

    assert format_date(date(2025, 12, 7)) == "12月7日（日）"
    assert format_date(date(2026, 1, 5), with_year=True) == "2026年1月5日（月）"
    assert format_time(time(13, 30), None) == "13:30〜"
    assert format_time(time(9, 45), time(12, 0)) == "9:45〜12:00"
    assert format_time(None, None) == ""


def test_a_repeating_action_skips_its_excluded_dates() -> None:
    from datetime import date

    station = winter_actions()[0]
    assert next_date(station, date(2025, 12, 15)) == date(2026, 1, 4)  # 12/24 is skipped
    assert next_date(station, date(2025, 12, 24)) == date(2026, 1, 4)
    assert next_date(station, TODAY) == date(2025, 12, 4)


def test_upcoming_actions_come_soonest_first() -> None:
    upcoming, past = split_upcoming(winter_actions(), TODAY, "Asia/Tokyo")
    days = [d for d, _ in upcoming]
    assert days == sorted(days)
    assert [a.id for a in past] == ["consult-1020"]


def test_the_index_carries_a_qr_code_of_its_own_address(tree: OutputFiles) -> None:
    from campaign_sheets.pages.qr import qr_png, qr_svg

    assert tree["qr.svg"] == qr_svg("https://example.org/calendar/")
    assert tree["qr.png"] == qr_png("https://example.org/calendar/")
    assert "https://example.org/calendar/" in text_of(tree, "index.html")
    member_url = f"https://example.org/calendar/members/{TOKEN}/"
    assert tree[f"members/{TOKEN}/qr.svg"] == qr_svg(member_url)


def test_without_a_base_url_the_index_has_no_qr_code() -> None:
    files = build_pages(page_context(base_url="", token=None), pdf=False)
    assert "qr.svg" not in files
    assert not [a for tag, a in parse_html(files["index.html"]).tags if tag == "img"]


def test_the_members_tree_repeats_the_public_codes_and_flyers_byte_for_byte(
    tree: OutputFiles,
) -> None:
    """What the two trees share is the same bytes (the publication stores it once)."""
    members = f"members/{TOKEN}/"
    for name in ("qr.png", "qr.svg", "flyer.html", "qr-shahokyo.svg", "flyer-shahokyo.html"):
        path = f"events/station-4/{name}"
        assert tree[members + path] == tree[path], name
    # the page itself differs: it says it is the members' page
    assert tree[members + "events/station-4/index.html"] != tree["events/station-4/index.html"]


def test_a_repeating_actions_flyer_leads_with_the_repetition(tree: OutputFiles) -> None:
    parsed = parse_html(tree["events/station-4/flyer-shahokyo.html"])
    text = "".join(parsed.text)
    assert "毎月4・14・24日 12:00〜13:00" in text
    assert "2025年11月4日（火）から" in text
    assert "申込団体: 県社保協" in text
