"""The roll-up sentence in the organisers' style, both ways::

    2都道府県の5市区町村で採択（うち本会議で確定4）、意見書3本。継続審査2件、不採択1件。
    懇談 28/33自治体、アンケート回答 21/33。

(one line in practice).

- the first sentence says where petitions stand adopted; ``（うち本会議で確定N）`` only
  when some adoptions still wait for the plenary; ``意見書N本`` when there are any;
- the second counts carry-overs and rejections (left out when both are nought);
- the third is the coverage, when the council records it;
- a label such as ``神奈川県：`` may stand in front (a sentence per prefecture).

Every phrase is a template of ``data/assembly.toml`` ``[sentence]``; the parser is made
from the same templates, so the two cannot drift apart: ``parse_sentence(render_sentence(s))
== s`` for every sentence the renderer can write.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from ..core.problems import render_message
from ..core.text import nfkc
from .summary import Summary
from .vocabulary import assembly_text

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_LABEL = re.compile(r"^(?P<label>[^:\d。、]{1,40}):")


@dataclass(frozen=True)
class RollupSentence:
    """The numbers a roll-up sentence states.

    ``prefectures`` and ``municipalities`` are those with an adoption; ``final`` is how
    many of the adopting assemblies (``municipalities + prefectural_assemblies``)
    have it confirmed by the plenary; ``met``/``answered``/``total`` are the coverage,
    ``None`` when the sentence has none.
    """

    prefectures: int = 0
    municipalities: int = 0
    prefectural_assemblies: int = 0
    final: int = 0
    opinions: int = 0
    carried_over: int = 0
    rejected: int = 0
    met: int | None = None
    answered: int | None = None
    total: int | None = None
    label: str | None = None

    @classmethod
    def of(cls, summary: Summary, label: str | None = None) -> RollupSentence:
        """What the sentence of ``summary`` says."""
        coverage = summary.coverage if summary.coverage and summary.coverage.total else None
        return cls(
            prefectures=summary.prefectures_adopted,
            municipalities=summary.municipalities_adopted,
            prefectural_assemblies=summary.prefectural_assemblies_adopted,
            final=summary.adopted_final,
            opinions=summary.opinions_adopted,
            carried_over=summary.carried_over,
            rejected=summary.rejected,
            met=coverage.met if coverage else None,
            answered=coverage.answered if coverage else None,
            total=coverage.total if coverage else None,
            label=label,
        )

    @property
    def adopted(self) -> int:
        """Assemblies with an adoption."""
        return self.municipalities + self.prefectural_assemblies

    def to_json(self) -> dict[str, Any]:
        """The numbers, by name (``parse --format json`` prints them under ``assembly``)."""
        return asdict(self)


def _texts() -> dict[str, str]:
    return {key: str(value) for key, value in assembly_text()["sentence"].items()}


def render_sentence(facts: RollupSentence) -> str:
    """The sentence stating ``facts``."""
    t = _texts()
    sep, end = t["clause_separator"], t["sentence_end"]
    first = [_adopted_clause(facts, t)]
    if facts.opinions:
        first.append(t["opinions"].format(opinions=facts.opinions))
    sentences = [sep.join(first)]
    second = []
    if facts.carried_over:
        second.append(t["carried_over"].format(count=facts.carried_over))
    if facts.rejected:
        second.append(t["rejected"].format(count=facts.rejected))
    if second:
        sentences.append(sep.join(second))
    if facts.total is not None:
        sentences.append(sep.join([
            t["met"].format(met=facts.met or 0, total=facts.total),
            t["answered"].format(answered=facts.answered or 0, total=facts.total),
        ]))
    label = t["label"].format(label=facts.label) if facts.label else ""
    return label + "".join(s + end for s in sentences)


def _adopted_clause(facts: RollupSentence, t: dict[str, str]) -> str:
    if facts.adopted == 0:
        return t["adopted_none"]
    values = {"prefectures": facts.prefectures, "municipalities": facts.municipalities,
              "assemblies": facts.prefectural_assemblies}
    if not facts.prefectural_assemblies:
        clause = t["adopted"].format(**values)
    elif facts.municipalities:
        clause = t["adopted_with_prefectural"].format(**values)
    else:
        clause = t["adopted_prefectural_only"].format(**values)
    if facts.final < facts.adopted:
        clause += t["final"].format(final=facts.final)
    return clause


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """One pattern per clause kind, made from the templates (NFKC, spaces optional)."""
    t = _texts()
    final = _template_regex(t["final"])
    patterns = {key: re.compile(f"^{_template_regex(t[key])}$") for key in (
        "opinions", "carried_over", "rejected", "met", "answered", "adopted_none")}
    for key in ("adopted", "adopted_with_prefectural", "adopted_prefectural_only"):
        patterns[key] = re.compile(f"^{_template_regex(t[key])}(?:{final})?$")
    return patterns


def _template_regex(template: str) -> str:
    parts = []
    position = 0
    text = nfkc(template)
    for match in _PLACEHOLDER.finditer(text):
        parts.append(_literal(text[position:match.start()]))
        parts.append(f"(?P<{match[1]}>\\d+)")
        position = match.end()
    parts.append(_literal(text[position:]))
    return "".join(parts)


def _literal(text: str) -> str:
    return r"\s*".join(re.escape(piece) for piece in text.split(" "))


def parse_sentence(text: str) -> RollupSentence | None:
    """The numbers of a roll-up sentence, or ``None`` when ``text`` is not one.

    Full-width digits and brackets are read; every clause must be one the sentence
    has, each at most once."""
    body = nfkc(text).strip()
    label = None
    if (found := _LABEL.match(body)) is not None:
        label, body = found["label"].strip(), body[found.end():]
    clauses = [c.strip() for c in re.split(r"[。.、,]", body) if c.strip()]
    if not clauses:
        return None
    values: dict[str, int] = {}
    seen: set[str] = set()
    for clause in clauses:
        kind = _clause_kind(clause, values)
        if kind is None or kind in seen:
            return None
        seen.add(kind)
    return _facts(values, seen, label)


def _clause_kind(clause: str, values: dict[str, int]) -> str | None:
    """The kind of ``clause`` (its numbers go into ``values``), or ``None``."""
    for kind, pattern in _patterns().items():
        match = pattern.match(clause)
        if match is None:
            continue
        numbers = {k: int(v) for k, v in match.groupdict().items() if v is not None}
        total = numbers.get("total")
        if total is not None and values.get("total", total) != total:
            return None
        if kind in ("carried_over", "rejected"):
            numbers = {kind: numbers["count"]}
        values.update(numbers)
        return "adopted" if kind.startswith("adopted") else kind
    return None


def _facts(values: dict[str, int], seen: set[str], label: str | None) -> RollupSentence | None:
    adopted = values.get("municipalities", 0) + values.get("assemblies", 0)
    final = values.get("final", adopted)
    if final > adopted or (adopted and not values.get("prefectures")):
        return None
    if ("met" in seen) != ("answered" in seen):
        return None
    return RollupSentence(
        prefectures=values.get("prefectures", 0),
        municipalities=values.get("municipalities", 0),
        prefectural_assemblies=values.get("assemblies", 0),
        final=final,
        opinions=values.get("opinions", 0),
        carried_over=values.get("carried_over", 0),
        rejected=values.get("rejected", 0),
        met=values.get("met"),
        answered=values.get("answered"),
        total=values.get("total"),
        label=label,
    )


def summary_lines(facts: RollupSentence, lang: str = "ja") -> list[str]:
    """The numbers of a parsed sentence, one line per fact (``parse --format text``)."""
    values = {**facts.to_json(), "assemblies": facts.prefectural_assemblies}
    lines = []
    if facts.label:
        lines.append(render_message("assembly.summary.label", values, lang))
    lines.append(render_message("assembly.summary.adopted", values, lang))
    lines.append(render_message("assembly.summary.counts", values, lang))
    if facts.total is not None:
        lines.append(render_message("assembly.summary.coverage", values, lang))
    return lines
