"""Layout rules a program can see on a rendered page (issue 15), read with pdfplumber.

``problems(pdf)`` lists, page by page, what a print designer would mark:

- a page (other than a one-page document's) with under three lines of body text;
- a table header (its navy band) in the last 10 % of a page's height;
- text outside the printable area (6 mm from the sheet's edge);
- a heading whose last line holds one word alone.

A line is a run of characters sharing a baseline; body text is what is between the header and
the running footer (the footer sits in the bottom margin). Headings are text set at ``HEADING_PT``
or larger in a serif face.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

MM = 72 / 25.4
PRINTABLE_MM = 6.0
HEADING_PT = 12.0
#: fill colours of table headers (navy) in the designs
HEADER_FILLS = {(0.113, 0.247, 0.447)}
FOOTER_MM = 14.0  # the running footer lives below this distance from the foot


def _lines(chars) -> list[list[dict]]:
    rows: dict[int, list[dict]] = defaultdict(list)
    for char in chars:
        rows[round(char["bottom"])].append(char)
    merged: list[list[dict]] = []
    for key in sorted(rows):
        if merged and abs(round(merged[-1][0]["bottom"]) - key) <= 1:
            merged[-1].extend(rows[key])
        else:
            merged.append(list(rows[key]))
    return [sorted(line, key=lambda c: c["x0"]) for line in merged]


def _text(line: list[dict]) -> str:
    out, last = "", None
    for char in line:
        if last is not None and char["x0"] - last["x1"] > 0.25 * char["size"] and not out.endswith(" "):
            out += " "
        out += char["text"]
        last = char
    return out


def _near(colour, targets, tolerance=0.02) -> bool:
    if not isinstance(colour, (tuple, list)) or len(colour) != 3:
        return False
    return any(all(abs(a - b) <= tolerance for a, b in zip(colour, target, strict=True)) for target in targets)


def page_problems(page, index: int, pages: int, body_lines_minimum: int = 3) -> list[str]:
    problems = []
    width, height = float(page.width), float(page.height)
    edge = PRINTABLE_MM * MM
    chars = [c for c in page.chars if c["text"].strip()]
    for char in chars:
        if char["x0"] < edge or char["x1"] > width - edge or char["top"] < edge or char["bottom"] > height - edge:
            problems.append(f"page {index}: '{char['text']}' outside the printable area at ({char['x0']:.0f}, {char['top']:.0f}) pt")
            break
    body = [c for c in chars if c["bottom"] < height - FOOTER_MM * MM]
    lines = _lines(body)
    if pages > 1 and len(lines) < body_lines_minimum:
        problems.append(f"page {index}: only {len(lines)} line(s) of text: {[_text(line) for line in lines]}")
    for rect in page.rects:
        if _near(rect.get("non_stroking_color"), HEADER_FILLS) and rect["height"] < 12 * MM and rect["top"] > 0.9 * height:
            problems.append(f"page {index}: a table header in the last 10% of the page (at {rect['top'] / height:.0%})")
            break
    headings = [line for line in lines if line and line[0]["size"] >= HEADING_PT - 0.01 and "Serif" in line[0]["fontname"]]
    for number, line in enumerate(headings):
        words = _text(line).split()
        previous = headings[number - 1] if number else None
        continues = previous is not None and previous[0]["size"] == line[0]["size"] and 0 < line[0]["top"] - previous[0]["bottom"] < line[0]["size"] * 0.8
        if continues and len(words) == 1:
            problems.append(f"page {index}: the heading '{_text(previous)} {words[0]}' leaves '{words[0]}' alone on its last line")
    return problems


def problems(pdf: Path, body_lines_minimum: int = 3) -> list[str]:
    import pdfplumber

    found = []
    with pdfplumber.open(str(pdf)) as document:
        count = len(document.pages)
        for index, page in enumerate(document.pages, 1):
            found += [f"{Path(pdf).name}: {p}" for p in page_problems(page, index, count, body_lines_minimum)]
    return found
