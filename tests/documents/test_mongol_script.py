"""The Mongol script beside the Cyrillic on certificates (issue 16), read from the PDF: the font
embedded, the text in logical order, the glyphs turned into vertical columns running left to right,
and the rendered heading compared with a reference image reviewed by eye."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.documents.test_certificates import issued, pdf_of  # noqa: F401  (issued: the fixture)

REFERENCE = REPO / "tests" / "reference" / "mongol-heading-honorary-doctorate.png"
#: the left band of the page (mm: left, top, right, bottom), where the university's name stands
BAND_MM = (18, 30, 32, 150)


def _institution():
    from irdocs.records.validate import load_records
    from tests.conftest import SAMPLE

    return load_records(SAMPLE).institution


def _wording():
    """The sample institution's university name and honorary doctorate in the Mongol script, as columns."""
    from irdocs.documents.certificates.context import mongol_texts

    texts = mongol_texts(_institution())
    return texts["university"], texts["titles"]["honorary-doctorate"]


def _phrase(name: str) -> list[str]:
    """The sample institution's standard phrase ``name`` in the Mongol script, as columns."""
    from irdocs.documents.certificates.context import mongol_texts

    return mongol_texts(_institution())["phrases"][name]


def _letters(text: str) -> str:
    """The characters a PDF's text holds for a Mongol-script text (no spaces)."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "\u202f")


def _sample_name_mong(honoree_id: str) -> str:
    from irdocs.records.validate import load_records
    from tests.conftest import SAMPLE

    return load_records(SAMPLE).honorees_by_id[honoree_id].name_mong or ""


def _signers() -> str:
    """The certificate signatories' names in the Mongol script, as the page holds them (before the bands)."""
    return _letters("".join(p.name_mong or "" for p in _institution().certificate_signatories))


def _mongol_chars(path: Path) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [c for c in pdf.pages[0].chars if "\u1800" <= c["text"] <= "\u18af"]


def _band_chars(path: Path) -> list[dict]:
    """The Mongol-script characters of the bands (the heading, the honoree's name), not of the signatures
    (which start under the signature rules, about 177 mm from the top)."""
    return [c for c in _mongol_chars(path) if c["top"] < 165 / 25.4 * 72]


def _columns(chars: list[dict]) -> list[list[dict]]:
    """The characters grouped into columns (the same left edge), in the order they come."""
    columns: list[list[dict]] = []
    for char in chars:
        if columns and abs(columns[-1][0]["x0"] - char["x0"]) < 1:
            columns[-1].append(char)
        else:
            columns.append([char])
    return columns


def test_the_mongolian_font_is_embedded(issued):  # noqa: F811
    fonts = subprocess.run(["pdffonts", str(pdf_of(issued, "hd-2024-001"))], capture_output=True, text=True, check=True).stdout
    line = next((row for row in fonts.splitlines() if "Mongolian" in row), "")
    assert line, fonts
    assert line.split()[-5:-2] == ["yes", "yes", "yes"]  # embedded, subset, with its Unicode map


def test_the_text_copies_out_in_logical_order(issued):  # noqa: F811
    university, title = _wording()
    letters = "".join(c["text"] for c in _mongol_chars(pdf_of(issued, "hd-2024-001")))
    name = _sample_name_mong("hd-2024-001")  # the sample's honoree with a name in the script (the demo and previews show it)
    assert name
    assert _signers() and letters == _signers() + _letters("".join(university + title + _phrase("conferred")) + name)


def test_the_glyphs_are_turned_into_columns_running_left_to_right(issued):  # noqa: F811
    university, _ = _wording()
    chars = _band_chars(pdf_of(issued, "hd-2024-001"))
    assert chars and all(not c["upright"] for c in chars)
    assert all(abs(c["matrix"][0]) < 1e-6 and c["matrix"][1] < 0 for c in chars)  # turned a quarter clockwise
    left = _columns(chars)[: len(university)]
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


