"""Digitally signed certificates (PAdES-B-B, with pyHanko), when the department has a signing certificate.

The department configures its certificate and private key as a PKCS#12 file (``.p12``/``.pfx``):

- ``IRDOCS_SIGN_P12``: the file's path (readable by the office's account only);
- ``IRDOCS_SIGN_PASSWORD_FILE``: a file whose first line is the file's password (none: no password);
- ``IRDOCS_SIGN_TRUST`` (optional): PEM files of the certificates ``irdocs verify`` trusts as the
  issuer of the department's certificate (the university's or a national CA), separated by ``:``.

Every certificate PDF is then signed as it is written: an invisible signature added in an
incremental update, so the PDF/A file is kept as it was rendered and Acrobat (or any PDF
validator) shows who signed it and that nothing changed since. ``irdocs verify FILE.pdf``
validates the signature as well as the code. Without ``IRDOCS_SIGN_P12``, nothing is signed.

A signature records the moment of signing: a signed certificate's bytes differ from one printing
to the next (the register keeps the SHA-256 of each).
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

P12_ENV = "IRDOCS_SIGN_P12"
PASSWORD_ENV = "IRDOCS_SIGN_PASSWORD_FILE"
TRUST_ENV = "IRDOCS_SIGN_TRUST"
FIELD_NAME = "MNUMS-Certificate-Signature"


@functools.cache
def _signer(p12: str, password_file: str):
    from pyhanko.sign import signers

    password = None
    if password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").splitlines()[0].encode("utf-8")
        except (OSError, IndexError, UnicodeDecodeError):
            raise ConfigError(f"{password_file}: cannot read the signing certificate's password from its first line ({PASSWORD_ENV})") from None
    try:
        data = Path(p12).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{p12}: cannot read the signing certificate ({exc.strerror}); correct {P12_ENV} or unset it to sign nothing") from None
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password)
    except (ValueError, TypeError) as exc:
        signer = None
        error = exc
    if signer is None:
        raise ConfigError(f"{p12}: cannot open the signing certificate (a PKCS#12 file and its password are needed: {error})")
    return signer


def configured_signer():
    """The department's signer, or None when no signing certificate is configured."""
    p12 = os.environ.get(P12_ENV, "").strip()
    if not p12:
        return None
    return _signer(p12, os.environ.get(PASSWORD_ENV, "").strip())


def sign_certificate(data: bytes) -> bytes:
    """``data`` signed with the department's certificate (PAdES-B-B), or as it is when none is configured."""
    signer = configured_signer()
    if signer is None:
        return data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What the validator found of a PDF's signatures."""

    signed: bool
    intact: bool  # every signature covers the file as it is, unchanged
    trusted: bool  # the signer's certificate chains to a trusted certificate
    signer: str  # the signer's name, as in the certificate

    def describe(self) -> str:
        if not self.signed:
            return "not digitally signed"
        if not self.intact:
            return f"its digital signature ({self.signer}) does not match the file: it was changed after signing"
        return f"digitally signed by {self.signer}" + ("" if self.trusted else " (a signer this computer does not trust)")


def trust_roots() -> list:
    """The certificates trusted as issuers: $IRDOCS_SIGN_TRUST, and the configured signer's own chain."""
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    for name in filter(None, os.environ.get(TRUST_ENV, "").split(":")):
        try:
            roots.append(load_cert_from_pemder(name))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{name}: cannot read this trusted certificate ({TRUST_ENV}): {exc}") from None
    signer = configured_signer()
    if signer is not None:
        roots.append(signer.signing_cert)
        roots.extend(signer.cert_registry)
    return roots


def check_signatures(path: Path) -> SignatureCheck:
    """Validate every signature of the PDF at ``path`` (pyHanko's validator: integrity, then trust)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        with open(path, "rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            signatures = reader.embedded_signatures
            if not signatures:
                return SignatureCheck(False, False, False, "")
            context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
            intact = trusted = True
            names = []
            for signature in signatures:
                status = validate_pdf_signature(signature, context)
                covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
                intact &= bool(status.intact and status.valid and covers)
                trusted &= bool(status.trusted)
                names.append(status.signing_cert.subject.human_friendly)
    except ConfigError:
        raise
    except Exception as exc:  # a damaged file: pyHanko raises many kinds; none may pass as signed
        return SignatureCheck(True, False, False, f"an unreadable signature ({type(exc).__name__})")
    return SignatureCheck(True, intact, trusted, "; ".join(names))
