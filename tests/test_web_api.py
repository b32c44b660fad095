"""The JSON API: HTTP Basic authentication, reading, adding records (422 with each problem), and its refusals."""
# ruff: noqa: F811  (pytest fixtures imported from tests.webtools are parameters of the tests)

from __future__ import annotations

import base64

import pytest

from tests.webtools import PASSWORD, USER, shared, site  # noqa: F401 (fixtures)

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
        ("/api/honorees", None, 400, "send the honoree's fields as a JSON object"),
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
