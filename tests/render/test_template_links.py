"""Templates, includes and pictures stay inside their folders: a symbolic link out is refused (issue 19, step 8)."""

from __future__ import annotations

import shutil

from tests.conftest import REPO


def test_an_include_through_a_symbolic_link_cannot_print_the_key(mini, keyed, run, tmp_path):
    """Issue 19: a symlink in a templates folder let {% include %} read any file: the verification key
    came out printed on a certificate, exit 0."""
    secret = tmp_path / "config" / "irdocs" / "verification.key"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("0123456789abcdef-the-departments-secret-0123456789\n")
    templates = tmp_path / "tpl"
    shutil.copytree(REPO / "templates", templates)
    (templates / "certificates" / "notes.html").symlink_to(secret)
    base = templates / "certificates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</aside>", '{% include "notes.html" %}</aside>'), encoding="utf-8")
    result = run("certificate", "hd-2020-001", "--templates", str(templates))
    assert result.exit_code == 1
    assert "'notes.html' is a link to a file outside the templates folder" in result.output
    assert not list((mini.parent / "out").rglob("*.pdf"))


def test_a_stylesheet_linked_out_is_refused(mini, keyed, run, tmp_path):
    outside = tmp_path / "elsewhere.css"
    outside.write_text("body { color: red }")
    templates = tmp_path / "tpl"
    shutil.copytree(REPO / "templates", templates)
    (templates / "certificates" / "extra.css").symlink_to(outside)
    base = templates / "certificates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</head>", '<link rel="stylesheet" href="extra.css"></head>'), encoding="utf-8")
    result = run("certificate", "hd-2020-001", "--templates", str(templates))
    assert result.exit_code == 1
    assert "documents may only use files from the templates and records folders (this one is a link to a file outside them)" in result.output
