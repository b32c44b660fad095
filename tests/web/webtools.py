"""Helpers for the web app's tests: an isolated configuration (key, accounts, secret) and a signed-in client.

The office's pages are in Mongolian unless the visitor chooses English; the clients made here have
chosen English (most tests read the English words), ``client(app, "mn")`` one that reads Mongolian.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

KEY = "test-key-0123456789-0123456789-0123456789"
USER, PASSWORD = "anna", "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_USERS_FILE: bytes | None = None


@dataclass
class Site:
    records: Path
    out: Path
    app: object
    client: object

    def token(self, path: str = "/login") -> str:
        return TOKEN.search(self.client.get(path).get_data(as_text=True)).group(1)

    def sign_in(self, name: str = USER, password: str = PASSWORD):
        return self.client.post("/login", data={"csrf_token": self.token(), "name": name, "password": password})

    def post(self, path: str, data: dict | None = None, **kwargs):
        """A form sent from a page of the site: with the session's CSRF token."""
        return self.client.post(path, data={"csrf_token": self.token("/"), **(data or {})}, **kwargs)


def isolate(tmp_path: Path, monkeypatch) -> Path:
    """Key, accounts and web secret in a scratch configuration folder; the working folder is tmp_path."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("IRDOCS_KEY", KEY)
    monkeypatch.setenv("IRDOCS_USERS", str(config / "irdocs" / "users.json"))
    monkeypatch.chdir(tmp_path)
    return config


def copy_sample(base: Path) -> Path:
    target = base / "records"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns(".irdocs.lock", "register.sqlite3*"))
    return target


def client(app, language: str | None = "en"):
    """A test client that has chosen ``language`` with the pages' switch (None: no choice made)."""
    made = app.test_client()
    if language:
        made.set_cookie("irdocs_lang", language)
    return made


def make_site(tmp_path: Path, monkeypatch, records: Path | None = None, with_account: bool = True, language: str | None = "en", **options) -> Site:
    from irdocs.accounts import Accounts
    from irdocs.web import create_app

    config = isolate(tmp_path, monkeypatch)
    records = records or copy_sample(tmp_path)
    if with_account:
        global _USERS_FILE
        if _USERS_FILE is None:  # one real scrypt hash for the whole session, copied into each test's folder
            Accounts().add(USER, PASSWORD)
            _USERS_FILE = (config / "irdocs" / "users.json").read_bytes()
        else:
            (config / "irdocs").mkdir(parents=True, exist_ok=True)
            (config / "irdocs" / "users.json").write_bytes(_USERS_FILE)
    out = tmp_path / "out"
    app = create_app(records, out, **options)
    return Site(records, out, app, client(app, language))


def text(response) -> str:
    """A page's text as a person reads it: no tags, entities decoded, spaces collapsed."""
    page = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        page = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page))
    return " ".join(html.unescape(page).split())


def field_errors(response, name: str) -> list[str]:
    """The error messages shown under one field of a form."""
    page = response.get_data(as_text=True)
    start = page.index(f'id="f-{name}"')
    block = page[start : page.index('class="field', start) if 'class="field' in page[start:] else len(page)]
    return [html.unescape(m) for m in re.findall(r'<p class="error" role="alert">(.*?)</p>', block, flags=re.S)]


@pytest.fixture
def site(tmp_path, monkeypatch) -> Site:
    """The sample records (a scratch copy) behind a fresh app, with one account, not signed in."""
    return make_site(tmp_path, monkeypatch)


@pytest.fixture
def signed_in(site) -> Site:
    response = site.sign_in()
    assert response.status_code == 302
    return site


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Site:
    """One app over a scratch copy of the sample records for a module's tests that change nothing."""
    with pytest.MonkeyPatch.context() as patch:
        yield make_site(tmp_path_factory.mktemp("web"), patch)


@pytest.fixture
def visitor(shared) -> Site:
    """A browser that has not signed in, on the shared app."""
    return Site(shared.records, shared.out, shared.app, client(shared.app))


@pytest.fixture(scope="module")
def reader(shared) -> Site:
    """A signed-in browser on the shared app (for tests that only look)."""
    site = Site(shared.records, shared.out, shared.app, client(shared.app))
    assert site.sign_in().status_code == 302
    return site


def signed_in_sites(tmp_path_factory):
    """One signed-in browser in each language ({"en": Site, "mn": Site}), each on its own scratch copy of the sample records."""
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        for language in ("en", "mn"):
            site = make_site(tmp_path_factory.mktemp(language), patch, language=language)
            assert site.sign_in().status_code == 302
            made[language] = site
        yield made
