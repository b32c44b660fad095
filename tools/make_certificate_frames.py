"""Draw the guilloche frames of the certificate designs: templates/certificates/frame-<kind>.svg.

Run after changing a design's colours or ornaments:  python tools/make_certificate_frames.py

Each frame is an A4 landscape SVG (millimetres): a fine outer rule, a band of interlaced waves
running round the page (the closed curves of banknotes and diplomas), an inner rule, rosettes at
the corners and a faint rosette watermark in the middle.  The output depends only on this file.
"""

from __future__ import annotations

import math
from pathlib import Path

W, H = 297.0, 210.0
OUT = Path(__file__).resolve().parent.parent / "templates" / "certificates"


def fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


#: How far a drawn curve may stray from the true one, in millimetres: about a third of the finest
#: stroke (0.14 mm), under the 0.085 mm of a 300-dpi printer dot. The frames used to be smooth
#: curves through 16 points a rosette loop, which strayed up to 1 mm from the watermark's true
#: rosette and drew 1.6 times as many numbers; WeasyPrint reads each of them in Python for every
#: certificate it draws.
TOLERANCE = 0.05


def _tangent(f, t: float, h: float = 1e-6) -> tuple[float, float]:
    (x0, y0), (x1, y1) = f(t - h), f(t + h)
    return ((x1 - x0) / (2 * h), (y1 - y0) / (2 * h))


def _segments(f, t0: float, t1: float, n: int) -> list[tuple[tuple[float, float], ...]]:
    """``n`` cubic Béziers through f(t) for t0..t1, each with the curve's own tangents at its ends
    (Hermite form): a few of them follow a wave or a rosette loop within a few microns."""
    step = (t1 - t0) / n
    out = []
    for i in range(n):
        a, b = t0 + i * step, t0 + (i + 1) * step
        p0, p3 = f(a), f(b)
        d0, d3 = _tangent(f, a), _tangent(f, b)
        p1 = (p0[0] + d0[0] * step / 3, p0[1] + d0[1] * step / 3)
        p2 = (p3[0] - d3[0] * step / 3, p3[1] - d3[1] * step / 3)
        out.append((p0, p1, p2, p3, a, b))
    return out


def _deviation(f, segments) -> float:
    """The largest distance between the Béziers and the true curve (sampled), in millimetres."""
    worst = 0.0
    for p0, p1, p2, p3, a, b in segments:
        for k in range(1, 12):
            u = k / 12
            m = 1 - u
            x = m**3 * p0[0] + 3 * m * m * u * p1[0] + 3 * m * u * u * p2[0] + u**3 * p3[0]
            y = m**3 * p0[1] + 3 * m * m * u * p1[1] + 3 * m * u * u * p2[1] + u**3 * p3[1]
            tx, ty = f(a + (b - a) * u)
            worst = max(worst, math.hypot(x - tx, y - ty))
    return worst


def curve(f, t0: float, t1: float, closed: bool = False, least: int = 2) -> str:
    """SVG path data for f(t), t0..t1, with the fewest Béziers that stay within TOLERANCE."""
    n = least
    while True:
        segments = _segments(f, t0, t1, n)
        if _deviation(f, segments) <= TOLERANCE:
            break
        n += 1
    # Every segment's first control point mirrors the one before it (one tangent, equal steps), so
    # after the first, 'S' gives it with four numbers instead of six: WeasyPrint reads each number
    # of a path in Python, every time it draws the frame.
    (p0, p1, p2, p3, _, _), rest = segments[0], segments[1:]
    d = [f"M{fmt(p0[0])} {fmt(p0[1])}C{fmt(p1[0])} {fmt(p1[1])} {fmt(p2[0])} {fmt(p2[1])} {fmt(p3[0])} {fmt(p3[1])}"]
    d += [f"S{fmt(p2[0])} {fmt(p2[1])} {fmt(p3[0])} {fmt(p3[1])}" for _, _, p2, p3, _, _ in rest]
    return "".join(d) + ("Z" if closed else "")


