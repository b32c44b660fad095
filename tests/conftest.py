"""Shared fixtures: the read-only sample records, and small scratch folders for tests that change records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


def _pristine_sample() -> Path:
    """The repository's sample records as the repository has them, copied once per test process:
    without what a 'make demo' run leaves beside them (its certificate register, bound to the
    demo's key, and lock files), so the tests neither depend on nor touch the office's own state."""
    import atexit
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="irdocs-sample-"))
    atexit.register(shutil.rmtree, base, True)
    target = base / "records"
    shutil.copytree(REPO / "records", target, ignore=shutil.ignore_patterns("register.sqlite3*", ".irdocs*", "*.lock"))
    return target


SAMPLE = _pristine_sample()

MINI_PARTNERS = """\
partners:
  - id: alpha-university
    name: Alpha University
    kind: university
    country: JP
    city: Tokyo
  - id: beta-hospital
    name: Beta Hospital
    native_name: 베타병원
    kind: hospital
    country: KR
    city: Seoul
"""
MINI_AGREEMENTS = """\
agreements:
  - id: alpha-mou-2020
    kind: mou
    title: MoU with Alpha University
    partners: [alpha-university]
    status: active
    signed_on: 2020-05-01
    duration_years: 5
    areas: [education, health]
    activities:
      - exchange of students
"""
MINI_HONOREES = """\
id,title,family_name,given_name,native_name,country,affiliation,partner,awarded_on,citation,citation_mn
hd-2020-001,honorary-doctorate,Yamada,Taro,山田 太郎,JP,Alpha University,alpha-university,2020-06-15,For service.,Гавьяаг үнэлж.
hp-1985-001,honorary-professor,Kim,Minjun,김민준,KR,Beta Hospital,,1985,For teaching.,Багшилсныг үнэлж.
"""


_RENDER_CERTIFICATES = """
import sys
from importlib import import_module
from pathlib import Path
from irdocs import default_templates
from irdocs.records.validate import load_records
from irdocs.documents.certificates.kind import CertificateMaker
from irdocs.render.speedups import install_all

install_all()
records = load_records(Path(sys.argv[1]))
maker = CertificateMaker(records.institution, records.root, default_templates() / "certificates")
out = Path(sys.argv[2])
by_id = {honoree.id: honoree for honoree in records.honorees}
for honoree_id in sys.argv[4:]:
    (out / f"{honoree_id}.pdf").write_bytes(maker.pdf(by_id[honoree_id], "MNUMS-HD-2020-0001", "ABCDEFGHJK"))
print("installed" if import_module(sys.argv[3]).installed() else "not installed")
"""

#: The environment variables that turn irdocs' changes to WeasyPrint off (irdocs/render/speedups/__init__.py).
WEASYPRINT_SWITCHES = (
    "IRDOCS_EAGER_FONT_FILES",
    "IRDOCS_RETAIN_GLYPH_IDS",
    "IRDOCS_DRAW_EVERY_TIME",
    "IRDOCS_PARSE_QR_PATHS",
    "IRDOCS_COMPRESS_TWICE",
    "IRDOCS_EAGER_STYLES",
    "IRDOCS_STYLES_PER_DOCUMENT",
    "IRDOCS_LAYOUT_EVERY_TIME",
    "IRDOCS_PARSE_AS_HTML",
    "IRDOCS_SUBSET_EVERY_TIME",
    "IRDOCS_PLAIN_WEASYPRINT",
)


def render_certificates_apart(folder: Path, ids: list[str], module: str, switch_off: str | None = None) -> tuple[str, dict[str, bytes]]:
    """Render the sample honorees ``ids`` in a process of their own, in that order, with the change
    ``switch_off`` turned off (or all on): (whether ``module``'s change was in place, {id: PDF bytes})."""
    import os
    import subprocess
    import sys

    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in WEASYPRINT_SWITCHES}
    if switch_off:
        env[switch_off] = "1"
    command = [sys.executable, "-c", _RENDER_CERTIFICATES, str(SAMPLE), str(folder), module, *ids]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip(), {p.stem: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


_RENDER_PAGES = """
import sys
from importlib import import_module
from pathlib import Path
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from irdocs.render.speedups import install_all

install_all()
out = Path(sys.argv[1])
fonts = FontConfiguration()
css = CSS(string=sys.argv[4], font_config=fonts)  # one stylesheet for every page, as irdocs' renderer keeps it
for index, html in enumerate(sys.argv[5:]):
    document = HTML(string=html, base_url=str(out)).render(stylesheets=[css], font_config=fonts)
    (out / f"{index}.pdf").write_bytes(document.write_pdf(pdf_identifier=b"x"))
module = import_module(sys.argv[2])
print("installed" if module.installed() else "not installed", *([eval(sys.argv[3], vars(module))] if sys.argv[3] else []))
"""


def render_pages_apart(folder: Path, css: str, pages: list[str], module: str, switch_off: str | None = None, report: str = "") -> tuple[str, list[bytes]]:
    """Render the HTML ``pages`` with the stylesheet ``css`` in one process of their own, in that
    order, with the change ``switch_off`` turned off (or all on): (whether ``module``'s change was
    in place, followed by the value of ``report`` in the module's namespace if given; [PDF bytes])."""
    import os
    import subprocess
    import sys

    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in WEASYPRINT_SWITCHES}
    if switch_off:
        env[switch_off] = "1"
    done = subprocess.run([sys.executable, "-c", _RENDER_PAGES, str(folder), module, report, css, *pages], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip(), [(folder / f"{index}.pdf").read_bytes() for index in range(len(pages))]


def of_each_design(records, per_design: int) -> list[str]:
    """The first ``per_design`` honorees of each certificate design, then one with a name in each CJK
    face: what a process renders in turn to show that what it keeps from one certificate to the next
    changes nothing."""
    by_design: dict[str, list[str]] = {}
    for honoree in records.honorees:
        by_design.setdefault(honoree.title, []).append(honoree.id)
    return list(dict.fromkeys([i for ids in by_design.values() for i in ids[:per_design]] + one_of_each_cjk_face(records)))


def certificates_with_and_without(folder: Path, ids: list[str], module: str, switch_off: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The certificates of ``ids`` rendered in turn in one process with every change to WeasyPrint,
    then in another with ``module``'s turned off (``switch_off``): (with, without)."""
    with_state, made_with = render_certificates_apart(folder / "with", ids, module)
    without_state, made_without = render_certificates_apart(folder / "without", ids, module, switch_off)
    assert (with_state, without_state) == ("installed", "not installed")
    assert len(made_with) == len(made_without) == len(ids)
    return made_with, made_without


def one_of_each_cjk_face(records) -> list[str]:
    """One honoree with a native name from each of Japan, Korea, China and Taiwan (each its own CJK face)."""
    chosen: dict[str, str] = {}
    for honoree in records.honorees:
        if honoree.native_name and honoree.country in ("JP", "KR", "CN", "TW"):
            chosen.setdefault(honoree.country, honoree.id)
    return list(chosen.values())


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The sample records shipped in the repository (never written to)."""
    return SAMPLE


@pytest.fixture(scope="session")
def sample_records(sample_dir):
    from irdocs.records.validate import load_records

    return load_records(sample_dir)


@pytest.fixture
def scratch_sample(tmp_path, monkeypatch) -> Path:
    """A copy of the sample records in a scratch folder (the working folder of the test)."""
    target = tmp_path / "records"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns(".irdocs.lock"))
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    """A tiny, valid records folder (2 partners, 1 agreement, 2 honorees) to break on purpose."""
    target = tmp_path / "records"
    target.mkdir()
    shutil.copy(SAMPLE / "institution.yaml", target)
    shutil.copy(SAMPLE / "emblem.svg", target)
    (target / "partners.yaml").write_text(MINI_PARTNERS, encoding="utf-8")
    (target / "agreements.yaml").write_text(MINI_AGREEMENTS, encoding="utf-8")
    (target / "honorees.csv").write_text(MINI_HONOREES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture
def run():
    """Run the irdocs CLI in-process; returns click's Result (stdout, stderr, exit_code)."""
    from irdocs.cli import main

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


TEST_KEY = "test-key-0123456789-0123456789-0123456789"


@pytest.fixture(scope="session", autouse=True)
def sample_office_key(tmp_path_factory):
    """The sample office's department key, made on purpose (as 'irdocs key init' does) in a configuration
    folder of the test session's own: no test reads or makes a key in the real configuration folder."""
    import os

    from irdocs.documents.certificates.keys import init_key

    config = tmp_path_factory.mktemp("sample-office-config")
    saved = {name: os.environ.get(name) for name in ("XDG_CONFIG_HOME", "IRDOCS_KEY")}
    os.environ["XDG_CONFIG_HOME"] = str(config)
    os.environ.pop("IRDOCS_KEY", None)
    path, _ = init_key()
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def keyed(tmp_path, monkeypatch) -> str:
    """A verification key from the environment and a private configuration folder (no real key is touched)."""
    monkeypatch.setenv("IRDOCS_KEY", TEST_KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("IRDOCS_RECORDS", "IRDOCS_TEMPLATES"):
        monkeypatch.delenv(name, raising=False)
    return TEST_KEY


@pytest.fixture
def loopback():
    """A real HTTP server on 127.0.0.1 that notes every request it gets (a document must make none)."""
    import http.server
    import threading
    from types import SimpleNamespace

    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_address[1]}", requests=seen)
    finally:
        server.shutdown()
        server.server_close()
