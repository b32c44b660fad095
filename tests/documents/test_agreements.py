"""Agreement drafts: one per kind, opened with python-docx and with LibreOffice, and what can go wrong."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import MINI_HONOREES, SAMPLE

DRAFT_DATE = dt.date(2026, 11, 27)
HOSTILE = "Research & Education Center <Ulaanbaatar>"
HOSTILE_TOO = "The \"Quoted\" 'Institute' {{ 7*7 }} {% if x %}"

PARTNERS = f"""\
partners:
  - id: alpha-university
    name: Alpha University
    native_name: アルファ大学
    name_mn: Альфа их сургууль
    kind: university
    country: JP
    city: Tokyo
    address: 1-2-3 Hongo, Bunkyo, Tokyo 113-0033, Japan
    representative: {{name: Prof. Akira Alpha, title: President}}
  - id: beta-hospital
    name: Beta Hospital
    kind: hospital
    country: KR
    city: Seoul
  - id: gamma-institute
    name: Gamma Institute of Health
    kind: research-institute
    country: US
    city: Boston
    representative: {{name: Dr. Grace Gamma, title: Director}}
  - id: hostile-center
    name: {json.dumps(HOSTILE)}
    kind: research-institute
    country: MN
    city: Ulaanbaatar
  - id: hostile-institute
    name: {json.dumps(HOSTILE_TOO)}
    kind: association
    country: DE
    city: Berlin
"""
AGREEMENTS = """\
agreements:
  - id: alpha-mou-2020
    kind: mou
    title: Memorandum of Understanding with Alpha University
    partners: [alpha-university]
    status: active
    signed_on: 2020-05-01
    duration_years: 5
    areas: [science, health]
    activities:
      - joint research projects in public health
      - exchange of academic publications
  - id: beta-cooperation-2024
    kind: cooperation-agreement
    title: Cooperation Agreement with Beta Hospital
    partners: [beta-hospital]
    status: active
    signed_on: 2024-03-15
    valid_until: 2029-03-14
    areas: [education, health]
    activities:
      - clinical training of residents
  - id: alpha-gamma-joint-2025
    kind: joint-programme
    title: Joint Master's Programme in Nursing (4+2)
    partners: [alpha-university, gamma-institute]
    status: active
    signed_on: 2025-09-01
    duration_years: 6
    areas: [education, health]
    programmes:
      - name: Nursing
        name_mn: Сувилахуй
        scheme: "4+2"
        degree: Master of Nursing
        starts: 2025
    studied_at: [alpha-university, gamma-institute]
  - id: beta-exchange-draft
    kind: exchange
    title: Exchange Agreement with Beta Hospital
    partners: [beta-hospital]
    status: draft
    duration_years: 3
    areas: [education]
  - id: gamma-equipment-2023
    kind: funded-project
    title: Laboratory Equipment Project
    partners: [gamma-institute]
    status: active
    signed_on: 2023-01-10
    duration_years: 4
    areas: [technology, health]
    activities:
      - new laboratory equipment for the School of Public Health
    funding:
      amount: 1250000
      currency: USD
      source: Gamma Foundation
      terms: grant
  - id: hostile-mou-2026
    kind: mou
    title: MoU with a hostile name
    partners: [hostile-center, hostile-institute]
    status: draft
    duration_years: 2
    areas: [science]
