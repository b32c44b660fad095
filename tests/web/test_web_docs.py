"""The README's curl examples of the JSON API name calls the app really answers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO


def api_examples() -> list[tuple[str, str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The JSON API", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    calls = []
    for command in re.split(r"\n(?=curl )", block):
        if not command.startswith("curl "):
            continue
        path = re.search(r'"?\$S(/[^\s"\']*)', command).group(1)
        calls.append(("POST" if " -d " in command else "GET", "/api" + urlsplit(path).path))
    return calls


def test_the_readme_shows_each_kind_of_call():
    methods = {method for method, _ in api_examples()}
    assert methods == {"GET", "POST"} and len(api_examples()) >= 14


@pytest.fixture(scope="module")
def api_routes():
    """The API's routes as the app mounts them (no records needed to match addresses)."""
    from flask import Flask

    from irdocs.web import api

    app = Flask(__name__)
    app.register_blueprint(api.bp, url_prefix="/api")
    return app.url_map.bind("localhost")


@pytest.mark.parametrize(("method", "path"), api_examples())
def test_each_example_is_a_route(api_routes, method, path):
    endpoint, _ = api_routes.match(path.replace("JOB_ID", "abc"), method=method)  # NotFound or MethodNotAllowed otherwise
    assert endpoint.startswith("api.")


def test_the_readmes_screenshots_are_there_and_every_page_has_two():
    """docs/screenshots holds each page at desktop and phone width (tests/web/test_web_pages.py takes them)."""
    from tests.web.test_web_pages import OFFICE_PAGES

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\((docs/screenshots/[^)]+\.png)\)", readme)
    assert len(shown) >= 8
    for path in shown:
        assert (REPO / path).is_file(), path
    public = ["verify-form", "verify-valid", "verify-revoked", "verify-altered", "verify-unknown", "verify-missing"]
    for name in [*OFFICE_PAGES, "login", "certificate-job", "add-agreement-error", "add-honoree-error", "register-revoke-error", *public]:
        for suffix in ("", "-phone"):
            assert (REPO / "docs" / "screenshots" / f"{name}{suffix}.png").is_file(), f"{name}{suffix}.png"
