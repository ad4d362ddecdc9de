"""Registration links: the row's own link, or one made from the form template."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_sheets.core.config import parse_config
from campaign_sheets.core.errors import ConfigError
from campaign_sheets.core.model import Action
from campaign_sheets.core.urls import ascii_url, is_http_url, validate_url_template
from campaign_sheets.pages.links import RegistrationLink, registration_link, registration_url
from pages_support import FORM, page_config

ACTION = Action(
    id="2025-1207-study", kind="study", title="学習会 介護&年金", date=date(2025, 12, 7)
)


def prefilled(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_blank_registration_is_made_from_the_form_template_with_the_id() -> None:
    url = registration_url(ACTION, page_config())
    assert url is not None
    expected = {"usp": ["pp_url"], "entry.1061254370": ["2025-1207-study"],
                "entry.2095814622": [""]}
    assert prefilled(url) == expected


def test_a_flyer_for_one_organisation_prefills_its_name() -> None:
    url = registration_url(ACTION, page_config(), "県年金者組合", "nenkin")
    assert url is not None
    assert prefilled(url)["entry.2095814622"] == ["県年金者組合"]
    assert url.isascii()


def test_title_and_iso_date_placeholders_are_url_encoded() -> None:
    config = page_config(template="https://forms.shaho-kanagawa.jp/f?t={title}&d={date}&k={org_key}")
    url = registration_url(ACTION, config, "県年金者組合", "nenkin")
    assert url == (
        "https://forms.shaho-kanagawa.jp/f?t=%E5%AD%A6%E7%BF%92%E4%BC%9A%20%E4%BB%8B%E8%AD%B7%26"
        "%E5%B9%B4%E9%87%91&d=2025-12-07&k=nenkin"
    )


def test_the_rows_own_link_wins_over_the_template() -> None:
    action = Action(**{**ACTION.__dict__, "registration": "https://forms.example.org/own"})
    assert registration_url(action, page_config(), "県年金者組合") == "https://forms.example.org/own"


def test_a_row_link_typed_with_japanese_is_made_ascii() -> None:
    action = Action(**{**ACTION.__dict__, "registration": "https://example.org/申込?会=年金"})
    assert registration_url(action, page_config()) == (
        "https://example.org/%E7%94%B3%E8%BE%BC?%E4%BC%9A=%E5%B9%B4%E9%87%91"
    )


def test_no_template_and_no_row_link_means_no_link_and_nothing_refused() -> None:
    assert registration_link(ACTION, page_config(template="")) == RegistrationLink(None)


def test_a_non_http_row_link_is_refused_and_says_why() -> None:
    action = Action(**{**ACTION.__dict__, "registration": "javascript:alert(1)", "row": 9})
    link = registration_link(action, page_config())
    assert (link.url, link.refused, link.where) == (None, "url.not_http", "申込URL")


def test_a_template_still_holding_the_bundled_placeholder_makes_no_link() -> None:
    bundled = "https://docs.google.com/forms/d/e/FORM_ID/viewform?usp=pp_url&entry.111={id}"
    link = registration_link(ACTION, page_config(template=bundled))
    assert (link.url, link.refused) == (None, "url.placeholder")


def test_the_bundled_style_template_is_valid() -> None:
    assert validate_url_template(FORM) == []
    assert validate_url_template("") == []


def test_a_template_that_is_not_a_web_link_is_a_config_error() -> None:
    problems = validate_url_template("mailto:office@example.org?subject={id}", lang="en")
    assert len(problems) == 1
    assert "http://" in problems[0]


def test_an_unknown_placeholder_is_named() -> None:
    problems = validate_url_template("https://f.example.org/?e={event}", lang="en")
    assert len(problems) == 1
    assert "{event}" in problems[0]


def test_unpaired_braces_are_reported() -> None:
    assert validate_url_template("https://f.example.org/?e={id", lang="en")


def test_only_http_links_count_as_web_links() -> None:
    assert is_http_url("https://example.org/a")
    assert is_http_url("HTTP://example.org")
    bad_links = ("ftp://x.org", "javascript:alert(1)", "https://", "https://a b.org", "//x.org")
    for bad in bad_links:
        assert not is_http_url(bad)


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@given(title=names, org=names, ident=st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True))
def test_every_placeholder_value_comes_back_from_the_link(title: str, org: str, ident: str) -> None:
    config = page_config(template="https://forms.shaho-kanagawa.jp/f?i={id}&t={title}&o={org}&d={date}")
    action = Action(id=ident, kind="street", title=title, date=date(2026, 1, 4))
    url = registration_url(action, config, org)
    assert url is not None and url.isascii() and is_http_url(url)
    query = prefilled(url)
    assert query == {"i": [ident], "t": [title], "o": [org], "d": ["2026-01-04"]}


@given(st.text(max_size=30))
def test_ascii_url_only_touches_non_ascii(text: str) -> None:
    made = ascii_url("https://example.org/" + text)
    assert made.isascii()
    if text.isascii():
        assert made == "https://example.org/" + text


def test_a_configuration_with_a_non_web_template_is_refused() -> None:
    text = '[registration]\nurl_template = "forms.example.org/f?id={id}"\n'
    with pytest.raises(ConfigError) as raised:
        parse_config(text, Path("."))
    assert any("url_template" in p for p in raised.value.problems)
    ok = parse_config(f'[registration]\nurl_template = "{FORM}"\n', Path("."))
    assert ok.registration.url_template == FORM