@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        ("mongol_script.titles.honorary-doctorate", "honorary-doctorate: ᠬᠦᠨᠳᠦᠲᠦ ᠳᠣᠺᠲᠣᠷ", "honorary-doctorate: Хүндэт доктор"),
        ("mongol_script.department", "department: ᠭᠠᠳᠠᠭᠠᠳᠤ", "department: Gadaad ᠭᠠᠳᠠᠭᠠᠳᠤ"),
        ("certificate_signatories[1].name_mong", "name_mong: ᠰ᠂ ᠣᠶᠤᠨᠴᠢᠮᠡᠭ", "name_mong: С. Оюунчимэг"),
    ],
)
def test_a_mongol_script_text_of_the_institution_in_another_script_is_a_file_line_error(tmp_path, field, old, new):
    """The institution's Mongol-script texts are records (institution.yaml), checked like every field."""
    import shutil

    from irdocs.errors import RecordsError
    from irdocs.records.validate import load_records
    from tests.conftest import SAMPLE

    shutil.copytree(SAMPLE, tmp_path / "records", ignore=shutil.ignore_patterns(".irdocs.lock", "register.sqlite3*"))
    path = tmp_path / "records" / "institution.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new in row)
    with pytest.raises(RecordsError) as caught:
        load_records(tmp_path / "records")
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{path}:{line}: institution mnums: {field}: ") or f"institution.yaml:{line}: institution mnums: {field}: " in str(problem)
    assert "is not in the Mongol script" in str(problem) and "U+1800-U+18AF" in str(problem)


def test_the_mongol_script_texts_are_the_institutions_not_the_wordings():
    """The wording file keeps only wording: the university's name and the titles moved to institution.yaml."""
    text = (REPO / "templates" / "certificates" / "wording.yaml").read_text(encoding="utf-8")
    assert "mn-Mong" not in text and not any("\u1800" <= ch <= "\u18af" for ch in text)
    institution = _institution()
    assert institution.mongol_script.name and institution.mongol_script.department
    assert set(institution.mongol_script.titles) == {"honorary-doctorate", "honorary-professor", "visiting-professor"}
    assert all(p.name_mong for p in institution.certificate_signatories) and institution.agreement_signatory.name_mong
    # marked in the file as to be confirmed by the department, and irdocs check says so
    assert "to be confirmed by the department" in institution.mongol_script.review


