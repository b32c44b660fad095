"""The certificate register in the browser: list, search, filters, export, revoke, reissue; zips of a batch; previews.

Real parts only: the sample records, the real register (SQLite), certificates made by the build
engine through the web's background jobs, LibreOffice for a Word draft's preview, pdftoppm.
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.webtools are parameters of the tests)

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from irdocs.documents.certificates.register import Register, register_path
from tests.web.test_web_jobs import finish
from tests.web.test_web_verify import issue
from tests.web.webtools import Site, client, make_site, reader, shared, signed_in, site, text  # noqa: F401 (fixtures)

#: A ceremony of one honorary title: its reissue also makes the ceremony's print file again, quickly.
HONOREE = "hp-2026-001"
CEREMONY = "ceremony-2026-10"


def signed_in_as(site: Site, language: str) -> Site:
    other = Site(site.records, site.out, site.app, client(site.app, language))
    assert other.sign_in().status_code == 302
    return other


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """One certificate made, revoked, then reissued, all through the web pages (as an officer would)."""
    with pytest.MonkeyPatch.context() as patch:
        site = make_site(tmp_path_factory.mktemp("register"), patch)
        assert site.sign_in().status_code == 302
        made = finish(site, site.post(f"/honorees/{HONOREE}/certificate"))
        [old] = [d.ident for d in site.app.extensions["irdocs"].jobs.get(made).outcome.downloads if d.kind == "certificate"]
        site.old = old
        site.revoked = site.post(f"/register/{old}/revoke", {"reason": "name misspelt"})
        site.honoree_page = site.client.get(f"/honorees/{HONOREE}")
        site.reissue_job = finish(site, site.post(f"/register/{old}/reissue", {"reason": ""}))
        with Register(register_path(site.records), create=False) as register:
            site.new = register.get(old).replaced_by
        yield site


def test_revoke_then_reissue_through_the_web(office):
    old, new = office.old, office.new
    assert office.revoked.status_code == 302 and office.revoked.headers["Location"].startswith("/register")
    # between the two, the honoree's page offers the button instead of a command for the terminal
    page = text(office.honoree_page)
    assert "irdocs register reissue" not in page and "A new serial is given with" not in page
    assert f'href="/register/{old}/reissue"' in office.honoree_page.get_data(as_text=True) and "Reissue under a new serial" in page
    # the register: the new serial valid, the old one superseded by it, the revocation's reason kept
    assert new and new != old
    listing = text(office.client.get("/register"))
    assert f"{new} " in listing and f"replaced by {new}" in listing and f"replaces {old}" in listing
    with Register(register_path(office.records), create=False) as register:
        assert register.get(old).status == "superseded" and register.get(old).reason == "name misspelt"
        assert register.get(new).status == "issued" and register.get(new).replaces == old
    # the files: the old PDF moved aside, the new one in place with its serial printed on it
    assert (office.out / "certificates" / "superseded" / f"{old}.pdf").is_file()
    assert not (office.out / "certificates" / f"{old}.pdf").exists()
    new_pdf = office.out / "certificates" / f"{new}.pdf"
    assert new in " ".join(page.extract_text() or "" for page in PdfReader(new_pdf).pages)
    # the job's page: the new certificate and the ceremony's print file, and both at once as a zip
    job = text(office.client.get(f"/jobs/{office.reissue_job}"))
    assert "Finished. 1 certificate made." in job and f"certificate {new}" in job and "Download all (zip)" in job
    # the ceremony's row in the list of titles offers its zip beside its print file
    assert f'href="/ceremonies/{CEREMONY}/files.zip"' in office.client.get("/honorees").get_data(as_text=True)


def test_the_reissue_job_zip_holds_every_file_it_made(office):
    response = office.client.get(f"/jobs/{office.reissue_job}/files.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names == sorted([f"certificates/{office.new}.pdf", f"certificates/{CEREMONY}.pdf"])
    for info in archive.infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        reader = PdfReader(io.BytesIO(archive.read(info)))  # every file opens
        assert office.new in " ".join(p.extract_text() or "" for p in reader.pages)
    assert office.client.get(f"/jobs/{office.reissue_job}/files.zip").data == response.data  # the same bytes again


def test_the_register_list_search_filters_and_the_csv_export(office):
    everything = text(office.client.get("/register"))
    assert "2 of 2" in everything and office.old in everything and office.new in everything
    assert "Download the register (CSV for Excel)" in everything
    superseded = text(office.client.get("/register?status=superseded"))
    assert office.old in superseded and f"{office.new} " not in superseded.replace(f"replaced by {office.new}", "")
    assert "1 of 2" in text(office.client.get(f"/register?q={office.new.lower()}"))
    assert "0 of 2" in text(office.client.get("/register?title=honorary-doctorate")) and "No certificate matches." in text(
        office.client.get("/register?year=1999")
    )
    assert "2 of 2" in text(office.client.get("/register?title=honorary-professor&year=2026"))
    # the export is what 'irdocs register export --output FILE' writes, byte for byte
    download = office.client.get("/register/export.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv" and 'filename="register.csv"' in download.headers["Content-Disposition"]
    from irdocs.cli import main

    target = office.records.parent / "register-cli.csv"
    done = CliRunner().invoke(main, ["register", "export", "--records", str(office.records), "--output", str(target)])
    assert done.exit_code == 0, done.output
    assert download.data == target.read_bytes() and download.data.startswith(b"\xef\xbb\xbf")


def test_before_the_first_certificate_the_register_says_so(signed_in):
    page = text(signed_in.client.get("/register"))
    assert "No certificate has been issued yet." in page and "Download the register" not in page
    export = signed_in.client.get("/register/export.csv")
    assert export.status_code == 404 and "No certificate has been issued yet." in text(export)


def test_a_revoked_certificate_shows_in_the_register_with_its_reason(site, monkeypatch):
    entry = issue(site.records, "hd-2024-001")
    site.sign_in()
    form = text(site.client.get(f"/register/{entry.serial}/revoke"))
    assert f"Revoke certificate {entry.serial}" in form and "no longer verifies" in form
    done = site.post(f"/register/{entry.serial}/revoke", {"reason": "  awarded   in error "})
    assert done.status_code == 302
    assert f"Certificate {entry.serial} is revoked: it no longer verifies." in text(site.client.get(done.headers["Location"]))
    revoked = text(site.client.get("/register?status=revoked"))
    assert entry.serial in revoked and "awarded in error" in revoked and "1 of 1" in revoked
    verdict = site.app.extensions["irdocs"].verify(entry.serial, entry.code)
    assert verdict.status == "revoked"


# --------------------------------------------------------------------------- every form error, in both languages

ERRORS = {
    "en": {
        "reason": "Give the reason: it is kept in the register with the certificate.",
        "long": "The reason is 501 characters long; keep it to 500.",
        "revoked": "This certificate is already revoked (awarded in error).",
        "superseded": "This certificate was already reissued as {new}; use that one.",
        "gone": "Its honorary title hd-2024-001 is no longer in the records, so no new certificate can be made.",
        "unknown": "There is no certificate with the serial MNUMS-HD-2024-0999 in the register.",
        "nothing": "Nothing was changed.",
    },
    "mn": {
        "reason": "Шалтгааныг бичнэ үү: энэ нь үнэмлэхийн хамт бүртгэлд хадгалагдана.",
        "long": "Шалтгаан 501 тэмдэгт байна; 500-аас хэтрүүлэхгүй бичнэ үү.",
        "revoked": "Энэ үнэмлэхийг аль хэдийн хүчингүй болгосон (awarded in error).",
        "superseded": "Энэ үнэмлэхийг аль хэдийн {new} дугаартайгаар дахин олгосон; түүнийг ашиглана уу.",
        "gone": "Үүний хүндэт цол hd-2024-001 бүртгэлд байхгүй болсон тул шинэ үнэмлэх үүсгэх боломжгүй.",
        "unknown": "Үнэмлэхийн бүртгэлд MNUMS-HD-2024-0999 дугаартай үнэмлэх байхгүй.",
        "nothing": "Юу ч өөрчлөгдсөнгүй.",
    },
}


def errors_shown(response) -> list[str]:
    import html

    return [html.unescape(m).strip() for m in re.findall(r'<p class="error"[^>]*>(.*?)</p>', response.get_data(as_text=True), flags=re.S)]


@pytest.mark.parametrize("language", ["en", "mn"])
def test_the_revoke_forms_errors(site, language):
    words = ERRORS[language]
    entry = issue(site.records, "hd-2024-001")
    me = signed_in_as(site, language)
    empty = me.post(f"/register/{entry.serial}/revoke", {"reason": "   "})
    assert empty.status_code == 422 and errors_shown(empty) == [words["reason"]] and words["nothing"] in text(empty)
    long = me.post(f"/register/{entry.serial}/revoke", {"reason": "x" * 501})
    assert long.status_code == 422 and errors_shown(long) == [words["long"]]
    with Register(register_path(site.records), create=False) as register:
        assert register.get(entry.serial).status == "issued"  # nothing was written
        register.revoke(entry.serial, "awarded in error", "2026-01-01T00:00:00+00:00")
    again = me.post(f"/register/{entry.serial}/revoke", {"reason": "twice"})
    assert again.status_code == 409 and errors_shown(again) == [words["revoked"]]
    assert errors_shown(me.client.get(f"/register/{entry.serial}/revoke")) == [words["revoked"]]
    unknown = me.client.get("/register/MNUMS-HD-2024-0999/revoke")
    assert unknown.status_code == 404 and words["unknown"] in text(unknown)
    assert me.client.get("/register/../../etc/passwd/revoke").status_code == 404


@pytest.mark.parametrize("language", ["en", "mn"])
def test_the_reissue_forms_errors(office, language):
    words = ERRORS[language]
    me = signed_in_as(office, language)
    superseded = me.post(f"/register/{office.old}/reissue", {"reason": "again"})
    assert superseded.status_code == 409 and errors_shown(superseded) == [words["superseded"].format(new=office.new)]
    long = me.post(f"/register/{office.new}/reissue", {"reason": "x" * 501})
    assert long.status_code == 422 and errors_shown(long) == [words["long"]]
    with Register(register_path(office.records), create=False) as register:
        assert register.get(office.new).status == "issued" and register.get(office.new).replaced_by is None


@pytest.mark.parametrize("language", ["en", "mn"])
def test_a_title_taken_out_of_the_records_cannot_be_reissued(site, language):
    entry = issue(site.records, "hd-2024-001")
    honorees = site.records / "honorees.csv"
    honorees.write_text(
        "".join(line for line in honorees.read_text(encoding="utf-8").splitlines(True) if not line.startswith("hd-2024-001,")), encoding="utf-8"
    )
    me = signed_in_as(site, language)
    refused = me.post(f"/register/{entry.serial}/reissue", {"reason": ""})
    assert refused.status_code == 409 and errors_shown(refused) == [ERRORS[language]["gone"]]


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_without_the_permission_the_buttons_go_and_the_actions_are_refused(site, role):
    """Revoking and reissuing are a director's (and an administrator's): an officer sees no button and is refused."""
    from tests.web.test_web_roles import add, as_user

    entry = issue(site.records, "hd-2024-001")
    site.sign_in()
    assert "Revoke" in text(site.client.get("/register"))
    add("saraa", role)
    other = as_user(site, "saraa")
    listing = text(other.client.get("/register"))
    assert entry.serial in listing and "Revoke" not in listing and "Reissue" not in listing
    assert "Reissue under a new serial" not in text(other.client.get("/honorees/hd-2024-001"))
    for action in ("revoke", "reissue"):
        refused = other.post(f"/register/{entry.serial}/{action}", {"reason": "no"})
        assert refused.status_code == 403 and f"Your account's role ({role}) does not allow this." in text(refused)
    with Register(register_path(site.records), create=False) as register:
        assert register.get(entry.serial).status == "issued"
    mongolian = as_user(site, "saraa", "mn")
    refused = mongolian.post(f"/register/{entry.serial}/revoke", {"reason": "no"})
    assert refused.status_code == 403 and "Таны бүртгэлийн эрх" in text(refused)


def test_who_revoked_and_reissued_is_on_the_activity_page(site):
    entry = issue(site.records, "hd-2024-001")
    site.sign_in()
    assert site.post(f"/register/{entry.serial}/revoke", {"reason": "awarded in error"}).status_code == 302
    activity = text(site.client.get("/activity"))
    assert entry.serial in activity and "awarded in error" in activity and "anna" in activity


def test_the_register_needs_a_signed_in_account(site):
    for address in ("/register", "/register/export.csv", "/register/MNUMS-HD-2024-0001/revoke", "/jobs/x/files.zip", "/preview/certificate/X"):
        response = site.client.get(address)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), address


# --------------------------------------------------------------------------- zips


def test_a_ceremonys_zip_holds_its_print_file_and_certificates_the_same_bytes_each_time(signed_in):
    job = finish(signed_in, signed_in.post("/ceremonies/ceremony-2020-09/certificates"))
    page = signed_in.client.get(f"/jobs/{job}")
    assert "Download all (zip)" in text(page)
    first = signed_in.client.get("/ceremonies/ceremony-2020-09/files.zip")
    assert first.status_code == 200 and "filename=ceremony-2020-09.zip" in first.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(first.data))
    names = archive.namelist()
    assert names == sorted(names) and len(names) == 3 and names[2] == "certificates/ceremony-2020-09.pdf"
    assert all(re.fullmatch(r"certificates/MNUMS-[A-Z]{2}-2020-\d{4}\.pdf", name) for name in names[:2]), names
    pages = 0
    for name in names:
        pages += len(PdfReader(io.BytesIO(archive.read(name))).pages)
    assert pages == 4  # two certificates, and the print file with both
    assert signed_in.client.get("/ceremonies/ceremony-2020-09/files.zip").data == first.data
    assert zipfile.ZipFile(io.BytesIO(signed_in.client.get(f"/jobs/{job}/files.zip").data)).namelist() == names


def test_zips_refuse_what_is_not_there(signed_in):
    assert signed_in.client.get("/jobs/no-such-job/files.zip").status_code == 404
    missing = signed_in.client.get("/ceremonies/no-such-ceremony/files.zip")
    assert missing.status_code == 404 and "There is no ceremony 'no-such-ceremony' in honorees.csv." in text(missing)
    not_made = signed_in.client.get("/ceremonies/ceremony-2020-09/files.zip")
    assert not_made.status_code == 404 and "The zip cannot be made:" in text(not_made) and "has not been made yet" in text(not_made)


def test_the_zip_is_the_same_bytes_for_the_same_files(tmp_path):
    from irdocs.web.downloads import write_zip

    (tmp_path / "b.pdf").write_bytes(b"%PDF-b")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-a")
    made = []
    for order in (("b", "a"), ("a", "b")):
        buffer = io.BytesIO()
        write_zip({f"x/{n}.pdf": tmp_path / f"{n}.pdf" for n in order}, buffer)
        made.append(buffer.getvalue())
        (tmp_path / "a.pdf").touch()  # a newer time on disk changes nothing
    assert made[0] == made[1]
    assert zipfile.ZipFile(io.BytesIO(made[0])).namelist() == ["x/a.pdf", "x/b.pdf"]


# --------------------------------------------------------------------------- previews


def test_the_certificate_preview_is_drawn_once_and_kept_by_the_documents_hash(office):
    page = office.client.get(f"/honorees/{HONOREE}").get_data(as_text=True)
    assert f'src="/preview/certificate/{office.new}"' in page
    picture = office.client.get(f"/preview/certificate/{office.new}")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    width, height = png_size(picture.data)
    assert max(width, height) == 360 and width > height  # the certificate is landscape
    import hashlib

    digest = hashlib.sha256((office.out / "certificates" / f"{office.new}.pdf").read_bytes()).hexdigest()
    cached = office.out / ".previews" / f"{digest}.png"
    assert cached.read_bytes() == picture.data
    before = cached.stat().st_mtime_ns
    assert office.client.get(f"/preview/certificate/{office.new}").data == picture.data and cached.stat().st_mtime_ns == before
    # the superseded certificate's picture is another one (another document, another hash)
    old = office.client.get(f"/preview/certificate/{office.old}")
    assert old.status_code == 404 or old.data != picture.data


def test_a_changed_document_gets_a_new_picture(tmp_path):
    from pypdf import PdfWriter

    from irdocs.web.previews import preview

    document = tmp_path / "out" / "certificates" / "X.pdf"
    document.parent.mkdir(parents=True)
    pictures = []
    for width, height in ((400, 200), (200, 400)):  # the same file name, changed content
        writer = PdfWriter()
        writer.add_blank_page(width, height)
        with document.open("wb") as target:
            writer.write(target)
        pictures.append(preview(tmp_path / "out", document))
    assert pictures[0] != pictures[1] and all(p.parent == tmp_path / "out" / ".previews" for p in pictures)
    assert png_size(pictures[0].read_bytes()) == (360, 180) and png_size(pictures[1].read_bytes()) == (180, 360)


def test_the_previews_folder_keeps_the_pictures_drawn_last(tmp_path, monkeypatch):
    """Every document made again gets a new picture: out/.previews kept them all, for good."""
    import os

    from pypdf import PdfWriter

    from irdocs.web import previews

    monkeypatch.setattr(previews, "KEEP", 2)
    out = tmp_path / "out"
    documents = []
    for number in range(3):
        document = out / "certificates" / f"X{number}.pdf"
        document.parent.mkdir(parents=True, exist_ok=True)
        writer = PdfWriter()
        writer.add_blank_page(400 + number, 200)
        with document.open("wb") as target:
            writer.write(target)
        documents.append(document)
    pictures = []
    for when, document in enumerate(documents):
        pictures.append(previews.preview(out, document))
        os.utime(pictures[-1], ns=(when * 10**9, when * 10**9))  # drawn one after the other
    assert sorted(p.name for p in (out / ".previews").glob("*.png")) == sorted(p.name for p in pictures[1:])
    assert not (out / ".previews" / pictures[0].name).exists()
    assert previews.preview(out, documents[0]).is_file()  # asked again: drawn again
    assert len(list((out / ".previews").glob("*.png"))) == 2


def test_a_drafts_preview_through_libreoffice_and_a_fact_sheets(signed_in):
    from irdocs.documents.document import Settings
    from irdocs.reporter import Reporter

    finish(signed_in, signed_in.post("/agreements/austria-equipment-project/draft", {"language": "en"}))
    page = signed_in.client.get("/agreements/austria-equipment-project").get_data(as_text=True)
    [address] = re.findall(r'src="(/preview/agreement/austria-equipment-project[^"]*)"', page)
    picture = signed_in.client.get(address.replace("&amp;", "&"))
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    width, height = png_size(picture.data)
    assert height == 360 and width < height  # an A4 page, upright
    signed_in.app.extensions["irdocs"].make(Reporter(), ("factsheets",), Settings(language="en"), sheet="partner", partner="hoshigaoka-medical-university")
    page = signed_in.client.get("/partners/hoshigaoka-medical-university").get_data(as_text=True)
    [address] = re.findall(r'src="(/preview/factsheet/partner/hoshigaoka-medical-university[^"]*)"', page)
    assert "format=pdf" in address
    picture = signed_in.client.get(address.replace("&amp;", "&"))
    assert picture.status_code == 200 and png_size(picture.data)[1] == 360


def test_previews_placeholders_when_nothing_is_made(reader):
    honoree = text(reader.client.get("/honorees/hd-2024-002"))
    assert "No preview yet: the certificate has not been made." in honoree
    agreement = reader.client.get("/agreements/austria-equipment-project")
    assert "No preview yet: the Word draft of austria-equipment-project has not been made." in text(agreement)
    partner = text(reader.client.get("/partners/hoshigaoka-medical-university"))
    assert "No preview yet: the fact sheet of Hoshigaoka Medical University has not been made." in partner
    assert reader.client.get("/preview/certificate/MNUMS-HD-2024-0999").status_code == 404
    assert reader.client.get("/preview/factsheet/partner/..%2F..%2Fetc").status_code == 404
