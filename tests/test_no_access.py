"""Documents read only the templates and records folders: no network, no other local file.

Each test puts a reference into a copy of the templates (or into the emblem of the records) and
makes the document. WeasyPrint's fetcher refuses it with a message naming what was refused; a real
HTTP server on 127.0.0.1, started by the test, proves that not one request left the process.
"""

from __future__ import annotations

import shutil
import struct
import urllib.request
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO

NOT_HERE = "documents may only use files from the templates and records folders"
NO_NETWORK = "documents never load anything from the network"


def run(*args: str):
    from irdocs.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def office(mini, keyed, loopback):
    """The tiny records, a copy of the templates in tpl/, and a file outside both folders."""
    base = mini.parent
    shutil.copytree(REPO / "templates", base / "tpl")
    (base / "secret.txt").write_text("not for documents\n", encoding="utf-8")
    urllib.request.urlopen(f"{loopback.url}/control", timeout=10).read()
    assert loopback.requests == ["/control"], "the server notes what it is asked"
    return base


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def certificate_refused(office: Path, url: str, why: str) -> None:
    result = run("certificate", "hd-2020-001", "--templates", "tpl")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "   failed  certificates/MNUMS-HD-2020-0001.pdf",
        f"honoree hd-2020-001: refused to load '{url}': {why}",
        "1 of 1 certificates could not be made.",
    ]
    assert not list((office / "out").glob("certificates/*.pdf")), "no certificate is written"


@pytest.mark.parametrize(
    ("file", "old", "new", "url", "why"),
    [
        pytest.param(
            "certificates/base.html",
            "</head>",
            '<link rel="stylesheet" href="file:///etc/passwd"></head>',
            "file:///etc/passwd",
            NOT_HERE,
            id="stylesheet-etc-passwd",
        ),
        # WeasyPrint embeds <link rel=attachment> files in the PDF: a way to carry a file off
        pytest.param(
            "certificates/base.html",
            "</head>",
            '<link rel="attachment" href="file:///etc/passwd"></head>',
            "file:///etc/passwd",
            NOT_HERE,
            id="attachment-etc-passwd",
        ),
        pytest.param("certificates/base.html", "</main>", '<img src="{server}/image.png"></main>', "{server}/image.png", NO_NETWORK, id="image-loopback"),
        pytest.param(
            "certificates/base.html",
            "</main>",
            '<img src="HTTPS://{host}/image.png"></main>',
            "HTTPS://{host}/image.png",
            NO_NETWORK,
            id="image-https-capitals",
        ),
        pytest.param(
            "certificates/certificate.css", "@page", '@import url("{server}/more.css");\n@page', "{server}/more.css", NO_NETWORK, id="css-import-loopback"
        ),
        pytest.param(
            "certificates/certificate.css",
            "@page",
            "body {{ background: url({server}/paper.png); }}\n@page",
            "{server}/paper.png",
            NO_NETWORK,
            id="css-background-loopback",
        ),
        pytest.param(
            "certificates/certificate.css",
            "@page",
            '@font-face {{ font-family: "Remote"; src: url({server}/font.woff2); }}\n.name {{ font-family: "Remote"; }}\n@page',
            "{server}/font.woff2",
            NO_NETWORK,
            id="font-loopback",
        ),
    ],
)
def test_template_reference_is_refused_and_no_request_is_made(office, loopback, file, old, new, url, why):
    host = loopback.url.removeprefix("http://")
    edit(office / "tpl" / file, old, new.format(server=loopback.url, host=host))
    certificate_refused(office, url.format(server=loopback.url, host=host), why)
    assert loopback.requests == ["/control"]


