"""Where an action is held: the municipality its 住所, 会場 or 地域 names.

``神奈川県厚木市中町1-1`` → 厚木市, ``厚木市文化会館`` → 厚木市, ``中郡大磯町東小磯`` → 大磯町,
``横浜市中区日本大通1`` → 横浜市中区 (a ward of a designated city; :func:`listed_under`
adds the city), a 地域 of ``大磯`` → 大磯町, a 地域 of ``県央`` → nothing.

Only a full name at the start of the text counts (after an optional prefecture and
district): in running text a short form is too often part of another word
(``川崎社保協`` is an organisation). A 地域 cell names an area as a whole, so there a
short form (``大磯``, ``横浜``) is read too. A name that stays ambiguous (``中区``
outside a home prefecture with one) places the action nowhere rather than guessing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.model import Action
from .model import Level, Municipality
from .register import fold, register
from .resolve import resolve

# 中郡大磯町: a district (郡) in front of a town or village.
_DISTRICT = re.compile(r"^.+?郡(?=.+?[町村])")


def place_of(action: Action, home: str | None) -> Municipality | None:
    """The municipality ``action`` is held in: its address, else its venue, else its
    region; ``None`` when none of them names one. ``home`` is the home prefecture code."""
    return (
        place_in(action.address, home)
        or place_in(action.venue, home)
        or place_in(action.region, home, area=True)
    )


@lru_cache(maxsize=8192)
def place_in(text: str, home: str | None, *, area: bool = False) -> Municipality | None:
    """The municipality ``text`` starts with (after a prefecture and a district).

    With ``area`` the whole text may also be a municipality's name in any form the
    register knows (``大磯``); a prefecture alone (``県``) is never a place here."""
    folded = fold(text)
    if not folded:
        return None
    scope = None
    for prefecture in register().prefectures():
        name = fold(prefecture.name)
        if folded.startswith(name) and len(folded) > len(name):
            scope, folded = prefecture.prefecture_code, folded[len(name):]
            break
    found = _name_at_start(folded, scope, home)
    if found is None and (district := _DISTRICT.match(folded)):
        found = _name_at_start(folded[district.end():], scope, home)
    if found is None and area:
        named = resolve(text, home).municipality
        if named is not None and named.level is not Level.PREFECTURE:
            found = named
    return found


def _name_at_start(folded: str, scope: str | None, home: str | None) -> Municipality | None:
    """The one municipality whose full name starts ``folded``: the longest name wins
    (``横浜市中区`` over ``横浜市``), the home prefecture before the others."""
    found = [(m, end) for m, end in register().names_at(folded) if m.level is not Level.PREFECTURE]
    if scope is not None:
        found = [(m, end) for m, end in found if m.prefecture_code == scope]
    elif home is not None:
        found = [(m, end) for m, end in found if m.prefecture_code == home] or found
    if not found:
        return None
    longest = max(end for _, end in found)
    entries = {m.code: m for m, end in found if end == longest}
    return next(iter(entries.values())) if len(entries) == 1 else None


def listed_under(code: str) -> tuple[str, ...]:
    """The municipalities whose feeds and rows count what happens in ``code``: itself,
    and for a ward of a designated city the city too (people in 横浜市 subscribe to
    横浜市, and its 中区's actions are 横浜市's)."""
    entry = register().by_code(code)
    if entry is not None and entry.city:
        return (code, entry.city)
    return (code,)
