"""Verification codes and checks: is this certificate one the university issued, unchanged?

A certificate's code is a short keyed hash (HMAC-SHA256) of its essential content: the serial,
the name in Latin letters and in native script, the title kind and the award date.  Nobody
without the key can make a code that matches changed content.

The key is the value of the environment variable ``IRDOCS_KEY`` when it is set, otherwise the
file ``verification.key`` in the user's configuration folder (``~/.config/irdocs/`` on Linux,
from ``platformdirs``), created with a random key on first use.  It is never kept in the records
folder or in git: whoever has the key can make valid codes.  Every computer that issues or
verifies certificates needs the same key (copy the file, or set ``IRDOCS_KEY``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit, urlunsplit

from ...errors import ConfigError
from .keys import KEY_ENV, KEY_FILE_NAME, check_register, key_path, read_key
from .register import Content, Entry, Register

__all__ = ["KEY_ENV", "KEY_FILE_NAME", "key_path", "load_key", "make_code", "verify", "verify_pdf"]
CODE_LENGTH = 10
#: The <meta> names of the serial and code in a certificate's HTML, and the keys they become in
#: the PDF's document information (WeasyPrint keeps letters and digits; the HTML parser lower-cases).
META_SERIAL, META_CODE = "irdocs-serial", "irdocs-code"
PDF_SERIAL, PDF_CODE = "irdocsserial", "irdocscode"
VERDICTS = ("valid", "revoked", "altered", "unknown", "register-altered")
#: What the register says when its rows were changed behind irdocs' back (irdocs register audit).
REGISTER_ALTERED = (
    "the register was altered behind irdocs' back, so it cannot vouch for this certificate; run 'irdocs register audit' and restore the register from a backup"
)


def load_key(records_dir: Path | None = None) -> bytes:
    """The department key (``irdocs key init``/``import``, or $IRDOCS_KEY), checked against the register of ``records_dir``.

    Never creates a key: a missing one, a short one, or one that is not the key the register was
    issued under is refused with a message saying what to do (irdocs/documents/certificates/keys.py).
    """
    from .signing import configured_signer

    key = read_key(records_dir)
    if records_dir is not None:
        check_register(records_dir, key)
    configured_signer()  # a signing certificate that cannot be opened is named before any serial is issued
    return key


def make_code(key: bytes, serial: str, content: Content) -> str:
    """The certificate's check code: 10 letters and digits (base32 of HMAC-SHA256)."""
    message = "\n".join(("irdocs-certificate-1", serial, content.name, content.native_name, content.kind, content.awarded_on))
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:CODE_LENGTH]


#: The code is base32 (RFC 4648: A-Z, 2-7) in the QR code and the PDF's metadata, and is printed for
#: typing in Crockford's base32, the same 5 bits a character, without I, L, O or U: no letter that
#: looks like a digit. Typed, either form is accepted, in any case, with spaces or hyphens; O, I and L
#: typed for 0 and 1 (and 0, 1, 8 for O, I, B in the other form) are read as meant.
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
TYPED_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_TYPED = str.maketrans(CODE_ALPHABET, TYPED_ALPHABET)
_FROM_TYPED = str.maketrans(TYPED_ALPHABET + "OIL", CODE_ALPHABET + "AB" + "B")
_LOOK_ALIKES = str.maketrans("018", "OIB")


def display_code(code: str) -> str:
    """The code as printed on a certificate, to be typed: two groups of five ('7K2Q9 MXA3T')."""
    typed = code.translate(_TO_TYPED)
    return " ".join(typed[i : i + 5] for i in range(0, len(typed), 5))


def code_candidates(code: str) -> list[str]:
    """The base32 codes a typed code may stand for (the printed form, or the QR code's)."""
    text = "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())
    candidates = [text.translate(_LOOK_ALIKES)]
    if all(ch in TYPED_ALPHABET or ch in "OIL" for ch in text):
        candidates.append(text.translate(_FROM_TYPED))
    return candidates


