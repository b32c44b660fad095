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

from .errors import ConfigError, storage

LOCK_NAME = ".irdocs.lock"
LOCK_TIMEOUT = 60.0


def _temporary_copy(path: Path, data: bytes) -> str:
    """``data`` in a flushed temporary file next to ``path``, with ``path``'s permissions.

    An OSError (read-only, no permission, disk full...) is a StorageError naming ``path``."""
    with storage(path):
        return _temporary_copy_of(path, data)


def _publish(temp: str, path: Path) -> None:
    """Rename ``temp`` over ``path`` (a StorageError naming ``path`` if the computer refuses)."""
    with storage(path):
        os.replace(temp, path)


def _temporary_copy_of(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return temp


@contextlib.contextmanager
def staged(path: Path, data: bytes) -> Iterator:
    """``data`` written and flushed beside ``path``; yields the function that puts it in place
    (one rename). Not called, the file never appears. For a file that must appear only once
    something else is recorded (a certificate, once its serial is in the register)."""
    temp = _temporary_copy(Path(path), data)
    try:
        yield lambda: _publish(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (the old file, or the new one, never half of either)."""
    atomic_write_many({Path(path): data})


def atomic_write_private(path: Path, data: bytes) -> None:
    """``atomic_write``, a new file being readable by its owner only (0600): exports of the register, accounts, backups."""
    path = Path(path)
    if not path.exists():
        # Created private first: atomic_write keeps the mode of the file it replaces.
        with storage(path), contextlib.suppress(FileExistsError):
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    atomic_write(path, data)


def atomic_write_many(files: dict[Path, bytes]) -> None:
    """Write several files, each atomically, with the slow part (writing, flushing) done for all first.

    The files are renamed into place one after the other, in the order given, only once every one of
    them is on disk: a crash leaves the old files, or a prefix of the new ones (e.g. a new partner
    without the agreement that needs it, never the other way round).
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            temps.append((_temporary_copy(Path(path), data), Path(path)))
        while temps:
            temp, path = temps[0]
            _publish(temp, path)
            temps.pop(0)
    except BaseException:
        for temp, _ in temps:
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
def folder_lock(lock_file: Path, timeout: float, busy: str) -> Iterator[None]:
    """Hold ``lock_file`` (waiting up to ``timeout`` seconds); ConfigError(``busy``) if it stays taken."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_file))
    with storage(Path(lock_file).parent, "cannot be changed"):
        try:
            lock.acquire(timeout=timeout)
        except Timeout:  # an OSError (TimeoutError) too: said before storage() could take it for a refusal
            raise ConfigError(busy) from None
    try:
        yield
    finally:
        lock.release()


def records_lock(root: Path, timeout: float = LOCK_TIMEOUT):
    """Hold the records folder's lock while reading, checking and changing records."""
    return folder_lock(Path(root) / LOCK_NAME, timeout, f"{root}: another irdocs command is changing these records; try again when it has finished")
