"""Signed certificates (PAdES, pyHanko; issue 19, step 2): a throwaway CA and signing certificate, a
signed certificate that pyHanko's validator accepts and Acrobat would show as signed, and one flipped
byte that makes it fail. Without a signing certificate, certificates are as before and verify by code."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from irdocs.documents.certificates.register import Register, register_path


def make_pki(folder):
    """A CA, and a signing certificate it issued, as a password-protected PKCS#12 file (and the CA as PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def name(common):
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "MN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MNUMS"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Throwaway Test CA"))
        .issuer_name(name("Throwaway Test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Department for International Relations"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    p12 = folder / "department.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"department", key, cert, [ca], serialization.BestAvailableEncryption(b"p12 password")))
    (folder / "p12-password").write_text("p12 password\n")
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "chain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return p12


def issue_signed(mini, run, monkeypatch, settings: dict):
    """The certificate of hd-2020-001, made with the signing ``settings`` in the environment: (entry, PDF path)."""
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    result = run("certificate", "hd-2020-001")
    assert result.exit_code == 0, result.output
    with Register(register_path(mini)) as reg:
        entry = reg.entries()[0]
    return entry, mini.parent / "out" / "certificates" / f"{entry.serial}.pdf"


@pytest.fixture
def signed(mini, keyed, run, tmp_path, monkeypatch):
    """A certificate of the mini records, signed with a throwaway department certificate."""
    pki = tmp_path / "pki"
    pki.mkdir()
    make_pki(pki)
    settings = {"IRDOCS_SIGN_P12": pki / "department.p12", "IRDOCS_SIGN_PASSWORD_FILE": pki / "p12-password", "IRDOCS_SIGN_TRUST": pki / "ca.pem"}
    entry, pdf = issue_signed(mini, run, monkeypatch, {name: str(value) for name, value in settings.items()})
    return entry, pdf, pki


def pyhanko_status(data: bytes, ca_pem):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    assert len(reader.embedded_signatures) == 1
    return validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=[load_cert_from_pemder(str(ca_pem))]))


def test_a_signed_certificate_validates_and_one_flipped_byte_fails(signed, run, tmp_path):
    import pikepdf

    entry, pdf, pki = signed
    data = pdf.read_bytes()
    status = pyhanko_status(data, pki / "ca.pem")
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert "Department for International Relations" in status.signing_cert.subject.human_friendly
    with pikepdf.open(pdf) as opened:  # still PDF/A, the signature in an incremental update
        assert opened.open_metadata().get("pdfaid:part") == "3"
        assert str(opened.docinfo["/irdocsserial"]) == entry.serial
    verdict = run("verify", str(pdf))
    assert verdict.exit_code == 0
    assert (
        verdict.output.startswith(f"valid: {entry.serial}:")
        and "digitally signed by" in verdict.output
        and "Department for International Relations" in verdict.output
    )

    position = data.index(b"stream", len(data) // 4) + 40  # a byte of the page's content, inside what the signature covers
    flipped = bytearray(data)
    flipped[position] ^= 0x01
    forged = tmp_path / "flipped.pdf"
    forged.write_bytes(bytes(flipped))
    broken = pyhanko_status(bytes(flipped), pki / "ca.pem")
    assert not broken.intact and not broken.bottom_line
    answer = run("verify", str(forged))
    assert answer.exit_code == 1 and answer.output.startswith(f"altered: {entry.serial}: its digital signature")


def test_without_a_signing_certificate_nothing_is_signed_and_the_code_verifies(mini, keyed, run):
    from pyhanko.pdf_utils.reader import PdfFileReader

    assert run("certificate", "hd-2020-001").exit_code == 0
    with Register(register_path(mini)) as reg:
        entry = reg.entries()[0]
    pdf = mini.parent / "out" / "certificates" / f"{entry.serial}.pdf"
    with open(pdf, "rb") as handle:
        assert PdfFileReader(handle, strict=False).embedded_signatures == []
    verdict = run("verify", str(pdf))
    assert verdict.exit_code == 0 and "the file is exactly as issued" in verdict.output and "signed" not in verdict.output
    assert run("verify", entry.serial, entry.code).exit_code == 0


def test_a_wrong_signing_password_is_one_clear_line(mini, keyed, run, tmp_path, monkeypatch):
    pki = tmp_path / "pki"
    pki.mkdir()
    make_pki(pki)
    (pki / "wrong").write_text("not it\n")
    monkeypatch.setenv("IRDOCS_SIGN_P12", str(pki / "department.p12"))
    monkeypatch.setenv("IRDOCS_SIGN_PASSWORD_FILE", str(pki / "wrong"))
    result = run("certificate", "hd-2020-001")
    assert result.exit_code == 2 and "cannot open the signing certificate" in result.stderr and "Traceback" not in result.output
    assert not register_path(mini).exists() or not Register(register_path(mini)).entries()  # no serial issued for nothing


SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.mark.skipif(not __import__("os").path.exists(SOFTHSM), reason="SoftHSM is not installed (make setup installs softhsm2)")
def test_a_key_on_a_pkcs11_token_signs_too(mini, keyed, run, tmp_path, monkeypatch):
    """The department's key on a PKCS#11 token (SoftHSM, a software token, stands for a smart card)."""
    import subprocess

    pki = tmp_path / "pki"
    pki.mkdir()
    make_pki(pki)
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    util = ["softhsm2-util"]
    subprocess.run([*util, "--init-token", "--free", "--label", "irdocs-test", "--pin", "246810", "--so-pin", "13579111"], check=True, capture_output=True)
    subprocess.run(
        [*util, "--import", str(pki / "key.pem"), "--token", "irdocs-test", "--label", "department", "--id", "01", "--pin", "246810"],
        check=True,
        capture_output=True,
    )
    (pki / "pin").write_text("246810\n")
    token = {"LIB": SOFTHSM, "TOKEN": "irdocs-test", "KEY": "department"}
    settings = {f"IRDOCS_SIGN_PKCS11_{name}": value for name, value in token.items()}
    settings.update(IRDOCS_SIGN_CERT=str(pki / "chain.pem"), IRDOCS_SIGN_PASSWORD_FILE=str(pki / "pin"), IRDOCS_SIGN_TRUST=str(pki / "ca.pem"))
    _, pdf = issue_signed(mini, run, monkeypatch, settings)
    status = pyhanko_status(pdf.read_bytes(), pki / "ca.pem")
    assert status.intact and status.valid and status.trusted
    verdict = run("verify", str(pdf))
    assert verdict.exit_code == 0 and "digitally signed by" in verdict.output
