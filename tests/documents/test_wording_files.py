"""Wording is data: the designs' sentences and sizes live in files under templates/, not in code.

The office changes a sentence of a certificate or a fact sheet in a text file and the next document
says it; a mistake in that file is one error naming ``file:line``; the sizes the code fits the
names to are read from the design's CSS; and a Word template edited and saved in Word still builds.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def sample():
    from irdocs.records.validate import load_records

    return load_records(SAMPLE, today=AS_OF)


@pytest.fixture
def templates(tmp_path) -> Path:
    """A copy of irdocs' templates folder, as a department would keep its own (--templates)."""
    target = tmp_path / "templates"
    shutil.copytree(REPO / "templates", target)
    return target


def _certificate_html(sample, designs: Path, honoree_id: str = "hd-2024-001") -> str:
    from irdocs.documents.certificates.kind import CertificateMaker

    maker = CertificateMaker(sample.institution, sample.root, designs)
    try:
        return maker.html(sample.honorees_by_id[honoree_id], "MNUMS-HD-2024-0001", "ABCDEFGHJK")
    finally:
        maker.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- certificates


def test_no_certificate_sentence_is_written_in_the_code():
    """The words a certificate prints are in templates/certificates/wording.yaml, none in the module."""
    import irdocs.documents.certificates.context as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    wording = (REPO / "templates" / "certificates" / "wording.yaml").read_text(encoding="utf-8")
    for sentence in ("Эрдмийн зөвлөлийн шийдвэрээр", "By resolution of its Academic Council", "Бүртгэлийн дугаар", "Serial number"):
        assert sentence in wording
        assert sentence not in source


def test_a_sentence_changed_in_the_wording_file_is_on_the_certificate(sample, templates):
    designs = templates / "certificates"
    _edit(
        designs / "wording.yaml",
        "By resolution of its Academic Council the University confers upon",
        "On the decision of its Academic Council the University confers upon",
    )
    html = _certificate_html(sample, designs)
    assert "On the decision of its Academic Council" in html
    assert "By resolution" not in html