BAND_COUNTER = [0]


def band(inset, amplitude, wavelength, curves, stroke, width, lace=0.0, opacity=1.0) -> str:
    """``curves`` interlaced waves along the four edges, phase-shifted evenly: a guilloche rope.

    Each edge is one rectangle filled with a tiling pattern of one period, so the PDF holds a few
    dozen curve segments instead of thousands (WeasyPrint draws patterns once; printers repeat them).
    The corners, where the edges meet, are covered by the medallions.

    Each edge has a rectangle of its own: one shape for two opposite edges would draw each pattern
    once instead of twice, but viewers and printers round a tile's step to whole device pixels, so
    the far edge's waves drift off their rule (seen with poppler and Ghostscript at 300 dpi).
    """
    BAND_COUNTER[0] += 1
    ident = f"band{BAND_COUNTER[0]}"
    period = wavelength * (2 if lace else 1)
    half = amplitude + width
    tile_h = 2 * half

    def waves(swap: bool) -> str:
        paths = []
        for k in range(curves):
            phase = 2 * math.pi * k / curves

            def f(x, phase=phase):
                theta = 2 * math.pi * x / wavelength + phase
                offset = amplitude * math.sin(theta) * (1 - lace + lace * math.cos(theta / 2 + phase) ** 2)
                return (half + offset, x) if swap else (x, half + offset)

            # An eighth of a period beyond each end: the joins between tiles are drawn by both tiles.
            paths.append(f'<path d="{curve(f, -period / 8, period * 9 / 8)}"/>')
        return "".join(paths)

    style = f'fill="none" stroke="{stroke}" stroke-width="{width}" stroke-opacity="{opacity}"'
    defs = (
        f'<defs><pattern id="{ident}h" patternUnits="userSpaceOnUse" width="{fmt(period)}" height="{fmt(tile_h)}">'
        f"<g {style}>{waves(False)}</g></pattern>"
        f'<pattern id="{ident}v" patternUnits="userSpaceOnUse" width="{fmt(tile_h)}" height="{fmt(period)}">'
        f"<g {style}>{waves(True)}</g></pattern></defs>"
    )
    length_w, length_h = W - 2 * inset, H - 2 * inset
    rects = (
        f'<rect x="{fmt(inset)}" y="{fmt(inset - half)}" width="{fmt(length_w)}" height="{fmt(tile_h)}" fill="url(#{ident}h)"/>'
        f'<rect x="{fmt(inset)}" y="{fmt(H - inset - half)}" width="{fmt(length_w)}" height="{fmt(tile_h)}" fill="url(#{ident}h)"/>'
        f'<rect x="{fmt(inset - half)}" y="{fmt(inset)}" width="{fmt(tile_h)}" height="{fmt(length_h)}" fill="url(#{ident}v)"/>'
        f'<rect x="{fmt(W - inset - half)}" y="{fmt(inset)}" width="{fmt(tile_h)}" height="{fmt(length_h)}" fill="url(#{ident}v)"/>'
    )
    return defs + rects


def rule(inset, radius, stroke, width) -> str:
    return (
        f'<rect x="{fmt(inset)}" y="{fmt(inset)}" width="{fmt(W - 2 * inset)}" height="{fmt(H - 2 * inset)}" '
        f'rx="{fmt(radius)}" fill="none" stroke="{stroke}" stroke-width="{width}"/>'
    )


def rosette(cx, cy, radius, big, small, pen, stroke, width, opacity=1.0) -> str:
    """A hypotrochoid (spirograph) rosette centred on (cx, cy), ``radius`` across its outer tips.

    A wheel of ``small`` teeth rolling inside a ring of ``big`` teeth, the pen at ``pen`` times
    the wheel's radius: the curve closes after ``small / gcd(big, small)`` turns.
    """
    loops = small // math.gcd(big, small)
    ratio = (big - small) / small
    scale = radius / ((big - small) + pen * small)

    def f(t):
        x = (big - small) * math.cos(t) + pen * small * math.cos(ratio * t)
        y = (big - small) * math.sin(t) - pen * small * math.sin(ratio * t)
        return (cx + x * scale, cy + y * scale)

    return f'<path d="{curve(f, 0, 2 * math.pi * loops, closed=True, least=loops)}" fill="none" stroke="{stroke}" stroke-width="{width}" stroke-opacity="{opacity}"/>'


