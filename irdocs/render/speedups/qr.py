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

It also makes segno try its eight data masks a row at a time (``_install_masks``), choosing the
same one: the same code, 1.9 ms instead of 3 (segno is not pinned: a segno whose function differs
from the one checked is left as it is).
"""

from __future__ import annotations

import re
from math import pi

from . import expect_source, install_once, source_digest

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


def draw_segno_path(stream, vertices: list, data: str) -> bool:
    """Draw segno's path ``data`` on ``stream`` as WeasyPrint's ``path`` would; False if it is not one.

    Each move and line goes into the page's stream as the very bytes pydyf's ``move_to`` and
    ``line_to`` write (``b"12 3.5 l"``), through pydyf's own ``_to_bytes`` (which ``pdfwrite``
    makes faster), without their two calls and a join a line."""
    if not _SEGNO_PATH.fullmatch(data):
        return False
    import pydyf

    write, append, _number = stream.stream.append, vertices.append, pydyf._to_bytes

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


#: segno's function that tries the data masks, as checked; segno is not pinned: another is left alone.
SEGNO_MASKS = "8a756d73a8f5"
#: (width, height) -> for each of the 8 data masks, each row's mask as a number (bit j: module j)
_MASKS: dict[tuple[int, int], list[list[int]]] = {}


def _masks(encoder, width: int, height: int) -> list[list[int]]:
    """segno's eight QR data masks over the encoding region of a code this size, as row numbers."""
    masks = _MASKS.get((width, height))
    if masks is None:
        function_matrix = encoder.make_matrix(width, height)
        encoder.add_finder_patterns(function_matrix, width, height)
        encoder.add_alignment_patterns(function_matrix, width, height)
        function_matrix[-8][8] = 0x1
        masks = []
        for pattern in encoder.get_data_mask_functions(False):
            rows = []
            for i in range(height):
                bits = bytes(1 if function_matrix[i][j] > 0x1 and pattern(i, j) else 0 for j in range(width))
                rows.append(int.from_bytes(bits, "big"))
            masks.append(rows)
        _MASKS[(width, height)] = masks
    return masks


def _install_masks() -> None:
    """segno tries its eight data masks on a code by calling a function for every module of each
    (``apply_mask``), 2 ms a certificate: here each mask's rows are worked out once per size and
    applied as one exclusive-or a row. The masks are scored by segno's own ``evaluate_mask`` and
    the first best one is chosen, as segno does: the same code (``tests/render/test_qr.py``)."""
    from segno import encoder

    original = encoder.find_and_apply_best_mask

    def find_and_apply_best_mask(matrix, width, height, proposed_mask=None):
        if proposed_mask is not None or (width == height and width < 21):  # a chosen mask, a Micro QR code
            return original(matrix, width, height, proposed_mask)
        best_score, best_pattern, best_matrix = encoder._MAX_PENALTY_SCORE, None, None
        rows = [int.from_bytes(row, "big") for row in matrix]
        for mask_number, mask in enumerate(_masks(encoder, width, height)):
            masked = [bytearray((row ^ bits).to_bytes(width, "big")) for row, bits in zip(rows, mask, strict=True)]
            score = encoder.evaluate_mask(masked, width, height)
            if score < best_score:
                best_score, best_pattern, best_matrix = score, mask_number, tuple(masked)
        return best_pattern, best_matrix

    encoder.find_and_apply_best_mask = find_and_apply_best_mask


def _apply() -> bool:
    import weasyprint.svg as svg

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    if source_digest("segno.encoder.find_and_apply_best_mask") == SEGNO_MASKS:
        _install_masks()
    original = svg.TAGS["path"]

    def path(drawing, node, font_size):
        if node.get("class") == "qrline" and draw_segno_path(drawing.stream, node.vertices, node.get("d", "")):
            return
        original(drawing, node, font_size)

    svg.TAGS["path"] = path
    return True
