"""The JSON API: HTTP Basic authentication, reading, adding records (422 with each problem), and its refusals."""
# ruff: noqa: F811  (pytest fixtures imported from tests.web.webtools are parameters of the tests)

from __future__ import annotations

import base64

import pytest

from tests.web.webtools import PASSWORD, USER, shared, site  # noqa: F401 (fixtures)

GOOD = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}
HONOREE = {
    "id": "hd-2026-001",
    "title": "honorary-doctorate",
    "family_name": "Yamada",
    "given_name": "Taro",
    "native_name": "山田 太郎",
    "country": "JP",
    "affiliation": "Tokyo Ariake University",
    "awarded_on": "2026-06-15",
    "citation": "For service.",
    "citation_mn": "Гавьяаг үнэлж.",
}
READS = ["/api/overview", "/api/partners", "/api/agreements", "/api/honorees", "/api/renewals?within=365", "/api/verify/MNUMS-HD-2024-0001?code=X"]
CALLS = [("get", path) for path in [*READS, "/api/jobs/x", "/api/download/certificate/MNUMS-HD-2024-0001"]] + [
    ("post", path)
    for path in (
        "/api/partners",
        "/api/agreements",
        "/api/honorees",
        "/api/honorees/hd-2024-001/certificate",
        "/api/agreements/yonsei-cooperation-1993/draft",
        "/api/factsheets",
    )
]


def basic(name: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


@pytest.mark.parametrize(("method", "path"), CALLS)
def test_every_call_needs_an_account(shared, method, path):
    address = f"198.51.100.{CALLS.index((method, path)) + 1}"  # its own address: the wrong passwords of the others do not count
    for headers in ({}, basic(USER, "wrong password"), basic("nobody", PASSWORD), {"Authorization": "Bearer abc"}):
        response = getattr(shared.client, method)(path, headers=headers, json={}, environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic")
        assert "error" in response.get_json()


def test_a_signed_in_session_is_not_enough_for_the_api(site):
    """The API never takes the session cookie: a page of another site cannot use a signed-in browser."""
    site.sign_in()
    assert site.client.get("/").status_code == 200
    assert site.client.get("/api/overview").status_code == 401
    assert site.client.post("/api/honorees", json=HONOREE).status_code == 401


@pytest.mark.parametrize("path", READS)
def test_reading(shared, path):
    response = shared.client.get(path, headers=GOOD)
    assert response.status_code == 200 and response.is_json


def test_overview_figures(shared):
    figures = shared.client.get("/api/overview", headers=GOOD).get_json()["figures"]
    assert figures["partner_organizations"] == 121 and figures["titles"] == 195


def test_lists(shared):
    partners = shared.client.get("/api/partners", headers=GOOD).get_json()["partners"]
    assert len(partners) == 122 and {"id", "name", "country", "location"} <= set(partners[0])
    agreements = shared.client.get("/api/agreements", headers=GOOD).get_json()["agreements"]
    assert len(agreements) == 121 and "expires_on" in agreements[0]
    honorees = shared.client.get("/api/honorees", headers=GOOD).get_json()["honorees"]
    assert len(honorees) == 195 and honorees[0]["certificate"] is None


def test_add_an_honoree(site):
    response = site.client.post("/api/honorees", headers=GOOD, json=HONOREE)
    assert response.status_code == 201 and response.get_json() == {"added": "honoree", "id": "hd-2026-001"}
    assert "hd-2026-001,honorary-doctorate,Yamada,Taro,山田 太郎" in (site.records / "honorees.csv").read_text(encoding="utf-8")


def test_a_refused_record_names_each_problem(site):
    before = (site.records / "honorees.csv").read_bytes()
    response = site.client.post("/api/honorees", headers=GOOD, json={**HONOREE, "awarded_on": "2026-13-01", "country": "UK"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "the honoree was not added: 2 problems"
    assert {p["field"]: p["message"] for p in body["problems"]} == {
        "awarded_on": "'2026-13-01' is not a date: there is no such day",
        "country": "'UK' is not a country code",
    }
    assert (site.records / "honorees.csv").read_bytes() == before


def test_add_a_partner_and_an_agreement(site):
    partner = {"id": "sakuragawa-medical-college", "name": "Sakuragawa Medical College", "kind": "university", "country": "JP", "city": "Nagoya"}
    assert site.client.post("/api/partners", headers=GOOD, json=partner).status_code == 201
    agreement = {"id": "sakuragawa-mou-2026", "kind": "mou", "title": "MoU", "partners": ["sakuragawa-medical-college"], "status": "draft", "areas": ["health"]}
    assert site.client.post("/api/agreements", headers=GOOD, json=agreement).status_code == 201
    duplicate = site.client.post("/api/agreements", headers=GOOD, json=agreement)
    assert duplicate.status_code == 422 and duplicate.get_json()["problems"][0]["field"] == "id"


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/api/honorees", "", 400, "send the honoree's fields as a JSON object"),
        ("/api/honorees", "[1, 2]", 400, "the body must be a JSON object"),
        ("/api/honorees/no-such-honoree/certificate", {}, 404, "there is no honoree 'no-such-honoree' in honorees.csv"),
        ("/api/ceremonies/no-such-ceremony/certificates", {}, 404, "there is no ceremony 'no-such-ceremony' in honorees.csv"),
        ("/api/agreements/no-such-agreement/draft", {}, 404, "there is no agreement 'no-such-agreement' in agreements.yaml"),
        ("/api/agreements/yonsei-cooperation-1993/draft", {"language": "fr"}, 400, "language: one of en, mn, en+mn"),
        ("/api/factsheets", {"language": "fr"}, 400, "language: one of en, mn"),
    ],
)
def test_refused_calls(site, path, body, status, message):
    if isinstance(body, str):
        response = site.client.post(path, headers={**GOOD, "Content-Type": "application/json"}, data=body)
    else:
        response = site.client.post(path, headers=GOOD, json=body)
    assert response.status_code == status
    assert message in response.get_json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/download/certificate/..%2F..%2Frecords%2Finstitution.yaml",
        "/api/download/agreement/../../records/agreements.yaml",
        "/api/download/factsheet/partner/..%2F..%2Fx",
    ],
)
def test_downloads_refuse_paths(shared, path):
    response = shared.client.get(path, headers=GOOD)
    assert response.status_code == 404 and response.is_json


