"""Every page, office and public, in both languages, in a real browser: axe-core finds no serious or critical problem.

axe-core (the `axe-playwright-python` package) checks each page as Chromium draws it: labels,
names of links and buttons, contrast, landmarks, the language of the page. Each page is also used
with the keyboard only where it matters (the skip link, the language switch) and drawn at a
phone's width (360 pixels) without sideways scrolling for the public page.

With IRDOCS_SCREENSHOTS=docs/screenshots every page is also saved there in Mongolian, at desktop
width (NAME.png) and phone width (NAME-phone.png).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.web.test_web_browser import TIMEOUT_MS, browser, server  # noqa: F401 (fixtures)
from tests.web.test_web_verify import issue
from tests.web.webtools import PASSWORD, USER, copy_sample, isolate

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
#: name -> address, for the signed-in office (what has to exist first is made by the test)
OFFICE_PAGES = {
    "overview": "/",
    "partners": "/partners",
    "partner": "/partners/hoshigaoka-medical-university",
    "partner-edit": "/partners/hoshigaoka-medical-university/edit",
    "partner-delete": "/partners/hoshigaoka-medical-university/delete",
    "add-partner": "/partners/new",
    "agreements": "/agreements",
    "agreement": "/agreements/austria-equipment-project",
    "agreement-edit": "/agreements/austria-equipment-project/edit",
    "agreement-delete": "/agreements/steppe-medical-university-exchange-draft/delete",
    "add-agreement": "/agreements/new",
    "honorees": "/honorees",
    "honoree": "/honorees/hd-2024-001",
    "honoree-edit": "/honorees/hd-2024-001/edit",
    "honoree-delete": "/honorees/hd-2024-001/delete",
    "add-honoree": "/honorees/new",
    "factsheets": "/factsheets",
    "renewals": "/renewals",
    "register": "/register",
    "register-revoke": "/register/MNUMS-HD-2024-0001/revoke",  # the serials the test issues first
    "register-reissue": "/register/MNUMS-HP-2024-0001/reissue",
    "upload": "/upload",
    "not-found": "/partners/no-such-partner",
    "agreement-draft": "/agreements/steppe-medical-university-exchange-draft",
    "accounts": "/accounts",
    "activity": "/activity",
}
SERIOUS = ("serious", "critical")


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def shoot(page, tmp_path: Path, name: str) -> None:
    """The page at desktop and phone width (the first screen of each), kept in the test's folder and in IRDOCS_SCREENSHOTS."""
    folder = tmp_path / "screenshots"
    folder.mkdir(exist_ok=True)
    for suffix, size in (("", DESKTOP), ("-phone", PHONE)):
        page.set_viewport_size(size)
        path = folder / f"{name}{suffix}.png"
        page.screenshot(path=str(path))
        target = os.environ.get("IRDOCS_SCREENSHOTS")
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(target) / path.name)
    page.set_viewport_size(DESKTOP)


