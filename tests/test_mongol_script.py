"""The Mongol script beside the Cyrillic on certificates (issue 16), read from the PDF: the font
embedded, the text in logical order, the glyphs turned into vertical columns running left to right,
and the rendered heading compared with a reference image reviewed by eye."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_certificates import issued, pdf_of  # noqa: F401  (issued: the fixture)

REFERENCE = REPO / "tests" / "reference" / "mongol-heading-honorary-doctorate.png"
#: the left band of the page (mm: left, top, right, bottom), where the university's name stands
BAND_MM = (18, 30, 32, 150)


def _wording():
    from irdocs.certificate_context import mongol_columns, wording

    texts = wording()
    return mongol_columns(texts, "mongol_script", "university"), mongol_columns(texts, "mongol_script", "titles", "honorary-doctorate")


def _mongol_chars(path: Path) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [c for c in pdf.pages[0].chars if "\u1800" <= c["text"] <= "\u18af"]


def test_the_mongolian_font_is_embedded(issued):  # noqa: F811
    fonts = subprocess.run(["pdffonts", str(pdf_of(issued, "hd-2024-001"))], capture_output=True, text=True, check=True).stdout
    line = next((row for row in fonts.splitlines() if "Mongolian" in row), "")
    assert line, fonts
    assert line.split()[-5:-2] == ["yes", "yes", "yes"]  # embedded, subset, with its Unicode map


def test_the_text_copies_out_in_logical_order(issued):  # noqa: F811
    university, title = _wording()
    letters = "".join(c["text"] for c in _mongol_chars(pdf_of(issued, "hd-2024-001")))
    expected = "".join(ch for ch in "".join(university + title) if not ch.isspace() and ch != "\u202f")
    assert letters == expected


def test_the_glyphs_are_turned_into_columns_running_left_to_right(issued):  # noqa: F811
    university, _ = _wording()
    chars = _mongol_chars(pdf_of(issued, "hd-2024-001"))
    assert chars and all(not c["upright"] for c in chars)
    assert all(abs(c["matrix"][0]) < 1e-6 and c["matrix"][1] < 0 for c in chars)  # turned a quarter clockwise
    columns: list[list[dict]] = []
    for char in chars:
        if columns and abs(columns[-1][0]["x0"] - char["x0"]) < 1:
            columns[-1].append(char)
        else:
            columns.append([char])
    left = columns[: len(university)]
    for column in left:
        width = max(c["x1"] for c in column) - min(c["x0"] for c in column)
        height = max(c["bottom"] for c in column) - min(c["top"] for c in column)
        assert height > 4 * width
        tops = [c["top"] for c in column]
        assert tops == sorted(tops)  # top to bottom
    assert [col[0]["x0"] for col in left] == sorted(col[0]["x0"] for col in left)  # left to right


def test_the_heading_looks_like_the_reviewed_reference(issued, tmp_path):  # noqa: F811
    """A WeasyPrint or font change that breaks joining or orientation changes these pixels."""
    from PIL import Image, ImageChops, ImageStat

    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf_of(issued, "hd-2024-001")), str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png").convert("L")
    band = page.crop(tuple(round(v / 25.4 * 100) for v in BAND_MM))
    reference = Image.open(REFERENCE).convert("L")
    assert band.size == reference.size
    difference = ImageStat.Stat(ImageChops.difference(band, reference)).mean[0]
    assert difference < 4, f"the Mongol-script heading differs from the reference by {difference:.1f} grey levels on average"
    # the comparison would see a column that is not turned: the same band with the text upright differs a lot
    turned = reference.rotate(90, expand=False, fillcolor=255)
    assert ImageStat.Stat(ImageChops.difference(turned, reference)).mean[0] > 4


def test_a_mongol_script_text_in_another_script_is_a_file_line_error(tmp_path):
    import shutil

    from irdocs.certificate_context import wording
    from irdocs.errors import TemplateError

    designs = tmp_path / "certificates"
    shutil.copytree(REPO / "templates" / "certificates", designs)
    path = designs / "wording.yaml"
    text = path.read_text(encoding="utf-8").replace("mn-Mong: ᠬᠦᠨᠳᠦᠲᠦ ᠳᠣᠺᠲᠣᠷ", "mn-Mong: Хүндэт доктор")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "mn-Mong: Хүндэт доктор" in row)
    with pytest.raises(TemplateError) as caught:
        wording(designs)
    assert f"wording.yaml:{line}:" in str(caught.value) and "Mongol script" in str(caught.value)


def test_the_mongolian_fact_sheet_carries_the_mongol_script_masthead():
    import datetime as dt
    import io

    import pdfplumber

    from irdocs.factsheets import FactsheetBatch, Sheet
    from irdocs.validate import load_records
    from tests.conftest import SAMPLE

    university, _ = _wording()
    records = load_records(SAMPLE, today=dt.date(2026, 11, 27))
    found = {}
    for language in ("mn", "en"):
        batch = FactsheetBatch(records, language, dt.date(2026, 11, 27))
        try:
            data = batch.pdf_bytes(Sheet("department"))
        finally:
            batch.close()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            found[language] = "".join(c["text"] for c in pdf.pages[0].chars if "\u1800" <= c["text"] <= "\u18af")
    assert found["mn"] == "".join(ch for ch in "".join(university) if not ch.isspace() and ch != "\u202f")
    assert found["en"] == ""


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is needed")
def test_the_mongolian_word_draft_carries_the_vertical_heading_in_word_text(tmp_path):
    """Word's own vertical text (a table cell per column, text direction top to bottom), so the office
    can still edit it; LibreOffice's PDF shows it turned, in logical order, columns left to right.
    An English draft has none."""
    import datetime as dt

    import pdfplumber
    from docx import Document
    from docx.oxml.ns import qn

    from irdocs.agreements import Drafter
    from irdocs.office import convert_to_pdf
    from irdocs.validate import load_records
    from tests.conftest import SAMPLE

    university, _ = _wording()
    records = load_records(SAMPLE, today=dt.date(2026, 11, 27))
    drafter = Drafter(records, draft_date=dt.date(2026, 11, 27))
    mou = next(a for a in records.agreements if a.kind == "mou")
    files = []
    for language in ("mn", "en", "en+mn"):
        path = tmp_path / f"draft-{language}.docx"
        path.write_bytes(drafter.render(mou, language))
        files.append(path)
    heading = Document(str(files[0])).tables[0]
    assert [c.text for c in heading.rows[0].cells] == university
    assert heading.rows[0].cells[0]._tc.tcPr.find(qn("w:textDirection")).get(qn("w:val")) == "tbRl"
    expected = "".join(ch for ch in "".join(university) if not ch.isspace() and ch != "\u202f")
    for pdf in convert_to_pdf(files, tmp_path / "pdf"):
        with pdfplumber.open(str(pdf)) as document:
            chars = [c for c in document.pages[0].chars if "\u1800" <= c["text"] <= "\u18af"]
        if pdf.stem == "draft-en":
            assert chars == []
            continue
        assert "".join(c["text"] for c in chars) == expected, pdf.name
        assert all(not c["upright"] for c in chars)
        first, last = chars[0], chars[-1]
        assert first["x0"] < last["x0"]  # the second column stands right of the first
