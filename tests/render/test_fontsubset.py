"""irdocs/render/speedups/fontsubset.py: a certificate with a CJK name is about as small as one with a Latin name,
looks the same (pixel for pixel at 150 dpi, no tolerance) and has the same text; and
irdocs/render/speedups/__init__.py: the changes to WeasyPrint are made by one explicit step, each after checking
the source it replaces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, TEST_KEY, WEASYPRINT_SWITCHES, of_each_design, one_of_each_cjk_face, render_certificates_apart
from PIL import Image, ImageChops

#: Renders each honoree twice, with its native name and with its name in Latin letters in its
#: place (everything else the same), in a process of its own; prints what irdocs changed.
_RENDER_TWINS = """
import json, sys
from pathlib import Path
from irdocs import default_templates
from irdocs.documents.certificates.kind import CertificateMaker
from irdocs.records.validate import load_records
from irdocs.render.speedups import install_all

installed = install_all()
records = load_records(Path(sys.argv[1]))
maker = CertificateMaker(records.institution, records.root, default_templates() / "certificates")
out = Path(sys.argv[2])
by_id = {honoree.id: honoree for honoree in records.honorees}
for honoree_id in sys.argv[3:]:
    honoree = by_id[honoree_id]
    latin = honoree.model_copy(update={"native_name": honoree.full_name})
    for name, who in (("cjk", honoree), ("latin", latin)):
        (out / f"{honoree_id}-{name}.pdf").write_bytes(maker.pdf(who, "MNUMS-HD-2020-0001", "ABCDEFGHJK"))
print(json.dumps(installed))
"""


def _render_twins(folder: Path, ids: list[str], switch_off: str | None = None) -> tuple[dict, dict[str, Path]]:
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in WEASYPRINT_SWITCHES}
    if switch_off:
        env[switch_off] = "1"
    done = subprocess.run([sys.executable, "-c", _RENDER_TWINS, str(SAMPLE), str(folder), *ids], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout), {p.stem: p for p in sorted(folder.glob("*.pdf"))}


def _fonts(pdf: Path) -> list[list[str]]:
    """pdffonts' rows: [name, type..., encoding, emb, sub, uni, object, generation]."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return [line.split() for line in lines]


def _pixels(pdf: Path) -> Image.Image:
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(pdf.with_suffix(""))], check=True)
    return Image.open(pdf.with_suffix(".png")).convert("RGB")


@pytest.fixture(scope="module")
def twins(tmp_path_factory, sample_records):
    ids = one_of_each_cjk_face(sample_records)
    assert len(ids) == 4
    folder = tmp_path_factory.mktemp("twins")
    small = _render_twins(folder / "small", ids)
    whole = _render_twins(folder / "whole", ids, "IRDOCS_RETAIN_GLYPH_IDS")
    return ids, small, whole


def test_a_certificate_with_a_cjk_name_is_at_most_10_percent_larger(twins):
    ids, (installed, pdfs), _ = twins
    assert installed["fontsubset"]
    for honoree_id in ids:
        cjk, latin = pdfs[f"{honoree_id}-cjk"], pdfs[f"{honoree_id}-latin"]
        cjk_fonts = [row for row in _fonts(cjk) if "CJK" in row[0]]
        assert len(cjk_fonts) == 1, _fonts(cjk)
        assert cjk_fonts[0][1:5] == ["CID", "Type", "0C", "Identity-H"]  # the bare CFF program, codes as before
        assert cjk_fonts[0][5:8] == ["yes", "yes", "yes"]  # embedded, subset, with its text
        assert not [row for row in _fonts(latin) if "CJK" in row[0]]
        assert cjk.stat().st_size <= 1.10 * latin.stat().st_size, f"{honoree_id}: {cjk.stat().st_size} bytes against {latin.stat().st_size}"


def test_weasyprints_own_subsets_are_the_observation_of_the_issue(twins):
    """Without the change (WeasyPrint keeps every glyph number up to the highest used) a CJK name made
    the certificate about twice as large: the issue's 97 to 157 KB against 53 KB."""
    ids, _, (installed, pdfs) = twins
    assert not installed["fontsubset"]
    for honoree_id in ids:
        assert pdfs[f"{honoree_id}-cjk"].stat().st_size > 1.5 * pdfs[f"{honoree_id}-latin"].stat().st_size


def test_the_pages_and_the_text_are_the_same_with_small_subsets(twins, sample_records):
    ids, (_, small), (_, whole) = twins
    names = {h.id: h.native_name for h in sample_records.honorees}
    for honoree_id in ids:
        for name in ("cjk", "latin"):
            a, b = _pixels(small[f"{honoree_id}-{name}"]), _pixels(whole[f"{honoree_id}-{name}"])
            assert a.size == b.size
            assert ImageChops.difference(a, b).getbbox() is None, f"{honoree_id} ({name}): the page differs"
        text = subprocess.run(["pdftotext", str(small[f"{honoree_id}-cjk"]), "-"], capture_output=True, text=True, check=True).stdout
        assert names[honoree_id] in text
        # a Latin name uses no CJK face: its certificate is the same bytes as before
        assert small[f"{honoree_id}-latin"].read_bytes() == whole[f"{honoree_id}-latin"].read_bytes()


