"""Agreement drafts as the director signs them (issue 15): the clause library's texts."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.conftest import SAMPLE

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def sample():
    from irdocs.agreements import Drafter
    from irdocs.validate import load_records

    records = load_records(SAMPLE, today=AS_OF)
    return records, Drafter(records, draft_date=AS_OF)


def _paragraphs(data: bytes) -> list[str]:
    from docx import Document

    document = Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs] + [p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]


def test_a_two_party_draft_speaks_of_the_other_party(sample):
    records, drafter = sample
    for agreement in [a for a in records.agreements if len(a.partners) == 1 and a.kind in ("mou", "cooperation-agreement")][:4]:
        text = " ".join(_paragraphs(drafter.render(agreement, "en")))
        assert "other Parties" not in text and "another Party" not in text, agreement.id
        mn = " ".join(_paragraphs(drafter.render(agreement, "mn")))
        assert "бусад Тал" not in mn, agreement.id


def test_a_three_party_draft_speaks_of_the_other_parties(sample):
    records, drafter = sample
    text = " ".join(_paragraphs(drafter.render(records.agreements_by_id["human-medicine-2plus4-2021"], "en")))
    assert "the other Parties" in text and "the other Party " not in text


def test_the_mongolian_memorandums_opening_sentence_starts_with_a_capital(sample):
    records, drafter = sample
    mou = next(a for a in records.agreements if a.kind == "mou")
    paragraphs = [p for p in _paragraphs(drafter.render(mou, "mn")) if "ойлголцолд хүрэв" in p]
    assert paragraphs and all(p[0].isupper() for p in paragraphs), paragraphs


def test_a_renewal_names_the_original_once(sample):
    records, drafter = sample
    agreement = next(a for a in records.agreements if a.kind == "cooperation-agreement" and a.title.startswith("Cooperation Agreement") and a.status != "draft")
    text = " ".join(_paragraphs(drafter.render(agreement, "en", renewal=True)))
    assert f"signed the Cooperation Agreement “{agreement.title}”" not in text
    assert f"signed the “{agreement.title}”" in text


def test_mongolian_drafts_use_mongolian_quotes(sample):
    records, drafter = sample
    text = " ".join(_paragraphs(drafter.render(records.agreements_by_id["human-medicine-2plus4-2021"], "mn")))
    assert "«" in text and "“" not in text


def test_the_word_templates_carry_the_typesetting_rules():
    """Headings keep with what follows and their lines together, every paragraph has widow control,
    the narrow columns of the parallel text are not justified (they left rivers of space)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from tests.conftest import REPO

    for name in ("agreement.docx", "agreement-parallel.docx"):
        styles = Document(str(REPO / "templates" / "agreements" / name)).styles
        heading = styles["Heading 1"].paragraph_format
        assert heading.keep_with_next and heading.keep_together
        assert styles["Normal"].paragraph_format.widow_control
        assert styles["Signature Intro"].paragraph_format.keep_with_next
        justified = styles["Clause Text"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert justified is (name == "agreement.docx"), name


def test_a_signers_name_is_never_broken(sample):
    records, drafter = sample
    agreement = records.agreements_by_id["human-medicine-2plus4-2021"]
    text = " ".join(_paragraphs(drafter.render(agreement, "mn")))
    assert "Д.\u00a0Бат\u2011Эрдэнэ" in text
