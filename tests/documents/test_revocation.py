"""Revocation done right (issue 14): a revoked certificate is a note, not a failure, for ever after;
a superseded file is set aside; a ceremony's print file follows the reissued certificate."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import SAMPLE  # noqa: F401  (the sample the office fixture copies)


def serial_of(output: str, honoree_id: str) -> str:
    return re.search(rf"{honoree_id} \((MNUMS-[A-Z]{{2}}-\d{{4}}-\d{{4}})", output).group(1)


def ceremony_serials(path: Path) -> list[str]:
    return [re.search(r"MNUMS-[A-Z]{2}-\d{4}-\d{4}", page.extract_text()).group(0) for page in PdfReader(str(path)).pages]


def test_a_revoked_certificate_is_a_note_and_every_later_build_succeeds(scratch_sample, keyed, run):
    result = run("build", "certificates", "--where", "ceremony=ceremony-2025-10", "--jobs", "1")
    assert result.exit_code == 0, result.output
    serial = serial_of(run("certificate", "hd-2025-001").output, "hd-2025-001")
    assert run("register", "revoke", serial, "--reason", "awarded in error").exit_code == 0
    for _ in range(2):
        result = run("build", "certificates", "--where", "ceremony=ceremony-2025-10", "--jobs", "1")
        assert result.exit_code == 0, result.output
        assert f"note: honoree hd-2025-001: certificate {serial} was revoked (awarded in error)" in result.output
        assert "0 failed" in result.output
    ceremony = Path("out/certificates/ceremony-2025-10.pdf")
    assert serial not in ceremony_serials(ceremony), "a revoked certificate is not in the ceremony's print file"
    result = run("build", "certificates", "--jobs", "1")  # a full build sets the revoked file aside
    assert result.exit_code == 0, result.output
    assert not Path(f"out/certificates/{serial}.pdf").exists()
    assert Path(f"out/certificates/revoked/{serial}.pdf").is_file()


def test_reissue_sets_the_old_file_aside_and_remakes_the_ceremony_file(scratch_sample, keyed, run):
    assert run("certificate", "--ceremony", "ceremony-2025-10").exit_code == 0
    ceremony = Path("out/certificates/ceremony-2025-10.pdf")
    old = serial_of(run("certificate", "hd-2025-001").output, "hd-2025-001")
    assert old in ceremony_serials(ceremony)
    result = run("register", "reissue", old, "--reason", "name corrected")
    assert result.exit_code == 0, result.output
    new = re.search(rf"{old} is superseded by (\S+);", result.output).group(1)
    assert not Path(f"out/certificates/{old}.pdf").exists(), "the superseded file is not beside the valid ones"
    assert Path(f"out/certificates/superseded/{old}.pdf").is_file()
    serials = ceremony_serials(ceremony)
    assert new in serials and old not in serials, "the print file has the new certificate at once"
    result = run("build", "certificates", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert Path(f"out/certificates/superseded/{old}.pdf").is_file()


def test_a_revoked_certificate_asked_for_by_name_says_how_to_reissue(scratch_sample, keyed, run):
    serial = serial_of(run("certificate", "hd-2025-001").output, "hd-2025-001")
    assert run("register", "revoke", serial, "--reason", "awarded in error").exit_code == 0
    result = run("certificate", "hd-2025-001")
    assert result.exit_code == 1
    assert f"irdocs register reissue {serial}" in result.stderr
