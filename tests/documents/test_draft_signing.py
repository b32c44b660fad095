"""Agreement drafts as the director signs them (issue 15): the clause library's texts."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.conftest import SAMPLE

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def sample():
    from irdocs.documents.agreements.kind import Drafter
    from irdocs.records.validate import load_records

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


# --------------------------------------------------------------------------- the three-party 2+4 draft

TWO_PLUS_FOUR = "human-medicine-2plus4-2021"
KOREAN_NAME = "한국국제교육교류협회"


def _flat(paragraphs: list[str]) -> str:
    """The text as a reader sees it: no-break spaces as spaces, word joiners (invisible) left out."""
    return " ".join(" ".join(paragraphs).replace("\u2060", "").replace("\u00a0", " ").replace("\u2011", "-").split())


def test_the_programme_is_studied_at_the_university_not_at_the_association(sample):
    """An association teaches no one: the four years are at the University of Georgia, as the record says."""
    records, drafter = sample
    agreement = records.agreements_by_id[TWO_PLUS_FOUR]
    english = _flat(_paragraphs(drafter.render(agreement, "en")))
    assert "four (4) years at University of Georgia." in english
    assert "years at International Education Exchange Association" not in english
    mongolian = _flat(_paragraphs(drafter.render(agreement, "mn")))
    assert "Жоржиагийн Их Сургууль – 4 (дөрөв) жил." in mongolian
    assert "Холбоо болон Жоржиагийн Их Сургууль – 4" not in mongolian
    parallel = _flat(_paragraphs(drafter.render(agreement, "en+mn")))
    assert "four (4) years at University of Georgia." in parallel and "Жоржиагийн Их Сургууль – 4 (дөрөв) жил." in parallel


def test_without_studied_at_the_programme_is_studied_at_the_partners_that_are_universities(sample):
    records, drafter = sample
    agreement = records.agreements_by_id[TWO_PLUS_FOUR].model_copy(update={"studied_at": ()})
    assert drafter.studied_at(agreement) == ("university-of-georgia",)
    named = agreement.model_copy(update={"studied_at": ("korea-education-exchange-association",)})
    assert "four (4) years at International Education Exchange Association of the Republic of Korea." in _flat(_paragraphs(drafter.render(named, "en")))


def test_studied_at_names_only_the_agreements_partners(tmp_path):
    """A studied_at that is not a partner of the agreement is a records problem naming the file and the field."""
    import shutil

    from irdocs.errors import RecordsError
    from irdocs.records.validate import load_records

    folder = tmp_path / "records"
    shutil.copytree(SAMPLE, folder)
    path = folder / "agreements.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    studied_at: [university-of-georgia]\n" in text
    path.write_text(text.replace("    studied_at: [university-of-georgia]\n", "    studied_at: [yonsei-university]\n"), encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        load_records(folder, today=AS_OF)
    message = str(caught.value)
    assert "agreements.yaml" in message and "studied_at" in message and "'yonsei-university' is not a partner of this agreement" in message


def _party_lines(paragraphs: list[str], name: str) -> list[str]:
    return [p for p in paragraphs if p.startswith(name)]


def test_the_mongolian_draft_names_the_partners_signatories_address_and_degree_in_mongolian(sample):
    """Inside the Mongolian text: the partner's signatory, title and address, and the degree, in Mongolian."""
    import re

    records, drafter = sample
    agreement = records.agreements_by_id[TWO_PLUS_FOUR]
    paragraphs = [_flat([p]) for p in _paragraphs(drafter.render(agreement, "mn"))]
    for partner_id in agreement.partners:
        partner = records.partners_by_id[partner_id]
        lines = _party_lines(paragraphs, partner.name_mn)
        assert lines, partner_id
        for line in lines:
            assert not re.search(r"[A-Za-z]", line), line  # no English left in the Mongolian sentence
        assert partner.representative is not None and partner.representative.name_mn in lines[0]
        assert partner.representative.title_mn in lines[0]
    text = " ".join(paragraphs)
    assert "Атенс хот" in text and "Athens" not in text and "Seoul" not in text
    assert "«Анагаах ухааны бакалавр» зэрэг олгоно" in text and "Bachelor" not in text
    signatures = [_flat([c]) for c in _paragraphs(drafter.render(agreement, "mn")) if "Огноо" in c]
    assert len(signatures) == 3 and not any(re.search(r"[A-Za-z]", s) for s in signatures), signatures


