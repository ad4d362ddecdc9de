"""Shared pieces of the page, QR and browser tests: actions, contexts, HTML parsing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from campaign_sheets.core.config import CalendarConfig, Config, RegistrationConfig
from campaign_sheets.core.model import Action, Organisation, Workbook
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.publish.state import action_from_json

DATA = Path(__file__).resolve().parent / "data" / "pages"
TOKEN = "members-secret-token-42"
TODAY = date(2025, 12, 1)
FORM = ("https://docs.google.com/forms/d/e/1FAIpQLSe4kR9vT2mWq8xZ3nB6cY1dF5gH7jK0lP2sA9uE3rI6oT8w/viewform"
        "?usp=pp_url&entry.1061254370={id}&entry.2095814622={org}")
ORGS = (
    Organisation(name="県社会保障推進協議会", short="県社保協", key="shahokyo"),
    Organisation(name="県年金者組合", short="年金者組合", key="nenkin"),
    Organisation(name="医療生活協同組合", short="医療生協", key="iryo-seikyo"),
)


def winter_actions() -> tuple[Action, ...]:
    """The fixed actions of ``tests/data/pages/winter_actions.json``."""
    rows = json.loads((DATA / "winter_actions.json").read_text(encoding="utf-8"))
    return tuple(action_from_json(row) for row in rows)


def page_config(base_url: str = "https://example.org/calendar/", template: str = FORM) -> Config:
    """A configuration like the bundled one, with a fixed base URL and form template."""
    return Config(
        calendar=CalendarConfig(name="県社保協 行動予定", base_url=base_url),
        registration=RegistrationConfig(url_template=template),
    )


def page_context(
    actions: Sequence[Action] | None = None,
    *,
    token: str | None = TOKEN,
    base_url: str = "https://example.org/calendar/",
    templates: Path | None = None,
) -> BuildContext:
    """A build context over ``actions`` (the winter ones by default) on a fixed day."""
    return BuildContext(
        config=page_config(base_url),
        workbook=Workbook(
            actions=tuple(winter_actions() if actions is None else actions), orgs=ORGS
        ),
        today=TODAY,
        members_token=token,
        templates=templates,
    )


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(data: bytes) -> Elements:
    """The parsed elements of an HTML page."""
    parser = Elements()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


def hrefs(data: bytes) -> list[str]:
    """Every link target of a page."""
    return [str(a["href"]) for tag, a in parse_html(data).tags if tag == "a" and a.get("href")]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def zbar_decode(zbarimg: str, image: Path) -> list[str]:
    """Every QR code zbarimg finds in ``image``, as text."""
    import subprocess

    done = subprocess.run(
        [zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True, check=False, timeout=60,
    )
    assert done.returncode in (0, 4), done.stderr
    return [line for line in done.stdout.decode("utf-8").splitlines() if line]
