"""Certificates the director signs as they are (issue 15): the wording, the names in both forms, a
page an office printer prints whole, no seal placeholder, headings that copy out as words.

The four sample certificates are made once with ``irdocs certificate`` and read as a person would:
the text pypdf and pdftotext give, the pixels pdftoppm draws.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.documents.test_certificates import SAMPLE, flat, issued, page_text, pdf_of  # noqa: F401  (issued: the fixture)

MONGOLIAN_NAMES = {"hd-2024-001": "Пак Хёну", "vp-2024-001": "Ямада Наоко"}  # in the printed name's order (docs/records.md)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("honoree_id", list(MONGOLIAN_NAMES))
def test_the_mongolian_name_is_printed(issued, honoree_id):  # noqa: F811
    """The Mongolian sentence '... цол олгов' has its recipient in Mongolian too."""
    assert MONGOLIAN_NAMES[honoree_id] in flat(page_text(pdf_of(issued, honoree_id)))


def test_an_honorary_doctorate_says_it_once_and_idiomatically(issued):  # noqa: F811
    text = flat(page_text(pdf_of(issued, "hd-2024-001")))
    assert "Diploma of Honorary Doctor" not in text
    assert "Honorary Doctor honoris causa" not in text and "title of Honorary Doctor" not in text
    assert "Honorary Doctorate" in text and "the degree of Doctor honoris causa" in text
    assert text.count("honoris causa") == 1


def test_a_visiting_professor_is_appointed_not_given_a_title(issued):  # noqa: F811
    text = flat(page_text(pdf_of(issued, "vp-2024-001")))
    assert "цол олгов" not in text and "title of" not in text
    assert "томилов" in text and "appoints" in text and "as Visiting Professor" in text


@pytest.mark.parametrize("honoree_id", ["hd-2024-001", "hp-2024-001", "vp-2024-001"])
def test_nothing_is_printed_within_6_mm_of_the_edge(issued, honoree_id, tmp_path):  # noqa: F811
    """A printer that cannot print to the edge cuts nothing: colour and art start 6 mm in."""
    from PIL import Image

    dpi = 100
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf_of(issued, honoree_id)), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png").convert("L")
    width, height = image.size
    band = round(6 / 25.4 * dpi)
    pixels = image.load()
    dark = [
        (x, y)
        for y in range(height)
        for x in (range(width) if y < band or y >= height - band else [*range(band), *range(width - band, width)])
        if pixels[x, y] < 250
    ]
    assert not dark, f"{len(dark)} pixels printed within 6 mm of the edge, e.g. at {dark[:3]}"


def test_no_seal_placeholder(issued):  # noqa: F811
    for honoree_id in ("hd-2024-001", "hp-2024-001"):
        text = flat(page_text(pdf_of(issued, honoree_id))).casefold()
        assert "тамга" not in text and "seal" not in text


@pytest.mark.parametrize("reader", ["pdftotext", "pypdf"])
def test_letter_spaced_headings_copy_out_as_words(issued, reader):  # noqa: F811
    path = pdf_of(issued, "hp-2024-001")
    text = flat(pdftotext(path) if reader == "pdftotext" else page_text(path))
    assert "MONGOLIAN NATIONAL UNIVERSITY OF MEDICAL SCIENCES" in text
    assert "АНАГААХЫН ШИНЖЛЭХ УХААНЫ ҮНДЭСНИЙ ИХ СУРГУУЛЬ" in text
    assert "ХҮНДЭТ ПРОФЕССОРЫН ҮНЭМЛЭХ" in text


def test_one_page_still(issued):  # noqa: F811
    for honoree_id in ("hd-2024-001", "hp-2024-001", "vp-2024-001", "hp-2025-003"):
        assert len(PdfReader(str(pdf_of(issued, honoree_id))).pages) == 1
