"""The councils of a many-sheet tree: each ``[[sources]]`` table with its prefecture.

The prefecture's two-digit code tells one council's IDs from another's (``cv-1.14``),
so two sheets may not name the same prefecture, and every one must name one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.config import Config, SourceConfig
from ..core.errors import ConfigError
from ..core.problems import Nested
from ..geo import home_prefecture


@dataclass(frozen=True)
class Council:
    """One sheet of the tree: its name, its prefecture (code and name), and the
    configuration it is read with (its own source and prefecture)."""

    name: str
    code: str
    prefecture: str
    config: Config
    source: SourceConfig


def councils_of(config: Config) -> tuple[Council, ...]:
    """The councils of ``config``'s ``[[sources]]``, in their order.

    Raises :class:`ConfigError` listing every prefecture that names none, or that two
    sheets share.
    """
    problems: list[Nested] = []
    out: list[Council] = []
    taken: dict[str, str] = {}
    for number, source in enumerate(config.sources, start=1):
        found = home_prefecture(source.prefecture)
        key = f"sources[{number}].prefecture"
        if found is None:
            problems.append(Nested("config.source_prefecture_unknown",
                                   {"key": key, "value": source.prefecture}))
            continue
        code = found.prefecture_code
        if code in taken:
            problems.append(Nested("config.source_prefecture_twice", {
                "key": key, "value": found.name, "other": taken[code]}))
            continue
        taken[code] = source.name
        out.append(Council(name=source.name, code=code, prefecture=found.name,
                           config=config.for_source(source), source=source))
    if problems:
        raise ConfigError(problems, lang=config.lang)
    return tuple(out)
