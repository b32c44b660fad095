"""Fact sheets: the department, each country, each partner, in PDF and DOCX, every figure from stats.

One session fixture writes every sheet once (``irdocs factsheet --all``, about half a minute);
the tests read those files the way a person would: the PDF's text, the DOCX's paragraphs and tables.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE

AS_OF = "2026-11-27"
TEMPLATES = REPO / "templates" / "factsheets"


# --------------------------------------------------------------------------- helpers


def pdf_text(path: Path) -> str:
    """All the text of a PDF, with every run of white space made one space and words hyphenated at a
    line's end joined again (the sheets are hyphenated: WeasyPrint ends such a line with U+2010)."""
    import re

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return " ".join(re.sub(r"(?<=[^\W\d_])\u2010\s*\n\s*(?=[^\W\d_])", "", text).split())


def docx_blocks(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph of a DOCX in reading order, table cells included."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    blocks: list[tuple[str, str]] = []

    def walk(parent, container):
        for child in container.iterchildren():
            if child.tag.endswith("}p"):
                paragraph = Paragraph(child, parent)
                blocks.append((paragraph.style.name, paragraph.text))
            elif child.tag.endswith("}tbl"):
                table = Table(child, parent)
                for row in table.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        walk(cell, cell._tc)

    walk(document, document.element.body)
    return blocks


def docx_text(path: Path) -> str:
    return " ".join(" ".join(text for _, text in docx_blocks(path)).split())


class WarningLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every fact sheet of the sample records, written once by the CLI; the WeasyPrint log is kept."""
    from click.testing import CliRunner

    from irdocs.cli import main

    out = tmp_path_factory.mktemp("factsheets")
    log = WarningLog()
    logging.getLogger("weasyprint").addHandler(log)
    try:
        result = CliRunner().invoke(main, ["factsheet", "--all", "--records", str(SAMPLE), "--out", str(out), "--as-of", AS_OF], catch_exceptions=False)
    finally:
        logging.getLogger("weasyprint").removeHandler(log)
    assert result.exit_code == 0, result.output
    return {"root": out / "factsheets", "output": result.stdout, "warnings": log.messages}


@pytest.fixture(scope="session")
def records():
    from irdocs.records.validate import load_records

    return load_records(SAMPLE, today=dt.date.fromisoformat(AS_OF))


@pytest.fixture(scope="session")
def department_pdf_text(built):
    return pdf_text(built["root"] / "department.pdf")


# --------------------------------------------------------------------------- the department


SEED_SENTENCES = [
    "34 organizations from Japan, 18 from South Korea, 17 from China, 12 from the United States, 9 from Taiwan, 8 from Russia, 5 from Türkiye",
    "more than 120 organizations from a total of 22 countries",
    "Since 1978 the university has awarded 195 titles (37 honorary doctorates, 98 honorary professors, and 60 visiting professors) to representatives of 20 countries, 57 from Japan, 29 from South Korea, and 8 from China.",
    "was founded in 1942",
    "V. S. Kudryashov (First Deputy Director in charge of education) and V. N. Topolsky (Dean of the Human Medical Faculty)",
    "24 Mongolian students and 10 Russian students",
]


@pytest.mark.parametrize("sentence", SEED_SENTENCES)
def test_department_pdf_tells_the_seed_figures_as_sentences(department_pdf_text, sentence):
    assert sentence in department_pdf_text


@pytest.mark.parametrize("figure", ["34 organizations from Japan", "195 titles", "37 honorary doctorates", "22 countries", "20 countries"])
def test_department_pdf_has_each_published_figure(department_pdf_text, figure):
    assert figure in department_pdf_text


def test_department_figures_come_from_stats(department_pdf_text, records):
    from irdocs.records.stats import overview

    figures = overview(records)
    assert f"{figures.agreements_signed} agreements signed since {figures.first_agreement_year}: {figures.agreements_active} in force" in department_pdf_text
    assert f"{figures.partner_organizations} partner organizations in {figures.partner_countries} countries" in department_pdf_text


def test_department_achievements_newest_first_and_staff(department_pdf_text, records):
    from irdocs.records.stats import highlights

    texts = [a.highlight for a in highlights(records)]
    positions = [department_pdf_text.index(" ".join(t.split())) for t in texts]
    assert positions == sorted(positions)
    assert texts[-1].startswith("Cooperation with Yonsei University")
    for person in records.institution.staff:
        assert person.name in department_pdf_text and person.role in department_pdf_text


def test_department_has_two_to_four_pages(built):
    from pypdf import PdfReader

    assert 2 <= len(PdfReader(str(built["root"] / "department.pdf")).pages) <= 4


def test_department_docx_has_the_same_content_in_the_same_order_with_word_styles(built, department_pdf_text):
    blocks = docx_blocks(built["root"] / "department.docx")
    text = docx_text(built["root"] / "department.docx")
    for sentence in SEED_SENTENCES:
        assert sentence in text
    styles = {style for style, _ in blocks}
    assert {"Title", "Heading 1", "Heading 2", "Caption", "Lead"} <= styles
    headings = [text for style, text in blocks if style == "Heading 1"]
    assert headings == ["History", "Partner organizations", "Agreements", "Honorary titles", "By country", "Recent achievements", "Staff"]
    positions = [department_pdf_text.index(heading) for heading in headings]
    assert positions == sorted(positions), "the PDF shows the sections in the DOCX's order"
    from docx import Document

    assert {table.style.name for table in Document(str(built["root"] / "department.docx")).tables} >= {"Fact Sheet Table"}


def test_a_partner_added_in_japan_makes_35(scratch_sample, run):
    with (scratch_sample / "partners.yaml").open("a", encoding="utf-8") as file:
        file.write("\n  - id: kansai-test-university\n    name: Kansai Test University\n    kind: university\n    country: JP\n    city: Osaka\n")
    with (scratch_sample / "agreements.yaml").open("a", encoding="utf-8") as file:
        file.write(
            "\n  - id: kansai-test-university-2025\n    kind: mou\n    title: MoU with Kansai Test University\n"
            "    partners: [kansai-test-university]\n    status: active\n    signed_on: 2025-03-01\n    duration_years: 5\n    areas: [education]\n"
        )
    result = run("factsheet", "department", "--records", "records", "--out", "out", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = pdf_text(scratch_sample.parent / "out" / "factsheets" / "department.pdf")
    assert "35 organizations from Japan, 18 from South Korea" in text
    assert "122 partner organizations in 22 countries" in text
    assert "35 organizations from Japan" in docx_text(scratch_sample.parent / "out" / "factsheets" / "department.docx")


def test_mongolian_department_sheet(tmp_path, run):
    result = run("factsheet", "department", "--language", "mn", "--records", str(SAMPLE), "--out", str(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "factsheets" / "mn" / "department.pdf")
    assert "Нийт 22 улсын 120 гаруй байгууллагатай" in text
    assert "Япон 34, Өмнөд Солонгос 18, Хятад 17, Америкийн Нэгдсэн Улс 12" in text
    assert "нийт 195 хүндэт цол олгосон: 37 хүндэт доктор, 98 хүндэт профессор, 60 зочин профессор" in text
    assert "Япон 57, Өмнөд Солонгос 29, Хятад 8" in text
    assert "organizations" not in text and "Fact sheet" not in text
    assert "Гадаад харилцааны хэлтэс" in docx_text(tmp_path / "factsheets" / "mn" / "department.docx")


# --------------------------------------------------------------------------- every country and partner


def test_a_sheet_for_every_partner_country_and_partner(built, records):
    from irdocs.records.stats import partner_countries, partner_organizations

    root = built["root"]
    countries = {path.name for path in (root / "countries").iterdir()}
    partners = {path.name for path in (root / "partners").iterdir()}
    assert countries == {f"{code.lower()}.{ext}" for code in partner_countries(records) for ext in ("pdf", "docx")}
    assert partners == {f"{pid}.{ext}" for pid in partner_organizations(records) for ext in ("pdf", "docx")}
    assert len(countries) == 2 * 22 and len(partners) == 2 * 121
    for path in [*(root / "countries").iterdir(), *(root / "partners").iterdir()]:
        head = path.read_bytes()[:4]
        assert head == (b"%PDF" if path.suffix == ".pdf" else b"PK\x03\x04"), path
    assert "288 files in " in built["output"]


@pytest.mark.parametrize("code", ["JP", "AT"])
def test_country_sheets_match_stats(built, records, code):
    from irdocs.localize import country_name
    from irdocs.records.stats import country_figures

    figures = country_figures(records, code)
    name = country_name(code)
    pdf = pdf_text(built["root"] / "countries" / f"{code.lower()}.pdf")
    docx = docx_text(built["root"] / "countries" / f"{code.lower()}.docx")
    organizations = f"{figures.partner_organizations} organization{'s' if figures.partner_organizations != 1 else ''}"
    agreements = f"{figures.agreements_signed} agreement{'s' if figures.agreements_signed != 1 else ''}"
    sentence = f"The university cooperates with {organizations} in {name}: {agreements} since {figures.first_year}, the latest in {figures.latest_year}; {figures.agreements_active} in force."
    kinds = [f"{n} {kind.replace('-', ' ')}{'s' if n != 1 else ''}" for kind, n in figures.titles_by_kind.items() if n]
    for text in (pdf, docx):
        assert sentence in text
        assert f"have received {figures.titles} honorary titles" in text
        for phrase in kinds:
            assert phrase in text
        for partner_id in figures.partners:
            assert records.partners_by_id[partner_id].name in text
        for agreement_id, _end in figures.expiring:
            partner = records.agreements_by_id[agreement_id].partners[0]
            assert f"{records.partners_by_id[partner].name}:" in text
    rows = [
        t
        for s, t in docx_blocks(built["root"] / "countries" / f"{code.lower()}.docx")
        if s == "Table Text" and t in {"MoU", "Cooperation", "Joint programme", "Exchange", "Funded project"}
    ]
    assert len(rows) == figures.agreements_signed


@pytest.mark.parametrize("partner_id", ["yonsei-university", "tianjin-university-of-tcm"])
def test_partner_sheets_match_stats(built, records, partner_id):
    from irdocs.records.stats import partner_figures

    partner = records.partners_by_id[partner_id]
    figures = partner_figures(records, partner_id)
    pdf = pdf_text(built["root"] / "partners" / f"{partner_id}.pdf")
    docx = docx_text(built["root"] / "partners" / f"{partner_id}.docx")
    agreements = f"{figures.agreements_signed} agreement{'s' if figures.agreements_signed != 1 else ''}"
    for text in (pdf, docx):
        assert f"{partner.name} has been a partner of the Mongolian National University of Medical Sciences since {figures.first_year}: {agreements}" in text
        for honoree_id in figures.honorees:
            assert records.honorees_by_id[honoree_id].display_name in text
        for agreement_id in figures.agreements:
            agreement = records.agreements_by_id[agreement_id]
            assert " ".join(agreement.title.split()) in text
            for programme in agreement.programmes:
                assert programme.name in text
    if partner.native_name:
        assert partner.native_name in docx


# --------------------------------------------------------------------------- charts, quality, determinism


def test_pdf_charts_are_vector_drawings(built):
    from pypdf import PdfReader

    page = PdfReader(str(built["root"] / "department.pdf")).pages[0]
    content = page.get_contents().get_data()
    assert b" re\n" in content and b" l\n" in content, "the bars are path operators in the page content"
    forms = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    assert forms and all(x["/Subtype"] == "/Form" for x in forms), "no raster image: the SVG's labels are vector forms"
    assert "Partner organizations" in pdf_text(built["root"] / "department.pdf")


def test_docx_charts_are_png_images(built):
    from PIL import Image

    with zipfile.ZipFile(built["root"] / "department.docx") as docx:
        media = [name for name in docx.namelist() if name.startswith("word/media/") and name.endswith(".png")]
        assert len(media) >= 4  # the emblem and three charts
        sizes = [Image.open(docx.open(name)).size for name in media]
    assert max(width for width, _ in sizes) >= 1300, "about 200 dpi across 17 cm"


def test_no_weasyprint_warning(built):
    assert built["warnings"] == []


def test_every_tested_docx_opens_in_python_docx(built):
    from docx import Document

    for stem in ["department", "countries/jp", "countries/at", "partners/yonsei-university", "partners/tianjin-university-of-tcm"]:
        document = Document(str(built["root"] / f"{stem}.docx"))
        assert document.paragraphs and document.core_properties.title


def test_a_docx_converts_with_libreoffice(built, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (make test installs it: apt-get install libreoffice-writer-nogui)"
    source = tmp_path / "jp.docx"
    shutil.copy(built["root"] / "countries" / "jp.docx", source)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = pdf_text(tmp_path / "jp.pdf")
    assert "The university cooperates with 34 organizations in Japan" in text


def make_sheets(records, sheets, folder: Path) -> list[Path]:
    """Each sheet's PDF and DOCX made directly by the fact sheet renderer, in a fresh process' state."""
    from irdocs.documents.factsheets.kind import FactsheetBatch, sheet_path

    batch = FactsheetBatch(records, as_of=dt.date.fromisoformat(AS_OF))
    made = []
    for sheet in sheets:
        for extension, make in (("pdf", batch.pdf_bytes), ("docx", batch.docx_bytes)):
            path = sheet_path(folder, sheet, "en", extension)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(make(sheet))
            made.append(path)
    batch.close()
    return made


def test_identical_inputs_give_identical_bytes(built, records, tmp_path):
    from irdocs.documents.factsheets.kind import Sheet

    sheets = [Sheet("department"), Sheet("country", "JP"), Sheet("partner", "yonsei-university")]
    made = make_sheets(records, sheets, tmp_path)
    assert len(made) == 6
    for path in made:
        assert path.read_bytes() == (built["root"] / path.relative_to(tmp_path / "factsheets")).read_bytes(), path


def test_charts_are_deterministic_and_labelled():
    from irdocs.documents.factsheets import charts

    def draw():
        return charts.horizontal_bars([("Япон", 34), ("Хятад", 17)], "Байгууллага", "Улс", "mn", "test")

    first, second = draw(), draw()
    assert first.svg == second.svg and first.png == second.png
    svg = first.svg.decode("utf-8")
    assert "Байгууллага" in svg and "Япон" in svg and ">34<" in svg
    # the bars are to scale: 34 is twice as long as 17
    import io
    import re

    bars = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="#1d3f72"/>', svg)]
    assert len(bars) == 2 and abs(bars[0] / bars[1] - 2) < 0.01, bars
    from PIL import Image

    png = Image.open(io.BytesIO(first.png))
    assert png.size[0] == round(170 / 25.4 * 200), "17 cm at 200 dpi"
    navy = sum(count for count, colour in png.convert("RGB").getcolors(1 << 20) if colour == (0x1D, 0x3F, 0x72))
    assert navy > 10_000, "the bars are drawn in the PNG too"


def test_templates_hold_no_typed_in_number():
    """Templates place texts; every number comes from the context (Jinja tags may index a list)."""
    from docx import Document

    for path in TEMPLATES.glob("*.html"):
        text = re.sub(r"<[^>]*>", "", re.sub(r"\{[{%].*?[%}]\}", "", path.read_text(encoding="utf-8")))
        assert not re.search(r"\d", text), f"{path.name} has a number of its own"
    for path in TEMPLATES.glob("*.docx"):
        document = Document(str(path))
        texts = [p.text for p in document.paragraphs] + [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
        stripped = re.sub(r"\{[{%].*?[%}]\}", "", " ".join(texts))
        assert not re.search(r"\d", stripped), f"{path.name} has a number of its own"


def test_the_template_builder_writes_word_templates_that_build(tmp_path, records):
    """tools/make_factsheet_templates.py still writes usable templates. The shipped ones may differ from
    its output: the office edits them in Word (tests/documents/test_wording_files.py), so no byte is pinned."""
    import importlib.util

    from docx import Document

    from irdocs.documents.factsheets.kind import FactsheetBatch, Sheet

    spec = importlib.util.spec_from_file_location("builder", REPO / "tools" / "make_factsheet_templates.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    builder.main(templates / "factsheets")
    batch = FactsheetBatch(records, "en", dt.date.fromisoformat(AS_OF), templates)
    try:
        for sheet in (Sheet("department"), Sheet("country", "JP"), Sheet("partner", records.partners[0].id)):
            (tmp_path / "sheet.docx").write_bytes(batch.docx_bytes(sheet))
            assert not any("{{" in p.text for p in Document(str(tmp_path / "sheet.docx")).paragraphs)
    finally:
        batch.close()


# --------------------------------------------------------------------------- wording and errors


@pytest.mark.parametrize(
    ("count", "noun", "language", "expected"),
    [
        (1, "organization", "en", "1 organization"),
        (34, "organization", "en", "34 organizations"),
        (0, "organization", "en", "0 organizations"),
        (1, "organization", "mn", "1 байгууллага"),
        (34, "organization", "mn", "34 байгууллага"),
        (1234, "title", "en", "1,234 titles"),
        (1, "honorary-doctorate", "en", "1 honorary doctorate"),
        (37, "honorary-doctorate", "mn", "37 хүндэт доктор"),
    ],
)
def test_counted_nouns_read_naturally(count, noun, language, expected):
    from irdocs.documents.wording import counted

    assert counted(count, noun, language) == expected


def test_unknown_country_and_partner_are_usage_errors(run):
    result = run("factsheet", "country", "XX", "--records", str(SAMPLE))
    assert result.exit_code == 2
    assert (
        "no partner country 'XX' in the records (one of: AT, AU, CA, CN, CZ, DE, FR, GB, HU, IN, IT, JP, KR, KZ, PL, RU, SG, TH, TR, TW, US, VN)"
        in result.stderr
    )
    result = run("factsheet", "partner", "yonsei", "--records", str(SAMPLE))
    assert result.exit_code == 2 and "did you mean 'yonsei-university'?" in result.stderr
    result = run("factsheet", "--records", str(SAMPLE))
    assert result.exit_code == 2 and "say which fact sheet" in result.stderr


def test_a_character_no_font_draws_fails_the_sheet_before_rendering(mini, run):
    text = (mini / "partners.yaml").read_text(encoding="utf-8")
    (mini / "partners.yaml").write_text(text.replace("city: Tokyo", 'city: Tokyo\n    native_name: "\U000f0001 University"'), encoding="utf-8")
    result = run("factsheet", "partner", "alpha-university", "--records", "records", "--out", "out", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "fact sheet partners/alpha-university: no installed font can draw '\U000f0001' (U+F0001" in result.stderr
    assert not (mini.parent / "out" / "factsheets" / "partners" / "alpha-university.pdf").exists()


def test_a_draft_agreement_stays_off_the_sheets(built, records, tmp_path):
    from irdocs.documents.factsheets.kind import Sheet

    drafts = [a for a in records.agreements if a.status == "draft"]
    partner_id = drafts[0].partners[0]
    assert not (built["root"] / "partners" / f"{partner_id}.pdf").exists(), "--all makes sheets for partner organizations only"
    make_sheets(records, [Sheet("partner", partner_id)], tmp_path)
    text = pdf_text(tmp_path / "factsheets" / "partners" / f"{partner_id}.pdf")
    assert f"No agreement with {records.partners_by_id[partner_id].name} has been signed yet." in text
    assert " ".join(drafts[0].title.split()) not in text
