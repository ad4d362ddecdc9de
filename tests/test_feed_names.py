"""A member subscribes to the feed of their region or of a course series: its address
says what it is (``regions/横浜.ics``, or ``regions/yokohama.ics`` with a key in the
configuration, as the 団体 tab's キー names an organisation's feed; an organisation
without a キー by its name, ``orgs/県年金者組合.ics``), it stays the same from sync to sync,
and the hashed addresses earlier versions published keep working."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from campaign_sheets.core.config import parse_config
from campaign_sheets.core.errors import ConfigError
from campaign_sheets.feeds.catalog import feed_file_names
from campaign_sheets.serve import TreeServer
from sync_support import make_site, sync

KEYS = '\n[feeds.regions]\n"横浜" = "yokohama"\n'


def _old_name(name: str, prefix: str) -> str:
    return f"{prefix}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("names"), pdf=False)
    site.config.write_text(site.config.read_text(encoding="utf-8") + KEYS, encoding="utf-8")
    book = openpyxl.load_workbook(site.workbook)
    orgs = book["団体"]
    row = next(r for r in orgs.iter_rows(min_row=2) if r[0].value == "県年金者組合")
    row[3].value = None  # the キー left blank
    book.save(site.workbook)
    assert sync(site).code in (0, 1)
    return site.out


def _feeds(out: Path) -> dict[str, dict[str, str]]:
    listed = json.loads((out / "feeds.json").read_text(encoding="utf-8"))["feeds"]
    return {f["path"]: f for f in listed}


def test_region_and_series_feeds_have_readable_names(site: Path) -> None:
    feeds = _feeds(site)
    assert "regions/yokohama.ics" in feeds  # the key from the configuration
    assert "regions/川崎.ics" in feeds  # no key: the name as written
    assert "series/社会保障講座.ics" in feeds
    assert not [p for p in feeds if re.fullmatch(r"(regions|series)/\w+-[0-9a-f]{8}\.ics", p)]
    url = feeds["regions/川崎.ics"]["url"]
    assert url.isascii() and url.endswith("/regions/%E5%B7%9D%E5%B4%8E.ics")
    assert feeds["regions/川崎.ics"]["webcal"].startswith("webcal://")


def test_the_old_hashed_addresses_still_answer_with_the_same_feed(site: Path) -> None:
    for name, folder, prefix, current in (("横浜", "regions", "region", "yokohama"),
                                          ("川崎", "regions", "region", "川崎"),
                                          ("社会保障講座", "series", "series", "社会保障講座")):
        old = site / folder / f"{_old_name(name, prefix)}.ics"
        assert old.read_bytes() == (site / folder / f"{current}.ics").read_bytes(), name
        assert f"{folder}/{old.name}" not in _feeds(site)
    # a name that gets a key keeps the readable address it had before it too
    assert (site / "regions" / "横浜.ics").read_bytes() == (
        site / "regions" / "yokohama.ics").read_bytes()


def test_an_organisation_without_a_key_has_its_feed_under_its_name(site: Path) -> None:
    feeds = _feeds(site)
    assert "orgs/県年金者組合.ics" in feeds and "orgs/nenkin.ics" not in feeds
    assert "orgs/hokeni.ics" in feeds  # a キー names the feed, as before
    assert not [p for p in feeds if re.fullmatch(r"orgs/org-[0-9a-f]{8}\.ics", p)]
    old = site / "orgs" / f"{_old_name('県年金者組合', 'org')}.ics"
    assert old.read_bytes() == (site / "orgs" / "県年金者組合.ics").read_bytes()
    assert not list((site / "orgs").glob("hokeni-*"))


def test_the_index_page_links_the_readable_addresses(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "regions/yokohama.ics" in index and "regions/%E5%B7%9D%E5%B4%8E.ics" in index


def test_a_readable_feed_is_served_under_its_encoded_address(site: Path) -> None:
    server = TreeServer(site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"{server.url}regions/%E5%B7%9D%E5%B4%8E.ics",
                                    timeout=10) as answer:
            assert answer.headers["Content-Type"].startswith("text/calendar")
            assert answer.read() == (site / "regions" / "川崎.ics").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_names_are_made_safe_and_short_for_any_file_system() -> None:
    assert feed_file_names("横浜/川崎: 合同", "region")[0] == "横浜-川崎-合同"
    assert feed_file_names("Tokyo Caravan", "series") == ["tokyocaravan"]
    long = feed_file_names("あ" * 300, "series")
    assert len(long[0]) == 40 and long[-1].startswith("series-")
    assert feed_file_names("...", "region") == [_old_name("...", "region")]


def test_a_feed_key_must_be_ascii_and_used_once(tmp_path: Path) -> None:
    text = '[feeds.regions]\n"横浜" = "横浜"\n[feeds.series]\n"a" = "k"\n"b" = "K"\n'
    with pytest.raises(ConfigError) as raised:
        parse_config(text, tmp_path)
    codes = [item.code for item in raised.value.items if not isinstance(item, str)]
    assert codes == ["config.bad_feed_key", "config.feed_key_twice"]
