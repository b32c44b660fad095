"""The check code printed beside the serial, typed back in any reasonable way (issue 19, step 3);
'irdocs verify FILE.pdf' reads the metadata first and stays fast on a long PDF (step 10)."""

from __future__ import annotations

import subprocess
import time

import pytest

from irdocs.documents.certificates.register import Register, register_path
from irdocs.documents.certificates.verify import CODE_ALPHABET, code_candidates, display_code


@pytest.fixture
def certificate(mini, keyed, run):
    assert run("certificate", "hd-2020-001").exit_code == 0
    with Register(register_path(mini)) as reg:
        entry = reg.entries()[0]
    return mini, entry, mini.parent / "out" / "certificates" / f"{entry.serial}.pdf"


def test_the_check_code_is_printed_beside_the_serial(certificate):
    """Issue 19: the check code was not printed, but the public form requires it: a certificate whose
    QR code cannot be scanned could not be verified."""
    _, entry, pdf = certificate
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    shown = display_code(entry.code)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    serial_line = next(i for i, line in enumerate(lines) if entry.serial in line)
    assert any(shown in line for line in lines[serial_line : serial_line + 4]), lines[serial_line : serial_line + 4]
    assert any("Check code" in line for line in lines[serial_line:])


def test_the_printed_form_has_no_look_alike_letters():
    for code in ("ABCDEFGHIJ", "KLMNOPQRST", "UVWXYZ2345", "67IOLUSZB2"):
        shown = display_code(code)
        assert len(shown) == 11 and shown[5] == " "
        assert not set(shown) & set("ILOU")  # never a letter that looks like 1 or 0 (or U/V)
        assert code in code_candidates(shown)
    every = "".join(display_code(CODE_ALPHABET[i : i + 10]) for i in range(0, 30, 10)) + display_code(CODE_ALPHABET[30:] + "AAAAAAAA")
    assert not set(every) & set("ILOU")


def test_the_code_is_accepted_however_it_is_typed(certificate, run):
    _, entry, _ = certificate
    shown = display_code(entry.code)
    for typed in (shown, shown.lower(), shown.replace(" ", ""), shown.replace(" ", "-"), f"  {shown}  ", shown.replace("0", "o").replace("1", "l"), entry.code):
        result = run("verify", entry.serial, typed)
        assert result.exit_code == 0 and result.output.startswith("valid:"), typed
    wrong = shown.replace(shown[0], "Z" if shown[0] != "Z" else "Y", 1)
    assert run("verify", entry.serial, wrong).exit_code == 1


def test_verify_reads_a_long_pdf_fast(certificate, run, tmp_path):
    """Issue 19: 'irdocs verify FILE.pdf' on a 1.3 MB PDF took over 90 s and 720 MB."""
    import pikepdf

    _, entry, pdf = certificate
    long_pdf = tmp_path / "long.pdf"
    with pikepdf.open(pdf) as source:
        for _ in range(99):
            source.pages.append(source.pages[0])
        source.save(long_pdf)
    with pikepdf.open(long_pdf) as check:
        assert len(check.pages) == 100 and str(check.docinfo["/irdocsserial"]) == entry.serial
    began = time.perf_counter()
    result = run("verify", str(long_pdf))
    took = time.perf_counter() - began
    assert result.exit_code == 1 and result.output.startswith(f"altered: {entry.serial}: the file differs from every file issued")
    assert took < 1.0, f"{took:.2f} s"
    began = time.perf_counter()
    assert run("verify", str(pdf)).output.startswith("valid:")
    assert time.perf_counter() - began < 1.0