def test_irdocs_check_warns_when_the_mongol_script_is_missing_or_unconfirmed(tmp_path):
    import shutil

    from click.testing import CliRunner

    from irdocs.cli import main
    from tests.conftest import SAMPLE

    shutil.copytree(SAMPLE, tmp_path / "records", ignore=shutil.ignore_patterns(".irdocs.lock", "register.sqlite3*"))
    result = CliRunner().invoke(main, ["check", "--records", str(tmp_path / "records")])
    assert result.exit_code == 0
    assert "mongol_script: the Mongol-script texts are to be confirmed by the department" in result.output
    path = tmp_path / "records" / "institution.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("mongol_script:\n")
    end = next(i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n"))
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--records", str(tmp_path / "records")])
    assert result.exit_code == 0
    assert "institution mnums: mongol_script is missing: certificates, Mongolian drafts and fact sheets are printed without the Mongol script" in result.output


def test_the_mongolian_fact_sheet_carries_the_mongol_script_masthead():
    import datetime as dt
    import io

    import pdfplumber

    from irdocs.documents.factsheets.kind import FactsheetBatch, Sheet
    from irdocs.records.validate import load_records
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

    from irdocs.documents.agreements.kind import Drafter
    from irdocs.records.validate import load_records
    from irdocs.render.libreoffice import convert_to_pdf
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


# --------------------------------------------------------------------------- the honoree's name_mong

#: a name in the Mongol script for the tests (Taro Yamada), written by the project
NAME_MONG = "ᠲᠠᠷᠤ ᠶᠠᠮᠠᠳᠠ"


def _honorees_with(folder: Path, values: dict[str, str]) -> Path:
    """A copy of the sample records whose honorees.csv's name_mong column holds ``values`` (id -> text) only."""
    import csv
    import io
    import shutil

    from tests.conftest import SAMPLE

    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".irdocs.lock", "register.sqlite3*"))
    path = folder / "honorees.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    comments = [line for line in lines if line.startswith("#")]
    rows = list(csv.reader(io.StringIO("".join(lines[len(comments) :]))))
    at = rows[0].index("name_mong")  # the sample's column (only hd-2024-001 fills it)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for number, row in enumerate(rows):
        writer.writerow([*row[:at], "name_mong" if number == 0 else values.get(row[0], ""), *row[at + 1 :]])
    path.write_text("".join(comments) + out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "found"),
    [("Batu", "'B' (U+0042 LATIN CAPITAL LETTER B)"), ("Бат", "'Б' (U+0411 CYRILLIC CAPITAL LETTER BE)"), ("ᠪᠠᠲᠤ Batu", "'B' (U+0042 LATIN CAPITAL LETTER B)")],
)
def test_a_name_mong_in_another_script_is_a_file_line_error(tmp_path, written, found):
    from irdocs.errors import RecordsError, display_path
    from irdocs.records.validate import load_records

    path = _honorees_with(tmp_path / "records", {"hd-2024-001": written})
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if row.startswith("hd-2024-001,"))
    with pytest.raises(RecordsError) as caught:
        load_records(tmp_path / "records")
    assert [str(p) for p in caught.value.problems] == [
        f"{display_path(path)}:{line}: honoree hd-2024-001: name_mong: '{written}' is not in the Mongol script: it has {found} "
        "(the name in the Mongol script (Unicode U+1800-U+18AF), e.g. 'ᠪᠠᠲᠤ'; irdocs does not convert Cyrillic or Latin letters: "
        "leave the field empty until the name is written in the script)"
    ]


def test_a_name_mong_may_have_the_joiners_selectors_and_separators_the_script_needs(tmp_path):
    from irdocs.records.validate import load_records

    # a vowel separator (U+180E) before a final a, a free variation selector (U+180B), a zero-width joiner,
    # a narrow no-break space before a case ending (U+202F)
    names = {"hd-2024-001": "ᠲᠠᠯ\u180eᠠ", "hp-2024-001": "ᠭ\u180bᠠ ᠪ\u200dᠠ", "vp-2024-001": "ᠪᠠᠲᠤ\u202fᠶᠢᠨ", "hp-2025-003": ""}
    _honorees_with(tmp_path / "records", names)
    records = load_records(tmp_path / "records")
    assert {h: records.honorees_by_id[h].name_mong for h in names} == {**names, "hp-2025-003": None}


def test_the_wording_files_and_the_records_share_one_check_of_the_script():
    from irdocs.documents.wording import outside_mongol_script
    from irdocs.records.model import check_mongol_name

    assert outside_mongol_script("ᠪᠠᠲᠤ\nᠪᠠᠲᠤ") is None and outside_mongol_script("ᠪᠠᠲᠤ\nᠪᠠᠲᠤ", columns=False) == "\n"
    assert check_mongol_name(" ᠪᠠᠲᠤ ") == "ᠪᠠᠲᠤ"
    with pytest.raises(Exception, match="line break"):
        check_mongol_name("ᠪᠠᠲᠤ\nᠪᠠᠲᠤ")