def test_a_mistake_in_the_wording_file_names_the_file_and_line(sample, templates):
    from irdocs.errors import TemplateError

    designs = templates / "certificates"
    lines = (designs / "wording.yaml").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip() == "serial_label:")
    lines[number] = lines[number].replace("mn:", "mongolian:")  # the line after: its Mongolian text
    (designs / "wording.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        _certificate_html(sample, designs)
    message = str(caught.value)
    assert message.startswith(f"templates/certificates/wording.yaml:{number + 1}:") or f"wording.yaml:{number + 1}:" in message, message
    assert "mongolian" in message


def test_the_certificate_command_reports_a_broken_wording_file_in_one_line(templates, tmp_path, monkeypatch, keyed):
    from click.testing import CliRunner

    from irdocs.cli import main

    (templates / "certificates" / "wording.yaml").write_text("titles: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["certificate", "hd-2024-001", "--records", str(SAMPLE), "--templates", str(templates), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "wording.yaml:" in result.output and "Traceback" not in result.output
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_the_name_sizes_are_read_from_the_css(sample, templates):
    """--name-sizes in certificate.css decide how large the honoree's name is set."""
    import re

    designs = templates / "certificates"
    before = re.search(r'class="name[^"]*"[^>]*style="font-size: ([0-9.]+)pt', _certificate_html(sample, designs))
    assert before and float(before.group(1)) == 34.0
    _edit(designs / "certificate.css", "--name-sizes: 34pt 13pt;", "--name-sizes: 28pt 13pt;")
    after = re.search(r'class="name[^"]*"[^>]*style="font-size: ([0-9.]+)pt', _certificate_html(sample, designs))
    assert after and float(after.group(1)) == 28.0


def test_the_name_box_follows_the_page_margins(templates):
    from irdocs.documents.certificates.context import design_sizes, stylesheets

    designs = templates / "certificates"
    wide = design_sizes(stylesheets(designs, "honorary-doctorate"))
    assert wide.name_box == pytest.approx(236 / 25.4 * 72)
    _edit(designs / "certificate.css", "margin: 23mm 30.5mm 21mm;", "margin: 23mm 40.5mm 21mm;")
    assert design_sizes(stylesheets(designs, "honorary-doctorate")).name_box == pytest.approx(216 / 25.4 * 72)


# --------------------------------------------------------------------------- fact sheets


def _department(sample, templates: Path | None, language: str = "en") -> dict:
    from irdocs.documents.factsheets.charts import ChartCache
    from irdocs.documents.factsheets.context import Emblem, department_context

    return department_context(sample, language, AS_OF, ChartCache(), Emblem("", None), templates_dir=templates)


def test_no_fact_sheet_sentence_is_written_in_the_code():
    import irdocs.documents.factsheets.context as context
    import irdocs.documents.wording as wording

    texts = (REPO / "templates" / "factsheets" / "texts.yaml").read_text(encoding="utf-8")
    for module in (context, wording):
        source = Path(module.__file__).read_text(encoding="utf-8")
        for sentence in ("Memoranda of understanding and agreements have been signed with", "Түүхэн товчоо", "partner organizations", "түнш байгууллага"):
            assert sentence in texts
            assert f'"{sentence}' not in source, f"{sentence!r} is still in {module.__name__}"


def test_a_sentence_changed_in_the_texts_file_is_on_the_fact_sheet(sample, templates):
    _edit(templates / "factsheets" / "texts.yaml", "Memoranda of understanding and agreements have been signed with", "The university has agreements with")
    _edit(templates / "factsheets" / "texts.yaml", "  history:\n    en: History\n", "  history:\n    en: Our history\n")
    context = _department(sample, templates)
    assert context["partners"]["sentence"].startswith("The university has agreements with 34 organizations from Japan")
    assert context["labels"]["history"] == "Our history"
    assert _department(sample, None)["labels"]["history"] == "History"  # irdocs' own texts are untouched


def test_a_field_the_code_does_not_give_names_the_texts_file_and_line(sample, templates):
    from irdocs.errors import TemplateError

    path = templates / "factsheets" / "texts.yaml"
    _edit(path, "As of {date}", "As of {day}")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "As of {day}" in text)
    with pytest.raises(TemplateError) as caught:
        _department(sample, templates)
    assert f"texts.yaml:{line}:" in str(caught.value)
    assert "{day}" in str(caught.value) and "{date}" in str(caught.value)


def test_counted_nouns_come_from_the_texts_file(sample, templates):
    _edit(templates / "factsheets" / "texts.yaml", "other: partner organizations", "other: partner institutions")
    figures = _department(sample, templates)["key_figures"]
    assert any(f["label"] == "partner institutions" for f in figures)


# --------------------------------------------------------------------------- Word templates edited in Word


def _edit_in_word(path: Path) -> str:
    """What an office worker does in Word: another font for the body text, a fixed sentence added; saved."""
    from docx import Document
    from docx.shared import Pt

    document = Document(str(path))
    normal = document.styles["Normal"]
    normal.font.name = "Noto Serif"
    normal.font.size = Pt(10.5)
    first = document.paragraphs[0]
    added = "Prepared by the Department for International Relations."
    first.insert_paragraph_before(added, style=normal)
    document.save(str(path))
    return added


def test_an_agreement_template_edited_in_word_still_builds(templates, tmp_path, sample):
    from docx import Document

    from irdocs.documents.agreements.kind import Drafter

    added = _edit_in_word(templates / "agreements" / "agreement.docx")
    drafter = Drafter(sample, templates_dir=templates, draft_date=AS_OF)
    agreement = sample.agreements[0]
    target = tmp_path / "draft.docx"
    target.write_bytes(drafter.render(agreement, "en"))
    document = Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert added in texts
    assert document.styles["Normal"].font.name == "Noto Serif"
    assert any("{{" in t for t in texts) is False


def test_a_fact_sheet_template_edited_in_word_still_builds(templates, tmp_path):
    from click.testing import CliRunner
    from docx import Document

    from irdocs.cli import main

    added = _edit_in_word(templates / "factsheets" / "department.docx")
    result = CliRunner().invoke(
        main,
        ["factsheet", "department", "--records", str(SAMPLE), "--templates", str(templates), "--out", str(tmp_path / "out"), "--as-of", AS_OF.isoformat()],
    )
    assert result.exit_code == 0, result.output
    document = Document(str(tmp_path / "out" / "factsheets" / "department.docx"))
    assert added in [p.text for p in document.paragraphs]
    assert document.styles["Normal"].font.name == "Noto Serif"
