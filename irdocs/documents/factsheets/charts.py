"""Charts for the fact sheets, drawn as SVG by irdocs itself: vector in the PDF, PNG in the DOCX.

Every chart has axis labels and a number on each bar; the texts come from the caller, already in
the sheet's language. The SVG names its fonts rather than embedding them: WeasyPrint draws the
labels with the sheet's own fonts, and the PDF's text stays text. The DOCX gets the same SVG as a
PNG at 200 dpi (CairoSVG). The bytes depend only on the data and labels.

The charts used to be drawn by matplotlib. These three kinds of bar chart need none of it: text
widths come from the font's own metrics (``fonts.text_width_em``), and a build worker without
matplotlib holds 40 MB less (bench/RESULTS.md).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ...localize import format_number

#: Colours of the sheets: the emblem's navy and gold, and two quiet companions.
NAVY = "#1d3f72"
GOLD = "#b08d3c"
SERIES_COLOURS = (NAVY, GOLD, "#6f8fb8", "#9a9a9a", "#c9b27a")
TEXT = "#222222"
MUTED = "#9aa3b2"
GRID = "#d9dee6"
SPINE = "#8a94a6"
FONTS = ["Noto Sans", "DejaVu Sans"]
#: Resolution of the PNG in the DOCX: crisp when printed, small enough to mail.
PNG_DPI = 200
MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH

#: Type sizes (pt): axis titles and tick labels, numbers on the bars, small numbers.
LABEL = 8.5
NUMBER = 7.5
TICK = 3.5  # tick length, and the gap between a tick and its label
PAD = 4.0  # around the whole chart
LINE = 0.6


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


def _numbers(language: str) -> Callable[[int], str]:
    return lambda value: format_number(value, language)


def _width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in pt at ``size`` pt, in the charts' font."""
    from ...render.fonts import text_width_em

    for family in FONTS:
        try:
            return text_width_em(text, family, "Bold" if bold else "Regular") * size
        except Exception:  # the font is missing: try the next (DejaVu comes with every Debian)
            continue
    return 0.6 * size * len(text)


def _ticks(top: float) -> list[int]:
    """Whole-number ticks from 0 up to ``top``, 1, 2 or 5 times a power of ten apart, at most 6 steps."""
    if top < 1:
        return [0]
    step = 1
    for power in range(0, 10):
        for m in (1, 2, 5):
            step = m * 10**power
            if top / step <= 6:
                return list(range(0, math.floor(top) + 1, step))
    return [0]


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


class _Canvas:
    """An SVG drawn in points (1/72 inch), at a size in millimetres."""

    def __init__(self, width_mm: float, height_mm: float):
        self.width_mm, self.height_mm = width_mm, height_mm
        self.w, self.h = width_mm * PT_PER_MM, height_mm * PT_PER_MM
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        if w > 0 and h > 0:
            self.parts.append(f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" fill="{fill}"/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str) -> None:
        self.parts.append(f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="{colour}" stroke-width="{LINE}"/>')

    def text(
        self, x: float, y: float, text: str, size: float = LABEL, anchor: str = "start", colour: str = TEXT, bold: bool = False, rotate: bool = False
    ) -> None:
        """``y`` is the baseline; ``rotate`` turns the text to read upwards (an axis title on the left)."""
        attributes = f'x="{_f(x)}" y="{_f(y)}" font-size="{_f(size)}"'
        if anchor != "start":
            attributes += f' text-anchor="{anchor}"'
        if colour != TEXT:
            attributes += f' fill="{colour}"'
        if bold:
            attributes += ' font-weight="bold"'
        if rotate:
            attributes += f' transform="rotate(-90 {_f(x)} {_f(y)})"'
        self.parts.append(f"<text {attributes}>{escape(text)}</text>")

    def chart(self, description: str) -> Chart:
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(self.w)}pt" height="{_f(self.h)}pt" viewBox="0 0 {_f(self.w)} {_f(self.h)}">'
            f"<title>{escape(description)}</title>"
            f'<rect width="100%" height="100%" fill="#ffffff"/>'
            f'<g font-family="{", ".join(FONTS)}" fill="{TEXT}">' + "".join(self.parts) + "</g></svg>"
        ).encode("utf-8")
        return Chart(svg, _png(svg, self.width_mm), self.width_mm, self.height_mm, description)


def _png(svg: bytes, width_mm: float) -> bytes:
    import cairosvg

    return cairosvg.svg2png(bytestring=svg, output_width=round(width_mm / MM_PER_INCH * PNG_DPI))


def _baseline(middle: float, size: float) -> float:
    """The baseline that centres digits and capitals of ``size`` pt on ``middle``."""
    return middle + 0.36 * size


def _value_axis_left(c: _Canvas, ticks: list[int], number, plot: tuple[float, float, float, float], top_value: float) -> None:
    """Horizontal grid lines, and ticks with their numbers on the left."""
    x0, y0, x1, y1 = plot
    for tick in ticks:
        y = y1 - tick / top_value * (y1 - y0)
        c.line(x0, y, x1, y, GRID)
        c.line(x0 - TICK, y, x0, y, TEXT)
        c.text(x0 - 2 * TICK, _baseline(y, LABEL), number(tick), anchor="end")


def _frame(c: _Canvas, plot: tuple[float, float, float, float], x_title: str, y_title: str) -> None:
    """The left and bottom axis lines (drawn last, over the bars' feet) and the axis titles: the
    bottom one centred under the plot, the left one turned to read upwards."""
    x0, y0, x1, y1 = plot
    c.line(x0, y0, x0, y1, SPINE)
    c.line(x0, y1, x1, y1, SPINE)
    c.text((x0 + x1) / 2, c.h - PAD - 1, x_title, anchor="middle")
    c.text(PAD + LABEL * 0.8, (y0 + y1) / 2, y_title, anchor="middle", rotate=True)


