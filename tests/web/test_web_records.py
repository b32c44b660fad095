"""A page for each partner, agreement and honorary title; changing and deleting them from the browser.

A change is checked like ``irdocs check`` and written in place: the file differs from before only
in the lines of the record changed, every comment and every other record stays, byte for byte.
A record that others refer to is not deleted, and the page says which records refer to it.
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.webtools are parameters of the tests)

from __future__ import annotations

import difflib

import pytest

from irdocs.records.validate import load_records
from tests.web.test_web_verify import issue
from tests.web.webtools import field_errors, reader, shared, signed_in, site, text  # noqa: F401 (fixtures)


def changed_lines(before: bytes, after: bytes) -> list[str]:
    """The lines taken out (-) and put in (+), nothing else."""
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# --------------------------------------------------------------------------- pages


def test_a_partners_page_shows_its_agreements_titles_and_contacts(reader):
    records = load_records(reader.records)
    partner = records.partners_by_id["hoshigaoka-medical-university"]
    page = text(reader.client.get(f"/partners/{partner.id}"))
    assert partner.name in page and "Prof. Hiroshi Ueno, President" in page and "Japan" in page
    for agreement in (a for a in records.agreements if partner.id in a.partners):
        assert agreement.title in page
    for honoree in (h for h in records.honorees if h.partner == partner.id):
        assert honoree.display_name in page


@pytest.mark.parametrize("path", ["/partners", "/agreements", "/renewals?within=3650", "/factsheets", "/honorees"])
def test_a_partners_name_in_the_lists_is_a_link_to_its_page(reader, path):
    page = reader.client.get(path).get_data(as_text=True)
    assert 'href="/partners/' in page or 'href="/agreements/' in page or 'href="/honorees/' in page
    if path in ("/partners", "/agreements", "/factsheets"):
        assert 'href="/partners/yonsei-university"' in page


def test_an_agreements_page_and_an_honorees_page(reader):
    page = text(reader.client.get("/agreements/austria-equipment-project"))
    assert "7,500,000 EUR" in page and "Make draft" in page
    page = text(reader.client.get("/honorees/hd-2024-001"))
    assert "Park Hyunwoo" in page and "Honorary Doctor" in page and "Make certificate" in page


@pytest.mark.parametrize("path", ["/partners/no-such", "/agreements/no-such", "/honorees/no-such", "/partners/no-such/edit", "/honorees/no-such/delete"])
def test_a_record_that_is_not_there(reader, path):
    response = reader.client.get(path)
    assert response.status_code == 404 and "There is no" in text(response)


def test_lists_filter_and_sort(reader):
    records = load_records(reader.records)
    page = text(reader.client.get("/partners?country=JP"))
    japanese = [p for p in records.partners if p.country == "JP"]
    assert f"{len(japanese)} of {len(records.partners)}" in page
    assert all(p.name in page for p in japanese)
    page = reader.client.get("/partners?sort=-name").get_data(as_text=True)
    names = sorted((p.name for p in records.partners), key=str.lower, reverse=True)
    assert page.index(f"<strong>{names[0]}</strong>") < page.index(f"<strong>{names[1]}</strong>") < page.index(f"<strong>{names[-1]}</strong>")
    assert 'aria-sort="descending"' in page
    page = text(reader.client.get("/agreements?kind=funded-project"))
    funded = [a for a in records.agreements if a.kind == "funded-project"]
    assert f"{len(funded)} of {len(records.agreements)}" in page
    page = text(reader.client.get("/honorees?title=visiting-professor"))
    visiting = [h for h in records.honorees if h.title == "visiting-professor"]
    assert f"{len(visiting)} of {len(records.honorees)}" in page


# --------------------------------------------------------------------------- edit


def test_edit_a_partners_name_changes_one_line(signed_in):
    path = signed_in.records / "partners.yaml"
    before = path.read_bytes()
    form = signed_in.client.get("/partners/hoshigaoka-medical-university/edit").get_data(as_text=True)
    assert 'value="Hoshigaoka Medical University"' in form and 'value="Prof. Hiroshi Ueno"' in form
    response = signed_in.post(
        "/partners/hoshigaoka-medical-university/edit",
        {
            "name": "Hoshigaoka University of Medicine",
            "native_name": "星ヶ丘医科大学",
            "name_mn": "Хошигаока Анагаах Ухааны Их Сургууль",  # as the form shows it (the sample has it)
            "kind": "university",
            "country": "JP",
            "city": "Tokyo",
            "city_mn": "Токио",
            "representative.name": "Prof. Hiroshi Ueno",
            "representative.name_mn": "Проф. Хироши Уэно",
            "representative.title": "President",
            "representative.title_mn": "Ерөнхийлөгч",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/partners/hoshigaoka-medical-university"
    assert changed_lines(before, path.read_bytes()) == ["-    name: Hoshigaoka Medical University", "+    name: Hoshigaoka University of Medicine"]
    assert path.read_text(encoding="utf-8").startswith("# Partner organizations of MNUMS.")  # comments kept; 'sample: true' kept too
    page = text(signed_in.client.get(response.headers["Location"]))
    assert "Saved the changes to hoshigaoka-medical-university." in page and "Hoshigaoka University of Medicine" in page
    assert load_records(signed_in.records).partners_by_id["hoshigaoka-medical-university"].sample is True


def test_a_partners_mongolian_city_address_and_signer_are_on_its_form(signed_in):
    """The Mongolian fact sheets and drafts print a partner's city, address and signer in
    Mongolian: the office enters them in the browser, on the same form, in the file's order."""
    path = signed_in.records / "partners.yaml"
    before = path.read_bytes()
    form = signed_in.client.get("/partners/hoshigaoka-medical-university/edit").get_data(as_text=True)
    for name, value in (("city_mn", "Токио"), ("representative.name_mn", "Проф. Хироши Уэно"), ("representative.title_mn", "Ерөнхийлөгч")):
        assert f'name="{name}"' in form and f'value="{value}"' in form
    assert 'name="address_mn"' in form
    answers = {
        "name": "Hoshigaoka Medical University",
        "native_name": "星ヶ丘医科大学",
        "name_mn": "Хошигаока Анагаах Ухааны Их Сургууль",
        "kind": "university",
        "country": "JP",
        "city": "Tokyo",
        "city_mn": "Токио хот",
        "address_mn": "Япон, Токио хот, Сэтагая дүүрэг 1-2-3",
        "representative.name": "Prof. Hiroshi Ueno",
        "representative.name_mn": "Проф. Хироши Уэно",
        "representative.title": "President",
        "representative.title_mn": "Ерөнхийлөгч",
    }
    response = signed_in.post("/partners/hoshigaoka-medical-university/edit", answers)
    assert response.status_code == 302
    assert changed_lines(before, path.read_bytes()) == [
        "-    city_mn: Токио",
        "+    city_mn: Токио хот",
        "+    address_mn: Япон, Токио хот, Сэтагая дүүрэг 1-2-3",
    ]
    partner = load_records(signed_in.records).partners_by_id["hoshigaoka-medical-university"]
    assert (partner.city_mn, partner.address_mn, partner.representative.name_mn) == ("Токио хот", "Япон, Токио хот, Сэтагая дүүрэг 1-2-3", "Проф. Хироши Уэно")

    signed_in.client.set_cookie("irdocs_lang", "mn")
    form = text(signed_in.client.get("/partners/new"))
    assert "Хотын нэр монголоор" in form and "Шуудангийн хаяг монголоор, нэг мөрөнд" in form and "Албан тушаал, монголоор" in form
    new = {"name": "Sakuragawa Medical College", "kind": "university", "country": "JP", "city": "Nagoya", "city_mn": "Нагоя"}
    new |= {
        "representative.name": "Prof. Aiko Sato",
        "representative.title": "Dean",
        "representative.name_mn": "Проф. Айко Сато",
        "representative.title_mn": "Декан",
    }
    response = signed_in.post("/partners/new", new)
    assert response.status_code == 302, text(response)
    partner = load_records(signed_in.records).partners_by_id["sakuragawa-medical-college"]
    assert (partner.city_mn, partner.representative.name_mn, partner.representative.title_mn) == ("Нагоя", "Проф. Айко Сато", "Декан")
    written = path.read_text(encoding="utf-8").split("id: sakuragawa-medical-college", 1)[1]
    assert written.index("city: Nagoya") < written.index("city_mn: Нагоя") < written.index("representative:")