def test_every_page_in_both_languages(server, browser, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    base = server["base"]
    records = server["records"]
    valid = issue(records, "hd-2024-001")
    revoked = issue(records, "hp-2024-001")
    done = subprocess.run(
        [*server["irdocs"], "register", "revoke", revoked.serial, "--reason", "awarded in error", "--records", str(records)],
        env=server["env"],
        cwd=server["cwd"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    public_pages = {
        "verify-form": "/verify",
        "verify-valid": f"/verify/{valid.serial}?c={valid.code}",
        "verify-revoked": f"/verify/{revoked.serial}?c={revoked.code}",
        "verify-altered": f"/verify/{valid.serial}?c={'A' if valid.code[0] != 'A' else 'B'}{valid.code[1:]}",
        "verify-unknown": f"/verify/{valid.serial[:-4]}9999?c={valid.code}",
        "verify-missing": f"/verify?serial={valid.serial}",
    }
    problems: dict[str, list[str]] = {}
    office = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    office.set_default_timeout(TIMEOUT_MS)
    page = office.new_page()
    page.goto(f"{base}/login")
    assert not (found := serious_violations(page)), found
    shoot(page, tmp_path, "login")
    # the keyboard alone: the name field has the focus, Tab to the password, Enter signs in
    expect(page.get_by_label("Нэр")).to_be_focused()
    page.keyboard.type(USER)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Бүртгэлийн тойм")).to_be_visible()
    # on every other page the first Tab reaches the skip link, which moves past the menus
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # a background job's page and a form with its problems shown
    page.goto(f"{base}/honorees/hd-2024-001")
    page.get_by_role("button", name=re.compile("PDF үүсгэх|Дахин хэвлэх|Үнэмлэх үүсгэх")).click()
    expect(page.locator("#job-state")).to_contain_text("Дууслаа.", timeout=TIMEOUT_MS)
    job_address = page.url.removeprefix(base)
    # a contact added on a partner's page (it shows there, and on the activity page with who added it)
    page.goto(f"{base}/partners/hoshigaoka-medical-university")
    page.locator("summary", has_text="Холбоо барих хүн нэмэх").click()
    page.get_by_label("Нэр", exact=False).last.fill("Dr. Sato Keiko")
    page.locator("#c-role").fill("International office")
    page.locator("#c-email").fill("keiko.sato@hoshigaoka.example.ac.jp")
    page.locator("#c-phone").fill("+81 52 123 4567")
    page.get_by_role("button", name="Энэ хүнийг нэмэх").click()
    expect(page.get_by_role("cell", name="keiko.sato@hoshigaoka.example.ac.jp")).to_be_visible()

    for language in ("mn", "en"):
        page.goto(f"{base}/language/{language}?next=/")
        for name, address in {**OFFICE_PAGES, "certificate-job": job_address}.items():
            page.goto(base + address)
            problems.update({f"{language} {name}": found} if (found := serious_violations(page)) else {})
            if language == "mn":
                shoot(page, tmp_path, name)
        for name, address in (
            ("add-agreement-error", "/agreements/new"),
            ("add-honoree-error", "/honorees/new"),
            ("register-revoke-error", "/register/MNUMS-HD-2024-0001/revoke"),
            ("accounts-error", "/accounts"),
        ):
            page.goto(base + address)
            page.locator("form.record button[type=submit]").click()
            expect(page.locator(".has-error").first).to_be_visible()
            if name == "add-agreement-error":  # the checkboxes keep their look, framed in red like the other fields
                box = page.locator("#f-areas input[type=checkbox]").first.bounding_box()
                assert box["width"] < 30 and box["height"] < 30, box
                assert page.locator("#f-areas").evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(179, 38, 30)"
            problems.update({f"{language} {name}": found} if (found := serious_violations(page)) else {})
            if language == "mn":
                shoot(page, tmp_path, name)
        # an Excel upload: a row with a problem, then the preview of the changes
        for name, sheet in upload_sheets(records, tmp_path).items():
            page.goto(base + "/upload")
            page.set_input_files("#f-sheet", str(sheet))
            page.locator("form.record button[type=submit]").click()
            expect(page.locator("#problems-title" if name == "upload-error" else "#preview-title")).to_be_visible()
            problems.update({f"{language} {name}": found} if (found := serious_violations(page)) else {})
            if language == "mn":
                shoot(page, tmp_path, name)

    # the public pages, for someone who scanned a certificate: the browser's language, then the switch
    for locale, language in (("mn-MN", "mn"), ("en-GB", "en")):
        visitor = browser.new_context(viewport=PHONE, locale=locale, bypass_csp=True, is_mobile=True, has_touch=True)
        visitor.set_default_timeout(TIMEOUT_MS)
        public = visitor.new_page()
        for name, address in public_pages.items():
            public.goto(base + address)
            assert public.locator("html").get_attribute("lang") == language
            assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} is wider than a phone"
            problems.update({f"{language} {name}": found} if (found := serious_violations(public)) else {})
            if language == "mn":
                shoot(public, tmp_path, name)
                public.set_viewport_size(PHONE)
        visitor.close()
    office.close()
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(f"{page}: {p}" for page, found in problems.items() for p in found)


def upload_sheets(records: Path, tmp_path: Path) -> dict[str, Path]:
    """Two CSV files of honorees: one with a date in the future (refused), one changing a name and adding a row."""
    import csv

    lines = [line for line in (records / "honorees.csv").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header, *rows = list(csv.reader(lines))
    changed = rows[0][:]
    changed[header.index("affiliation")] = changed[header.index("affiliation")] + " Hospital"
    added = rows[1][:]
    added[header.index("id")] = "hp-2026-901"
    added[header.index("awarded_on")] = "2026-06-15"
    wrong = [*added[: header.index("awarded_on")], "2099-01-01", *added[header.index("awarded_on") + 1 :]]
    made = {}
    for name, body in (("upload-error", [changed, wrong]), ("upload-preview", [changed, added])):
        path = tmp_path / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows([header, *body])
        made[name] = path
    return made


def test_every_office_page_is_listed(tmp_path, monkeypatch):
    """Each page the office serves (not an action) is checked above."""
    from irdocs.web import create_app

    isolate(tmp_path, monkeypatch)
    app = create_app(copy_sample(tmp_path), tmp_path / "out")
    checked = {re.sub(r"/[^/]*(hoshigaoka|austria|steppe|hd-2024|MNUMS)[^/]*", "/<id>", path) for path in OFFICE_PAGES.values()}
    pages = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in (
            "static",
            "office.download",
            "office.job_progress",
            "i18n.choose",
            "office.logout",
            "lifecycle.download_scan",
            "register.export",
            "downloads.job_zip",
            "downloads.ceremony_zip",
            "previews.picture",
            "office.list_workbook",
        ):
            continue
        if rule.endpoint.startswith(("api.", "public.")) or rule.rule in ("/login", "/jobs/<job_id>"):
            continue
        pages.add(re.sub(r"<[^>]+>", "<id>", rule.rule))
    assert pages <= checked | {"/partners/<id>", "/agreements/<id>", "/honorees/<id>"}, pages - checked
