"""Property-based: any name or citation is printed exactly, or refused by name; never a crash, never a box.

Hypothesis draws names and citations from a broad alphabet: Latin with diacritics, Mongolian
Cyrillic, Chinese, Japanese, Korean, Greek, Thai and Devanagari (which the fact sheets' fonts have
and the certificates' do not), a combining accent, characters no font of irdocs has (private use,
Egyptian hieroglyphs, an emoji) and invisible ones (zero width space, a control character, a
direction override). Each value then either

- fails validation, naming the invisible character (and nothing else is wrong), or
- fails the font check before rendering, naming a character that the fonts really lack, or
- renders: the certificate PDF, the fact sheet DOCX and the agreement DOCX contain it exactly.

Right-to-left scripts are left out: a PDF's extracted text puts them in visual order.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.conftest import MINI_AGREEMENTS, MINI_HONOREES, MINI_PARTNERS, SAMPLE, TEST_KEY

LETTERS = (
    "AaZzéüñøłșŐĳßÆçÅ'-."  # Latin, with diacritics
    "ДжЁёӨөҮүЩщЯя"  # Mongolian Cyrillic
    "山田太郎李明"  # Chinese characters
    "やまだナオコ박현우김"  # Japanese kana, Korean
    "Ωλ"  # Greek
    "กน"  # Thai, Devanagari: fact sheet fonts only
    "\u0301"  # a combining acute accent
)
NO_FONT = "\ue000\U00013000\U0001f600"  # private use, a hieroglyph, an emoji
INVISIBLE = "\u200b\x07\u202e"
PRINTABLE = st.sampled_from([*LETTERS, " ", " ", " "])
ANYTHING = st.sampled_from([*LETTERS, " ", " ", " ", *NO_FONT, *INVISIBLE])


def texts(max_size: int):
    """Two texts in three from the printable letters (so that many examples print), the others from all."""
    return st.one_of(
        st.text(PRINTABLE, min_size=1, max_size=max_size), st.text(PRINTABLE, min_size=1, max_size=max_size), st.text(ANYTHING, min_size=1, max_size=max_size)
    )


examples = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def bare(text: str) -> str:
    """Text without any whitespace, in composed form: what a line break or a PDF's spacing cannot change."""
    return unicodedata.normalize("NFC", "".join(text.split()))


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


@pytest.fixture(scope="module")
def maker(folder):
    """One certificate maker for every example (one WeasyPrint font configuration and cache)."""
    from irdocs.documents.certificates.kind import CertificateMaker
    from irdocs.records.validate import load_records

    records = write_records(folder / "base", {}, {})
    made = CertificateMaker(load_records(records).institution, records)
    yield made
    made.close()


_COUNT = iter(range(1_000_000))


def write_records(root: Path, honoree: dict[str, str], partner: dict[str, str]) -> Path:
    """The tiny records with the honoree hd-2020-001 and the partner alpha-university changed."""
    records = root / f"records-{next(_COUNT)}"
    records.mkdir(parents=True)
    for name in ("institution.yaml", "emblem.svg"):
        shutil.copy(SAMPLE / name, records)
    partners = MINI_PARTNERS
    if "name" in partner:
        partners = partners.replace("name: Alpha University", f"name: {_yaml(partner['name'])}")
    agreements = MINI_AGREEMENTS
    if "activity" in partner:
        agreements = agreements.replace("- exchange of students", f"- {_yaml(partner['activity'])}")
    (records / "partners.yaml").write_text(partners, encoding="utf-8")
    (records / "agreements.yaml").write_text(agreements, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(MINI_HONOREES)))
    rows[0].update(honoree)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (records / "honorees.csv").write_text(out.getvalue(), encoding="utf-8")
    return records