def test_a_file_outside_by_dot_dot_is_refused(office):
    """tpl/certificates/../../secret.txt is a real file next to the folders, not in them."""
    edit(office / "tpl" / "certificates" / "base.html", "</main>", '<img src="../../secret.txt"></main>')
    result = run("certificate", "hd-2020-001", "--templates", "tpl")
    assert result.exit_code == 1
    message = result.stderr.splitlines()[1]
    assert message.startswith("honoree hd-2020-001: refused to load 'file:///") and message.endswith(f"': {NOT_HERE}")
    assert "secret.txt" in message or "..." in message  # a long address is shortened to 80 characters


def test_a_data_url_over_the_limit_is_refused(office):
    from irdocs.render import DATA_URL_LIMIT

    payload = "data:image/png;base64," + "A" * DATA_URL_LIMIT
    edit(office / "tpl" / "certificates" / "base.html", "</main>", f'<img src="{payload}"></main>')
    certificate_refused(office, payload[:77] + "...", f"embedded data larger than {DATA_URL_LIMIT // 1000} kB")


def test_a_fact_sheet_stylesheet_cannot_reach_the_network(office, loopback):
    edit(office / "tpl" / "factsheets" / "factsheet.css", "@page", f"h1 {{ background: url({loopback.url}/banner.png); }}\n@page")
    result = run("factsheet", "partner", "alpha-university", "--as-of", "2024-06-30", "--templates", "tpl")
    assert result.exit_code == 1
    assert f"fact sheet partners/alpha-university: refused to load '{loopback.url}/banner.png': {NO_NETWORK}" in result.stderr.splitlines(), result.stderr
    assert loopback.requests == ["/control"]


SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100" viewBox="0 0 100 100">
<circle cx="50" cy="50" r="40" fill="#14325c"/>
<image x="0" y="0" width="10" height="10" xlink:href="{link}"/>
</svg>
"""


@pytest.mark.parametrize(("link", "why"), [("{server}/from-svg.png", NO_NETWORK), ("file:///etc/passwd", NOT_HERE)], ids=["loopback", "etc-passwd"])
def test_an_emblem_that_links_out_fetches_nothing(office, loopback, link, why):
    """The emblem is the department's own SVG. Its links to the network or to other files are never
    followed: the PDF is not made without its emblem (the refusal is named), and the Word copy of the
    emblem (drawn by CairoSVG in safe mode) leaves the linked picture out."""
    from irdocs.documents.factsheets.kind import EMBLEM_PIXELS

    link = link.format(server=loopback.url)
    (office / "records" / "emblem.svg").write_text(SVG.format(link=link), encoding="utf-8")
    emblem = (office / "records" / "emblem.svg").resolve().as_uri()
    certificate = run("certificate", "hd-2020-001", "--templates", "tpl")
    assert certificate.exit_code == 1
    assert certificate.stderr.splitlines()[1] == (
        f"records/honorees.csv:2: honoree hd-2020-001: the certificate would not be complete: Failed to render SVG image {emblem}; refused to load '{link}': {why}"
    )
    factsheet = run("factsheet", "partner", "alpha-university", "--as-of", "2024-06-30", "--templates", "tpl")
    assert factsheet.exit_code == 1
    assert f"refused to load '{link}': {why}" in factsheet.stderr
    word = zipfile.ZipFile(office / "out" / "factsheets" / "partners" / "alpha-university.docx")
    pictures = [word.read(name) for name in word.namelist() if name.startswith("word/media/")]
    sizes = [struct.unpack(">II", data[16:24]) for data in pictures if data.startswith(b"\x89PNG")]
    assert (EMBLEM_PIXELS, EMBLEM_PIXELS) in sizes, "the Word copy still has its emblem, drawn without the link"
    assert loopback.requests == ["/control"]


def test_the_key_is_never_kept_in_the_records_folder(mini, monkeypatch):
    """Whoever has the key can make valid codes: a configuration folder inside the records is refused."""
    monkeypatch.delenv("IRDOCS_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(mini))
    result = run("certificate", "hd-2020-001")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{mini}/irdocs/verification.key: the verification key must not be kept in the records folder; set IRDOCS_KEY or move the configuration folder"
    )
    assert not (mini / "irdocs").exists()