#: Room under the plot: ticks, their labels, the axis title.
BOTTOM = 2 * TICK + 2 * LABEL * 1.25 + PAD


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
    c = _Canvas(width_mm, height_mm)
    values = [value for _, value in items]
    top_value = max(values, default=1) * 1.1 + 0.5
    labels_width = max((_width(label, LABEL) for label, _ in items), default=0)
    x0 = PAD + LABEL * 1.25 + 4 + labels_width + TICK
    x1 = c.w - PAD - 2
    y0, y1 = PAD + 2, c.h - BOTTOM
    plot = (x0, y0, x1, y1)
    ticks = _ticks(top_value)
    for tick in ticks:
        x = x0 + tick / top_value * (x1 - x0)
        c.line(x, y0, x, y1, GRID)
        c.line(x, y1, x, y1 + TICK, TEXT)
        c.text(x, y1 + 2 * TICK + LABEL * 0.8, number(tick), anchor="middle")
    unit = (y1 - y0) / (len(items) + 0.2) if items else 0
    for i, (label, value) in enumerate(items):
        middle = y0 + (0.6 + i) * unit
        colour = MUTED if muted_last and i == len(items) - 1 else NAVY
        length = value / top_value * (x1 - x0)
        c.rect(x0, middle - 0.34 * unit, length, 0.68 * unit, colour)
        c.text(x0 + length + 3, _baseline(middle, NUMBER), number(value), size=NUMBER)
        c.text(x0 - TICK, _baseline(middle, LABEL), label, anchor="end")
    _frame(c, plot, value_label, category_label)
    return c.chart(description)


def _columns_plot(c: _Canvas, top_value: float, number, top: float) -> tuple[tuple[float, float, float, float], list[int]]:
    """The plot area of a column chart, leaving room on the left for the value axis."""
    ticks = _ticks(top_value)
    ticks_width = max(_width(number(t), LABEL) for t in ticks)
    x0 = PAD + LABEL * 1.25 + 4 + ticks_width + 2 * TICK
    return (x0, top, c.w - PAD - 2, c.h - BOTTOM), ticks


def _category_ticks(c: _Canvas, plot, positions: Sequence[tuple[float, str]]) -> None:
    _, _, _, y1 = plot
    for x, label in positions:
        c.line(x, y1, x, y1 + TICK, TEXT)
        c.text(x, y1 + 2 * TICK + LABEL * 0.8, label, anchor="middle")


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
    c = _Canvas(width_mm, height_mm)
    totals = [sum(column) for column in zip(*(values for _, values in series), strict=True)] if series else [0] * len(categories)
    tallest = max(totals, default=0)
    top_value = max(tallest, 1) * 1.12 + 0.5
    # the legend, in one row above the plot
    x = PAD
    legend_y = PAD + NUMBER
    for (name, _), colour in zip(series, SERIES_COLOURS, strict=False):
        c.rect(x, legend_y - NUMBER * 0.8, NUMBER * 0.9, NUMBER * 0.9, colour)
        c.text(x + NUMBER * 0.9 + 3, legend_y, name, size=NUMBER)
        x += NUMBER * 0.9 + 3 + _width(name, NUMBER) + 10
    plot, ticks = _columns_plot(c, top_value, number, legend_y + 6)
    x0, y0, x1, y1 = plot
    _value_axis_left(c, ticks, number, plot, top_value)
    unit = (x1 - x0) / (len(categories) + 0.2) if categories else 0
    scale = (y1 - y0) / top_value
    centres = [x0 + (0.6 + k) * unit for k in range(len(categories))]
    bottoms = [0] * len(categories)
    for (_, values), colour in zip(series, SERIES_COLOURS, strict=False):
        for k, value in enumerate(values):
            if value:
                top = y1 - (bottoms[k] + value) * scale
                c.rect(centres[k] - 0.31 * unit, top, 0.62 * unit, value * scale, colour)
                if value >= tallest * 0.07:  # a number inside each segment tall enough to hold it
                    c.text(centres[k], _baseline(top + value * scale / 2, 7), number(value), size=7, anchor="middle", colour="#ffffff")
            bottoms[k] += value
    for centre, total in zip(centres, totals, strict=True):
        c.text(centre, y1 - total * scale - 2, number(total), size=NUMBER, anchor="middle", bold=True)
    _category_ticks(c, plot, list(zip(centres, categories, strict=True)))
    _frame(c, plot, category_label, value_label)
    return c.chart(description)


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
    c = _Canvas(width_mm, height_mm)
    top_value = max(values, default=1) * 1.18 + 0.3
    plot, ticks = _columns_plot(c, top_value, number, PAD + 4)
    x0, y0, x1, y1 = plot
    _value_axis_left(c, ticks, number, plot, top_value)
    unit = (x1 - x0) / (len(years) - 1 + 1.4) if years else 0
    scale = (y1 - y0) / top_value
    size = 6.5 if len(years) > 20 else NUMBER
    centres = [x0 + (0.7 + k) * unit for k in range(len(years))]
    for centre, value in zip(centres, values, strict=True):
        if value:
            c.rect(centre - 0.35 * unit, y1 - value * scale, 0.7 * unit, value * scale, NAVY)
            c.text(centre, y1 - value * scale - 1.5, number(value), size=size, anchor="middle")
    step = 1 if len(years) <= 12 else 2 if len(years) <= 24 else 5
    _category_ticks(c, plot, [(centre, str(year)) for centre, year in zip(centres, years, strict=True) if (year - years[0]) % step == 0])
    _frame(c, plot, category_label, value_label)
    return c.chart(description)


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
