"""irdocs/render/speedups/drawings.py: a certificate's frame is drawn once per process and reused, and the pages look
exactly as when WeasyPrint draws it every time (compared pixel for pixel, in poppler)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from conftest import render_certificates_apart
from PIL import Image, ImageChops
from pypdf import PdfReader


def _one_of_each_design(records) -> list[str]:
    chosen: dict[str, str] = {}
    for honoree in records.honorees:
        chosen.setdefault(honoree.title, honoree.id)
    return list(chosen.values())


def _pixels(tmp_path: Path, data: bytes, name: str) -> Image.Image:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(tmp_path / name)], check=True)
    return Image.open(tmp_path / f"{name}.png").convert("RGB")


def _forms(data: bytes) -> list[str]:
    """Names of the drawings reused as forms, on the page and in its groups."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    names: list[str] = []
    pending = [page["/Resources"]]
    while pending:
        resources = pending.pop()
        for key, value in (resources.get("/XObject") or {}).items():
            names += [key] if key.startswith("/irdocs") else []
            inner = value.get_object().get("/Resources")
            if inner is not None:
                pending.append(inner.get_object())
    return names


def test_the_pages_are_the_same_pixels_with_the_frame_drawn_once(tmp_path, sample_records):
    ids = _one_of_each_design(sample_records)
    assert len(ids) == 3
    kept_state, kept = render_certificates_apart(tmp_path / "kept", ids, "irdocs.render.speedups.drawings")
    every_state, every = render_certificates_apart(tmp_path / "every", ids, "irdocs.render.speedups.drawings", "IRDOCS_DRAW_EVERY_TIME")
    assert (kept_state, every_state) == ("installed", "not installed")
    for honoree_id in ids:
        assert len(_forms(kept[honoree_id])) == 2, "the frame and the emblem are reused drawings (the QR code is drawn each time)"
        assert _forms(every[honoree_id]) == []
        a, b = _pixels(tmp_path, kept[honoree_id], f"kept-{honoree_id}"), _pixels(tmp_path, every[honoree_id], f"every-{honoree_id}")
        assert a.size == b.size
        assert ImageChops.difference(a, b).getbbox() is None, f"{honoree_id}: the page differs where the drawing was reused"


def test_the_first_use_and_later_uses_give_the_same_bytes(tmp_path, sample_records):
    """Which certificate a build worker happens to render first must not change any file."""
    same_design = [h.id for h in sample_records.honorees if h.title == "honorary-doctorate"][:2]
    first, second = same_design
    _, forwards = render_certificates_apart(tmp_path / "forwards", [first, second], "irdocs.render.speedups.drawings")
    _, backwards = render_certificates_apart(tmp_path / "backwards", [second, first], "irdocs.render.speedups.drawings")
    assert forwards == backwards


def test_pictures_with_text_are_drawn_each_time_with_their_font(tmp_path):
    from irdocs.render import PdfRenderer
    from irdocs.render.speedups import install_all

    install_all()

    picture = tmp_path / "badge.svg"
    picture.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><rect width="60" height="20" fill="#036"/>'
        '<text x="4" y="15" font-family="Noto Serif" font-size="12" fill="#fff">Badge</text></svg>'
    )
    plain = tmp_path / "plain.svg"
    plain.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><rect width="60" height="20" fill="#630"/></svg>')
    renderer = PdfRenderer(tmp_path, tmp_path, pdf_variant=None)
    try:
        pages = []
        for _ in range(2):
            document = renderer.render_document('<img src="badge.svg"><img src="plain.svg"><img src="plain.svg">', tmp_path)
            pages.append(renderer.write_pdf(document, "drawings test"))
    finally:
        renderer.close()
    assert pages[0] == pages[1]
    assert len(_forms(pages[0])) == 2  # the plain picture, twice on the page; the badge is drawn as usual
    assert "Badge" in PdfReader(io.BytesIO(pages[0])).pages[0].extract_text()


def test_the_change_is_in_place_on_the_installed_weasyprint():
    """Fails after a WeasyPrint upgrade that changed what drawings.py replaces: check it (this file's
    tests), then update its CHECKED_SOURCES."""
    from irdocs.render.speedups.drawings import install, installed

    assert install() and installed()
