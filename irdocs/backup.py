"""One archive that brings an office back: ``irdocs backup FILE`` and ``irdocs restore FILE``.

The archive (a tar file, readable by its owner only) holds:

- ``records/``: every file of the records folder, the register copied with SQLite's own backup
  (a consistent copy even while the web app is reading it);
- ``config/users.json``: the web accounts (password hashes only), when there are any;
- ``config/verification.key.enc``: the department key, encrypted with a passphrase (scrypt, then
  AES-256-GCM): the archive can be kept on a shared drive without giving the key away;
- ``irdocs-backup.json``: what is inside, each file's SHA-256, and the key's fingerprint.

``irdocs restore FILE --records DIR`` checks every file against that list, refuses a folder that is
not empty, installs the key (or checks that this computer's key is the same one) and the accounts,
and checks the restored register (``irdocs register audit``): every certificate verifies again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import secrets
import sqlite3
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from .errors import ConfigError, UsageError

MANIFEST = "irdocs-backup.json"
KEY_MEMBER = "config/verification.key.enc"
USERS_MEMBER = "config/users.json"
FORMAT = "irdocs-backup-1"
MIN_PASSPHRASE = 12
#: scrypt's cost: about a tenth of a second and 32 MB per try.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
#: The most an archive may unpack to (records are a few megabytes).
MAX_TOTAL = 2 * 1024**3
SKIPPED = (".irdocs.lock", ".activity.lock")


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=128 * 1024 * 1024, dklen=32)


def encrypt_key(key: bytes, passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(passphrase) < MIN_PASSPHRASE:
        raise UsageError(f"the backup passphrase is too short: at least {MIN_PASSPHRASE} characters (a few words in a row)")
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_scrypt(passphrase, salt)).encrypt(nonce, key, FORMAT.encode())
    data = {"format": FORMAT, "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "cipher": "AES-256-GCM"}
    data.update({name: base64.b64encode(value).decode("ascii") for name, value in (("salt", salt), ("nonce", nonce), ("sealed", sealed))})
    return (json.dumps(data, indent=2) + "\n").encode("ascii")


def decrypt_key(blob: bytes, passphrase: str, where: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        data = json.loads(blob)
        salt, nonce, sealed = (base64.b64decode(data[name]) for name in ("salt", "nonce", "sealed"))
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"{where}: the encrypted key in the backup cannot be read") from None
    try:
        return AESGCM(_scrypt(passphrase, salt)).decrypt(nonce, sealed, FORMAT.encode())
    except InvalidTag:
        raise UsageError(f"{where}: the passphrase is not the one this backup was made with; nothing was restored") from None


def _register_copy(path: Path) -> bytes:
    """A consistent copy of the register (SQLite's backup), as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "register.sqlite3"
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target.read_bytes()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, 0
    archive.addfile(info, io.BytesIO(data))


def make_backup(records_dir: Path, target: Path, passphrase: str) -> dict:
    """Write the archive to ``target`` (0600, atomically); returns its manifest."""
    from .accounts import users_path
    from .documents.certificates.keys import fingerprint
    from .documents.certificates.register import REGISTER_NAME
    from .documents.certificates.verify import load_key
    from .write import atomic_write_private

    records_dir = Path(records_dir)
    key = load_key(records_dir)  # the key the register was issued under, or a refusal
    files: dict[str, bytes] = {}
    for path in sorted(records_dir.rglob("*")):
        relative = path.relative_to(records_dir).as_posix()
        if path.is_symlink() or not path.is_file() or path.name in SKIPPED or path.name.startswith(f"{REGISTER_NAME}-") or path.name.endswith(".tmp"):
            continue
        files[f"records/{relative}"] = _register_copy(path) if relative == REGISTER_NAME else path.read_bytes()
    users = users_path()
    if users.is_file():
        files[USERS_MEMBER] = users.read_bytes()
    files[KEY_MEMBER] = encrypt_key(key, passphrase)
    manifest = {
        "format": FORMAT,
        "key_fingerprint": fingerprint(key),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        _add(archive, MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        for name, data in files.items():
            _add(archive, name, data)
    atomic_write_private(Path(target), out.getvalue())
    return manifest


def _read_archive(source: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the files of an archive, each checked (names, sizes, hashes)."""
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(source, mode="r:gz") as archive:
            for member in archive:
                name = PurePosixPath(member.name)
                if not member.isfile() or name.is_absolute() or ".." in name.parts or not (str(name) == MANIFEST or name.parts[0] in ("records", "config")):
                    raise UsageError(f"{source}: '{member.name}' does not belong in an irdocs backup; nothing was restored")
                total += member.size
                if total > MAX_TOTAL:
                    raise UsageError(f"{source}: the backup unpacks to more than {MAX_TOTAL // 1024**3} GB; nothing was restored")
                files[str(name)] = archive.extractfile(member).read()
    except (OSError, EOFError, zlib.error, tarfile.TarError) as exc:
        raise UsageError(f"{source}: not an irdocs backup, or a damaged one ({exc}); nothing was restored") from None
    try:
        manifest = json.loads(files.pop(MANIFEST))
        listed = manifest["files"]
    except (KeyError, ValueError, TypeError):
        raise UsageError(f"{source}: not an irdocs backup (no {MANIFEST})") from None
    if manifest.get("format") != FORMAT:
        raise UsageError(f"{source}: a backup of another kind ({manifest.get('format')}); this irdocs reads {FORMAT}")
    if set(listed) != set(files) or KEY_MEMBER not in files:
        raise UsageError(f"{source}: the backup is incomplete (its list of files does not match); nothing was restored")
    for name, data in files.items():
        if hashlib.sha256(data).hexdigest() != listed[name]:
            raise UsageError(f"{source}: {name} is damaged in the backup (its SHA-256 differs); nothing was restored")
    return manifest, files


def restore_backup(source: Path, records_dir: Path, passphrase: str) -> dict:
    """Unpack ``source`` into the empty (or new) ``records_dir``, with the key and the accounts."""
    from .accounts import users_path
    from .documents.certificates.keys import KEY_ENV, fingerprint, import_key, key_path, read_key
    from .documents.certificates.register import Register, register_path
    from .write import atomic_write_private

    records_dir = Path(records_dir)
    if records_dir.exists() and any(records_dir.iterdir()):
        raise UsageError(f"{records_dir}: the folder is not empty; restore into a new or empty folder")
    manifest, files = _read_archive(Path(source))
    key = decrypt_key(files.pop(KEY_MEMBER), passphrase, str(source))
    if fingerprint(key) != manifest.get("key_fingerprint"):
        raise UsageError(f"{source}: the key in the backup is not the one its list names; nothing was restored")
    users = files.pop(USERS_MEMBER, None)
    if os.environ.get(KEY_ENV, "").strip() and read_key() != key:
        raise UsageError(f"{KEY_ENV} holds another key than the backup's (fingerprint {manifest['key_fingerprint']}); unset it and restore again")
    current = key_path()
    if current.exists() and read_key() != key:
        raise UsageError(
            f"{current}: this computer has another key (fingerprint {fingerprint(read_key())}); restore on a computer without one, or move it away"
        )
    records_dir.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        target = records_dir / PurePosixPath(name).relative_to("records")
        atomic_write_private(target, data)
    with tempfile.TemporaryDirectory() as folder:
        handover = Path(folder) / "key"
        handover.write_bytes(key + b"\n")
        os.chmod(handover, 0o600)
        import_key(handover, records_dir)
    if users is not None and not users_path().exists():
        atomic_write_private(users_path(), users)
    if register_path(records_dir).exists():
        with Register(register_path(records_dir), create=False) as register:
            problems = register.audit_problems()
        if problems:
            raise ConfigError(f"{records_dir}: the restored register does not pass its audit: {problems[0][1]}")
    return manifest