@pytest.fixture(scope="module")
def with_and_without(tmp_path_factory):
    """The honorary doctorate of the sample, made without and with a name_mong (same serial and code)."""
    from irdocs.documents.certificates.kind import CertificateMaker
    from irdocs.records.validate import load_records
    from tests.conftest import SAMPLE

    folder = tmp_path_factory.mktemp("name-mong")
    records = load_records(SAMPLE)
    honoree = records.honorees_by_id["hd-2024-001"]
    maker = CertificateMaker(records.institution, records.root)
    paths = {}
    try:
        for label, person in (("without", honoree.model_copy(update={"name_mong": None})), ("with", honoree.model_copy(update={"name_mong": NAME_MONG}))):
            paths[label] = folder / f"{label}.pdf"
            paths[label].write_bytes(maker.pdf(person, "MNUMS-HD-2024-0001", "ABCDEFGHJK"))
    finally:
        maker.close()
    return paths


def test_the_name_mong_is_a_column_after_the_title_in_logical_order_with_turned_glyphs(with_and_without):
    university, title = _wording()
    letters = lambda text: "".join(ch for ch in text if not ch.isspace() and ch != "\u202f")  # noqa: E731
    chars = _band_chars(with_and_without["with"])
    assert "".join(c["text"] for c in chars) == letters("".join(university + title + _phrase("conferred")) + NAME_MONG)
    name = chars[-len(letters(NAME_MONG)) :]
    title_chars = chars[len(letters("".join(university))) : -len(name)]
    assert all(not c["upright"] and abs(c["matrix"][0]) < 1e-6 and c["matrix"][1] < 0 for c in name)  # turned a quarter clockwise
    assert len(_columns(name)) == 1  # one column...
    width = max(c["x1"] for c in name) - min(c["x0"] for c in name)
    height = max(c["bottom"] for c in name) - min(c["top"] for c in name)
    assert height > 4 * width  # ...standing, its letters from top to bottom
    assert [c["top"] for c in name] == sorted(c["top"] for c in name)
    assert min(c["x0"] for c in name) > max(c["x1"] for c in title_chars)  # right of the title's column


def test_without_a_name_mong_the_certificate_has_only_the_heading_and_the_rest_stands_where_it_stood(with_and_without):
    import pdfplumber

    university, title = _wording()
    without = _mongol_chars(with_and_without["without"])
    assert "".join(c["text"] for c in without) == _signers() + _letters("".join(university + title + _phrase("conferred")))

    def others(path: Path) -> list[tuple]:
        with pdfplumber.open(str(path)) as pdf:
            return [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in pdf.pages[0].chars if c["upright"]]  # all but the columns

    assert others(with_and_without["with"]) == others(with_and_without["without"])


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is needed")
def test_the_mongolian_word_fact_sheets_carry_the_mongol_script_masthead_in_word_text(tmp_path):
    """The Word helper's vertical text, floating in the left margin beside the masthead (the PDF's place);
    LibreOffice's PDF shows it turned, in logical order, columns left to right, clear of the text. The
    English sheets have none, and their masthead stands where it stood."""
    import datetime as dt

    import pdfplumber
    from docx import Document
    from docx.oxml.ns import qn

    from irdocs.documents.factsheets.kind import FactsheetBatch, Sheet
    from irdocs.records.validate import load_records
    from irdocs.render.libreoffice import convert_to_pdf
    from tests.conftest import SAMPLE

    university, _ = _wording()
    records = load_records(SAMPLE, today=dt.date(2026, 11, 27))
    partner = records.partners[0].id
    files = []
    for language in ("mn", "en"):
        batch = FactsheetBatch(records, language, dt.date(2026, 11, 27))
        try:
            for sheet in (Sheet("department"), Sheet("partner", partner)):
                files.append(tmp_path / f"{sheet.kind}-{language}.docx")
                files[-1].write_bytes(batch.docx_bytes(sheet))
        finally:
            batch.close()
    for path in files:
        cells = Document(str(path)).tables[0].rows[0].cells
        if path.stem.endswith("-mn"):
            assert [c.text for c in cells] == university, path.name
            assert cells[0]._tc.tcPr.find(qn("w:textDirection")).get(qn("w:val")) == "tbRl"
        else:
            assert not any("\u1800" <= ch <= "\u18af" for c in cells for ch in c.text), path.name
    expected = "".join(ch for ch in "".join(university) if not ch.isspace() and ch != "\u202f")
    pages = {}
    for pdf in convert_to_pdf([f for f in files if f.stem.startswith("department")], tmp_path / "pdf"):
        with pdfplumber.open(str(pdf)) as document:
            pages[pdf.stem] = document.pages[0].chars
    mongol = [c for c in pages["department-mn"] if "\u1800" <= c["text"] <= "\u18af"]
    assert "".join(c["text"] for c in mongol) == expected
    assert all(not c["upright"] for c in mongol)
    columns = _columns(mongol)
    assert len(columns) == len(university) and [col[0]["x0"] for col in columns] == sorted(col[0]["x0"] for col in columns)
    for column in columns:
        assert [c["top"] for c in column] == sorted(c["top"] for c in column)  # top to bottom
    text = [c for c in pages["department-mn"] if c["upright"] and c["text"].strip()]
    assert max(c["x1"] for c in mongol) < min(c["x0"] for c in text)  # in the margin, beside the text
    assert not any("\u1800" <= c["text"] <= "\u18af" for c in pages["department-en"])
    first = {language: min(c["top"] for c in pages[f"department-{language}"] if c["upright"] and c["text"].strip()) for language in ("mn", "en")}
    assert abs(first["mn"] - first["en"]) < 2  # the masthead keeps its place (points)


