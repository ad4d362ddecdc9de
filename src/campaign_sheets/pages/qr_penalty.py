"""How qrcode scores a drawing when it chooses a mask, for many drawings at once (numpy).

qrcode's ``util.lost_point`` adds four penalties (runs, 2×2 blocks, finder-like runs,
the dark share) in pure Python, for each of the eight masks of every code. The same
rules, counted with array operations over a stack of drawings, give the same scores.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Grid = NDArray[np.bool_]


def lost_points(grids: Grid) -> list[int]:
    """``qrcode.util.lost_point`` of each square grid in the stack ``grids`` (k, n, n).

    qrcode skips some positions in levels 2 and 3 with ``next()``; those skipped
    positions can never score (their pair of modules already differs, or a dark module
    sits where both finder-like runs are light), so counting every position is exact.
    """
    size = grids.shape[-1]
    # rows and columns score alike: columns are the rows of the transposed grids
    lines = np.concatenate((grids, grids.transpose(0, 2, 1)), axis=1)
    scores = _run_penalty(lines) + _block_penalty(grids) + _finder_penalty(lines)
    return [
        int(score) + _balance_penalty(int(dark), size)
        for score, dark in zip(scores, np.count_nonzero(grids, axis=(1, 2)), strict=True)
    ]


def _run_penalty(lines: Grid) -> NDArray[np.int64]:
    """Level 1: each run of 5 or more same-coloured modules costs its length − 2.

    A run of length L ≥ 5 holds L − 4 windows of 5 alike modules, so its cost is
    that count of windows plus 2 for the window that starts it.
    """
    alike = lines[:, :, 1:] == lines[:, :, :-1]
    alike3 = alike[:, :, :-1] & alike[:, :, 1:]
    five = alike3[:, :, :-2] & alike3[:, :, 2:]
    # a window starts its run when the module before it has another colour (or none)
    starts = np.count_nonzero(five[:, :, 0], axis=1) + np.count_nonzero(
        five[:, :, 1:] & ~alike[:, :, : five.shape[2] - 1], axis=(1, 2)
    )
    return _counts(np.count_nonzero(five, axis=(1, 2)) + 2 * starts)


def _block_penalty(grids: Grid) -> NDArray[np.int64]:
    """Level 2: each 2×2 block of one colour costs 3 (overlapping blocks count apart)."""
    across = grids[:, :, 1:] == grids[:, :, :-1]
    down = grids[:, 1:, :-1] == grids[:, :-1, :-1]
    same = across[:, :-1] & across[:, 1:] & down
    return _counts(np.count_nonzero(same, axis=(1, 2)) * 3)


def _finder_penalty(lines: Grid) -> NDArray[np.int64]:
    """Level 3: each 1:1:3:1:1 run with 4 light modules on one side costs 40.

    The runs are 10111010000 and 00001011101 (dark = 1), in rows and in columns.
    """
    span = lines.shape[-1] - 10
    light = ~lines

    def dark(offset: int) -> Grid:
        return lines[:, :, offset : offset + span]

    def pale(offset: int) -> Grid:
        return light[:, :, offset : offset + span]

    shared = pale(1) & dark(4) & pale(5) & dark(6) & pale(9)
    left = dark(0) & dark(2) & dark(3) & pale(7) & pale(8) & pale(10)
    right = pale(0) & pale(2) & pale(3) & dark(7) & dark(8) & dark(10)
    return _counts(np.count_nonzero(shared & (left | right), axis=(1, 2)) * 40)


def _counts(values: object) -> NDArray[np.int64]:
    """``values`` as an int64 array (numpy's stubs type axis-wise counts loosely)."""
    return np.asarray(values, dtype=np.int64)


def _balance_penalty(dark: int, size: int) -> int:
    """Level 4: 10 per full 5 % that the share of dark modules strays from half."""
    # the same float arithmetic as qrcode, so borderline shares round alike
    percent = float(dark) / (size**2)
    return int(abs(percent * 100 - 50) / 5) * 10
