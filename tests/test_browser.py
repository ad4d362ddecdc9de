"""The pages in a real headless Chromium: Japanese text, subscribe links, phone width, QR.

Screenshots are saved under ``test-artifacts/pages/`` for a person to look at.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from campaign_sheets.pages.build import build_pages
from conftest import require_program
from pages_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    page_context,
    winter_actions,
    zbar_decode,
)
from test_pages_ranges import RANGES

SHOTS = ARTIFACTS / "pages"
PHONE = {"width": 375, "height": 740}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(root: Path, files: dict[str, bytes]) -> Iterator[str]:
    """``files`` written under ``root`` and served over HTTP on localhost, as a base URL."""
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built tree, served over HTTP on localhost, as its base URL."""
    yield from _serve(tmp_path_factory.mktemp("site"),
                      build_pages(page_context(token=None), pdf=False))


@pytest.fixture(scope="module")
def range_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The tree with caravans of several days added, served like ``site``."""
    ctx = page_context((*winter_actions(), *RANGES), token=None)
    yield from _serve(tmp_path_factory.mktemp("range-site"), build_pages(ctx, pdf=False))


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    require_program("chromium", "Debian chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser: Any, url: str, viewport: dict[str, int], scale: float = 1) -> Any:
    page = browser.new_page(viewport=viewport, device_scale_factor=scale)
    page.goto(url)
    return page


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))


def test_the_index_renders_in_japanese_with_subscribe_links(chromium: Any, site: str) -> None:
    page = open_page(chromium, site + "index.html", {"width": 1024, "height": 800})
    assert page.locator("h1").inner_text() == "県社保協 行動予定"
    assert page.locator("#upcoming").inner_text() == "これからの行動"
    assert "社会保障学習会「介護保険のいま」" in page.locator("main").inner_text()
    webcal = page.locator("a.webcal").first.get_attribute("href")
    https = page.locator("a.https").first.get_attribute("href")
    assert webcal == "webcal://example.org/calendar/calendar.ics"
    assert https == "https://example.org/calendar/calendar.ics"
    shot(page, "index-desktop")
    page.close()


def test_the_kind_filter_shows_only_that_kind(chromium: Any, site: str) -> None:
    page = open_page(chromium, site + "index.html", {"width": 1024, "height": 800})
    page.locator("button[data-filter=study]").click()
    visible = page.locator(".month li[data-kind]:visible")
    shown = visible.count()
    kinds = {visible.nth(i).get_attribute("data-kind") for i in range(shown)}
    assert kinds == {"study"}
    assert page.locator("button[data-filter=study]").get_attribute("aria-pressed") == "true"
    page.locator("button[data-filter=all]").click()
    assert page.locator(".month li[data-kind]:visible").count() > shown
    page.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("index.html", "index-phone"),
        ("events/study-1207/index.html", "event-study-phone"),
        ("events/rally-1214/index.html", "event-cancelled-phone"),
        ("events/station-4/index.html", "event-repeating-phone"),
        ("events/station-4/flyer-shahokyo.html", "flyer-phone"),
    ],
)
def test_pages_fit_a_phone_without_sideways_scrolling(
    chromium: Any, site: str, path: str, name: str
) -> None:
    page = open_page(chromium, site + path, PHONE, scale=2)
    assert no_horizontal_scroll(page)
    shot(page, name)
    page.close()


def test_an_event_page_shows_the_banner_and_a_scannable_code(chromium: Any, site: str) -> None:
    zbarimg = require_program("zbarimg", "Debian zbar-tools")
    page = open_page(chromium, site + "events/station-4/index.html", PHONE, scale=3.125)
    assert page.locator("h1").inner_text() == "4のつく日 横浜駅西口宣伝"
    register = page.locator("#register").get_attribute("href")
    assert register is not None and register.startswith("https://docs.google.com/forms/")
    code = page.locator(".qr img")
    assert code.evaluate("img => img.complete && img.naturalWidth > 0")
    SHOTS.mkdir(parents=True, exist_ok=True)
    code.screenshot(path=str(SHOTS / "event-qr.png"))
    assert zbar_decode(zbarimg, SHOTS / "event-qr.png") == [register]
    page.close()
    cancelled = open_page(chromium, site + "events/rally-1214/index.html", PHONE)
    assert cancelled.locator("[role=alert]").inner_text().startswith("【中止】")
    cancelled.close()


def test_the_flyer_prints_its_code_35mm_wide_on_a4(chromium: Any, site: str) -> None:
    # A4 at 96 CSS px per inch: 794 × 1123
    a4 = {"width": 794, "height": 1123}
    page = open_page(chromium, site + "events/study-1207/flyer.html", a4)
    width = page.locator(".register img").evaluate("img => img.getBoundingClientRect().width")
    assert width == pytest.approx(35 / 25.4 * 96, abs=0.5)
    assert "参加登録はURL・QRより" in page.locator(".register").inner_text()
    shot(page, "flyer-a4")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.close()


def test_a_caravan_of_several_days_shows_both_days_on_a_phone(
    chromium: Any, range_site: str
) -> None:
    page = open_page(chromium, range_site + "index.html", PHONE, scale=2)
    page.locator("button[data-filter=caravan]").click()
    shown = page.locator(".month li[data-kind]:visible")
    whens = [shown.nth(i).locator(".when").inner_text() for i in range(shown.count())]
    assert whens[:2] == [
        "2025年11月30日（日）〜12月2日（火）",
        "2025年12月10日（水）〜11日（木） 各日9:30〜16:00 ・ 小田原市役所",
    ]
    assert page.locator(".month h3:visible").first.inner_text() == "2025年11月"
    assert no_horizontal_scroll(page)
    shot(page, "index-ranges-phone")
    page.close()
    page = open_page(chromium, range_site + "events/caravan-1210/index.html", PHONE, scale=2)
    facts = page.locator("dl.facts").inner_text()
    assert "2025年12月10日（水）〜11日（木） 各日9:30〜16:00" in facts
    assert no_horizontal_scroll(page)
    shot(page, "event-range-phone")
    page.close()
