"""One test per rule: each bad input gives its exact message (file:line, record, field, fix) and exit 1."""

import pytest

CASES = [
    pytest.param(
        "partners.yaml",
        "    name: Alpha University\n",
        "",
        "records/partners.yaml:2: partner alpha-university: name: is missing (the official English name)",
        id="missing-field",
    ),
    pytest.param(
        "partners.yaml",
        "    city: Tokyo\n",
        "    city: Tokyo\n    websit: https://alpha.example.jp\n",
        "records/partners.yaml:7: partner alpha-university: websit: unknown field (did you mean 'website'?)",
        id="unknown-field",
    ),
    pytest.param(
        "partners.yaml",
        "kind: university",
        "kind: univercity",
        "records/partners.yaml:4: partner alpha-university: kind: 'univercity' is not one of the allowed values (did you mean 'university'? one of: university, hospital, government, association, company, research-institute)",
        id="bad-enum",
    ),
    pytest.param(
        "partners.yaml",
        "country: JP",
        "country: UK",
        "records/partners.yaml:5: partner alpha-university: country: 'UK' is not a country code (did you mean GB (United Kingdom)?)",
        id="country-uk",
    ),
    pytest.param(
        "partners.yaml",
        "country: JP",
        "country: Narnia",
        "records/partners.yaml:5: partner alpha-university: country: 'Narnia' is not a country code or name "
        "(a two-letter ISO 3166 code such as JP, KR, US, or the country's name in English or Mongolian)",
        id="country-name-unknown",
    ),
    pytest.param(
        "partners.yaml",
        "country: JP",
        "country: XX",
        "records/partners.yaml:5: partner alpha-university: country: 'XX' is not an ISO 3166 country code (a two-letter code such as JP, KR, US)",
        id="country-unknown",
    ),
    pytest.param(
        "partners.yaml",
        "id: beta-hospital",
        "id: Beta-Hospital",
        "records/partners.yaml:7: partner Beta-Hospital: id: 'Beta-Hospital' has capital letters (lower-case letters a-z, digits and single hyphens, e.g. 'yonsei-university'; write 'beta-hospital')",
        id="id-capitals",
    ),
    pytest.param(
        "partners.yaml",
        "id: beta-hospital",
        "id: beta/hospital",
        "records/partners.yaml:7: partner beta/hospital: id: 'beta/hospital' cannot be used as an id (it becomes a file name) (lower-case letters a-z, digits and single hyphens, e.g. 'yonsei-university')",
        id="id-slash",
    ),
    pytest.param(
        "partners.yaml",
        "id: beta-hospital",
        "id: ../beta",
        "records/partners.yaml:7: partner ../beta: id: '../beta' cannot be used as an id (it becomes a file name) (lower-case letters a-z, digits and single hyphens, e.g. 'yonsei-university')",
        id="id-dotdot",
    ),
    pytest.param(
        "partners.yaml",
        "id: beta-hospital",
        "id: beta hospital",
        "records/partners.yaml:7: partner beta hospital: id: 'beta hospital' cannot be used as an id (it becomes a file name) (lower-case letters a-z, digits and single hyphens, e.g. 'yonsei-university')",
        id="id-space",
    ),
    pytest.param(
        "partners.yaml",
        "id: beta-hospital",
        "id: con",
        "records/partners.yaml:7: partner con: id: 'con' is a name Windows reserves for devices (another id, e.g. 'con-1')",
        id="id-reserved",
    ),
    pytest.param(
        "partners.yaml",
        "id: beta-hospital",
        "id: alpha-university",
        "records/partners.yaml:7: partner alpha-university: id: 'alpha-university' is already the id of the partner at records/partners.yaml:2 (each id only once, in all record files)",
        id="id-duplicate",
    ),
    pytest.param(
        "honorees.csv",
        "hp-1985-001,",
        "alpha-mou-2020,",
        "records/honorees.csv:3: honoree alpha-mou-2020: id: 'alpha-mou-2020' is already the id of the agreement at records/agreements.yaml:2 (each id only once, in all record files)",
        id="id-duplicate-across-files",
    ),
    pytest.param(
        "partners.yaml",
        "    city: Tokyo\n",
        "    city: Tokyo\n    website: alpha.example.jp\n",
        "records/partners.yaml:7: partner alpha-university: website: 'alpha.example.jp' is not a web address (an address starting with https://)",
        id="url",
    ),
    pytest.param(
        "agreements.yaml",
        "partners: [alpha-university]",
        "partners: [alpha-universty]",
        "records/agreements.yaml:5: agreement alpha-mou-2020: partners[0]: no partner has the id 'alpha-universty' (did you mean 'alpha-university'?)",
        id="dangling-partner",
    ),
    pytest.param(
        "agreements.yaml",
        "status: active",
        "status: signed",
        "records/agreements.yaml:6: agreement alpha-mou-2020: status: 'signed' is not one of the allowed values (one of: draft, active, expired, terminated)",
        id="bad-status",
    ),
    pytest.param(
        "agreements.yaml",
        "areas: [education, health]",
        "areas: [education, medicine]",
        "records/agreements.yaml:9: agreement alpha-mou-2020: areas[1]: 'medicine' is not one of the allowed values (one of: science, technology, education, health)",
        id="bad-area",
    ),
    pytest.param(
        "agreements.yaml",
        "signed_on: 2020-05-01",
        "signed_on: 2020-02-30",
        "records/agreements.yaml:7: agreement alpha-mou-2020: signed_on: '2020-02-30' is not a date: there is no such day (a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)",
        id="impossible-date",
    ),
    pytest.param(
        "agreements.yaml",
        "signed_on: 2020-05-01",
        "signed_on: 2099-05-01",
        "records/agreements.yaml:7: agreement alpha-mou-2020: signed_on: '2099-05-01' is in the future (the day it was signed; an agreement not signed yet has 'status: draft')",
        id="future-signed",
    ),
    pytest.param(
        "agreements.yaml",
        "    duration_years: 5\n",
        "    duration_years: 5\n    valid_until: 2025-04-30\n",
        "records/agreements.yaml:8: agreement alpha-mou-2020: duration_years: both 'valid_until' and 'duration_years' are given (only one of the two)",
        id="both-durations",
    ),
    pytest.param(
        "agreements.yaml",
        "    duration_years: 5\n",
        "    valid_until: 2019-04-30\n",
        "records/agreements.yaml:8: agreement alpha-mou-2020: valid_until: '2019-04-30' is before the signing date 2020-05-01 (a date after 'signed_on')",
        id="until-before-signed",
    ),
    pytest.param(
        "agreements.yaml",
        "    signed_on: 2020-05-01\n",
        "",
        "records/agreements.yaml:6: agreement alpha-mou-2020: status: a signed agreement needs 'signed_on' (the signing date, or 'status: draft' if it is not signed yet)",
        id="active-unsigned",
    ),
    pytest.param(
        "agreements.yaml",
        "duration_years: 5",
        "duration_years: 0",
        "records/agreements.yaml:8: agreement alpha-mou-2020: duration_years: '0' is not allowed (a whole number of years from 1 to 50)",
        id="zero-duration",
    ),
    pytest.param(
        "agreements.yaml",
        "areas: [education, health]",
        "areas: []",
        "records/agreements.yaml:9: agreement alpha-mou-2020: areas: has 0 entries (a list from: science, technology, education, health)",
        id="no-areas",
    ),
    pytest.param(
        "agreements.yaml",
        "      - exchange of students\n",
        "      - exchange of students\n    signatories:\n      beta-hospital:\n        name: Dr. Beta\n        title: Director\n",
        "records/agreements.yaml:13: agreement alpha-mou-2020: signatories.beta-hospital: 'beta-hospital' is not a party to this agreement (one of: mnums, alpha-university)",
        id="signatory-not-party",
    ),
    pytest.param(
        "honorees.csv",
        ",1985,",
        ",1998-13-01,",
        "records/honorees.csv:3: honoree hp-1985-001: awarded_on: '1998-13-01' is not a date: there is no such day (a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)",
        id="bad-award-date",
    ),
    pytest.param(
        "honorees.csv",
        ",1985,",
        ",1975,",
        "records/honorees.csv:3: honoree hp-1985-001: awarded_on: '1975' is before the first honorary title (1978) (a date from 1978 on)",
        id="award-before-1978",
    ),
    pytest.param(
        "honorees.csv",
        ",1985,",
        ",1930,",
        "records/honorees.csv:3: honoree hp-1985-001: awarded_on: '1930' is before the university was founded (1942) (a date from 1978 on)",
        id="award-before-founding",
    ),
    pytest.param(
        "honorees.csv",
        ",1985,",
        ",2099-01-01,",
        "records/honorees.csv:3: honoree hp-1985-001: awarded_on: '2099-01-01' is more than a year in the future (the date of the award or of its ceremony)",
        id="award-future",
    ),
    pytest.param(
        "honorees.csv",
        "hp-1985-001,honorary-professor",
        "hp-1985-001,Honorary Professor",
        "records/honorees.csv:3: honoree hp-1985-001: title: 'Honorary Professor' is not one of the allowed values (did you mean 'honorary-professor'? one of: honorary-doctorate, honorary-professor, visiting-professor)",
        id="title-kind",
    ),
    pytest.param(
        "honorees.csv",
        "Beta Hospital,,",
        "Beta Hospital,beta-hospitl,",
        "records/honorees.csv:3: honoree hp-1985-001: partner: no partner has the id 'beta-hospitl' (did you mean 'beta-hospital'?)",
        id="honoree-dangling",
    ),
    pytest.param(
        "honorees.csv",
        "citation,citation_mn\n",
        "citation,citation_mn,natve_name\n",
        "records/honorees.csv:1: unknown column 'natve_name' (did you mean 'native_name'?)",
        id="unknown-column",
    ),
    pytest.param(
        "honorees.csv",
        "Багшилсныг үнэлж.",
        "Багшилсныг үнэлж.,extra",
        "records/honorees.csv:3: honoree hp-1985-001: the row has 12 cells but the header names 11 columns (one cell per column; check for a stray ',' in a text)",
        id="ragged-row",
    ),
    pytest.param(
        "honorees.csv",
        "For teaching.",
        '"For teaching.',
        'records/honorees.csv:3: cannot read the row: a quotation mark is opened and never closed (a " inside a text must be written as "")',
        id="open-quote",
    ),
    pytest.param(
        "honorees.csv",
        "hp-1985-001,",
        "id,title,family_name,given_name,native_name,country,affiliation,partner,awarded_on,citation,citation_mn\nhp-1985-001,",
        "records/honorees.csv:3: the header row appears again (the header only once, at the top)",
        id="header-twice",
    ),
    pytest.param(
        "honorees.csv",
        "Kim,Minjun",
        "Kim\x07,Minjun",
        "records/honorees.csv:3: honoree hp-1985-001: family_name: contains an invisible character U+0007 (control character) at position 4 (visible text only; retype the text or paste it as plain text)",
        id="control-char",
    ),
    pytest.param(
        "honorees.csv",
        "Kim,Minjun",
        "Ki\u200bm,Minjun",
        "records/honorees.csv:3: honoree hp-1985-001: family_name: contains an invisible character U+200B (zero width space) at position 3 (visible text only; retype the text or paste it as plain text)",
        id="zero-width",
    ),
    pytest.param(
        "honorees.csv",
        "Kim,Minjun",
        "K" + "i" * 9999 + ",Minjun",
        "records/honorees.csv:3: honoree hp-1985-001: family_name: is 10000 characters long (at most 200 characters)",
        id="long-name",
    ),
    pytest.param(
        "partners.yaml",
        "    city: Tokyo\n",
        "\tcity: Tokyo\n",
        "records/partners.yaml:6: cannot read the file: a tab character is used for indentation (spaces for indentation; YAML does not allow tab characters)",
        id="yaml-tab",
    ),
    pytest.param(
        "partners.yaml",
        "    city: Tokyo\n",
        "    city: Tokyo\n    city: Kyoto\n",
        "records/partners.yaml:7: cannot read the file: the field 'city' appears twice in one record (each field once per record)",
        id="yaml-duplicate-key",
    ),
    pytest.param(
        "partners.yaml",
        "    city: Tokyo\n",
        "      city: Tokyo\n",
        "records/partners.yaml:6: cannot read the file: a ':' is in an unexpected place; is this line indented more than the field above it? (valid YAML: two spaces per indent level, each field on its own line as 'field: value')",
        id="yaml-indent",
    ),
    pytest.param(
        "institution.yaml",
        "city: Ulaanbaatar\n",
        "city: Ulaanbaatar\nfounded_in: 1942\n",
        "records/institution.yaml:14: institution mnums: founded_in: unknown field (did you mean 'founded'?)",
        id="institution-unknown",
    ),
    pytest.param(
        "agreements.yaml",
        "      - exchange of students\n",
        "      - exchange of students\n    programmes:\n      - name: Medicine\n        scheme: four plus two\n",
        "records/agreements.yaml:14: agreement alpha-mou-2020: programmes[0].scheme: 'four plus two' is not a programme scheme (years here + years at the partner, in quotes, e.g. \"4+2\")",
        id="scheme",
    ),
    pytest.param("partners.yaml", None, "", "records/partners.yaml:1: the file is empty (a list under 'partners:')", id="empty-file"),
    pytest.param(
        "partners.yaml",
        "    city: Tokyo\n",
        "    city: &home Tokyo\n    address: *home\n",
        "records/partners.yaml:7: cannot read the file: an alias (*name) repeats another part of the file (write each value out; anchors and aliases are not used in records)",
        id="yaml-alias",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), CASES)
def test_bad_input_is_named_exactly(mini, run, file, old, new, message):
    path = mini / file
    text = path.read_text(encoding="utf-8")
    if old is None:
        text = new
    else:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in mini.iterdir()}
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message, "1 problem found in the records."]
    assert {p.name: p.read_bytes() for p in mini.iterdir()} == before, "check must not change any record"


def test_yaml_12_rules_keep_norway_a_country(mini, run):
    """In YAML 1.1 'NO' would be false; records follow YAML 1.2, so Norway's code stays 'NO'."""
    path = mini / "partners.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("country: JP", "country: NO"), encoding="utf-8")
    from irdocs.records.validate import load_records

    assert load_records(mini).partners_by_id["alpha-university"].country == "NO"
