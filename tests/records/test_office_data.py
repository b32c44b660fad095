"""Issue 14's observations on the records: office spreadsheets, names as people have them, the parties clause."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import MINI_HONOREES, REPO

HEADER = MINI_HONOREES.splitlines()[0]
ROW = "hp-2025-101,honorary-professor,{family},{given},{native},{country},{affiliation},,2025-06-15,For teaching.,Багшилсныг үнэлж."


def honoree_row(family="Tanaka", given="Kenichi", native="", country="JP", affiliation="Alpha University") -> str:
    return ROW.format(family=family, given=given, native=native, country=country, affiliation=affiliation)


def add_row(mini: Path, row: str) -> None:
    with (mini / "honorees.csv").open("a", encoding="utf-8") as file:
        file.write(row + "\n")


# --------------------------------------------------------------------------- the records as Excel saves them


def test_excel_saved_honorees_with_trailing_empty_columns_is_read(mini, run):
    """Excel keeps formatted empty columns: 'citation_mn,,' and ',,' at the end of every row."""
    lines = MINI_HONOREES.splitlines()
    text = "\r\n".join([lines[0] + ",,", *(line + ",," for line in lines[1:]), ",,,,,,,,,,,,", ""])
    (mini / "honorees.csv").write_bytes(("\ufeff" + text).encode("utf-8"))
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert "2 honorary titles" in result.stdout


def test_a_value_under_an_unnamed_column_names_the_row(mini, run):
    lines = MINI_HONOREES.splitlines()
    (mini / "honorees.csv").write_text("\n".join([lines[0] + ",", lines[1] + ",note", lines[2]]) + "\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "records/honorees.csv:2: honoree hd-2020-001: column 12 of the header has no name, but this row has a value in it "
        "(a name for the column in the header, or delete the column)",
        "1 problem found in the records.",
    ]


def test_countries_by_name_and_office_dates_are_read(mini, run):
    from irdocs.records.validate import load_records

    add_row(mini, honoree_row(country="Japan").replace("2025-06-15", "2025.12.10"))
    add_row(mini, honoree_row(country="United Kingdom").replace("hp-2025-101", "hp-2025-102").replace("2025-06-15", "10.12.2025"))
    add_row(mini, honoree_row(country="Өмнөд Солонгос").replace("hp-2025-101", "hp-2025-103"))
    result = run("check")
    assert result.exit_code == 0, result.stderr
    honorees = load_records(mini).honorees_by_id
    assert [(h.country, str(h.awarded_on)) for h in (honorees["hp-2025-101"], honorees["hp-2025-102"], honorees["hp-2025-103"])] == [
        ("JP", "2025-12-10"),
        ("GB", "2025-12-10"),
        ("KR", "2025-06-15"),
    ]


@pytest.mark.parametrize(
    ("country", "date", "message"),
    [
        ("UK", "2025-06-15", "country: 'UK' is not a country code (did you mean GB (United Kingdom)?)"),
        (
            "JP",
            "12/10/2025",
            "awarded_on: '12/10/2025' can be read two ways: 12 October 2025 (day first) or December 10, 2025 (month first) (write it as 2025-10-12 or 2025-12-10)",
        ),
        ("JP", "2025-06-15 14:30", "awarded_on: '2025-06-15 14:30' has a time of day (14:30) (the date only, e.g. 2025-06-15)"),
    ],
    ids=["uk", "ambiguous-date", "time-of-day"],
)
def test_values_that_need_a_person_are_explained(mini, run, country, date, message):
    add_row(mini, honoree_row(country=country).replace("2025-06-15", date))
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"records/honorees.csv:4: honoree hp-2025-101: {message}", "1 problem found in the records."]


# --------------------------------------------------------------------------- names


@pytest.fixture
def certificate_pdf(tmp_path):
    """Render the certificate of one honoree of a records folder; the PDF's path."""

    def render(folder: Path, honoree_id: str) -> Path:
        from irdocs.documents.certificates.kind import CertificateMaker
        from irdocs.records.validate import load_records

        records = load_records(folder)
        maker = CertificateMaker(records.institution, records.root, REPO / "templates" / "certificates")
        path = tmp_path / f"{honoree_id}.pdf"
        path.write_bytes(maker.pdf(records.honorees_by_id[honoree_id], "MNUMS-HP-2025-0001", "ABCDEFGHJK"))
        return path

    return render


def pdf_lines(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(line.split()) for page in PdfReader(str(path)).pages for line in page.extract_text().splitlines()]


def test_a_person_with_one_name(mini, run, certificate_pdf):
    add_row(mini, honoree_row(family="", given="Sukarno", country="ID", affiliation="Universitas Contoh"))
    result = run("check")
    assert result.exit_code == 0, result.stderr
    text = " ".join(pdf_lines(certificate_pdf(mini, "hp-2025-101")))
    assert "confers upon Sukarno" in text or "Sukarno" in text.split("confers upon", 1)[1][:20]
    assert "- Sukarno" not in text and "None" not in text


def test_a_person_with_no_name_is_refused(mini, run):
    add_row(mini, honoree_row(family="", given=""))
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "records/honorees.csv:4: honoree hp-2025-101: has neither a family name nor a given name "
        "(at least one of family_name and given_name; a person with one name writes it in either)"
    )


