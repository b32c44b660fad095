"""`irdocs new partner|agreement`: guided questions (driven through CliRunner input) and proposal files."""

from __future__ import annotations

import datetime as dt

import pytest

COMMENT = "# Agreements of the test office.\n# kind: mou | cooperation-agreement | joint-programme | exchange | funded-project\n\n"


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.fixture
def office(mini):
    """The mini records folder, with comments at the top of both files that must survive."""
    agreements = mini / "agreements.yaml"
    agreements.write_text(COMMENT + agreements.read_text(encoding="utf-8"), encoding="utf-8")
    partners = mini / "partners.yaml"
    partners.write_text("# Partners (keep this comment)\n" + partners.read_text(encoding="utf-8"), encoding="utf-8")
    return mini


def test_new_agreement_by_questions_passes_check_and_keeps_comments(office, run):
    before = (office / "agreements.yaml").read_text(encoding="utf-8")
    result = run(
        "new",
        "agreement",
        "--date",
        "2026-11-27",
        input=answers(
            "alpha-university",  # partners
            "2",  # kind: cooperation-agreement
            "",  # title: the default
            "",  # Mongolian title: skipped
            "",  # id: the default
            "active",  # status
            "2026-02-30",  # signed on: no such day, asked again
            "2025-06-15",
            "",  # duration: 5 years
            "science, 4",  # areas
            "joint research in public health",
            "exchange of students",
            "",  # no more activities
            "y",  # in Mongolian too
            "нийгмийн эрүүл мэндийн хамтарсан судалгаа",
            "оюутан солилцох",
            "Prof. Akira Alpha",  # who signs for Alpha University
            "President",
            "y",  # add it
            "y",  # write the draft
        ),
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Not accepted: '2026-02-30' is not a date: there is no such day (a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)" in out
    assert "  2. cooperation-agreement (Cooperation Agreement)" in out
    assert "Title [Cooperation Agreement between MNUMS and Alpha University]" in out
    year = dt.date.today().year  # the suggested id ends with this year
    assert f"Added agreement alpha-university-cooperation-{year} to records/agreements.yaml." in out
    assert f"wrote out/agreements/alpha-university-cooperation-{year}.docx" in out
    assert (office.parent / f"out/agreements/alpha-university-cooperation-{year}.docx").is_file()
    after = (office / "agreements.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # every old line and comment, unchanged
    added = after[len(before) :]
    assert "    partners: [alpha-university]\n    status: active\n    signed_on: 2025-06-15\n    duration_years: 5\n    areas: [science, health]\n" in added
    assert "      alpha-university:\n        name: Prof. Akira Alpha\n        title: President\n" in added
    check = run("check")
    assert check.exit_code == 0, check.stderr
    from irdocs.records.validate import load_records

    records = load_records(office)
    new = next(a for a in records.agreements if a.id.startswith("alpha-university-cooperation-"))
    assert new.activities == ("joint research in public health", "exchange of students")
    assert new.activities_mn == ("нийгмийн эрүүл мэндийн хамтарсан судалгаа", "оюутан солилцох")
    assert new.signatories["alpha-university"].title == "President"


def test_new_agreement_with_a_new_partner_on_the_way(office, run):
    result = run(
        "new",
        "agreement",
        input=answers(
            "gamma-institute",  # not in partners.yaml yet
            "y",  # add it now
            "Gamma Institute of Health",
            "",  # its id: gamma-institute
            "",
            "",
            "research-institute",
            "United States",  # a country name becomes US
            "Boston",
            "",
            "www.gamma.example",  # not a web address: asked again
            "https://www.gamma.example",
            "",  # representative unknown
            "3",  # joint-programme
            "",
            "",
            "gamma-nursing-programme",
            "",  # draft
            "2031-08-31",  # ends on this day
            "education,health",
            "",  # no activities
            "Nursing",
            "",
            "4 + 2",
            "Master of Nursing",
            "2027",
            "n",  # no other programme
            "",  # nobody known to sign for Gamma yet
            "y",
            "n",  # no draft now
        ),
    )
    assert result.exit_code == 0, result.output
    assert "There is no partner 'gamma-institute' in partners.yaml." in result.stdout
    assert "  US (United States)" in result.stdout
    assert "Not accepted: 'www.gamma.example' is not a web address (an address starting with https://)" in result.stdout
    assert "Added partner gamma-institute to records/partners.yaml.\nAdded agreement gamma-nursing-programme to records/agreements.yaml." in result.stdout
    assert (office / "partners.yaml").read_text(encoding="utf-8").startswith("# Partners (keep this comment)\npartners:\n  - id: alpha-university\n")
    assert run("check").exit_code == 0
    from irdocs.records.validate import load_records

    records = load_records(office)
    programme = records.agreements_by_id["gamma-nursing-programme"].programmes[0]
    assert (programme.name, programme.scheme, programme.degree, programme.starts) == ("Nursing", "4+2", "Master of Nursing", 2027)
    assert records.partners_by_id["gamma-institute"].country == "US"


def test_new_partner_by_questions(office, run):
    result = run(
        "new",
        "partner",
        input=answers("Hoshigaoka Medical University", "", "星ヶ丘医科大学", "", "1", "JP", "Nagoya", "", "", "Prof. Hiroshi Ueno", "President", "y"),
    )
    assert result.exit_code == 0, result.output
    assert "Short id for the records: lower-case letters, digits and hyphens [hoshigaoka-medical-university]" in result.stdout
    assert "Added partner hoshigaoka-medical-university to records/partners.yaml." in result.stdout
    assert run("check").exit_code == 0


def test_an_id_already_used_is_refused_at_once(office, run):
    result = run("new", "partner", input=answers("Alpha Clinic", "alpha-university", "alpha-clinic", "", "", "2", "JP", "Tokyo", "", "", "", "n"))
    assert "Not accepted: 'alpha-university' is already the id of the partner at records/partners.yaml:3 (choose another id)" in result.stdout
    assert result.stdout.rstrip().endswith("Nothing was added.")
    assert "alpha-clinic" not in (office / "partners.yaml").read_text(encoding="utf-8")


PROPOSAL = """\
# A proposal received by e-mail
partner:
  id: delta-university
  name: Delta University
  kind: university
  country: TR
  city: Ankara
agreement:
  id: delta-mou-draft
  kind: mou
  title: Memorandum of Understanding with Delta University
  partners: [delta-university]
  status: draft
  duration_years: 5
  areas: [education, health]
  activities:
    - exchange of students
"""


def test_new_agreement_from_a_proposal_file(office, run):
    (office.parent / "proposal.yaml").write_text(PROPOSAL, encoding="utf-8")
    result = run("new", "agreement", "--from", "proposal.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Added partner delta-university to records/partners.yaml.",
        "Added agreement delta-mou-draft to records/agreements.yaml.",
        "Draft it with: irdocs agreement delta-mou-draft",
    ]
    assert (office / "agreements.yaml").read_text(encoding="utf-8").startswith(COMMENT)
    assert run("check").exit_code == 0
    assert run("agreement", "delta-mou-draft", "--date", "2026-11-27").exit_code == 0


def test_a_bad_proposal_adds_nothing_and_names_the_line(office, run):
    (office.parent / "proposal.yaml").write_text(PROPOSAL.replace("areas: [education, health]", "areas: [education, helth]"), encoding="utf-8")
    before = {name: (office / name).read_bytes() for name in ("partners.yaml", "agreements.yaml")}
    result = run("new", "agreement", "--from", "proposal.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "proposal.yaml:15: agreement delta-mou-draft: areas[1]: 'helth' is not one of the allowed values (did you mean 'health'? one of: science, technology, education, health)",
        "1 problem found in the records.",
    ]
    assert {name: (office / name).read_bytes() for name in before} == before


def test_new_partner_from_a_file(office, run):
    (office.parent / "partner.yaml").write_text("id: epsilon-hospital\nname: Epsilon Hospital\nkind: hospital\ncountry: KR\ncity: Busan\n", encoding="utf-8")
    result = run("new", "partner", "--from", "partner.yaml")
    assert result.stdout.strip() == "Added partner epsilon-hospital to records/partners.yaml."
    assert run("check").exit_code == 0


def test_answers_are_checked_with_the_model_rules():
    from irdocs.records.entry import AnswerError, check_answer
    from irdocs.records.model import Agreement, Partner

    assert check_answer(Agreement, "duration_years", 5) == 5
    with pytest.raises(AnswerError, match=r"'70' is not allowed \(a whole number of years from 1 to 50\)"):
        check_answer(Agreement, "duration_years", 70)
    assert check_answer(Partner, "country", "Japan") == "JP"
    with pytest.raises(AnswerError, match=r"'UK' is not a country code \(did you mean GB \(United Kingdom\)\?\)"):
        check_answer(Partner, "country", "UK")


def test_mongolian_activities_must_match_the_english_ones(office, run):
    text = (office / "agreements.yaml").read_text(encoding="utf-8") + "    activities_mn:\n      - оюутан солилцох\n      - илүү мөр\n"
    (office / "agreements.yaml").write_text(text, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "records/agreements.yaml:15: agreement alpha-mou-2020: activities_mn: has 2 entries but 'activities' has 1 (one Mongolian text for each activity, in the same order)"
    )
