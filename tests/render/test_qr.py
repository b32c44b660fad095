"""irdocs/render/speedups/qr.py: segno's QR code path is drawn without WeasyPrint's general path parser, with the
same drawing calls in the same order: the certificates are byte for byte the same."""

from __future__ import annotations

import importlib
import re

import pytest
from conftest import render_certificates_apart


class _Stream:
    def __init__(self):
        self.calls: list[tuple] = []

    def move_to(self, x, y):
        self.calls.append(("m", x, y))

    def line_to(self, x, y):
        self.calls.append(("l", x, y))


class _Node(dict):
    def __init__(self, data: str):
        super().__init__(d=data)
        self.vertices: list = []


def _weasyprints_own(data: str) -> tuple[list, list]:
    from weasyprint.svg import SVG

    parser = importlib.import_module("weasyprint.svg.path")

    class Drawing:
        inner_width = inner_height = 100
        point = SVG.point

    drawing, node = Drawing(), _Node(data)
    drawing.stream = _Stream()
    parser.path(drawing, node, 12)
    return drawing.stream.calls, node.vertices


def _segno_path(text: str) -> str:
    import segno

    svg = segno.make(text, error="m", micro=False).svg_inline(scale=1, border=0, omitsize=True, dark="#000000")
    return re.search(r' d="([^"]+)"', svg).group(1)


@pytest.mark.parametrize("text", ["https://verify.example.org/c/MNUMS-HD-2024-0001-ABCDEFGHJK", "x", "https://a.mn/" + "Z" * 120])
def test_the_drawing_calls_are_weasyprints_own(text):
    from irdocs.render.speedups.qr import draw_segno_path

    data = _segno_path(text)
    stream, node = _Stream(), _Node(data)
    assert draw_segno_path(stream, node.vertices, data)
    calls, vertices = _weasyprints_own(data)
    assert stream.calls == calls and len(calls) > 50
    assert [type(value) for call in stream.calls for value in call[1:]] == [type(value) for call in calls for value in call[1:]]
    assert node.vertices == vertices


@pytest.mark.parametrize("data", ["M0 0.5h7c1 1 2 2 3 3", "M0 0h7z", "M0 0.5h7 8", "m0 0.5h7", ""])
def test_other_paths_are_left_to_weasyprint(data):
    from irdocs.render.speedups.qr import draw_segno_path

    stream = _Stream()
    assert not draw_segno_path(stream, [], data)
    assert stream.calls == []


def test_certificates_are_byte_identical_with_the_qr_path_drawn_directly(tmp_path, sample_records):
    ids = [sample_records.honorees[0].id, sample_records.honorees[-1].id]
    direct_state, direct = render_certificates_apart(tmp_path / "direct", ids, "irdocs.render.speedups.qr")
    parsed_state, parsed = render_certificates_apart(tmp_path / "parsed", ids, "irdocs.render.speedups.qr", "IRDOCS_PARSE_QR_PATHS")
    assert (direct_state, parsed_state) == ("installed", "not installed")
    assert sorted(direct) == sorted(ids)
    assert direct == parsed