def load_or_invisible(records: Path, values: dict[str, str]):
    """The records, or None when validation refused an invisible character that really is there."""
    from irdocs.errors import RecordsError
    from irdocs.records.validate import load_records

    try:
        return load_records(records)
    except RecordsError as exc:
        for problem in exc.problems:
            field = {"activities[0]": "activity"}.get(problem.field, problem.field)
            invisible = re.fullmatch(r"contains an invisible character U\+([0-9A-F]{4,6}) \(.*\) at position \d+", problem.message)
            accent = re.fullmatch(r"has an accent that belongs to no letter, U\+([0-9A-F]{4,6}) \(.*\), at position (\d+)", problem.message)
            formula = "a spreadsheet" in problem.message and "formula" in problem.message  # irdocs/records/formulas.py
            assert invisible or accent or formula or problem.message in ("is empty", "is missing"), str(problem)  # a blank CSV cell is a missing field
            if formula:
                from irdocs.records.formulas import formula_problem

                event("refused: a spreadsheet formula")
                assert formula_problem(values[field].strip()) is not None, str(problem)
            elif invisible:
                event("refused: invisible character")
                char = chr(int(invisible.group(1), 16))
                assert char in INVISIBLE and char in values[field], str(problem)
            elif accent:
                event("refused: accent on no letter")
                text = values[field].strip()
                position = int(accent.group(2)) - 1
                assert text[position] == chr(int(accent.group(1), 16)) and (position == 0 or text[position - 1].isspace()), str(problem)
            else:
                event("refused: empty")
        return None


def uncovered_char(message: str) -> str:
    """The character a font-coverage message names: "'X' (U+XXXX NAME) is in none ..."."""
    match = re.search(r"\(U\+([0-9A-F]{4,6}) ", message)
    assert match, message
    return chr(int(match.group(1), 16))


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@examples
@example(given_name="\u0301Ann", family_name="Lee", citation="For teaching.")  # an accent on no letter: refused by name
@given(given_name=texts(24), family_name=texts(24), citation=texts(120))
def test_any_honoree_name_prints_exactly_or_is_refused_by_name(folder, maker, monkeypatch, given_name, family_name, citation):
    from irdocs.documents.factsheets.kind import FactsheetBatch, Sheet
    from irdocs.errors import RecordsError, RenderError
    from irdocs.render.fonts import coverage

    monkeypatch.setenv("IRDOCS_KEY", TEST_KEY)
    values = {"given_name": given_name, "family_name": family_name, "citation": citation}
    records = load_or_invisible(write_records(folder, values, {}), values)
    if records is None:
        return
    honoree = records.honorees_by_id["hd-2020-001"]
    try:
        pdf = maker.pdf(honoree, "MNUMS-HD-2020-0001", "ABCDEFGHJK")
    except RecordsError as exc:
        event("certificate: no font")
        char = uncovered_char(str(exc.problems[0]))
        assert char in given_name + family_name + citation
        assert ord(char) not in coverage(maker.families(honoree.title)), "refused a character the fonts have"
    else:
        event("certificate: printed")
        text = bare("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
        for value in (honoree.display_name, honoree.citation):
            assert bare(value) in text
        # never a box: every character printed is in the design's fonts
        printed = {ord(c) for c in honoree.display_name + honoree.citation if not c.isspace()}
        covered = coverage(maker.families(honoree.title))
        assert all(point in covered for point in printed)
    batch = FactsheetBatch(records, as_of=records.today)
    try:
        data = batch.docx_bytes(Sheet("partner", "alpha-university"))
    except RenderError as exc:
        event("fact sheet: no font")
        assert "no installed font can draw" in str(exc)
        assert uncovered_char(str(exc)) in honoree.display_name
    else:
        event("fact sheet: printed")
        assert bare(honoree.display_name) in bare(docx_text(data))
    finally:
        batch.close()


@examples
@given(name=texts(60), activity=texts(120))
def test_any_partner_name_and_activity_print_exactly_in_the_draft(folder, name, activity):
    """Word draws what it can with the reader's fonts: a draft has no font check, only validation."""
    import datetime as dt

    from irdocs.documents.agreements.kind import Drafter

    values = {"name": name, "activity": activity}
    records = load_or_invisible(write_records(folder, {}, values), values)
    if records is None:
        return
    partner = records.partners_by_id["alpha-university"]
    agreement = records.agreements_by_id["alpha-mou-2020"]
    data = Drafter(records, None, dt.date(2024, 6, 30)).render(agreement)
    event("draft: printed")
    text = bare(docx_text(data))
    assert bare(partner.name) in text
    assert bare(agreement.activities[0]) in text
