"""A whole ``irdocs build`` that has nothing to do answers without reading the records.

A full build (no ``--where``, not a dry run) that ends with every document up to date and nothing
failed leaves ``out/.irdocs-noop.json``: what its inputs looked like and which files it left. The
next ``irdocs build`` with the same arguments first compares (under the output folder's lock):

- every file of the records and templates folders (name, size, modification and change times,
  inode): an edit, a new or deleted record, all differ; of the certificate register, its serials
  and their status (a serial issued or revoked differs; a reprint, which only adds to the files
  written and the audit log, does not);
- the date the build would print (``--date``, $SOURCE_DATE_EPOCH, today), the arguments (folders,
  kinds), irdocs' version, the renderers' versions and the installed fonts (the engine's own
  ``environment_fingerprint``), the key's settings ($IRDOCS_* and the key file);
- the build state files, byte for byte as that build left them: a command that wrote a document
  since (``irdocs certificate ID``, the web app) differently has changed them;
- every file the build left, with its size (what the engine itself checks of an output).

If all are the same, the answer is the engine's: every document is up to date; nothing is loaded,
validated or fingerprinted (a no-op took 0.36 s, most of it pydantic and the records). If anything
differs, or the file is missing or unreadable, the build runs as always and writes the file anew.
The shortcut can only say "nothing to do" when the engine would have said it; it never writes a
document, a serial or a state.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path

from . import __version__

NOOP_FILE = ".irdocs-noop.json"
LOCK_FILE = ".irdocs-build-{kind}.lock"  # irdocs.build.LOCK_FILE (tests/test_noop.py checks they agree)
REGISTER_NAME = "register.sqlite3"  # irdocs.documents.certificates.register.REGISTER_NAME (not imported: a no-op needs none of it)
NOOP_VERSION = 1

#: (the inputs' key as a command saw them before it read the records, the arguments): see ``expect``.
_pending: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("irdocs_noop_pending", default=None)


def _tree(root: Path, skip: str = "\0") -> list:
    """(relative path, size, mtime, ctime, inode) of every file under ``root`` (but those whose
    name starts with ``skip``), sorted."""
    found = []
    for folder, _dirs, files in os.walk(root, followlinks=True):
        for name in files:
            if name.startswith(skip):
                continue
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            found.append((os.path.relpath(path, root), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return sorted(found)


def _stamp(path: Path) -> list | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _state_stamp(out_dir: Path) -> list:
    """The build state files of ``out_dir`` (one, or one per kind): a digest of each one's bytes.

    The bytes, not the times: ``irdocs certificate ID --force`` rewrites a certificate and its
    entry, and when both come out the same (they do: the same inputs give the same bytes), the
    whole build is still up to date."""
    try:
        names = sorted(entry.name for entry in os.scandir(out_dir) if entry.name.startswith(".irdocs") and "state" in entry.name)
    except OSError:
        return []
    stamps = []
    for name in names:
        try:
            stamps.append([name, hashlib.sha256((out_dir / name).read_bytes()).hexdigest()])
        except OSError:
            stamps.append([name, None])
    return stamps


def _register(records_dir: Path) -> list | None:
    """What of the certificate register a document can show: every serial (with its status) and the
    key it was issued under; not the files written or the audit log, which every print adds to."""
    import sqlite3

    path = records_dir / REGISTER_NAME
    if not path.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)) as db:
            serials = db.execute("SELECT * FROM serials ORDER BY serial").fetchall()
            meta = db.execute("SELECT * FROM meta ORDER BY name").fetchall()
    except sqlite3.Error as exc:
        return [f"unreadable: {exc}", _stamp(path)]
    return [hashlib.sha256(repr(serials).encode("utf-8")).hexdigest(), hashlib.sha256(repr(meta).encode("utf-8")).hexdigest()]


def _environment() -> list:
    """What the engine's ``environment_fingerprint`` covers, found without importing
    importlib.metadata (a fifth of a no-op): irdocs' version, the name (with its version) of every
    package installed in Python's package folders (a superset of the renderers the engine names), and the
    installed fonts exactly as the engine lists them."""
    from .render.fonts import installed_fonts

    packages = set()
    for folder in sys.path:
        if os.path.basename(folder) not in ("site-packages", "dist-packages"):
            continue  # the folder a command was started in, the tests': not where packages are installed
        try:
            packages.update((folder, entry.name) for entry in os.scandir(folder) if entry.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    fonts = sorted({(path, index) for files in installed_fonts().values() for path, index in files})
    return [__version__, sorted(packages), fonts]


def inputs_key(records_dir: Path, templates_dir: Path, out_dir: Path, kinds: tuple[str, ...], on: str | None) -> str:
    """A digest of everything a whole build's documents are made from (see the module's docstring)."""
    from .documents.certificates.keys import key_path

    records_dir, templates_dir = Path(records_dir).resolve(), Path(templates_dir).resolve()
    parts = {
        "version": [NOOP_VERSION, _environment()],
        "arguments": [str(records_dir), str(templates_dir), str(Path(out_dir).resolve()), list(kinds), on or ""],
        "date": [os.environ.get("SOURCE_DATE_EPOCH", ""), dt.date.today().isoformat()],
        "settings": sorted((k, hashlib.sha256(v.encode()).hexdigest()) for k, v in os.environ.items() if k.startswith("IRDOCS_")),
        "key file": [str(key_path()), _stamp(key_path())],
        "records": _tree(records_dir, skip=REGISTER_NAME),
        "register": _register(records_dir),
        "templates": _tree(templates_dir),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def expect(key: str | None, records_dir: Path, templates_dir: Path, out_dir: Path, kinds: tuple[str, ...], on: str | None) -> None:
    """Say which inputs (``inputs_key`` of these arguments, taken before the records were read) the
    coming whole build reads; ``key`` None: remember nothing."""
    _pending.set(None if key is None else (key, (records_dir, templates_dir, out_dir, tuple(kinds), on)))


@contextlib.contextmanager
def _no_build_running(out_dir: Path, kinds: tuple[str, ...]):
    """Hold the build locks of ``kinds`` if they are all free (yield True), else yield False at once.

    The same locks as the engine's (``irdocs.build.LOCK_FILE``, one per kind, taken by filelock with
    ``flock``), taken with ``flock`` directly: importing filelock costs a tenth of a no-op. When a
    build of one of these kinds is running, or a lock cannot be taken this way, the command goes to
    the engine, which waits for the lock and says so."""
    with contextlib.ExitStack() as held:
        try:
            import fcntl

            for name in sorted(set(kinds)):
                descriptor = os.open(out_dir / LOCK_FILE.format(kind=name), os.O_RDWR | os.O_CREAT, 0o644)
                held.callback(os.close, descriptor)
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held.callback(fcntl.flock, descriptor, fcntl.LOCK_UN)
        except (ImportError, OSError):
            yield False
            return
        yield True


def up_to_date(records_dir: Path, templates_dir: Path, out_dir: Path, kinds: tuple[str, ...], on: str | None) -> tuple[int | None, str]:
    """(how many documents are up to date, the inputs' key) if the last whole build left nothing to
    do and nothing has changed since; else (None, the key)."""
    out_dir = Path(out_dir)
    try:
        saved = json.loads((out_dir / NOOP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = None
    if not isinstance(saved, dict) or not (out_dir / NOOP_FILE).is_file():
        return None, inputs_key(records_dir, templates_dir, out_dir, kinds, on)
    with _no_build_running(out_dir, kinds) as free:
        key = inputs_key(records_dir, templates_dir, out_dir, kinds, on)
        if not free:
            return None, key
        if saved.get("key") != key or saved.get("state") != _state_stamp(out_dir) or not isinstance(saved.get("outputs"), dict):
            return None, key
        for name, size in saved["outputs"].items():
            try:
                if (out_dir / name).stat().st_size != size:
                    return None, key
            except OSError:
                return None, key
        return len(saved["outputs"]), key


def remember(options, result) -> None:
    """Called by the engine under the output folder's lock once the state is saved: if this was the
    whole build a command announced with ``expect``, everything is up to date and nothing failed,
    keep what the next no-op build compares; otherwise forget any earlier record."""
    from .errors import IrdocsError
    from .write import atomic_write

    out_dir = Path(options.out_dir)
    pending = _pending.get()
    if pending is None or options.dry_run:
        return
    _pending.set(None)
    key, (records_dir, templates_dir, expected_out, kinds, on) = pending
    record = out_dir / NOOP_FILE
    same_build = [Path(records_dir).resolve(), Path(templates_dir).resolve(), Path(expected_out).resolve(), tuple(kinds)] == [
        Path(options.records_dir).resolve(),
        Path(options.templates_dir).resolve(),
        out_dir.resolve(),
        tuple(options.kinds),
    ]
    complete = same_build and options.selection is None and not result.failed and not result.notes
    if not complete or inputs_key(records_dir, templates_dir, out_dir, kinds, on) != key:
        with contextlib.suppress(OSError):
            record.unlink(missing_ok=True)
        return
    outputs = {}
    for path in [*result.built, *result.unchanged]:
        try:
            outputs[Path(path).relative_to(out_dir).as_posix()] = Path(path).stat().st_size
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                record.unlink(missing_ok=True)
            return
    data = {"version": NOOP_VERSION, "key": key, "state": _state_stamp(out_dir), "outputs": outputs}
    try:
        atomic_write(record, json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    except (OSError, IrdocsError):  # a full disk: the documents are made; the next no-op asks the engine
        with contextlib.suppress(OSError):
            record.unlink(missing_ok=True)
