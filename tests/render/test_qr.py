"""irdocs/render/speedups/qr.py: segno's QR code path is drawn without WeasyPrint's general path parser, with the
same drawing calls in the same order: the certificates are byte for byte the same."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest
from conftest import render_certificates_apart


def _stream():
    """A page's stream, as pydyf writes it: what is drawn is compared as the bytes it writes."""
    import pydyf

    return pydyf.Stream()


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
    drawing.stream = _stream()
    parser.path(drawing, node, 12)
    return drawing.stream.stream, node.vertices


def _segno_path(text: str) -> str:
    import segno

    svg = segno.make(text, error="m", micro=False).svg_inline(scale=1, border=0, omitsize=True, dark="#000000")
    return re.search(r' d="([^"]+)"', svg).group(1)


@pytest.mark.parametrize("text", ["https://verify.example.org/c/MNUMS-HD-2024-0001-ABCDEFGHJK", "x", "https://a.mn/" + "Z" * 120])
def test_the_drawing_calls_are_weasyprints_own(text):
    from irdocs.render.speedups.qr import draw_segno_path

    data = _segno_path(text)
    stream, node = _stream(), _Node(data)
    assert draw_segno_path(stream, node.vertices, data)
    written, vertices = _weasyprints_own(data)
    assert stream.stream == written and len(written) > 50  # the same bytes: b"0 0 m", b"7 0.5 l"...
    assert node.vertices == vertices


@pytest.mark.parametrize("data", ["M0 0.5h7c1 1 2 2 3 3", "M0 0h7z", "M0 0.5h7 8", "m0 0.5h7", ""])
def test_other_paths_are_left_to_weasyprint(data):
    from irdocs.render.speedups.qr import draw_segno_path

    stream = _stream()
    assert not draw_segno_path(stream, [], data)
    assert stream.stream == []


def test_certificates_are_byte_identical_with_the_qr_path_drawn_directly(tmp_path, sample_records):
    ids = [sample_records.honorees[0].id, sample_records.honorees[-1].id]
    direct_state, direct = render_certificates_apart(tmp_path / "direct", ids, "irdocs.render.speedups.qr")
    parsed_state, parsed = render_certificates_apart(tmp_path / "parsed", ids, "irdocs.render.speedups.qr", "IRDOCS_PARSE_QR_PATHS")
    assert (direct_state, parsed_state) == ("installed", "not installed")
    assert sorted(direct) == sorted(ids)
    assert direct == parsed


def test_the_data_mask_chosen_is_segnos_own():
    """segno's eight masks applied a row at a time: for 600 addresses of every length a certificate
    has (and error levels, sizes up to version 10), the same mask and the same modules."""
    code = """
import random, sys
import segno
from segno import encoder
texts = [f"https://verify.example.org/c/MNUMS-HD-{2000 + n % 27}-{n:04d}-" + "".join(random.Random(n).choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=10)) for n in range(500)]
texts += ["x" * n for n in range(1, 201, 2)]
def codes():
    return [(q.mask, q.matrix) for t in texts for q in [segno.make(t, error="m", micro=False)]]
before = codes()
from irdocs.render.speedups import install_all
install_all()
assert encoder.find_and_apply_best_mask.__module__ == "irdocs.render.speedups.qr"
after = codes()
print(len(before), sum(a == b for a, b in zip(before, after)), len({m for m, _ in after}), max(len(x) for _, x in after))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, same, masks, size = map(int, done.stdout.split())
    assert count == same == 600 and masks == 8 and size >= 57  # every mask chosen somewhere; up to version 10
