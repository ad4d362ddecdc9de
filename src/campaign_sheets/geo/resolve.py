"""Resolving what an organiser typed (``大磯``, ``横浜市中区``, ``広島県府中市``, ``県``,
``13115``) to one entry of the register, or saying why not.

The rule: a name resolves inside the home prefecture first, then nationally when it
is unique there; a name written with its prefecture in front resolves only inside that
prefecture. A name that stays ambiguous is a problem listing the candidates; an unknown
one is a problem suggesting the closest name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..core.errors import ConfigError
from ..core.problems import Nested, render_message
from .codes import CodeError, code_forms, typed_digits
from .model import Level, Municipality
from .register import TIERS, Register, fold, home_words, name_suffixes, register

# 中郡大磯町: the district (郡) in front of a town or village is dropped.
_DISTRICT = re.compile(r"^(?P<district>.+?郡)(?P<rest>.+[町村])$")


@dataclass(frozen=True)
class Resolution:
    """What a query resolved to.

    ``municipality`` is set when it resolved; otherwise ``code`` is the problem code
    (``municipality.unknown``, ``municipality.ambiguous``, ``municipality.check_digit``,
    ``municipality.bad_code``, ``municipality.no_home``), ``candidates`` lists the entries
    an ambiguous name could be and ``suggestion`` the closest name to an unknown one.
    """

    query: str
    municipality: Municipality | None = None
    code: str | None = None
    candidates: tuple[Municipality, ...] = ()
    suggestion: str | None = None
    params: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        """True when the query names exactly one entry."""
        return self.municipality is not None

    def message_params(self) -> dict[str, str]:
        """The parameters of the problem's message template."""
        names = "、".join(f"{c.full_name}（{c.code}）" for c in self.candidates)
        return {
            "query": self.query,
            "candidates": names,
            "suggestion": self.suggestion or "",
            **self.params,
        }

    def problem_params(self) -> dict[str, object]:
        """The parameters of a :class:`~campaign_sheets.core.problems.Problem` about the
        query (the suggestion as a nested message, in the problem's language)."""
        params: dict[str, object] = dict(self.message_params())
        params["hint"] = (
            Nested("municipality.suggestion", {"suggestion": self.suggestion})
            if self.suggestion else ""
        )
        return params


def resolve(
    query: str | int, home: str | None = None, *, within: Register | None = None
) -> Resolution:
    """Resolve a typed name or code; ``home`` is the home prefecture's two-digit code."""
    reg = within or register()
    text = str(query)
    if typed_digits(query) is not None:
        return _by_code(reg, text, query, home)
    folded = fold(text)
    if not folded:
        return Resolution(text, code="municipality.unknown")
    if folded in home_words():
        prefecture = reg.prefecture_of(home) if home else None
        if prefecture is None:
            return Resolution(text, code="municipality.no_home")
        return Resolution(text, prefecture)
    scope = None
    for prefecture in reg.prefectures():
        name = fold(prefecture.name)
        if folded.startswith(name) and len(folded) > len(name):
            scope, folded = prefecture.prefecture_code, folded[len(name):]
            break
    found = _by_name(reg, folded, scope, home)
    if found.code == "municipality.unknown" and (m := _DISTRICT.match(folded)):
        found = _by_name(reg, m["rest"], scope, home)
    if found.ok or found.candidates:
        return Resolution(text, found.municipality, found.code, found.candidates)
    return Resolution(text, code="municipality.unknown", suggestion=suggest(reg, text, home))


def _by_code(reg: Register, text: str, query: str | int, home: str | None) -> Resolution:
    try:
        forms = code_forms(query)
    except CodeError as exc:
        return Resolution(text, code=exc.code, params={k: str(v) for k, v in exc.params.items()})
    found = [m for m in (reg.by_code(c) for c in forms) if m is not None]
    if len(found) > 1 and home:
        # 11100 is さいたま市 without its check digit and 札幌市清田区 without its zero
        found = [m for m in found if m.prefecture_code == home] or found
    if len(found) == 1:
        return Resolution(text, found[0])
    if len(found) > 1:
        return Resolution(text, code="municipality.ambiguous", candidates=tuple(found))
    return Resolution(text, code="municipality.unknown")


def _by_name(reg: Register, folded: str, scope: str | None, home: str | None) -> Resolution:
    # Home prefecture first, at every tier; then the whole country (or the prefecture
    # the name was written with).
    places = [scope] if scope else ([home, None] if home else [None])
    for place in places:
        for tier in TIERS:
            matches = reg.forms(tier).get(folded, ())
            if place is not None:
                matches = tuple(m for m in matches if m.prefecture_code == place)
            if len(matches) == 1:
                return Resolution(folded, matches[0])
            if len(matches) > 1:
                return Resolution(folded, code="municipality.ambiguous", candidates=matches)
    return Resolution(folded, code="municipality.unknown")


def suggest(reg: Register, text: str, home: str | None = None) -> str | None:
    """The closest name to an unknown one: inside the home prefecture first.

    Short forms and readings are compared too (``大礒`` is closer to 大磯 than to 大磯町,
    ``みなみあしがら`` to みなみあしがらし)."""
    folded = fold(text)
    pools = []
    if home:
        pools.append([m for m in reg.entries if m.prefecture_code == home])
    pools.append(list(reg.entries))
    suffixes = name_suffixes()
    for pool in pools:
        names: dict[str, Municipality] = {}
        for m in pool:
            if m.level is Level.PREFECTURE:
                continue
            names.setdefault(fold(m.name), m)
            if m.name.endswith(suffixes) and m.level is not Level.WARD:
                names.setdefault(fold(m.name[:-1]), m)
            # a reading typed without its suffix (みなみあしがら for みなみあしがらし)
            names.setdefault(fold(m.kana), m)
        close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.5)
        if close:
            m = names[close[0]]
            return m.name if (home and m.prefecture_code == home) else m.full_name
    return None


def home_prefecture(value: str, *, within: Register | None = None) -> Municipality | None:
    """The prefecture a configuration names: ``神奈川県``, ``神奈川``, ``14`` or ``140007``."""
    reg = within or register()
    text = fold(value)
    if text.isdigit():
        if len(text) == 2:
            return reg.prefecture_of(text)
        if len(text) in (5, 6) and text[2:5] == "000":
            prefecture = reg.prefecture_of(text[:2])
            if prefecture and text == prefecture.code[: len(text)]:
                return prefecture
        return None
    for prefecture in reg.prefectures():
        if text in (fold(prefecture.name), fold(prefecture.name[:-1]), fold(prefecture.kana)):
            return prefecture
    return None


def home_code(prefecture: str, lang: str = "ja") -> str | None:
    """The two-digit code of the configured home prefecture (``None`` when none is set).

    Raises :class:`ConfigError` when the configuration names no prefecture."""
    if not prefecture.strip():
        return None
    found = home_prefecture(prefecture)
    if found is None:
        raise ConfigError(render_message("config.prefecture_unknown", {"value": prefecture}, lang))
    return found.prefecture_code
