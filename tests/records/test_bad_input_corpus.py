"""The bad-input corpus, second part: records, import and proposal files, and templates.

``tests/test_bad_input.py`` shows one message per validation rule through ``irdocs check``. Here each
bad input goes through the commands that write: the exact message, exit code 1, and proof that
nothing changed. Every case starts from an office where a good run already wrote a certificate
(so the register exists), a fact sheet and an agreement draft; the records folder (register
included) and out/ hash the same before and after the failing command.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import MINI_AGREEMENTS, MINI_HONOREES, MINI_PARTNERS, REPO, SAMPLE

KEY = "test-key-0123456789-0123456789-0123456789"
AS_OF = "2024-06-30"
#: The commands that write documents; a records problem stops each of them before it writes.
WRITERS = [
    ("agreement", "--all", "--date", AS_OF, "--templates", "tpl"),
    ("certificate", "--all", "--templates", "tpl"),
    ("factsheet", "--all", "--as-of", AS_OF, "--templates", "tpl"),
]


def run(*args: str):
    from irdocs.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def snapshot(office: Path) -> dict[str, str]:
    """SHA-256 of every file under records/ and out/ (the records lock file is no record: left out)."""
    found = {}
    for folder in ("records", "out"):
        for path in sorted((office / folder).rglob("*")):
            if path.is_file() and path.name != ".irdocs.lock":
                found[str(path.relative_to(office))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _keyed(mp: pytest.MonkeyPatch, base: Path) -> None:
    mp.chdir(base)
    mp.setenv("IRDOCS_KEY", KEY)
    mp.setenv("XDG_CONFIG_HOME", str(base / "config"))
    for name in ("IRDOCS_RECORDS", "IRDOCS_TEMPLATES"):
        mp.delenv(name, raising=False)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """A tiny office after good runs: a certificate (and the register), a fact sheet, a draft."""
    base = tmp_path_factory.mktemp("office")
    records = base / "records"
    records.mkdir()
    for name in ("institution.yaml", "emblem.svg"):
        shutil.copy(SAMPLE / name, records)
    for name, text in (("partners.yaml", MINI_PARTNERS), ("agreements.yaml", MINI_AGREEMENTS), ("honorees.csv", MINI_HONOREES)):
        (records / name).write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "templates", base / "tpl")
    with pytest.MonkeyPatch.context() as mp:
        _keyed(mp, base)
        for args in (
            ("certificate", "hd-2020-001", "--templates", "tpl"),
            ("factsheet", "partner", "alpha-university", "--as-of", AS_OF, "--templates", "tpl"),
            ("agreement", "alpha-mou-2020", "--date", AS_OF, "--templates", "tpl"),
        ):
            result = run(*args)
            assert result.exit_code == 0, result.output
    assert (records / "register.sqlite3").is_file()
    return base


@pytest.fixture
def office(baseline, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the baseline office, as the working folder, with the test key."""
    target = tmp_path / "office"
    shutil.copytree(baseline, target, symlinks=True)
    _keyed(monkeypatch, target)
    return target


