"""The department's one verification key, managed on purpose.

Every certificate's check code is keyed with it, so every computer that issues or verifies
certificates must hold the same key. It is made once (``irdocs key init``) on the office's first
computer and copied to the others (``irdocs key export`` / ``irdocs key import``); it is never
made as a side effect of another command. The register remembers the key's fingerprint, so a
command run with another key (another operating-system user's, a stale copy) refuses instead of
issuing codes nobody else can check.

The key is ``$IRDOCS_KEY`` when that is set, otherwise ``verification.key`` in the user's
configuration folder (``~/.config/irdocs/`` on Linux), readable by its owner only. Either way it
must hold at least 32 bytes (``irdocs key init`` writes 64 random hexadecimal digits): a short key
could be found from one certificate by trying every possibility.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from ...errors import ConfigError, UsageError

KEY_ENV = "IRDOCS_KEY"
KEY_FILE_NAME = "verification.key"
MIN_KEY_BYTES = 32
#: Fewer different characters than this is not a random key (``aaaa...``, ``abababab...``).
MIN_DISTINCT = 8

HOW_TO_GET = "on the office's first computer run 'irdocs key init' once; on another computer copy the department's key there and run 'irdocs key import FILE'"


class KeyMissing(ConfigError):
    """No key on this computer: nothing may be issued or checked."""


class KeyMismatch(ConfigError):
    """This computer's key is not the one that issued the register."""


def key_path() -> Path:
    """Where the key file is: the user's configuration folder for irdocs."""
    from platformdirs import user_config_path

    return user_config_path("irdocs", appauthor=False) / KEY_FILE_NAME


def fingerprint(key: bytes) -> str:
    """What may be shown and stored of a key: 16 hexadecimal digits of a hash of it, in groups of four."""
    digest = hashlib.sha256(b"irdocs-key-fingerprint\n" + key).hexdigest()[:16].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def check_strength(key: bytes, where: str) -> bytes:
    """``key`` if it is long and varied enough, else ConfigError naming ``where`` it came from."""
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(f"{where}: the verification key is too short ({len(key)} bytes, at least {MIN_KEY_BYTES}); {HOW_TO_GET}")
    if len(set(key)) < MIN_DISTINCT:
        raise ConfigError(f"{where}: the verification key is not random (only {len(set(key))} different characters); {HOW_TO_GET}")
    return key


def read_key(records_dir: Path | None = None) -> bytes:
    """The key of this computer: $IRDOCS_KEY, or the key file. Never creates one."""
    value = os.environ.get(KEY_ENV, "").strip()
    if value:
        return check_strength(value.encode("utf-8"), KEY_ENV)
    path = key_path()
    if records_dir is not None and path.resolve().is_relative_to(Path(records_dir).resolve()):
        raise ConfigError(f"{path}: the verification key must not be kept in the records folder; set {KEY_ENV} or move the configuration folder")
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise KeyMissing(f"there is no department key on this computer ({path}); {HOW_TO_GET}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the verification key ({getattr(exc, 'strerror', None) or exc}); {HOW_TO_GET}") from None
    return check_strength(text.encode("ascii"), str(path))


def _write_private(path: Path, text: str, replace: bool = False) -> None:
    """``text`` into a new file readable by its owner only (or over the old one, with ``replace``)."""
    from ...write import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    if replace and path.exists():
        os.chmod(path, 0o600)
        atomic_write(path, text.encode("ascii"))
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def init_key() -> tuple[Path, bytes]:
    """Make the department's key (once): 64 random hexadecimal digits in a new private file."""
    if os.environ.get(KEY_ENV, "").strip():
        raise UsageError(f"{KEY_ENV} is set: this computer already uses the key in it; unset {KEY_ENV} to make a key file instead")
    path = key_path()
    if path.exists():
        raise UsageError(f"{path}: there is already a key on this computer (fingerprint {fingerprint(read_key())}); it is never replaced by 'irdocs key init'")
    key = secrets.token_hex(32)
    try:
        _write_private(path, key + "\n")
    except FileExistsError:
        raise UsageError(f"{path}: another command made a key at the same moment; see it with: irdocs key show") from None
    return path, key.encode("ascii")


def export_key(target: Path) -> bytes:
    """Copy this computer's key into ``target`` (a new file, readable by its owner only)."""
    key = read_key()
    target = Path(target)
    if target.exists():
        raise UsageError(f"{target}: the file exists already; give the name of a new file")
    _write_private(target, key.decode("ascii") + "\n")
    return key


def import_key(source: Path, records_dir: Path | None = None) -> tuple[Path, bytes]:
    """Install the department's key from ``source`` as this computer's key file.

    Refused when this computer has another key already, or when the register of ``records_dir``
    was issued under another key.
    """
    source = Path(source)
    try:
        text = source.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{source}: cannot read the key file ({getattr(exc, 'strerror', None) or exc})") from None
    key = check_strength(text.encode("ascii"), str(source))
    if records_dir is not None:
        check_register(records_dir, key)
    path = key_path()
    if path.exists():
        try:
            current = read_key()
        except ConfigError:
            current = None
        if current == key:
            return path, key
        if current is not None:
            raise UsageError(
                f"{path}: this computer has another key already (fingerprint {fingerprint(current)}); move that file away first if it is not needed"
            )
    _write_private(path, key.decode("ascii") + "\n", replace=path.exists())
    return path, key


#: The fingerprint of the key this process checked for each register (by resolved path): the register
#: stores it with its first serial, so the first certificate already binds the register to its key.
_PENDING: dict[str, str] = {}


def pending_fingerprint(register_file: Path) -> str | None:
    """The fingerprint of the key this process loaded for ``register_file``, if any."""
    return _PENDING.get(str(Path(register_file).resolve()))


def check_register(records_dir: Path, key: bytes) -> None:
    """Refuse ``key`` if the register of ``records_dir`` was issued under another key (KeyMismatch).

    A register made before fingerprints were stored gets this key's fingerprint once the key has
    been shown to make the register's codes.
    """
    from .register import Register, register_path

    path = register_path(records_dir)
    mine = fingerprint(key)
    _PENDING[str(path.resolve())] = mine
    if not path.exists():
        return
    with Register(path, create=False) as register:
        stored = register.key_fingerprint()
        if stored is None:
            if not register.codes_match(key):
                raise KeyMismatch(_mismatch(mine, "the one that issued the register's certificates"))
            if register.entries():
                register.bind_key(mine)
        elif stored != mine:
            raise KeyMismatch(_mismatch(mine, f"the department's key, fingerprint {stored}"))


def _mismatch(mine: str, theirs: str) -> str:
    return (
        f"the verification key on this computer (fingerprint {mine}) is not {theirs}; nothing was issued or checked. "
        f"Copy the department's key here and run 'irdocs key import FILE' (or set {KEY_ENV} to it)"
    )
