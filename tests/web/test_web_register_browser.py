"""Revoke and reissue a certificate in a real browser (Debian's Chromium driven by Playwright), in Mongolian.

Against `irdocs serve` started as its own process: make a certificate from its title's page, see
its preview, revoke it (first without a reason: the form says what is missing), reissue it from
the register, download the job's files as a zip and open every file in it.
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.test_web_browser are parameters of the tests)

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from pypdf import PdfReader

from tests.web.test_web_browser import TIMEOUT_MS, browser, server  # noqa: F401 (fixtures)
from tests.web.webtools import PASSWORD, USER

HONOREE = "hp-2026-001"  # the one title of ceremony-2026-10


def test_revoke_and_reissue_in_the_browser_then_the_zip(server, browser, tmp_path):
    from playwright.sync_api import expect

    base = server["base"]
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="mn-MN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Нэр").fill(USER)
    page.get_by_label("Нууц үг").fill(PASSWORD)
    page.get_by_role("button", name="Нэвтрэх").click()
    expect(page.get_by_role("heading", name="Бүртгэлийн тойм")).to_be_visible()

    # the certificate, made from its title's page; then its first page shows there
    page.goto(f"{base}/honorees/{HONOREE}")
    expect(page.get_by_text("Урьдчилан харах зураг алга: үнэмлэх хараахан үүсгээгүй байна.")).to_be_visible()
    page.get_by_role("button", name="Үнэмлэх үүсгэх").click()
    expect(page.locator("#job-state")).to_contain_text("Дууслаа.", timeout=TIMEOUT_MS)
    page.goto(f"{base}/honorees/{HONOREE}")
    old = page.locator(".serial").first.inner_text().strip()
    assert re.fullmatch(r"MNUMS-HP-2026-\d{4}", old), old
    picture = page.locator("figure.preview img")
    expect(picture).to_have_attribute("alt", f"{old} үнэмлэх: эхний хуудас")
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 360

    # revoke: without a reason nothing happens and the field says why; with one, it is revoked
    page.get_by_role("link", name="Хүчингүй болгох").click()
    expect(page.get_by_role("heading", name=f"{old} үнэмлэхийг хүчингүй болгох")).to_be_visible()
    page.get_by_role("button", name="Үнэмлэхийг хүчингүй болгох").click()
    expect(page.locator(".field.has-error .error")).to_have_text("Шалтгааныг бичнэ үү: энэ нь үнэмлэхийн хамт бүртгэлд хадгалагдана.")
    expect(page.locator("#f-reason")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Шалтгаан").fill("нэрийг буруу бичсэн")
    page.get_by_role("button", name="Үнэмлэхийг хүчингүй болгох").click()
    expect(page.get_by_role("status").first).to_have_text(f"{old} үнэмлэхийг хүчингүй болголоо: цаашид баталгаажихгүй.")
    row = page.locator("tr", has=page.get_by_text(old, exact=True))
    expect(row).to_contain_text("хүчингүй болсон")
    expect(row).to_contain_text("нэрийг буруу бичсэн")

    # reissue from the register: a job through the one engine, a new serial
    row.get_by_role("link", name=f"Дахин олгох {old}").click()
    page.get_by_role("button", name="Шинэ үнэмлэх үүсгэх").click()
    expect(page.locator("#job-state")).to_contain_text("Дууслаа.", timeout=TIMEOUT_MS)
    with page.expect_download() as event:
        page.get_by_role("link", name="Бүгдийг татах (zip)").click()
    download = event.value
    data = Path(download.path()).read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    new = [n for n in names if n.startswith("certificates/MNUMS-")]
    assert len(names) == 2 and "certificates/ceremony-2026-10.pdf" in names and len(new) == 1, names
    new_serial = new[0].removeprefix("certificates/").removesuffix(".pdf")
    assert new_serial != old
    for name in names:  # every file opens, and carries the new serial
        text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(archive.read(name))).pages)
        assert new_serial in text and old not in text, name

    page.goto(f"{base}/register")
    expect(page.locator("tr", has=page.get_by_text(new_serial, exact=True))).to_contain_text("олгосон")
    expect(page.locator("tr", has=page.get_by_text(old, exact=True))).to_contain_text(f"оронд нь {new_serial}")
    assert (server["cwd"] / "out" / "certificates" / "superseded" / f"{old}.pdf").is_file()
    context.close()