def edit(path: Path, old: str | None, new: str) -> None:
    """Replace ``old`` by ``new`` once (``old`` None: the whole file becomes ``new``)."""
    text = path.read_text(encoding="utf-8")
    if old is not None:
        assert old in text, f"{old!r} is not in {path}"
    path.write_text(new if old is None else text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- records

SLUG = "lower-case letters a-z, digits and single hyphens, e.g. 'yonsei-university'"
INVISIBLE = "visible text only; retype the text or paste it as plain text"

RECORD_CASES = [
    # countries given as names or unknown codes, in the honorees' spreadsheet
    pytest.param(
        "honorees.csv",
        "JP,Alpha",
        "Korea,Alpha",
        "records/honorees.csv:2: honoree hd-2020-001: country: 'Korea' is not a country code (did you mean KR (South Korea)?)",
        id="honoree-country-ambiguous",
    ),
    pytest.param(
        "honorees.csv",
        "KR,Beta",
        "ZZ,Beta",
        "records/honorees.csv:3: honoree hp-1985-001: country: 'ZZ' is not an ISO 3166 country code (a two-letter code such as JP, KR, US)",
        id="honoree-country-unknown",
    ),
    # ids that would escape out/ or that Windows refuses
    pytest.param(
        "honorees.csv",
        "hp-1985-001,",
        "aux,",
        "records/honorees.csv:3: honoree aux: id: 'aux' is a name Windows reserves for devices (another id, e.g. 'aux-1')",
        id="id-aux",
    ),
    pytest.param(
        "agreements.yaml",
        "id: alpha-mou-2020",
        "id: ..",
        f"records/agreements.yaml:2: agreement ..: id: '..' cannot be used as an id (it becomes a file name) ({SLUG})",
        id="id-dotdot-alone",
    ),
    pytest.param(
        "partners.yaml",
        "id: beta-hospital",
        "id: beta\\hospital",
        f"records/partners.yaml:7: partner beta\\hospital: id: 'beta\\hospital' cannot be used as an id (it becomes a file name) ({SLUG})",
        id="id-backslash",
    ),
    # very long, invisible and control characters in YAML
    pytest.param(
        "partners.yaml",
        "name: Alpha University",
        "name: " + "A" * 10_000,
        "records/partners.yaml:3: partner alpha-university: name: is 10000 characters long (at most 200 characters)",
        id="yaml-long-name",
    ),
    pytest.param(
        "partners.yaml",
        "name: Alpha University",
        "name: Alpha\u200bUniversity",
        f"records/partners.yaml:3: partner alpha-university: name: contains an invisible character U+200B (zero width space) at position 6 ({INVISIBLE})",
        id="yaml-zero-width",
    ),
    pytest.param(
        "partners.yaml",
        "city: Tokyo",
        "city: Tok\u202eyo",
        f"records/partners.yaml:6: partner alpha-university: city: contains an invisible character U+202E (right-to-left override) at position 4 ({INVISIBLE})",
        id="yaml-direction-override",
    ),
    pytest.param(
        "partners.yaml",
        "city: Tokyo",
        'city: "Tok\\x07yo"',
        f"records/partners.yaml:6: partner alpha-university: city: contains an invisible character U+0007 (control character) at position 4 ({INVISIBLE})",
        id="yaml-control-char",
    ),
    pytest.param(
        "honorees.csv",
        "Kim,Minjun",
        "Ki\x00m,Minjun",
        f"records/honorees.csv:3: honoree hp-1985-001: family_name: contains an invisible character U+0000 (control character) at position 3 ({INVISIBLE})",
        id="csv-nul-byte",
    ),
    # wrong types
    pytest.param(
        "agreements.yaml",
        "duration_years: 5",
        "duration_years: five",
        "records/agreements.yaml:8: agreement alpha-mou-2020: duration_years: 'five' is not allowed (a whole number of years from 1 to 50)",
        id="type-word-for-number",
    ),
    pytest.param(
        "agreements.yaml",
        "partners: [alpha-university]",
        "partners: alpha-university",
        "records/agreements.yaml:5: agreement alpha-mou-2020: partners: 'alpha-university' is not the right shape (a list of partner ids, e.g. [yonsei-university])",
        id="type-text-for-list",
    ),
    pytest.param(
        "partners.yaml",
        "name: Alpha University",
        "name: {en: Alpha}",
        "records/partners.yaml:3: partner alpha-university: name: a group of fields is not text (a single line of text)",
        id="type-group-for-text",
    ),
    pytest.param(
        "agreements.yaml",
        "signed_on: 2020-05-01",
        "signed_on: yes",
        "records/agreements.yaml:7: agreement alpha-mou-2020: signed_on: 'yes' is not a date (a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)",
        id="type-word-for-date",
    ),
    # impossible and future dates
    pytest.param(
        "agreements.yaml",
        "signed_on: 2020-05-01",
        "signed_on: 2020-13-01",
        "records/agreements.yaml:7: agreement alpha-mou-2020: signed_on: '2020-13-01' is not a date: there is no such day "
        "(a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)",
        id="yaml-month-13",
    ),
    pytest.param(
        "honorees.csv",
        ",1985,",
        ",2099,",
        "records/honorees.csv:3: honoree hp-1985-001: awarded_on: '2099' is more than a year in the future (the date of the award or of its ceremony)",
        id="award-future-year",
    ),
    pytest.param(
        "honorees.csv",
        ",1985,",
        ",1977-12-31,",
        "records/honorees.csv:3: honoree hp-1985-001: awarded_on: '1977-12-31' is before the first honorary title (1978) (a date from 1978 on)",
        id="award-day-before-1978",
    ),
    pytest.param(
        "institution.yaml",
        "founded: 1942",
        "founded: 2099",
        "records/institution.yaml:16: institution mnums: founded: '2099' is in the future (the year the university was founded, e.g. 1942)",
        id="founded-future",
    ),
    # files that cannot be read
    pytest.param(
        "honorees.csv", None, "", "records/honorees.csv:1: the file is empty (a header row naming the columns, then one row per honoree)", id="csv-empty"
    ),
    pytest.param(
        "agreements.yaml",
        "partners: [alpha-university]",
        "partners: [alpha-university",
        "records/agreements.yaml:6: cannot read the file: did not find expected ',' or ']' "
        "(valid YAML: two spaces per indent level, each field on its own line as 'field: value')",
        id="yaml-open-bracket",
    ),
    pytest.param(
        "partners.yaml",
        "city: Tokyo",
        'city: "Tokyo',
        "records/partners.yaml:13: cannot read the file: a quotation mark is opened and never closed "
        "(valid YAML: two spaces per indent level, each field on its own line as 'field: value')",
        id="yaml-open-quote",
    ),
    pytest.param(
        "partners.yaml",
        None,
        "partners:\n  id: alpha-university\n  name: Alpha University\n",
        "records/partners.yaml:1: 'partners' is not a list (one '- id: ...' entry per partner)",
        id="yaml-not-a-list",
    ),
    # duplicates and dangling references
    pytest.param(
        "honorees.csv",
        "hp-1985-001,",
        "hd-2020-001,",
        "records/honorees.csv:3: honoree hd-2020-001: id: 'hd-2020-001' is already the id of the honoree at records/honorees.csv:2 (each id only once, in all record files)",
        id="id-twice-in-csv",
    ),
    pytest.param(
        "agreements.yaml",
        "duration_years: 5",
        "duration_years: 5\n    renews: alpha-mou-2015",
        "records/agreements.yaml:9: agreement alpha-mou-2020: renews: no agreement has the id 'alpha-mou-2015' (did you mean 'alpha-mou-2020'?)",
        id="dangling-renews",
    ),
    # the logo: a file of the records folder, never one elsewhere
    pytest.param(
        "institution.yaml",
        "logo: emblem.svg",
        "logo: ../emblem.svg",
        "records/institution.yaml:24: institution mnums: logo: '../emblem.svg' is not a file inside the records folder (a path such as 'logo.svg')",
        id="logo-parent",
    ),
    pytest.param(
        "institution.yaml",
        "logo: emblem.svg",
        "logo: /etc/passwd",
        "records/institution.yaml:24: institution mnums: logo: '/etc/passwd' is not a file inside the records folder (a path such as 'logo.svg')",
        id="logo-absolute",
    ),
    pytest.param(
        "institution.yaml",
        "logo: emblem.svg",
        "logo: C:\\emblem.svg",
        "records/institution.yaml:24: institution mnums: logo: 'C:\\emblem.svg' is not a file inside the records folder (a path such as 'logo.svg')",
        id="logo-windows-drive",
    ),
]


def _owners(message: str) -> set[str]:
    """The writers whose own records a problem leaves out (irdocs.records.partial): the others go on with a warning.

    In the little office, honoree hd-2020-001 and agreement alpha-mou-2020 name alpha-university;
    beta-hospital is named by nobody. Fact sheets count what is valid: never their own problem.
    """
    file = message.split(":")[0]
    if file.endswith("institution.yaml"):
        return {"certificate", "agreement", "factsheet"}  # every document prints the institution
    if file.endswith("honorees.csv"):
        return {"certificate"}
    if file.endswith("agreements.yaml"):
        return {"agreement"}
    return set() if "partner beta" in message else {"certificate", "agreement"}


def _assert_refused_everywhere(office: Path, message: str) -> None:
    """``irdocs check`` refuses with the message; each writer whose own records it leaves out names it
    and exits 1, the others go on and print it as a warning; the records never change, no file of
    out/ is removed or left half-written."""
    before = snapshot(office)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [message, "1 problem found in the records."]
    owners = _owners(message)
    for args in WRITERS:
        result = run(*args)
        lines = result.stderr.splitlines()
        if args[0] in owners:
            assert result.exit_code == 1, (args, result.output)
            assert message in lines, (args, lines)
        else:
            assert result.exit_code == 0, (args, result.output)
            assert f"warning: {message}" in lines, (args, lines)
    after = snapshot(office)

    def record_files(found: dict[str, str]) -> dict[str, str]:  # the register changes with each certificate written
        return {name: sha for name, sha in found.items() if name.startswith("records/") and "register.sqlite3" not in name}

    assert record_files(after) == record_files(before)
    assert set(before) <= set(after), "a file of out/ was removed because of a problem in the records"
    for name in after:
        assert not name.endswith((".tmp", ".part")) and ".tmp" not in name, name
        if name.endswith(".pdf"):
            assert (office / name).read_bytes().rstrip().endswith(b"%%EOF"), name


@pytest.mark.parametrize(("file", "old", "new", "message"), RECORD_CASES)
def test_bad_record_stops_every_command_and_changes_nothing(office, file, old, new, message):
    edit(office / "records" / file, old, new)
    _assert_refused_everywhere(office, message)


def test_utf16_spreadsheet_is_named(office):
    """Excel's 'Unicode Text' is UTF-16: named as such, not as an old encoding."""
    (office / "records" / "honorees.csv").write_bytes(MINI_HONOREES.encode("utf-16"))
    _assert_refused_everywhere(
        office,
        "records/honorees.csv:1: the file is UTF-16 text (Excel's 'Unicode Text'), not UTF-8 (save it as UTF-8; in Excel choose 'CSV UTF-8 (Comma delimited)')",
    )


def test_yaml_in_an_old_encoding_is_named_with_the_right_fix(office):
    (office / "records" / "partners.yaml").write_bytes(
        MINI_PARTNERS.replace("Tokyo", "Tōkyō").encode("utf-8").replace("Tōkyō".encode(), "T\xf6ky\xf6".encode("latin-1"))
    )
    _assert_refused_everywhere(
        office,
        "records/partners.yaml:6: the file is not UTF-8 text (it may have been saved as Windows-1251 or another old encoding) "
        "(save it as UTF-8: in the text editor's 'Save as', choose the encoding UTF-8)",
    )


@pytest.mark.parametrize("name", ["honorees.csv", "institution.yaml"])
def test_missing_record_file_is_named(office, name):
    (office / "records" / name).unlink()
    _assert_refused_everywhere(office, f"records/{name}: file is missing (run 'irdocs init' to start a records folder)")


def test_logo_linked_to_a_file_elsewhere_is_refused(office):
    """A symbolic link in the records folder must not let a document read /etc/passwd."""
    logo = office / "records" / "emblem.svg"
    logo.unlink()
    logo.symlink_to("/etc/passwd")
    _assert_refused_everywhere(
        office,
        "records/institution.yaml:24: institution mnums: logo: 'emblem.svg' is a link to a file outside the records folder (copy the picture itself into the records folder)",
    )


# --------------------------------------------------------------------------- import and proposal files

HEADER = MINI_HONOREES.splitlines()[0]

INCOMING_CASES = [
    pytest.param(
        "new.csv",
        f"{HEADER}\nvp-2024-001,visiting-professor,Doe,Jane,,DE,Some University,nobody,2099-01-01,For lectures.,Лекц.\n"
        "hd-2020-001,honorary-doctorate,Kim,A,,KR,Some University,,2021,For.,Ф.\n",
        ("import", "new.csv", "--as", "honorees"),
        [
            "new.csv:2: honoree vp-2024-001: partner: no partner has the id 'nobody' (the id of a partner in partners.yaml)",
            "new.csv:2: honoree vp-2024-001: awarded_on: '2099-01-01' is more than a year in the future (the date of the award or of its ceremony)",
            "new.csv:3: honoree hd-2020-001: id: 'hd-2020-001' is already the id of the honoree at records/honorees.csv:2 "
            "(each id only once; to change the record that has it, import with --update: irdocs import new.csv --update)",
            "3 problems found in the records.",
        ],
        id="import-future-dangling-duplicate",
    ),
    pytest.param(
        "new.csv",
        f'{HEADER}\nvp-2024-001,visiting-professor,Doe,"Jane,,DE,Some University,,2024-01-01,For lectures.,Лекц.\n',
        ("import", "new.csv", "--as", "honorees"),
        [
            'new.csv:2: cannot read the row: a quotation mark is opened and never closed (a " inside a text must be written as "")',
            "1 problem found in the records.",
        ],
        id="import-open-quote",
    ),
    pytest.param(
        "new.xlsx",
        "PK\x03\x04 not really a workbook",
        ("import", "new.xlsx", "--as", "honorees"),
        ["new.xlsx: cannot open the workbook: it is not an .xlsx file (an .xlsx file saved by Excel or LibreOffice)", "1 problem found in the records."],
        id="import-damaged-workbook",
    ),
    pytest.param(
        "proposal.yaml",
        "id: ..\nkind: mou\ntitle: MoU\npartners: [alpha-university]\nstatus: draft\nareas: [health]\n",
        ("new", "agreement", "--from", "proposal.yaml"),
        [f"proposal.yaml:1: agreement ..: id: '..' cannot be used as an id (it becomes a file name) ({SLUG})", "1 problem found in the records."],
        id="proposal-id-dotdot",
    ),
    pytest.param(
        "proposal.yaml",
        "id: alpha-mou-2099\nkind: mou\ntitle: MoU\npartners: [alpha-university]\nstatus: active\nsigned_on: 2099-01-01\nduration_years: 5\nareas: [health]\n",
        ("new", "agreement", "--from", "proposal.yaml"),
        [
            "proposal.yaml:6: agreement alpha-mou-2099: signed_on: '2099-01-01' is in the future (the day it was signed; an agreement not signed yet has 'status: draft')",
            "1 problem found in the records.",
        ],
        id="proposal-future-signing",
    ),
    pytest.param(
        "proposal.yaml",
        "agreement:\n\tid: gamma-mou-2024\n",
        ("new", "agreement", "--from", "proposal.yaml"),
        [
            "proposal.yaml:2: cannot read the file: a tab character is used for indentation (spaces for indentation; YAML does not allow tab characters)",
            "1 problem found in the records.",
        ],
        id="proposal-tab",
    ),
    pytest.param(
        "proposal.yaml",
        "partner:\n  id: gamma-institute\n  name: Gamma Institute\n  kind: research-institute\n  country: Germania\n  city: Berlin\n"
        "agreement:\n  id: gamma-mou-2024\n  kind: mou\n  title: MoU\n  partners: [gamma-institute]\n  status: draft\n  areas: [health]\n",
        ("new", "agreement", "--from", "proposal.yaml"),
        [
            "proposal.yaml:5: partner gamma-institute: country: 'Germania' is not a country code or name "
            "(a two-letter ISO 3166 code such as JP, KR, US, or the country's name in English or Mongolian)",
            "1 problem found in the records.",
        ],
        id="proposal-country-unknown",
    ),
]


@pytest.mark.parametrize(("name", "content", "args", "lines"), INCOMING_CASES)
def test_bad_incoming_file_adds_nothing(office, name, content, args, lines):
    path = office / name
    if name.endswith(".xlsx"):
        path.write_bytes(content.encode("latin-1"))
    else:
        path.write_text(content, encoding="utf-8")
    before = snapshot(office)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == lines
    assert snapshot(office) == before


def test_a_flat_agreement_proposal_with_its_partners_field_is_read_as_one_agreement(office):
    """An agreement's own 'partners: [ids]' is a field, not a section of new partners."""
    (office / "proposal.yaml").write_text(
        "id: alpha-exchange-2024\nkind: exchange\ntitle: Student exchange\npartners: [alpha-university]\nstatus: draft\nareas: [education]\n", encoding="utf-8"
    )
    result = run("new", "agreement", "--from", "proposal.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Added agreement alpha-exchange-2024 to records/agreements.yaml."


# --------------------------------------------------------------------------- templates

CERTIFICATE = ("certificate", "hp-1985-001", "--templates", "tpl")  # a new serial: nothing may be issued
FACTSHEET = ("factsheet", "partner", "alpha-university", "--as-of", AS_OF, "--templates", "tpl")
AGREEMENT = ("agreement", "alpha-mou-2020", "--date", AS_OF, "--templates", "tpl")
UNCLOSED_BLOCK = "template syntax error: Unexpected end of template. Jinja was looking for the following tags: 'endblock'. The innermost block that needs to be closed is 'block'."


# Every command reports through the one build engine: a progress line per document, then each
# failure's message (with the record it comes from), then a count.


def certificate_failed(message: str) -> list[str]:
    return ["   failed  certificates/MNUMS-HP-1985-0001.pdf", f"honoree hp-1985-001: {message}", "1 of 1 certificates could not be made."]


def factsheet_failed(message: str) -> list[str]:
    # The Word copy, made by the good run before, is up to date: it is not made again.
    message = message.replace("factsheets/partners/alpha-university.pdf: ", "fact sheet partners/alpha-university: ", 1)
    return ["   failed  factsheets/partners/alpha-university.pdf", message, "1 of 1 files could not be made."]


def agreement_failed(message: str) -> list[str]:
    return ["   failed  agreements/alpha-mou-2020.docx", f"agreement alpha-mou-2020: {message}", "1 of 1 drafts could not be made."]


def _end_of_template(name: str, old: str, new: str) -> int:
    """The line Jinja names for an unclosed block in the edited template (asked of Jinja, so a designer
    may change the design without this test pinning its line numbers)."""
    import jinja2

    text = (REPO / "templates" / name).read_text(encoding="utf-8").replace(old, new, 1)
    try:
        jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True).parse(text)  # as irdocs renders
    except jinja2.TemplateSyntaxError as exc:
        return exc.lineno
    raise AssertionError(f"the edit of {name} left a valid template")


def _line_of(name: str, text: str) -> int:
    """The line of ``text`` in a shipped template (computed: the designs may be edited)."""
    lines = (REPO / "templates" / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


_AFFILIATION = _line_of("certificates/base.html", "{{ affiliation }}")
_HEAD_END = _line_of("certificates/base.html", "</head>")
_PARTNER_TITLE = _line_of("factsheets/partner.html", "{{ title|tie }}")
_PARTNER_END = _end_of_template("factsheets/partner.html", "{% endblock %}", "")
_DESIGN_END = _end_of_template("certificates/honorary-professor.html", '{% extends "base.html" %}', '{% extends "base.html" %}\n{% block title %}')
_SUBTITLE = _line_of("agreements/clauses.yaml", 'en: "between {{ all_names }}"') - 1  # the line of its 'subtitle:' key
_UNCLOSED = ('  {% endblock %}\n\n  <p class="resolution">', '  <p class="resolution">')
_UNCLOSED_AT = _end_of_template("certificates/base.html", *_UNCLOSED)

HTML_CASES = [
    pytest.param(
        "certificates/base.html",
        *_UNCLOSED,
        CERTIFICATE,
        certificate_failed(f"tpl/certificates/base.html:{_UNCLOSED_AT}: {UNCLOSED_BLOCK}"),
        id="certificate-syntax-error",
    ),
    pytest.param(
        "certificates/base.html",
        "{{ affiliation }}",
        "{{ afiliation }}",
        CERTIFICATE,
        certificate_failed(f"tpl/certificates/base.html:{_AFFILIATION}: unknown name in the template: 'afiliation' is undefined"),
        id="certificate-unknown-variable",
    ),
    pytest.param(
        "certificates/base.html",
        "{{ affiliation }}</span>",
        "{{ affiliation </span>",
        CERTIFICATE,
        certificate_failed(
            f"tpl/certificates/base.html:{_AFFILIATION}: template syntax error: unexpected '/' (the '{{{{' on this line is not closed by '}}}}')"
        ),
        id="certificate-unclosed-tag",
    ),
    pytest.param(
        "certificates/honorary-professor.html",
        '{% extends "base.html" %}',
        '{% extends "base.html" %}\n{% block title %}',
        CERTIFICATE,
        certificate_failed(f"tpl/certificates/honorary-professor.html:{_DESIGN_END}: {UNCLOSED_BLOCK}"),
        id="certificate-design-unclosed-block",
    ),
    pytest.param(
        "certificates/base.html",
        "</head>",
        '{% include "../../records/honorees.csv" %}</head>',
        CERTIFICATE,
        certificate_failed(
            f"tpl/certificates/base.html:{_HEAD_END}: no template '../../records/honorees.csv' in tpl/certificates (a template can use only the files of its templates folder)"
        ),
        id="certificate-include-outside",
    ),
    pytest.param(
        "certificates/base.html",
        "</head>",
        "{{ ''.__class__.__mro__ }}</head>",
        CERTIFICATE,
        certificate_failed(f"tpl/certificates/base.html:{_HEAD_END}: not allowed in a template: access to attribute '__class__' of 'str' object is unsafe."),
        id="certificate-sandbox-escape",
    ),
    pytest.param(
        "certificates/base.html",
        "</head>",
        "{{ 1 / 0 }}</head>",
        CERTIFICATE,
        certificate_failed(f"tpl/certificates/base.html:{_HEAD_END}: the template failed: division by zero (ZeroDivisionError)"),
        id="certificate-runtime-error",
    ),
    pytest.param(
        "factsheets/partner.html",
        "{{ title|tie }}",
        "{{ titel|tie }}",
        FACTSHEET,
        factsheet_failed(
            f"factsheets/partners/alpha-university.pdf: tpl/factsheets/partner.html:{_PARTNER_TITLE}: unknown name in the template: 'titel' is undefined"
        ),
        id="factsheet-unknown-variable",
    ),
    pytest.param(
        "factsheets/partner.html",
        "{% endblock %}",
        "",
        FACTSHEET,
        factsheet_failed(f"factsheets/partners/alpha-university.pdf: tpl/factsheets/partner.html:{_PARTNER_END}: {UNCLOSED_BLOCK}"),
        id="factsheet-syntax-error",
    ),
    pytest.param(
        "factsheets/_macros.html",
        "{% endmacro %}",
        "",
        FACTSHEET,
        factsheet_failed(
            "factsheets/partners/alpha-university.pdf: tpl/factsheets/_macros.html:14: template syntax error: Unexpected end of template. "
            "Jinja was looking for the following tags: 'endmacro'. The innermost block that needs to be closed is 'macro'."
        ),
        id="factsheet-macro-unclosed",
    ),
    pytest.param(
        "factsheets/partner.html",
        "{{ title|tie }}",
        "{{ title|tie ",
        FACTSHEET,
        factsheet_failed(
            f"factsheets/partners/alpha-university.pdf: tpl/factsheets/partner.html:{_PARTNER_TITLE}: template syntax error: unexpected '/' (the '{{{{' on this line is not closed by '}}}}')"
        ),
        id="factsheet-unclosed-tag",
    ),
    pytest.param(
        "agreements/clauses.yaml",
        'en: "between {{ all_names }}"',
        'en: "between {{ all_names }"',
        AGREEMENT,
        agreement_failed(f"tpl/agreements/clauses.yaml:{_SUBTITLE}: document 'agreement', subtitle (en): syntax error: unexpected '}}'"),
        id="clause-unclosed-tag",
    ),
    pytest.param(
        "agreements/clauses.yaml",
        'en: "between {{ all_names }}"',
        'en: "between {{ all_name }}"',
        AGREEMENT,
        agreement_failed(
            f"tpl/agreements/clauses.yaml:{_SUBTITLE}: document 'agreement', subtitle (en): unknown name in '{{{{ all_name }}}}': 'all_name' is undefined"
        ),
        id="clause-unknown-variable",
    ),
]


def _assert_template_refused(office: Path, args, lines) -> None:
    before = snapshot(office)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == lines
    assert snapshot(office) == before


@pytest.mark.parametrize(("file", "old", "new", "args", "lines"), HTML_CASES)
def test_bad_template_is_named_and_changes_nothing(office, file, old, new, args, lines):
    edit(office / "tpl" / file, old, new)
    _assert_template_refused(office, args, lines)


# Word templates: the title tag of agreement.docx, split or broken the ways Word does it.
TITLE_RUN = "<w:r><w:t>{{ title }}</w:t></w:r>"
RED = '<w:rPr><w:b/><w:color w:val="C00000"/></w:rPr>'
BROKEN = "(Word split the tag with formatting, a symbol or a line break; delete the whole tag and type it again in one go, e.g. '{{ title }}')"


def edit_docx(path: Path, old: str, new: str, part: str = "word/document.xml") -> None:
    """Replace XML in a part of a Word file, as Word itself would have written it."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            target.writestr(item, data)
    path.write_bytes(out.getvalue())


DOCX_CASES = [
    pytest.param(
        # Word stores a brace typed from Insert > Symbol apart from the text: Word shows '{{ title }}'
        '<w:r><w:t>{</w:t></w:r><w:r><w:sym w:font="Symbol" w:char="007B"/></w:r><w:r>' + RED + '<w:t xml:space="preserve"> title }}</w:t></w:r>',
        "tpl/agreements/agreement.docx: a tag is broken in '{ title }}': '}}' has no '{{' before it in the same paragraph " + BROKEN,
        id="docx-split-by-symbol",
    ),
    pytest.param(
        "<w:r><w:t>{{ title }</w:t></w:r><w:r>" + RED + '<w:t xml:space="preserve"> </w:t></w:r><w:r><w:t>}</w:t></w:r>',
        "tpl/agreements/agreement.docx: a tag is broken in '{{ title } }': '{{' is not closed by '}}' in the same paragraph " + BROKEN,
        id="docx-split-by-formatted-space",
    ),
    pytest.param(
        "<w:r><w:t>{{ ti</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>-</w:t></w:r><w:r>" + RED + "<w:t>tle }}</w:t></w:r>",
        "tpl/agreements/agreement.docx: unknown name in the template: 'ti' is undefined",
        id="docx-split-by-hidden-text",
    ),
    pytest.param(
        "<w:r><w:t>{{ title </w:t></w:r>",
        "tpl/agreements/agreement.docx: a tag is broken in '{{ title': '{{' is not closed by '}}' in the same paragraph " + BROKEN,
        id="docx-unclosed-tag",
    ),
    pytest.param(
        "<w:r><w:t>{% if title %}{{ title }}</w:t></w:r>",
        "tpl/agreements/agreement.docx: the tag '{% if title %}' is never closed (add '{% endif %}' where the part it controls ends)",
        id="docx-unclosed-if",
    ),
    pytest.param(
        "<w:r><w:t>{{ title }}{% endif %}</w:t></w:r>",
        "tpl/agreements/agreement.docx: the tag '{% endif %}' has no '{% if ... %}' before it (remove it, or add the '{% if ... %}' it ends)",
        id="docx-stray-endif",
    ),
    pytest.param(
        "<w:r><w:t>{{ titel }}</w:t></w:r>",
        "tpl/agreements/agreement.docx: unknown name in the template: 'titel' is undefined",
        id="docx-unknown-variable",
    ),
    pytest.param(
        "<w:r><w:t>{{ title.__class__.__mro__ }}</w:t></w:r>",
        "tpl/agreements/agreement.docx: not allowed in a template: access to attribute '__class__' of 'str' object is unsafe.",
        id="docx-sandbox-escape",
    ),
    pytest.param(
        "<w:r><w:t>{{ title | nosuchfilter }}</w:t></w:r>",
        "tpl/agreements/agreement.docx: template syntax error near '{{ title | nosuchfilter }}': No filter named 'nosuchfilter'.",
        id="docx-unknown-filter",
    ),
]


@pytest.mark.parametrize(("xml", "message"), DOCX_CASES)
def test_bad_word_template_is_named_and_changes_nothing(office, xml, message):
    edit_docx(office / "tpl" / "agreements" / "agreement.docx", TITLE_RUN, xml)
    _assert_template_refused(office, AGREEMENT, agreement_failed(message))


@pytest.mark.parametrize(
    "xml",
    [
        pytest.param("<w:r><w:t>{{ ti</w:t></w:r><w:r>" + RED + "<w:t>tle }}</w:t></w:r>", id="inside-the-name"),
        pytest.param("<w:r><w:t>{</w:t></w:r><w:r>" + RED + "<w:t>{ title }}</w:t></w:r>", id="between-the-braces"),
        pytest.param("<w:r><w:t>{{ title }</w:t></w:r><w:r>" + RED + "<w:t>}</w:t></w:r>", id="closing-brace"),
        pytest.param(
            '<w:r><w:t>{{ ti</w:t></w:r><w:proofErr w:type="spellStart"/><w:r>' + RED + '<w:t>tle }}</w:t></w:r><w:proofErr w:type="spellEnd"/>',
            id="spelling-marks",
        ),
    ],
)
def test_a_tag_split_only_by_formatting_still_works(office, xml):
    """docxtpl joins runs split by formatting alone: those drafts come out right."""
    import docx

    edit_docx(office / "tpl" / "agreements" / "agreement.docx", TITLE_RUN, xml)
    result = run(*AGREEMENT)
    assert result.exit_code == 0, result.output
    draft = docx.Document(str(office / "out" / "agreements" / "alpha-mou-2020.docx"))
    assert draft.paragraphs[0].text == "Memorandum of Understanding"


def test_a_word_template_that_links_a_picture_from_outside_is_refused(office, loopback):
    """A picture inserted with 'Link to File' is fetched by Word from its address each time a draft opens."""
    relation = f'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{loopback.url}/logo.png" TargetMode="External"/>'
    edit_docx(office / "tpl" / "agreements" / "agreement.docx", "</Relationships>", relation + "</Relationships>", part="word/_rels/document.xml.rels")
    _assert_template_refused(
        office,
        AGREEMENT,
        agreement_failed(
            f"tpl/agreements/agreement.docx: the template links to an outside file (image '{loopback.url}/logo.png') that Word would fetch when a draft is opened "
            "(insert the picture or text into the template itself: in Word, Insert > Pictures > This Device, not 'Link to File')"
        ),
    )