def corner_medallions(inset, r, paper, ink, gold) -> str:
    parts = []
    for cx, cy in ((inset, inset), (W - inset, inset), (W - inset, H - inset), (inset, H - inset)):
        parts.append(f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(r + 0.8)}" fill="{paper}" stroke="{gold}" stroke-width="0.35"/>')
        parts.append(rosette(cx, cy, r * 0.92, 12, 5, 0.9, ink, 0.16))
        parts.append(f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(r * 0.16)}" fill="{gold}"/>')
    return "".join(parts)


#: Nothing is drawn nearer the sheet's edge than this (mm): an office printer that cannot print to the
#: edge leaves 4 to 5 mm white, which would cut a band and the corner rosettes. The paper colour
#: fills the frame only, from its outer rule in; the sheet outside stays white.
PRINT_SAFE = 6.0
OUTER_RULE = 6.5


def svg(body: str, paper: str) -> str:
    inside = W - 2 * OUTER_RULE, H - 2 * OUTER_RULE
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 297 210">\n'
        "<!-- Drawn by tools/make_certificate_frames.py; edit that file, not this one. -->\n"
        f'<rect x="{fmt(OUTER_RULE)}" y="{fmt(OUTER_RULE)}" width="{fmt(inside[0])}" height="{fmt(inside[1])}" rx="2" fill="{paper}"/>\n{body}\n</svg>\n'
    )


def watermark(ink, opacity) -> str:
    return "".join(
        (
            rosette(W / 2, H / 2, 78, 48, 11, 0.85, ink, 0.14, opacity),
            rosette(W / 2, H / 2, 34, 30, 7, 0.9, ink, 0.14, opacity),
        )
    )


DESIGNS = {
    # Honorary doctorate: claret and gold, the richest frame: two interlaced ropes.
    "honorary-doctorate": dict(paper="#fdfaf1", ink="#6d1a2a", gold="#a8863a", layers="double"),
    # Honorary professor: navy and gold, one broad rope.
    "honorary-professor": dict(paper="#fbf9f3", ink="#1d3f72", gold="#a8863a", layers="single"),
    # Visiting professor: deep green and gold, a lighter lace band.
    "visiting-professor": dict(paper="#fafaf4", ink="#1f5646", gold="#a8863a", layers="lace"),
}


def frame(paper: str, ink: str, gold: str, layers: str) -> str:
    parts = [rule(OUTER_RULE, 2, ink, 0.7), rule(OUTER_RULE + 1.1, 2, gold, 0.25)]
    if layers == "double":
        parts.append(band(12.5, 3.6, 7.5, 6, ink, 0.16))
        parts.append(band(12.5, 2.3, 5.0, 4, gold, 0.2))
    elif layers == "single":
        parts.append(band(12.5, 3.6, 6.0, 8, ink, 0.16))
    else:
        parts.append(band(12.5, 3.3, 9.0, 5, ink, 0.18, lace=0.55))
        parts.append(band(12.5, 1.2, 3.0, 2, gold, 0.2))
    parts += [rule(17.4, 4, gold, 0.3), rule(18.4, 4, ink, 0.6)]
    parts.append(watermark(ink, 0.07))
    # the medallions' outer ring (radius r + 0.8) ends at the outer rule, inside PRINT_SAFE
    parts.append(corner_medallions(12.5, 12.5 - OUTER_RULE - 0.8, paper, ink, gold))
    return svg("\n".join(parts), paper)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for kind, colours in DESIGNS.items():
        target = OUT / f"frame-{kind}.svg"
        target.write_text(frame(**colours), encoding="utf-8")
        print(f"wrote {target} ({target.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
