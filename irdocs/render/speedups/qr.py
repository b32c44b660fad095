"""A certificate's QR code drawn as the compact path it is, without WeasyPrint's general path parser.

segno writes a QR code as one SVG path of short horizontal strokes, one per run of dark modules
(``M0 0.5h7m4 0h2m1 0h1...``, about 400 of them). WeasyPrint 70 reads a path's data in Python
through its general parser (``weasyprint/svg/path.py``): every letter of the alphabet of path
commands replaced in the string, every number read as a CSS length; for a QR code about 6 ms of
a certificate's 80.

``install()`` draws a path that segno made (``class="qrline"``, and data made only of ``M``,
``m`` and ``h`` commands, checked in full) with one regular expression and the same drawing
calls WeasyPrint makes, in the same order with the same numbers: the PDF is byte for byte the
same (``tests/render/test_qr.py``). Any other path is WeasyPrint's as before.
"""

from __future__ import annotations

import re
from math import pi

from . import expect_source, install_once

#: The WeasyPrint function this replaces for segno's paths, as checked (``weasypatch.expect_source``).
CHECKED_SOURCES = {
    "weasyprint.svg.path.path": "194cd562b8d9",
    "weasyprint.svg.SVG.point": "333add7cf44f",  # a plain number is read as float(number)
    # what a move and a line write in the page's stream, written here directly
    "pydyf.Stream.move_to": "27b9d7cbb250",
    "pydyf.Stream.line_to": "ae6e8274d252",
    "pydyf._to_bytes": "1cefd02c285d",
}

#: The whole of a path's data as segno writes it: a first move, then relative moves and lines.
_SEGNO_PATH = re.compile(r"M(\d+) (\d+(?:\.\d+)?)(?:(?:h-?\d+)|(?:m-?\d+ -?\d+(?:\.\d+)?))*")
_COMMAND = re.compile(r"([Mmh])(-?\d+(?:\.\d+)?)(?: (-?\d+(?:\.\d+)?))?")

_state = {"installed": False}


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Draw segno's QR code paths directly; True if this is (now) in place."""
    return install_once(_state, "IRDOCS_PARSE_QR_PATHS", _apply)


#: A number as pydyf writes it in a page (``pydyf._to_bytes``): 12.0 -> b"12", 0.5 -> b"0.5".
_NUMBERS: dict[float, bytes] = {}


def _number(value: float) -> bytes:
    written = _NUMBERS.get(value)
    if written is None:
        written = str(int(value)).encode("ascii") if value.is_integer() else f"{value:f}".rstrip("0").encode("ascii")
        if len(_NUMBERS) < 4096:
            _NUMBERS[value] = written
    return written


def draw_segno_path(stream, vertices: list, data: str) -> bool:
    """Draw segno's path ``data`` on ``stream`` as WeasyPrint's ``path`` would; False if it is not one.

    Each move and line goes into the page's stream as the very bytes pydyf's ``move_to`` and
    ``line_to`` write (``b"12 3.5 l"``), each number written once per process (``_number``)."""
    if not _SEGNO_PATH.fullmatch(data):
        return False
    write, append = stream.stream.append, vertices.append

    def move_to(x: float, y: float) -> None:
        write(b"%s %s m" % (_number(x), _number(y)))

    def line_to(x: float, y: float) -> None:
        write(b"%s %s l" % (_number(x), _number(y)))

    x = y = 0.0
    move_to(x, y)  # WeasyPrint starts every path at (0, 0)
    last = None
    for letter, first, second in _COMMAND.findall(data):
        if letter == "h":
            old_x = x
            x = float(first) + x
            angle = 0 if x > old_x else pi
            append((pi - angle, angle))
            line_to(x, y)
        else:
            if last is not None:
                append(None)
            if letter == "m":
                x, y = float(first) + x, float(second) + y
            else:
                x, y = float(first), float(second)
            move_to(x, y)
        append((x, y))
        last = letter
    return True


def _apply() -> bool:
    import weasyprint.svg as svg

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    original = svg.TAGS["path"]

    def path(drawing, node, font_size):
        if node.get("class") == "qrline" and draw_segno_path(drawing.stream, node.vertices, node.get("d", "")):
            return
        original(drawing, node, font_size)

    svg.TAGS["path"] = path
    return True
