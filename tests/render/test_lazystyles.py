"""irdocs/render/speedups/lazystyles.py: the styles of list markers and footnotes are worked out when a box asks for
them, not for every element; the documents are byte for byte the same."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import WEASYPRINT_SWITCHES, one_of_each_cjk_face, render_certificates_apart

_RENDER_HTML = """
import sys
from pathlib import Path
from weasyprint import HTML
from irdocs.render.speedups import install_all
import weasyprint.css as css

install_all()
made = []
original = css.ComputedStyle.__init__
def counted(self, *args, **kwargs):
    made.append(args[1] if len(args) > 1 else None)
    original(self, *args, **kwargs)
css.ComputedStyle.__init__ = counted
html = Path(sys.argv[1]).read_text(encoding="utf-8")
Path(sys.argv[2]).write_bytes(HTML(string=html).write_pdf(pdf_identifier=b"x", pdf_variant="pdf/a-3u"))
print(len(made))
"""

#: Lists (markers), a footnote (its call and marker), a numbered list inside a footnote.
HTML = """<!DOCTYPE html><html lang="en"><head><style>
@page { size: A5; margin: 15mm }
.note { float: footnote }
ol li::marker { color: #a00 }
li.big::marker { font-size: 20pt }
</style></head><body>
<h1>Lists and notes</h1>
<ul><li>one</li><li class="big">two</li><li>three<ol><li>a</li><li>b</li></ol></li></ul>
<p>A sentence with a note<span class="note">The note's text, with <b>bold</b>.</span> and more text.</p>
<ol start="7"><li>seven</li><li class="big">eight</li></ol>
<p>Plain text, no list at all.</p>
</body></html>"""


def _render(tmp_path, name: str, switch_off: str | None) -> tuple[bytes, int]:
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in WEASYPRINT_SWITCHES}
    if switch_off:
        env[switch_off] = "1"
    out = tmp_path / f"{name}.pdf"
    done = subprocess.run([sys.executable, "-c", _RENDER_HTML, str(page), str(out)], capture_output=True, text=True, env=env, check=True)
    return out.read_bytes(), int(done.stdout.strip())


def test_certificates_are_byte_identical_with_lazy_styles(tmp_path, sample_records):
    designs: dict[str, str] = {}
    for honoree in sample_records.honorees:
        designs.setdefault(honoree.title, honoree.id)
    ids = [*designs.values(), *one_of_each_cjk_face(sample_records)[:2]]
    lazy_state, lazy = render_certificates_apart(tmp_path / "lazy", ids, "irdocs.render.speedups.lazystyles")
    eager_state, eager = render_certificates_apart(tmp_path / "eager", ids, "irdocs.render.speedups.lazystyles", "IRDOCS_EAGER_STYLES")
    assert (lazy_state, eager_state) == ("installed", "not installed")
    assert sorted(lazy) == sorted(set(ids)) and len(designs) == 3
    assert lazy == eager


def test_lists_and_footnotes_are_byte_identical_and_fewer_styles_are_made(tmp_path):
    lazy, lazy_styles = _render(tmp_path, "lazy", None)
    eager, eager_styles = _render(tmp_path, "eager", "IRDOCS_EAGER_STYLES")
    assert lazy == eager
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=lazy, capture_output=True, check=True).stdout.decode()
    assert all(marker in text for marker in ("• one", "1. a", "2. b", "note1", "1. The note's text", "2.   eight")), text  # the markers and the note are drawn
    # 30 elements: six pseudo-elements each were made up front; now only those asked for
    assert lazy_styles < eager_styles / 2, (lazy_styles, eager_styles)
