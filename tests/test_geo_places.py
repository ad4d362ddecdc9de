"""Where an action is held, read from what organisers type in 住所, 会場 and 地域."""

from __future__ import annotations

from datetime import date

import pytest

from campaign_sheets.core.model import Action
from campaign_sheets.geo import listed_under, place_in, place_of

KANAGAWA = "14"


@pytest.mark.parametrize(("text", "code"), [
    ("神奈川県厚木市中町1-1", "142123"),      # an address with its prefecture
    ("厚木市文化会館", "142123"),              # a venue that starts with its city
    ("中郡大磯町東小磯", "143413"),            # a district in front of the town
    ("横浜市中区日本大通1", "141046"),         # a ward of a designated city
    ("中区役所", "141046"),                    # a ward alone: Kanagawa has one 中区
    ("茅ケ崎市役所", "142077"),                # ケ and ヶ are one character
    ("東京都府中市宮西町2-24", "132063"),      # a prefecture in front chooses
])
def test_an_address_or_a_venue_names_its_municipality_at_its_start(text: str, code: str) -> None:
    found = place_in(text, KANAGAWA)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", [
    "本厚木駅前", "県民ホール", "川崎社保協 事務所", "府中市役所", "", "県庁 新庁舎",
])
def test_a_text_that_names_no_one_municipality_places_nothing(text: str) -> None:
    # 府中市 is in Tokyo and in Hiroshima: a guess would put the action in the wrong town
    assert place_in(text, KANAGAWA) is None


def test_a_ward_alone_is_ambiguous_without_a_home_prefecture() -> None:
    assert place_in("中区役所", None) is None
    assert place_in("中区役所", KANAGAWA) is not None


@pytest.mark.parametrize(("region", "code"), [
    ("大磯町", "143413"), ("大磯", "143413"), ("横浜", "141003"), ("川崎", "141305"),
])
def test_a_region_may_be_a_short_name(region: str, code: str) -> None:
    found = place_in(region, KANAGAWA, area=True)
    assert found is not None and found.code == code


@pytest.mark.parametrize("region", ["県央", "湘南", "県", "全県"])
def test_an_area_that_is_not_a_municipality_places_nothing(region: str) -> None:
    assert place_in(region, KANAGAWA, area=True) is None


def _held_in(venue: str = "", address: str = "", region: str = "") -> str | None:
    action = Action("a", "study", "学習会", date(2026, 11, 5), venue=venue, address=address,
                    region=region)
    found = place_of(action, KANAGAWA)
    return found.code if found is not None else None


def test_the_address_wins_over_the_venue_and_the_venue_over_the_region() -> None:
    assert _held_in("藤沢市民会館", "横浜市中区日本大通1", "大磯") == "141046"
    assert _held_in("藤沢市民会館", "", "大磯") == "142051"
    assert _held_in("駅前", "", "大磯") == "143413"
    assert _held_in("駅前", "", "県央") is None


def test_a_wards_things_are_listed_under_its_city_too() -> None:
    assert listed_under("141046") == ("141046", "141003")
    assert listed_under("142123") == ("142123",)