def test_unknown_job(shared):
    response = shared.client.get("/api/jobs/nope", headers=GOOD)
    assert response.status_code == 404 and "this job is not known" in response.get_json()["error"]


def test_too_many_wrong_passwords(site):
    codes = [site.client.get("/api/overview", headers=basic(USER, "wrong password")).status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
    assert site.client.get("/api/overview", headers=GOOD).status_code == 429  # from that address, for a moment


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/x-www-form-urlencoded", "wait=1"), ("multipart/form-data; boundary=x", "--x--\r\n"), ("text/plain", "{}"), (None, "")],
)
def test_a_page_of_another_site_cannot_use_remembered_basic_credentials(site, content_type, body):
    """Issue 19: a page on another origin POSTed to the API with the browser's remembered Basic
    credentials and issued a permanent serial. What such a page can send without asking first
    (a form, text/plain, an empty body) is refused; only JSON is taken."""
    from irdocs.documents.certificates.register import register_path

    headers = {**GOOD, **({"Content-Type": content_type} if content_type else {}), "Origin": "http://evil.example"}
    response = site.client.post("/api/honorees/hd-2024-001/certificate", headers=headers, data=body)
    assert response.status_code == 415 and "application/json" in response.get_json()["error"]
    assert site.client.post("/api/honorees", headers=headers, data=body).status_code == 415
    assert not register_path(site.records).exists()


def test_deeply_nested_json_is_refused_not_a_crash(site):
    """Issue 19: deeply nested JSON gave an unhandled 500."""
    for body in ("[" * 20_000 + "]" * 20_000, '{"a": ' * 5_000 + "1" + "}" * 5_000, '{"id": ' + "[" * 9 + "]" * 9 + "}"):
        response = site.client.post("/api/honorees", headers={**GOOD, "Content-Type": "application/json"}, data=body)
        assert response.status_code == 400 and "deeper than 8 levels" in response.get_json()["error"]
    brackets_in_text = {**HONOREE, "citation": "[[[[[[[[[[[[ {{{{{{{{{{{{ in words"}
    assert site.client.post("/api/honorees", headers=GOOD, json=brackets_in_text).status_code == 201


def test_a_body_over_the_limit_is_refused(site):
    big = {**HONOREE, "citation": "x" * 300_000}
    assert site.client.post("/api/honorees", headers=GOOD, json=big).status_code == 413


def test_wrong_passwords_sent_at_once_are_counted_before_checking(site):
    """Issue 19: the API's ten-tries limit could be raced (17 passwords checked)."""
    import threading

    from irdocs.accounts import Accounts

    checked = []
    original = Accounts.check

    def counting(self, name, password):
        checked.append(password)
        return original(self, name, password)

    Accounts.check = counting
    try:
        start = threading.Barrier(30)
        answers = []

        def attempt(i):
            client = site.app.test_client()
            start.wait()
            answers.append(client.get("/api/overview", headers=basic(USER, f"guess {i}"), environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code)

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        Accounts.check = original
    assert len(checked) <= 10 and answers.count(401) == len(checked) and answers.count(429) == 30 - len(checked)


def test_a_right_password_does_not_use_up_the_limit(site):
    for _ in range(25):
        assert site.client.get("/api/overview", headers=GOOD, environ_base={"REMOTE_ADDR": "203.0.113.10"}).status_code == 200


def test_waiting_for_a_job_is_bounded(site):
    """Issue 19: "wait": true held one of the server's threads for up to 600 s."""
    from irdocs.web import api

    assert api.WAIT_SECONDS <= 30
    for _ in range(api.MAX_WAITING):  # as many calls as may wait are waiting already
        assert api._waiting.acquire(blocking=False)
    try:
        import time

        began = time.monotonic()
        response = site.client.post("/api/honorees/hd-2024-001/certificate", headers=GOOD, json={"wait": True})
        assert response.status_code == 202 and time.monotonic() - began < 1  # answered at once, not held
    finally:
        for _ in range(api.MAX_WAITING):
            api._waiting.release()
    job = site.app.extensions["irdocs"].jobs.get(response.get_json()["status_url"].rsplit("/", 1)[1])
    assert job.finished.wait(120)
