"""Organisers type start and end times in many ways; each reads as the same clock time."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.errors import ParseError
from campaign_sheets.core.problems import render_message
from campaign_sheets.core.values import CellValue
from campaign_sheets.parsing.times import (
    END_OF_DAY,
    TIME_STYLES,
    TimeRange,
    format_time_range,
    parse_time,
    parse_time_range,
)

T1330 = time(13, 30)
T1500 = time(15)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13:30", T1330),
        ("13時30分", T1330),
        ("13時半", T1330),
        ("午後1時半", T1330),
        ("午後1時30分", T1330),
        ("午前10時", time(10)),
        ("午前0時", time(0)),
        ("午後0時", time(12)),
        ("午後12時", time(12)),
        ("正午", time(12)),
        ("１３：３０", T1330),
        ("１３時３０分", T1330),
        (" 13 : 30 ", T1330),
        ("9:05", time(9, 5)),
        ("09:05", time(9, 5)),
        ("13:30:15", time(13, 30, 15)),
        ("1:30pm", T1330),
        ("1:30 PM", T1330),
        ("13時頃", time(13)),
        ("13", time(13)),
        ("24:00", END_OF_DAY),
        ("24時", END_OF_DAY),
    ],
)
def test_one_time_is_read_in_every_form(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


def test_time_and_datetime_cells_are_taken_as_they_are() -> None:
    assert parse_time(T1330) == T1330
    assert parse_time(datetime(2025, 12, 7, 13, 30)) == T1330


def test_a_sheets_time_cell_is_a_fraction_of_a_day() -> None:
    assert parse_time(0.5625) == T1330
    assert parse_time(13 / 24 + 31 / 1440) == time(13, 31)
    assert parse_time(0.0) == time(0)


def test_a_datetime_serial_in_a_time_column_gives_its_time() -> None:
    assert parse_time(45998.5625) == T1330


def test_a_whole_number_in_a_time_column_is_hours() -> None:
    assert parse_time(13) == time(13)
    assert parse_time(24) == END_OF_DAY


@pytest.mark.parametrize(
    "typed",
    ["25:00", "24:30", "13:60", "13時61分", "午後13時", "午前12時", "1:30pm午後", "昼", "",
     "13.5時", "午後1時半pm"],
)
def test_text_that_is_no_time_is_unreadable(typed: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_time(typed)
    assert caught.value.code == "time.unreadable"
    assert caught.value.params == {"value": typed}


@pytest.mark.parametrize("cell", [None, True, 13.5, -0.25, 46000, float("inf")])
def test_cells_that_hold_no_time_are_unreadable(cell: CellValue) -> None:
    with pytest.raises(ParseError) as caught:
        parse_time(cell)
    assert caught.value.code == "time.unreadable"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13:30～15:00", TimeRange(T1330, T1500)),
        ("13:30~15:00", TimeRange(T1330, T1500)),
        ("13:30〜15:00", TimeRange(T1330, T1500)),
        ("１３：３０～１５：００", TimeRange(T1330, T1500)),
        ("13:30 - 15:00", TimeRange(T1330, T1500)),
        ("9:45-12:00", TimeRange(time(9, 45), time(12))),
        ("12時から13時", TimeRange(time(12), time(13))),
        ("13時から15時まで", TimeRange(time(13), T1500)),
        ("13時30分～15時", TimeRange(T1330, T1500)),
        ("午後1時半～午後3時", TimeRange(T1330, T1500)),
        ("午後1時半～3時", TimeRange(T1330, T1500)),
        ("午前10時～午後0時", TimeRange(time(10), time(12))),
        ("午前10時～12時", TimeRange(time(10), time(12))),
        ("18時～24時", TimeRange(time(18), END_OF_DAY)),
        ("13時より", TimeRange(time(13), None)),
        ("13時～", TimeRange(time(13), None)),
        ("13時から", TimeRange(time(13), None)),
        ("13:30", TimeRange(T1330, None)),
        ("終日", TimeRange(None, None)),
        ("", TimeRange(None, None)),
        ("\u3000", TimeRange(None, None)),
    ],
)
def test_a_time_range_is_read_in_every_form(typed: str, expected: TimeRange) -> None:
    assert parse_time_range(typed) == expected


def test_a_time_cell_or_no_cell_is_a_start_or_nothing() -> None:
    assert parse_time_range(None) == TimeRange(None, None)
    assert parse_time_range(T1330) == TimeRange(T1330, None)
    assert parse_time_range(0.5625) == TimeRange(T1330, None)


def test_an_end_before_the_start_is_left_for_the_loader() -> None:
    assert parse_time_range("15:00～13:30") == TimeRange(T1500, T1330)


@pytest.mark.parametrize("typed", ["～15:00", "13:00～14:00～15:00", "13時ごろまで？", "午後",
                                   "13:30～25:00", "13時～夕方"])
def test_a_range_that_cannot_be_read_is_unreadable(typed: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_time_range(typed)
    assert caught.value.code == "time.unreadable"
    assert caught.value.params == {"value": typed}


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("colon", "13:30～15:00"),
        ("kanji", "13時30分～15時"),
        ("ascii", "13:30-15:00"),
        ("from", "13時30分より"),
        ("pm", "午後1時半～午後3時"),
    ],
)
def test_format_time_range_writes_every_style(style: str, expected: str) -> None:
    assert format_time_range(TimeRange(T1330, T1500), style) == expected


def test_format_time_range_of_a_start_alone_and_of_nothing() -> None:
    assert format_time_range(TimeRange(time(13), None), "from") == "13時より"
    assert format_time_range(TimeRange(time(13), None), "colon") == "13:00～"
    assert format_time_range(TimeRange(None, None), "colon") == ""
    with pytest.raises(ValueError, match="needs a start"):
        format_time_range(TimeRange(None, T1500), "colon")
    with pytest.raises(ValueError, match="unknown time style"):
        format_time_range(TimeRange(T1330, None), "military")


_clock = st.builds(time, st.integers(0, 23), st.integers(0, 59)) | st.just(END_OF_DAY)


@st.composite
def _ranges(draw: st.DrawFn) -> TimeRange:
    start = draw(st.none() | _clock)
    end = None if start is None else draw(st.none() | _clock)
    return TimeRange(start, end)


@given(_ranges(), st.sampled_from(TIME_STYLES))
def test_every_style_reads_back_as_the_same_range(tr: TimeRange, style: str) -> None:
    expected = TimeRange(tr.start, None) if style == "from" else tr
    assert parse_time_range(format_time_range(tr, style)) == expected


@given(st.text())
def test_any_text_raises_only_parse_errors(text: str) -> None:
    for parse in (parse_time, parse_time_range):
        try:
            parse(text)
        except ParseError as exc:
            assert exc.code == "time.unreadable"


@given(st.one_of(st.integers(), st.floats(), st.booleans(), st.none(), st.times(),
                 st.datetimes(), st.dates()))
def test_any_cell_raises_only_parse_errors(cell: CellValue) -> None:
    for parse in (parse_time, parse_time_range):
        try:
            parse(cell)
        except ParseError as exc:
            assert exc.code == "time.unreadable"


def test_the_time_message_names_the_value_and_shows_correct_examples() -> None:
    for lang in ("ja", "en"):
        message = render_message("time.unreadable", {"value": "25時"}, lang)
        assert "25時" in message
        assert "13:30" in message