def test_the_font_check_covers_the_name_mong(tmp_path):
    """A design whose fonts lack the script refuses the certificate before a serial is issued, naming
    the honoree's field, as for every other character without a glyph."""
    import shutil

    from irdocs.documents.certificates.kind import CertificateMaker
    from irdocs.errors import RecordsError
    from irdocs.records.validate import load_records
    from tests.conftest import SAMPLE

    designs = tmp_path / "certificates"
    shutil.copytree(REPO / "templates" / "certificates", designs)
    css = designs / "certificate.css"
    css.write_text(css.read_text(encoding="utf-8").replace('"Noto Sans Mongolian"', '"Noto Sans"'), encoding="utf-8")
    # and no Mongol-script texts of the institution: they would be refused first
    records = load_records(SAMPLE)
    honoree = records.honorees_by_id["hd-2024-001"].model_copy(update={"name_mong": None})
    signatories = tuple(p.model_copy(update={"name_mong": None}) for p in records.institution.certificate_signatories)
    institution = records.institution.model_copy(update={"mongol_script": None, "certificate_signatories": signatories})
    maker = CertificateMaker(institution, records.root, designs)
    try:
        maker.check_fonts(honoree)  # the honoree without a name_mong: nothing of the script to print
        with pytest.raises(RecordsError) as caught:
            maker.check_fonts(honoree.model_copy(update={"name_mong": NAME_MONG}))
    finally:
        maker.close()
    problems = caught.value.problems  # one for each letter without a glyph
    assert {(p.kind, p.record_id, p.field) for p in problems} == {("honoree", "hd-2024-001", "name_mong")}
    assert len(problems) == len(set(NAME_MONG) - {" "})
    first = problems[0]
    assert "U+1832 MONGOLIAN LETTER TA" in first.message and "'Noto Sans Mongolian'" in first.expected


# --------------------------------------------------------------------------- the standard phrases

#: the phrase each design prints after the title (institution.yaml's mongol_script.phrases)
PHRASE_OF = {"honorary-doctorate": "conferred", "honorary-professor": "conferred", "visiting-professor": "appointed"}


