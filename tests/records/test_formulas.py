"""Spreadsheet formulas stay out of the records and out of the register's export (issue 19, step 9)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import MINI_HONOREES

FORMULA = '=HYPERLINK("http://evil.example","x")'
HONOREE = {
    "id": "hd-2026-001",
    "title": "honorary-doctorate",
    "family_name": "Yamada",
    "given_name": "Taro",
    "country": "JP",
    "affiliation": "Tokyo Ariake University",
    "awarded_on": "2026-06-15",
    "citation": "For service.",
    "citation_mn": "Гавьяаг үнэлж.",
}


@pytest.mark.parametrize("name", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "Kim;=HYPERLINK(1)", "Kim,@x", "Kim, +1"])
def test_a_name_written_as_a_formula_is_refused_in_the_records(mini, run, name):
    """Issue 19: names like =HYPERLINK(...) went verbatim into honorees.csv from the form, the API and import."""
    rows = list(csv.DictReader(io.StringIO(MINI_HONOREES)))
    rows[0]["given_name"] = name
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (mini / "honorees.csv").write_text(out.getvalue(), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert "given_name" in result.output and "a spreadsheet" in result.output and "leave out the '='" in result.output


def test_import_refuses_a_formula(mini, run, tmp_path):
    before = (mini / "honorees.csv").read_bytes()
    sheet = tmp_path / "new.csv"
    sheet.write_text(",".join(HONOREE) + "\n" + ",".join({**HONOREE, "family_name": "@cmd"}.values()) + "\n", encoding="utf-8")
    result = run("import", str(sheet), "--as", "honorees")
    assert result.exit_code == 1 and "family_name" in result.output and "starts with '@'" in result.output
    assert (mini / "honorees.csv").read_bytes() == before


def test_the_api_and_the_form_refuse_a_formula(tmp_path, monkeypatch):
    from tests.web.webtools import PASSWORD, USER, make_site

    site = make_site(tmp_path, monkeypatch)
    before = (site.records / "honorees.csv").read_bytes()
    import base64

    auth = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}
    answer = site.client.post("/api/honorees", headers=auth, json={**HONOREE, "given_name": FORMULA})
    assert answer.status_code == 422
    assert answer.get_json()["problems"][0]["field"] == "given_name" and "formula" in answer.get_json()["problems"][0]["message"]
    site.sign_in()
    form = site.post("/honorees/new", {**HONOREE, "given_name": FORMULA})
    assert "formula" in form.get_data(as_text=True) and form.status_code != 302
    assert (site.records / "honorees.csv").read_bytes() == before


def test_the_register_export_is_text_whatever_the_separator(tmp_path, keyed):
    """Issue 19: the export's ' prefix was bypassed by 'Kim;=HYPERLINK(...)' in a spreadsheet splitting on ';'."""
    from irdocs.documents.certificates.register import Content, Register

    names = [FORMULA, "Kim;=HYPERLINK(1)", "Lee,@SUM(A1)", "Park\t+1", "Choi; -2", "Plain Name"]
    with Register(tmp_path / "r.sqlite3") as register:
        for number, name in enumerate(names, 1):
            register.issue("MNUMS", Content(f"h{number}", "honorary-doctorate", "HD", 2024, name, "", "2024"), lambda s, c: "CODE", "t")
        text = register.export_csv()
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert not cell.strip().startswith(("=", "+", "-", "@")), (delimiter, cell)
        for line in text.splitlines():  # a spreadsheet that ignores the quotes
            for cell in line.split(delimiter):
                assert not cell.strip().strip('"').startswith(("=", "+", "@")), (delimiter, cell)
    exported = {row["honoree_id"]: row["name"] for row in csv.DictReader(io.StringIO(text))}
    assert exported["h1"] == "'" + FORMULA and exported["h2"] == "Kim;'=HYPERLINK(1)" and exported["h6"] == "Plain Name"