def test_an_edit_with_a_mistake_changes_nothing(signed_in):
    path = signed_in.records / "partners.yaml"
    before = path.read_bytes()
    answers = {"name": "Hoshigaoka Medical University", "kind": "university", "country": "Japn", "city": "Tokyo", "website": "www.x.jp"}
    response = signed_in.post("/partners/hoshigaoka-medical-university/edit", answers)
    assert response.status_code == 422
    assert field_errors(response, "country") == [
        "'Japn' is not a country code or name (a two-letter ISO 3166 code such as JP, KR, US, or the country's name in English or Mongolian)"
    ]
    assert field_errors(response, "website") == ["'www.x.jp' is not a web address (an address starting with https://)"]
    assert "Nothing was saved yet." in text(response) and 'value="Japn"' in response.get_data(as_text=True)
    assert path.read_bytes() == before
    signed_in.client.set_cookie("irdocs_lang", "mn")
    response = signed_in.post("/partners/hoshigaoka-medical-university/edit", answers)
    assert field_errors(response, "country") == [
        "'Japn' нь улсын код, нэр биш (JP, KR, US гэх мэт хоёр үсэгт ISO 3166 код, эсвэл улсын нэр англиар эсвэл монголоор)"
    ]
    assert path.read_bytes() == before


def test_an_edit_over_a_colleagues_change_is_refused(signed_in):
    """Two people open the same form; the second to save is told, and the first one's change stays."""
    import re

    form = signed_in.client.get("/partners/hoshigaoka-medical-university/edit").get_data(as_text=True)
    opened = re.search(r'name="version" value="([0-9a-f]+)"', form).group(1)
    answers = {"name": "Hoshigaoka Medical University", "kind": "university", "country": "JP", "city": "Tokyo", "representative.name": "Prof. Hiroshi Ueno"}
    first = signed_in.post("/partners/hoshigaoka-medical-university/edit", {**answers, "representative.title": "President", "city": "Kyoto", "version": opened})
    assert first.status_code == 302
    path = signed_in.records / "partners.yaml"
    after_first = path.read_bytes()
    second = signed_in.post("/partners/hoshigaoka-medical-university/edit", {**answers, "representative.title": "Rector", "version": opened})
    assert second.status_code == 422 and path.read_bytes() == after_first
    assert "Someone else changed this record after this form was opened; open it again to see their change, then make yours" in text(second)
    assert f'name="version" value="{opened}"' in second.get_data(as_text=True)  # sending it again is refused again
    signed_in.client.set_cookie("irdocs_lang", "mn")
    second = signed_in.post("/partners/hoshigaoka-medical-university/edit", {**answers, "version": opened})
    assert "Энэ маягтыг нээсний дараа өөр хүн энэ бичлэгийг өөрчилжээ" in text(second) and path.read_bytes() == after_first


