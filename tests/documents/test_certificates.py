"""Honorary title certificates, from real PDFs: layout, text, fonts, QR verification, register, ceremony."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from irdocs.cli import main
from irdocs.documents.certificates.register import Register, register_path
from irdocs.documents.certificates.verify import make_code, verification_url, verify, verify_pdf
from tests.conftest import (
    REPO,
    SAMPLE,
    TEST_KEY,
)

KEY = TEST_KEY
A4_LANDSCAPE = (841.89, 595.28)

#: One sample of each design, with native names in Korean, Russian and Japanese, and a Chinese one.
SAMPLES = {
    "hd-2024-001": ("honorary-doctorate", "Park Hyunwoo", "박현우", "ko", ("Doctor honoris causa", "Хүндэт доктор")),
    "hp-2024-001": ("honorary-professor", "Dmitry Kuznetsov", "Кузнецов Дмитрий", "ru", ("Honorary Professor", "Хүндэт профессор")),
    "vp-2024-001": ("visiting-professor", "Yamada Naoko", "山田 直子", "ja", ("Visiting Professor", "Зочин профессор")),
    "hp-2025-003": ("honorary-professor", "Li Ming", "李明", "zh-Hans", ("Honorary Professor", "Хүндэт профессор")),
}
CJK_FONT = {"ko": "Noto-Serif-CJK-KR", "ja": "Noto-Serif-CJK-JP", "zh-Hans": "Noto-Serif-CJK-SC"}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def flat(text: str) -> str:
    return " ".join(text.split())


def page_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def embedded_fonts(path: Path) -> dict[str, bool]:
    """Base font name (subset tag removed) -> whether its program is embedded."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            fonts[name] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def new_folder(base: Path, honorees_csv: str | None = None) -> Path:
    """A copy of the sample records (or of its institution with other honorees) under ``base``."""
    target = base / "records"
    if honorees_csv is None:
        shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns(".irdocs.lock", "register.sqlite3*"))
    else:
        target.mkdir(parents=True)
        for name in ("institution.yaml", "emblem.svg"):
            shutil.copy(SAMPLE / name, target)
        (target / "partners.yaml").write_text("partners: []\n", encoding="utf-8")
        (target / "agreements.yaml").write_text("agreements: []\n", encoding="utf-8")
        (target / "honorees.csv").write_text(honorees_csv, encoding="utf-8")
    return target


