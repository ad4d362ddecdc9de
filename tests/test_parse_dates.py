"""Organisers type dates in many ways; every one of them lands on the same day."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.errors import ParseError
from campaign_sheets.core.problems import default_severity, render_message
from campaign_sheets.core.values import CellValue
from campaign_sheets.parsing.dates import (
    DATE_STYLES,
    WEEKDAYS_EN,
    WEEKDAYS_JA,
    ParsedDate,
    date_to_serial,
    format_date,
    parse_date,
    serial_to_datetime,
    weekday_index,
    weekday_label,
)

DEC7 = date(2025, 12, 7)  # a Sunday


@pytest.mark.parametrize(
    "typed",
    [
        "2025-12-07",
        "2025/12/07",
        "2025/12/7",
        "2025.12.07",
        "20251207",
        "2025年12月7日",
        "2025年12月07日",
        "令和7年12月7日",
        "R7.12.7",
        "r7.12.7",
        "Ｒ７．１２．７",
        "２０２５年１２月７日",
        "２０２５－１２－０７",
        " 2025 年 12 月 7 日 ",
        "2025年\u300012月7日",
    ],
)
def test_a_date_with_its_year_is_read_in_every_form(typed: str) -> None:
    assert parse_date(typed) == ParsedDate(DEC7, None)


@pytest.mark.parametrize(
    ("typed", "weekday"),
    [
        ("12月7日（日）", "日"),
        ("12月7日(日)", "日"),
        ("12/7(日)", "日"),
        ("１２/７（日）", "日"),
        ("12月7日 （日曜）", "日曜"),
        ("12月7日（日曜日）", "日曜日"),
        ("12/7(Sun)", "Sun"),
        ("2025年12月7日（日）", "日"),
        ("12月7日（日・祝）", "日"),
        ("12月7日", None),
        ("12/7", None),
    ],
)
def test_a_date_without_a_year_takes_the_configured_year_and_keeps_the_weekday(
    typed: str, weekday: str | None
) -> None:
    assert parse_date(typed, year=2025) == ParsedDate(DEC7, weekday)


def test_a_holiday_mark_alone_is_not_a_weekday() -> None:
    assert parse_date("12/7(祝)", year=2025) == ParsedDate(DEC7, None)


def test_a_wrong_weekday_is_kept_as_written_for_the_loader_to_report() -> None:
    parsed = parse_date("12月7日（土）", year=2025)
    assert parsed.date == DEC7
    assert parsed.weekday_text == "土"
    assert weekday_index(parsed.weekday_text) != parsed.date.weekday()


def test_heisei_and_the_first_year_of_an_era() -> None:
    assert parse_date("平成31年4月30日").date == date(2019, 4, 30)
    assert parse_date("H31.4.30").date == date(2019, 4, 30)
    assert parse_date("令和元年5月1日").date == date(2019, 5, 1)
    assert parse_date("平成元年1月8日").date == date(1989, 1, 8)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4月1日", date(2025, 4, 1)),
        ("12月7日", date(2025, 12, 7)),
        ("1月4日", date(2026, 1, 4)),
        ("3/31", date(2026, 3, 31)),
    ],
)
def test_fiscal_year_puts_april_to_december_in_it_and_january_to_march_after(
    typed: str, expected: date
) -> None:
    assert parse_date(typed, fiscal_year=2025).date == expected


def test_a_configured_year_wins_over_the_fiscal_year() -> None:
    assert parse_date("1月4日", year=2025, fiscal_year=2025).date == date(2025, 1, 4)


def test_a_written_year_wins_over_the_configuration() -> None:
    assert parse_date("2024年1月4日", year=2025, fiscal_year=2025).date == date(2024, 1, 4)


def test_a_date_without_a_year_and_no_configuration_is_not_guessed() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date("12月7日（日）")
    assert caught.value.code == "date.no_year"
    assert caught.value.params == {"value": "12月7日（日）"}


@pytest.mark.parametrize("typed", ["2025年2月30日", "2月30日", "令和0年1月1日", "R0.1.1",
                                   "2025-13-01", "2025/04/31"])
def test_a_date_not_in_the_calendar_is_invalid(typed: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(typed, year=2025)
    assert caught.value.code == "date.invalid"
    assert caught.value.params["value"] == typed


@pytest.mark.parametrize("typed", ["", "来週", "12月", "2025", "12/7/2025/1", "12/7(予定)",
                                   "2025-12-07T10:00", "X7.12.7"])
def test_text_that_is_no_date_is_unreadable(typed: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(typed, year=2025)
    assert caught.value.code == "date.unreadable"


@pytest.mark.parametrize("cell", [None, True, time(13, 30), float("nan"), 0, 12, -5, 1e12])
def test_cells_that_hold_no_date_are_unreadable(cell: CellValue) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(cell)
    assert caught.value.code == "date.unreadable"


def test_date_and_datetime_cells_are_taken_as_they_are() -> None:
    assert parse_date(DEC7) == ParsedDate(DEC7)
    assert parse_date(datetime(2025, 12, 7, 13, 30)) == ParsedDate(DEC7)


def test_a_spreadsheet_serial_is_a_date_and_its_fraction_is_ignored() -> None:
    assert parse_date(46000).date == date(2025, 12, 9)
    assert parse_date(46000.5625).date == date(2025, 12, 9)
    assert parse_date(61).date == date(1900, 3, 1)


def test_serials_agree_with_google_sheets_and_excel() -> None:
    assert date_to_serial(date(2025, 12, 7)) == 45998
    assert date_to_serial(datetime(2025, 12, 7, 23, 0)) == 45998
    assert serial_to_datetime(45998.5625) == datetime(2025, 12, 7, 13, 30)
    assert serial_to_datetime(45998 + 13 / 24 + 31 / 1440) == datetime(2025, 12, 7, 13, 31)


def test_serial_to_datetime_refuses_numbers_no_date_has() -> None:
    with pytest.raises((ValueError, OverflowError)):
        serial_to_datetime(float("inf"))
    with pytest.raises((ValueError, OverflowError)):
        serial_to_datetime(1e15)


@pytest.mark.parametrize(
    ("text", "index"),
    [("月", 0), ("月曜", 0), ("月曜日", 0), ("Mon", 0), ("monday", 0), ("（月）", 0),
     ("Tue", 1), ("水", 2), ("Thurs", 3), ("金曜日", 4), ("土", 5), ("日", 6), ("Sun.", 6),
     ("祝", None), ("", None), ("ab", None)],
)
def test_weekday_index_reads_japanese_and_english_weekdays(text: str, index: int | None) -> None:
    assert weekday_index(text) == index


def test_weekday_labels_are_data() -> None:
    assert WEEKDAYS_JA == ("月", "火", "水", "木", "金", "土", "日")
    assert WEEKDAYS_EN == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert weekday_label(DEC7) == "日"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("iso", "2025-12-07"),
        ("slash", "2025/12/07"),
        ("kanji", "2025年12月7日"),
        ("kanji_weekday", "2025年12月7日（日）"),
        ("md_weekday", "12月7日（日）"),
        ("slash_md_weekday", "12/7(日)"),
        ("reiwa", "令和7年12月7日"),
        ("r_dot", "R7.12.7"),
        ("fullwidth", "２０２５年１２月７日"),
    ],
)
def test_format_date_writes_every_style(style: str, expected: str) -> None:
    assert format_date(DEC7, style) == expected


def test_format_date_uses_the_era_the_date_is_in() -> None:
    assert format_date(date(2019, 4, 30), "reiwa") == "平成31年4月30日"
    assert format_date(date(2019, 5, 1), "reiwa") == "令和元年5月1日"
    assert format_date(date(2019, 5, 1), "r_dot") == "R1.5.1"


def test_format_date_refuses_an_unknown_style() -> None:
    with pytest.raises(ValueError, match="unknown date style"):
        format_date(DEC7, "roman")


def _fiscal_year(d: date) -> int:
    return d.year if d.month >= 4 else d.year - 1


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
       st.sampled_from(DATE_STYLES))
def test_every_style_reads_back_as_the_same_date(d: date, style: str) -> None:
    text = format_date(d, style)
    parsed = parse_date(text, fiscal_year=_fiscal_year(d))
    assert parsed.date == d
    if "weekday" in style:
        assert weekday_index(parsed.weekday_text or "") == d.weekday()


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 30)))
def test_serial_round_trip(d: date) -> None:
    serial = date_to_serial(d)
    assert serial_to_datetime(serial).date() == d
    assert parse_date(serial).date == d
    assert parse_date(float(serial) + 0.75).date == d


@given(st.text())
def test_any_text_raises_only_parse_errors(text: str) -> None:
    for kwargs in ({}, {"fiscal_year": 2025}):
        try:
            parsed = parse_date(text, **kwargs)
        except ParseError as exc:
            assert exc.code in {"date.unreadable", "date.no_year", "date.invalid"}
        else:
            assert isinstance(parsed.date, date)
    assert weekday_index(text) in {None, 0, 1, 2, 3, 4, 5, 6}


@given(st.one_of(st.integers(), st.floats(), st.booleans(), st.none(), st.times(),
                 st.datetimes(), st.dates()))
def test_any_cell_raises_only_parse_errors(cell: CellValue) -> None:
    try:
        parse_date(cell)
    except ParseError as exc:
        assert exc.code == "date.unreadable"


@pytest.mark.parametrize("code", ["date.unreadable", "date.no_year", "date.invalid"])
def test_date_messages_name_the_value_and_show_a_correct_example(code: str) -> None:
    for lang in ("ja", "en"):
        message = render_message(code, {"value": "12月32日"}, lang)
        assert "12月32日" in message
        assert "2025" in message
    assert default_severity(code).value == "error"
