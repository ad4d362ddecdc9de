"""The words of the pages, from ``data/page_text.toml``."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class PageText:
    """Labels and sentences (``text``) and weekday names, Monday first."""

    text: Mapping[str, Any]
    weekdays: tuple[str, ...]


@cache
def page_text() -> PageText:
    """The page words, read once."""
    path = resources.files("campaign_sheets") / "data" / "page_text.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return PageText(text=dict(data["text"]), weekdays=tuple(data["weekdays"]))
