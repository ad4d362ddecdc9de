"""A tile-grid map: one square per municipality, placed from its centroid.

No package draws municipal boundaries offline, so campaign dashboards use a grid of
equal squares instead. The assignment is deterministic and collision-free:

1. the centroids are projected (longitude shrunk by the cosine of the mean latitude)
   and scaled into a grid a little larger than the number of tiles needs, keeping the
   prefecture's shape; far outliers (東京都's islands, hundreds of kilometres south) are
   first pulled in to the edge of the mainland's spread (median ± 3 × the median
   absolute deviation), or the mainland would be squeezed into a few cells;
2. the municipalities are placed one by one, those whose point lies farthest from the
   middle first (the outline settles before the crowded centre), ties by code; each takes
   the free cell nearest its point, ties broken by row, then column;
3. the placement is then improved: two tiles swap places, or a tile moves to a free
   cell, whenever that brings the tiles closer to their points (in total squared
   distance), in a fixed order, until nothing improves — so neighbours keep their
   order (鎌倉 east of 藤沢) where the greedy pass had to push one aside;
4. empty rows and columns at the edges are trimmed.

A municipality without a centroid is placed after the others, in code order, in the
first free cell of the bottom row onwards.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ..geo import Municipality

#: How many more cells than tiles the grid has (room for the shape).
SLACK = 1.6
#: How far from the median (in median absolute deviations) a point may lie before it
#: is pulled in to that distance.
OUTLIER_SPREAD = 3.0
#: At most this many improving passes (each is quadratic in the tiles).
MAX_PASSES = 30


@dataclass(frozen=True)
class Tile:
    """A municipality's square: column and row from the top left (0-based)."""

    municipality: Municipality
    column: int
    row: int


@dataclass(frozen=True)
class TileGrid:
    """The placed tiles and the size of the grid."""

    tiles: tuple[Tile, ...]
    columns: int
    rows: int


def tile_grid(places: Sequence[Municipality]) -> TileGrid:
    """Place one tile per entry of ``places`` (see the module docstring)."""
    located = [m for m in places if m.lat is not None and m.lng is not None]
    unlocated = sorted((m for m in places if m not in located), key=lambda m: m.code)
    if not places:
        return TileGrid((), 0, 0)
    points = _project(located)
    columns, rows = _grid_size(points, len(places))
    scaled = _scale(points, columns, rows)
    taken: dict[tuple[int, int], Municipality] = {}
    middle = (columns / 2, rows / 2)
    order = sorted(located, key=lambda m: (-_distance(scaled[m.code], middle), m.code))
    for place in order:
        taken[_nearest_free(scaled[place.code], taken, columns, rows)] = place
    _improve(taken, scaled, columns, rows)
    extra_row = rows
    for place in unlocated:
        cell = _first_free(taken, columns, extra_row)
        taken[cell] = place
        extra_row = max(extra_row, cell[1])
    return _trimmed(taken)


def _project(places: Sequence[Municipality]) -> dict[str, tuple[float, float]]:
    if not places:
        return {}
    lats = _pulled_in([m.lat or 0.0 for m in places])
    lngs = _pulled_in([m.lng or 0.0 for m in places])
    shrink = math.cos(math.radians(statistics.median(lats)))
    # y grows downwards on a page, latitude upwards
    return {m.code: (lng * shrink, -lat) for m, lat, lng in zip(places, lats, lngs, strict=True)}


def _pulled_in(values: list[float]) -> list[float]:
    """``values`` with outliers moved in to median ± OUTLIER_SPREAD × MAD."""
    middle = statistics.median(values)
    spread = statistics.median(abs(v - middle) for v in values) * OUTLIER_SPREAD
    if spread <= 0:
        return values
    return [min(max(v, middle - spread), middle + spread) for v in values]


def _grid_size(points: dict[str, tuple[float, float]], count: int) -> tuple[int, int]:
    cells = max(1, math.ceil(count * SLACK))
    if len(points) < 2:
        side = math.ceil(math.sqrt(cells))
        return side, side
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    width = max(max(xs) - min(xs), 1e-9)
    height = max(max(ys) - min(ys), 1e-9)
    aspect = min(max(width / height, 0.25), 4.0)
    columns = max(1, round(math.sqrt(cells * aspect)))
    rows = max(1, math.ceil(cells / columns))
    return columns, rows


def _scale(
    points: dict[str, tuple[float, float]], columns: int, rows: int
) -> dict[str, tuple[float, float]]:
    if not points:
        return {}
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    width = max(max(xs) - min(xs), 1e-9)
    height = max(max(ys) - min(ys), 1e-9)
    return {
        code: ((x - min(xs)) / width * (columns - 1), (y - min(ys)) / height * (rows - 1))
        for code, (x, y) in points.items()
    }


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _nearest_free(
    point: tuple[float, float], taken: dict[tuple[int, int], Municipality],
    columns: int, rows: int,
) -> tuple[int, int]:
    free = [(c, r) for r in range(rows) for c in range(columns) if (c, r) not in taken]
    if not free:
        return _first_free(taken, columns, rows)
    return min(free, key=lambda cell: (_distance((cell[0], cell[1]), point), cell[1], cell[0]))


def _cost(cell: tuple[int, int], point: tuple[float, float]) -> float:
    return (cell[0] - point[0]) ** 2 + (cell[1] - point[1]) ** 2


def _improve(
    taken: dict[tuple[int, int], Municipality],
    points: dict[str, tuple[float, float]],
    columns: int,
    rows: int,
) -> None:
    """Swap tiles, or move one to a free cell, while that lowers the total cost."""
    cells = [(c, r) for r in range(rows) for c in range(columns)]
    for _ in range(MAX_PASSES):
        improved = False
        for i, a in enumerate(cells):
            for b in cells[i + 1:]:
                first, second = taken.get(a), taken.get(b)
                if first is None and second is None:
                    continue
                before = after = 0.0
                if first is not None:
                    before += _cost(a, points[first.code])
                    after += _cost(b, points[first.code])
                if second is not None:
                    before += _cost(b, points[second.code])
                    after += _cost(a, points[second.code])
                if after < before - 1e-9:
                    _swap(taken, a, b)
                    improved = True
        if not improved:
            return


def _swap(taken: dict[tuple[int, int], Municipality], a: tuple[int, int],
          b: tuple[int, int]) -> None:
    first, second = taken.pop(a, None), taken.pop(b, None)
    if first is not None:
        taken[b] = first
    if second is not None:
        taken[a] = second


def _first_free(
    taken: dict[tuple[int, int], Municipality], columns: int, row: int
) -> tuple[int, int]:
    while True:
        for column in range(columns):
            if (column, row) not in taken:
                return column, row
        row += 1


def _trimmed(taken: dict[tuple[int, int], Municipality]) -> TileGrid:
    min_c = min(c for c, _ in taken)
    min_r = min(r for _, r in taken)
    tiles = tuple(sorted(
        (Tile(m, c - min_c, r - min_r) for (c, r), m in taken.items()),
        key=lambda t: t.municipality.code,
    ))
    return TileGrid(tiles, max(t.column for t in tiles) + 1, max(t.row for t in tiles) + 1)