def test_the_english_text_stands_where_the_mongolian_one_is_missing(sample):
    """A partner without Mongolian fields: its English address, signatory and title fill the gap."""
    records, drafter = sample
    agreement = next(
        a
        for a in records.agreements
        if a.kind == "mou" and a.signatories and records.partners_by_id[a.partners[0]].city_mn is None and a.partners[0] in a.signatories
    )  # the first MoU (Hoshigaoka, the README's preview) now has its Mongolian fields: another one
    partner = records.partners_by_id[agreement.partners[0]]
    assert partner.city_mn is None and partner.address_mn is None
    signer = agreement.signatories[partner.id]
    assert signer.title_mn is None
    text = _flat(_paragraphs(drafter.render(agreement, "mn")))
    assert f"{partner.city}, " in text and f"{signer.title} {signer.name}" in text


def test_a_korean_name_is_never_broken_in_the_word_text(sample):
    """Word and LibreOffice may break a line between any two Hangul syllables: the name carries word joiners."""
    records, drafter = sample
    agreement = records.agreements_by_id[TWO_PLUS_FOUR]
    for language in ("en", "mn", "en+mn"):
        text = " ".join(_paragraphs(drafter.render(agreement, language)))
        assert "\u2060".join(KOREAN_NAME) in text, language


@pytest.fixture(scope="module")
def two_plus_four_pages(sample, tmp_path_factory):
    """The lines of LibreOffice's PDF of the 2+4 draft in each language, as a reader sees them."""
    import pdfplumber

    from irdocs.render.libreoffice import convert_to_pdf

    records, drafter = sample
    folder = tmp_path_factory.mktemp("two-plus-four")
    drafts = {}
    for language in ("en", "mn", "en+mn"):
        drafts[language] = folder / f"{language.replace('+', '-')}.docx"
        drafts[language].write_bytes(drafter.render(records.agreements_by_id[TWO_PLUS_FOUR], language))
    convert_to_pdf(list(drafts.values()), folder)
    out = {}
    for language, draft in drafts.items():
        with pdfplumber.open(str(draft.with_suffix(".pdf"))) as pdf:
            lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
        out[language] = [line.replace("\u2060", "").replace("\u00a0", " ").replace("\u2011", "-") for line in lines]
    return out


def test_a_korean_name_is_never_broken_on_the_page(two_plus_four_pages):
    """LibreOffice's PDF of the three drafts: every line with Hangul on it holds the whole name."""
    for language, lines in two_plus_four_pages.items():
        hangul = [line for line in lines if any("\uac00" <= c <= "\ud7af" for c in line)]
        assert hangul, language
        assert all(KOREAN_NAME in line for line in hangul), (language, hangul)


def test_a_signers_name_in_the_parties_clause_is_never_broken(sample, two_plus_four_pages):
    """The clause library kept the name's no-break spaces ('Д.\u00a0Бат-Эрдэнэ'): the page never
    leaves 'Д.' at the end of one line and 'Бат-Эрдэнэ' at the start of the next."""
    records, drafter = sample
    mongolian = _paragraphs(drafter.render(records.agreements_by_id[TWO_PLUS_FOUR], "mn"))
    assert any(p.startswith("Анагаахын") and p.endswith("Ректор Д.\u00a0Бат\u2011Эрдэнэ\u00a0(жишээ)") for p in mongolian)
    for language, lines in two_plus_four_pages.items():
        for surname in ("Bat-Erdene", "Бат-Эрдэнэ"):
            for line in lines:
                start = line.find(surname)
                if start >= 0:
                    assert line[:start].rstrip().endswith(("D.", "Д.")), (language, line)


@pytest.mark.parametrize("language", ["en", "mn", "en+mn"])
def test_no_table_of_a_draft_is_left_without_rows(language):
    """docxtpl leaves a table whose rows the template drops (the Mongol-script heading of an English
    draft); a table with no row is not valid in a Word file, and Word may call the file damaged."""
    import datetime as dt
    import io
    import re
    import zipfile

    from irdocs.documents.agreements.kind import Drafter
    from irdocs.records.validate import load_records

    records = load_records(SAMPLE)
    data = Drafter(records, None, dt.date(2026, 11, 27)).render(records.agreements_by_id["yonsei-cooperation-1993"], language)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    assert tables and all("<w:tr" in table for table in tables)