def test_name_order_by_country_and_by_record(mini, certificate_pdf):
    from irdocs.records.validate import load_records

    text = (mini / "honorees.csv").read_text(encoding="utf-8").replace("citation,citation_mn", "citation,citation_mn,name_order", 1)
    (mini / "honorees.csv").write_text(text, encoding="utf-8")
    add_row(mini, honoree_row(family="Nguyễn", given="Thị Minh Khai", country="VN", affiliation="Hanoi Medical University"))
    add_row(mini, honoree_row(family="Tanaka", given="Kenichi", country="JP").replace("hp-2025-101", "hp-2025-102") + ",given-first")
    honorees = load_records(mini).honorees_by_id
    assert honorees["hp-2025-101"].display_name == "Nguyễn Thị Minh Khai"
    assert honorees["hp-2025-102"].display_name == "Kenichi Tanaka"
    assert honorees["hd-2020-001"].display_name == "Yamada Taro"  # JP: family first by default
    text = " ".join(pdf_lines(certificate_pdf(mini, "hp-2025-101")))
    assert "Nguyễn Thị Minh Khai" in text and "Thị Minh Khai Nguyễn" not in text


def test_joiners_where_the_script_needs_them(mini, run):
    add_row(mini, honoree_row(native="आर्\u200dया", country="IN"))
    result = run("check")
    assert result.exit_code == 0, result.stderr


def test_taiwanese_affiliation_is_set_in_traditional_chinese(mini, certificate_pdf, tmp_path):
    add_row(mini, honoree_row(family="Chen", given="Wei", country="TW", affiliation="國立臺灣大學醫學院"))
    pdf = certificate_pdf(mini, "hp-2025-101")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Serif-CJK-TC" in fonts, fonts
    assert "CJK-JP" not in fonts, fonts
    assert "國立臺灣大學醫學院" in " ".join(pdf_lines(pdf))


def test_former_names_of_a_partner(mini, run):
    text = (mini / "partners.yaml").read_text(encoding="utf-8").replace("    city: Tokyo\n", "    city: Tokyo\n    former_names: [Alpha Medical College]\n", 1)
    (mini / "partners.yaml").write_text(text, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 0, result.stderr
    from irdocs.records.validate import load_records

    assert load_records(mini).partners_by_id["alpha-university"].former_names == ("Alpha Medical College",)


# --------------------------------------------------------------------------- the parties clause


def test_parties_clause_names_every_partys_country(mini, run):
    from docx import Document

    partners = (mini / "partners.yaml").read_text(encoding="utf-8")
    partners += "  - id: hankuk-university\n    name: Hankuk University\n    native_name: 한국대학교\n    kind: university\n    country: KR\n    city: Yongin\n"
    partners += "    address: 81 Oedae-ro, Mohyeon-eup, Yongin 17035\n"
    (mini / "partners.yaml").write_text(partners, encoding="utf-8")
    agreements = (
        (mini / "agreements.yaml").read_text(encoding="utf-8").replace("partners: [alpha-university]", "partners: [alpha-university, hankuk-university]", 1)
    )
    (mini / "agreements.yaml").write_text(agreements, encoding="utf-8")
    result = run("agreement", "alpha-mou-2020", "--date", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    # (word joiners, invisible, keep the Korean name on one line)
    text = [p.text.replace("\u2060", "") for p in Document(str(mini.parent / "out/agreements/alpha-mou-2020.docx")).paragraphs]
    hankuk = next(p for p in text if p.startswith("Hankuk University"))
    assert hankuk.startswith("Hankuk University (한국대학교), 81 Oedae-ro, Mohyeon-eup, Yongin 17035, South Korea, represented by")
    alpha = next(p for p in text if p.startswith("Alpha University"))
    assert alpha.startswith("Alpha University, Tokyo, Japan, represented by")


def test_former_names_are_on_the_partner_fact_sheet(mini, run):
    from pypdf import PdfReader

    text = (mini / "partners.yaml").read_text(encoding="utf-8").replace("    city: Tokyo\n", "    city: Tokyo\n    former_names: [Alpha Medical College]\n", 1)
    (mini / "partners.yaml").write_text(text, encoding="utf-8")
    result = run("factsheet", "partner", "alpha-university", "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    pdf = next((mini.parent / "out").rglob("*alpha-university*.pdf"))
    lines = [" ".join(line.split()) for line in PdfReader(str(pdf)).pages[0].extract_text().splitlines()]
    assert "Formerly: Alpha Medical College" in lines
    from docx import Document

    docx = next((mini.parent / "out").rglob("*alpha-university*.docx"))
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert "Formerly: Alpha Medical College" in paragraphs, "the Word sheet shows the former names as the PDF does"


def test_import_adds_a_column_the_records_do_not_have_yet(mini, run):
    from spreadsheets import row_workbook

    before = (mini / "honorees.csv").read_text(encoding="utf-8")
    row_workbook(mini.parent / "new.xlsx", {"family_name": "Kovács", "given_name": "Anna", "country": "Hungary", "name_order": "family-first"})
    result = run("import", "new.xlsx", "--as", "honorees")
    assert result.exit_code == 0, result.stderr
    lines = (mini / "honorees.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == before.splitlines()[0] + ",name_order"
    assert lines[1:3] == before.splitlines()[1:3], "the rows already there are not touched"
    assert lines[3] == "hp-2025-101,honorary-professor,Kovács,Anna,田中 健一,HU,Alpha University,,2025-06-15,For teaching.,Багшилсныг үнэлж.,family-first"
    from irdocs.records.validate import load_records

    assert load_records(mini).honorees_by_id["hp-2025-101"].display_name == "Kovács Anna"
