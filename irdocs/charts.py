"""Charts for the fact sheets, drawn with matplotlib: SVG (vector) for the PDF, PNG for the DOCX.

Every chart has axis labels and a number on each bar; the texts come from the caller, already in
the sheet's language.  The bytes depend only on the data and labels: fixed SVG ids
(``svg.hashsalt``), no date in the metadata, fonts named rather than embedded (``svg.fonttype``
'none': WeasyPrint draws the labels with the sheet's own fonts, and the PDF's text stays text).

matplotlib is imported inside the functions (it takes a moment) and only its object-oriented API
is used (a ``Figure`` per chart, no pyplot state), with the Agg backend.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from .localize import format_number

#: Colours of the sheets: the emblem's navy and gold, and two quiet companions.
NAVY = "#1d3f72"
GOLD = "#b08d3c"
SERIES_COLOURS = (NAVY, GOLD, "#6f8fb8", "#9a9a9a", "#c9b27a")
TEXT = "#222222"
MUTED = "#9aa3b2"
GRID = "#d9dee6"
FONTS = ["Noto Sans", "DejaVu Sans"]
#: Resolution of the PNG in the DOCX: crisp when printed, small enough to mail.
PNG_DPI = 200
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Chart:
    """One chart in both forms, and the size it is drawn at (so 9 pt stays 9 pt on paper)."""

    svg: bytes
    png: bytes
    width_mm: float
    height_mm: float
    description: str  # the chart in words, for screen readers (the SVG's alt text)

    @property
    def svg_data_url(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


def _numbers(language: str):
    return lambda value: format_number(value, language)


def _rc() -> dict:
    return {
        "svg.hashsalt": "irdocs",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": FONTS,
        "font.size": 8.5,
        "axes.edgecolor": "#8a94a6",
        "axes.labelcolor": TEXT,
        "axes.linewidth": 0.6,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "axes.unicode_minus": False,
        "path.simplify": False,
    }


def _figure(width_mm: float, height_mm: float):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), layout="constrained")


def _save(figure, width_mm: float, height_mm: float, description: str) -> Chart:
    svg, png = io.BytesIO(), io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    figure.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return Chart(svg.getvalue(), png.getvalue(), width_mm, height_mm, description)


def _tidy(axes, value_axis: str) -> None:
    """Light frame, a grid along the values only, whole numbers on the value axis."""
    from matplotlib.ticker import MaxNLocator

    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_axisbelow(True)
    axes.grid(axis=value_axis, color=GRID, linewidth=0.6)
    (axes.xaxis if value_axis == "x" else axes.yaxis).set_major_locator(MaxNLocator(integer=True))


@contextmanager
def _axes(width_mm: float, height_mm: float):
    """A figure of the given size with one plot, under irdocs' settings (they apply when saving too)."""
    import matplotlib

    with matplotlib.rc_context(_rc()):
        yield _figure(width_mm, height_mm).add_subplot()


def _finish(axes, x_label: str, y_label: str, value_axis: str, number, size: tuple[float, float], description: str) -> Chart:
    """Axis labels, numbers on the value axis, a light frame; then both files."""
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    (axes.xaxis if value_axis == "x" else axes.yaxis).set_major_formatter(lambda value, _pos: number(int(value)))
    _tidy(axes, value_axis)
    return _save(axes.figure, *size, description)


