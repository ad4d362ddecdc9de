"""The words of the assembly tracker, from ``data/assembly.toml``: outcomes, kinds of
petition, meeting statuses, the plenary, assembly names and status colours."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from ..core.text import match_key


@cache
def assembly_text() -> Mapping[str, Any]:
    """The whole data table, read once."""
    path = resources.files("campaign_sheets") / "data" / "assembly.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


class Result(StrEnum):
    """What an outcome counts as in a roll-up."""

    ADOPTED = "adopted"
    NOTED = "noted"
    REJECTED = "rejected"
    CARRIED_OVER = "carried_over"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"


class Finality(StrEnum):
    """Where an outcome settles a petition (see the data table)."""

    PLENARY = "plenary"
    ANYWHERE = "anywhere"
    NEVER = "never"


@dataclass(frozen=True)
class Outcome:
    """One outcome word (採択, 継続審査 …) and what it means."""

    key: str
    label: str
    result: Result
    final: Finality
    en: str
    aliases: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """A word of a small vocabulary (a kind of petition, a meeting status)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    en: str = ""


@dataclass(frozen=True)
class StatusStyle:
    """A petition status as pages show it: label and tile colours."""

    key: str
    label: str
    colour: str
    ink: str
    en: str


@dataclass(frozen=True)
class Found:
    """What a typed word was read as; ``variant`` is set when it was an other spelling."""

    key: str
    variant: str | None = None


@cache
def outcomes() -> tuple[Outcome, ...]:
    """Every outcome, in the order of the data table."""
    return tuple(
        Outcome(
            key=o["key"], label=o["label"], result=Result(o["result"]),
            final=Finality(o["final"]), en=o["en"], aliases=tuple(o.get("aliases", ())),
            variants=tuple(o.get("variants", ())),
        )
        for o in assembly_text()["outcome"]
    )


def outcome(key: str) -> Outcome:
    """The outcome with this key; ``KeyError`` if none."""
    for item in outcomes():
        if item.key == key:
            return item
    raise KeyError(key)


@cache
def _outcome_index() -> Mapping[str, Found]:
    index: dict[str, Found] = {}
    for item in outcomes():
        for text in (item.key, item.label, *item.aliases):
            index[match_key(text)] = Found(item.key)
        for text in item.variants:
            index[match_key(text)] = Found(item.key, text)
    return index


def find_outcome(text: str) -> Found | None:
    """The outcome a cell names (``主旨採択`` → 趣旨採択, flagged as a variant), or ``None``."""
    return _outcome_index().get(match_key(text))


def suggest_outcome(text: str) -> str | None:
    """The closest outcome label to an unknown word (``不採決`` → ``不採択``)."""
    labels = {match_key(o.label): o.label for o in outcomes()}
    for o in outcomes():
        for alias in (*o.aliases, *o.variants):
            labels.setdefault(match_key(alias), o.label)
    close = difflib.get_close_matches(match_key(text), list(labels), n=1, cutoff=0.5)
    return labels[close[0]] if close else None


def _terms(group: str) -> tuple[Term, ...]:
    return tuple(
        Term(key=t["key"], label=t["label"], aliases=tuple(t.get("aliases", ())),
             en=t.get("en", ""))
        for t in assembly_text()[group]
    )


@cache
def classifications() -> tuple[Term, ...]:
    """請願, 陳情, 意見書, 要望."""
    return _terms("classification")


@cache
def meeting_statuses() -> tuple[Term, ...]:
    """The values of 懇談状況."""
    return _terms("meeting")


def find_term(terms: tuple[Term, ...], text: str) -> Term | None:
    """The term whose key, label or alias ``text`` is."""
    key = match_key(text)
    for term in terms:
        if key in {match_key(t) for t in (term.key, term.label, *term.aliases)}:
            return term
    return None


def term_label(terms: tuple[Term, ...], key: str) -> str:
    """The label of the term with ``key``."""
    return next(t.label for t in terms if t.key == key)


def is_plenary(body: str) -> bool:
    """True when a 会議 cell names the plenary (``本会議``, ``12月定例会本会議``)."""
    key = match_key(body)
    return any(match_key(word) in key for word in assembly_text()["body"]["plenary_words"])


def assembly_name(code: str, name: str) -> str:
    """The assembly of a municipality or prefecture: ``川崎市議会``, ``横浜市会``."""
    table = assembly_text()["assembly"]
    special: Mapping[str, str] = table["names"]
    return special.get(code) or name + str(table["suffix"])


@cache
def status_styles() -> tuple[StatusStyle, ...]:
    """The statuses a petition or a tile can have, most telling first."""
    return tuple(
        StatusStyle(key=s["key"], label=s["label"], colour=s["colour"], ink=s["ink"], en=s["en"])
        for s in assembly_text()["status"]
    )


def status_style(key: str) -> StatusStyle:
    """The style of status ``key``."""
    return next(s for s in status_styles() if s.key == key)


def columns(table: str) -> Mapping[str, str]:
    """Column key → Japanese header of an export table (``petitions``, ``coverage`` …)."""
    return dict(assembly_text()["columns"][table])


def title(key: str) -> str:
    """A title or word of the ``[titles]`` table."""
    return str(assembly_text()["titles"][key])


def dropdowns() -> dict[tuple[str, str], list[str]]:
    """The lists ``init`` offers in the tracker's tabs: (tab key, field key) → labels."""
    return {
        ("petitions", "classification"): [t.label for t in classifications()],
        ("stages", "outcome"): [o.label for o in outcomes()],
        ("coverage", "meeting"): [t.label for t in meeting_statuses()],
    }
