"""Fact sheets handed to a delegation as they are (issue 15): each defect the issue quotes, read
from the sheets' contexts, their PDFs (pypdf, pdfplumber) and their Word files (python-docx)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import SAMPLE

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def records():
    from irdocs.records.validate import load_records

    return load_records(SAMPLE, today=AS_OF)


@pytest.fixture(scope="module")
def batches(records):
    from irdocs.documents.factsheets.kind import FactsheetBatch

    made = {language: FactsheetBatch(records, language, AS_OF) for language in ("en", "mn")}
    yield made
    for batch in made.values():
        batch.close()


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(re.sub(r"(?<=[^\W\d_])\u2010\s*\n\s*(?=[^\W\d_])", "", text).split())


def test_the_history_does_not_repeat_itself(batches):
    from irdocs.documents.factsheets.kind import Sheet

    for language in ("en", "mn"):
        first, second = batches[language].context(Sheet("department"))["history"]["paragraphs"]
        assert "1942" in first and "1942" in second
        # the second paragraph tells of the first teachers and students; the first does not again
        assert not re.search(r"students|оюутн", first), first


def test_other_countries_read_naturally_in_mongolian(batches):
    from irdocs.documents.factsheets.kind import Sheet

    context = batches["mn"].context(Sheet("department"))
    alt = context["partners"]["chart"]["alt"]
    assert re.search(r"бусад \d+ улс", alt), alt
    assert not re.search(r"\d+ бусад улс", alt), alt


def test_mongolian_texts_use_mongolian_quotes(batches, records):
    from irdocs.documents.factsheets.kind import Sheet

    partner = next(p for p in records.partners if p.id == "tianjin-university-of-tcm")
    events = [e["text"] for e in batches["mn"].context(Sheet("partner", partner.id))["timeline"]]
    programme = [e for e in events if "хөтөлбөр эхэлсэн" in e]
    assert programme and all("«" in e and "“" not in e and '"' not in e for e in programme), programme


@pytest.mark.parametrize("language", ["en", "mn"])
def test_a_figure_that_is_zero_is_left_out(batches, records, language):
    from irdocs.documents.factsheets.kind import Sheet

    partner_id = "harvard-medical-school"  # no honorary title
    context = batches[language].context(Sheet("partner", partner_id))
    assert context["key_figures"], context
    assert all(figure["value"] not in ("0", "—") for figure in context["key_figures"]), context["key_figures"]
    text = _pdf_text(batches[language].pdf_bytes(Sheet("partner", partner_id)))
    assert not re.search(r"\b0 (honorary titles|joint programmes|хүндэт цол)", text)


def test_a_partner_without_titles_has_no_titles_section_and_no_page_of_its_own(batches):
    from irdocs.documents.factsheets.kind import Sheet

    for partner_id in ("harvard-medical-school", "midorikawa-medical-university"):
        data = batches["en"].pdf_bytes(Sheet("partner", partner_id))
        text = _pdf_text(data)
        assert "No honorary title" not in text and "Honorary titles to people from the organization" not in text


def test_the_by_country_table_has_one_total_under_its_columns(batches):
    import io

    from docx import Document

    from irdocs.documents.factsheets.kind import Sheet

    document = Document(io.BytesIO(batches["en"].docx_bytes(Sheet("department"))))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Country")
    assert len(table.columns) == 3
    assert [c.text for c in table.rows[-1].cells] == ["Total", "121", "195"]
    text = _pdf_text(batches["en"].pdf_bytes(Sheet("department")))
    assert text.count("Total 121 195") == 1


def test_the_mastheads_university_keeps_its_last_words_together(batches):
    from irdocs.documents.factsheets.kind import Sheet

    for language in ("en", "mn"):
        data = batches[language].pdf_bytes(Sheet("department"))
        import io

        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            lines = pdf.pages[0].extract_text().splitlines()
        assert "Sciences" not in lines and "Сургууль" not in lines, lines[:4]


def test_the_word_department_sheet_keeps_its_contact_box_with_the_staff_table(batches):
    """The Word version had a 4th page holding only the contact box: now its table keeps with it."""
    import io

    from docx import Document

    from irdocs.documents.factsheets.kind import Sheet

    document = Document(io.BytesIO(batches["en"].docx_bytes(Sheet("department"))))
    staff = next(t for t in document.tables if t.rows[0].cells[0].text == "Position")
    assert all(p.paragraph_format.keep_with_next for row in staff.rows for cell in row.cells for p in cell.paragraphs)
    body = document.element.body
    after = staff._tbl.getnext()
    assert after is not None and after.tag.endswith("}p")
    from docx.text.paragraph import Paragraph

    assert Paragraph(after, document).paragraph_format.keep_with_next
    assert document.styles["Normal"].paragraph_format.widow_control
    assert document.styles["Heading 1"].paragraph_format.keep_with_next
    del body


# --------------------------------------------------------------------------- languages


def test_the_build_makes_every_sheet_in_english_and_mongolian(records):
    from irdocs.documents.document import Settings
    from irdocs.documents.factsheets.kind import KIND

    names = {document.name for document in KIND.plan(records, Settings(date=AS_OF), lambda tags: True)}
    for name in ("department", "countries/jp", "partners/tianjin-university-of-tcm"):
        for extension in ("pdf", "docx"):
            assert f"factsheets/{name}.{extension}" in names
            assert f"factsheets/mn/{name}.{extension}" in names


def test_a_delegation_language_makes_country_and_partner_sheets(records):
    from irdocs.documents.document import Settings
    from irdocs.documents.factsheets.kind import KIND

    names = {document.name for document in KIND.plan(records, Settings(date=AS_OF, languages=("ja", "ru")), lambda tags: True)}
    assert "factsheets/ja/countries/jp.pdf" in names and "factsheets/ru/partners/tianjin-university-of-tcm.docx" in names
    assert "factsheets/ja/department.pdf" not in names


@pytest.mark.parametrize(
    "language, sheet, expected",
    [
        ("ja", ("country", "JP"), ["ファクトシート", "2026年11月27日現在", "日本", "34機関", "協力機関"]),
        ("ko", ("country", "KR"), ["팩트 시트", "2026년 11월 27일 기준", "대한민국"]),
        ("zh-Hans", ("country", "CN"), ["概况", "截至2026年11月27日", "中国"]),
        ("zh-Hant", ("country", "TW"), ["概況", "截至2026年11月27日", "台灣"]),
        ("ru", ("partner", "tianjin-university-of-tcm"), ["СПРАВКА", "по состоянию на 27 ноября 2026 г.", "Китай", "Соглашение о совместной программе"]),
    ],
)
def test_a_sheet_in_the_delegations_language(records, language, sheet, expected):
    from irdocs.documents.factsheets.kind import FactsheetBatch, Sheet

    batch = FactsheetBatch(records, language, AS_OF)
    try:
        text = _pdf_text(batch.pdf_bytes(Sheet(*sheet)))
        docx = batch.docx_bytes(Sheet(*sheet))
    finally:
        batch.close()
    for words in expected:
        assert words in text, (words, text[:400])
    assert "{" not in text and len(docx) > 1000


def test_the_department_sheet_in_a_delegation_language_is_a_clear_error(tmp_path):
    from click.testing import CliRunner

    from irdocs.cli import main

    result = CliRunner().invoke(main, ["factsheet", "department", "--language", "ja", "--records", str(SAMPLE), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "English and Mongolian" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.pdf"))


def test_each_translation_is_marked_for_review_by_a_native_speaker():
    from tests.conftest import REPO

    for language in ("ja", "ko", "zh-Hans", "zh-Hant", "ru"):
        text = (REPO / "templates" / "factsheets" / f"texts.{language}.yaml").read_text(encoding="utf-8")
        assert "review: to be checked by a native speaker" in text


def test_the_previews_show_each_kind_in_each_language():
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = [f"factsheet-department-{lang}-1.png" for lang in ("en", "mn")]
    names += [f"factsheet-{kind}-{lang}.png" for kind in ("country", "partner") for lang in ("en", "mn", "ja", "ko", "zh-Hans", "zh-Hant", "ru")]
    names += ["certificate-honorary-doctorate.png", "certificate-honorary-professor.png", "certificate-visiting-professor.png"]
    names += ["agreement-mou.png", "agreement-mn.png", "agreement-en-mn.png"]
    for name in names:
        assert (REPO / "docs" / "previews" / name).is_file(), name
        assert f"docs/previews/{name}" in readme, name
