"""Accounts for the web pages (irdocs user ...) and the refusals of irdocs serve."""

from __future__ import annotations

import json
import stat

import pytest

from irdocs.accounts import Accounts
from irdocs.cli import is_loopback
from irdocs.errors import ConfigError
from tests.web.webtools import isolate


@pytest.fixture
def config(tmp_path, monkeypatch):
    return isolate(tmp_path, monkeypatch)


def test_add_asks_twice_and_keeps_only_a_hash(config, run):
    result = run("user", "add", "Anna", input="correct horse battery\ncorrect horse battery\n")
    assert result.exit_code == 0, result.output
    path = config / "irdocs" / "users.json"
    assert f"Added the account 'anna' (administrator) in {path}." in result.stdout
    stored = path.read_text(encoding="utf-8")
    assert "correct horse battery" not in stored
    assert json.loads(stored)["users"]["anna"]["hash"].startswith("scrypt:")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Accounts().check("anna", "correct horse battery") and not Accounts().check("anna", "correct horse batter")


def test_add_refuses_two_different_passwords(config, run):
    result = run("user", "add", "anna", input="correct horse battery\ncorrect horse battere\ncorrect horse battery\ncorrect horse battery\n")
    assert "Error: The two entered values do not match." in result.stdout
    assert result.exit_code == 0 and Accounts().names() == ["anna"]


def test_add_from_standard_input(config, run):
    result = run("user", "add", "boldbaatar", "--password-stdin", input="a long enough password\n")
    assert result.exit_code == 0 and Accounts().check("boldbaatar", "a long enough password")


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("anna", "short", "the password is too short: at least 10 characters"),
        ("Анна", "correct horse battery", "'анна' cannot be an account name"),
        ("a/b", "correct horse battery", "'a/b' cannot be an account name"),
        ("anna", " correct horse battery", "the password starts or ends with a space"),
    ],
)
def test_add_refusals(config, run, name, password, message):
    result = run("user", "add", name, "--password-stdin", input=password + "\n")
    assert result.exit_code == 2 and message in result.stderr


def test_an_account_once_then_replace(config, run):
    run("user", "add", "anna", "--password-stdin", input="correct horse battery\n")
    again = run("user", "add", "anna", "--password-stdin", input="another good password\n")
    assert again.exit_code == 2 and "there is already an account 'anna'; to change its password: irdocs user add anna --replace" in again.stderr
    replaced = run("user", "add", "anna", "--replace", "--password-stdin", input="another good password\n")
    assert replaced.exit_code == 0 and Accounts().check("anna", "another good password")


def test_list_and_remove(config, run):
    assert "No account yet" in run("user", "list").stdout
    run("user", "add", "anna", "--password-stdin", input="correct horse battery\n")
    run("user", "add", "bat", "--password-stdin", input="correct horse battery\n")
    assert run("user", "list").stdout.split() == ["anna", "administrator", "bat", "officer"]
    assert run("user", "remove", "bat").exit_code == 0
    assert Accounts().names() == ["anna"]
    missing = run("user", "remove", "bat")
    assert missing.exit_code == 2 and "there is no account 'bat' (accounts: anna)" in missing.stderr


def test_accounts_file_never_in_the_records(config, monkeypatch, mini):
    monkeypatch.setenv("IRDOCS_USERS", str(mini / "users.json"))
    with pytest.raises(ConfigError, match="must not be kept in the records folder"):
        Accounts(records_dir=mini)


def test_a_broken_accounts_file(config):
    path = config / "irdocs" / "users.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the accounts file"):
        Accounts().names()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.org"])
def test_serve_refuses_other_addresses_without_an_account(config, run, mini, host):
    result = run("serve", "--host", host, "--port", "0", "--records", str(mini))
    assert result.exit_code == 2
    assert f"refusing to listen on {host}" in result.stderr and "Add one first with: irdocs user add NAME" in result.stderr


def test_loopback_addresses():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "example.org"))


def test_web_secret_is_made_once_and_private(config):
    from irdocs.accounts import secret_key

    first = secret_key()
    path = config / "irdocs" / "web-secret.key"
    assert len(first) == 64 and secret_key() == first and stat.S_IMODE(path.stat().st_mode) == 0o600


def _saved_cookie(site) -> str:
    """The session cookie a browser keeps after signing in (what someone could copy)."""
    response = site.sign_in()
    assert response.status_code == 302
    return response.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]


def _with_cookie(site, cookie: str):
    client = site.app.test_client()
    client.set_cookie("irdocs_session", cookie)
    return client.get("/")


def test_a_saved_session_cookie_ends_with_signing_out(tmp_path, monkeypatch):
    """Issue 19: the cookie was a signed {"user": ...} valid 31 days; a saved one still got 200 after signing out."""
    from tests.web.webtools import make_site

    site = make_site(tmp_path, monkeypatch)
    saved = _saved_cookie(site)
    other_computer = _saved_cookie(site)
    assert _with_cookie(site, saved).status_code == 200
    assert site.post("/logout").status_code == 302
    for cookie in (saved, other_computer):
        answer = _with_cookie(site, cookie)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert _with_cookie(site, _saved_cookie(site)).status_code == 200  # signing in again works


def test_a_new_password_ends_every_session(tmp_path, monkeypatch, run):
    """Issue 19: a saved cookie still got 200 after the password was changed."""
    from tests.web.webtools import USER, make_site

    site = make_site(tmp_path, monkeypatch)
    saved = _saved_cookie(site)
    assert _with_cookie(site, saved).status_code == 200
    assert run("user", "add", USER, "--replace", "--password-stdin", input="a brand new password\n").exit_code == 0
    assert _with_cookie(site, saved).status_code == 302
    run("user", "add", "zaya", "--role", "administrator", "--password-stdin", input="a brand new password\n")  # the last administrator stays
    assert run("user", "remove", USER).exit_code == 0
    assert _with_cookie(site, saved).status_code == 302


def test_a_session_lasts_hours_not_a_month(tmp_path, monkeypatch):
    from irdocs.web import SESSION_HOURS
    from tests.web.webtools import make_site

    site = make_site(tmp_path, monkeypatch)
    assert site.app.permanent_session_lifetime.total_seconds() == SESSION_HOURS * 3600 <= 12 * 3600
