"""The web form for an honorary title takes the names people have (issue 14, point 7): a single
name (given or family name, at least one), and the name in the Mongol script (name_mong)."""

from __future__ import annotations

import csv
import re

import pytest

from tests.web.webtools import field_errors, signed_in_sites

SUKARNO = {
    "title": "honorary-doctorate",
    "given_name": "",
    "family_name": "Sukarno",
    "country": "ID",
    "affiliation": "Universitas Indonesia",
    "awarded_on": "2025-06-15",
    "citation": "For his service.",
    "citation_mn": "Гавьяаг нь үнэлж.",
}
BATU = "ᠪᠠᠲᠤ"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    yield from signed_in_sites(tmp_path_factory)


def _row(site, honoree_id: str) -> dict:
    text = (site.records / "honorees.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return next(row for row in rows if row["id"] == honoree_id)


def test_neither_name_is_required_in_the_page(sites):
    page = sites["en"].client.get("/honorees/new").get_data(as_text=True)
    for name in ("given_name", "family_name"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "required" not in tag, tag
    assert "for a person with one name, fill in only one of the two names" in page
    assert 'name="name_mong"' in page


def test_a_person_with_a_single_name_is_added(sites):
    response = sites["en"].post("/honorees/new", {**SUKARNO, "id": "hd-2025-901"})
    assert response.status_code == 302, field_errors(response, "family_name")
    row = _row(sites["en"], "hd-2025-901")
    assert row["family_name"] == "Sukarno" and row["given_name"] == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Has neither a family name nor a given name (at least one of family_name and given_name; a person with one name writes it in either)"),
        ("mn", "Овог ч, нэр ч бөглөөгүй байна (овог (family_name), нэр (given_name)-ийн ядаж нэгийг; ганц нэртэй хүн аль нэгэнд нь бичнэ)"),
    ],
)
def test_no_name_at_all_is_refused_in_both_languages(sites, language, expected):
    response = sites[language].post("/honorees/new", {**SUKARNO, "family_name": "", "id": "hd-2025-902"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert expected in [re.sub(r"\s+", " ", m) for m in re.findall(r"<(?:p|li)[^>]*>(?:<code>)?(.*?)(?:</code>)?</(?:p|li)>", page, flags=re.S)] or (
        expected in field_errors(response, "family_name") + field_errors(response, "given_name")
    ), page[page.find("problems") - 200 : page.find("problems") + 600]


def test_the_name_in_the_mongol_script_is_saved(sites):
    response = sites["en"].post("/honorees/new", {**SUKARNO, "id": "hd-2025-903", "name_mong": BATU})
    assert response.status_code == 302, field_errors(response, "name_mong")
    assert _row(sites["en"], "hd-2025-903")["name_mong"] == BATU
    page = sites["en"].client.get("/honorees/hd-2025-903").get_data(as_text=True)
    assert f'<dd lang="mn-Mong" class="mongol">{BATU}</dd>' in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "'Бат' is not in the Mongol script: it has 'Б' (U+0411 CYRILLIC CAPITAL LETTER BE) (the name in the Mongol script (Unicode U+1800-U+18AF), "
            "e.g. 'ᠪᠠᠲᠤ'; irdocs does not convert Cyrillic or Latin letters: leave the field empty until the name is written in the script)",
        ),
        (
            "mn",
            "'Бат' нь монгол бичиг биш: 'Б' (U+0411 CYRILLIC CAPITAL LETTER BE) тэмдэгт агуулж байна (монгол бичгээрх нэр (Юникод U+1800-U+18AF), "
            "ж.нь 'ᠪᠠᠲᠤ'; irdocs кирилл, латин үсгийг хөрвүүлэхгүй: нэрийг монгол бичгээр бичих хүртэл талбарыг хоосон орхино)",
        ),
    ],
)
def test_a_name_not_in_the_mongol_script_is_refused_at_its_field(sites, language, expected):
    response = sites[language].post("/honorees/new", {**SUKARNO, "id": "hd-2025-904", "name_mong": "Бат"})
    assert response.status_code == 422
    assert field_errors(response, "name_mong") == [expected]