def test_edit_an_agreements_status_and_areas(signed_in):
    path = signed_in.records / "agreements.yaml"
    before = path.read_bytes()
    agreement_id = "merlion-institute-of-health-2016"
    form = signed_in.client.get(f"/agreements/{agreement_id}/edit").get_data(as_text=True)
    assert 'value="2016-11-07"' in form and "exchange of faculty members for teaching and research\njoint research projects" in form
    answers = {
        "partners": ["merlion-institute-of-health"],
        "kind": "mou",
        "title": "Memorandum of Understanding between MNUMS and Merlion Institute of Health",
        "status": "terminated",
        "signed_on": "2016-11-07",
        "duration_years": "5",
        "areas": ["education", "health"],
        "activities": "exchange of faculty members for teaching and research\njoint research projects and joint publications\nexchange of undergraduate and graduate students",
        "activities_mn": "багш нарыг сургалт, судалгааны ажлаар солилцох\nхамтарсан судалгааны төсөл хэрэгжүүлж, хамтарсан бүтээл хэвлүүлэх\nбакалавр, магистр, докторын оюутан солилцох",
    }
    response = signed_in.post(f"/agreements/{agreement_id}/edit", answers)
    assert response.status_code == 302
    assert changed_lines(before, path.read_bytes()) == [
        "-    status: expired",
        "+    status: terminated",
        "-    areas: [technology, education, health]",
        "+    areas: [education, health]",
    ]
    agreement = load_records(signed_in.records).agreements_by_id[agreement_id]
    assert agreement.status == "terminated" and agreement.signatories  # the signatories, not on the form, are kept


