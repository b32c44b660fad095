"""A day of office work, through the browser only, in Mongolian (issue 17's acceptance test).

Debian's Chromium, driven by Playwright, against `irdocs serve` started as its own process. The
administrator signs in and adds a colleague's account; uploads an Excel workbook (the office's own
export, edited in Excel) with one bad row, sees that row's error, fixes it and uploads it again;
renames a partner; drafts its agreement; records it as sent and then signed with the scan; makes a
ceremony's certificates while the colleague, signed in at the same time, makes every fact sheet
again (both finish; the ceremony does not wait for the fact sheets); revokes one certificate and
reissues it; sees both on the activity page with her name; downloads the ceremony as a zip and
opens every file in it. The pages' words are the catalogue's Mongolian (``mn``).
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.test_web_browser are parameters of the tests)

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from irdocs.web.i18n import TRANSLATIONS
from tests.web.test_web_browser import TIMEOUT_MS, browser, server  # noqa: F401 (fixtures)
from tests.web.webtools import PASSWORD, USER

PARTNER = "steppe-medical-university"
AGREEMENT = "steppe-medical-university-exchange-draft"
CEREMONY = "ceremony-2025-10"
COLLEAGUE, COLLEAGUE_PASSWORD = "bat", "another good password 42"


def _catalogue():
    from babel.messages.pofile import read_po

    with (TRANSLATIONS / "mn" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source)


CATALOGUE = _catalogue()


def mn(message: str, **values) -> str:
    """The page's Mongolian for ``message`` (as the catalogue says it)."""
    found = CATALOGUE.get(message)
    assert found is not None and found.string, f"no Mongolian for {message!r}"
    return found.string % values if values else found.string


def sign_in(context, base: str, name: str, password: str):
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label(mn("Name"), exact=True).fill(name)
    page.get_by_label(mn("Password"), exact=True).fill(password)
    page.get_by_role("button", name=mn("Sign in")).click()
    expect(page.get_by_role("heading", name=mn("The records at a glance"))).to_be_visible()
    return page


def workbook(server, path: Path, awarded_on) -> None:
    """The office's export of its honorary titles, one row edited and one added, saved as Excel saves it."""
    from openpyxl import load_workbook

    exported = subprocess.run(
        [*server["irdocs"], "export", str(path), "--as", "honorees", "--records", str(server["records"])],
        env=server["env"],
        cwd=server["cwd"],
        capture_output=True,
        text=True,
    )
    assert exported.returncode == 0, exported.stderr
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    last = sheet.max_row
    row = [cell.value for cell in sheet[2]]
    row[header.index("id")] = "hp-2026-901"
    row[header.index("awarded_on")] = awarded_on
    row[header.index("ceremony")] = None
    for column, value in enumerate(row, start=1):
        sheet.cell(row=last + 1, column=column, value=value)
    book.save(path)


