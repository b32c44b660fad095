"""irdocs/render/speedups/fixedboxes.py: a page's fixed parts are laid out once per process when the
same; the documents are byte for byte what WeasyPrint makes laying them out every time."""

from __future__ import annotations

from conftest import certificates_with_and_without, of_each_design, render_pages_apart

_CSS = """
@page { size: A6; margin: 10mm }
body { font-family: "Noto Serif"; font-size: 9pt }
.foot { position: fixed; left: 0; right: 0; bottom: 0; text-align: center; border-top: 0.5pt solid #333 }
.follow { position: fixed; left: 5mm; color: #a00 }
.corner { position: fixed; right: 0; top: 0 }
.inner { position: fixed; left: 0; top: 20mm }
.dark .foot { color: #a00 }
"""

#: A fixed footer the same on every page (but in another colour in a body of another class: the
#: same element, not the same style), one whose place follows the text (top and bottom both auto:
#: its static position), one whose text or style differs, and one holding another fixed part.
_PAGE = """<!DOCTYPE html><html lang="en"><body class="{body}">
{lines}
<div class="foot"><p>Rector · Ректор</p><p>Chair of the Council</p></div>
<div class="follow">after the text</div>
<div class="corner" style="font-size: {size}pt">{corner}</div>
<div class="corner" style="top: 30mm">outer <span class="inner">inner</span></div>
</body></html>"""


def test_fixed_parts_kept_only_where_their_layout_is_the_same(tmp_path):
    def page(lines: int, size: int = 8, corner: str = "A", body: str = "") -> str:
        return _PAGE.format(lines="\n".join(f"<p>Line {n}</p>" for n in range(lines)), size=size, corner=corner, body=body)

    # each part is kept once seen twice, then given to the pages after: with its own key only
    pages = [page(3), page(3), page(8), page(8, 12), page(8, 12, "B"), page(8, 12), page(3), page(8), page(3, body="dark")]
    kept_state, kept = render_pages_apart(tmp_path / "kept", _CSS, pages, "irdocs.render.speedups.fixedboxes")
    apart_state, apart = render_pages_apart(tmp_path / "apart", _CSS, pages, "irdocs.render.speedups.fixedboxes", "IRDOCS_LAYOUT_EVERY_TIME")
    assert (kept_state, apart_state) == ("installed", "not installed")
    assert kept == apart
    assert kept[0] == kept[1] == kept[6] and kept[2] == kept[7] and kept[3] == kept[5] and len({kept[0], kept[2], kept[3], kept[4], kept[8]}) == 5


def test_certificates_are_byte_identical_with_fixed_parts_kept(tmp_path, sample_records):
    """Several certificates of each design in one process: from the second one on, the signatures
    and the Mongol-script bands are the ones kept."""
    ids = of_each_design(sample_records, 4)
    kept, apart = certificates_with_and_without(tmp_path, ids, "irdocs.render.speedups.fixedboxes", "IRDOCS_LAYOUT_EVERY_TIME")
    assert len(ids) >= 12 and kept == apart
