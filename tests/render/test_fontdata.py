"""irdocs/render/speedups/fontdata.py: WeasyPrint reads font files only when it needs them, and the PDFs are the same."""

from __future__ import annotations

import io

from conftest import REPO, SAMPLE, one_of_each_cjk_face, render_certificates_apart
from pypdf import PdfReader


def test_certificates_are_byte_identical_with_fonts_read_lazily(tmp_path, sample_records):
    ids = [*one_of_each_cjk_face(sample_records), sample_records.honorees[0].id]
    assert len(ids) == 5  # names in the Japanese, Korean, Simplified and Traditional Chinese faces, and one more
    lazy_state, lazy = render_certificates_apart(tmp_path / "lazy", ids, "irdocs.render.speedups.fontdata")
    eager_state, eager = render_certificates_apart(tmp_path / "eager", ids, "irdocs.render.speedups.fontdata", "IRDOCS_EAGER_FONT_FILES")
    assert (lazy_state, eager_state) == ("installed", "not installed")
    assert sorted(lazy) == sorted(set(ids))
    assert lazy == eager


def test_the_change_is_in_place_on_the_installed_weasyprint():
    """Fails after a WeasyPrint upgrade that changed what fontdata.py replaces: check it, then update
    its CHECKED_SOURCES (or drop the module if WeasyPrint no longer copies fonts)."""
    from irdocs.render.speedups.fontdata import install, installed

    assert install() and installed()


def test_a_font_is_read_only_when_asked_for():
    from irdocs.render import PdfRenderer
    from irdocs.render.speedups import fontdata, install_all

    install_all()

    renderer = PdfRenderer(REPO / "templates" / "certificates", SAMPLE, pdf_variant=None)
    document = renderer.render_document("<p style=\"font-family: 'Noto Serif CJK JP'\">山田 太郎</p>")
    from weasyprint.pdf.fonts import Font

    seen: list[object] = []
    original = Font.subset

    def subset(self, to_unicode, hinting):
        seen.append(self.__dict__["_irdocs_file_content"])  # before subsetting: not read yet
        return original(self, to_unicode, hinting)

    Font.subset = subset
    try:
        data = renderer.write_pdf(document, "fontdata test")
    finally:
        Font.subset = original
        renderer.close()
    assert seen and all(isinstance(value, fontdata._Unread) for value in seen)
    page = PdfReader(io.BytesIO(data)).pages[0]
    fonts = [str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()]
    assert any(name.endswith("+Noto-Serif-CJK-JP") for name in fonts), fonts
    assert "山田 太郎" in page.extract_text()