@pytest.fixture(scope="module")
def phrases(tmp_path_factory):
    """A certificate of each kind with the sample's phrases, one without them in the records, and one of
    designs that name no phrase (as the designs were before): 150-dpi pages of the last two too."""
    import re
    import shutil

    from irdocs.documents.certificates.kind import CertificateMaker
    from irdocs.records.validate import load_records
    from tests.conftest import SAMPLE

    folder = tmp_path_factory.mktemp("phrases")
    records = load_records(SAMPLE)
    institution = records.institution
    without = institution.model_copy(update={"mongol_script": institution.mongol_script.model_copy(update={"phrases": {}})})
    unnamed = folder / "certificates"
    shutil.copytree(REPO / "templates" / "certificates", unnamed)
    for kind in PHRASE_OF:
        design = unnamed / f"{kind}.html"
        design.write_text(re.sub(r"\{% set mongol_phrase = .*? %\}\n", "", design.read_text(encoding="utf-8")), encoding="utf-8")
    honorees = {kind: next(h for h in records.honorees if h.title == kind and not h.name_mong) for kind in PHRASE_OF}
    honorees["with-name"] = records.honorees_by_id["hd-2024-001"]
    paths: dict[tuple[str, str], Path] = {}
    for label, (inst, designs) in {"phrases": (institution, None), "none": (without, None), "unnamed": (institution, unnamed)}.items():
        maker = CertificateMaker(inst, records.root, designs) if designs else CertificateMaker(inst, records.root)
        try:
            for kind, honoree in honorees.items():
                paths[label, kind] = folder / f"{label}-{kind}.pdf"
                paths[label, kind].write_bytes(maker.pdf(honoree, "MNUMS-HD-2024-0001", "ABCDEFGHJK"))
        finally:
            maker.close()
    return paths


def _split(chars: list[dict], texts: list[str]) -> list[list[dict]]:
    """The characters of each text, in order (a PDF character may hold two letters the font joined)."""
    parts: list[list[dict]] = []
    for text in texts:
        part, count = [], len(_letters(text))
        while count > 0:
            part.append(chars.pop(0))
            count -= len(part[-1]["text"])
        parts.append(part)
    return parts


@pytest.mark.parametrize("kind", [*PHRASE_OF, "with-name"])
def test_each_design_prints_its_phrase_in_a_column_after_the_title_in_logical_order(phrases, kind):
    university = _wording()[0]
    title_kind = "honorary-doctorate" if kind == "with-name" else kind
    from irdocs.documents.certificates.context import mongol_texts

    title = mongol_texts(_institution())["titles"][title_kind]
    phrase = _phrase(PHRASE_OF[title_kind])
    name = _sample_name_mong("hd-2024-001") if kind == "with-name" else ""
    chars = _band_chars(phrases["phrases", kind])
    assert "".join(c["text"] for c in chars) == _letters("".join(university + title + phrase) + name)
    _, title_chars, phrase_chars, name_chars = _split(list(chars), ["".join(university), "".join(title), "".join(phrase), name])
    assert all(not c["upright"] and abs(c["matrix"][0]) < 1e-6 and c["matrix"][1] < 0 for c in phrase_chars)  # turned a quarter clockwise
    assert len(_columns(phrase_chars)) == 1 and [c["top"] for c in phrase_chars] == sorted(c["top"] for c in phrase_chars)
    # the columns run left to right (their left edges, a column 16.5pt wide): title, phrase, then the name
    assert min(c["x0"] for c in phrase_chars) > max(c["x0"] for c in title_chars) + 10
    if name:
        assert max(c["x0"] for c in phrase_chars) + 10 < min(c["x0"] for c in name_chars)


def _page(path: Path, tmp_path: Path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(path), str(tmp_path / path.stem)], check=True)
    return Image.open(tmp_path / f"{path.stem}.png").convert("RGB")


@pytest.mark.parametrize("kind", [*PHRASE_OF, "with-name"])
def test_without_the_phrase_the_certificate_is_pixel_identical_and_with_it_only_the_right_band_changes(phrases, kind, tmp_path):
    from PIL import ImageChops

    none, unnamed, printed = (_page(phrases[label, kind], tmp_path) for label in ("none", "unnamed", "phrases"))
    assert ImageChops.difference(none, unnamed).getbbox() is None  # no phrase in the records: as the designs printed it before
    changed = ImageChops.difference(none, printed).getbbox()
    assert changed is not None
    left, top, right, bottom = (v / 150 * 25.4 for v in changed)
    assert left > 250 and right < 280 and top > 30 and bottom < 160, changed  # the right band (mm), nothing else


