"""A real browser (Debian's Chromium, driven by Playwright) against `irdocs serve` started as a separate process.

In Mongolian, as the office works: signs in, adds an honorary title through the form (first with a
mistake, shown at its field), makes its certificate, downloads the PDF, reads the QR code on it with
zbar, opens that address on a phone whose browser asks for Mongolian and sees "valid"; revokes the
certificate with the command line and sees "revoked".

Screenshots of the pages go to the test's folder (tests/web/test_web_pages.py takes the README's: one
of every page at desktop and phone width).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.web.webtools import KEY, PASSWORD, USER, copy_sample

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 120_000
HONOREE = {
    "title": "honorary-professor",
    "given_name": "Sakura",
    "family_name": "Tanabe",
    "native_name": "田辺 さくら",
    "name_mn": "Сакура Танабэ",
    "country": "Japan",
    "affiliation": "Tokyo Ariake University",
    "awarded_on": "2025-11-20",
    "ceremony": "ceremony-2025-11",
    "citation": "In recognition of twenty years of teaching nurses and physicians of Mongolia.",
    "citation_mn": "Монголын сувилагч, эмч нарыг хорин жил сургасныг үнэлж.",
}


@pytest.fixture
def server(tmp_path):
    """`irdocs serve` on a free loopback port, its records' verification address pointing at it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with 'make system' (apt-get install chromium)")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "IRDOCS_KEY": KEY, "IRDOCS_USERS": str(tmp_path / "config" / "users.json")}
    records = copy_sample(tmp_path)
    irdocs = [sys.executable, "-m", "irdocs"]
    added = subprocess.run([*irdocs, "user", "add", USER, "--password-stdin"], input=PASSWORD + "\n", env=env, cwd=tmp_path, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    process = subprocess.Popen(
        [*irdocs, "serve", "--port", "0", "--records", str(records), "--out", str(tmp_path / "out")],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, f"irdocs serve did not start: {line}{process.stdout.read() if process.poll() is not None else ''}"
        base = f"http://127.0.0.1:{match.group(1)}"
        institution = records / "institution.yaml"
        text = institution.read_text(encoding="utf-8")
        institution.write_text(re.sub(r"(?m)^verification_url: .*$", f"verification_url: {base}/verify", text), encoding="utf-8")
        yield {"base": base, "records": records, "env": env, "cwd": tmp_path, "irdocs": irdocs}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def shoot(page, tmp_path: Path, name: str) -> None:
    """A screenshot in the test's folder (the README's pictures are made by tests/web/test_web_pages.py)."""
    path = tmp_path / "screenshots" / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)


def test_a_certificate_from_the_form_to_its_verification(server, browser, tmp_path):
    from playwright.sync_api import expect

    base = server["base"]
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 860}, locale="mn-MN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    # sign in: the office's pages are in Mongolian
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Нэвтрэх")).to_be_visible()
    shoot(page, tmp_path, "login")
    page.get_by_label("Нэр").fill(USER)
    page.get_by_label("Нууц үг").fill(PASSWORD)
    page.get_by_role("button", name="Нэвтрэх").click()
    expect(page.get_by_role("heading", name="Бүртгэлийн тойм")).to_be_visible()
    shoot(page, tmp_path, "overview")

    # add an honorary title: first with a date that does not exist
    page.get_by_role("link", name="Хүндэт цол нэмэх").first.click()
    page.select_option("#f-title", HONOREE["title"])
    for name, value in HONOREE.items():
        if name != "title":
            page.fill(f"[name='{name}']", value)
    page.fill("[name='awarded_on']", "2025-11-31")
    page.get_by_role("button", name="Энэ хүндэт цолыг нэмэх").click()
    error = page.locator(".field.has-error", has=page.locator("[name='awarded_on']")).locator(".error")
    expect(error).to_have_text("'2025-11-31' нь огноо биш: ийм өдөр байхгүй (ЖЖЖЖ-СС-ӨӨ хэлбэрийн огноо, жишээ нь 2024-06-15, эсвэл зөвхөн он, жишээ нь 1998)")
    expect(page.locator("[name='given_name']")).to_have_value("Sakura")  # what was typed is kept
    expect(page.locator("[name='awarded_on']")).to_have_attribute("aria-invalid", "true")
    shoot(page, tmp_path, "add-honoree-error")
    page.fill("[name='awarded_on']", HONOREE["awarded_on"])
    page.get_by_role("button", name="Энэ хүндэт цолыг нэмэх").click()
    expect(page.get_by_role("status").first).to_contain_text("Нэмлээ: хүндэт цол hp-2025-")
    shoot(page, tmp_path, "honorees")

    # make its certificate from its own page: a background job with a progress page, then the download
    page.get_by_role("link", name="Tanabe Sakura").click()
    expect(page.get_by_role("heading", name=re.compile("Tanabe Sakura"))).to_be_visible()
    page.get_by_role("button", name="Үнэмлэх үүсгэх").click()
    expect(page.get_by_text("Дууслаа. 1 үнэмлэх үүсгэлээ.")).to_be_visible(timeout=TIMEOUT_MS)  # the work may wait for a colleague's
    shoot(page, tmp_path, "certificate-job")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Татах").first.click()
    download = download_info.value
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)
    serial = pdf_path.stem
    assert re.fullmatch(r"MNUMS-HP-2025-\d{4}", serial)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages).split())
    assert "Tanabe Sakura" in text and "田辺 さくら" in text and serial in text

    # read the QR code on the printed page, and open it on a phone that reads Mongolian
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf_path), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True, check=True).stdout.strip()
    assert decoded.startswith(f"{base}/verify/{serial}?c=")
    visitor = browser.new_context(viewport={"width": 360, "height": 780}, locale="mn-MN", is_mobile=True, has_touch=True)  # not signed in
    public = visitor.new_page()
    public.goto(decoded)
    expect(public.get_by_role("heading", name="Энэ үнэмлэх хүчинтэй")).to_be_visible()
    facts = public.locator(".facts")
    for shown in ("Tanabe Sakura", "Хүндэт профессор", "2025 оны арван нэгдүгээр сарын 20", "Гадаад харилцааны хэлтэс", "хүчинтэй"):
        expect(facts).to_contain_text(shown)
    expect(public.locator(".contact")).to_contain_text("С. Зоригийн гудамж 3")
    assert public.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    shoot(public, tmp_path, "verify-valid")

    # revoked with the command line: the same address now says so
    revoked = subprocess.run(
        [*server["irdocs"], "register", "revoke", serial, "--reason", "awarded in error", "--records", str(server["records"])],
        env=server["env"],
        cwd=server["cwd"],
        capture_output=True,
        text=True,
    )
    assert revoked.returncode == 0, revoked.stderr
    public.reload()
    expect(public.get_by_role("heading", name="Энэ үнэмлэхийг хүчингүй болгосон")).to_be_visible()
    expect(public.locator(".verdict")).not_to_contain_text("Tanabe Sakura")
    shoot(public, tmp_path, "verify-revoked")

    # a code that does not belong to the serial: the same answer as a serial never issued (issue 19);
    # the same page in English with the switch
    public.goto(decoded[:-1] + ("A" if decoded[-1] != "A" else "B"))
    expect(public.get_by_role("heading", name="Үнэмлэх баталгаажсангүй")).to_be_visible()
    expect(public.locator(".verdict")).not_to_contain_text("хүчингүй болгосон")
    public.get_by_role("link", name="English").click()
    expect(public.get_by_role("heading", name="Certificate not confirmed")).to_be_visible()
    expect(public.locator(".verdict")).not_to_contain_text("revoked")
    context.close()
    visitor.close()


def test_the_server_refuses_pages_without_signing_in(server, browser):
    page = browser.new_page()
    started = time.monotonic()
    page.goto(f"{server['base']}/honorees")
    assert page.url.startswith(f"{server['base']}/login?next=")
    assert time.monotonic() - started < 60
    response = page.goto(f"{server['base']}/download/certificate/..%2F..%2Frecords%2Finstitution.yaml")
    assert response.status == 200 and "/login" in page.url  # sent to sign in, never to a file
