"""The municipality register: every prefecture, municipality and ward, looked up by
code or by name as organisers write it.

Built once from the ``japancode`` package's data (see ``data/geo.toml`` for the source,
the licence and the changes applied since). Names are matched after NFKC, without
spaces, with the characters written two ways (``ヶ``/``ケ``) folded together.
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..core.text import nfkc
from .codes import with_check_digit
from .model import Level, Municipality

#: The name forms the matching tries, best first: the names as written (with the city
#: in front of a ward, or a ward alone), their kana, the short forms without 市/区/町/村,
#: then the prefectures' short forms (静岡 is more often the city than the prefecture).
FULL, KANA, SHORT, PREFECTURE_SHORT = 0, 1, 2, 3
TIERS = (FULL, KANA, SHORT, PREFECTURE_SHORT)


@cache
def _settings() -> Mapping[str, Any]:
    path = resources.files("campaign_sheets") / "data" / "geo.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def _fold_table() -> dict[int, str]:
    return str.maketrans(dict(_settings()["variants"]))


def fold(text: str) -> str:
    """``text`` as names are compared: NFKC, no spaces, variant characters folded.

    Apart from NFKC and the removed spaces, each character stays one character, so a
    caller scanning an NFKC-normalised text without spaces keeps its positions."""
    return "".join(nfkc(text).split()).translate(_fold_table())


def _data(name: str) -> list[dict[str, Any]]:
    text = (resources.files("japancode") / "data" / name).read_text(encoding="utf-8")
    rows = json.loads(text)
    assert isinstance(rows, list)
    return rows


def _level(code: str, name: str, city: str | None) -> Level:
    if city is not None:
        return Level.WARD
    last = name[-1]
    if last == "区":
        return Level.SPECIAL_WARD
    if last == "町":
        return Level.TOWN
    if last == "村":
        return Level.VILLAGE
    return Level.CITY


def _entries() -> list[Municipality]:
    """Every entry of the data, with the changes of ``geo.toml`` applied, in code order."""
    prefectures = {row["pid"].zfill(2): row for row in _data("prefectures.json")}
    raw: dict[str, dict[str, Any]] = {}
    for row in _data("municipalities.json"):
        code = row["lgcode"].zfill(6)
        raw[code] = {
            "name": row["city"], "kana": row["citykana"], "lat": row["lat"], "lng": row["lng"],
        }
    for change in _settings().get("change", []):
        for code in change.get("removed", []):
            raw.pop(code, None)
        for added in change.get("added", []):
            raw[added["code"]] = {k: added[k] for k in ("name", "kana", "lat", "lng")}
    cities = {v["name"]: code for code, v in raw.items() if " " not in v["name"]}
    entries = [
        Municipality(
            code=row["lgcode"],
            name=row["pref"],
            prefecture=row["pref"],
            kana=row["prefkana"],
            level=Level.PREFECTURE,
        )
        for row in prefectures.values()
    ]
    for code, v in raw.items():
        city_name, _, ward = v["name"].partition(" ")
        city = cities.get(city_name) if ward else None
        name = city_name + ward
        entries.append(
            Municipality(
                code=code,
                name=name,
                prefecture=prefectures[code[:2]]["pref"],
                kana="".join(v["kana"].split()),
                level=_level(code, name, city),
                lat=v["lat"],
                lng=v["lng"],
                city=city,
            )
        )
    return sorted(entries, key=lambda m: m.code)


@dataclass(frozen=True, eq=False)
class Register:
    """Every entry in code order, and the indexes that find them.

    Compared by identity: the indexes are cached per register.
    """

    entries: tuple[Municipality, ...]

    @property
    def _by_code(self) -> dict[str, Municipality]:
        return _code_index(self)

    def by_code(self, code: str) -> Municipality | None:
        """The entry of a six-digit code, or ``None``."""
        return self._by_code.get(code)

    def prefectures(self) -> tuple[Municipality, ...]:
        """The 47 prefectures, in code order."""
        return tuple(m for m in self.entries if m.level is Level.PREFECTURE)

    def prefecture_of(self, code: str) -> Municipality | None:
        """The prefecture of a two-digit prefecture code (``14`` → 神奈川県)."""
        if len(code) != 2 or not code.isdigit():
            return None
        return self._by_code.get(with_check_digit(code + "000"))

    def municipalities_of(self, prefecture: str, *, wards: bool = True) -> tuple[Municipality, ...]:
        """The municipalities (and wards, unless ``wards=False``) of a prefecture code,
        in code order; the prefecture itself is not among them."""
        return tuple(
            m
            for m in self.entries
            if m.prefecture_code == prefecture
            and m.level is not Level.PREFECTURE
            and (wards or m.level is not Level.WARD)
        )

    def forms(self, tier: int) -> Mapping[str, tuple[Municipality, ...]]:
        """Folded name form → the entries it names, for one tier of :data:`TIERS`."""
        return _name_index(self)[tier]

    def names_at(self, folded: str, start: int = 0) -> list[tuple[Municipality, int]]:
        """Entries whose full name (never a short form) starts ``folded`` at ``start``,
        with the end of the name; longest names first.

        ``folded`` must already be :func:`fold`-ed. Short forms are left out on
        purpose: in running text ``川崎社保協`` is an organisation, not 川崎市.
        """
        index = self.forms(FULL)
        longest = _longest_form(self)
        found: list[tuple[Municipality, int]] = []
        for end in range(min(len(folded), start + longest), start, -1):
            for entry in index.get(folded[start:end], ()):
                found.append((entry, end))
        return found


def name_suffixes() -> tuple[str, ...]:
    """The suffixes a municipality's name ends with (市, 区, 町, 村)."""
    return tuple(_settings()["suffixes"])


def _forms_of(entry: Municipality, city_names: Mapping[str, str]) -> Iterable[tuple[int, str]]:
    suffixes = name_suffixes()
    if entry.level is Level.PREFECTURE:
        yield FULL, entry.name
        yield KANA, entry.kana
        yield PREFECTURE_SHORT, entry.name[:-1]
        return
    yield FULL, entry.name
    yield KANA, entry.kana
    if entry.level is Level.WARD:
        city = city_names[entry.city or ""]
        ward = entry.name[len(city):]
        yield FULL, ward  # 中区: unique inside most prefectures
        return
    if entry.name.endswith(suffixes) and len(entry.name) > 1:
        yield SHORT, entry.name[:-1]


@cache
def _code_index(register: Register) -> dict[str, Municipality]:
    return {m.code: m for m in register.entries}


@cache
def _name_index(register: Register) -> tuple[dict[str, tuple[Municipality, ...]], ...]:
    city_names = {m.code: m.name for m in register.entries if m.level is Level.CITY}
    tiers: list[defaultdict[str, list[Municipality]]] = [defaultdict(list) for _ in TIERS]
    for entry in register.entries:
        for tier, form in _forms_of(entry, city_names):
            bucket = tiers[tier][fold(form)]
            if entry not in bucket:
                bucket.append(entry)
    return tuple({k: tuple(v) for k, v in tier.items()} for tier in tiers)


@cache
def _longest_form(register: Register) -> int:
    return max(len(form) for form in register.forms(FULL))


@cache
def register() -> Register:
    """The register of every prefecture, municipality and ward (built once)."""
    return Register(tuple(_entries()))


def home_words() -> tuple[str, ...]:
    """Words that name the home prefecture itself (``県``, ``都`` …), folded."""
    return tuple(fold(w) for w in _settings()["home_words"])
