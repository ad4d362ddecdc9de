"""The municipality register: every code checks, every name finds its code and back,
and every name the country holds more than once resolves the way a council expects."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.geo import (
    Level,
    check_digit,
    code_forms,
    fold,
    home_prefecture,
    is_valid_code,
    register,
    resolve,
    with_check_digit,
)
from campaign_sheets.geo.codes import CodeError
from campaign_sheets.geo.register import FULL, SHORT

REGISTER = register()
ENTRIES = REGISTER.entries
MUNICIPALITIES = [m for m in ENTRIES if m.level is not Level.PREFECTURE]


def test_the_register_holds_every_prefecture_municipality_and_ward() -> None:
    levels = defaultdict(int)
    for m in ENTRIES:
        levels[m.level] += 1
    assert levels[Level.PREFECTURE] == 47
    assert levels[Level.SPECIAL_WARD] == 23  # 東京都の特別区
    # 1,741 municipalities: cities (designated ones included), the 23 wards, towns, villages
    assert levels[Level.CITY] + levels[Level.SPECIAL_WARD] + levels[Level.TOWN] + levels[
        Level.VILLAGE
    ] == 1741
    # the wards of the 20 designated cities, 浜松市 with its three wards of 2024
    assert levels[Level.WARD] == 171
    assert sum(1 for m in ENTRIES if m.level is Level.CITY and any(
        w.city == m.code for w in ENTRIES)) == 20


def test_every_code_carries_its_check_digit() -> None:
    for m in ENTRIES:
        assert is_valid_code(m.code), m
        assert m.code[5] == check_digit(m.code[:5])


def test_tables_are_in_code_order() -> None:
    codes = [m.code for m in ENTRIES]
    assert codes == sorted(codes)
    kanagawa = REGISTER.municipalities_of("14")
    assert [m.code for m in kanagawa] == sorted(m.code for m in kanagawa)
    assert kanagawa[0].name == "横浜市" and kanagawa[-1].name == "清川村"


@pytest.mark.parametrize("m", ENTRIES, ids=lambda m: m.code)
def test_name_and_code_round_trip(m) -> None:  # type: ignore[no-untyped-def]
    assert resolve(m.code).municipality == m
    assert resolve(m.code[:5], m.prefecture_code).municipality == m  # without the check digit
    if m.code.startswith("0"):  # the leading zero a spreadsheet drops
        assert resolve(m.code[1:], m.prefecture_code).municipality == m
        assert resolve(int(m.code[1:5])).municipality == m
        alone = resolve(m.code[1:])
        assert alone.municipality == m or m in alone.candidates
    assert resolve(m.full_name).municipality == m  # 広島県府中市, 神奈川県横浜市中区, 東京都
    assert resolve(m.name, m.prefecture_code).municipality == m  # inside its prefecture
    by_kana = resolve(m.kana, m.prefecture_code)  # 江差町 and 枝幸町 are both えさしちょう
    assert by_kana.municipality == m or m in by_kana.candidates


def _duplicated(tier: int) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {
        form: entries
        for form, entries in REGISTER.forms(tier).items()
        if len({e.prefecture_code for e in entries}) > 1
    }


def test_names_the_country_holds_more_than_once() -> None:
    full = {f for f in _duplicated(FULL) if not f.endswith("区") and not f.isascii()}
    full = {f for f in full if not all("ぁ" <= c <= "ん" for c in f)}
    assert len(full) >= 24  # 府中市, 伊達市, 川崎町, 森町, 清水町 …
    assert {"府中市", "伊達市", "森町", "清水町", "美郷町"} <= full
    assert len(_duplicated(SHORT)) > len(full)


@pytest.mark.parametrize("tier", [FULL, SHORT])
def test_a_name_held_twice_resolves_at_home_and_names_every_candidate_elsewhere(
    tier: int,
) -> None:
    for form, entries in _duplicated(tier).items():
        prefectures = {e.prefecture_code for e in entries}
        for entry in entries:
            same_home = [e for e in entries if e.prefecture_code == entry.prefecture_code]
            at_home = resolve(form, entry.prefecture_code)
            if len(same_home) == 1 and not _also_full_at_home(form, entry.prefecture_code):
                assert at_home.municipality == entry, (form, entry)
            with_prefix = resolve(entry.prefecture + form)
            if len(same_home) == 1 and not _also_full_at_home(form, entry.prefecture_code):
                assert with_prefix.municipality == entry
        outside = next(
            (p.prefecture_code for p in REGISTER.prefectures()
             if p.prefecture_code not in prefectures
             and not any(fold(m.name).startswith(form) for m in REGISTER.municipalities_of(
                 p.prefecture_code))),
            None,
        )
        if tier == FULL and outside is not None:
            nowhere = resolve(form, outside)
            assert nowhere.code == "municipality.ambiguous", form
            assert set(nowhere.candidates) == set(entries)


def _also_full_at_home(form: str, prefecture: str) -> bool:
    """A short form that is also a full name at home resolves to the full name."""
    return any(e.prefecture_code == prefecture for e in REGISTER.forms(FULL).get(form, ()))


@pytest.mark.parametrize(
    ("query", "home", "code"),
    [
        ("杉並区", None, "131156"),
        ("杉並", "13", "131156"),
        ("横浜市中区", None, "141046"),
        ("中区", "14", "141046"),  # only Yokohama has a 中区 in Kanagawa
        ("広島県府中市", "14", "342084"),
        ("東京都府中市", None, "132063"),
        ("府中市", "13", "132063"),
        ("県", "14", "140007"),
        ("都", "13", "130001"),
        ("神奈川県", None, "140007"),
        ("大磯", "14", "143413"),
        ("大磯町", None, "143413"),
        ("中郡大磯町", "14", "143413"),  # with its district
        ("茅ケ崎市", "14", "142077"),  # the register writes 茅ヶ崎市
        ("ちがさきし", None, "142077"),
        ("１３１１５", None, "131156"),  # full-width digits
        ("13115", None, "131156"),
        (13115, None, "131156"),
        ("11002", None, "011002"),  # 札幌市 without its leading zero
        ("1100", None, "011002"),  # …and without its check digit
        ("浜松市中央区", None, "221384"),  # the wards of 2024
        ("静岡", "14", "221007"),  # a bare name is the city before the prefecture
        ("横浜", "14", "141003"),
    ],
)
def test_names_and_codes_as_organisers_write_them(query: str, home: str | None, code: str) -> None:
    found = resolve(query, home)
    assert found.ok, found
    assert found.municipality is not None and found.municipality.code == code


def test_an_ambiguous_name_lists_both_candidates() -> None:
    found = resolve("府中市", "14")
    assert found.code == "municipality.ambiguous"
    assert [c.code for c in found.candidates] == ["132063", "342084"]
    assert "東京都府中市（132063）" in found.message_params()["candidates"]


def test_an_unknown_name_suggests_the_closest() -> None:
    found = resolve("大礒", "14")
    assert found.code == "municipality.unknown"
    assert found.suggestion == "大磯町"
    assert resolve("浜松市中区").suggestion == "静岡県浜松市中央区"  # a ward abolished in 2024


def test_the_home_prefecture_needs_a_configuration() -> None:
    assert resolve("県").code == "municipality.no_home"


def test_a_code_that_reads_two_ways_is_ambiguous_unless_one_is_at_home() -> None:
    found = resolve("11100")  # さいたま市 without its check digit, 札幌市清田区 without its 0
    assert found.code == "municipality.ambiguous"
    assert [c.code for c in found.candidates] == ["111007", "011100"]
    assert resolve("11100", "11").municipality == REGISTER.by_code("111007")
    assert resolve("11100", "01").municipality == REGISTER.by_code("011100")


def test_a_wrong_check_digit_is_an_error_that_gives_the_right_code() -> None:
    found = resolve("131157")
    assert found.code == "municipality.check_digit"
    assert found.params == {"query": "131157", "expected": "131156"}
    with pytest.raises(CodeError):
        code_forms("131157")


@pytest.mark.parametrize("text", ["12", "1234567", "13-115", "abc", ""])
def test_text_that_is_no_code(text: str) -> None:
    found = resolve(text)
    assert not found.ok
    assert found.code in ("municipality.bad_code", "municipality.unknown")


@pytest.mark.parametrize(
    ("value", "code"),
    [("神奈川県", "14"), ("神奈川", "14"), ("14", "14"), ("140007", "14"), ("北海道", "01"),
     ("01", "01"), ("とうきょうと", "13")],
)
def test_the_configured_prefecture(value: str, code: str) -> None:
    found = home_prefecture(value)
    assert found is not None and found.prefecture_code == code


@pytest.mark.parametrize("value", ["火星", "48", "140008", "14100"])
def test_a_configured_prefecture_that_is_none(value: str) -> None:
    assert home_prefecture(value) is None


def test_full_names_are_found_at_a_position_in_running_text() -> None:
    text = fold("厚木市本厚木駅前")
    found = REGISTER.names_at(text)
    assert [(m.code, end) for m, end in found] == [("142123", 3)]
    assert REGISTER.names_at(fold("川崎社保協")) == []  # a short form is no name in prose


@given(st.from_regex(r"[0-9]{5}", fullmatch=True))
def test_a_check_digit_is_one_digit_that_a_changed_digit_breaks(five: str) -> None:
    code = with_check_digit(five)
    assert is_valid_code(code)
    wrong = code[:5] + str((int(code[5]) + 1) % 10)
    assert not is_valid_code(wrong)