@pytest.fixture
def env(tmp_path, monkeypatch, keyed):
    """A scratch working folder with its own key and configuration folder (conftest's ``keyed``)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """The four sample certificates, made once by ``irdocs certificate`` in a copy of the sample records."""
    base = tmp_path_factory.mktemp("issued")
    records = new_folder(base)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(base)
        mp.setenv("IRDOCS_KEY", KEY)
        mp.setenv("XDG_CONFIG_HOME", str(base / "config"))
        mp.delenv("IRDOCS_RECORDS", raising=False)
        result = invoke("certificate", *SAMPLES)
    assert result.exit_code == 0, result.output
    with Register(register_path(records)) as reg:
        entries = {hid: reg.current(hid) for hid in SAMPLES}
    return {"base": base, "records": records, "result": result, "entries": entries}


def pdf_of(issued, honoree_id: str) -> Path:
    return issued["base"] / "out" / "certificates" / f"{issued['entries'][honoree_id].serial}.pdf"


# --------------------------------------------------------------------------- each design


@pytest.mark.parametrize("honoree_id", list(SAMPLES))
def test_certificate_is_one_a4_landscape_page_with_names_title_and_serial(issued, honoree_id):
    kind, latin, native, _lang, titles = SAMPLES[honoree_id]
    path = pdf_of(issued, honoree_id)
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_LANDSCAPE[0], abs=1)
    assert float(box.height) == pytest.approx(A4_LANDSCAPE[1], abs=1)
    text = flat(page_text(path))
    serial = issued["entries"][honoree_id].serial
    assert serial.startswith(f"MNUMS-{ {'honorary-doctorate': 'HD', 'honorary-professor': 'HP', 'visiting-professor': 'VP'}[kind] }-20")
    for expected in (latin, native, serial):
        assert expected in text
    title_en, title_mn = titles
    assert title_en in text
    assert title_mn.casefold() in text.casefold()  # printed in capitals


@pytest.mark.parametrize("honoree_id", list(SAMPLES))
def test_fonts_are_embedded_noto_and_the_native_name_has_its_language_glyphs(issued, honoree_id):
    fonts = embedded_fonts(pdf_of(issued, honoree_id))
    assert all(fonts.values()), fonts
    # The placeholder emblem's label is set in Noto Sans; everything else in the design's serif fonts.
    assert all(name.startswith("Noto-") for name in fonts), fonts
    assert {"Noto-Serif", "Noto-Serif-Display"} <= set(fonts)
    lang = SAMPLES[honoree_id][3]
    if lang in CJK_FONT:
        assert CJK_FONT[lang] in fonts, fonts
        assert not any("Sans-CJK" in name for name in fonts), fonts


def test_no_weasyprint_warning_and_each_serial_reported(issued, tmp_path):
    from irdocs.documents.certificates.kind import CertificateMaker
    from irdocs.records.validate import load_records

    records = load_records(issued["records"])
    batch = CertificateMaker(records.institution, records.root)
    honoree = records.honorees_by_id["hp-2025-003"]
    entry = issued["entries"]["hp-2025-003"]
    batch.render(honoree, entry.serial, entry.code)
    assert batch.warnings == []
    # The collector does catch WeasyPrint's warnings (here: an unknown CSS property).
    batch.renderer.render_document("<p style='colour: red'>x</p>")
    assert batch.warnings and "colour" in " ".join(batch.warnings)

    result = issued["result"]
    assert "warning" not in result.output.lower()
    for entry in issued["entries"].values():
        assert entry.serial in result.output
    assert "new serial" in result.output


def test_metadata_carries_serial_code_and_award_date_and_pdfa(issued):
    path = pdf_of(issued, "hd-2024-001")
    entry = issued["entries"]["hd-2024-001"]
    info = PdfReader(str(path)).metadata
    assert info["/irdocsserial"] == entry.serial
    assert info["/irdocscode"] == entry.code
    assert info["/CreationDate"].startswith("D:20240515")
    xmp = PdfReader(str(path)).xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "U")  # PDF/A-3u


def test_the_register_keeps_each_file_sha256(issued):
    with Register(register_path(issued["records"])) as reg:
        for honoree_id, entry in issued["entries"].items():
            digest = hashlib.sha256(pdf_of(issued, honoree_id).read_bytes()).hexdigest()
            assert reg.files(entry.serial) == [digest]


def test_the_register_file_is_git_ignored():
    repo = REPO
    if not (repo / ".git").exists():
        pytest.skip("not a git checkout")
    for name in ("records/register.sqlite3", "records/register.sqlite3-journal", "verification.key"):
        assert subprocess.run(["git", "check-ignore", "-q", name], cwd=repo).returncode == 0, name


# --------------------------------------------------------------------------- QR and verification


def test_qr_code_decodes_to_the_verification_url_and_verifies(issued, tmp_path, monkeypatch):
    honoree_id = "hp-2025-003"
    entry = issued["entries"][honoree_id]
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf_of(issued, honoree_id)), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == verification_url("https://verify.mnums.edu.mn/verify", entry.serial, entry.code)
    assert decoded == f"https://verify.mnums.edu.mn/verify/{entry.serial}?c={entry.code}"

    monkeypatch.chdir(issued["base"])
    monkeypatch.setenv("IRDOCS_KEY", KEY)
    for args in ((decoded,), (entry.serial, entry.code), (str(pdf_of(issued, honoree_id)),)):
        result = invoke("verify", *args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"valid: {entry.serial}: Honorary Professor, Li Ming (李明), awarded 19 October 2025")


def test_a_changed_name_is_rejected(issued, tmp_path, monkeypatch):
    entry = issued["entries"]["hd-2024-001"]
    forged = make_code(KEY.encode(), entry.serial, entry.content.__class__(**{**entry.content.__dict__, "name": "Parker Hyunwoo"}))
    with Register(register_path(issued["records"])) as reg:
        assert verify(reg, KEY.encode(), entry.serial, forged).status == "altered"
        assert verify(reg, KEY.encode(), entry.serial, entry.code).status == "valid"

    # An insider's forgery: the same serial, a changed name and a code made with the real key.
    from irdocs.documents.certificates.kind import CertificateMaker
    from irdocs.records.validate import load_records

    records = load_records(issued["records"])
    honoree = records.honorees_by_id["hd-2024-001"].model_copy(update={"family_name": "Parker"})
    fake = entry.__class__(**{**entry.__dict__, "name": honoree.display_name, "code": forged})
    batch = CertificateMaker(records.institution, records.root)
    data = batch.renderer.write_pdf(batch.render(honoree, fake.serial, fake.code), fake.serial)
    forged_pdf = tmp_path / "forged.pdf"
    forged_pdf.write_bytes(data)
    assert "Parker Hyunwoo" in page_text(forged_pdf)
    with Register(register_path(issued["records"])) as reg:
        verdict = verify_pdf(reg, KEY.encode(), forged_pdf)
    assert verdict.status == "altered"

    monkeypatch.chdir(issued["base"])
    monkeypatch.setenv("IRDOCS_KEY", KEY)
    result = invoke("verify", str(forged_pdf))
    assert result.exit_code == 1
    assert result.output.startswith(f"altered: {entry.serial}: the code does not match")
    result = invoke("verify", entry.serial, forged)
    assert result.exit_code == 1 and result.output.startswith("altered:")
    result = invoke("verify", "MNUMS-HD-2024-0999", entry.code)
    assert result.exit_code == 1 and result.output.startswith("unknown: MNUMS-HD-2024-0999")


def test_a_revoked_serial_is_rejected_and_reissue_supersedes_it(env):
    new_folder(env)
    assert invoke("certificate", "vp-2025-001").exit_code == 0
    with Register(register_path(env / "records")) as reg:
        entry = reg.current("vp-2025-001")
    pdf = env / "out" / "certificates" / f"{entry.serial}.pdf"
    assert invoke("verify", str(pdf)).output.startswith("valid:")

    result = invoke("register", "revoke", entry.serial, "--reason", "awarded in error")
    assert result.exit_code == 0 and "revoked: awarded in error" in result.output
    for args in ((str(pdf),), (entry.serial, entry.code)):
        result = invoke("verify", *args)
        assert result.exit_code == 1
        assert result.output.startswith(f"revoked: {entry.serial}: revoked on ")
        assert "awarded in error" in result.output
    # No reprint of a revoked certificate: it must be reissued.
    result = invoke("certificate", "vp-2025-001")
    assert result.exit_code == 1 and f"irdocs register reissue {entry.serial}" in result.output

    result = invoke("register", "reissue", entry.serial)
    assert result.exit_code == 0, result.output
    assert f"{entry.serial} is superseded by MNUMS-VP-2025-0002" in result.output
    assert invoke("verify", entry.serial, entry.code).output.startswith(f"revoked: {entry.serial}: superseded by MNUMS-VP-2025-0002")
    assert invoke("verify", str(env / "out" / "certificates" / "MNUMS-VP-2025-0002.pdf")).output.startswith("valid:")

    listing = invoke("register", "list").output
    assert "superseded" in listing and "MNUMS-VP-2025-0002" in listing
    export = invoke("register", "export", "--csv").output.splitlines()
    assert export[0].startswith("serial,honoree_id,kind,kind_code,year,sequence,")
    assert export[1].startswith(f"{entry.serial},vp-2025-001,visiting-professor,VP,2025,1,")
    assert ",superseded,awarded in error,MNUMS-VP-2025-0002," in export[1]
    with Register(register_path(env / "records")) as reg:
        assert [a["action"] for a in reg.audit()] == ["issue", "file", "revoke", "reissue", "supersede", "file"]


def test_reprint_keeps_the_serial_and_the_bytes(env):
    new_folder(env)
    assert invoke("certificate", "hp-2025-001").exit_code == 0
    pdf = env / "out" / "certificates" / "MNUMS-HP-2025-0001.pdf"
    first = pdf.read_bytes()
    pdf.unlink()
    result = invoke("certificate", "hp-2025-001")
    assert "MNUMS-HP-2025-0001, reprint" in result.output
    assert pdf.read_bytes() == first  # byte-identical: nothing of the clock is in the file

    # A corrected name does not silently keep the old serial.
    csv = env / "records" / "honorees.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("hp-2025-001,honorary-professor,Ito,", "hp-2025-001,honorary-professor,Itoh,"), encoding="utf-8")
    result = invoke("certificate", "hp-2025-001")
    assert result.exit_code == 1
    assert "honoree hp-2025-001: the name changed since certificate MNUMS-HP-2025-0001 was issued" in result.output
    assert "irdocs register reissue MNUMS-HP-2025-0001" in result.output


# --------------------------------------------------------------------------- serial uniqueness

ISSUER = textwrap.dedent(
    """
    import json, sys, time
    from irdocs.documents.certificates.register import Content, Register
    path, tag, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
    while time.time() < start:
        time.sleep(0.001)
    got = {}
    with Register(path) as reg:
        for i in range(50):
            for hid in (f"{tag}-{i}", f"shared-{i % 10}"):
                content = Content(hid, "honorary-professor", "HP", 2030, "Name " + hid, "", "2030-01-01")
                entry, _ = reg.issue("MNUMS", content, lambda serial, c: "CODE", f"2030-01-01T00:00:{i:02d}")
                got[hid] = entry.serial
    print(json.dumps(got))
    """
)


def test_two_processes_issuing_at_once_never_get_the_same_serial(tmp_path):
    path = tmp_path / "register.sqlite3"
    start = time.time() + 1.5
    procs = [
        subprocess.Popen([sys.executable, "-c", ISSUER, str(path), tag, str(start)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(json.loads(out))
    a, b = outputs
    own = [a[f"a-{i}"] for i in range(50)] + [b[f"b-{i}"] for i in range(50)]
    shared = {hid: a[hid] for hid in a if hid.startswith("shared")}
    assert len(set(own)) == 100  # 50 each, never the same
    assert shared == {hid: b[hid] for hid in b if hid.startswith("shared")}  # one serial per honoree, whoever asked first
    with Register(path) as reg:
        entries = reg.entries()
    assert sorted(e.sequence for e in entries) == list(range(1, 111))
    assert len({e.serial for e in entries}) == 110


# --------------------------------------------------------------------------- fonts and long names

FONT_CSV = """\
id,title,family_name,given_name,native_name,country,affiliation,awarded_on,citation,citation_mn
hd-2020-001,honorary-doctorate,Yamada,Taro,{native},JP,Alpha University,2020-06-15,For service.,Гавьяаг үнэлж.
"""
FAMILIES = (
    "Noto Serif, Noto Serif CJK JP, Noto Serif Devanagari, Noto Serif Display, Noto Serif CJK KR, Noto Serif CJK SC, Noto Serif CJK TC, Noto Sans Mongolian"
)


def test_a_private_use_character_fails_before_rendering_with_the_exact_message(env):
    new_folder(env, FONT_CSV.format(native="山田 \ue000"))
    result = invoke("certificate", "hd-2020-001")
    assert result.exit_code == 1
    assert result.output == (
        "   failed  certificates/MNUMS-HD-2020-0001.pdf\n"
        "records/honorees.csv:2: honoree hd-2020-001: native_name: '\ue000' (U+E000 unnamed character) is in none of the certificate's fonts "
        f"({FAMILIES}) (a private-use character that no font package has (pasted from a special font?): retype the text without it)\n"
        "1 problem found in the records.\n"
        "1 of 1 certificates could not be made.\n"
    )
    assert not list((env / "out").rglob("*.pdf"))
    assert Register(register_path(env / "records")).entries() == []  # no serial for a certificate that cannot be printed


def test_a_letter_no_design_font_has_names_the_font_and_package(env):
    """A script the designs do not name (here Tifinagh) is refused, naming the font that has it. (The
    Mongol script is in the designs since issue 16: tests/documents/test_mongol_script.py.)"""
    new_folder(env, FONT_CSV.format(native="ⴰⵣⵓⵍ"))
    result = invoke("certificate", "hd-2020-001")
    assert result.exit_code == 1
    first = result.output.splitlines()[1]
    assert first.startswith(
        f"records/honorees.csv:2: honoree hd-2020-001: native_name: 'ⴰ' (U+2D30 TIFINAGH LETTER YA) is in none of the certificate's fonts ({FAMILIES}) ("
    )
    # an installed font has it (fonts-noto-core's Noto Sans Tifinagh, or DejaVu Sans): the message names it
    assert "(the installed font '" in first and "' has it: add '" in first and "' to the font-family lists in " in first
    assert first.endswith("templates/certificates/certificate.css)")
    assert "4 problems found in the records." in result.output  # ⴰ ⵣ ⵓ ⵍ, each once


LONG_80 = ("Maria Anna Sophia", "von Hohenzollern-Sigmaringen-Wittelsbach-Lothringen-Habsburg-E")


def test_long_names_shrink_to_one_line_on_one_page(env):
    given, family = LONG_80
    assert len(f"{given} {family}") == 80
    rows = [
        f"hp-2020-001,honorary-professor,{family},{given},,DE,Hohenfeld University Hospital,2020-06-15,For service.,Гавьяаг үнэлж.",
        "hp-2020-002,honorary-professor,Wolfeschlegelsteinhausenbergerdorff,Hubert Blaine,,US,Silver Lake College,2020-06-15,For service.,Гавьяаг үнэлж.",
        "hp-2020-003,honorary-professor,Wolfeschlegelsteinhausenbergerdorff,Wolfeschlegelsteinhausenbergerdorff,,US,Silver Lake College,2020-06-15,For service.,Гавьяаг үнэлж.",
    ]
    new_folder(env, "id,title,family_name,given_name,native_name,country,affiliation,awarded_on,citation,citation_mn\n" + "\n".join(rows) + "\n")
    result = invoke("certificate", "--where", "year=2020")
    assert result.exit_code == 0, result.output
    names = [
        f"{given} {family}",
        "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff",
        "Wolfeschlegelsteinhausenbergerdorff Wolfeschlegelsteinhausenbergerdorff",
    ]
    for number, name in enumerate(names, 1):
        pdf = env / "out" / "certificates" / f"MNUMS-HP-2020-{number:04d}.pdf"
        assert len(PdfReader(str(pdf)).pages) == 1
        lines = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.splitlines()
        assert name in lines, lines[:12]  # the whole name, alone on its line


def test_name_size_shrinks_with_length():
    from irdocs.documents.certificates.context import DESIGNS_DIR, design_sizes, fitted_size, stylesheets

    sizes = design_sizes(stylesheets(DESIGNS_DIR, "honorary-doctorate"))
    short, _ = fitted_size("Ming Li", sizes.name_family, sizes.name, sizes.name_box)
    long80, one_line = fitted_size(" ".join(LONG_80), sizes.name_family, sizes.name, sizes.name_box)
    assert short == "34.0pt"
    assert one_line and 13.0 <= float(long80[:-2]) < 30.0
    _, fits = fitted_size("W" * 400, sizes.name_family, sizes.name, sizes.name_box)
    assert fits is False  # then set at the smallest size and allowed to wrap


# --------------------------------------------------------------------------- ceremony and selection

CEREMONY_CSV = """\
id,title,family_name,given_name,native_name,country,affiliation,awarded_on,ceremony,citation,citation_mn
hd-2026-001,honorary-doctorate,Yamada,Taro,山田 太郎,JP,Alpha University,2026-10-15,autumn-2026,For service.,Гавьяаг үнэлж.
hp-2026-001,honorary-professor,Kim,Minjun,김민준,KR,Beta Hospital,2026-10-15,autumn-2026,For teaching.,Багшилсныг үнэлж.
vp-2026-001,visiting-professor,Ivanov,Sergey,Иванов Сергей,RU,Gamma Institute,2026-10-15,autumn-2026,For lectures.,Лекц уншсаныг үнэлж.
vp-2026-002,visiting-professor,Smith,Anna,,US,Delta College,2026-11-01,,For lectures.,Лекц уншсаныг үнэлж.
"""


def ceremony_serials(path: Path) -> list[str]:
    import re

    return [re.search(r"MNUMS-[A-Z]{2}-\d{4}-\d{4}", page.extract_text()).group(0) for page in PdfReader(str(path)).pages]


def _descriptors(page) -> list:
    descriptors = []
    for font in page["/Resources"]["/Font"].values():
        for descendant in font.get_object().get("/DescendantFonts", []):
            descriptors.append(descendant.get_object()["/FontDescriptor"])
    return descriptors


def test_ceremony_pdf_has_one_page_per_certificate_in_order(env):
    new_folder(env, CEREMONY_CSV)
    result = invoke("certificate", "--ceremony", "autumn-2026", "vp-2026-001", "hd-2026-001", "hp-2026-001")
    assert result.exit_code == 0, result.output
    path = env / "out" / "certificates" / "ceremony-autumn-2026.pdf"
    assert "out/certificates/ceremony-autumn-2026.pdf: 3 certificates of autumn-2026, ready to print" in result.output
    assert ceremony_serials(path) == ["MNUMS-VP-2026-0001", "MNUMS-HD-2026-0001", "MNUMS-HP-2026-0001"]
    ceremony_pdf = PdfReader(str(path))
    assert "Иванов Сергей" in ceremony_pdf.pages[0].extract_text()
    assert ceremony_pdf.metadata.title.endswith("certificates of autumn-2026")
    assert ceremony_pdf.metadata.subject == "MNUMS-VP-2026-0001, MNUMS-HD-2026-0001, MNUMS-HP-2026-0001"
    assert all({"/FontFile2", "/FontFile3"} & set(d.get_object()) for page in ceremony_pdf.pages for d in _descriptors(page)), "every font is embedded"
    first = path.read_bytes()
    assert invoke("certificate", "--ceremony", "autumn-2026", "vp-2026-001", "hd-2026-001", "hp-2026-001").exit_code == 0
    assert path.read_bytes() == first, "the same certificates give the same ceremony file"

    # Without ids: every certificate of the ceremony, in the records' order (reprints keep their serials).
    result = invoke("certificate", "--ceremony", "autumn-2026")
    assert result.exit_code == 0, result.output
    assert ceremony_serials(path) == ["MNUMS-HD-2026-0001", "MNUMS-HP-2026-0001", "MNUMS-VP-2026-0001"]

    result = invoke("certificate", "--ceremony", "autumn-2026", "vp-2026-002")
    assert result.exit_code == 2 and "vp-2026-002: not in ceremony autumn-2026" in result.output


def selected(records, where=(), **named) -> list[str]:
    """The honorees whose certificates a selection makes (the plan only: nothing is issued)."""
    from irdocs.documents.certificates.kind import KIND
    from irdocs.documents.document import Settings
    from irdocs.records.select import selection_for

    selection = selection_for(["certificates"], records, where, **named)
    return [d.tags["id"] for d in KIND.plan(records, Settings(), selection.matcher("certificates")) if not getattr(d, "after", ()) and hasattr(d, "tags")]


def test_selection_by_where(sample_records, keyed):
    from irdocs.errors import UsageError

    assert selected(sample_records, ["title=honorary-doctorate", "year=2024"]) == ["hd-2024-001", "hd-2024-002"]
    assert {sample_records.honorees_by_id[i].country for i in selected(sample_records, ["country=jp", "year=2025"])} == {"JP"}
    assert selected(sample_records, ["title=HD", "title=VP", "ceremony=ceremony-2025-10"]) == ["hd-2025-001", "hd-2025-002", "vp-2025-001"]
    assert selected(sample_records, ["country=Japan"]) == selected(sample_records, ["country=JP"])
    for where, message in (
        (["colour=red"], "unknown field 'colour' (did you mean 'country'? fields: ceremony, country, document, id, title, year)"),
        (["title"], "write it as FIELD=VALUE"),
        (["title=honorary-king"], "no title 'honorary-king' in the records (one of: honorary-doctorate, honorary-professor, visiting-professor)"),
        (["year=1900"], "no award year '1900' in the records"),
    ):
        with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
            selected(sample_records, where)


# --------------------------------------------------------------------------- key, register, speed


def test_key_file_is_made_once_by_key_init_in_the_config_folder(tmp_path, monkeypatch):
    from irdocs.documents.certificates.keys import init_key
    from irdocs.documents.certificates.verify import KEY_FILE_NAME, load_key

    monkeypatch.delenv("IRDOCS_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path, key = init_key()
    assert path == tmp_path / "config" / "irdocs" / KEY_FILE_NAME
    assert path.is_file() and (path.stat().st_mode & 0o777) == 0o600
    assert load_key(tmp_path / "records") == key and len(key) == 64
    monkeypatch.setenv("IRDOCS_KEY", "from-the-environment-0123456789abcdef")
    assert load_key() == b"from-the-environment-0123456789abcdef"


def test_audit_log_is_append_only_and_serials_are_never_deleted(tmp_path):
    import sqlite3

    from irdocs.documents.certificates.register import Content
    from irdocs.errors import UsageError

    with Register(tmp_path / "r.sqlite3") as reg:
        entry, new = reg.issue("MNUMS", Content("x", "honorary-doctorate", "HD", 2024, "A B", "", "2024"), lambda s, c: "CODE", "t1")
        assert new and entry.serial == "MNUMS-HD-2024-0001"
        with pytest.raises(UsageError, match="--reason"):
            reg.revoke(entry.serial, "  ", "t2")
        for statement in ("UPDATE audit SET action = 'x'", "DELETE FROM audit", "DELETE FROM serials"):
            with pytest.raises(sqlite3.DatabaseError):
                reg.db.execute(statement)
        reg.revoke(entry.serial, "error", "t2")
        with pytest.raises(UsageError, match="already revoked"):
            reg.revoke(entry.serial, "again", "t3")


def test_weasyprint_subsets_fonts_with_harfbuzz():
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    # Without libharfbuzz-subset0 WeasyPrint falls back to fontTools: seconds per certificate with CJK.
    assert harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)


def test_previews_of_each_design_are_in_the_docs_and_the_readme():
    repo = REPO
    readme = (repo / "README.md").read_text(encoding="utf-8")
    for kind in ("honorary-doctorate", "honorary-professor", "visiting-professor"):
        preview = repo / "docs" / "previews" / f"certificate-{kind}.png"
        assert preview.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert preview.stat().st_size < 400_000
        assert f"docs/previews/certificate-{kind}.png" in readme


def test_a_long_citation_gets_smaller_type_and_a_too_long_one_is_refused(env):
    header = "id,title,family_name,given_name,native_name,country,affiliation,awarded_on,citation,citation_mn\n"
    en = ("In recognition of an outstanding contribution to medical science. " * 20)[:400]
    mn = ("Анагаах ухааны шинжлэх ухаанд оруулсан онцгой хувь нэмрийг үнэлж. " * 20)[:400]
    rows = [
        f'hp-2020-001,honorary-professor,Kim,Minjun,김민준,KR,Beta Hospital,2020-06-15,"{en}","{mn}"',
        f'hp-2020-002,honorary-professor,Lee,Jimin,이지민,KR,Beta Hospital,2020-06-15,"{en * 3}","{mn * 3}"',
    ]
    new_folder(env, header + "\n".join(rows) + "\n")
    result = invoke("certificate", "hp-2020-001", "hp-2020-002")
    assert result.exit_code == 1
    assert len(PdfReader(str(env / "out" / "certificates" / "MNUMS-HP-2020-0001.pdf")).pages) == 1
    assert (
        "records/honorees.csv:3: honoree hp-2020-002: the certificate does not fit on one page even with the citation in 7.5 pt type: "
        "shorten the citation (1200 characters) and citation_mn (1200 characters)"
    ) in result.output
    assert not (env / "out" / "certificates" / "MNUMS-HP-2020-0002.pdf").exists()


def test_certificate_without_a_selection_says_how(env):
    new_folder(env)
    result = invoke("certificate")
    assert result.exit_code == 2
    assert "name the certificates to make: honoree ids, --where FIELD=VALUE, --ceremony NAME or --all" in result.output
