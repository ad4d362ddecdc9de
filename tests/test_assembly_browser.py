"""The progress page ``assembly/index.html`` in a real headless Chromium, at phone width
first: the sentence, the hearings ahead with a subscribe button, the tile map of every
municipality of the prefecture coloured by status, its legend and text alternative,
the sortable table and the timelines — and no console error, no external request.

A screenshot is saved under ``test-artifacts/assembly/`` for a person to look at.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from assembly_support import TOKEN, sync_tracker, tracker_site
from campaign_sheets.assembly.vocabulary import status_styles
from campaign_sheets.geo import register
from conftest import require_program
from pages_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from sync_support import TOKEN_ENV

PHONE = {"width": 375, "height": 740}
CARRIED_THREE = "継続審査 3回"
#: The tile status each municipality of the organisers' workbook must show.
EXPECTED = {
    "141305": "adopted",       # 川崎市: the chair's tie, then the plenary
    "141003": "rejected",      # 横浜市: overturned in the plenary
    "141500": "closed",        # 相模原市: withdrawn after three carry-overs
    "143413": "adopted",       # 大磯町: an opinion adopted
    "142051": "rejected",      # 藤沢市: an opinion voted down
    "142077": "committee",     # 茅ヶ崎市: the plenary ahead
    "142018": "pending",       # 横須賀市: the committee ahead
    "142158": "none",          # 海老名市: its only petition is 非公開
    "142123": "none",          # 厚木市: members only, so not on the public page
    "143821": "none",          # 箱根町: nothing
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The organisers' synced tree, served on localhost."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TOKEN_ENV, TOKEN)
        site = tracker_site(tmp_path_factory.mktemp("browser") / "council")
        sync_tracker(site)
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(_Quiet, directory=str(site.out.resolve())))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    require_program("chromium", "Debian chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def progress(chromium_browser: Any, served: str) -> Iterator[Any]:
    """The public progress page at phone width, with what it logged and fetched."""
    page = chromium_browser.new_page(viewport=PHONE)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served + "assembly/index.html")
    page.wait_for_load_state("networkidle")
    page.errors, page.requests = errors, requests
    yield page
    page.close()


def test_the_map_has_one_tile_per_municipality_of_the_prefecture(progress: Any) -> None:
    codes = progress.eval_on_selector_all("svg.tilemap g.tile", "gs => gs.map(g => g.dataset.code)")
    expected = [m.code for m in register().municipalities_of("14", wards=False)]
    assert sorted(codes) == expected and len(codes) == 33
    boxes = progress.eval_on_selector_all(
        "svg.tilemap rect", "rs => rs.map(r => [r.getAttribute('x'), r.getAttribute('y')])")
    assert len(set(map(tuple, boxes))) == 33, "two tiles on one square"


def test_tile_colours_match_the_statuses_and_the_legend(progress: Any) -> None:
    tiles = dict(progress.eval_on_selector_all(
        "svg.tilemap g.tile",
        "gs => gs.map(g => [g.dataset.code, [g.dataset.status,"
        " getComputedStyle(g.querySelector('rect')).fill]])"))
    for code, status in EXPECTED.items():
        assert tiles[code][0] == status, code
    colours = {s.key: s.colour for s in status_styles()}
    for code, (status, fill) in tiles.items():
        assert fill == _rgb(colours[status]), code
    legend = dict(progress.eval_on_selector_all(
        "ul.legend li", "ls => ls.map(l => [l.dataset.status,"
        " getComputedStyle(l.querySelector('.swatch')).backgroundColor])"))
    assert legend == {key: _rgb(colour) for key, colour in colours.items()}
    counts = progress.eval_on_selector_all("ul.legend li", "ls => ls.map(l => l.textContent)")
    assert any(text.startswith("請願なし（") for text in counts)


def test_the_map_has_a_text_alternative(progress: Any) -> None:
    svg = progress.locator("svg.tilemap")
    assert svg.get_attribute("role") == "img"
    title = progress.text_content("svg.tilemap > title")
    desc = progress.text_content("svg.tilemap > desc")
    assert "神奈川県" in title
    assert "採択（確定）" in desc and "不採択・否決" in desc
    tile = progress.text_content("svg.tilemap g.tile[data-code='141305'] > title")
    assert tile == "川崎市：採択（確定）"


def test_the_page_reads_at_phone_width_without_console_errors(progress: Any) -> None:
    ARTIFACTS.joinpath("assembly").mkdir(parents=True, exist_ok=True)
    progress.screenshot(path=str(ARTIFACTS / "assembly" / "progress-phone.png"), full_page=True)
    assert progress.errors == []
    assert all(url.startswith("http://127.0.0.1") for url in progress.requests), progress.requests
    width = progress.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways"
    svg_width = progress.evaluate(
        "document.querySelector('svg.tilemap').getBoundingClientRect().width")
    assert 0 < svg_width <= PHONE["width"]
    assert "2都道府県の4市区町村と1都道府県議会で採択" in progress.text_content("#sentence")


def test_upcoming_hearings_have_a_subscribe_button(progress: Any) -> None:
    hearings = progress.eval_on_selector_all("#hearings ~ ul.events li",
                                             "ls => ls.map(l => l.textContent)")
    joined = " ".join(hearings)
    assert "教育福祉常任委員会" in joined and "介護職員の処遇改善を求める陳情" in joined
    webcal = progress.get_attribute("#subscribe a.webcal", "href")
    assert webcal.startswith("webcal://") and webcal.endswith("kinds/hearing.ics")


def test_the_table_sorts_and_each_petition_has_its_timeline(progress: Any) -> None:
    progress.click("#place-table th[data-key] >> nth=3 >> button")
    progress.click("#place-table th[data-key] >> nth=3 >> button")  # descending
    first = progress.eval_on_selector("#place-table tbody tr", "r => r.id")
    petitions = progress.eval_on_selector_all(
        "#place-table tbody tr", "rs => rs.map(r => Number(r.cells[3].dataset.sort))")
    assert petitions == sorted(petitions, reverse=True) and first.startswith("m-")
    steps = progress.eval_on_selector_all("#p-p04 ol.timeline li",
                                          "ls => ls.map(l => l.textContent)")
    assert len(steps) == 6  # submitted, then five sessions
    # four sessions said 継続審査; the June plenary confirmed its committee: three carry-overs
    assert sum("継続審査" in s for s in steps) == 4 and "取り下げ" in steps[-1]
    assert CARRIED_THREE in progress.text_content("#p-p04 p.note")
    assert "3対3（委員長決裁）" in progress.text_content("#p-p02")
    assert progress.locator("#p-p11").count() == 0 and progress.locator("#p-p12").count() == 0


def _rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"
