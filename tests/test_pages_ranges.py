"""An action of several days on the pages and flyers: both days shown, listed until it is over."""

from __future__ import annotations

from datetime import date, time

import pytest

from campaign_sheets.core.model import Action
from campaign_sheets.core.outputs import OutputFiles
from campaign_sheets.pages.build import build_pages, split_upcoming
from campaign_sheets.pages.dates import format_days, next_date
from pages_support import TODAY, page_context, parse_html, winter_actions

# TODAY is Monday 2025-12-01
UNDER_WAY = Action(
    id="caravan-1130", kind="caravan", title="自治体キャラバン 湘南コース",
    date=date(2025, 11, 30), end_date=date(2025, 12, 2), organizer="県社会保障推進協議会",
)
TIMED = Action(
    id="caravan-1210", kind="caravan", title="自治体キャラバン 県西コース",
    date=date(2025, 12, 10), end_date=date(2025, 12, 11), start=time(9, 30), end=time(16, 0),
    venue="小田原市役所", organizer="県社会保障推進協議会",
)
YEAR_END = Action(
    id="soudan-1228", kind="consultation", title="年末年始なんでも相談会",
    date=date(2025, 12, 28), end_date=date(2026, 1, 4),
)
OVER = Action(
    id="caravan-1128", kind="caravan", title="自治体キャラバン 県北コース",
    date=date(2025, 11, 28), end_date=date(2025, 11, 30),
)
RANGES = (UNDER_WAY, TIMED, YEAR_END, OVER)


@pytest.fixture(scope="module")
def tree() -> OutputFiles:
    return build_pages(page_context((*winter_actions(), *RANGES), token=None), pdf=False)


def text_of(files: OutputFiles, path: str) -> str:
    return "".join(parse_html(files[path]).text)


def test_the_end_repeats_the_month_and_year_only_when_they_change() -> None:
    assert format_days(date(2025, 11, 12), date(2025, 11, 13)) == "11月12日（水）〜13日（木）"
    assert format_days(date(2025, 11, 30), date(2025, 12, 1)) == "11月30日（日）〜12月1日（月）"
    assert format_days(date(2025, 12, 28), date(2026, 1, 4)) == "12月28日（日）〜1月4日（日）"
    assert format_days(date(2025, 12, 28), date(2026, 1, 4), with_year=True) == (
        "2025年12月28日（日）〜2026年1月4日（日）"
    )
    assert format_days(date(2025, 11, 12), date(2025, 11, 13), with_year=True) == (
        "2025年11月12日（水）〜13日（木）"
    )
    assert format_days(date(2025, 11, 12), None) == "11月12日（水）"


def test_an_event_page_shows_both_days_and_all_day(tree: OutputFiles) -> None:
    text = text_of(tree, "events/caravan-1130/index.html")
    assert "2025年11月30日（日）〜12月2日（火） 終日" in text


def test_a_timed_range_shows_its_hours_for_each_day(tree: OutputFiles) -> None:
    text = text_of(tree, "events/caravan-1210/index.html")
    assert "2025年12月10日（水）〜11日（木） 各日9:30〜16:00" in text
    flyer = tree["events/caravan-1210/flyer.html"].decode("utf-8")
    # one line says when; no "from … on" line as a repeating action has
    assert '<p class="when">2025年12月10日（水）〜11日（木） 各日9:30〜16:00</p>' in flyer
    assert 'class="end-open"' not in flyer


def test_a_range_across_the_year_end_names_both_years(tree: OutputFiles) -> None:
    text = text_of(tree, "events/soudan-1228/index.html")
    assert "2025年12月28日（日）〜2026年1月4日（日）" in text


def test_the_index_lists_a_range_under_its_first_day_until_its_last_day_is_over(
    tree: OutputFiles,
) -> None:
    text = text_of(tree, "index.html")
    upcoming, past = text.split("終わった行動")
    # begun yesterday, still on: upcoming, in the section of its first day's month
    months = {
        section.split("</h3>")[0]: section
        for section in tree["index.html"].decode("utf-8").split('<section class="month">\n<h3>')[1:]
    }
    assert list(months)[:2] == ["2025年11月", "2025年12月"]
    assert "2025年11月30日（日）〜12月2日（火）" in months["2025年11月"]
    assert "湘南コース" in months["2025年11月"] and "湘南コース" not in months["2025年12月"]
    assert "2025年12月10日（水）〜11日（木） 各日9:30〜16:00" in upcoming
    assert "県北コース" not in upcoming and "県北コース" in past
    assert "2025年11月28日（金）〜30日（日）" in past


def test_upcoming_and_past_follow_the_last_day() -> None:
    assert next_date(UNDER_WAY, TODAY) == date(2025, 11, 30)
    assert next_date(UNDER_WAY, date(2025, 12, 2)) == date(2025, 11, 30)
    assert next_date(UNDER_WAY, date(2025, 12, 3)) is None
    assert next_date(OVER, TODAY) is None
    assert next_date(TIMED, TODAY) == TIMED.date
    upcoming, past = split_upcoming(RANGES, TODAY, "Asia/Tokyo")
    assert [a.id for _, a in upcoming] == ["caravan-1130", "caravan-1210", "soudan-1228"]
    assert [a.id for a in past] == ["caravan-1128"]
