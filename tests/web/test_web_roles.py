"""Accounts and roles in the browser: who may change, issue, revoke and manage accounts; the activity page.

Roles: administrator (everything, accounts), director (records, drafts, fact sheets, issue, revoke),
officer (records, drafts, fact sheets), viewer (reads). Every page that changes something refuses
the others with a 403 page in the visitor's language; the last administrator cannot be removed.
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.webtools are parameters of the tests)

from __future__ import annotations

import json

import pytest

from irdocs.accounts import Accounts
from tests.web.webtools import PASSWORD, USER, Site, client, isolate, make_site, signed_in, site, text  # noqa: F401 (fixtures)

OTHER_PASSWORD = "another good password"


def add(name: str, role: str) -> None:
    Accounts().add(name, OTHER_PASSWORD, role=role)


def as_user(site: Site, name: str, language: str = "en") -> Site:
    other = Site(site.records, site.out, site.app, client(site.app, language))
    assert other.sign_in(name, OTHER_PASSWORD).status_code == 302
    return other


# --------------------------------------------------------------------------- the accounts file and the command line


def test_an_accounts_file_from_before_roles_reads_as_administrators(tmp_path, monkeypatch):
    config = isolate(tmp_path, monkeypatch)
    path = config / "irdocs" / "users.json"
    path.parent.mkdir(parents=True)
    Accounts().add("anna", PASSWORD)
    data = json.loads(path.read_text())
    del data["users"]["anna"]["role"]  # as written by irdocs before roles
    path.write_text(json.dumps(data))
    assert Accounts().role("anna") == "administrator"


def test_the_first_account_is_an_administrator_then_officers(tmp_path, monkeypatch, run):
    isolate(tmp_path, monkeypatch)
    run("user", "add", "anna", "--password-stdin", input=PASSWORD + "\n")
    run("user", "add", "bat", "--password-stdin", input=PASSWORD + "\n")
    made = run("user", "add", "saraa", "--role", "viewer", "--password-stdin", input=PASSWORD + "\n")
    assert "Added the account 'saraa' (viewer)" in made.stdout
    assert run("user", "list").stdout.splitlines() == ["anna\tadministrator", "bat\tofficer", "saraa\tviewer"]
    assert run("user", "role", "bat", "director").stdout.strip() == "'bat' is now director."
    replaced = run("user", "add", "bat", "--replace", "--password-stdin", input=OTHER_PASSWORD + "\n")
    assert replaced.exit_code == 0 and Accounts().role("bat") == "director"  # a new password keeps the role
    assert run("user", "disable", "saraa").stdout.strip() == "'saraa' can no longer sign in."
    assert not Accounts().check("saraa", PASSWORD) and Accounts().role("saraa") is None
    assert run("user", "disable", "saraa", "--enable").exit_code == 0 and Accounts().check("saraa", PASSWORD)


@pytest.mark.parametrize("command", [("role", "anna", "officer"), ("disable", "anna"), ("remove", "anna")])
def test_the_last_administrator_stays(tmp_path, monkeypatch, run, command):
    isolate(tmp_path, monkeypatch)
    run("user", "add", "anna", "--password-stdin", input=PASSWORD + "\n")
    run("user", "add", "bat", "--password-stdin", input=PASSWORD + "\n")
    refused = run("user", *command)
    assert refused.exit_code == 2
    assert "'anna' is the last administrator who can sign in; make another account an administrator first" in refused.stderr
    assert Accounts().role("anna") == "administrator"


# --------------------------------------------------------------------------- refusals by role

CHANGES = [
    ("/partners/new", "edit"),
    ("/partners/hoshigaoka-medical-university/edit", "edit"),
    ("/partners/hoshigaoka-medical-university/delete", "edit"),
    ("/agreements/new", "edit"),
    ("/honorees/new", "edit"),
    ("/factsheets", "edit"),
    ("/agreements/yonsei-cooperation-1993/draft", "edit"),
    ("/partners/hoshigaoka-medical-university/factsheet", "edit"),
    ("/honorees/hd-2024-001/certificate", "issue"),
    ("/ceremonies/ceremony-2026-10/certificates", "issue"),
    ("/agreements/steppe-medical-university-exchange-draft/stage", "edit"),
    ("/agreements/steppe-medical-university-exchange-draft/scan", "edit"),
    ("/partners/steppe-medical-university/contacts", "edit"),
    ("/accounts/new", "accounts"),
]


@pytest.mark.parametrize(("role", "allowed"), [("viewer", set()), ("officer", {"edit"}), ("director", {"edit", "issue"})])
def test_each_page_that_changes_something_refuses_a_role_without_the_right(site, role, allowed):
    add("saraa", role)
    other = as_user(site, "saraa")
    before = {p.name: p.read_bytes() for p in site.records.iterdir() if p.is_file()}
    for path, action in CHANGES:
        if action in allowed:
            continue
        response = other.post(path, {"name": "x", "language": "en"})
        assert response.status_code == 403, path
        page = text(response)
        assert "Not allowed for your account" in page, path
        assert f"Your account's role ({role}) does not allow this. Ask an administrator if you need to." in page
    assert {p.name: p.read_bytes() for p in site.records.iterdir() if p.is_file()} == before
    assert other.client.get("/accounts").status_code == 403
    assert other.client.get("/partners/hoshigaoka-medical-university").status_code == 200  # reading is for everyone


def test_the_refusal_in_mongolian(site):
    add("saraa", "viewer")
    other = as_user(site, "saraa", "mn")
    response = other.post("/partners/new", {"name": "x"})
    assert response.status_code == 403
    page = text(response)
    assert "Таны эрхээр хийх боломжгүй" in page
    assert "Таны бүртгэлийн эрх (үзэгч) үүнийг хийхийг зөвшөөрөхгүй. Шаардлагатай бол администратораас хүснэ үү." in page


def test_a_viewer_sees_no_change_buttons(site):
    add("saraa", "viewer")
    other = as_user(site, "saraa")
    page = other.client.get("/partners/hoshigaoka-medical-university").get_data(as_text=True)
    assert "/partners/hoshigaoka-medical-university/edit" not in page and "/accounts" not in page
    admin = site
    site.sign_in()
    assert "/partners/hoshigaoka-medical-university/edit" in admin.client.get("/partners/hoshigaoka-medical-university").get_data(as_text=True)


def test_the_api_refuses_a_viewer(site):
    import base64

    add("saraa", "viewer")
    auth = {"Authorization": "Basic " + base64.b64encode(f"saraa:{OTHER_PASSWORD}".encode()).decode()}
    response = site.app.test_client().post("/api/partners", json={"id": "x"}, headers=auth)
    assert response.status_code == 403 and response.get_json()["error"] == "the account 'saraa' (viewer) may not do this; ask an administrator"


# --------------------------------------------------------------------------- the accounts page


def test_an_administrator_adds_changes_and_removes_accounts(signed_in):
    site = signed_in
    added = site.post("/accounts/new", {"name": "Bat", "role": "director", "password": OTHER_PASSWORD})
    assert added.status_code == 302
    page = text(site.client.get("/accounts"))
    assert "Added the account 'bat' (director)." in page
    assert Accounts().role("bat") == "director"
    bat = as_user(site, "bat")
    assert site.post("/accounts/bat/role", {"role": "viewer"}).status_code == 302
    assert Accounts().role("bat") == "viewer"
    assert bat.client.get("/").status_code == 302  # a new role ends the account's sessions
    assert site.post("/accounts/bat/password", {"password": "a brand new password"}).status_code == 302
    assert Accounts().check("bat", "a brand new password")
    assert site.post("/accounts/bat/disable").status_code == 302 and not Accounts().check("bat", "a brand new password")
    assert "'bat' can no longer sign in." in text(site.client.get("/accounts"))
    assert site.post("/accounts/bat/disable").status_code == 302 and Accounts().check("bat", "a brand new password")
    assert site.post("/accounts/bat/delete").status_code == 302 and "bat" not in Accounts().names()


FORM_ERRORS = [
    (
        "/accounts/new",
        {"name": "Анна", "role": "officer", "password": OTHER_PASSWORD},
        "'анна' cannot be an account name: lower-case Latin letters, digits, '.', '_' or '-', starting with a letter, e.g. 'enkhjargal'.",
        "'анна' гэсэн нэр бүртгэлийн нэр байж болохгүй: латин жижиг үсэг, цифр, '.', '_' эсвэл '-' ашиглаж, үсгээр эхэлнэ, жишээ нь 'enkhjargal'.",
    ),
    (
        "/accounts/new",
        {"name": USER, "role": "officer", "password": OTHER_PASSWORD},
        "There is already an account 'anna'.",
        "'anna' нэртэй бүртгэл аль хэдийн байна.",
    ),
    ("/accounts/new", {"name": "bat", "role": "boss", "password": OTHER_PASSWORD}, "Choose a role.", "Эрхээ сонгоно уу."),
    (
        "/accounts/new",
        {"name": "bat", "role": "officer", "password": "short"},
        "The password is too short: at least 10 characters (a few words in a row are easy to remember).",
        "Нууц үг хэт богино байна: дор хаяж 10 тэмдэгт (хэдэн үгийг дараалан бичвэл санахад амар).",
    ),
    (
        "/accounts/new",
        {"name": "bat", "role": "officer", "password": " " + OTHER_PASSWORD},
        "The password starts or ends with a space; leave the spaces out.",
        "Нууц үг зайгаар эхэлсэн эсвэл төгссөн байна; зайг авна уу.",
    ),
    (
        "/accounts/anna/password",
        {"password": "short"},
        "The password is too short: at least 10 characters (a few words in a row are easy to remember).",
        "Нууц үг хэт богино байна: дор хаяж 10 тэмдэгт (хэдэн үгийг дараалан бичвэл санахад амар).",
    ),
    ("/accounts/anna/role", {"role": "boss"}, "Choose a role.", "Эрхээ сонгоно уу."),
]
LAST_ADMIN = (
    "'anna' is the last administrator who can sign in; make another account an administrator first.",
    "'anna' бол нэвтэрч чадах сүүлийн администратор; эхлээд өөр бүртгэлийг администратор болгоно уу.",
)


@pytest.mark.parametrize("language", ["en", "mn"])
@pytest.mark.parametrize(("path", "data", "english", "mongolian"), FORM_ERRORS)
def test_each_accounts_form_error_in_both_languages(signed_in, language, path, data, english, mongolian):
    signed_in.client.set_cookie("irdocs_lang", language)
    before = Accounts().load()
    response = signed_in.post(path, data)
    assert response.status_code == 422
    assert (english if language == "en" else mongolian) in text(response)
    assert Accounts().load() == before


@pytest.mark.parametrize("language", ["en", "mn"])
@pytest.mark.parametrize(("path", "data"), [("/accounts/anna/role", {"role": "officer"}), ("/accounts/anna/disable", {}), ("/accounts/anna/delete", {})])
def test_the_last_administrator_cannot_be_removed_in_the_browser(signed_in, language, path, data):
    signed_in.client.set_cookie("irdocs_lang", language)
    response = signed_in.post(path, data)
    assert response.status_code == 409
    assert LAST_ADMIN[0 if language == "en" else 1] in text(response)
    assert Accounts().role(USER) == "administrator"


# --------------------------------------------------------------------------- the activity page


def test_every_change_is_on_the_activity_page_with_who_made_it(signed_in):
    site = signed_in
    site.post("/accounts/new", {"name": "bat", "role": "officer", "password": OTHER_PASSWORD})
    bat = as_user(site, "bat")
    form = bat.client.get("/partners/hoshigaoka-medical-university/edit").get_data(as_text=True)
    import html
    import re

    fields = {name: html.unescape(value) for name, value in re.findall(r'<input[^>]* name="([^"]+)"[^>]* value="([^"]*)"', form) if name != "csrf_token"}
    fields |= {name: value for name, value in re.findall(r'<select[^>]* name="([^"]+)".*?<option value="([^"]*)" selected', form, re.S)}
    saved = bat.post("/partners/hoshigaoka-medical-university/edit", {**fields, "name": "Hoshigaoka Medical University (renamed)"})
    assert saved.status_code == 302, text(saved)[:500]
    lines = [json.loads(line) for line in (site.records / "activity.jsonl").read_text().splitlines()]
    assert [(line["user"], line["action"], line["kind"], line["id"]) for line in lines] == [
        ("anna", "account-add", "account", "bat"),
        ("bat", "change", "partner", "hoshigaoka-medical-university"),
    ]
    page = text(site.client.get("/activity"))
    assert page.index("bat changed partner hoshigaoka-medical-university") < page.index("anna added the account bat")
    only_anna = text(site.client.get("/activity?user=anna"))
    assert "added the account bat" in only_anna and "changed partner" not in only_anna


def test_a_refused_change_leaves_no_activity(signed_in):
    response = signed_in.post("/partners/new", {"id": "x", "name": ""})
    assert response.status_code == 422
    assert not (signed_in.records / "activity.jsonl").exists()


def test_the_registers_events_are_on_the_activity_page(signed_in):
    from tests.web.test_web_verify import issue

    serial = issue(signed_in.records, "hd-2024-001").serial
    page = text(signed_in.client.get("/activity"))
    assert f"the register issued certificate {serial}" in page


def test_a_register_event_made_from_a_page_shows_who_made_it_once(signed_in):
    from irdocs.documents.certificates.register import Register, register_path
    from irdocs.web import activity
    from tests.web.test_web_verify import NOW, issue

    serial = issue(signed_in.records, "hd-2024-001").serial
    with Register(register_path(signed_in.records)) as register:
        register.revoke(serial, "awarded in error", NOW)
    activity.record(signed_in.records, "bat", "revoke", "certificate", serial, "awarded in error")  # as a page that revokes does, after it
    page = text(signed_in.client.get("/activity"))
    assert page.count(f"revoked certificate {serial}") == 1
    assert f"bat revoked certificate {serial}" in page
    assert f"the register issued certificate {serial}" in page


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("viewer", [], ['"/partners/new"', "/honorees/hd-2024-001/certificate", "/agreements/yonsei-cooperation-1993/draft", "Make all fact sheets again"]),
        ("officer", ['"/partners/new"', "/agreements/yonsei-cooperation-1993/draft", "Make all fact sheets again"], ["/honorees/hd-2024-001/certificate"]),
        ("director", ['"/partners/new"', "/honorees/hd-2024-001/certificate", "Make all fact sheets again"], ['"/accounts"']),
    ],
)
def test_each_role_sees_only_the_buttons_it_may_use(site, role, shown, hidden):
    add("saraa", role)
    other = as_user(site, "saraa")
    pages = "".join(
        other.client.get(path).get_data(as_text=True) for path in ("/", "/partners", "/honorees", "/agreements", "/factsheets", "/honorees/hd-2024-001")
    )
    for needle in shown:
        assert needle in pages, needle
    for needle in hidden:
        assert needle not in pages, needle
