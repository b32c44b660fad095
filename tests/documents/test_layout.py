"""Every page of the sample's documents, rendered and checked against the layout rules a program can
see (issue 15; the rules are in tests/documents/layout.py): no page with under three lines of text, no table
header in the last 10 % of a page, no text outside the printable area, no heading leaving one word
alone on its last line. The fact sheets in English and Mongolian (PDF, and the Word versions
converted by LibreOffice for the department), the four sample certificates, and agreement drafts
of each kind converted by LibreOffice.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.documents.layout import problems
from tests.documents.test_certificates import SAMPLES, issued, pdf_of  # noqa: F401  (issued: the fixture)
from tests.documents.test_factsheets import AS_OF, built  # noqa: F401  (built: the fixture)


@pytest.fixture(scope="module")
def mongolian_sheets(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from irdocs.cli import main

    out = tmp_path_factory.mktemp("sheets-mn")
    result = CliRunner().invoke(main, ["factsheet", "--all", "--language", "mn", "--records", str(SAMPLE), "--out", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return out / "factsheets" / "mn"


def test_every_english_fact_sheet_page(built):  # noqa: F811
    found = [p for pdf in sorted(built["root"].rglob("*.pdf")) for p in problems(pdf)]
    assert found == [], "\n".join(found[:30])


def test_every_mongolian_fact_sheet_page(mongolian_sheets):
    found = [p for pdf in sorted(mongolian_sheets.rglob("*.pdf")) for p in problems(pdf)]
    assert found == [], "\n".join(found[:30])


def test_every_certificate_page(issued):  # noqa: F811
    found = [p for honoree_id in SAMPLES for p in problems(pdf_of(issued, honoree_id))]
    assert found == [], "\n".join(found)


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="LibreOffice is needed")
def test_word_versions_converted_by_libreoffice(built, mongolian_sheets, tmp_path):  # noqa: F811
    """The Word files as the office opens them: the department sheet in both languages, and drafts
    of a two-party MoU, a three-party joint programme (bilingual) and a renewal."""
    import datetime as dt

    from irdocs.documents.agreements.kind import Drafter
    from irdocs.records.validate import load_records
    from irdocs.render.libreoffice import convert_to_pdf

    sources = []
    for name, path in (("department-en.docx", built["root"] / "department.docx"), ("department-mn.docx", mongolian_sheets / "department.docx")):
        shutil.copy(path, tmp_path / name)
        sources.append(tmp_path / name)
    records = load_records(SAMPLE, today=dt.date.fromisoformat(AS_OF))
    drafter = Drafter(records, draft_date=dt.date.fromisoformat(AS_OF))
    mou = next(a for a in records.agreements if a.kind == "mou" and len(a.partners) == 1)
    for name, agreement, language, renewal in (
        ("mou.docx", mou, "mn", False),
        ("two-plus-four.docx", records.agreements_by_id["human-medicine-2plus4-2021"], "en+mn", False),
        ("renewal.docx", mou, "en", True),
    ):
        (tmp_path / name).write_bytes(drafter.render(agreement, language, renewal=renewal))
        sources.append(tmp_path / name)
    pdfs = convert_to_pdf(sources, tmp_path / "pdf")
    found = [p for pdf in pdfs for p in problems(pdf)]
    assert found == [], "\n".join(found)
