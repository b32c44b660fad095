"""Last stage: put files on disk so that each appears whole or not at all.

Every write goes to a temporary file in the same folder, is flushed to disk, then
renamed over the target (``os.replace`` is atomic on one file system), as Lektor's
``Artifact._commit`` does.  Changes to the records folder take a lock first, so two
officers adding records at the same moment do not lose either addition.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import ConfigError

LOCK_NAME = ".irdocs.lock"
LOCK_TIMEOUT = 60.0


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (the old file, or the new one, never half of either)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def read_or_create_secret(path: Path) -> str:
    """The text of a private key file, created with a random key (readable by its owner only) when missing.

    Created exclusively: if two commands race, one key wins and both use it. OSError is left to the caller,
    which knows what to tell the person.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip()


@contextlib.contextmanager
def records_lock(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the records folder's lock while reading, checking and changing records."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(Path(root) / LOCK_NAME))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise ConfigError(f"{root}: another irdocs command is changing these records; try again when it has finished") from None
    try:
        yield
    finally:
        lock.release()
