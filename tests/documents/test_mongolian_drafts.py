"""The Mongolian drafts as the director reads them (issue 15), through LibreOffice: no English inside
the Mongolian text of the MoU preview, automatic hyphenation in every Word draft, no page holding the
signature block alone; and the Mongolian name in the printed name's order."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

DATE = dt.date(2026, 11, 27)
#: the drafts the README shows or the issue names: (agreement id, language)
DRAFTS = {
    "mou-mn": ("hoshigaoka-medical-university-1996", "mn"),
    "two-plus-four-mn": ("human-medicine-2plus4-2021", "mn"),
    "mou-en": ("hoshigaoka-medical-university-1996", "en"),
    "cooperation-en+mn": ("yonsei-cooperation-1993", "en+mn"),
}
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")


@pytest.fixture(scope="module")
def records():
    from irdocs.records.validate import load_records

    return load_records(SAMPLE, today=DATE)


@pytest.fixture(scope="module")
def drafts(records, tmp_path_factory) -> dict[str, Path]:
    from irdocs.documents.agreements.kind import Drafter

    folder = tmp_path_factory.mktemp("drafts")
    drafter = Drafter(records, draft_date=DATE)
    paths = {}
    for name, (agreement_id, language) in DRAFTS.items():
        paths[name] = folder / f"{name}.docx"
        paths[name].write_bytes(drafter.render(records.agreements_by_id[agreement_id], language))
    return paths


@pytest.fixture(scope="module")
def pages(drafts) -> dict[str, list[str]]:
    """Each draft's pages as LibreOffice prints them (the text of each page)."""
    import pdfplumber

    from irdocs.render.libreoffice import convert_to_pdf

    out = {}
    for pdf in convert_to_pdf(drafts.values()):
        with pdfplumber.open(str(pdf)) as document:
            out[pdf.stem] = [page.extract_text() or "" for page in document.pages]
    return out


def _word_text(path: Path) -> list[str]:
    from docx import Document

    document = Document(str(path))
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return [p.text for p in document.paragraphs] + cells


def test_the_mongolian_mou_has_no_english_inside_the_mongolian_text(drafts):
    """The partner's name, city, signatory and title were English in the Mongolian MoU (the README's
    preview): the sample partner now has its Mongolian fields (records/partners.yaml)."""
    latin = [text for text in _word_text(drafts["mou-mn"]) if re.search(r"[A-Za-z]", text)]
    assert latin == []
    text = "\n".join(_word_text(drafts["mou-mn"])).replace("\xa0", " ")  # names are kept whole by no-break spaces
    assert "Хошигаока Анагаах Ухааны Их Сургууль" in text and "Токио" in text and "Проф. Хироши Уэно" in text


def test_the_mongolian_2plus4_draft_has_no_english_either(drafts):
    assert [text for text in _word_text(drafts["two-plus-four-mn"]) if re.search(r"[A-Za-z]", text)] == []


def test_word_drafts_ask_for_automatic_hyphenation(drafts):
    from docx import Document
    from docx.oxml.ns import qn

    for name, path in drafts.items():
        document = Document(str(path))
        assert document.settings.element.find(qn("w:autoHyphenation")) is not None, name
        # names, titles, headings and the signatures are never hyphenated
        for style in ("Title", "Heading 1", "Signature Intro", "Signature Text", "Signature Party"):
            assert document.styles[style].element.pPr.find(qn("w:suppressAutoHyphens")) is not None, (name, style)
    # a Mongolian draft is in Mongolian, so that it is hyphenated (and spell-checked) as Mongolian
    styles = Document(str(drafts["mou-mn"])).styles.element
    assert styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "mn-MN"


@needs_libreoffice
@pytest.mark.parametrize("name", list(DRAFTS))
def test_libreoffice_hyphenates_the_drafts(pages, name):
    """Justified text without hyphenation left wide gaps: LibreOffice now breaks words at line ends,
    Mongolian ones too (Debian's hyphen-mn, found by the name LibreOffice looks for: irdocs/render/libreoffice.py)."""
    text = "\n".join(pages[name])
    hyphenated = re.findall(r"([А-ЯЁӨҮа-яёөүA-Za-z]+)-\n([а-яёөүa-z]+)", text)
    assert len(hyphenated) >= 3, name
    if name.endswith("-mn"):
        assert any(re.fullmatch(r"[а-яёөү]+", first.lower()) for first, _ in hyphenated), name


@needs_libreoffice
@pytest.mark.parametrize("name", list(DRAFTS))
def test_no_page_holds_the_signature_block_alone(pages, name):
    """Page 4 of the Mongolian 2+4 draft held only the signature block: the last clause now keeps with it."""
    last = pages[name][-1]
    intro = "Дээр дурдсаныг" if name.endswith("-mn") else "In witness whereof"
    assert intro in last, name
    before = last.split(intro, 1)[0]
    lines = [line for line in before.splitlines() if line.strip() and not re.search(r"ТӨСӨЛ|DRAFT", line)]
    assert len(lines) >= 2, f"{name}: the last page starts with the signatures: {before!r}"


def test_the_mongolian_name_follows_the_printed_names_order(records):
    """The Latin name is printed family name first for East Asian honorees ("Park Hyunwoo"); the sample's
    name_mn was given name first ("Хёну Пак"). Now the same order: the honorees who share a family name
    have name_mn starting with the same word, and the preview's honoree reads "Пак Хёну"."""
    assert records.honorees_by_id["hd-2024-001"].name_mn == "Пак Хёну"
    first_words: dict[tuple[str, bool], set[str]] = {}
    last_words: dict[tuple[str, bool], set[str]] = {}
    for honoree in records.honorees:
        if honoree.name_mn and honoree.family_name and honoree.given_name and len(honoree.name_mn.split()) == 2:
            words = honoree.name_mn.split()
            key = (honoree.family_name, honoree.family_first)
            first_words.setdefault(key, set()).add(words[0])
            last_words.setdefault(key, set()).add(words[1])
    shared = [key for key, words in first_words.items() if len(last_words[key]) > 1 or len(words) > 1]
    assert len(shared) >= 5  # enough families with several members to tell
    for family, family_first in shared:
        # the family name's Mongolian form is one word, first when the Latin name is printed family first
        consistent = first_words[family, family_first] if family_first else last_words[family, family_first]
        assert len(consistent) == 1, (family, family_first, consistent)


def test_the_certificate_prints_the_mongolian_name_in_the_printed_order(records):
    import pdfplumber

    from irdocs.documents.certificates.kind import CertificateMaker

    honoree = records.honorees_by_id["hd-2024-001"]
    maker = CertificateMaker(records.institution, records.root)
    try:
        pdf = maker.pdf(honoree, "MNUMS-HD-2024-0001", "ABCDEFGHJK")
    finally:
        maker.close()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = document.pages[0].extract_text()
    assert "Park Hyunwoo" in text and "Пак Хёну" in text