def test_edit_an_honorees_row(signed_in):
    path = signed_in.records / "honorees.csv"
    before = path.read_bytes()
    honoree = load_records(signed_in.records).honorees_by_id["hd-2024-001"]
    answers = {
        name: str(getattr(honoree, name) or "") for name in ("title", "given_name", "family_name", "native_name", "name_mn", "country", "partner", "ceremony")
    }
    answers.update(affiliation="Seoul Riverside University", awarded_on=str(honoree.awarded_on), citation=honoree.citation, citation_mn=honoree.citation_mn)
    response = signed_in.post("/honorees/hd-2024-001/edit", answers)
    assert response.status_code == 302, field_errors(response, "awarded_on")
    lines = changed_lines(before, path.read_bytes())
    assert len(lines) == 2 and lines[0].startswith("-hd-2024-001,") and lines[1].startswith("+hd-2024-001,") and "Seoul Riverside University" in lines[1]
    assert load_records(signed_in.records).honorees_by_id["hd-2024-001"].affiliation == "Seoul Riverside University"


# --------------------------------------------------------------------------- delete


def test_a_partner_that_others_name_is_not_deleted(signed_in):
    path = signed_in.records / "partners.yaml"
    before = path.read_bytes()
    page = text(signed_in.client.get("/partners/hoshigaoka-medical-university/delete")).replace(" :", ":")
    assert "It cannot be deleted while other records refer to it:" in page
    records = load_records(signed_in.records)
    for agreement in (a for a in records.agreements if "hoshigaoka-medical-university" in a.partners):
        assert f"agreement {agreement.id}: names it as a partner" in page
    response = signed_in.post("/partners/hoshigaoka-medical-university/delete")
    assert response.status_code == 409 and path.read_bytes() == before
    signed_in.client.set_cookie("irdocs_lang", "mn")
    assert "Өөр бичлэгүүд үүнийг заасаар байгаа тул устгах боломжгүй:" in text(signed_in.client.get("/partners/hoshigaoka-medical-university/delete"))


