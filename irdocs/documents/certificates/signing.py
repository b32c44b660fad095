"""Digitally signed certificates (PAdES-B-B, with pyHanko), when the department has a signing certificate.

The department configures its certificate and private key as a PKCS#12 file (``.p12``/``.pfx``):

- ``IRDOCS_SIGN_P12``: the file's path (readable by the office's account only);
- ``IRDOCS_SIGN_PASSWORD_FILE``: a file whose first line is the file's password (none: no password);
- ``IRDOCS_SIGN_TRUST`` (optional): PEM files of the certificates ``irdocs verify`` trusts as the
  issuer of the department's certificate (the university's or a national CA), separated by ``:``.

or, with the key on a PKCS#11 token (a smart card or an HSM, where it cannot be copied):

- ``IRDOCS_SIGN_PKCS11_LIB``: the token's PKCS#11 module (e.g. ``/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so``);
- ``IRDOCS_SIGN_PKCS11_TOKEN`` and ``IRDOCS_SIGN_PKCS11_KEY``: the labels of the token and of the key;
- ``IRDOCS_SIGN_CERT``: the PEM file of the signing certificate (then its chain);
- ``IRDOCS_SIGN_PASSWORD_FILE``: a file whose first line is the token's PIN.

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

from ...errors import ConfigError

P12_ENV = "IRDOCS_SIGN_P12"
PASSWORD_ENV = "IRDOCS_SIGN_PASSWORD_FILE"
TRUST_ENV = "IRDOCS_SIGN_TRUST"
PKCS11_LIB_ENV = "IRDOCS_SIGN_PKCS11_LIB"
PKCS11_TOKEN_ENV = "IRDOCS_SIGN_PKCS11_TOKEN"
PKCS11_KEY_ENV = "IRDOCS_SIGN_PKCS11_KEY"
CERT_ENV = "IRDOCS_SIGN_CERT"
FIELD_NAME = "MNUMS-Certificate-Signature"


@functools.cache
def _signer(p12: str, password_file: str):
    from pyhanko.sign import signers

    password = _first_line(password_file, "the signing certificate's password")
    password = password.encode("utf-8") if password is not None else None
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


def _first_line(path: str, what: str) -> str | None:
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        raise ConfigError(f"{path}: cannot read {what} from its first line ({PASSWORD_ENV})") from None


@functools.cache
def _token_signer(library: str, token: str, key_label: str, cert_file: str, pin_file: str):
    """A signer whose private key stays on a PKCS#11 token (a smart card, an HSM); the certificate from ``cert_file``."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if not cert_file:
        raise ConfigError(f"{CERT_ENV}: give the PEM file of the token's signing certificate (and its chain)")
    try:
        certificates = list(load_certs_from_pemder([cert_file]))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{cert_file}: cannot read the signing certificate ({CERT_ENV}): {exc}") from None
    pin = _first_line(pin_file, "the token's PIN")
    try:
        session = open_pkcs11_session(library, token_criteria=TokenCriteria(label=token), user_pin=pin)
    except Exception as exc:  # the module raises its own kinds (no token, a wrong PIN, a missing library)
        raise ConfigError(
            f"cannot open the signing token '{token}' with {library} ({type(exc).__name__}: {exc}); check {PKCS11_TOKEN_ENV} and the PIN"
        ) from None
    # Tokens sign an EC hash computed here (CKM_ECDSA): many (SoftHSM among them) lack the hash-and-sign mechanisms.
    raw = certificates[0].public_key.algorithm == "ec"
    return PKCS11Signer(session, key_label=key_label, signing_cert=certificates[0], ca_chain=certificates[1:], use_raw_mechanism=raw)


def configured_signer():
    """The department's signer (a PKCS#12 file, or a PKCS#11 token), or None when none is configured."""
    p12 = os.environ.get(P12_ENV, "").strip()
    if p12:
        return _signer(p12, os.environ.get(PASSWORD_ENV, "").strip())
    library = os.environ.get(PKCS11_LIB_ENV, "").strip()
    if library:
        env = {name: os.environ.get(name, "").strip() for name in (PKCS11_TOKEN_ENV, PKCS11_KEY_ENV, CERT_ENV, PASSWORD_ENV)}
        return _token_signer(library, env[PKCS11_TOKEN_ENV], env[PKCS11_KEY_ENV], env[CERT_ENV], env[PASSWORD_ENV])
    return None


def sign_certificate(data: bytes) -> bytes:
    """``data`` signed with the department's certificate (PAdES-B-B), or as it is when none is configured."""
    signer = configured_signer()
    if signer is None:
        return data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    try:
        out = signers.sign_pdf(writer, meta, signer=signer)
    except Exception as exc:  # a token removed, a PIN locked, a mechanism the token lacks: one line, not a traceback
        raise ConfigError(f"the certificate could not be signed ({type(exc).__name__}: {exc}); check the signing certificate or token") from None
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
