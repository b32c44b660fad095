"""irdocs/render/speedups/pdfwrite.py: each stream of a PDF is compressed once, and the PDFs are the same bytes."""

from __future__ import annotations

import zlib

from conftest import REPO, SAMPLE, render_certificates_apart


def test_certificates_are_byte_identical_with_streams_compressed_once(tmp_path, sample_records):
    with_cjk = [h.id for h in sample_records.honorees if h.native_name and h.country in ("JP", "KR")][:2]
    ids = [*with_cjk, sample_records.honorees[2].id]
    once_state, once = render_certificates_apart(tmp_path / "once", ids, "irdocs.render.speedups.pdfwrite")
    twice_state, twice = render_certificates_apart(tmp_path / "twice", ids, "irdocs.render.speedups.pdfwrite", "IRDOCS_COMPRESS_TWICE")
    assert (once_state, twice_state) == ("installed", "not installed")
    assert sorted(once) == sorted(set(ids))
    assert once == twice


def test_each_stream_is_compressed_once(monkeypatch):
    from irdocs.render import PdfRenderer
    from irdocs.render.speedups import install_all, pdfwrite

    install_all()
    renderer = PdfRenderer(REPO / "templates" / "certificates", SAMPLE)
    assert pdfwrite.installed()
    calls: list[int] = []
    original = zlib.compressobj

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    try:
        document = renderer.render_document("<p style=\"font-family: 'Noto Serif'\">Сайн байна уу, 山田 太郎</p>")
        monkeypatch.setattr(zlib, "compressobj", counted)
        data = renderer.write_pdf(document, "pdfwrite test")
    finally:
        renderer.close()
    # one compression per compressed stream in the file (fonts, their maps, the page, the PDF/A parts)
    assert len(calls) == data.count(b"/FlateDecode") > 5


def test_the_change_is_in_place_on_the_installed_weasyprint():
    """Fails after a pydyf upgrade that changed what pdfwrite.py replaces: check it (this file's
    tests), then update its CHECKED_SOURCES."""
    from irdocs.render.speedups.pdfwrite import install, installed

    assert install() and installed()


def test_numbers_are_written_as_pydyf_writes_them():
    import math
    import random

    import pydyf

    from irdocs.render.speedups.pdfwrite import _fast_to_bytes

    original = getattr(pydyf._to_bytes, "original", pydyf._to_bytes)  # pydyf's own, installed or not
    fast = _fast_to_bytes(original)
    rng = random.Random(7)
    values = [rng.uniform(-1000, 1000) for _ in range(2000)] + [rng.randint(-(10**9), 10**9) for _ in range(200)]
    values += [0.0, -0.0, 1.0, -1.0, 0.5, 1e-7, 1e20, 123456789.0, math.nan, math.inf, -math.inf, True, False, 0, -5, 2**70]
    values += [b"/Name", "text", pydyf.Dictionary({"A": 1}), pydyf.Array([1, 2.5])]
    for value in values + values:  # twice: the second time from what was kept
        assert fast(value) == original(value), value
