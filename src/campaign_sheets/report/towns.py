"""Municipalities named in a report sentence: their codes, from the register (geo/)."""

from __future__ import annotations

from functools import lru_cache

from ..geo import resolve


@lru_cache(maxsize=4096)
def code_of(name: str, home: str | None) -> str | None:
    """The 6-digit code ``name`` resolves to (inside ``home`` first), or ``None``."""
    found = resolve(name, home)
    return found.municipality.code if found.municipality is not None else None


@lru_cache(maxsize=1024)
def candidates_of(name: str) -> str:
    """The entries an unresolved name could be, for a warning (``府中市（132063）、…``)."""
    found = resolve(name)
    names = [f"{c.full_name}（{c.code}）" for c in found.candidates]
    if found.municipality is not None:
        names = [f"{found.municipality.full_name}（{found.municipality.code}）"]
    return "、".join(names)