def test_small_subsets_are_the_same_bytes_in_any_order(tmp_path, sample_records):
    ids = one_of_each_cjk_face(sample_records)[:2]
    _, forwards = _render_twins(tmp_path / "forwards", ids)
    _, backwards = _render_twins(tmp_path / "backwards", ids[::-1])
    assert {k: p.read_bytes() for k, p in forwards.items()} == {k: p.read_bytes() for k, p in backwards.items()}


def test_the_changes_are_made_by_one_explicit_step_only():
    """Making a renderer and writing a PDF changes nothing in WeasyPrint; install_all() does, once."""
    script = """
import json
from pathlib import Path
from irdocs.render import PdfRenderer
from irdocs.render.speedups import install_all, installed_all

renderer = PdfRenderer(Path("templates/certificates"), Path("records"), pdf_variant=None)
renderer.write_pdf(renderer.render_document("<p>山田</p>"), "x")
before = installed_all()
print(json.dumps([before, install_all(), install_all()]))
"""
    env = {k: v for k, v in os.environ.items() if k not in WEASYPRINT_SWITCHES}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, env=env, check=True)
    before, first, again = json.loads(done.stdout)
    assert not any(before.values()), before
    assert all(first.values()) and first == again, first


def test_a_changed_weasyprint_function_stops_with_a_message_naming_it():
    from irdocs.errors import ConfigError
    from irdocs.render.speedups import expect_source, source_digest

    name = "weasyprint.pdf.fonts.Font.subset"
    expect_source(name, source_digest(name))  # the installed one: no error
    with pytest.raises(ConfigError) as error:
        expect_source(name, "000000000000")  # as if WeasyPrint had changed it
    message = str(error.value)
    assert name in message and "pip install 'weasyprint==70.0'" in message and "IRDOCS_PLAIN_WEASYPRINT" in message
    assert "\n" not in message


def test_each_change_checked_the_functions_it_replaces():
    """Fails after a WeasyPrint or pydyf upgrade that changed a function a module replaces: check the
    module (its tests), then update its CHECKED_SOURCES. (In a process of its own: in this one the
    functions may be irdocs' already.)"""
    script = """
import json
from importlib import import_module
from irdocs.render.speedups import PATCHES, source_digest

print(json.dumps({name: [digest, source_digest(name)] for module in PATCHES for name, digest in import_module("irdocs.render.speedups." + module).CHECKED_SOURCES.items()}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    checked = json.loads(done.stdout)
    assert len(checked) >= 8
    assert {name: pair[1] for name, pair in checked.items()} == {name: pair[0] for name, pair in checked.items()}


def test_the_pins_match_the_checked_releases():
    import tomllib

    from irdocs.render.speedups import CHECKED_PYDYF, CHECKED_WEASYPRINT

    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert "weasyprint>=70,<71" in dependencies and CHECKED_WEASYPRINT.startswith("70.")
    assert "pydyf>=0.13,<0.14" in dependencies and CHECKED_PYDYF.startswith("0.13.")


def test_irdocs_certificate_fails_plainly_when_weasyprint_changed(tmp_path):
    """As after an upgrade to a WeasyPrint whose Font.subset is not the one checked: the certificate
    fails with a message naming the function and what to do (no traceback), nothing is written and
    no serial is issued."""
    import shutil
    import sqlite3

    records = tmp_path / "records"
    shutil.copytree(SAMPLE, records, ignore=shutil.ignore_patterns("register.sqlite3", ".irdocs.lock"))
    script = """
import sys
import irdocs.render.speedups.fontsubset
irdocs.render.speedups.fontsubset.CHECKED_SOURCES["weasyprint.pdf.fonts.Font.subset"] = "000000000000"
from irdocs.cli import main
sys.argv = ["irdocs", *sys.argv[1:]]
main()
"""
    env = {k: v for k, v in os.environ.items() if k not in WEASYPRINT_SWITCHES}
    env.update(IRDOCS_KEY=TEST_KEY, XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run(
        [sys.executable, "-c", script, "certificate", "hp-1980-003", "--records", str(records), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode != 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    message = next(line for line in done.stderr.splitlines() if "weasyprint.pdf.fonts.Font.subset" in line)
    assert "pip install 'weasyprint==70.0'" in message and "IRDOCS_PLAIN_WEASYPRINT" in message
    assert not list(tmp_path.rglob("*.pdf"))
    if (records / "register.sqlite3").exists():
        with sqlite3.connect(records / "register.sqlite3") as register:
            assert register.execute("select count(*) from serials").fetchone()[0] == 0


def test_a_subset_asked_again_is_the_one_made_before(tmp_path, sample_records):
    """Certificates of every design in turn in one process: the fonts of their fixed texts are
    subset once and the same subset given to the next ones; the PDFs are byte for byte those made
    with every subset made anew (IRDOCS_SUBSET_EVERY_TIME)."""
    ids = of_each_design(sample_records, 3)
    kept_state, kept = render_certificates_apart(tmp_path / "kept", ids, "irdocs.render.speedups.fontsubset")
    anew_state, anew = render_certificates_apart(tmp_path / "anew", ids, "irdocs.render.speedups.fontsubset", "IRDOCS_SUBSET_EVERY_TIME")
    assert kept_state == anew_state == "installed"
    assert len(kept) == len(ids) >= 10 and kept == anew
