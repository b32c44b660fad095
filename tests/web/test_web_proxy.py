"""irdocs behind a real nginx (Debian's), started on loopback with the site of deploy/: each visitor
has their own limits (issue 19: '--behind-proxy has no effect', every visitor shared one bucket)."""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.web.webtools import KEY, PASSWORD, USER, copy_sample

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (make setup installs it)")
SITE = REPO / "deploy" / "irdocs-nginx.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise AssertionError(f"it stopped: {log.read_text(errors='replace') if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


def nginx_config(folder: Path, https: int, plain: int, upstream: int) -> Path:
    """deploy/'s site with throwaway ports and certificate, in a minimal nginx.conf of its own."""
    keys = ["-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=verify.mnums.edu.mn", *keys], check=True, capture_output=True
    )
    site = SITE.read_text(encoding="utf-8")
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{plain};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https} ssl;"),
        ("/etc/ssl/irdocs/", f"{folder}/"),
        ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{upstream};"),
    ):
        assert old in site, old
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temps = "\n".join(f"    {name}_temp_path {folder}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(
        f"daemon off;\nmaster_process off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log {folder}/access.log;\n{temps}\n    include {folder}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """irdocs serve --behind-proxy (verification limit 3 a minute) behind nginx: the nginx port."""
    from irdocs.accounts import Accounts

    base = tmp_path_factory.mktemp("proxy")
    records = copy_sample(base)
    env = {**os.environ, "XDG_CONFIG_HOME": str(base / "config"), "IRDOCS_KEY": KEY, "IRDOCS_USERS": str(base / "users.json")}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IRDOCS_USERS", env["IRDOCS_USERS"])
        Accounts().add(USER, PASSWORD)
    upstream, https, plain = free_port(), free_port(), free_port()
    log = base / "irdocs.log"
    serve = [sys.executable, "-m", "irdocs", "serve", "--records", str(records), "--out", str(base / "out")]
    serve += ["--port", str(upstream), "--verify-limit", "3", "--behind-proxy"]
    with open(log, "wb") as out:
        app = subprocess.Popen(serve, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=base)
    proxy = None
    try:
        wait_for(upstream, app, log)
        conf = nginx_config(base, https, plain, upstream)
        proxy = subprocess.Popen([NGINX, "-e", str(base / "error.log"), "-p", str(base), "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(https, proxy, base / "error.log")
        yield https, plain
    finally:
        for process in (proxy, app):
            if process is not None:
                process.terminate()
                process.wait(10)


def get(port: int, client: str, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    """A GET over HTTPS to nginx from the loopback address ``client`` (127.0.0.x: a visitor of its own)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, source_address=(client, 0), timeout=30)
    connection.request("GET", path, headers={"Host": "verify.mnums.edu.mn", **(headers or {})})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_each_visitor_has_their_own_verification_limit(proxied):
    """Issue 19: 198 of 200 verifications from 200 clients got 429 behind the proxy."""
    https, _ = proxied
    path = "/verify?serial=MNUMS-HD-2024-0999&code=ABCDEFGHJK"
    statuses = [get(https, f"127.0.0.{n}", path).status for n in range(10, 40)]
    assert statuses == [404] * 30  # thirty visitors, one lookup each: none is held up
    mine = [get(https, "127.0.0.2", path).status for _ in range(4)]
    assert mine == [404, 404, 404, 429]
    # A visitor cannot pose as another by sending the header itself: nginx replaces it.
    assert get(https, "127.0.0.2", path, {"X-Forwarded-For": "198.51.100.77"}).status == 429


def test_wrong_passwords_from_one_visitor_do_not_lock_out_another(proxied):
    """Issue 19: ten wrong sign-ins from one client locked out a correct password from another."""
    https, _ = proxied
    wrong = {"Authorization": "Basic " + base64.b64encode(f"{USER}:wrong password".encode()).decode()}
    right = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}
    assert [get(https, "127.0.0.3", "/api/overview", wrong).status for _ in range(11)] == [401] * 10 + [429]
    assert get(https, "127.0.0.4", "/api/overview", right).status == 200


def test_the_app_knows_it_is_served_over_https(proxied):
    https, plain = proxied
    page = get(https, "127.0.0.5", "/login")
    assert page.status == 200 and "max-age" in page.getheader("Strict-Transport-Security", "")
    cookie = page.getheader("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie
    connection = http.client.HTTPConnection("127.0.0.1", plain, timeout=30)
    connection.request("GET", "/verify", headers={"Host": "verify.mnums.edu.mn"})
    redirect = connection.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location") == "https://verify.mnums.edu.mn/verify"