def horizontal_bars(
    items: Sequence[tuple[str, int]],
    value_label: str,
    category_label: str,
    language: str,
    description: str,
    width_mm: float = 170,
    muted_last: bool = False,
) -> Chart:
    """One bar per item, in the given order from the top, its value written at its end (partners by
    country); ``muted_last`` draws the last bar grey (a group such as "12 other countries")."""
    number = _numbers(language)
    height_mm = max(36.0, 15 + 3.6 * len(items))
    with _axes(width_mm, height_mm) as axes:
        labels = [label for label, _ in items][::-1]
        values = [value for _, value in items][::-1]
        colours = [NAVY] * len(labels)
        if muted_last and colours:
            colours[0] = MUTED  # the list is drawn bottom-up
        bars = axes.barh(range(len(values)), values, color=colours, height=0.68)
        axes.set_yticks(range(len(values)), labels)
        axes.bar_label(bars, labels=[number(v) for v in values], padding=3, fontsize=7.5, color=TEXT)
        axes.set_ylim(-0.6, len(values) - 0.4)
        axes.set_xlim(0, max(values, default=1) * 1.1 + 0.5)
        axes.tick_params(axis="y", length=0)
        return _finish(axes, value_label, category_label, "x", number, (width_mm, height_mm), description)


def stacked_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    category_label: str,
    value_label: str,
    language: str,
    description: str,
    width_mm: float = 170,
    height_mm: float = 70,
) -> Chart:
    """Vertical bars stacked by series (titles by decade and kind), each total written on top."""
    number = _numbers(language)
    with _axes(width_mm, height_mm) as axes:
        positions = range(len(categories))
        bottoms = [0] * len(categories)
        tallest = max((sum(column) for column in zip(*(values for _, values in series), strict=True)), default=0)
        for (name, values), colour in zip(series, SERIES_COLOURS, strict=False):
            bars = axes.bar(positions, values, bottom=bottoms, color=colour, width=0.62, label=name)
            # a number inside each segment tall enough to hold it; the total always stands on top
            inside = [number(v) if v and v >= tallest * 0.07 else "" for v in values]
            axes.bar_label(bars, labels=inside, label_type="center", fontsize=7, color="white")
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        for x, total in zip(positions, bottoms, strict=True):
            axes.annotate(number(total), (x, total), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=7.5, fontweight="bold")
        axes.set_xticks(list(positions), list(categories))
        axes.set_ylim(0, max(bottoms, default=1) * 1.12 + 0.5)
        axes.figure.legend(frameon=False, loc="outside upper left", fontsize=7.5, ncols=len(series))
        return _finish(axes, category_label, value_label, "y", number, (width_mm, height_mm), description)


def bars_by_year(
    counts: dict[int, int],
    category_label: str,
    value_label: str,
    language: str,
    description: str,
    width_mm: float = 170,
    height_mm: float = 58,
) -> Chart:
    """One bar per year from the first to the last (years without any show as gaps), each with its number."""
    number = _numbers(language)
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    values = [counts.get(year, 0) for year in years]
    with _axes(width_mm, height_mm) as axes:
        bars = axes.bar(years, values, color=NAVY, width=0.7)
        axes.bar_label(bars, labels=[number(v) if v else "" for v in values], padding=1.5, fontsize=6.5 if len(years) > 20 else 7.5)
        step = 1 if len(years) <= 12 else 2 if len(years) <= 24 else 5
        ticks = [y for y in years if (y - years[0]) % step == 0]
        axes.set_xticks(ticks, [str(y) for y in ticks])
        if years:
            axes.set_xlim(years[0] - 0.7, years[-1] + 0.7)
        axes.set_ylim(0, max(values, default=1) * 1.18 + 0.3)
        return _finish(axes, category_label, value_label, "y", number, (width_mm, height_mm), description)


class ChartCache:
    """Draws each chart once per batch: the same data and labels give the same Chart object.

    Only the most recent charts are kept (a sheet's PDF and DOCX share them, the department's are
    reused): keeping every partner's charts made a batch's memory grow with the number of partners.
    """

    def __init__(self, size: int = 32):
        self._charts: dict[tuple, Chart] = {}
        self._size = size

    def __call__(self, draw, *args, **kwargs) -> Chart:
        key = (draw.__name__, _frozen(args), _frozen(kwargs))
        chart = self._charts.pop(key, None)
        if chart is None:
            chart = draw(*args, **kwargs)
        self._charts[key] = chart  # most recently used last
        while len(self._charts) > self._size:
            del self._charts[next(iter(self._charts))]
        return chart


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value