"""
#: agreement id -> what its draft must say (parties, areas, programme, duration)
EXPECTED = {
    "alpha-mou-2020": {
        "kind": "mou",
        "parties": ["Mongolian National University of Medical Sciences", "Alpha University"],
        "texts": ["MEMORANDUM OF UNDERSTANDING", "science and health", "joint research projects in public health", "five (5) years", "until 30 April 2025"],
        "absent": ["Intellectual property", "Confidentiality", "Joint programme"],
    },
    "beta-cooperation-2024": {
        "kind": "cooperation-agreement",
        "parties": ["Mongolian National University of Medical Sciences", "Beta Hospital"],
        "texts": ["COOPERATION AGREEMENT", "education and health", "clinical training of residents", "until 14 March 2029", "Intellectual property"],
        "absent": ["Nature of this Memorandum", "Joint programme"],
    },
    "alpha-gamma-joint-2025": {
        "kind": "joint-programme",
        "parties": ["Mongolian National University of Medical Sciences", "Alpha University", "Gamma Institute of Health"],
        "texts": [
            "JOINT DEGREE PROGRAMME AGREEMENT",
            "“Nursing” on the “4+2” scheme: four (4) years of study at MNUMS and two (2) years at Alpha University and Gamma Institute of Health",
            "Master of Nursing",
            "six (6) years",
            "three (3) original copies",
        ],
        "absent": ["Exchange of faculty members and students"],
    },
    "beta-exchange-draft": {
        "kind": "exchange",
        "parties": ["Mongolian National University of Medical Sciences", "Beta Hospital"],
        "texts": [
            "FACULTY AND STUDENT EXCHANGE AGREEMENT",
            "exempt from tuition fees",
            "three (3) years",
            "The Parties agree on concrete activities in writing",
        ],
        "absent": ["Joint programme", "Reporting and audit"],
    },
    "gamma-equipment-2023": {
        "kind": "funded-project",
        "parties": ["Mongolian National University of Medical Sciences", "Gamma Institute of Health"],
        "texts": ["FUNDED PROJECT AGREEMENT", "funded by Gamma Foundation in the amount of USD 1,250,000 (grant)", "Reporting and audit", "four (4) years"],
        "absent": ["bears its own costs"],
    },
}


def write_records(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE / "institution.yaml", folder)
    shutil.copy(SAMPLE / "emblem.svg", folder)
    (folder / "partners.yaml").write_text(PARTNERS, encoding="utf-8")
    (folder / "agreements.yaml").write_text(AGREEMENTS, encoding="utf-8")
    (folder / "honorees.csv").write_text(MINI_HONOREES.replace(",alpha-university,", ",,"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    from irdocs.records.validate import load_records

    folder = write_records(tmp_path_factory.mktemp("agreements") / "records")
    return load_records(folder, today=DRAFT_DATE)


@pytest.fixture(scope="module")
def drafter(records):
    from irdocs.documents.agreements.kind import Drafter

    return Drafter(records, draft_date=DRAFT_DATE)


@pytest.fixture(scope="module")
def drafts(records, drafter, tmp_path_factory, sample_records):
    """Every test draft written once: one per kind, the hostile names, Mongolian, parallel, a renewal, the 3-party sample."""
    from irdocs.documents.agreements.kind import Drafter

    folder = tmp_path_factory.mktemp("drafts")
    paths: dict[str, Path] = {}
    for agreement in records.agreements:
        paths[agreement.id] = folder / f"{agreement.id}.docx"
        paths[agreement.id].write_bytes(drafter.render(agreement))
    mou = records.agreements_by_id["alpha-mou-2020"]
    for key, language, renewal in (("mn", "mn", False), ("en+mn", "en+mn", False), ("renewal", "en", True)):
        paths[key] = folder / f"alpha-mou-2020.{key.replace('+', '-')}.docx"
        paths[key].write_bytes(drafter.render(mou, language, renewal))
    sample = Drafter(sample_records, draft_date=DRAFT_DATE)
    paths["sample"] = folder / "human-medicine-2plus4-2021.docx"
    paths["sample"].write_bytes(sample.render(sample_records.agreements_by_id["human-medicine-2plus4-2021"]))
    return paths


def text_of(path: Path) -> str:
    """Every paragraph of the body, the tables, the header and footer, one per line (without the
    invisible word joiners that keep a Japanese or Korean name on one line)."""
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    section = document.sections[0]
    lines += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(lines).replace("\u2060", "")


def headings(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 1"]


def signature_columns(path: Path) -> list[str]:
    table = Document(str(path)).tables[-1]
    return [cell.text.strip() for cell in table.rows[0].cells]


# --------------------------------------------------------------------------- each kind


@pytest.mark.parametrize("agreement_id", list(EXPECTED))
def test_draft_of_each_kind_says_what_the_record_says(drafts, agreement_id):
    expected = EXPECTED[agreement_id]
    text = " ".join(text_of(drafts[agreement_id]).split())
    for name in expected["parties"]:
        assert name in text
    for phrase in expected["texts"]:  # the title is in capitals through its style (Title: all caps)
        assert " ".join(phrase.split()) in (text.upper() if phrase.isupper() else text), phrase
    for phrase in expected["absent"]:
        assert phrase not in text, phrase
    assert "DRAFT - not for signature · 27 November 2026" in text
    assert signature_columns(drafts[agreement_id]) == expected["parties"]


def test_every_kind_is_covered():
    from irdocs.records.model import AGREEMENT_KINDS

    assert sorted(e["kind"] for e in EXPECTED.values()) == sorted(AGREEMENT_KINDS)


def test_signature_table_has_one_even_column_per_party(drafts):
    document = Document(str(drafts["alpha-gamma-joint-2025"]))
    table = document.tables[-1]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 3 and len(set(grid)) == 1
    assert [c.text for c in table.rows[0].cells] == ["Mongolian National University of Medical Sciences", "Alpha University", "Gamma Institute of Health"]
    cells = [c.text.strip() for c in table.rows[1].cells]  # under an empty, underlined signature line
    # a signer's name never breaks across lines: no-break spaces and hyphens (issue 15)
    assert "D.\u00a0Bat\u2011Erdene\u00a0(sample)" in cells[0]
    signers = [c.replace("\u00a0", " ").replace("\u2011", "-") for c in cells]
    assert signers[0].startswith("D. Bat-Erdene (sample)\nRector\nDate:")
    assert signers[1].startswith("Prof. Akira Alpha\nPresident")
    assert signers[2].startswith("Dr. Grace Gamma\nDirector")


def test_clauses_are_numbered_by_word_not_by_hand(drafts):
    """Headings and clause paragraphs take their numbers from the list in numbering.xml, through their styles."""
    document = Document(str(drafts["alpha-mou-2020"]))
    numbered_styles = {}
    for name in ("Heading 1", "Clause Text", "Clause Item"):
        numpr = document.styles[name].element.pPr.numPr
        numbered_styles[name] = (numpr.numId.val, numpr.ilvl.val)
    assert numbered_styles == {"Heading 1": (1, 0), "Clause Text": (1, 1), "Clause Item": (1, 2)}
    numbering = document.part.numbering_part.element
    abstract = numbering.find(qn("w:abstractNum"))
    texts = [lvl.find(qn("w:lvlText")).get(qn("w:val")) for lvl in abstract.findall(qn("w:lvl"))[:3]]
    assert texts == ["%1.", "%1.%2.", "(%3)"]
    for paragraph in document.paragraphs:
        assert paragraph._p.pPr is None or paragraph._p.pPr.numPr is None, "no paragraph overrides the clause list"
        if paragraph.style.name == "Heading 1":
            assert not re.match(r"\s*\d", paragraph.text), f"typed number in '{paragraph.text}'"
    mou = headings(drafts["alpha-mou-2020"])
    agreement = headings(drafts["beta-cooperation-2024"])
    assert "Intellectual property" in agreement and "Intellectual property" not in mou
    assert mou[:3] == ["Parties", "Purpose", "Areas and activities of cooperation"]
    assert "Хэл, эх хувь" in headings(drafts["mn"])  # a heading with a comma, whole


def test_multi_party_sample_draft(drafts):
    text = " ".join(text_of(drafts["sample"]).split())
    assert "International Education Exchange Association of the Republic of Korea (한국국제교육교류협회)" in text
    assert "two (2) years of study at MNUMS and four (4) years at University of Georgia." in text  # not at the association
    assert "Bachelor of Human Medicine" in text and "until 31 August 2031" in text
    assert len(signature_columns(drafts["sample"])) == 3


# --------------------------------------------------------------------------- safety


def test_hostile_names_come_out_literally(drafts):
    text = text_of(drafts["hostile-mou-2026"])
    assert HOSTILE in text
    assert HOSTILE_TOO in text
    assert "49" not in text
    assert signature_columns(drafts["hostile-mou-2026"])[1:] == [HOSTILE, HOSTILE_TOO]


def test_same_inputs_give_the_same_bytes(records, drafts):
    from irdocs.documents.agreements.kind import Drafter

    again = Drafter(records, draft_date=DRAFT_DATE)
    for agreement_id in ("alpha-gamma-joint-2025", "hostile-mou-2026"):
        assert again.render(records.agreements_by_id[agreement_id]) == drafts[agreement_id].read_bytes()


def test_each_draft_comes_from_a_fresh_template(records, drafter):
    """A docxtpl template object keeps what it rendered: reusing one would leak the previous draft."""
    first = drafter.render(records.agreements_by_id["hostile-mou-2026"])
    second = drafter.render(records.agreements_by_id["beta-cooperation-2024"])
    assert b"Ulaanbaatar&gt;" in _document_xml(first)
    assert b"Research &amp; Education" not in _document_xml(second)


def _document_xml(data: bytes) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_document_properties(drafts):
    core = Document(str(drafts["alpha-gamma-joint-2025"])).core_properties
    assert core.title == "Joint Master's Programme in Nursing (4+2)"
    assert core.subject == "Joint Degree Programme Agreement: MNUMS and Alpha University, Gamma Institute of Health"
    assert core.author == "Department for International Relations, Mongolian National University of Medical Sciences"
    assert core.created == dt.datetime(2026, 11, 27, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- languages and renewal


def test_mongolian_draft(drafts):
    text = " ".join(text_of(drafts["mn"]).split())
    assert "ХАРИЛЦАН ОЙЛГОЛЦЛЫН САНАМЖ БИЧИГ" in text.upper()
    assert "Альфа их сургууль (アルファ大学)" in text
    assert "шинжлэх ухаан, эрүүл мэндийн салбарт" in text
    assert "5 (тав) жилийн хугацаанд, 2025 оны 4-р сарын 30 хүртэл" in text
    assert "ТӨСӨЛ - гарын үсэг зурахад зориулаагүй · 2026 оны 11-р сарын 27" in text
    assert "Хуудас" in text
    assert "Intellectual" not in text and "Parties" not in text


def test_parallel_draft_puts_english_left_and_mongolian_right(drafts):
    document = Document(str(drafts["en+mn"]))
    body = document.tables[1]  # after the Mongol-script heading (issue 16)
    rows = [(row.cells[0].text, row.cells[1].text) for row in body.rows]
    assert ("Parties", "Талууд") in rows
    assert ("Purpose", "Зорилго") in rows
    languages = next(r for r in rows if r[0].startswith("This Memorandum is made in English and Mongolian"))
    assert languages[1].startswith("Энэхүү санамж бичгийг англи, монгол хэлээр 2 (хоёр) эх хувь")
    styles = {p.style.name for row in body.rows for p in row.cells[1].paragraphs}
    assert "Heading 1 (Mongolian)" in styles  # the right column has its own numbering, 1, 2, 3 ...


def test_renewal_refers_to_the_original(drafts):
    text = " ".join(text_of(drafts["renewal"]).split())
    assert "AGREEMENT ON THE RENEWAL OF THE MEMORANDUM OF UNDERSTANDING" in text.upper()
    # the title already says what it is: the kind is not said twice (issue 15)
    assert "The Parties signed the “Memorandum of Understanding with Alpha University” on 1 May 2020" in text
    assert "Memorandum of Understanding “Memorandum" not in text
    assert "which is in force until 30 April 2025" in text
    # The original ended before the draft date: the renewal counts from its own entry into force.
    assert "renewed for five (5) years, counted from the date on which this Agreement enters into force" in text
    assert "All other provisions of the Original Agreement remain unchanged" in text
    assert headings(drafts["renewal"]) == ["Parties", "The Original Agreement", "Renewal", "Other provisions", "Entry into force", "Languages and copies"]


def test_renewal_of_an_agreement_still_in_force_starts_the_day_after_it_ends(records, drafter, tmp_path):
    path = tmp_path / "r.docx"
    path.write_bytes(drafter.render(records.agreements_by_id["beta-cooperation-2024"], renewal=True))
    text = " ".join(text_of(path).split())
    assert "renewed for five (5) years, from 15 March 2029 to 14 March 2034" in text


def test_renewal_of_a_draft_is_refused(records, drafter):
    from irdocs.errors import RenderError

    with pytest.raises(RenderError, match="beta-exchange-draft is a draft: there is nothing to renew yet"):
        drafter.render(records.agreements_by_id["beta-exchange-draft"], renewal=True)


# --------------------------------------------------------------------------- a real client


def test_libreoffice_opens_every_test_draft(drafts, tmp_path):
    """One LibreOffice call converts every draft; each PDF shows the partner and numbers the clauses 1, 2, 3 ... with no gap."""
    from pypdf import PdfReader

    from irdocs.render.libreoffice import convert_to_pdf

    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is not installed: run 'make setup'")
    made = convert_to_pdf(list(drafts.values()), tmp_path)
    assert len(made) == len(drafts)
    for key, docx_path in drafts.items():
        pdf = tmp_path / (docx_path.stem + ".pdf")
        text = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
        flat = " ".join(text.split())
        partner = {"hostile-mou-2026": HOSTILE, "sample": "University of Georgia", "mn": "Альфа их сургууль"}.get(key)
        assert (partner or signature_columns(docx_path)[1].splitlines()[0]) in flat, key
        if key != "en+mn":  # the parallel text has two numbered columns side by side
            titles = headings(docx_path)
            numbers = [int(n) for n in re.findall(r"^(\d+)\.\s", text, flags=re.M) if int(n) <= len(titles)]
            found = [n for n in numbers if n <= len(titles)]
            for number, title in enumerate(titles, start=1):
                assert re.search(rf"^{number}\.\s+{re.escape(title.split()[0])}", text, flags=re.M), f"{key}: clause {number} '{title}'"
            assert sorted(set(found)) == list(range(1, len(titles) + 1))


# --------------------------------------------------------------------------- the command


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    folder = write_records(tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    return folder


def test_cli_writes_drafts_by_partner(scratch, run):
    result = run("agreement", "--where", "partner=alpha-university", "--date", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["wrote out/agreements/alpha-mou-2020.docx", "wrote out/agreements/alpha-gamma-joint-2025.docx"]
    assert "2 drafts in out/agreements" in result.stdout
    first = (scratch.parent / "out/agreements/alpha-mou-2020.docx").read_bytes()
    assert run("agreement", "alpha-mou-2020", "--date", "2026-11-27").exit_code == 0
    assert (scratch.parent / "out/agreements/alpha-mou-2020.docx").read_bytes() == first


def test_cli_languages_and_renewal_file_names(scratch, run):
    result = run("agreement", "beta-cooperation-2024", "--language", "en+mn", "--renewal", "--date", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("wrote out/agreements/beta-cooperation-2024.renewal.en-mn.docx\n1 renewal draft in out/agreements")


def test_cli_where_kind_and_status(scratch, run):
    result = run("agreement", "--where", "kind=mou", "--where", "status=active", "--date", "2026-11-27")
    assert result.stdout.splitlines()[0] == "wrote out/agreements/alpha-mou-2020.docx"
    assert "1 draft in" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alpha-mou-202"], "no agreement 'alpha-mou-202' in the records (did you mean 'alpha-mou-2020'?)"),
        ([], "name the agreements to draft (e.g. irdocs agreement yonsei-cooperation-1993), or use --where partner=ID, or --all"),
        (
            ["--where", "partner=alpha-universty"],
            "--where partner=alpha-universty: no partner 'alpha-universty' in the records (did you mean 'alpha-university'?)",
        ),
        (["--where", "colour=red"], "--where colour=red: unknown field 'colour' (did you mean 'country'? fields: country, id, kind, partner, status)"),
        (["--all", "--date", "27.11.2026"], "--date '27.11.2026' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-27"),
    ],
)
def test_cli_usage_errors(scratch, run, args, message):
    result = run("agreement", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_cli_renewal_of_a_draft_fails_alone(scratch, run):
    result = run("agreement", "beta-exchange-draft", "alpha-mou-2020", "--renewal", "--date", "2026-11-27")
    assert result.exit_code == 1
    assert "wrote out/agreements/alpha-mou-2020.renewal.docx" in result.stdout
    assert "beta-exchange-draft is a draft: there is nothing to renew yet" in result.stderr
    assert result.stderr.splitlines()[-1] == "1 of 2 renewal drafts could not be made."


def test_cli_pdf_without_libreoffice_says_how_to_install_it(scratch, run, monkeypatch, tmp_path):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("agreement", "alpha-mou-2020", "--pdf", "--date", "2026-11-27")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("LibreOffice is not installed, so no PDF copies were made (the Word files are written): install it with")
    assert (scratch.parent / "out/agreements/alpha-mou-2020.docx").is_file()


def test_renewals_lists_ending_and_overdue_agreements(scratch, run):
    result = run("renewals", "--within", "180", "--today", "2028-12-01")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Ending by 30 May 2029 (180 days from 1 December 2028):"
    assert lines[1].split() == ["2029-03-14", "in", "103", "days", "beta-cooperation-2024", "Beta", "Hospital"]
    assert lines[2] == "Ended, but still marked active (renew them, or set 'status: expired' in agreements.yaml):"
    assert lines[3].split()[:5] == ["2025-04-30", "1311", "days", "ago", "alpha-mou-2020"]
    assert lines[3].endswith("(records/agreements.yaml:2)")
    assert lines[-1] == "Draft a renewal with: irdocs agreement ID --renewal"


def test_renewals_when_nothing_ends(scratch, run):
    result = run("renewals", "--within", "30", "--today", "2025-01-01")
    assert result.stdout.strip() == "No active agreement ends by 31 January 2025 (30 days from 1 January 2025)."


# --------------------------------------------------------------------------- template errors


def copy_templates(tmp_path: Path) -> Path:
    from irdocs.documents.agreements.kind import TEMPLATES_DIR

    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR / "agreements", target / "agreements")
    return target


def test_clause_error_names_the_file_the_clause_and_the_tag(records, tmp_path, monkeypatch):
    from irdocs.documents.agreements.kind import Drafter
    from irdocs.errors import TemplateError

    monkeypatch.chdir(tmp_path)
    templates = copy_templates(tmp_path)
    library = templates / "agreements" / "clauses.yaml"
    text = library.read_text(encoding="utf-8").replace("The Parties cooperate in {{ areas }}.", "The Parties cooperate in {{ area }}.")
    library.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        Drafter(records, templates, DRAFT_DATE).render(records.agreements_by_id["beta-cooperation-2024"])
    message = str(caught.value)
    assert message.startswith("templates/agreements/clauses.yaml:")
    assert "clause 'cooperation', paragraph 1 (en): unknown name in '{{ area }}': 'area' is undefined" in message


def test_clause_library_with_a_wrong_kind_is_refused(records, tmp_path, monkeypatch):
    from irdocs.documents.agreements.kind import Drafter
    from irdocs.errors import TemplateError

    monkeypatch.chdir(tmp_path)
    templates = copy_templates(tmp_path)
    library = templates / "agreements" / "clauses.yaml"
    library.write_text(library.read_text(encoding="utf-8").replace("kinds: [exchange]", "kinds: [exchnage]"), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"clauses.yaml:\d+: clause 'purpose', paragraph 4: 'exchnage' is not a kind of agreement \(one of: mou, "):
        Drafter(records, templates, DRAFT_DATE)


def test_word_template_error_names_the_template_and_the_tag(records, tmp_path, monkeypatch):
    from irdocs.documents.agreements.kind import Drafter
    from irdocs.errors import TemplateError

    monkeypatch.chdir(tmp_path)
    templates = copy_templates(tmp_path)
    template = templates / "agreements" / "agreement.docx"
    document = Document(str(template))
    document.paragraphs[1].runs[0].text = "{{ subtitle }} {{ partner_city }}"
    document.save(str(template))
    with pytest.raises(TemplateError) as caught:
        Drafter(records, templates, DRAFT_DATE).render(records.agreements_by_id["beta-cooperation-2024"])
    assert str(caught.value) == "templates/agreements/agreement.docx: unknown name in the template: 'partner_city' is undefined"


def test_mongolian_drafts_use_the_mongolian_activities(sample_records, tmp_path):
    from irdocs.documents.agreements.kind import Drafter

    path = tmp_path / "yonsei.mn.docx"
    path.write_bytes(Drafter(sample_records, draft_date=DRAFT_DATE).render(sample_records.agreements_by_id["yonsei-cooperation-1993"], "mn"))
    text = text_of(path)
    assert "Ёнсэй их сургуулийн АШУҮИС-д байгуулсан гадаад хэлний номын сан" in text
    assert "foreign-language library" not in text


def test_previews_of_three_drafts_are_in_the_readme():
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("agreement-mou", "agreement-joint-programme", "agreement-multi-party"):
        path = REPO / "docs" / "previews" / f"{name}.png"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert f"(docs/previews/{name}.png)" in readme, name


@pytest.mark.parametrize(
    ("wrong", "right", "message"),
    [
        (
            'mn: "Хэл, эх хувь"}',
            "mn: Хэл, эх хувь}",
            r"clause 'languages', heading: unknown key 'эх хувь' \(only en: and mn:; a text with a comma needs quotes\)",
        ),
        (
            'kind_gen: "Багш, оюутан солилцооны гэрээний"}',
            "kind_gen: Багш, оюутан солилцооны гэрээний}",
            r"words: documents: exchange: mn: needs nom, acc, gen, dat, kind_gen",
        ),
    ],
)
def test_a_comma_without_quotes_is_caught(records, tmp_path, monkeypatch, wrong, right, message):
    from irdocs.documents.agreements.kind import Drafter
    from irdocs.errors import TemplateError

    monkeypatch.chdir(tmp_path)
    templates = copy_templates(tmp_path)
    library = templates / "agreements" / "clauses.yaml"
    text = library.read_text(encoding="utf-8")
    assert wrong in text
    library.write_text(text.replace(wrong, right), encoding="utf-8")
    with pytest.raises(TemplateError, match=message):
        Drafter(records, templates, DRAFT_DATE)
