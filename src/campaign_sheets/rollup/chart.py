"""The participation chart: people by organisation, as a horizontal bar PNG.

The only module importing matplotlib (and matplotlib_fontja, which brings the
IPAex Gothic font so Japanese labels are real glyphs). Drawing uses the Agg canvas
directly, without pyplot's global state, and writes no software or date metadata,
so the same numbers always give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib_fontja  # noqa: F401  (registers the Japanese font)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..cache import cached_on_disk
from .render_cache import render_key
from .tables import label

_FONT = "IPAexGothic"
_DPI = 100
_BAR = "#3b6ea5"
_UNKNOWN = "#9a9a9a"


@dataclass(frozen=True)
class Bar:
    """One organisation's bar: known people (``None`` if none known) and unknown counts."""

    org: str
    people: int | None
    unknown: int = 0


def participation_png(bars: Sequence[Bar], title: str, cache_dir: Path | None = None) -> bytes:
    """PNG bytes of a horizontal bar chart, first bar at the top.

    With ``cache_dir``, a chart of the same bars and title is read back from there
    instead of being drawn again.
    """
    if cache_dir is None:
        return _render(bars, title)
    # the labels drawn besides the title come from data/rollup.toml, so they are input
    drawn = {k: label(k) for k in ("chart_empty", "chart_xlabel", "unknown", "chart_unknown")}
    # a matplotlibrc of the user's changes the drawing as much as the bars do
    settings = sorted(matplotlib.rcParams.items())
    key = render_key("participation.png", (title, drawn, list(bars), settings), [__name__],
                     ["matplotlib", "matplotlib-fontja"])
    return cached_on_disk(cache_dir, key, ".png", lambda: _render(bars, title))


def _render(bars: Sequence[Bar], title: str) -> bytes:
    height = max(2.5, 0.9 + 0.38 * max(1, len(bars)))
    with matplotlib.rc_context({"font.family": _FONT, "svg.hashsalt": "campaign-sheets"}):
        figure = Figure(figsize=(8, height), dpi=_DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        _draw(axes, bars, title)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _draw(axes: object, bars: Sequence[Bar], title: str) -> None:
    ax: matplotlib.axes.Axes = axes  # type: ignore[assignment]
    ax.set_title(title)
    if not bars:
        ax.text(0.5, 0.5, label("chart_empty"), ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return
    names = [b.org for b in reversed(bars)]
    values = [b.people or 0 for b in reversed(bars)]
    colours = [_BAR if b.people is not None else _UNKNOWN for b in reversed(bars)]
    positions = range(len(names))
    ax.barh(positions, values, color=colours)
    ax.set_yticks(list(positions), labels=names)
    ax.set_xlabel(label("chart_xlabel"))
    top = max(values) or 1
    ax.set_xlim(0, top * 1.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for y, bar in zip(positions, reversed(bars), strict=True):
        ax.text((bar.people or 0) + top * 0.01, y, _bar_note(bar), va="center", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)


def _bar_note(bar: Bar) -> str:
    """``12``, ``12（人数不明 1回）`` or ``不明``: an unknown count is never drawn as 0."""
    if bar.people is None:
        return label("unknown")
    if bar.unknown:
        return f"{bar.people}（{label('chart_unknown').format(n=bar.unknown)}）"
    return str(bar.people)
