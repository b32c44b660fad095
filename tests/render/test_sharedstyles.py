"""irdocs/render/speedups/sharedstyles.py: an element's style is worked out once per process and
copied into each document; the documents are byte for byte what WeasyPrint makes on its own."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import WEASYPRINT_SWITCHES, certificates_with_and_without, of_each_design, render_pages_apart

#: Pages a shared style could get wrong: the same element with another style attribute (and a lang,
#: which WeasyPrint's own key kept instead), a table (WeasyPrint moves its margins onto its wrapper),
#: a body whose overflow WeasyPrint moves onto the page (setting the body's own to visible, in its
#: style object: a style handed to two documents would lose it), and a lang of its own.
_CSS = """
@page { size: A6; margin: 10mm }
body { font-family: "Noto Serif" }
.box { display: table; margin: 0 12mm; border: 1pt solid #333; width: 40mm }
.box p { display: table-cell; padding: 1mm }
.wide { white-space: nowrap }
"""
_PAGE = """<!DOCTYPE html><html lang="en"><head></head><body style="overflow: {overflow}">
<p class="name" lang="en" style="font-size: {size}pt">A name</p>
<div class="box" style="color: {colour}"><p>one</p><p>two</p></div>
<p class="name" lang="{lang}">Another line</p>
<p class="wide">A line far too long for this small page: what overflows is cut off, or not, by the body's overflow</p>
</body></html>"""


def test_pages_that_differ_only_in_styles_stay_apart(tmp_path):
    pages = [
        _PAGE.format(size=20, colour="#a00", overflow="hidden", lang="en"),
        _PAGE.format(size=9, colour="#0a0", overflow="visible", lang="mn"),
        _PAGE.format(size=20, colour="#a00", overflow="hidden", lang="en"),
        _PAGE.format(size=14, colour="#a00", overflow="hidden", lang="en"),
    ]
    module = "irdocs.render.speedups.sharedstyles"
    shared_state, shared = render_pages_apart(tmp_path / "shared", _CSS, pages, module, report="_count[0]")
    apart_state, apart = render_pages_apart(tmp_path / "apart", _CSS, pages, module, "IRDOCS_STYLES_PER_DOCUMENT")
    assert shared_state.startswith("installed ") and apart_state == "not installed"
    assert int(shared_state.split()[1]) > 0  # models were made, so later pages were given copies
    assert shared == apart
    assert shared[0] == shared[2] and shared[0] != shared[1] and shared[0] != shared[3]


def test_certificates_are_byte_identical_with_shared_styles(tmp_path, sample_records):
    """Several certificates of each design in one process: from the second one on, every style is a copy."""
    ids = of_each_design(sample_records, 3)
    shared, apart = certificates_with_and_without(tmp_path, ids, "irdocs.render.speedups.sharedstyles", "IRDOCS_STYLES_PER_DOCUMENT")
    assert len(ids) >= 10 and shared == apart


def test_fact_sheets_are_byte_identical_with_shared_styles(tmp_path, sample_dir):
    """A country's sheets in English and Mongolian, in one process (--jobs 1): the second is made of copies."""
    made = {}
    for name, switch_off in (("shared", None), ("apart", "IRDOCS_STYLES_PER_DOCUMENT")):
        env = {k: v for k, v in os.environ.items() if k not in WEASYPRINT_SWITCHES}
        if switch_off:
            env[switch_off] = "1"
        out = tmp_path / name
        command = ["irdocs", "build", "factsheets", "--where", "country=KR", "--where", "sheet=country", "--jobs", "1"]
        command += ["--records", str(sample_dir), "--out", str(out), "--date", "2026-11-27"]
        subprocess.run([sys.executable, "-m", "irdocs", *command[1:]], capture_output=True, text=True, env=env, check=True)
        made[name] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}
    assert sorted(made["shared"]) == ["factsheets/countries/kr.pdf", "factsheets/mn/countries/kr.pdf"]
    assert made["shared"] == made["apart"]