def verification_url(base: str, serial: str, code: str) -> str:
    """The address in the QR code: ``<verification_url>/<serial>?c=<code>`` (short: a smaller QR code)."""
    parts = urlsplit(base)
    path = parts.path.rstrip("/") + "/" + quote(serial)
    query = (parts.query + "&" if parts.query else "") + urlencode({"c": code})
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def parse_verification_url(url: str) -> tuple[str, str]:
    """(serial, code) from an address read from a QR code, in the short form or as ?serial=&code=."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "serial" in query:
        return query["serial"][0], query.get("code", [""])[0]
    return unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]), query.get("c", [""])[0]


@dataclass(frozen=True)
class Verdict:
    status: str  # valid, revoked, altered, unknown
    serial: str
    message: str
    entry: Entry | None = None

    @property
    def ok(self) -> bool:
        return self.status == "valid"

    def __str__(self) -> str:
        return f"{self.status}: {self.serial}: {self.message}"


def _describe(entry: Entry) -> str:
    from ...localize import format_date
    from ...records.model import TITLE_KINDS, parse_partial_date

    native = f" ({entry.native_name})" if entry.native_name else ""
    when = format_date(parse_partial_date(entry.awarded_on), "en")
    return f"{TITLE_KINDS[entry.kind][0]}, {entry.name}{native}, awarded {when}"


def _status_verdict(entry: Entry) -> Verdict | None:
    if entry.status == "revoked":
        return Verdict("revoked", entry.serial, f"revoked on {entry.changed_at[:10]}: {entry.reason} ({_describe(entry)})", entry)
    if entry.status == "superseded":
        return Verdict("revoked", entry.serial, f"superseded by {entry.replaced_by} on {entry.changed_at[:10]} ({_describe(entry)})", entry)
    return None


def verify(register: Register, key: bytes, serial: str, code: str) -> Verdict:
    """Check a serial and code (as read from a certificate or its QR code) against the register."""
    serial = serial.strip().upper()
    entry = register.get(serial)
    if entry is None:
        return Verdict("unknown", serial, "no certificate with this serial was issued")
    why = register.altered(serial)
    expected = make_code(key, entry.serial, entry.content)
    if why is None and not hmac.compare_digest(expected.encode(), entry.code.encode()):
        why = f"{serial}: the name, title or date in the register is not the one its code was made for"
    if why is not None:
        return Verdict("register-altered", serial, f"{REGISTER_ALTERED} ({why})", entry)
    if not any(hmac.compare_digest(candidate.encode(), expected.encode()) for candidate in code_candidates(code)):
        return Verdict("altered", serial, f"the code does not match the certificate issued under this serial ({_describe(entry)})", entry)
    verdict = _status_verdict(entry)
    if verdict:
        return verdict
    return Verdict("valid", serial, _describe(entry), entry)


#: A certificate is one page; a longer file is not read page by page (its text is not needed).
MAX_TEXT_PAGES = 2


def _open_pdf(path: Path):
    """A lazy reader of the PDF and its document information (keys lower-case, without '/'): only the
    trailer and the cross-reference table are read, never the pages."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        info = {str(k).lstrip("/").lower(): str(v) for k, v in (reader.metadata or {}).items()}
    except (OSError, PdfReadError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ConfigError(f"{path}: cannot read this PDF ({exc})") from None
    return reader, info


def _first_page_text(reader) -> str:
    """The text of a certificate's page ('' for a file too long to be one, or that cannot be read)."""
    from pypdf.errors import PdfReadError

    try:
        if len(reader.pages) > MAX_TEXT_PAGES:
            return ""
        return reader.pages[0].extract_text() or ""
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, RecursionError):
        return ""


def _has_signature_field(reader) -> bool:
    """Whether the PDF has a signature field (read from its form dictionary; no page is parsed)."""
    try:
        form = reader.trailer["/Root"].get("/AcroForm")
        fields = form.get_object().get("/Fields", []) if form is not None else []
        return any(field.get_object().get("/FT") == "/Sig" for field in fields)
    except (AttributeError, KeyError, TypeError, ValueError, RecursionError):
        return True  # a damaged form: let the validator say what it finds


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _words_in_any_order(name: str, text: str) -> bool:
    """Whether ``text`` has the words of ``name`` side by side in some order ('Yamada Taro' for a
    register that says 'Taro Yamada': certificates reprinted with the person's own name order)."""
    wanted, words = sorted(name.split()), text.split()
    return any(sorted(words[i : i + len(wanted)]) == wanted for i in range(len(words) - len(wanted) + 1))


def verify_pdf(register: Register, key: bytes, path: Path) -> Verdict:
    """Check a certificate file: its serial and code (from the metadata), then its exact bytes.

    Only when the bytes are not those of a file issued under the serial is the page's text read,
    to say what differs: a long or hostile PDF costs a hash of its bytes, not a parse of its pages.
    """
    path = Path(path)
    reader, info = _open_pdf(path)
    serial, code = info.get(PDF_SERIAL, ""), info.get(PDF_CODE, "")
    if not serial or not code:
        return Verdict("unknown", serial or path.name, "this PDF carries no irdocs serial and code: it is not a certificate irdocs made")
    verdict = verify(register, key, serial, code)
    if not verdict.ok:
        return verdict
    entry = verdict.entry
    signature = ""
    if _has_signature_field(reader):
        from .signing import check_signatures

        check = check_signatures(path)
        if not check.intact:
            return Verdict("altered", entry.serial, f"{check.describe()} ({_describe(entry)})", entry)
        signature = "; " + check.describe()
    digest = file_sha256(path)
    if digest in register.files(entry.serial):
        return Verdict("valid", entry.serial, _describe(entry) + "; the file is exactly as issued" + signature, entry)
    flat = " ".join(_first_page_text(reader).split())
    for label, value in (("serial", entry.serial), ("name", entry.name), ("native name", entry.native_name)):
        if flat and value and " ".join(value.split()) not in flat and not (label == "name" and _words_in_any_order(value, flat)):
            return Verdict("altered", entry.serial, f"the {label} printed in the file is not the one issued ({_describe(entry)})", entry)
    return Verdict(
        "altered", entry.serial, f"the file differs from every file issued under this serial (SHA-256 {digest[:16]}…); ask the department for a copy", entry
    )
