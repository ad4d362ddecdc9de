"""A municipality (or a prefecture, or a ward of a designated city) of the register."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """What kind of local government an entry is."""

    PREFECTURE = "prefecture"
    CITY = "city"  # 市, a designated city included
    SPECIAL_WARD = "special_ward"  # 東京都の特別区 (杉並区)
    WARD = "ward"  # 行政区 of a designated city (横浜市中区)
    TOWN = "town"  # 町
    VILLAGE = "village"  # 村


@dataclass(frozen=True)
class Municipality:
    """One entry of the register.

    ``code`` is the six-digit 全国地方公共団体コード with its check digit; ``name`` is
    written as people write it (``杉並区``, ``横浜市中区``, ``神奈川県``); ``city`` is the
    designated city's code for a ward. ``lat``/``lng`` are the point the data gives
    (the office), used to place a tile on a map.
    """

    code: str
    name: str
    prefecture: str
    kana: str
    level: Level
    lat: float | None = None
    lng: float | None = None
    city: str | None = None

    @property
    def prefecture_code(self) -> str:
        """The two-digit prefecture code (``14`` for 神奈川県)."""
        return self.code[:2]

    @property
    def full_name(self) -> str:
        """The name with its prefecture in front (``広島県府中市``); a prefecture's own name."""
        if self.level is Level.PREFECTURE:
            return self.name
        return self.prefecture + self.name

    def to_json(self) -> dict[str, object]:
        """The shape of SPEC §7 (``municipalities --format json``)."""
        return {
            "code": self.code,
            "name": self.name,
            "prefecture": self.prefecture,
            "kana": self.kana,
            "level": self.level.value,
        }
