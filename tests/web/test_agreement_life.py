"""Agreements through their life: the stage (draft, sent, signed, ended) with its dates, the signed
scan, partners' contacts; checked like every field (file:line), changed from the records' pages.
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.webtools are parameters of the tests)

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest

from irdocs.records.validate import load_records
from tests.web.webtools import field_errors, signed_in, site, text  # noqa: F401 (fixtures)

DRAFT = "steppe-medical-university-exchange-draft"
PARTNER = "steppe-medical-university"


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- the records' checks


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "    sent_on: 2020-06-01\n",
            "records/agreements.yaml:{line}: agreement alpha-mou-2020: sent_on: '2020-06-01' is after the signing date 2020-05-01 (the day the draft was sent, on or before 'signed_on')",
        ),
        (
            "    ended_on: 2024-01-01\n",
            "records/agreements.yaml:{line}: agreement alpha-mou-2020: ended_on: is given, but the agreement has not ended ('status: expired' or 'status: terminated', or leave 'ended_on' out)",
        ),
        (
            "    sent_on: 2020-02-30\n",
            "records/agreements.yaml:{line}: agreement alpha-mou-2020: sent_on: '2020-02-30' is not a date: there is no such day",
        ),
    ],
)
def test_the_stage_dates_are_checked_with_file_and_line(mini, run, lines, expected):
    path = mini / "agreements.yaml"
    text_before = path.read_text()
    path.write_text(text_before + lines)
    line = len(text_before.splitlines()) + 1
    result = run("check")
    assert result.exit_code == 1
    assert expected.format(line=line) in result.output


def test_an_ended_agreement_with_its_date_passes(mini, run):
    path = mini / "agreements.yaml"
    path.write_text(path.read_text().replace("status: active", "status: terminated") + "    ended_on: 2023-03-31\n    sent_on: 2020-04-01\n")
    assert run("check").exit_code == 0
    agreement = load_records(mini).agreements_by_id["alpha-mou-2020"]
    assert agreement.stage == "ended" and agreement.ended_on.as_date() == dt.date(2023, 3, 31)


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("{name: Dr. Kim, email: kim.yonsei.ac.kr}", "contacts[0].email: 'kim.yonsei.ac.kr' is not an e-mail address (an address such as name@university.edu)"),
        ("{name: Dr. Kim, phone: call me}", "contacts[0].phone: 'call me' is not a telephone number (digits with the country code, e.g. +82 2 2123 2114)"),
        ("{email: kim@yonsei.ac.kr}", "contacts[0].name: is missing"),
    ],
)
def test_contacts_are_checked_with_file_and_line(mini, run, contact, expected):
    path = mini / "partners.yaml"
    path.write_text(path.read_text().replace("    city: Tokyo\n", f"    city: Tokyo\n    contacts:\n      - {contact}\n"))
    result = run("check")
    assert result.exit_code == 1
    assert re.search(r"records/partners\.yaml:\d+: partner alpha-university: " + re.escape(expected), result.output), result.output


# --------------------------------------------------------------------------- the stage from the agreement's page


def test_draft_sent_signed_ended_from_the_page(signed_in):
    site = signed_in
    path = site.records / "agreements.yaml"
    before = path.read_text()
    page = text(site.client.get(f"/agreements/{DRAFT}"))
    assert "Where the agreement stands" in page and "No signed scan yet." in page
    assert site.post(f"/agreements/{DRAFT}/stage", {"stage": "sent", "date": "2026-01-15"}).status_code == 302
    assert load_records(site.records).agreements_by_id[DRAFT].stage == "sent"
    assert "Marked as sent to the partner." in text(site.client.get(f"/agreements/{DRAFT}"))
    assert site.post(f"/agreements/{DRAFT}/stage", {"stage": "signed", "date": "2026-02-20"}).status_code == 302
    signed = load_records(site.records).agreements_by_id[DRAFT]
    assert signed.stage == "signed" and signed.status == "active" and str(signed.signed_on) == "2026-02-20"
    assert signed.expires_on == dt.date(2031, 2, 19)
    assert site.post(f"/agreements/{DRAFT}/stage", {"stage": "ended", "date": "2026-03-01"}).status_code == 302
    ended = load_records(site.records).agreements_by_id[DRAFT]
    assert ended.stage == "ended" and ended.status == "terminated" and str(ended.ended_on) == "2026-03-01"
    from tests.web.test_web_records import changed_lines

    after = path.read_text()
    assert "# A proposal being negotiated: drafts are not counted in the published figures." in after
    assert sorted(changed_lines(before.encode(), after.encode())) == [
        "+    ended_on: 2026-03-01",
        "+    sent_on: 2026-01-15",
        "+    signed_on: 2026-02-20",
        "+    status: terminated",
        "-    status: draft",
    ]
    lines = [json.loads(line) for line in (site.records / "activity.jsonl").read_text().splitlines()]
    assert [(line["user"], line["action"], line["detail"]) for line in lines] == [
        ("anna", "stage", "sent 2026-01-15"),
        ("anna", "stage", "signed 2026-02-20"),
        ("anna", "stage", "ended 2026-03-01"),
    ]


STAGE_ERRORS = [
    ({"stage": "sent", "date": ""}, "Give the day it happened, as YYYY-MM-DD.", "Болсон өдрийг ЖЖЖЖ-СС-ӨӨ хэлбэрээр бичнэ үү."),
    ({"stage": "", "date": "2026-01-15"}, "Choose what happened to the agreement.", "Гэрээнд юу болсныг сонгоно уу."),
    (
        {"stage": "sent", "date": "2026-02-30"},
        "'2026-02-30' is not a date: there is no such day (a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)",
        "'2026-02-30' нь огноо биш: ийм өдөр байхгүй (ЖЖЖЖ-СС-ӨӨ хэлбэрийн огноо, жишээ нь 2024-06-15, эсвэл зөвхөн он, жишээ нь 1998)",
    ),
    (
        {"stage": "sent", "date": "2999-01-01"},
        "'2999-01-01' is in the future (the day the draft was sent to the partner)",
        "'2999-01-01' нь ирээдүйн огноо байна (төслийг хамтрагчид илгээсэн өдөр)",
    ),
]


@pytest.mark.parametrize("language", ["en", "mn"])
@pytest.mark.parametrize(("data", "english", "mongolian"), STAGE_ERRORS)
def test_each_stage_error_in_both_languages(signed_in, language, data, english, mongolian):
    signed_in.client.set_cookie("irdocs_lang", language)
    before = (signed_in.records / "agreements.yaml").read_bytes()
    response = signed_in.post(f"/agreements/{DRAFT}/stage", data)
    assert response.status_code == 422
    assert (english if language == "en" else mongolian) in text(response)
    assert (signed_in.records / "agreements.yaml").read_bytes() == before
    assert not (signed_in.records / "activity.jsonl").exists()


def test_signed_before_it_was_sent_is_refused(signed_in):
    signed_in.post(f"/agreements/{DRAFT}/stage", {"stage": "sent", "date": "2026-01-15"})
    response = signed_in.post(f"/agreements/{DRAFT}/stage", {"stage": "signed", "date": "2026-01-10"})
    assert response.status_code == 422
    assert "'2026-01-15' is after the signing date 2026-01-10 (the day the draft was sent, on or before 'signed_on')" in text(response)


# --------------------------------------------------------------------------- the signed scan


def test_the_signed_scan_is_kept_beside_the_records_downloaded_and_backed_up(signed_in, run):
    site = signed_in
    scan = pdf_bytes(3)
    response = site.post(f"/agreements/{DRAFT}/scan", {"scan": (io.BytesIO(scan), "scan.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert (site.records / "scans" / f"{DRAFT}.pdf").read_bytes() == scan
    page = site.client.get(f"/agreements/{DRAFT}")
    assert "Download the signed agreement (PDF)" in text(page)
    download = site.client.get(f"/agreements/{DRAFT}/scan.pdf")
    assert download.status_code == 200 and download.data == scan and download.mimetype == "application/pdf"
    from irdocs.backup import make_backup

    manifest = make_backup(site.records, site.records.parent / "b.irdocs-backup", "a long passphrase here")
    assert f"records/scans/{DRAFT}.pdf" in manifest["files"] and "records/activity.jsonl" in manifest["files"]


def test_a_scan_of_twenty_megabytes_is_accepted(signed_in):
    scan = pdf_bytes(1)
    big = scan + b"%" + b"x" * (20 * 1024 * 1024 - len(scan) - 100) + b"\n"
    response = signed_in.post(f"/agreements/{DRAFT}/scan", {"scan": (io.BytesIO(big), "big.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, text(response)[:300]


SCAN_ERRORS = [
    (b"", "Choose the signed agreement's PDF file.", "Гарын үсэгтэй гэрээний PDF файлаа сонгоно уу."),
    (
        b"PK\x03\x04 this is a Word file",
        "The file is not a PDF; save the scan as a PDF and upload that.",
        "Файл PDF биш байна; хуулбарыг PDF хэлбэрээр хадгалаад түүнийгээ илгээнэ үү.",
    ),
    (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
        "The PDF cannot be opened (it may be damaged or cut short); save the scan as a PDF again and upload that.",
        "PDF файлыг нээж чадсангүй (гэмтсэн эсвэл дутуу байж магадгүй); хуулбарыг дахин PDF хэлбэрээр хадгалаад түүнийгээ илгээнэ үү.",
    ),
    (
        b"%PDF-1.7\n" + b"0" * (21 * 1024 * 1024),
        "The file is larger than 20 MB; scan it again at a lower resolution (200 dpi in grey is plenty).",
        "Файл 20 MB-аас том байна; бага нягтшилтайгаар дахин скан хийнэ үү (саарал өнгөөр 200 dpi хангалттай).",
    ),
]


@pytest.mark.parametrize("language", ["en", "mn"])
@pytest.mark.parametrize(("data", "english", "mongolian"), SCAN_ERRORS)
def test_each_scan_error_in_both_languages(signed_in, language, data, english, mongolian):
    signed_in.client.set_cookie("irdocs_lang", language)
    response = signed_in.post(f"/agreements/{DRAFT}/scan", {"scan": (io.BytesIO(data), "scan.pdf")}, content_type="multipart/form-data")
    assert response.status_code in (413, 422)
    assert (english if language == "en" else mongolian) in text(response)
    assert not (signed_in.records / "scans").exists()


# --------------------------------------------------------------------------- contacts


def test_contacts_added_shown_and_removed_on_the_partners_page(signed_in):
    site = signed_in
    path = site.records / "partners.yaml"
    before = path.read_text()
    contact = {"name": "Dr. Bat-Erdene", "role": "International office", "email": "bat@steppe.example.edu", "phone": "+976 11 123 456"}
    assert site.post(f"/partners/{PARTNER}/contacts", contact).status_code == 302
    page = text(site.client.get(f"/partners/{PARTNER}"))
    assert "Dr. Bat-Erdene International office bat@steppe.example.edu +976 11 123 456" in page
    assert load_records(site.records).partners_by_id[PARTNER].contacts[0].email == "bat@steppe.example.edu"
    assert site.post(f"/partners/{PARTNER}/contacts/1/remove").status_code == 302
    assert path.read_text() == before
    actions = [json.loads(line)["action"] for line in (site.records / "activity.jsonl").read_text().splitlines()]
    assert actions == ["contact-add", "contact-remove"]


CONTACT_ERRORS = [
    ({"name": "", "email": "a@b.mn"}, "name", "Give the contact's name.", "Холбоо барих хүний нэрийг бичнэ үү."),
    (
        {"name": "Dr. Bat"},
        "email",
        "Give an e-mail address or a telephone number (or both).",
        "Цахим шуудангийн хаяг эсвэл утасны дугаар (эсвэл хоёуланг нь) бичнэ үү.",
    ),
    (
        {"name": "Dr. Bat", "email": "bat.steppe.edu"},
        "email",
        "'bat.steppe.edu' is not an e-mail address (an address such as name@university.edu)",
        "'bat.steppe.edu' нь цахим шуудангийн хаяг биш (name@university.edu гэх мэт хаяг)",
    ),
    (
        {"name": "Dr. Bat", "phone": "ask at the desk"},
        "phone",
        "'ask at the desk' is not a telephone number (digits with the country code, e.g. +82 2 2123 2114)",
        "'ask at the desk' нь утасны дугаар биш (улсын кодтой цифрүүд, жишээ нь +82 2 2123 2114)",
    ),
]


@pytest.mark.parametrize("language", ["en", "mn"])
@pytest.mark.parametrize(("data", "field", "english", "mongolian"), CONTACT_ERRORS)
def test_each_contact_error_in_both_languages(signed_in, language, data, field, english, mongolian):
    signed_in.client.set_cookie("irdocs_lang", language)
    before = (signed_in.records / "partners.yaml").read_bytes()
    response = signed_in.post(f"/partners/{PARTNER}/contacts", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" role="alert" id="e-c-{field}">(.*?)</p>', page)
    import html

    assert error and html.unescape(error.group(1)) == (english if language == "en" else mongolian)
    assert (signed_in.records / "partners.yaml").read_bytes() == before


# --------------------------------------------------------------------------- reminders on the overview


def test_the_overview_reminds_of_renewals_and_signatures_awaited(signed_in):
    from irdocs.records.stats import expiring

    site = signed_in
    records = load_records(site.records)
    due = expiring(records, 180)
    assert due, "the sample has agreements to renew"
    page = text(site.client.get("/"))
    assert "Reminders" in page and f"{len(due)} agreement{'s' if len(due) != 1 else ''} end{'' if len(due) != 1 else 's'} within 180 days" in page
    assert due[0][0].title in page
    assert "waiting for the partner" not in page
    sent = site.post(f"/agreements/{DRAFT}/stage", {"stage": "sent", "date": "2026-01-15"})
    assert sent.status_code == 302, text(sent)[-600:]
    page = text(site.client.get("/"))
    title = records.agreements_by_id[DRAFT].title
    assert f"1 agreement sent, waiting for the partner's signature {title} : sent on 15 Jan 2026" in page
    site.client.set_cookie("irdocs_lang", "mn")
    assert "Илгээсэн 1 гэрээ хамтрагчийн гарын үсгийг хүлээж байна" in text(site.client.get("/"))
