"""irdocs/fontdata.py: WeasyPrint reads font files only when it needs them, and the PDFs are the same."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLE
from pypdf import PdfReader

RENDER = """
import sys
from pathlib import Path
from irdocs.validate import load_records
from irdocs.certificates import CertificateMaker
from irdocs import fontdata

records = load_records(Path(sys.argv[1]))
maker = CertificateMaker(records.institution, records.root, Path(sys.argv[1]).parent / "templates" / "certificates")
out = Path(sys.argv[2])
for honoree in records.honorees:
    if honoree.id in sys.argv[3:]:
        (out / f"{honoree.id}.pdf").write_bytes(maker.pdf(honoree, "MNUMS-HD-2020-0001", "ABCDEFGHJK"))
print("installed" if fontdata.installed() else "eager")
"""


def _cjk_honorees(records) -> list[str]:
    """One honoree with a native name from each of Japan, Korea, China and Taiwan (each its own CJK face)."""
    chosen: dict[str, str] = {}
    for honoree in records.honorees:
        if honoree.native_name and honoree.country in ("JP", "KR", "CN", "TW"):
            chosen.setdefault(honoree.country, honoree.id)
    return list(chosen.values())


def _render(tmp_path: Path, name: str, ids: list[str], eager: bool) -> tuple[str, dict[str, bytes]]:
    out = tmp_path / name
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "IRDOCS_EAGER_FONT_FILES"}
    if eager:
        env["IRDOCS_EAGER_FONT_FILES"] = "1"
    done = subprocess.run([sys.executable, "-c", RENDER, str(SAMPLE), str(out), *ids], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip(), {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


def test_certificates_are_byte_identical_with_fonts_read_lazily(tmp_path, sample_records):
    ids = [*_cjk_honorees(sample_records), sample_records.honorees[0].id]
    assert len(ids) == 5  # names in the Japanese, Korean, Simplified and Traditional Chinese faces, and one more
    lazy_state, lazy = _render(tmp_path, "lazy", ids, eager=False)
    eager_state, eager = _render(tmp_path, "eager", ids, eager=True)
    assert (lazy_state, eager_state) == ("installed", "eager")
    assert sorted(lazy) == sorted(f"{i}.pdf" for i in set(ids))
    assert lazy == eager


def test_the_change_is_in_place_on_the_installed_weasyprint():
    """Fails after a WeasyPrint upgrade that fontdata.py was not checked against: check it, then
    add the release to CHECKED_RELEASES (or drop the module if WeasyPrint no longer copies fonts)."""
    from irdocs.fontdata import install, installed
    from irdocs.render import PdfRenderer

    PdfRenderer(SAMPLE.parent / "templates" / "certificates", SAMPLE).close()
    assert install() and installed()


def test_a_font_is_read_only_when_asked_for():
    from irdocs import fontdata
    from irdocs.render import PdfRenderer

    renderer = PdfRenderer(SAMPLE.parent / "templates" / "certificates", SAMPLE, pdf_variant=None)
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
