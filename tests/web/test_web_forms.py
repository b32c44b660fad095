"""Every message of the add forms, word for word, in English and in Mongolian.

Each problem is the records' own check (``irdocs check``) said as a sentence in the page's
language, next to its field. Also the form defects seen by a new user: the hint "leave empty to
number it" followed by "is missing" at that field, messages starting with a small letter, and the
checkboxes' error without its red frame.
"""

from __future__ import annotations

import re

import pytest

from tests.web.webtools import field_errors, signed_in_sites

MISSING_PARTNER = {"kind": "university"}
BAD_PARTNER = {
    "name": "Yonsei University",
    "id": "yonsei-university",
    "kind": "castle",
    "country": "Japn",
    "city": "Seoul",
    "website": "www.x.jp",
    "representative.name": "Prof. Kim",
}
CAPITAL_ID = {"name": "Ab", "id": "Ab", "kind": "university", "country": "XQ", "city": "X"}
BAD_AGREEMENT = {"kind": "mou", "status": "active", "signed_on": "2021-02-30", "duration_years": "99", "valid_until": "2030-01-01", "id": "x-mou"}
CROSS_AGREEMENT = {
    "partners": ["yonsei-university", "no-such-partner"],
    "kind": "mou",
    "status": "active",
    "areas": ["health"],
    "duration_years": "5",
    "valid_until": "2030-01-01",
}
FUNDED = {
    "partners": ["yonsei-university"],
    "kind": "mou",
    "status": "draft",
    "areas": ["health"],
    "funding.amount": "lots",
    "funding.currency": "euro",
    "funding.source": "X",
}
DATES = {
    "partners": ["yonsei-university"],
    "kind": "mou",
    "status": "active",
    "signed_on": "2020-05-01",
    "valid_until": "2019-01-01",
    "areas": ["health"],
    "activities": "a\nb",
    "activities_mn": "а",
}
TAKEN = {"title": "honorary-doctorate", "given_name": "Taro", "family_name": "Yamada", "affiliation": "X", "partner": "no-such-partner"}
BAD_HONOREE = {**TAKEN, "id": "hd-2024-001", "country": "Narnia", "awarded_on": "2026-13-01"}
EARLY_HONOREE = {**TAKEN, "id": "hd-2024-001", "country": "JP", "awarded_on": "1975", "citation": "a", "citation_mn": "b"}
UNNUMBERED = {
    "title": "honorary-doctorate",
    "given_name": "",
    "family_name": "Yamada",
    "country": "JP",
    "affiliation": "X",
    "awarded_on": "",
    "citation": "a",
    "citation_mn": "b",
}
DATE_EN = "a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998"
DATE_MN = "ЖЖЖЖ-СС-ӨӨ хэлбэрийн огноо, жишээ нь 2024-06-15, эсвэл зөвхөн он, жишээ нь 1998"
ISO_EN = "a two-letter ISO 3166 code such as JP, KR, US, or the country's name in English or Mongolian"
ISO_MN = "JP, KR, US гэх мэт хоёр үсэгт ISO 3166 код, эсвэл улсын нэр англиар эсвэл монголоор"

