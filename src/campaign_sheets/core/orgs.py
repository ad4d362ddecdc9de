"""Resolving organisation names as typed (``協会``, ``県保険医協会``) to canonical names."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Organisation
from .text import match_key

_ASCII_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def slug(name: str, prefix: str = "x") -> str:
    """An ASCII key for ``name`` usable in file names and URLs.

    ASCII names keep a readable lower-case form; others get ``prefix`` and a short
    stable hash (the same name always gives the same key).
    """
    ascii_form = re.sub(r"[^a-z0-9]+", "-", match_key(name)).strip("-")
    if ascii_form and ascii_form.isascii() and match_key(name).isascii():
        return ascii_form[:64]
    return hashed_slug(name, prefix)


def hashed_slug(name: str, prefix: str = "x") -> str:
    """``prefix`` and a short stable hash of ``name`` (``region-ebe64a20``)."""
    return f"{prefix}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


def is_valid_key(key: str) -> bool:
    """True for a key made of ASCII letters, digits, ``-`` and ``_`` (≤ 64)."""
    return bool(_ASCII_KEY.match(key))


@dataclass(frozen=True)
class Resolution:
    """The result of looking a name up: the canonical name, or a suggestion."""

    name: str | None
    suggestion: str | None = None


class OrgIndex:
    """Looks organisation names up by canonical name, short name and aliases."""

    def __init__(self, orgs: Iterable[Organisation]) -> None:
        self.orgs = tuple(orgs)
        self._by_key: dict[str, Organisation] = {}
        for org in self.orgs:
            for text in (org.name, org.short, *org.aliases):
                if text:
                    self._by_key.setdefault(match_key(text), org)

    def __bool__(self) -> bool:
        return bool(self.orgs)

    def find(self, typed: str) -> Organisation | None:
        """The organisation ``typed`` names, or ``None``."""
        return self._by_key.get(match_key(typed))

    def resolve(self, typed: str) -> Resolution:
        """The canonical name for ``typed``, else the closest known name as a suggestion."""
        org = self.find(typed)
        if org is not None:
            return Resolution(org.name)
        return Resolution(None, self.suggest(typed))

    def suggest(self, typed: str) -> str | None:
        """The known name closest to ``typed`` (also matching inside longer names)."""
        key = match_key(typed)
        if not key:
            return None
        for known, org in self._by_key.items():
            if key in known or known in key:
                return org.name
        close = difflib.get_close_matches(key, list(self._by_key), n=1, cutoff=0.5)
        return self._by_key[close[0]].name if close else None

    def own_key(self, name: str) -> str | None:
        """The organisation's キー when the 団体 tab gives a valid one, else ``None``."""
        org = self.find(name)
        return org.key if org is not None and org.key and is_valid_key(org.key) else None

    def canonical(self, name: str) -> str:
        """The organisation's name as the 団体 tab writes it (``name`` when unknown)."""
        org = self.find(name)
        return org.name if org is not None else name

    def key_of(self, name: str) -> str:
        """The file-name key of an organisation (its キー, else a stable slug)."""
        org = self.find(name)
        if org is not None and org.key and is_valid_key(org.key):
            return org.key
        return slug(org.name if org else name, "org")

    def order(self, name: str) -> int:
        """The organisation's position in the 団体 tab (unknown names last)."""
        org = self.find(name)
        return self.orgs.index(org) if org is not None else len(self.orgs)
