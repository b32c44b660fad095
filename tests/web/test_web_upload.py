"""Excel upload in the browser (issue 17): a preview of every change and every problem by row
before anything is written, through the same import as ``irdocs import FILE --update``."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.web.test_web_browser import browser, server  # noqa: F401 (fixtures)
from tests.web.webtools import make_site

BAD_DATE = {
    "en": "titles.csv:3: honoree hp-2025-777: awarded_on: '2099-01-01' is more than a year in the future (the date of the award or of its ceremony)",
    "mn": "titles.csv:3: хүндэт цол хүртэгч hp-2025-777: awarded_on: '2099-01-01' нь нэг жилээс илүү хойшхи огноо байна (олгосон эсвэл ёслолын огноо)",
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet(records: Path, *, bad_date: str | None = "2099-01-01") -> bytes:
    """A CSV as Excel saves it: the first honoree with a changed affiliation, and one new row."""
    lines = [line for line in (records / "honorees.csv").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.reader(lines))
    header, first = rows[0], rows[1][:]
    first[header.index("affiliation")] = "Changed Hospital"
    new = rows[1][:]
    new[header.index("id")] = "hp-2025-777"
    new[header.index("awarded_on")] = bad_date or "2025-06-15"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([header, first, new])
    return out.getvalue().encode("utf-8-sig")


def upload(site, data: bytes, name: str = "titles.csv", what: str = "honorees"):
    token = site.token("/upload")
    return site.client.post("/upload", data={"csrf_token": token, "what": what, "sheet": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def problems(response) -> list[str]:
    page = response.get_data(as_text=True)
    return [html.unescape(m) for m in re.findall(r'<ul class="problems"><li><code>(.*?)</code></li></ul>', page, flags=re.S)]


def uploads_left(site) -> list[Path]:
    from irdocs.web.upload import uploads_folder

    folder = uploads_folder(site.records, create=False)
    return list(folder.iterdir()) if folder.is_dir() else []


def signed_in(tmp_path, monkeypatch, language: str = "en"):
    made = make_site(tmp_path, monkeypatch, language=language)
    assert made.sign_in().status_code == 302
    return made


@pytest.fixture
def site(tmp_path, monkeypatch):
    import shutil

    from irdocs.web.upload import uploads_folder

    made = signed_in(tmp_path, monkeypatch)
    yield made
    shutil.rmtree(uploads_folder(made.records, create=False), ignore_errors=True)  # a preview not applied is kept an hour


@pytest.mark.parametrize("language", ["en", "mn"])
def test_a_bad_row_is_shown_and_nothing_is_written(tmp_path, monkeypatch, language):
    chosen = signed_in(tmp_path, monkeypatch, language)
    before = digest(chosen.records / "honorees.csv")
    response = upload(chosen, sheet(chosen.records))
    assert response.status_code == 422
    assert problems(response) == [BAD_DATE[language]]
    assert digest(chosen.records / "honorees.csv") == before
    assert 'action="/upload/apply"' not in response.get_data(as_text=True), "no confirm button while a row is wrong"


def test_fix_the_row_upload_again_see_the_changes_then_apply(site):
    records = site.records / "honorees.csv"
    first_id = next(csv.reader([line for line in records.read_text(encoding="utf-8").splitlines() if not line.startswith("#")][1:]))[0]
    before = digest(records)
    assert upload(site, sheet(site.records)).status_code == 422
    response = upload(site, sheet(site.records, bad_date=None))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200, problems(response)
    assert "1 new row" in page and "hp-2025-777" in page
    assert "1 changed row" in page
    assert re.search(rf"{first_id}</span></th><td>affiliation</td><td>[^<]+</td><td>Changed Hospital</td>", page), page
    assert digest(records) == before, "the preview writes nothing"
    assert len(uploads_left(site)) == 1
    applied = site.post("/upload/apply")
    assert applied.status_code == 302 and applied.headers["Location"].endswith("/honorees")
    text = records.read_text(encoding="utf-8")
    assert "hp-2025-777" in text and "Changed Hospital" in text
    assert "titles.csv applied: 1 added, 1 changed." in site.client.get("/honorees").get_data(as_text=True)
    assert uploads_left(site) == [], "the uploaded file is kept only until it is applied"
    again = site.post("/upload/apply")
    assert again.status_code == 302 and again.headers["Location"].endswith("/upload")


def test_the_preview_is_the_command_lines_dry_run(site):
    """The same import code: ``irdocs import --update --dry-run`` lists the same changes."""
    from irdocs.cli import main

    data = sheet(site.records, bad_date=None)
    (site.records.parent / "titles.csv").write_bytes(data)
    result = CliRunner().invoke(main, ["import", "titles.csv", "--as", "honorees", "--update", "--dry-run", "--records", str(site.records)])
    assert result.exit_code == 0, result.output
    changed = [line.removeprefix("  changed honoree ") for line in result.output.splitlines() if line.startswith("  changed honoree ")]
    assert changed
    page = html.unescape(upload(site, data).get_data(as_text=True))
    for change in changed:
        _, field, rest = change.split(": ", 2)
        old, new = rest.split(" -> ")
        assert f"<td>{field}</td><td>{old}</td><td>{new}</td>" in page


def test_an_exported_workbook_edited_in_one_cell(site):
    from openpyxl import load_workbook

    from irdocs.records.export import export_workbook
    from irdocs.records.validate import load_records

    path = site.records.parent / "partners.xlsx"
    export_workbook(load_records(site.records), "partners", path)
    book = load_workbook(path)
    table = book.worksheets[0]
    header = [c.value for c in table[1]]
    table.cell(row=2, column=header.index("city") + 1).value = "Sinchon"
    book.save(path)
    response = upload(site, path.read_bytes(), "partners.xlsx", "partners")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200, problems(response)
    assert "1 changed row" in page and "<td>city</td>" in page and "<td>Sinchon</td>" in page
    assert "new row" not in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("titles.pdf", b"%PDF-1.7\n", "titles.pdf: only Excel workbooks (.xlsx) and CSV files (.csv) can be uploaded."),
        ("titles.xlsx", b"id,title\n", "titles.xlsx is not an Excel workbook: save it in Excel as 'Excel Workbook (.xlsx)' and upload it again."),
        ("titles.csv", b"PK\x03\x04rest of a zip", "titles.csv is not a CSV file: save it in Excel as 'CSV UTF-8 (Comma delimited)' and upload it again."),
        ("titles.csv", b"id\x00,\x00title", "titles.csv is not a CSV file: save it in Excel as 'CSV UTF-8 (Comma delimited)' and upload it again."),
        ("titles.csv", b"", "titles.csv is empty."),
    ],
    ids=["pdf-name", "xlsx-not-a-zip", "zip-named-csv", "binary-csv", "empty"],
)
def test_only_workbooks_and_csv_by_their_content(site, name, data, message):
    before = digest(site.records / "honorees.csv")
    response = upload(site, data, name)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert f"<strong>Nothing was written.</strong> {message}" in page
    assert digest(site.records / "honorees.csv") == before
    assert uploads_left(site) == []


def test_a_file_too_large_is_refused(site):
    from irdocs.web.upload import UPLOAD_LIMIT

    response = upload(site, b"id,title\n" + b"x" * UPLOAD_LIMIT)
    assert response.status_code == 413
    assert "titles.csv is larger than 5 MB: upload the list in parts." in html.unescape(response.get_data(as_text=True))
    assert uploads_left(site) == []


def test_the_page_is_in_mongolian(tmp_path, monkeypatch):
    page = signed_in(tmp_path, monkeypatch, "mn").client.get("/upload").get_data(as_text=True)
    assert "Excel хүснэгт оруулах" in page and "Юу өөрчлөгдөхийг харах" in page


def test_signed_out_visitors_are_sent_to_sign_in(tmp_path, monkeypatch):
    site = make_site(tmp_path, monkeypatch)
    assert site.client.get("/upload").status_code == 302


def test_in_a_browser_a_bad_row_fixed_and_uploaded_again(server, browser, tmp_path):  # noqa: F811
    """Issue 17's day of work, the upload part, in Mongolian: see the row's error, fix it, upload again, confirm."""
    from playwright.sync_api import expect

    from tests.web.test_web_browser import TIMEOUT_MS
    from tests.web.webtools import PASSWORD, USER

    base, records = server["base"], server["records"]
    path = tmp_path / "titles.csv"
    path.write_bytes(sheet(records))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="mn-MN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Нэр").fill(USER)
    page.get_by_label("Нууц үг").fill(PASSWORD)
    page.get_by_role("button", name="Нэвтрэх").click()
    page.get_by_role("link", name="Excel оруулах").click()
    page.set_input_files("#f-sheet", str(path))
    page.get_by_role("button", name="Юу өөрчлөгдөхийг харах").click()
    expect(page.locator("ul.problems li")).to_have_text(BAD_DATE["mn"])
    expect(page.get_by_role("button", name="Эдгээр өөрчлөлтийг бүртгэлд бичих")).to_have_count(0)
    path.write_bytes(sheet(records, bad_date=None))  # the officer corrects the date in Excel and saves
    page.set_input_files("#f-sheet", str(path))
    page.get_by_role("button", name="Юу өөрчлөгдөхийг харах").click()
    expect(page.get_by_role("heading", name="1 шинэ мөр")).to_be_visible()
    expect(page.get_by_role("cell", name="Changed Hospital")).to_be_visible()
    assert "hp-2025-777" not in (records / "honorees.csv").read_text(encoding="utf-8")
    page.get_by_role("button", name="Эдгээр өөрчлөлтийг бүртгэлд бичих").click()
    expect(page.locator("p.notice")).to_have_text("titles.csv-ийг бүртгэлд орууллаа: 1 нэмэгдэж, 1 өөрчлөгдлөө.")
    text = (records / "honorees.csv").read_text(encoding="utf-8")
    assert "hp-2025-777" in text and "Changed Hospital" in text
    context.close()