def a_scan(path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with path.open("wb") as out:
        writer.write(out)


def finished(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#job-state")).to_contain_text(mn("Finished."), timeout=TIMEOUT_MS * 3)


def test_a_day_of_office_work_in_the_browser(server, browser, tmp_path):
    import datetime as dt

    from playwright.sync_api import expect

    base, records, out = server["base"], server["records"], server["cwd"] / "out"
    anna_context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="mn-MN")
    anna_context.set_default_timeout(TIMEOUT_MS)
    anna = sign_in(anna_context, base, USER, PASSWORD)

    # the administrator adds her colleague's account
    anna.get_by_role("link", name=mn("Accounts")).click()
    anna.locator("#f-name").fill(COLLEAGUE)
    anna.locator("#f-role").select_option("officer")
    anna.locator("#f-password").fill(COLLEAGUE_PASSWORD)
    anna.get_by_role("button", name=mn("Add this account")).click()
    expect(anna.locator("table")).to_contain_text(COLLEAGUE)

    # an Excel workbook with one bad row: its error, fixed in Excel, uploaded again, applied
    sheet = tmp_path / "honorees.xlsx"
    workbook(server, sheet, "2099-01-01")
    anna.get_by_role("link", name=mn("Excel upload")).click()
    anna.set_input_files("#f-sheet", str(sheet))
    anna.get_by_role("button", name=mn("Show what will change")).click()
    problem = anna.locator("ul.problems li")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("hp-2026-901")
    expect(problem).to_contain_text("'2099-01-01'")
    expect(anna.get_by_role("button", name=mn("Write these changes into the records"))).to_have_count(0)
    assert "hp-2026-901" not in (records / "honorees.csv").read_text(encoding="utf-8")
    workbook(server, sheet, dt.datetime(2026, 6, 15))  # corrected in Excel: a real date cell
    anna.set_input_files("#f-sheet", str(sheet))
    anna.get_by_role("button", name=mn("Show what will change")).click()
    anna.get_by_role("button", name=mn("Write these changes into the records")).click()
    expect(anna.locator("p.notice")).to_contain_text("honorees.xlsx")
    assert "hp-2026-901" in (records / "honorees.csv").read_text(encoding="utf-8")

    # the partner's new name
    anna.goto(f"{base}/partners/{PARTNER}")
    anna.get_by_role("link", name=mn("Change")).first.click()
    anna.locator("#f-name").fill("Steppe University of Medicine")
    anna.locator("form.record button[type=submit]").click()
    expect(anna.get_by_role("heading", level=1)).to_contain_text("Steppe University of Medicine")
    assert "name: Steppe University of Medicine" in (records / "partners.yaml").read_text(encoding="utf-8")

    # its agreement: the Word draft, then sent, then signed with the scan
    anna.goto(f"{base}/agreements/{AGREEMENT}")
    anna.locator("#language").select_option("mn")
    anna.get_by_role("button", name=mn("Make draft")).click()
    finished(anna)
    draft = out / "agreements" / f"{AGREEMENT}.mn.docx"
    assert draft.is_file()
    from docx import Document as WordDocument

    words = "\n".join(p.text for p in WordDocument(str(draft)).paragraphs) + "".join(
        c.text for t in WordDocument(str(draft)).tables for r in t.rows for c in r.cells
    )
    assert "Steppe University of Medicine" in words, "the draft names the partner as it is now called"
    anna.goto(f"{base}/agreements/{AGREEMENT}")
    anna.locator("#stage").select_option("sent")
    anna.locator("#stage-date").fill("2026-11-02")
    anna.get_by_role("button", name=mn("Record it")).click()
    expect(anna.locator("ol.stages li.current")).to_contain_text(mn("sent to the partner"))
    anna.locator("#stage").select_option("signed")
    anna.locator("#stage-date").fill("2026-11-20")
    anna.get_by_role("button", name=mn("Record it")).click()
    expect(anna.locator("ol.stages li.current")).to_contain_text(mn("signed"))
    scan = tmp_path / "signed.pdf"
    a_scan(scan)
    anna.set_input_files("#scan", str(scan))
    anna.get_by_role("button", name=mn("Upload")).click()
    expect(anna.get_by_role("link", name=mn("Download the signed agreement (PDF)"))).to_be_visible()
    assert (records / "scans" / f"{AGREEMENT}.pdf").read_bytes() == scan.read_bytes()

    # the colleague makes every fact sheet again while the administrator makes a ceremony's certificates
    bat_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="mn-MN")
    bat_context.set_default_timeout(TIMEOUT_MS)
    bat = sign_in(bat_context, base, COLLEAGUE, COLLEAGUE_PASSWORD)
    bat.get_by_role("link", name=mn("Fact sheets")).click()
    bat.get_by_role("button", name=mn("Make all fact sheets again")).click()
    expect(bat.locator("#job-state")).to_be_visible()
    anna.get_by_role("link", name=mn("Honorary titles")).click()
    anna.get_by_role("button", name=mn("Make all certificates of %(ceremony)s", ceremony=CEREMONY)).click()
    finished(anna)
    sheets = bat.request.get(bat.url + "/progress").json()
    assert sheets["state"] == "running" and sheets["count"] < sheets["total"], "the ceremony did not wait for the fact sheets"
    assert len(list((out / "certificates").glob("MNUMS-*.pdf"))) == 7
    finished(bat)

    # one certificate revoked, then reissued
    anna.goto(f"{base}/register?q={CEREMONY}")
    anna.goto(f"{base}/register")
    first = anna.locator("table.register tbody tr").first
    old = first.locator(".serial").first.inner_text().strip()
    first.get_by_role("link", name=f"{mn('Revoke')} {old}").click()
    anna.get_by_label(mn("Reason")).fill("нэрийг буруу бичсэн")
    anna.get_by_role("button", name=mn("Revoke the certificate")).click()
    expect(anna.get_by_role("status").first).to_have_text(mn("Certificate %(serial)s is revoked: it no longer verifies.", serial=old))
    row = anna.locator("tr", has=anna.get_by_text(old, exact=True))
    row.get_by_role("link", name=f"{mn('Reissue')} {old}").click()
    anna.get_by_role("button", name=mn("Make the new certificate")).click()
    finished(anna)

    # who did it, on the activity page
    anna.get_by_role("link", name=mn("Activity")).click()
    revoked = anna.locator("tbody tr", has_text=old)
    expect(revoked.first).to_be_visible()
    assert all(USER in row for row in revoked.all_inner_texts()), revoked.all_inner_texts()  # the revoke and the supersede: hers
    expect(anna.locator("tbody tr", has_text=PARTNER).first).to_contain_text(USER)  # the partner she renamed
    assert COLLEAGUE in anna.locator("tbody").inner_text()  # the account she added

    # the ceremony's files as one zip: every file opens
    anna.get_by_role("link", name=mn("Honorary titles")).click()
    with anna.expect_download() as event:
        anna.get_by_role("link", name=re.compile(re.escape(mn("Download all (zip)")) + ".*" + CEREMONY)).click()
    archive = zipfile.ZipFile(io.BytesIO(Path(event.value.path()).read_bytes()))
    names = archive.namelist()
    assert len(names) == 8, names  # 7 certificates and the print file
    for name in names:
        text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(archive.read(name))).pages)
        assert old not in text, name  # the revoked serial is nowhere: the reissued one took its place
    anna_context.close()
    bat_context.close()
