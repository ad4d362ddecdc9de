"""Shared pieces of the feed, publish and serve tests: the example actions and contexts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from campaign_sheets.core.config import CalendarConfig, Config
from campaign_sheets.core.model import Action, Workbook
from campaign_sheets.core.outputs import BuildContext
from campaign_sheets.publish.state import action_from_json

DATA = Path(__file__).resolve().parent / "data" / "feeds"
GOLDEN = Path(__file__).resolve().parent / "golden" / "feeds"
TOKEN = "members-token-0123456789"
NOW = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)


def example_actions() -> tuple[Action, ...]:
    """The fixed actions of ``tests/data/feeds/kanagawa_actions.json``."""
    rows = json.loads((DATA / "kanagawa_actions.json").read_text(encoding="utf-8"))
    return tuple(action_from_json(row) for row in rows)


def example_config(base_url: str = "https://example.org/calendar/") -> Config:
    """A configuration like the bundled one, with a fixed base URL and UID domain."""
    return Config(
        calendar=CalendarConfig(
            name="県社保協 行動予定", uid_domain="example.org", base_url=base_url, refresh="PT6H"
        )
    )


def context(
    actions: Sequence[Action],
    *,
    token: str | None = TOKEN,
    now: datetime = NOW,
    base_url: str = "https://example.org/calendar/",
) -> BuildContext:
    """A build context over ``actions`` with a fixed clock."""
    return BuildContext(
        config=example_config(base_url),
        workbook=Workbook(actions=tuple(actions)),
        today=date(2025, 1, 1),
        members_token=token,
        now=now,
    )