# (form, answers, field, English message, Mongolian message)
MESSAGES = [
    ("/partners/new", MISSING_PARTNER, "name", "This is missing (the official English name)", "Бөглөөгүй байна (англи хэл дээрх албан ёсны нэр)"),
    (
        "/partners/new",
        MISSING_PARTNER,
        "country",
        "This is missing (a two-letter ISO 3166 code such as JP, KR, US)",
        "Бөглөөгүй байна (JP, KR, US гэх мэт хоёр үсэгт ISO 3166 код)",
    ),
    ("/partners/new", MISSING_PARTNER, "city", "This is missing (the city, e.g. 'Seoul')", "Бөглөөгүй байна (хот, жишээ нь 'Seoul')"),
    (
        "/partners/new",
        BAD_PARTNER,
        "kind",
        "'castle' is not one of the allowed values (one of: university, hospital, government, association, company, research-institute)",
        "'castle' нь зөвшөөрөгдсөн утгуудын нэг биш (дараахын нэг: их сургууль, эмнэлэг, засгийн газар, холбоо, компани, судалгааны хүрээлэн)",
    ),
    ("/partners/new", BAD_PARTNER, "country", f"'Japn' is not a country code or name ({ISO_EN})", f"'Japn' нь улсын код, нэр биш ({ISO_MN})"),
    (
        "/partners/new",
        BAD_PARTNER,
        "website",
        "'www.x.jp' is not a web address (an address starting with https://)",
        "'www.x.jp' нь цахим хаяг биш (https:// -ээр эхэлсэн хаяг)",
    ),
    (
        "/partners/new",
        BAD_PARTNER,
        "representative.title",
        "This is missing (the position, e.g. 'Rector')",
        "Бөглөөгүй байна (албан тушаал, жишээ нь 'Rector')",
    ),
    (
        "/partners/new",
        CAPITAL_ID,
        "id",
        "'Ab' has capital letters (lower-case letters a-z, digits and single hyphens, e.g. 'yonsei-university'; write 'ab')",
        "'Ab' том үсэгтэй байна (латин жижиг үсэг a-z, тоо, дан зураас, жишээ нь 'yonsei-university'; 'ab' гэж бичнэ үү)",
    ),
    (
        "/partners/new",
        CAPITAL_ID,
        "country",
        "'XQ' is not an ISO 3166 country code (a two-letter code such as JP, KR, US)",
        "'XQ' нь ISO 3166 улсын код биш (JP, KR, US гэх мэт хоёр үсэгт код)",
    ),
    (
        "/agreements/new",
        BAD_AGREEMENT,
        "partners",
        "This is missing (a list of partner ids, e.g. [yonsei-university])",
        "Бөглөөгүй байна (хамтрагчдын id-ийн жагсаалт, жишээ нь [yonsei-university])",
    ),
    (
        "/agreements/new",
        BAD_AGREEMENT,
        "areas",
        "This is missing (a list from: science, technology, education, health)",
        "Бөглөөгүй байна (дараахаас нэг буюу хэдийг: шинжлэх ухаан, технологи, боловсрол, эрүүл мэнд)",
    ),
    (
        "/agreements/new",
        BAD_AGREEMENT,
        "signed_on",
        f"'2021-02-30' is not a date: there is no such day ({DATE_EN})",
        f"'2021-02-30' нь огноо биш: ийм өдөр байхгүй ({DATE_MN})",
    ),
    (
        "/agreements/new",
        BAD_AGREEMENT,
        "duration_years",
        "'99' is not allowed (a whole number of years from 1 to 50)",
        "'99' зөвшөөрөгдөхгүй (1-ээс 50 хүртэлх бүхэл жил)",
    ),
    (
        "/agreements/new",
        CROSS_AGREEMENT,
        "partners",
        "No partner has the id 'no-such-partner' (the id of a partner in partners.yaml)",
        "'no-such-partner' id-тай хамтрагч алга (partners.yaml файл дахь хамтрагчийн id)",
    ),
    (
        "/agreements/new",
        CROSS_AGREEMENT,
        "status",
        "A signed agreement needs 'signed_on' (the signing date, or 'status: draft' if it is not signed yet)",
        "Гарын үсэг зурсан гэрээнд гарын үсэг зурсан огноо шаардлагатай (гарын үсэг зурсан огноо, эсвэл хараахан зураагүй бол төлөв нь 'төсөл')",
    ),
    (
        "/agreements/new",
        CROSS_AGREEMENT,
        "duration_years",
        "Both 'valid_until' and 'duration_years' are given (only one of the two)",
        "Сүүлийн өдөр болон хүчинтэй жил хоёулаа өгөгдсөн байна (хоёрын зөвхөн нэгийг)",
    ),
    ("/agreements/new", FUNDED, "funding.amount", "'lots' is not an amount (a number such as 7500000)", "'lots' нь мөнгөн дүн биш (7500000 гэх мэт тоо)"),
    (
        "/agreements/new",
        FUNDED,
        "funding.currency",
        "'EURO' is not a currency code (a three-letter ISO 4217 code such as EUR, USD, MNT)",
        "'EURO' нь мөнгөн тэмдэгтийн код биш (EUR, USD, MNT гэх мэт гурван үсэгт ISO 4217 код)",
    ),
    (
        "/agreements/new",
        DATES,
        "valid_until",
        "'2019-01-01' is before the signing date 2020-05-01 (a date after 'signed_on')",
        "'2019-01-01' нь гарын үсэг зурсан 2020-05-01 огнооноос өмнө байна (гарын үсэг зурсан огнооноос хойшхи огноо)",
    ),
    (
        "/agreements/new",
        DATES,
        "activities_mn",
        "Has 1 entries but 'activities' has 2 (one Mongolian text for each activity, in the same order)",
        "1 бичлэгтэй боловч англи үйл ажиллагаа 2 бичлэгтэй байна (үйл ажиллагаа бүрд нэг монгол текст, ижил дарааллаар)",
    ),
    (
        "/honorees/new",
        BAD_HONOREE,
        "awarded_on",
        f"'2026-13-01' is not a date: there is no such day ({DATE_EN})",
        f"'2026-13-01' нь огноо биш: ийм өдөр байхгүй ({DATE_MN})",
    ),
    ("/honorees/new", BAD_HONOREE, "country", f"'Narnia' is not a country code or name ({ISO_EN})", f"'Narnia' нь улсын код, нэр биш ({ISO_MN})"),
    (
        "/honorees/new",
        BAD_HONOREE,
        "citation",
        "This is missing (one or two sentences in English on why the title is given)",
        "Бөглөөгүй байна (цолыг яагаад олгож буйг англиар нэг хоёр өгүүлбэрээр)",
    ),
    ("/honorees/new", BAD_HONOREE, "citation_mn", "This is missing (the same in Mongolian)", "Бөглөөгүй байна (мөн үүнийг монголоор)"),
    (
        "/honorees/new",
        EARLY_HONOREE,
        "partner",
        "No partner has the id 'no-such-partner' (the id of a partner in partners.yaml)",
        "'no-such-partner' id-тай хамтрагч алга (partners.yaml файл дахь хамтрагчийн id)",
    ),
    (
        "/honorees/new",
        EARLY_HONOREE,
        "awarded_on",
        "'1975' is before the first honorary title (1978) (a date from 1978 on)",
        "'1975' нь анхны хүндэт цолоос (1978) өмнөх огноо байна (1978 оноос хойшхи огноо)",
    ),
    ("/honorees/new", UNNUMBERED, "awarded_on", f"This is missing ({DATE_EN})", f"Бөглөөгүй байна ({DATE_MN})"),
]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """One signed-in browser in each language, on a scratch copy of the sample records (nothing is added: every answer is wrong)."""
    yield from signed_in_sites(tmp_path_factory)


