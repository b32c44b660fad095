"""One bad record never blocks the rest (issue 14, point 4): every command works on the valid
records and names the others (file:line); the command whose own records are broken exits 1."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import MINI_AGREEMENTS, MINI_HONOREES, MINI_PARTNERS, REPO, SAMPLE

KEY = "test-key-0123456789-0123456789-0123456789"
AS_OF = "2024-06-30"
BAD_DATE = (
    "records/honorees.csv:2: honoree hd-2020-001: awarded_on: '2026-12-32' is not a date: there is no such day "
    "(a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)"
)


def run(*args: str):
    from irdocs.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("tpl") / "tpl"
    shutil.copytree(REPO / "templates", target)
    return target


@pytest.fixture
def office(tmp_path, monkeypatch, templates) -> Path:
    """A little office: hd-2020-001 (of partner alpha-university) and hp-1985-001 (no partner)."""
    records = tmp_path / "records"
    records.mkdir()
    for name in ("institution.yaml", "emblem.svg"):
        shutil.copy(SAMPLE / name, records)
    for name, text in (("partners.yaml", MINI_PARTNERS), ("agreements.yaml", MINI_AGREEMENTS), ("honorees.csv", MINI_HONOREES)):
        (records / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IRDOCS_KEY", KEY)
    monkeypatch.setenv("IRDOCS_TEMPLATES", str(templates))
    return tmp_path


def bad_date(office: Path) -> None:
    path = office / "records" / "honorees.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2020-06-15", "2026-12-32"), encoding="utf-8")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "args",
    [
        ("certificate", "hp-1985-001"),
        ("agreement", "--all", "--date", AS_OF),
        ("renewals", "--today", AS_OF),
        ("factsheet", "department", "--as-of", AS_OF),
        ("factsheet", "partner", "alpha-university", "--as-of", AS_OF),
        ("stats",),
        ("stats", "--json"),
        ("export", "--as", "partners", "partners.xlsx"),
    ],
    ids=lambda a: "-".join(a[:2]),
)
def test_a_bad_date_is_a_warning_to_the_commands_it_does_not_concern(office, args):
    """The issue's case: one honoree's date set to 2026-12-32; these all exited 1 before."""
    bad_date(office)
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert f"warning: {BAD_DATE}" in result.stderr.splitlines()
    assert "warning: 1 problem in the records: left out until fixed (see: irdocs check)." in result.stderr.splitlines()


def test_the_certificate_of_the_honoree_with_the_bad_date_is_refused(office):
    bad_date(office)
    result = run("certificate", "hd-2020-001")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [BAD_DATE, "1 problem found in the records."]
    assert not (office / "out" / "certificates").exists()
    assert not (office / "records" / "register.sqlite3").exists() or "HD-2020" not in run("register", "list").output


def test_the_others_certificates_are_made_and_the_broken_one_named(office):
    """A batch that includes the broken record makes the rest and exits 1, as 'irdocs build' does."""
    bad_date(office)
    result = run("certificate", "--all")
    assert result.exit_code == 1
    assert BAD_DATE in result.stderr.splitlines()
    made = sorted(p.name for p in (office / "out" / "certificates").glob("*.pdf"))
    assert made == ["MNUMS-HP-1985-0001.pdf"]
    named = run("certificate", "hp-1985-001", "hd-2020-001")
    assert named.exit_code == 1 and BAD_DATE in named.stderr.splitlines()
    assert "up to date: out/certificates/MNUMS-HP-1985-0001.pdf" in named.output


def test_stats_count_only_the_valid_records(office):
    bad_date(office)
    import json

    figures = json.loads(run("stats", "--json").stdout)
    assert figures["titles"] == 1


def test_a_partner_typo_leaves_out_its_honoree_only(office):
    """A YAML typo in partners.yaml: the honoree without a partner still gets a certificate."""
    path = office / "records" / "partners.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("city: Tokyo", 'city: "Tokyo'), encoding="utf-8")
    typo = (
        "records/partners.yaml:13: cannot read the file: a quotation mark is opened and never closed "
        "(valid YAML: two spaces per indent level, each field on its own line as 'field: value')"
    )
    alone = run("certificate", "hp-1985-001")
    assert alone.exit_code == 0, alone.output
    assert f"warning: {typo}" in alone.stderr.splitlines()
    partnered = run("certificate", "hd-2020-001")
    assert partnered.exit_code == 1
    assert typo in partnered.stderr.splitlines()
    drafts = run("agreement", "alpha-mou-2020", "--date", AS_OF)
    assert drafts.exit_code == 1 and typo in drafts.stderr.splitlines()


def test_export_of_a_kind_with_a_broken_row_is_refused(office):
    """A workbook without the broken row, imported with --delete-missing, would delete it."""
    bad_date(office)
    result = run("export", "--as", "honorees", "honorees.xlsx")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [BAD_DATE, "1 problem found in the records."]
    assert not (office / "honorees.xlsx").exists()


def test_import_into_another_file_goes_on_with_a_warning(office):
    bad_date(office)
    (office / "partners.csv").write_text("id,name,kind,country,city\ngamma-college,Gamma College,university,DE,Berlin\n", encoding="utf-8")
    honorees = digest(office / "records" / "honorees.csv")
    result = run("import", "partners.csv")
    assert result.exit_code == 0, result.output
    assert "Added 1 partner to records." in result.output
    assert f"warning: {BAD_DATE}" in result.stderr.splitlines()
    assert "gamma-college" in (office / "records" / "partners.yaml").read_text(encoding="utf-8")
    assert digest(office / "records" / "honorees.csv") == honorees


@pytest.mark.parametrize("update", [False, True])
def test_import_into_the_broken_file_is_refused(office, update):
    """Never rewrite a file that has a problem: the import names it and writes nothing."""
    bad_date(office)
    header = MINI_HONOREES.splitlines()[0]
    (office / "honorees-new.csv").write_text(
        f"{header}\nvp-2024-001,visiting-professor,Doe,Jane,,DE,Some University,,2024-01-01,For lectures.,Лекц.\n", encoding="utf-8"
    )
    before = digest(office / "records" / "honorees.csv")
    result = run("import", "honorees-new.csv", *(["--update"] if update else []))
    assert result.exit_code == 1
    assert BAD_DATE in result.stderr.splitlines()
    assert digest(office / "records" / "honorees.csv") == before


def test_new_agreement_for_a_partner_left_out_is_refused(office):
    """A new record that names a partner with a problem would be left out too: refused, naming why."""
    path = office / "records" / "partners.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("country: JP", "country: Japan-ish"), encoding="utf-8")
    (office / "proposal.yaml").write_text(
        "agreement:\n  id: alpha-mou-2024\n  kind: mou\n  title: New MoU\n  partners: [alpha-university]\n  status: draft\n", encoding="utf-8"
    )
    before = digest(office / "records" / "agreements.yaml")
    result = run("new", "agreement", "--from", "proposal.yaml")
    assert result.exit_code == 1
    assert any(line.startswith("records/partners.yaml:5: partner alpha-university: country:") for line in result.stderr.splitlines())
    assert digest(office / "records" / "agreements.yaml") == before


def test_check_still_refuses_every_problem(office):
    bad_date(office)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [BAD_DATE, "1 problem found in the records."]


# --------------------------------------------------------------------------- the web app


def test_the_overview_names_a_partners_typo(tmp_path, monkeypatch):
    """One YAML typo in partners.yaml: the overview said '0 partner organizations' and nothing else."""
    from tests.web.webtools import make_site

    site = make_site(tmp_path, monkeypatch)
    path = site.records / "partners.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip().startswith("city:"))
    path.write_text("\n".join(row.replace("city: ", 'city: "', 1) if i == line else row for i, row in enumerate(text.splitlines(), 1)) + "\n", encoding="utf-8")
    assert site.sign_in().status_code == 302
    for page in ("/", "/partners", "/honorees", "/agreements", "/renewals", "/factsheets", "/upload", "/honorees/new", "/partners/new"):
        body = site.client.get(page).get_data(as_text=True)
        assert "1 problem in the records." in body, page
        assert "records/partners.yaml:18: cannot read the file:" in body, page
        assert "everything else works" in body, page


def test_a_web_action_on_a_valid_record_goes_on(tmp_path, monkeypatch):
    """The certificate of an honoree the problem does not concern is made from the browser; the
    broken honoree's is refused with its problem."""
    from tests.web.webtools import make_site

    site = make_site(tmp_path, monkeypatch)
    path = site.records / "honorees.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",2024-05-15,", ",2026-12-32,", 1), encoding="utf-8")
    assert ",2026-12-32," in path.read_text(encoding="utf-8")
    assert site.sign_in().status_code == 302
    from irdocs.web import current_service

    with site.app.app_context():
        svc = current_service(site.app)
        records = svc.records()  # raised RecordsError before: every action refused
        broken = next(p for p in svc.records_and_problems()[1])
        from irdocs.errors import RecordsError

        with pytest.raises(RecordsError):
            svc.records({("honoree", broken.record_id)})
    assert records.honorees
    refused = site.post(f"/honorees/{broken.record_id}/certificate")
    assert refused.status_code == 409
    assert "2026-12-32" in refused.get_data(as_text=True)


def test_a_ceremony_with_a_broken_honoree_gets_no_print_file(office):
    """The others' certificates are made; the print file waits until every honoree of it is correct."""
    path = office / "records" / "honorees.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",ceremony", *(line + ",ceremony-2020-06" for line in lines[1:])]) + "\n", encoding="utf-8")
    bad_date(office)
    result = run("certificate", "--ceremony", "ceremony-2020-06")
    assert result.exit_code == 1
    assert BAD_DATE in result.stderr.splitlines()
    assert "The print file of ceremony-2020-06 is made once every certificate of it can be." in result.stderr.splitlines()
    assert sorted(p.name for p in (office / "out").rglob("*.pdf")) == ["MNUMS-HP-1985-0001.pdf"]
