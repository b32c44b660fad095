"""The public verification page: valid, revoked, altered, unknown; only four facts shown; rate-limited."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.webtools are parameters of the tests)

from __future__ import annotations

import functools

import pytest

from irdocs.documents.certificates.context import content_of
from irdocs.documents.certificates.register import Register, register_path
from irdocs.documents.certificates.verify import make_code, verification_url
from irdocs.records.validate import load_records
from tests.web.webtools import KEY, make_site, site, text  # noqa: F401 (fixtures)

NOW = "2026-01-05T10:00:00+00:00"


def issue(records_dir, honoree_id: str):
    """Issue a serial in the register as a certificate batch does (no PDF needed to verify it)."""
    records = load_records(records_dir)
    honoree = records.honorees_by_id[honoree_id]
    with Register(register_path(records_dir)) as register:
        entry, _ = register.issue(records.institution.serial_prefix, content_of(honoree, records.institution), functools.partial(make_code, KEY.encode()), NOW)
    return entry


def test_a_valid_certificate_shows_only_four_facts(site):
    entry = issue(site.records, "hd-2024-001")
    url = verification_url("http://localhost/verify", entry.serial, entry.code)
    response = site.client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200
    page = text(response)
    assert "This certificate is valid" in page
    assert "Park Hyunwoo" in page and "박현우" in page
    assert "Honorary Doctor" in page and "Mongolian National University of Medical Sciences" in page
    assert entry.serial in page
    honoree = load_records(site.records).honorees_by_id["hd-2024-001"]
    from irdocs.localize import format_date

    assert format_date(honoree.awarded_on, "en") in page
    # nothing else about the person or the register
    for private in (honoree.affiliation, honoree.citation, honoree.id, entry.code, "issued_at", NOW[:10]):
        assert private not in page
    assert 'name="robots" content="noindex"' in response.get_data(as_text=True)


def test_the_short_form_of_the_address(site):
    entry = issue(site.records, "hp-2024-001")
    assert "This certificate is valid" in text(site.client.get(f"/verify/{entry.serial}?c={entry.code}"))
    assert "This certificate is valid" in text(site.client.get(f"/verify/{entry.serial.lower()}?c={entry.code.lower()}"))


def test_a_wrong_code_gets_the_same_answer_as_an_unknown_serial(site, run):
    """Issue 19: the page told whether a wrong-code serial exists (and when it was revoked)."""
    entry = issue(site.records, "hd-2024-001")
    wrong = ("A" if entry.code[0] != "A" else "B") + entry.code[1:]
    unknown_serial = entry.serial[:-4] + "0999"
    answers = {}
    for label, serial, code in (("wrong code", entry.serial, wrong), ("unknown serial", unknown_serial, wrong)):
        response = site.client.get(f"/verify?serial={serial}&code={code}")
        answers[label] = (response.status_code, text(response).replace(serial, "SERIAL"))
    assert answers["wrong code"] == answers["unknown serial"]
    assert answers["wrong code"][0] == 404 and "Certificate not confirmed" in answers["wrong code"][1] and "Park Hyunwoo" not in answers["wrong code"][1]
    assert run("register", "revoke", entry.serial, "--reason", "awarded in error", "--records", str(site.records)).exit_code == 0
    revoked = site.client.get(f"/verify?serial={entry.serial}&code={wrong}")
    assert (revoked.status_code, text(revoked).replace(entry.serial, "SERIAL")) == answers["unknown serial"]
    assert "revoked" not in text(revoked) and "withdrew" not in text(revoked)


def test_the_code_is_accepted_typed_with_spaces_and_lower_case(site):
    from irdocs.documents.certificates.verify import display_code

    entry = issue(site.records, "hd-2024-001")
    typed = display_code(entry.code).lower()
    assert " " in typed
    response = site.client.get("/verify", query_string={"serial": entry.serial.lower(), "code": typed})
    assert response.status_code == 200 and "This certificate is valid" in text(response)


def test_a_revoked_certificate_shows_the_date(site, run):
    entry = issue(site.records, "hd-2024-001")
    result = run("register", "revoke", entry.serial, "--reason", "awarded in error", "--records", str(site.records))
    assert result.exit_code == 0
    page = text(site.client.get(f"/verify?serial={entry.serial}&code={entry.code}"))
    assert "This certificate was revoked" in page
    import datetime as dt

    from irdocs.localize import format_date

    assert f"withdrew it on {format_date(dt.datetime.now(dt.UTC).date(), 'en')}" in page
    assert "Park Hyunwoo" not in page and "awarded in error" not in page


def test_a_superseded_certificate(site, run):
    entry = issue(site.records, "hd-2024-001")
    assert run("register", "reissue", entry.serial, "--records", str(site.records), "--out", str(site.out)).exit_code == 0
    page = text(site.client.get(f"/verify?serial={entry.serial}&code={entry.code}"))
    assert "This certificate was revoked" in page and "replaced by a newer certificate" in page


@pytest.mark.parametrize(
    "path",
    [
        "/verify?serial=MNUMS-HD-2024-0999&code=ABCDEFGHIJ",
        "/verify/MNUMS-HD-2024-0999?c=ABCDEFGHIJ",
        "/verify/not-a-serial?c=x",
        "/verify/%27%20OR%201=1--?c=x",
    ],
)
def test_an_unknown_serial(site, path):
    issue(site.records, "hd-2024-001")  # the register exists, but not these serials
    response = site.client.get(path)
    assert response.status_code == 404
    assert "Certificate not confirmed" in text(response) and "has issued no certificate with this serial and check code" in text(response)


def test_unknown_before_any_certificate_was_issued(site):
    response = site.client.get("/verify?serial=MNUMS-HD-2024-0001&code=ABCDEFGHIJ")
    assert response.status_code == 404 and "Certificate not confirmed" in text(response)
    assert not register_path(site.records).exists()  # looking does not create the register


def test_no_listing_or_search(site):
    issue(site.records, "hd-2024-001")
    form = site.client.get("/verify")
    assert form.status_code == 200 and "Verify a certificate" in text(form) and "MNUMS-HD-2024-0001" not in text(form).replace("e.g. MNUMS-HD-2024-0001", "")
    missing = site.client.get("/verify?serial=MNUMS-HD-2024-0001")
    assert missing.status_code == 400 and "Both the serial and the check code are needed" in text(missing)
    for path in ("/verify/", "/verify/MNUMS-HD-2024-%25?c=x", "/register", "/api/verify/MNUMS-HD-2024-0001"):
        response = site.client.get(path)
        assert "Park Hyunwoo" not in text(response)


def test_lookups_are_rate_limited_per_address(tmp_path, monkeypatch):
    limited = make_site(tmp_path, monkeypatch, verify_limit=3)
    entry = issue(limited.records, "hd-2024-001")
    path = f"/verify?serial={entry.serial}&code={entry.code}"
    codes = [limited.client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = limited.client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Too many requests" in text(refused) and "wait" in text(refused)
    assert limited.client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.8"}).status_code == 200  # another address is not held up


def test_the_limiter_refills():
    from irdocs.web.ratelimit import RateLimiter

    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert [limiter.allow("a")[0] for _ in range(3)] == [True, True, False]
    assert limiter.allow("a")[1] == pytest.approx(1.0)
    now[0] += 1.0
    assert limiter.allow("a")[0] is True
    assert limiter.exhausted("a") is True


@pytest.mark.parametrize("damage", ["register", "institution"])
def test_a_broken_set_up_shows_no_path_and_no_internal_error(site, damage):
    """Issue 19: the public page answered HTTP 500 "Something is wrong in the set-up" and showed the
    key file's path; internal errors (key path, records paths) must never reach the public."""
    entry = issue(site.records, "hd-2024-001")
    if damage == "register":
        register_path(site.records).write_bytes(b"this is not a database" * 100)
    else:
        (site.records / "institution.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    response = site.client.get(f"/verify?serial={entry.serial}&code={entry.code}")
    page = response.get_data(as_text=True)
    assert response.status_code in (503, 200, 404) and response.status_code != 500
    for private in (str(site.records), "register.sqlite3", "institution.yaml", "config", "verification.key", "Something is wrong in the set-up", "Traceback"):
        assert private not in page, private
    if damage == "register":
        assert response.status_code == 503 and "cannot be checked now" in text(response)


def test_a_register_changed_behind_its_back_is_not_vouched_for_in_public(site):
    import sqlite3

    entry = issue(site.records, "hd-2024-001")
    db = sqlite3.connect(str(register_path(site.records)), isolation_level=None)
    db.execute(f"UPDATE serials SET name = 'Mallory Forger' WHERE serial = '{entry.serial}'")
    db.close()
    response = site.client.get(f"/verify?serial={entry.serial}&code={entry.code}")
    assert response.status_code == 503 and "cannot be checked now" in text(response) and "Mallory" not in text(response)
