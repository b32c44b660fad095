"""Hostile text in the records is printed as text: never run as HTML, Jinja, XML or a Word field.

HTML (a script, an image from a loopback server the test runs), Jinja tags, XML entities and Word
field codes go into honoree, partner and agreement fields. The certificate PDF, the fact sheet PDF
and DOCX, and the agreement draft show exactly those characters: '{{ 7*7 }}' is never '49', the
entities are not decoded, the server gets no request, and the Word files hold no field the
record could have added.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.request
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tests.conftest import MINI_AGREEMENTS, MINI_HONOREES, MINI_PARTNERS, REPO, SAMPLE

SCRIPT = "<script>alert(1)</script>"
JINJA = "{{ 7*7 }}"
INCLUDE = "{% include 'x' %}"
ENTITIES = "&amp; &lt;x&gt; &#x41;"
FIELDS = "{ PAGE } MERGEFIELD name"
#: Word field instructions live in these XML elements.
FIELD_XML = re.compile(r"<w:fldSimple\b[^>]*w:instr=\"([^\"]*)\"|<w:instrText\b[^>]*>([^<]*)</w:instrText>")


def hostile_values(server: str) -> dict[str, str]:
    image = f"<img src={server}/x>"
    return {
        "given_name": SCRIPT,
        "family_name": JINJA,
        "affiliation": f"{image} {INCLUDE}",
        "citation": f"For {FIELDS} and {ENTITIES}, {JINJA} and <b>{SCRIPT}</b>.",
        "citation_mn": f"Гавьяаг {JINJA} {ENTITIES} үнэлж.",
        "partner_name": f"Alpha {SCRIPT} & {JINJA} University",
        "city": f"{INCLUDE} {ENTITIES}",
        "title": f"MoU {FIELDS} {ENTITIES} {JINJA}",
        "activity": f"{image} {JINJA} {{ MERGEFIELD name }}",
    }


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    return flat("\n".join(page.extract_text() for page in PdfReader(str(path)).pages))


def docx_text(path: Path) -> str:
    """Every paragraph of the body and of the tables, as Word shows them."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return flat("\n".join(parts))


def word_fields(data: bytes) -> list[str]:
    """Every Word field instruction in every part of a DOCX (PAGE in a footer, ...)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(".xml"):
                found += [a or b for a, b in FIELD_XML.findall(archive.read(name).decode("utf-8"))]
    return found


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


@pytest.fixture
def hostile(tmp_path, monkeypatch, keyed, loopback):
    """A records folder whose texts are hostile; the working folder is its parent."""
    values = hostile_values(loopback.url)
    records = tmp_path / "records"
    records.mkdir()
    for name in ("institution.yaml", "emblem.svg"):
        shutil.copy(SAMPLE / name, records)
    (records / "partners.yaml").write_text(
        MINI_PARTNERS.replace("name: Alpha University", f"name: {_yaml(values['partner_name'])}").replace("city: Tokyo", f"city: {_yaml(values['city'])}"),
        encoding="utf-8",
    )
    (records / "agreements.yaml").write_text(
        MINI_AGREEMENTS.replace("title: MoU with Alpha University", f"title: {_yaml(values['title'])}").replace(
            "- exchange of students", f"- {_yaml(values['activity'])}"
        ),
        encoding="utf-8",
    )
    rows = list(csv.DictReader(io.StringIO(MINI_HONOREES)))
    rows[0].update({key: values[key] for key in ("given_name", "family_name", "affiliation", "citation", "citation_mn")}, name_order="given-first")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (records / "honorees.csv").write_text(out.getvalue(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # The server answers: had a document asked it for the image, the request would be in the list.
    urllib.request.urlopen(f"{loopback.url}/control", timeout=10).read()
    assert loopback.requests == ["/control"]
    return {"records": records, "values": values, "server": loopback}


def run(*args: str):
    from irdocs.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def assert_literal(text: str, expected: list[str]) -> None:
    for value in expected:
        assert flat(value) in text, f"{value!r} is not printed as it is written"
    # 49 as a number of its own: the texts also hold the random port of the loopback address
    # (127.0.0.1:44991 made this test fail now and then).
    assert re.search(r"(?<!\d)49(?!\d)", text) is None, "a Jinja expression from a record was computed"
    assert "<A" not in text and "&A" not in text, "an XML entity from a record was decoded"


def test_certificate_prints_hostile_text_literally(hostile):
    values = hostile["values"]
    result = run("certificate", "hd-2020-001")
    assert result.exit_code == 0, result.output
    (pdf,) = (Path("out") / "certificates").glob("*.pdf")
    text = pdf_text(pdf)
    assert_literal(text, [f"{SCRIPT} {JINJA}", values["affiliation"], values["citation"], values["citation_mn"]])
    assert f": {SCRIPT} {JINJA} (" in PdfReader(str(pdf)).metadata.title
    assert hostile["server"].requests == ["/control"], "the certificate fetched the image named in a record"


def test_fact_sheet_pdf_and_docx_print_hostile_text_literally(hostile):
    values = hostile["values"]
    result = run("factsheet", "partner", "alpha-university", "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    folder = Path("out") / "factsheets" / "partners"
    expected = [values["partner_name"], values["city"], values["title"], values["activity"], f"{SCRIPT} {JINJA}"]
    assert_literal(pdf_text(folder / "alpha-university.pdf"), expected)
    docx = folder / "alpha-university.docx"
    assert_literal(docx_text(docx), expected)
    template = REPO / "templates" / "factsheets" / "partner.docx"
    assert word_fields(docx.read_bytes()) == word_fields(template.read_bytes())
    assert hostile["server"].requests == ["/control"]


def test_agreement_draft_prints_hostile_text_literally(hostile):
    values = hostile["values"]
    result = run("agreement", "alpha-mou-2020", "--date", "2024-06-30")
    assert result.exit_code == 0, result.output
    draft = Path("out") / "agreements" / "alpha-mou-2020.docx"
    assert_literal(docx_text(draft), [values["partner_name"], values["city"], values["activity"]])
    import docx

    assert docx.Document(str(draft)).core_properties.title == values["title"]  # the record's title names the file in Word
    data = draft.read_bytes()
    template_fields = word_fields((REPO / "templates" / "agreements" / "agreement.docx").read_bytes())
    assert word_fields(data) == template_fields, "a record added a Word field"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>" not in body
    assert "&amp;amp; &amp;lt;x&amp;gt; &amp;#x41;" in body  # the entities arrive escaped once more, as text


def test_register_export_keeps_a_formula_as_text(mini, keyed, monkeypatch):
    """The register's CSV is opened in Excel for audits: a name written as a formula never gets there
    (refused in the records, tests/records/test_formulas.py), and one already in a register stays text."""
    from irdocs.documents.certificates.register import Content, Register, register_path

    formula = '=HYPERLINK("http://127.0.0.1/x","open")'
    with Register(register_path(mini)) as register:
        register.issue("MNUMS", Content("hd-2020-001", "honorary-doctorate", "HD", 2020, f"{formula} Yamada", "", "2020"), lambda s, c: "CODE", "t")
    exported = list(csv.DictReader(io.StringIO(run("register", "export", "--csv").stdout)))
    assert exported[0]["name"] == f"'{formula} Yamada"  # a leading ': Excel shows the text, runs nothing
    with Register(register_path(mini), create=False) as register:
        assert register.entries()[0].name == f"{formula} Yamada"  # the register itself keeps the name as written