def test_delete_a_partner_nobody_names(signed_in):
    path = signed_in.records / "partners.yaml"
    before = path.read_bytes()
    added = signed_in.post("/partners/new", {"name": "Sakuragawa Medical College", "kind": "university", "country": "JP", "city": "Nagoya"})
    assert added.status_code == 302
    page = text(signed_in.client.get("/partners/sakuragawa-medical-college/delete"))
    assert "The entry is taken out of partners.yaml" in page
    response = signed_in.post("/partners/sakuragawa-medical-college/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/partners"
    assert path.read_bytes() == before  # exactly as before it was added
    assert "Deleted partner sakuragawa-medical-college." in text(signed_in.client.get("/partners"))


def test_delete_an_agreement_and_one_that_is_renewed(signed_in):
    path = signed_in.records / "agreements.yaml"
    text_before = path.read_text(encoding="utf-8")
    # a renewal names the agreement it renews: that one stays
    path.write_text(
        text_before.replace("  - id: wawel-medical-academy-2009\n", "  - id: wawel-medical-academy-2009\n    renews: merlion-institute-of-health-2016\n"),
        encoding="utf-8",
    )
    page = text(signed_in.client.get("/agreements/merlion-institute-of-health-2016/delete")).replace(" :", ":")
    assert "agreement wawel-medical-academy-2009: renews it" in page
    assert signed_in.post("/agreements/merlion-institute-of-health-2016/delete").status_code == 409
    before = path.read_bytes()
    response = signed_in.post("/agreements/steppe-medical-university-exchange-draft/delete")
    assert response.status_code == 302
    removed = changed_lines(before, path.read_bytes())
    assert removed[0] == "-  - id: steppe-medical-university-exchange-draft" and all(line.startswith("-") for line in removed)
    assert "steppe-medical-university-exchange-draft" not in load_records(signed_in.records).agreements_by_id


def test_an_honorary_title_with_a_certificate_is_not_deleted(signed_in):
    entry = issue(signed_in.records, "hd-2024-001")
    form = text(signed_in.client.get("/honorees/hd-2024-001/edit"))
    assert f"Certificate {entry.serial} was printed with the present name and title" in form and f"irdocs register reissue {entry.serial}" in form
    path = signed_in.records / "honorees.csv"
    before = path.read_bytes()
    page = text(signed_in.client.get("/honorees/hd-2024-001/delete")).replace(" :", ":")
    assert f"certificate {entry.serial}: is in the register" in page
    assert signed_in.post("/honorees/hd-2024-001/delete").status_code == 409 and path.read_bytes() == before
    response = signed_in.post("/honorees/hp-2024-001/delete")  # no certificate yet: taken out
    assert response.status_code == 302
    lines = changed_lines(before, path.read_bytes())
    assert len(lines) == 1 and lines[0].startswith("-hp-2024-001,")


@pytest.mark.parametrize("path", ["/partners/yonsei-university/edit", "/partners/yonsei-university/delete", "/agreements/x/edit", "/honorees/x/delete"])
def test_changing_needs_an_account_and_a_token(site, path):
    assert site.client.post(path, data={}).status_code in (302, 400)
    site.sign_in()
    response = site.client.post(path, data={"name": "x"})  # no CSRF token
    assert response.status_code == 400 and "The form could not be accepted" in text(response)


def test_the_drafts_made_are_on_the_agreements_and_the_partners_page(signed_in):
    import io
    import time

    from docx import Document

    response = signed_in.post("/agreements/hankuk-university-2022/draft", {"language": "mn"})
    assert response.status_code == 302
    progress = response.headers["Location"] + "/progress"
    deadline = time.monotonic() + 300
    while signed_in.client.get(progress).get_json()["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, "the draft was not made in 5 minutes"
        time.sleep(0.2)
    page = signed_in.client.get("/agreements/hankuk-university-2022").get_data(as_text=True)
    link = "/download/agreement/hankuk-university-2022?language=mn&amp;renewal=0"
    assert link in page and "Made so far:" in page
    agreement = load_records(signed_in.records).agreements_by_id["hankuk-university-2022"]
    assert link in signed_in.client.get(f"/partners/{agreement.partners[0]}").get_data(as_text=True)
    word = signed_in.client.get(link.replace("&amp;", "&"))
    assert word.status_code == 200
    words = " ".join(p.text for p in Document(io.BytesIO(word.data)).paragraphs).lower()
    assert "хамтын ажиллагааны гэрээ" in words  # the Mongolian draft


@pytest.mark.parametrize("what", ["honorees", "partners", "agreements"])
def test_each_list_downloads_as_the_workbook_irdocs_export_writes(signed_in, what, tmp_path):
    """Issue 17: lists with an Excel download; the same bytes as `irdocs export` (one way to write it)."""
    from click.testing import CliRunner

    from irdocs.cli import main

    page = signed_in.client.get(f"/{what}").get_data(as_text=True)
    assert f'href="/lists/{what}.xlsx"' in page
    download = signed_in.client.get(f"/lists/{what}.xlsx")
    assert download.status_code == 200 and f"filename={what}.xlsx" in download.headers["Content-Disposition"]
    exported = tmp_path / f"{what}.xlsx"
    result = CliRunner().invoke(main, ["export", str(exported), "--records", str(signed_in.records)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert download.data == exported.read_bytes()
    assert signed_in.client.get("/lists/nothing.xlsx").status_code == 404
