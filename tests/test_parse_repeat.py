"""Repeating actions: the phrase an organiser types becomes a calendar rule with the right dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import islice

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.errors import ParseError
from campaign_sheets.core.problems import default_severity, render_message
from campaign_sheets.core.values import CellValue
from campaign_sheets.parsing.repeat import (
    describe_repetition,
    occurrences,
    parse_date_list,
    parse_repetition,
    until_value,
)

FIRST = date(2025, 12, 4)  # a Thursday, and a day ending in 4


@pytest.mark.parametrize(
    ("phrase", "rule"),
    [
        ("毎月4のつく日", "FREQ=MONTHLY;BYMONTHDAY=4,14,24"),
        ("4のつく日", "FREQ=MONTHLY;BYMONTHDAY=4,14,24"),
        ("毎月１のつく日", "FREQ=MONTHLY;BYMONTHDAY=1,11,21,31"),
        ("毎月0のつく日", "FREQ=MONTHLY;BYMONTHDAY=10,20,30"),
        ("毎月第2木曜", "FREQ=MONTHLY;BYDAY=2TH"),
        ("毎月第２木曜日", "FREQ=MONTHLY;BYDAY=2TH"),
        ("毎月第2・第4木曜", "FREQ=MONTHLY;BYDAY=2TH,4TH"),
        ("毎月第1・3水曜日", "FREQ=MONTHLY;BYDAY=1WE,3WE"),
        ("毎月最終金曜", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("毎週水曜", "FREQ=WEEKLY;BYDAY=WE"),
        ("毎週水曜日", "FREQ=WEEKLY;BYDAY=WE"),
        ("毎週水", "FREQ=WEEKLY;BYDAY=WE"),
        ("毎週月・木", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("毎週月曜と木曜", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("毎週", "FREQ=WEEKLY"),
        ("毎月1日", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("毎月1・15日", "FREQ=MONTHLY;BYMONTHDAY=1,15"),
        ("毎月末", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("毎月", "FREQ=MONTHLY"),
        ("隔週火曜", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("隔月第2木曜", "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH"),
        ("毎日", "FREQ=DAILY"),
        ("隔日", "FREQ=DAILY;INTERVAL=2"),
        ("毎年", "FREQ=YEARLY"),
        (" 毎月 第2 木曜 ", "FREQ=MONTHLY;BYDAY=2TH"),
    ],
)
def test_every_repetition_phrase_becomes_an_rrule(phrase: str, rule: str) -> None:
    assert parse_repetition(phrase, FIRST) == rule


@pytest.mark.parametrize(
    "phrase",
    [
        "毎月4のつく日（3月まで）",
        "毎月4のつく日(3月まで)",
        "毎月4のつく日（3月末まで）",
        "毎月4のつく日～2026年3月",
        "毎月4のつく日〜2026年3月",
        "毎月4のつく日（2026年3月31日まで）",
        "毎月4のつく日（3/31まで）",
        "毎月4のつく日～令和8年3月31日",
    ],
)
def test_an_end_becomes_until_the_last_second_of_that_tokyo_day(phrase: str) -> None:
    assert parse_repetition(phrase, FIRST) == (
        "FREQ=MONTHLY;BYMONTHDAY=4,14,24;UNTIL=20260331T145959Z"
    )


def test_a_year_less_end_is_the_next_one_after_the_first_date() -> None:
    assert parse_repetition("毎週水曜（12月まで）", date(2025, 4, 2)).endswith(
        "UNTIL=20251231T145959Z"
    )
    assert parse_repetition("毎週水曜（3月まで）", date(2025, 4, 2)).endswith(
        "UNTIL=20260331T145959Z"
    )


def test_until_follows_the_configured_time_zone() -> None:
    # London is on summer time (UTC+1) by 31 March, Tokyo is UTC+9 all year.
    rule = parse_repetition("毎週水曜（3月まで）", FIRST, tz="Europe/London")
    assert rule.endswith("UNTIL=20260331T225959Z")
    in_utc = parse_repetition("毎週水曜（1月まで）", FIRST, tz="UTC")
    assert in_utc.endswith("UNTIL=20260131T235959Z")
    assert until_value(date(2026, 3, 31)) == "20260331T145959Z"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("RRULE:FREQ=MONTHLY;BYDAY=2TH", "FREQ=MONTHLY;BYDAY=2TH"),
        ("FREQ=WEEKLY;BYDAY=WE", "FREQ=WEEKLY;BYDAY=WE"),
        ("rrule:freq=monthly;byday=+2th", "FREQ=MONTHLY;BYDAY=2TH"),
        ("BYDAY=TU;INTERVAL=02;FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("FREQ=MONTHLY;BYMONTHDAY=4,14,24;UNTIL=20260331T145959Z;",
         "FREQ=MONTHLY;BYMONTHDAY=4,14,24;UNTIL=20260331T145959Z"),
        ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=7;COUNT=3",
         "FREQ=YEARLY;BYMONTHDAY=7;BYMONTH=12;COUNT=3"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
         "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
        ("FREQ=WEEKLY;UNTIL=20260331;WKST=SU", "FREQ=WEEKLY;WKST=SU;UNTIL=20260331"),
        ("FREQ = DAILY ; INTERVAL = 3", "FREQ=DAILY;INTERVAL=3"),
    ],
)
def test_a_raw_rrule_is_checked_and_normalised(raw: str, normalised: str) -> None:
    assert parse_repetition(raw, FIRST) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "BYDAY=WE",
        "FREQ=FORTNIGHTLY",
        "FREQ=HOURLY",
        "FREQ=DAILY;BYHOUR=10",
        "FREQ=WEEKLY;BYDAY=2TH",
        "FREQ=WEEKLY;BYMONTHDAY=4",
        "FREQ=MONTHLY;BYDAY=XX",
        "FREQ=MONTHLY;BYDAY=0TH",
        "FREQ=MONTHLY;BYMONTHDAY=32",
        "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=MONTHLY;BYYEARDAY=100",
        "FREQ=YEARLY;BYMONTH=13",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=-1",
        "FREQ=DAILY;COUNT=2;UNTIL=20260101",
        "FREQ=DAILY;UNTIL=20260231",
        "FREQ=DAILY;UNTIL=tomorrow",
        "FREQ=DAILY;FREQ=WEEKLY",
        "FREQ=DAILY;SPEED=FAST",
        "FREQ=DAILY;BYSETPOS=1",
        "FREQ=DAILY;BYMONTH=1;BYSETPOS=2",
        "FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=8",
        "FREQ=WEEKLY;WKST=XX",
        "FREQ=",
    ],
)
def test_a_raw_rrule_with_a_bad_part_is_unreadable(raw: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_repetition(raw, FIRST)
    assert caught.value.code == "repeat.unreadable"
    assert caught.value.params == {"value": raw}


@pytest.mark.parametrize(
    "phrase",
    ["", "たまに", "毎月第6木曜", "毎月32日", "毎月0日", "毎週水曜（来年まで）",
     "毎月4のつく日（13月まで）", "毎週火曜～2026年2月30日", "毎時"],
)
def test_a_phrase_that_cannot_be_read_is_unreadable(phrase: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_repetition(phrase, FIRST)
    assert caught.value.code == "repeat.unreadable"
    assert caught.value.params == {"value": phrase}


def test_an_end_before_the_first_date_is_reported_with_both_dates() -> None:
    with pytest.raises(ParseError) as caught:
        parse_repetition("毎週水曜（2025年3月まで）", FIRST)
    assert caught.value.code == "repeat.until_before_start"
    assert caught.value.params == {
        "value": "毎週水曜（2025年3月まで）", "until": "2025-03-31", "first": "2025-12-04",
    }


def _expand(rule: str, first: date, count: int) -> list[date]:
    """Expand with dateutil directly, as a calendar client would."""
    start = datetime(first.year, first.month, first.day)
    return [moment.date() for moment in islice(rrulestr(rule, dtstart=start), count)]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("毎月4のつく日", [date(2025, 12, 4), date(2025, 12, 14), date(2025, 12, 24),
                          date(2026, 1, 4), date(2026, 1, 14)]),
        ("毎月第2木曜", [date(2025, 12, 11), date(2026, 1, 8), date(2026, 2, 12)]),
        ("毎月最終金曜", [date(2025, 12, 26), date(2026, 1, 30), date(2026, 2, 27)]),
        ("毎週水曜", [date(2025, 12, 10), date(2025, 12, 17), date(2025, 12, 24)]),
        ("毎週月・木", [date(2025, 12, 4), date(2025, 12, 8), date(2025, 12, 11)]),
        # Fortnights count from the first date's week (RFC 5545), so not from 9 December.
        ("隔週火曜", [date(2025, 12, 16), date(2025, 12, 30), date(2026, 1, 13)]),
        ("毎月1日", [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]),
        ("毎月末", [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28)]),
    ],
)
def test_a_phrase_expands_to_the_dates_organisers_mean(phrase: str, expected: list[date]) -> None:
    rule = parse_repetition(phrase, FIRST)
    assert _expand(rule, FIRST, len(expected)) == expected


def test_occurrences_lists_the_dates_from_the_first_to_the_horizon() -> None:
    rule = parse_repetition("毎月4のつく日（1月まで）", FIRST)
    assert occurrences(rule, FIRST, date(2026, 12, 31)) == [
        date(2025, 12, 4), date(2025, 12, 14), date(2025, 12, 24),
        date(2026, 1, 4), date(2026, 1, 14), date(2026, 1, 24),
    ]


def test_occurrences_counts_the_first_date_even_off_the_rule() -> None:
    assert occurrences("FREQ=MONTHLY;BYMONTHDAY=1", FIRST, date(2026, 1, 31)) == [
        FIRST, date(2026, 1, 1),
    ]
    assert occurrences("FREQ=DAILY", FIRST, FIRST - timedelta(days=1)) == []


def test_occurrences_reads_a_date_until_and_a_count() -> None:
    assert occurrences("FREQ=WEEKLY;UNTIL=20251218", FIRST, date(2026, 3, 1)) == [
        date(2025, 12, 4), date(2025, 12, 11), date(2025, 12, 18),
    ]
    assert occurrences("FREQ=DAILY;COUNT=2", FIRST, date(2026, 3, 1)) == [
        date(2025, 12, 4), date(2025, 12, 5),
    ]


@pytest.mark.parametrize(
    ("rule", "description"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=4,14,24", "毎月4・14・24日"),
        ("FREQ=MONTHLY;BYDAY=2TH", "毎月第2木曜日"),
        ("FREQ=MONTHLY;BYDAY=1WE,3WE", "毎月第1・第3水曜日"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "毎月最終金曜日"),
        ("FREQ=WEEKLY;BYDAY=WE", "毎週水曜日"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "毎週月・木曜日"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "隔週火曜日"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", "毎月1日"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "毎月末日"),
        ("FREQ=DAILY", "毎日"),
        ("FREQ=MONTHLY;BYMONTHDAY=4,14,24;UNTIL=20260331T145959Z",
         "毎月4・14・24日（2026年3月31日まで）"),
        ("FREQ=WEEKLY;BYDAY=WE;COUNT=5", "毎週水曜日（全5回）"),
        ("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=WE", "FREQ=WEEKLY;INTERVAL=3;BYDAY=WE"),
        ("not a rule", "not a rule"),
    ],
)
def test_describe_repetition_says_it_in_japanese_or_falls_back(
    rule: str, description: str
) -> None:
    assert describe_repetition(rule) == description


_WEEKDAYS = "月火水木金土日"
_phrases = st.one_of(
    st.sampled_from(["毎日", "隔日", "毎月", "毎週", "毎年", "毎月末"]),
    st.builds("毎月{}のつく日".format, st.integers(0, 9)),
    st.builds(lambda d: f"毎月{d}日", st.integers(1, 31)),
    st.builds(lambda e, d: f"{e}週{d}曜", st.sampled_from("毎隔"), st.sampled_from(_WEEKDAYS)),
    st.builds(lambda e, n, d: f"{e}月第{n}{d}曜", st.sampled_from("毎隔"), st.integers(1, 5),
              st.sampled_from(_WEEKDAYS)),
    st.builds(lambda d: f"毎月最終{d}曜日", st.sampled_from(_WEEKDAYS)),
)


@given(_phrases, st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.none() | st.integers(1, 12))
def test_described_rules_read_back_as_the_same_rule(
    phrase: str, first: date, end_month: int | None
) -> None:
    if end_month is not None:
        phrase += f"（{end_month}月まで）"
    rule = parse_repetition(phrase, first)
    assert parse_repetition(describe_repetition(rule), first) == rule
    assert parse_repetition(rule, first) == rule


@given(st.integers(0, 9), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_days_ending_in_a_digit_are_exactly_those_days(digit: int, first: date) -> None:
    rule = parse_repetition(f"毎月{digit}のつく日", first)
    horizon = first + timedelta(days=120)
    found = occurrences(rule, first, horizon)
    expected = [first + timedelta(days=i) for i in range((horizon - first).days + 1)
                if (first + timedelta(days=i)).day % 10 == digit]
    assert [d for d in found if d != first] == [d for d in expected if d != first]


@given(st.text(), st.dates(min_value=date(1900, 3, 1), max_value=date(9000, 1, 1)))
def test_any_text_raises_only_parse_errors(text: str, first: date) -> None:
    try:
        parse_repetition(text, first)
    except ParseError as exc:
        assert exc.code in {"repeat.unreadable", "repeat.until_before_start"}
    try:
        parse_date_list(text, fiscal_year=2025)
    except ParseError as exc:
        assert exc.code in {"except.unreadable", "date.invalid", "date.no_year"}
    assert isinstance(describe_repetition(text), str)


@given(st.sampled_from(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS",
                        "UNTIL", "COUNT", "WKST", "BYYEARDAY", "BYWEEKNO"]),
       st.text(alphabet="0123456789+-,MOTUWEHFRSAZT", max_size=12))
def test_any_rrule_part_raises_only_parse_errors_and_accepted_rules_expand(
    name: str, value: str
) -> None:
    for freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        try:
            rule = parse_repetition(f"FREQ={freq};{name}={value}", FIRST)
        except ParseError as exc:
            assert exc.code == "repeat.unreadable"
        else:
            found = occurrences(rule, FIRST, FIRST + timedelta(days=400))
            assert found[0] == FIRST


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12/14、12/24", [date(2025, 12, 14), date(2025, 12, 24)]),
        ("12月14日（日）,1月4日（日）", [date(2025, 12, 14), date(2026, 1, 4)]),
        ("2025/12/14，2026/1/4", [date(2025, 12, 14), date(2026, 1, 4)]),
        ("12/14 12/24\n1/4", [date(2025, 12, 14), date(2025, 12, 24), date(2026, 1, 4)]),
        ("2025/12/14 (日)、1/14(水・祝)", [date(2025, 12, 14), date(2026, 1, 14)]),
        ("12/14・12/24", [date(2025, 12, 14), date(2025, 12, 24)]),
        ("１２／１４、１２／２４", [date(2025, 12, 14), date(2025, 12, 24)]),
        ("", []),
        (None, []),
        (date(2025, 12, 14), [date(2025, 12, 14)]),
        (46005, [date(2025, 12, 14)]),
    ],
)
def test_skipped_dates_are_read_from_a_list(cell: CellValue, expected: list[date]) -> None:
    assert parse_date_list(cell, fiscal_year=2025) == expected


def test_an_unreadable_skipped_date_is_named() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_list("12/14、年末、1/4", fiscal_year=2025)
    assert caught.value.code == "except.unreadable"
    assert caught.value.params == {"value": "年末"}


def test_a_skipped_date_cell_that_is_no_date_is_unreadable() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_list(True)
    assert caught.value.code == "except.unreadable"


def test_a_skipped_date_without_a_year_or_out_of_the_calendar_is_named() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_list("12/14、12/24")
    assert (caught.value.code, caught.value.params) == ("date.no_year", {"value": "12/14"})
    with pytest.raises(ParseError) as caught:
        parse_date_list("12/14、2/30", fiscal_year=2025)
    assert (caught.value.code, caught.value.params) == ("date.invalid", {"value": "2/30"})


@pytest.mark.parametrize(
    ("code", "params", "severity"),
    [
        ("repeat.unreadable", {"value": "たまに"}, "error"),
        ("repeat.until_before_start",
         {"value": "たまに", "until": "2025-03-31", "first": "2025-12-04"}, "error"),
        ("except.unreadable", {"value": "たまに"}, "error"),
        ("except.not_occurrence", {"value": "たまに", "date": "2025-12-15"}, "warning"),
    ],
)
def test_repetition_messages_render_in_both_languages(
    code: str, params: dict[str, str], severity: str
) -> None:
    assert default_severity(code).value == severity
    for lang in ("ja", "en"):
        message = render_message(code, params, lang)
        assert ("たまに" in message) or ("2025-12-15" in message)
        assert "{" not in message