# --------------------------------------------------------------------------- the drafts' signatures

#: a partner's signatory's name in the Mongol script for the tests (Hiroshi Ueno), written by the project
PARTNER_MONG = "ᠬᠢᠷᠣᠰᠢ ᠤᠶᠧᠨᠣ"


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is needed")
def test_the_mongolian_drafts_signature_block_carries_the_signers_names_in_word_vertical_text(tmp_path):
    """Under each signer's lines, the name_mong in Word's own vertical text (the helper's cell, text
    direction top to bottom), the institution's and a partner's; LibreOffice's PDF shows them turned,
    in logical order, the partner's right of the institution's. An English draft, and a Mongolian one
    whose signers have none, keep the two rows they had."""
    import dataclasses
    import datetime as dt

    import pdfplumber
    from docx import Document
    from docx.oxml.ns import qn

    from irdocs.documents.agreements.kind import Drafter
    from irdocs.records.validate import load_records
    from irdocs.render.libreoffice import convert_to_pdf
    from tests.conftest import SAMPLE

    records = load_records(SAMPLE, today=dt.date(2026, 11, 27))
    mou = next(a for a in records.agreements if a.kind == "mou")
    ours = records.institution.agreement_signatory.name_mong
    assert ours
    unnamed = records.institution.agreement_signatory.model_copy(update={"name_mong": None})
    signer = mou.signatories[mou.partners[0]]  # the partner's signatory the agreement names
    named = mou.model_copy(update={"signatories": {**mou.signatories, mou.partners[0]: signer.model_copy(update={"name_mong": PARTNER_MONG})}})
    bare = dataclasses.replace(records, institution=records.institution.model_copy(update={"agreement_signatory": unnamed}))
    records = dataclasses.replace(records, agreements=tuple(named if a.id == mou.id else a for a in records.agreements))
    files = {}
    for label, recs, agreement, language in (
        ("mn", records, named, "mn"),
        ("en+mn", records, named, "en+mn"),
        ("en", records, named, "en"),
        ("bare", bare, mou, "mn"),
    ):
        files[label] = tmp_path / f"draft-{label}.docx"
        files[label].write_bytes(Drafter(recs, draft_date=dt.date(2026, 11, 27)).render(agreement, language))
    for label, path in files.items():
        table = Document(str(path)).tables[-1]
        if label in ("en", "bare"):
            assert len(table.rows) == 2, label  # the names and the lines, as before
            continue
        assert len(table.rows) == 3 and [c.text for c in table.rows[2].cells] == [ours, PARTNER_MONG], label
        assert all(c._tc.tcPr.find(qn("w:textDirection")).get(qn("w:val")) == "tbRl" for c in table.rows[2].cells)
    for pdf in convert_to_pdf([files["mn"], files["en+mn"], files["en"]], tmp_path / "pdf"):
        with pdfplumber.open(str(pdf)) as document:
            chars = [c for c in document.pages[-1].chars if "\u1800" <= c["text"] <= "\u18af"]
        if pdf.stem == "draft-en":
            assert chars == []
            continue
        assert "".join(c["text"] for c in chars) == _letters(ours + PARTNER_MONG), pdf.name
        assert all(not c["upright"] for c in chars)
        first, second = _split(list(chars), [ours, PARTNER_MONG])
        for column in (first, second):
            assert len(_columns(column)) == 1 and [c["top"] for c in column] == sorted(c["top"] for c in column)  # top to bottom
        assert max(c["x1"] for c in first) < min(c["x0"] for c in second)  # under each party's lines, left to right
