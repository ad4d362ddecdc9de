"""Votes as assemblies publish them: ``5対4``, ``賛成23、反対21、棄権1``, ``全会一致``,
``賛成多数``, ``3対3（委員長決裁）`` — full-width forms too — and back.

``format_vote(parse_vote(text))`` is the canonical spelling; ``parse_vote`` reads
every canonical spelling back to the same :class:`Vote`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..core.errors import ParseError
from ..core.text import nfkc
from .vocabulary import assembly_text

FOR, AGAINST = "for", "against"
_BRACKETS = re.compile(r"[()\[\]「」【】]")
_COUNTER = r"(?:人|名|票)?"


@dataclass(frozen=True)
class Vote:
    """A vote: the numbers for and against (``None`` when not published), abstentions,
    and the marks ``全会一致`` (unanimous), ``賛成多数`` (``majority`` = ``"for"``) or
    ``賛成少数`` (``"against"``), ``可否同数`` (``tie`` without numbers) and the chair's
    casting vote on a tie (``chair_decided``)."""

    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    unanimous: bool = False
    chair_decided: bool = False
    majority: str | None = None
    tie: bool = False

    @property
    def is_tie(self) -> bool:
        """True when the votes were even (the chair then decides)."""
        return self.tie or (self.yes is not None and self.yes == self.no)

    def to_json(self) -> dict[str, Any]:
        """The shape of SPEC §8 (``yes``, ``no``, ``abstain``, ``unanimous``,
        ``chair_decided``) with ``majority`` and ``tie`` besides."""
        return {
            "yes": self.yes, "no": self.no, "abstain": self.abstain,
            "unanimous": self.unanimous, "chair_decided": self.chair_decided,
            "majority": self.majority, "tie": self.tie,
        }


@cache
def _words() -> dict[str, tuple[str, ...]]:
    table = assembly_text()["vote"]
    return {key: tuple(nfkc(w) for w in table[key]) for key in table}


@cache
def _labelled() -> re.Pattern[str]:
    words = _words()
    names = {"yes": words["yes"], "no": words["no"], "abstain": words["abstain"]}
    parts = "|".join(
        f"(?P<{key}_{i}>{re.escape(w)})" for key, ws in names.items() for i, w in enumerate(ws)
    )
    return re.compile(rf"(?:{parts})(?P<n>\d+){_COUNTER}[、,/]?", re.IGNORECASE)


@cache
def _versus() -> re.Pattern[str]:
    marks = "|".join(re.escape(w) for w in _words()["versus"])
    return re.compile(rf"^(?P<yes>\d+){_COUNTER}(?:{marks}){_COUNTER}(?P<no>\d+){_COUNTER}$",
                      re.IGNORECASE)


def parse_vote(text: str) -> Vote:
    """The vote ``text`` describes; :class:`ParseError` (``stage.vote_unreadable``) if none."""
    squashed = "".join(nfkc(text).split())
    chair = False
    for word in _words()["chair"]:
        if word in squashed:
            chair, squashed = True, squashed.replace(word, "")
    body = _BRACKETS.sub("", squashed).strip("、,/")
    vote = _marked(body) or _numbers(body)
    if vote is None:
        raise ParseError("stage.vote_unreadable", {"value": text})
    return Vote(vote.yes, vote.no, vote.abstain, vote.unanimous, chair, vote.majority, vote.tie)


def _marked(body: str) -> Vote | None:
    words = _words()
    folded = body.casefold()
    if folded in (w.casefold() for w in words["unanimous"]):
        return Vote(unanimous=True)
    if body in words["majority_for"]:
        return Vote(majority=FOR)
    if body in words["majority_against"]:
        return Vote(majority=AGAINST)
    if body in words["tie"]:
        return Vote(tie=True)
    return None


def _numbers(body: str) -> Vote | None:
    match = _versus().match(body)
    if match:
        return Vote(int(match["yes"]), int(match["no"]))
    counts: dict[str, int] = {}
    position = 0
    pattern = _labelled()
    while position < len(body):
        part = pattern.match(body, position)
        if part is None:
            return None
        key = next(k.split("_")[0] for k, v in part.groupdict().items() if v and k != "n")
        if key in counts:
            return None
        counts[key] = int(part["n"])
        position = part.end()
    if "yes" not in counts and "no" not in counts:
        return None
    return Vote(counts.get("yes"), counts.get("no"), counts.get("abstain"))


def format_vote(vote: Vote) -> str:
    """The canonical spelling: ``5対4``, ``賛成23、反対21、棄権1``, ``全会一致``,
    ``賛成多数``, ``3対3（委員長決裁）``."""
    words = _words()
    if vote.unanimous:
        text = words["unanimous"][0]
    elif vote.majority == FOR:
        text = words["majority_for"][0]
    elif vote.majority == AGAINST:
        text = words["majority_against"][0]
    elif vote.tie and vote.yes is None and vote.no is None:
        text = words["tie"][0]
    elif vote.yes is not None and vote.no is not None and vote.abstain is None:
        text = f"{vote.yes}{words['versus'][0]}{vote.no}"
    else:
        parts = [(words["yes"][0], vote.yes), (words["no"][0], vote.no),
                 (words["abstain"][0], vote.abstain)]
        text = "、".join(f"{label}{n}" for label, n in parts if n is not None)
    if vote.chair_decided:
        text += f"（{words['chair'][0]}）"
    return text
