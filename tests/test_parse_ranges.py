"""An action of several days: organisers type its dates in one cell, in many ways."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.errors import ParseError
from campaign_sheets.core.problems import default_severity, render_message
from campaign_sheets.core.text import RANGE_MARKS
from campaign_sheets.parsing.dates import ParsedDate, weekday_index
from campaign_sheets.parsing.ranges import (
    MAX_RANGE_DAYS,
    RANGE_STYLES,
    ParsedRange,
    format_date_range,
    parse_date_range,
    range_params,
)

NOV12 = date(2025, 11, 12)  # a Wednesday
NOV13 = date(2025, 11, 13)


def _days(typed: str, **config: int) -> tuple[date, date | None]:
    parsed = parse_date_range(typed, **({"fiscal_year": 2025} | config))
    return parsed.first.date, parsed.end_date


@pytest.mark.parametrize(
    "typed",
    [
        "11月12～13日",
        "11月12日～13日",
        "11月12日〜13日",
        "11月12日~13日",
        "11月12日-13日",
        "11月12日－13日",
        "11月12日から13日",
        "11月12日から13日まで",
        "11月12日ー13日",
        "11月12日 ～ 11月13日",
        "11/12～11/13",
        "11/12-13",
        "2025/11/12-11/13",
        "2025/11/12-2025/11/13",
        "2025-11-12～2025-11-13",
        "2025-11-12-2025-11-13",
        "2025年11月12日～13日",
        "2025年11月12日～11月13日",
        "令和7年11月12日～13日",
        "R7.11.12～R7.11.13",
        "１１月１２日（水）〜１３日（木）",
        "２０２５／１１／１２－１１／１３",
        "11月12日（水）～13日（木）",
        "11/12(水)～11/13(木)",
        "11月12日(水曜)～13日",
        "11月12日～13日（木）",
    ],
)
def test_every_range_form_reads_as_the_same_two_days(typed: str) -> None:
    assert _days(typed) == (NOV12, NOV13)


def test_the_weekday_of_each_end_is_kept_as_written() -> None:
    parsed = parse_date_range("11月12日（水）～13日（金）", fiscal_year=2025)
    assert parsed.first == ParsedDate(NOV12, "水")
    assert parsed.last == ParsedDate(NOV13, "金")  # wrong: the loader reports it
    assert [p.weekday_text for p in parsed.ends] == ["水", "金"]


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("2025年11月30日～12月1日", date(2025, 11, 30), date(2025, 12, 1)),
        ("11月30日～12月1日", date(2025, 11, 30), date(2025, 12, 1)),
        ("12月28日～1月4日", date(2025, 12, 28), date(2026, 1, 4)),
        ("2025/12/28-1/4", date(2025, 12, 28), date(2026, 1, 4)),
        ("令和7年12月28日～令和8年1月4日", date(2025, 12, 28), date(2026, 1, 4)),
        ("平成31年4月30日～5月1日", date(2019, 4, 30), date(2019, 5, 1)),
        ("10月1日～31日", date(2025, 10, 1), date(2025, 10, 31)),
    ],
)
def test_the_end_takes_what_it_leaves_out_from_the_start(
    typed: str, first: date, last: date
) -> None:
    assert _days(typed) == (first, last)


def test_a_year_less_start_takes_the_fiscal_year_and_the_end_follows_the_start() -> None:
    # fiscal year 2025: 1月 to 3月 are in 2026; 4月2日 follows 3月30日, so 2026 too
    assert _days("3月30日～4月2日") == (date(2026, 3, 30), date(2026, 4, 2))
    assert _days("1月5日～6日") == (date(2026, 1, 5), date(2026, 1, 6))
    assert _days("12月28日～1月4日", year=2030) == (date(2030, 12, 28), date(2031, 1, 4))


def test_one_date_in_a_cell_is_a_one_day_action() -> None:
    for cell in ("2025-11-12", "2025/11/12", "11月12日（水）", datetime(2025, 11, 12, 10, 0),
                 NOV12, 45973):
        parsed = parse_date_range(cell, fiscal_year=2025)
        assert parsed.first.date == NOV12, cell
        assert parsed.end_date is None and parsed.ends == (parsed.first,)


def test_a_range_ending_on_its_first_day_is_a_one_day_action() -> None:
    parsed = parse_date_range("11月12日（水）～12日（水）", fiscal_year=2025)
    assert parsed.end_date is None
    assert len(parsed.ends) == 2  # both weekdays are still checked


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("11月13日～12日", "2025年11月13日", "2025年11月12日"),
        ("11月14日～11月13日", "2025年11月14日", "2025年11月13日"),
        ("11月14日～10月1日", "2025年11月14日", "2025年10月1日"),
        ("2025/11/14-2025/11/01", "2025年11月14日", "2025年11月1日"),
        ("2026年1月4日～2025年12月28日", "2026年1月4日", "2025年12月28日"),
    ],
)
def test_a_range_that_ends_before_it_starts_is_an_error(typed: str, start: str, end: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_range(typed, fiscal_year=2025)
    assert caught.value.code == "date.range_backwards"
    assert caught.value.params["value"] == typed
    assert (caught.value.params["start"], caught.value.params["end"]) == (start, end)


def test_a_range_longer_than_a_month_is_an_error() -> None:
    assert _days("10月1日～31日")[1] == date(2025, 10, 31)  # 31 days: a whole month is fine
    with pytest.raises(ParseError) as caught:
        parse_date_range("11月1日～12月15日", fiscal_year=2025)
    assert caught.value.code == "date.range_too_long"
    assert caught.value.params["days"] == 45
    assert caught.value.params["limit"] == MAX_RANGE_DAYS == 31


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("11月31日～12月1日", "date.invalid"),
        ("11月12日～31日", "date.invalid"),
        ("11月12日～2月30日", "date.invalid"),
        ("11月12日～来週", "date.unreadable"),
        ("13:30～15:00", "date.unreadable"),
        ("11月12日～", "date.unreadable"),
        ("～11月12日", "date.unreadable"),
        ("11月12日～13日～14日", "date.unreadable"),
        ("2025-02-30", "date.invalid"),
    ],
)
def test_a_range_with_a_bad_end_names_the_whole_cell(typed: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_range(typed, fiscal_year=2025)
    assert caught.value.code == code
    assert caught.value.params["value"] == typed


def test_a_range_without_a_year_and_no_configuration_is_not_guessed() -> None:
    for typed in ("11月12日～13日", "12日（水）～14日（金）"):
        with pytest.raises(ParseError) as caught:
            parse_date_range(typed)
        assert caught.value.code == "date.no_year"


# -- no month at all: 12日（火）～14日（木） -------------------------------------------


def test_weekdays_that_fit_one_month_of_the_fiscal_year_choose_it() -> None:
    # in April 2025 – March 2026 only August has a Tuesday the 12th
    parsed = parse_date_range("12日（火）～14日（木）", fiscal_year=2025)
    assert (parsed.first.date, parsed.end_date) == (date(2025, 8, 12), date(2025, 8, 14))
    assert parsed.month_inferred
    assert range_params(parsed) == {
        "taken": "2025年8月12日（火）〜14日（木）",
        "taken_en": "2025-08-12 (Tue) – 2025-08-14 (Thu)",
    }


def test_one_weekday_is_enough_and_a_configured_year_gives_january_to_december() -> None:
    parsed = parse_date_range("12日（水）～14日", fiscal_year=2025)
    assert parsed.first.date == NOV12 and parsed.month_inferred
    # in January – December 2025 only June has a Thursday the 12th
    parsed = parse_date_range("12日（木）～13日", year=2025)
    assert (parsed.first.date, parsed.end_date) == (date(2025, 6, 12), date(2025, 6, 13))


def test_weekdays_that_fit_several_months_are_an_error_listing_them() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_range("2日（火）～4日（木）", fiscal_year=2025)
    assert caught.value.code == "date.range_month_ambiguous"
    assert caught.value.params["candidates"] == "2025年9月、2025年12月"
    assert caught.value.params["period"] == "2025年4月〜2026年3月"


def test_weekdays_that_fit_no_month_are_an_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_range("12日（火）～14日（金）", fiscal_year=2025)  # never two days apart
    assert caught.value.code == "date.range_month_none"
    with pytest.raises(ParseError) as caught:
        parse_date_range("30日（日）～31日（月）", fiscal_year=2025)
    # no 31-day month of the fiscal year has a Sunday the 30th
    assert caught.value.code == "date.range_month_none"


@pytest.mark.parametrize("typed", ["12日～14日", "30日（日）～2日（火）", "14日(金)～12日(水)"])
def test_no_month_and_no_weekday_or_a_month_end_crossed_is_an_error(typed: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_range(typed, fiscal_year=2025)
    assert caught.value.code == "date.range_no_month"


# -- messages --------------------------------------------------------------------------

_PARAMS = {
    "value": "11月13日～12日", "start": "2025年11月13日", "end": "2025年11月12日",
    "start_iso": "2025-11-13", "end_iso": "2025-11-12", "days": 45, "limit": 31,
    "range": "2025年11月1日〜12月15日",
    "period": "2025年4月〜2026年3月", "period_en": "2025-04 – 2026-03",
    "candidates": "2025年9月、2025年12月", "candidates_en": "2025-09, 2025-12",
    "taken": "2025年8月12日（火）〜14日（木）", "taken_en": "2025-08-12 (Tue) – 2025-08-14 (Thu)",
}


@pytest.mark.parametrize(
    ("code", "severity", "fix"),
    [
        ("date.range_backwards", "error", "12月28日～1月4日"),
        ("date.range_too_long", "error", "毎週水曜"),
        ("date.range_no_month", "error", "11月12日（火）～14日（木）"),
        ("date.range_month_none", "error", "11月12日（火）～14日（木）"),
        ("date.range_month_ambiguous", "error", "11月12日（火）～14日（木）"),
        ("date.range_month_inferred", "warning", "11月12日（火）～14日（木）"),
    ],
)
def test_range_messages_quote_the_cell_and_show_how_to_write_it(
    code: str, severity: str, fix: str
) -> None:
    for lang in ("ja", "en"):
        message = render_message(code, _PARAMS, lang)
        assert "11月13日～12日" in message
        assert fix in message
    assert default_severity(code).value == severity


# -- round trips and fuzz --------------------------------------------------------------


def _fiscal_year(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


@given(
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 11, 30)),
    st.integers(min_value=0, max_value=MAX_RANGE_DAYS - 1),
    st.sampled_from(RANGE_STYLES),
    st.sampled_from([*RANGE_MARKS, "～", "から"]),
)
def test_every_range_style_reads_back_as_the_same_days(
    first: date, extra: int, style: str, mark: str
) -> None:
    last = first + timedelta(days=extra)
    text = format_date_range(first, last, style, mark)
    parsed = parse_date_range(text, fiscal_year=_fiscal_year(first))
    assert parsed.first.date == first, text
    assert parsed.end_date == (last if extra else None), text
    if style == "md_weekday":
        assert [weekday_index(p.weekday_text or "") for p in parsed.ends] == [
            first.weekday(), last.weekday()
        ]


def test_format_date_range_repeats_only_what_changes() -> None:
    assert format_date_range(NOV12, NOV13, "md_short") == "11月12～13日"
    assert format_date_range(NOV12, NOV13, "md_weekday") == "11月12日（水）～13日（木）"
    assert format_date_range(NOV12, NOV13, "slash", "-") == "2025/11/12-11/13"
    assert format_date_range(date(2025, 11, 30), date(2025, 12, 1), "kanji") == (
        "2025年11月30日～12月1日"
    )
    assert format_date_range(date(2025, 12, 28), date(2026, 1, 4), "kanji") == (
        "2025年12月28日～2026年1月4日"
    )
    assert format_date_range(NOV12, date(2025, 11, 14), "reiwa") == "令和7年11月12日～14日"
    assert format_date_range(NOV12, NOV13, "kara") == "2025年11月12日から13日まで"
    with pytest.raises(ValueError, match="unknown range style"):
        format_date_range(NOV12, NOV13, "roman")


def _read_or_name(text: str, fiscal_year: int | None) -> None:
    """A cell is read (as at most MAX_RANGE_DAYS days) or named by a date message."""
    try:
        parsed = parse_date_range(text, fiscal_year=fiscal_year)
    except ParseError as exc:
        assert exc.code.startswith("date.")
        render_message(exc.code, {"value": text, **exc.params})
    else:
        assert isinstance(parsed, ParsedRange)
        if parsed.end_date is not None:
            assert 1 < (parsed.end_date - parsed.first.date).days + 1 <= MAX_RANGE_DAYS


@given(st.text(max_size=40), st.sampled_from([None, 2025]))
def test_any_text_raises_only_date_errors(text: str, fiscal_year: int | None) -> None:
    _read_or_name(text, fiscal_year)


@given(st.text(alphabet="0123456789年月日/-～〜から()（）火水木金土日月", max_size=24))
def test_date_shaped_text_raises_only_date_errors(text: str) -> None:
    _read_or_name(text, 2025)
