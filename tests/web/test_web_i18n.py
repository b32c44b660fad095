"""The web pages in Mongolian and English: the catalogue, the language switch, dates and numbers, the public page.

The office's pages are Mongolian unless the visitor chooses English; the public verification page
follows the browser's language (English when it asks for neither).
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.webtools are parameters of the tests)

from __future__ import annotations

import re

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from irdocs.web.i18n import TRANSLATIONS, extract
from tests.web.test_web_verify import issue
from tests.web.webtools import USER, client, make_site, site, text  # noqa: F401 (fixtures)

PO = TRANSLATIONS / "mn" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue():
    with PO.open("rb") as source:
        return read_po(source)


def test_every_message_of_the_pages_has_its_mongolian_words():
    catalogue = _catalogue()
    missing, wrong = [], []
    for message_id, places in extract().items():
        key = message_id[0] if isinstance(message_id, tuple) else message_id
        found = catalogue.get(key)
        strings = (found.string if isinstance(found.string, tuple) else (found.string,)) if found else ("",)
        if not all(strings):
            missing.append(f"{key!r} ({', '.join(places)})")
            continue
        for string in strings:  # the same %(name)s values, none lost or misspelled
            if set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(key)):
                wrong.append(key)
    assert not missing, "not translated into Mongolian:\n" + "\n".join(missing)
    assert not wrong, "the Mongolian words lack or misspell a value: " + ", ".join(wrong)


def test_each_message_is_in_the_catalogue_once():
    """Branches append their messages; a message twice would keep only one of its translations."""
    ids = re.findall(r'^msgid "(.+)"$', PO.read_text(encoding="utf-8"), re.M)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_the_compiled_catalogue_is_the_po_file():
    """The .mo file in the repository is compiled from the .po file as it is now (python -m irdocs.web.i18n)."""
    with PO.with_suffix(".mo").open("rb") as compiled:
        mo = read_mo(compiled)
    po = _catalogue()

    def strings(catalogue) -> dict:
        return {(m.id if isinstance(m.id, str) else m.id[0]): m.string if isinstance(m.string, str) else tuple(m.string) for m in catalogue if m.id}

    assert strings(po) == strings(mo)


# --------------------------------------------------------------------------- which language


@pytest.fixture
def mongolian(tmp_path, monkeypatch):
    """A signed-in office worker who has not chosen a language."""
    made = make_site(tmp_path, monkeypatch, language=None)
    assert made.sign_in().status_code == 302
    return made


def test_the_office_is_in_mongolian_first(mongolian):
    response = mongolian.client.get("/")
    page = text(response)
    assert '<html lang="mn">' in response.get_data(as_text=True)
    assert "Бүртгэлийн тойм" in page and "Хамтрагчид" in page and "Гэрээнүүд" in page and "Хүндэт цолууд" in page
    assert "The records at a glance" not in page
    for path, heading in (("/partners", "Хамтрагч байгууллагууд"), ("/agreements", "Гэрээнүүд"), ("/renewals", "Сунгах хугацаа ойртсон гэрээнүүд")):
        assert heading in text(mongolian.client.get(path))


def test_the_language_switch(mongolian):
    response = mongolian.client.get("/language/en?next=/partners?q=japan")
    assert response.status_code == 302 and response.headers["Location"] == "/partners?q=japan"
    assert "irdocs_lang=en" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    page = mongolian.client.get("/partners?q=japan")
    assert "Partner organizations" in text(page) and '<html lang="en">' in page.get_data(as_text=True)
    # the switch on every page leads to the other language and back to the same page
    assert 'href="/language/mn?next=/partners?q%3Djapan"' in page.get_data(as_text=True) or 'href="/language/mn?next=%2Fpartners%3Fq%3Djapan"' in page.get_data(
        as_text=True
    )
    mongolian.client.get("/language/mn?next=/")
    assert "Бүртгэлийн тойм" in text(mongolian.client.get("/"))


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_the_language_switch_never_sends_to_another_site(mongolian, target):
    response = mongolian.client.get("/language/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_sign_in_page_and_its_message_in_both_languages(tmp_path, monkeypatch):
    made = make_site(tmp_path, monkeypatch, language=None)
    response = made.sign_in(USER, "wrong password")
    assert "Нэр эсвэл нууц үг буруу байна. Шалгаад дахин оролдоно уу." in text(response)
    made.client.set_cookie("irdocs_lang", "en")
    assert "The name or the password is not right. Check them and try again." in text(made.sign_in(USER, "wrong password"))


def test_dates_and_numbers_in_the_pages_language(mongolian):
    page = text(mongolian.client.get("/agreements?q=yonsei-cooperation-1993"))
    assert "2027 оны 3-р сарын 31" in page  # valid_until: 2027-03-31
    mongolian.client.set_cookie("irdocs_lang", "en")
    page = text(mongolian.client.get("/agreements?q=yonsei-cooperation-1993"))
    assert "31 Mar 2027" in page
    assert "7,500,000 EUR" in text(mongolian.client.get("/agreements/austria-equipment-project"))  # amount: 7500000


def test_the_records_words_in_mongolian(mongolian):
    page = text(mongolian.client.get("/agreements/yonsei-cooperation-1993"))
    assert "Хамтын ажиллагааны гэрээ" in page and "хүчинтэй" in page  # kind and status in the records' own Mongolian words
    assert "шинжлэх ухаан, технологи, боловсрол, эрүүл мэнд" in page
    page = text(mongolian.client.get("/partners/yonsei-university"))
    assert "Өмнөд Солонгос" in page and "их сургууль" in page


# --------------------------------------------------------------------------- the public page


def _verify(site, headers=None):
    entry = issue(site.records, "hd-2024-001")
    return site.client.get(f"/verify/{entry.serial}?c={entry.code}", headers=headers or {})


@pytest.fixture
def visitor_site(tmp_path, monkeypatch):
    return make_site(tmp_path, monkeypatch, language=None)


def test_the_public_page_follows_the_browsers_language(visitor_site):
    mongolian = text(_verify(visitor_site, {"Accept-Language": "mn-MN,mn;q=0.9,en;q=0.5"}))
    assert "Энэ үнэмлэх хүчинтэй" in mongolian
    assert "Хүндэт доктор" in mongolian and "Гадаад харилцааны хэлтэс" in mongolian
    assert "Анагаахын Шинжлэх Ухааны Үндэсний Их Сургууль" in mongolian
    english = text(_verify(visitor_site, {"Accept-Language": "en-GB,en;q=0.8"}))
    assert "This certificate is valid" in english and "Department for International Relations" in english
    assert "This certificate is valid" in text(_verify(visitor_site, {"Accept-Language": "ja-JP"}))  # neither: English
    assert "This certificate is valid" in text(_verify(visitor_site))
    visitor_site.client.set_cookie("irdocs_lang", "mn")  # the switch wins over the browser
    assert "Энэ үнэмлэх хүчинтэй" in text(_verify(visitor_site, {"Accept-Language": "en"}))


@pytest.mark.parametrize(
    ("accept", "words"),
    [
        (
            "en",
            [
                "Department for International Relations",
                "Park Hyunwoo",
                "Honorary Doctor",
                "Date of award",
                "Status",
                "valid",
                "S. Zorig Street 3",
                "www.mnums.edu.mn",
            ],
        ),
        ("mn", ["Гадаад харилцааны хэлтэс", "Park Hyunwoo", "Хүндэт доктор", "Олгосон огноо", "Төлөв", "хүчинтэй", "С. Зоригийн гудамж 3", "www.mnums.edu.mn"]),
    ],
)
def test_the_public_page_shows_department_honoree_title_date_status_and_contact(visitor_site, accept, words):
    page = text(_verify(visitor_site, {"Accept-Language": accept}))
    for word in words:
        assert word in page


def test_the_public_form_in_mongolian(visitor_site):
    response = visitor_site.client.get("/verify?serial=MNUMS-HD-2024-0001", headers={"Accept-Language": "mn"})
    assert response.status_code == 400
    assert "Дугаар болон шалгах код хоёулаа шаардлагатай." in text(response)


def test_the_api_stays_english(mongolian):
    response = mongolian.client.get("/api/nothing-here")
    assert response.status_code in (401, 404)
    assert not re.search("[А-Яа-яӨөҮү]", response.get_data(as_text=True))


def test_the_refusals_in_mongolian(tmp_path, monkeypatch):
    strict = make_site(tmp_path, monkeypatch, language=None, login_limit=2)
    responses = [strict.sign_in(USER, "wrong password!") for _ in range(3)]
    assert responses[-1].status_code == 429
    assert re.search(r"Энэ хаягаас богино хугацаанд олон хүсэлт ирлээ\. \d+ секунд хүлээгээд дахин оролдоно уу\.", text(responses[-1]))
    response = strict.client.post("/login", data={"name": USER, "password": "x"})  # no CSRF token
    assert response.status_code == 400
    assert "Маягтыг хүлээн авах боломжгүй" in text(response)
    assert "Маягт хэт удсан эсвэл энэ сайтаас ирээгүй байна. Буцаж, хуудсыг дахин ачаалаад дахин илгээнэ үү." in text(response)


def test_a_page_that_is_not_there_in_both_languages(mongolian):
    response = mongolian.client.get("/no/such/page")
    assert response.status_code == 404 and "Олдсонгүй" in text(response) and "Ийм хуудас эсвэл файл байхгүй." in text(response)
    response = mongolian.client.get("/honorees/no-such")
    assert "Файлд" not in text(response) and "honorees.csv файлд 'no-such' хүндэт цол байхгүй." in text(response)
    mongolian.client.set_cookie("irdocs_lang", "en")
    assert "There is no honorary title 'no-such' in honorees.csv." in text(mongolian.client.get("/honorees/no-such"))


def test_the_records_problems_in_mongolian(mongolian):
    csv_path = mongolian.records / "honorees.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("hd-2024-001,honorary-doctorate", "hd-2024-001,honorary-doctor", 1), encoding="utf-8")
    overview = text(mongolian.client.get("/"))
    assert "Бүртгэлд 1 алдаа байна." in overview
    assert re.search(
        r"honorees\.csv:\d+: хүндэт цол хүртэгч hd-2024-001: title: 'honorary-doctor' нь зөвшөөрөгдсөн утгуудын нэг биш \('honorary-doctorate' гэж хэлэх гэсэн үү\? дараахын нэг: ",
        overview,
    )


def test_no_word_of_the_templates_escapes_the_catalogue():
    """Every text a person reads in the templates goes through _() (so it has its Mongolian); commands and names stay as they are."""
    allowed = {"irdocs", "user", "add", "YOUR-NAME", "aria-describedby", "aria-invalid", "aria-required", "true", "PDF", "Word"}
    for template in sorted((TRANSLATIONS.parent / "templates").glob("*.html")):
        source = template.read_text(encoding="utf-8")
        for attribute in re.findall(r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"', source):
            assert not re.search(r"[A-Za-z]", re.sub(r"\{\{.*?\}\}", "", attribute)), f"{template.name}: {attribute}"
        visible = re.sub(r"(?s)\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}|<script.*?</script>", " ", source)
        visible = re.sub(r"<[^>]*>", " ", visible)
        words = set(re.findall(r"[A-Za-z][A-Za-z'’-]+", visible)) - allowed
        assert not words, f"{template.name}: {sorted(words)}"