@pytest.mark.parametrize(
    ("path", "answers", "name", "english", "mongolian"), MESSAGES, ids=[f"{m[0].split('/')[1]}-{m[2]}-{i}" for i, m in enumerate(MESSAGES)]
)
def test_each_message_in_both_languages(sites, path, answers, name, english, mongolian):
    for language, expected in (("en", english), ("mn", mongolian)):
        response = sites[language].post(path, answers)
        assert response.status_code == 422
        assert field_errors(response, name) == [expected], language


def test_an_id_in_use_in_both_languages(sites):
    taken = {"name": "Yonsei University", "id": "yonsei-university", "kind": "university", "country": "KR", "city": "Seoul"}
    english = field_errors(sites["en"].post("/partners/new", taken), "id")
    assert len(english) == 1 and re.fullmatch(
        r"'yonsei-university' is already the id of the partner at .*partners\.yaml:7 \(each id only once, in all record files\)", english[0]
    )
    mongolian = field_errors(sites["mn"].post("/honorees/new", EARLY_HONOREE), "id")
    assert len(mongolian) == 1
    assert re.fullmatch(
        r"'hd-2024-001' id-г .*honorees\.csv:\d+ дахь хүндэт цол хүртэгч аль хэдийн ашигласан байна \(id бүрийг бүх бүртгэлийн файлд зөвхөн нэг удаа\)",
        mongolian[0],
    )


@pytest.mark.parametrize("language", ["en", "mn"])
def test_every_message_starts_with_a_capital_letter(sites, language):
    """'is missing (…)' was shown as it is in the terminal, starting with a small letter."""
    for path, answers, name, *_ in MESSAGES:
        for message in field_errors(sites[language].post(path, answers), name):
            assert not message[0].islower(), message


@pytest.mark.parametrize(
    ("path", "answers", "explained_at"),
    [
        ("/honorees/new", UNNUMBERED, "awarded_on"),  # 'leave empty to number it': numbered from the title and the year
        ("/partners/new", MISSING_PARTNER, "name"),  # 'leave empty to make it from the name'
    ],
)
def test_an_id_left_empty_as_the_hint_says_is_never_called_missing(sites, path, answers, explained_at):
    """The form said 'leave empty to number it', then 'Short id: is missing' when the date was wrong."""
    for language in ("en", "mn"):
        response = sites[language].post(path, answers)
        assert field_errors(response, "id") == []
        assert field_errors(response, explained_at)  # what the id is made from says what is wrong
        page = response.get_data(as_text=True)
        assert "Short id: is missing" not in page and "is missing (lower-case letters" not in page


def test_an_id_that_cannot_be_made_and_nothing_else_wrong(sites):
    """A name with no Latin letter gives no id; then the id's own field says what to do."""
    response = sites["en"].post("/partners/new", {"name": "東京大学", "kind": "university", "country": "JP", "city": "Tokyo"})
    assert response.status_code == 422
    assert field_errors(response, "id") == ["Type a short id here: it could not be made by itself"]
    response = sites["mn"].post("/partners/new", {"name": "東京大学", "kind": "university", "country": "JP", "city": "Tokyo"})
    assert field_errors(response, "id") == ["Энд богино таних нэр бичнэ үү: автоматаар үүсгэж чадсангүй"]


def test_the_checkboxes_error_is_framed_like_the_other_fields(sites):
    """The areas' checkboxes: a group with its legend, marked invalid, its message tied to it."""
    page = sites["en"].post("/agreements/new", BAD_AGREEMENT).get_data(as_text=True)
    group = re.search(r'<fieldset class="field wide has-error" id="f-areas"[^>]*aria-describedby="e-areas"[^>]*>', page) or re.search(
        r'<fieldset class="field has-error" id="f-areas"[^>]*aria-describedby="e-areas"[^>]*>', page
    )
    assert group, "the checkboxes are not a fieldset marked with the error"
    block = page[group.start() : page.index("</fieldset>", group.start())]
    assert "<legend>Areas of cooperation" in block
    assert block.count('aria-invalid="true"') == 4  # each box
    assert '<div id="e-areas"><p class="error" role="alert">This is missing' in block
