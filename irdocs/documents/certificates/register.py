"""The certificate register: every serial ever issued, in one SQLite file beside the records.

The register lives at ``<records>/register.sqlite3`` (``REGISTER_NAME``): it belongs with the
records it numbers and is backed up with them, but it is never edited by hand and never committed
to git (the sample repository ignores it).  Two tables:

- ``serials``: one row per serial (``MNUMS-HD-2024-0037``): the honoree, the title kind, the
  award year and the sequence number within kind and year, the essential content the
  verification code covers (name, native name, award date), the code, a hash of that content,
  the status (``issued``, ``revoked`` or ``superseded``), the reason of a revocation, the serial
  that replaced it, and when it was issued and last changed;
- ``files``: the SHA-256 of every certificate file written under a serial (a reprint adds a row);
- ``audit``: an append-only log of every action (triggers refuse updates and deletions).

Every change runs in one ``BEGIN IMMEDIATE`` transaction: SQLite lets one writer in at a time,
so two processes issuing at the same moment never get the same serial, and a serial, once
written, is never deleted or given to anyone else.  Times come from the caller (the command line
passes the clock), so the library and its tests decide what "now" is.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from ...errors import ConfigError, UsageError, storage, storage_error
from ...records.formulas import spreadsheet_text

REGISTER_NAME = "register.sqlite3"
#: How long a command waits for another one that is writing the register (seconds).
BUSY_TIMEOUT = 60.0
STATUSES = ("issued", "revoked", "superseded")

SCHEMA = """
CREATE TABLE IF NOT EXISTS serials (
    serial       TEXT PRIMARY KEY,
    honoree_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    kind_code    TEXT NOT NULL,
    year         INTEGER NOT NULL,
    sequence     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    native_name  TEXT NOT NULL DEFAULT '',
    awarded_on   TEXT NOT NULL,
    code         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'revoked', 'superseded')),
    reason       TEXT NOT NULL DEFAULT '',
    replaced_by  TEXT REFERENCES serials(serial),
    replaces     TEXT REFERENCES serials(serial),
    issued_at    TEXT NOT NULL,
    changed_at   TEXT NOT NULL,
    UNIQUE (kind_code, year, sequence)
);
CREATE UNIQUE INDEX IF NOT EXISTS one_issued_serial_per_honoree ON serials(honoree_id) WHERE status = 'issued';
CREATE TABLE IF NOT EXISTS files (
    serial     TEXT NOT NULL REFERENCES serials(serial),
    sha256     TEXT NOT NULL,
    written_at TEXT NOT NULL,
    PRIMARY KEY (serial, sha256)
);
CREATE TABLE IF NOT EXISTS audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL,
    serial     TEXT NOT NULL,
    honoree_id TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL DEFAULT '',
    row_hash   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS serials_no_delete BEFORE DELETE ON serials
    BEGIN SELECT RAISE(ABORT, 'serials are never deleted'); END;
"""


@dataclass(frozen=True)
class Content:
    """What a certificate's verification code covers (and the register keeps to check it)."""

    honoree_id: str
    kind: str  # honorary-doctorate, ...
    kind_code: str  # HD, ...
    year: int
    name: str  # Latin letters, as printed
    native_name: str  # '' when the record has none
    awarded_on: str  # '2024-06-15', or '1998' when only the year is known

    @property
    def content_hash(self) -> str:
        text = "\n".join((self.kind, self.name, self.native_name, self.awarded_on))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One row of the register."""

    serial: str
    honoree_id: str
    kind: str
    kind_code: str
    year: int
    sequence: int
    name: str
    native_name: str
    awarded_on: str
    code: str
    content_hash: str
    status: str
    reason: str
    replaced_by: str | None
    replaces: str | None
    issued_at: str
    changed_at: str

    @property
    def content(self) -> Content:
        return Content(self.honoree_id, self.kind, self.kind_code, self.year, self.name, self.native_name, self.awarded_on)

    def certifies(self, content: Content) -> bool:
        """Whether this serial certifies ``content``: the same title, date and native name, and the
        same name, whatever the order of its words (certificates issued before names were printed
        family first for Japanese, Korean, Chinese... honorees keep their serials and codes)."""
        if self.content_hash == content.content_hash:
            return True
        same = (self.kind, self.native_name, self.awarded_on) == (content.kind, content.native_name, content.awarded_on)
        return same and sorted(self.name.split()) == sorted(content.name.split())


ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def register_path(records_dir: Path) -> Path:
    return Path(records_dir) / REGISTER_NAME


def format_serial(prefix: str, kind_code: str, year: int, sequence: int) -> str:
    """'MNUMS-HD-2024-0037'."""
    return f"{prefix}-{kind_code}-{year:04d}-{sequence:04d}"


class Register:
    """The register file of one records folder. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path, create: bool = True, readonly: bool = False):
        """``readonly``: open an existing register to read only (planning, a dry run): nothing in
        the file changes, not even its lock bytes."""
        self.path = Path(path)
        if not self.path.exists() and (not create or readonly):
            raise UsageError(f"{self.path}: no certificate register yet (it is created when the first certificate is issued)")
        try:
            if readonly:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
            else:
                if not self.path.exists():
                    # Created readable by its owner only (SQLite gives its journal the same mode).
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    with contextlib.suppress(FileExistsError):
                        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                self.db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.db.executescript("BEGIN IMMEDIATE;" + SCHEMA + "COMMIT;")
                self._upgrade()
            #: False for a register file that a killed command left before its tables were made
            self.ready = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'serials'").fetchone() is not None
        except (OSError, sqlite3.OperationalError) as exc:  # read-only, no permission, disk full, locked
            raise storage_error(exc, self.path, "the certificate register cannot be opened") from None
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"{self.path}: cannot open the certificate register ({exc})") from None

    def _upgrade(self) -> None:
        """Add the audit chain's columns to a register made before them (its old rows stay unchained)."""
        columns = {row["name"] for row in self.db.execute("PRAGMA table_info(audit)")}
        missing = [name for name in ("state", "prev_hash", "row_hash") if name not in columns]
        if missing:
            with self.transaction() as db:
                for name in missing:
                    db.execute(f"ALTER TABLE audit ADD COLUMN {name} TEXT NOT NULL DEFAULT ''")

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): writers queue, never interleave.

        A register the computer will not let us change (read-only, disk full, locked) is a
        StorageError naming the register file; nothing of the transaction is kept."""
        with storage(self.path, "the certificate register cannot be changed"):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.db.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------------ reading

    def _entry(self, row) -> Entry | None:
        return Entry(**{name: row[name] for name in ENTRY_FIELDS}) if row else None

    def get(self, serial: str) -> Entry | None:
        return self._entry(self.db.execute("SELECT * FROM serials WHERE serial = ?", (serial,)).fetchone())

    def current(self, honoree_id: str) -> Entry | None:
        """The honoree's issued serial, if any."""
        return self._entry(self.db.execute("SELECT * FROM serials WHERE honoree_id = ? AND status = 'issued'", (honoree_id,)).fetchone())

    def latest(self, honoree_id: str) -> Entry | None:
        """The honoree's most recent serial, whatever its status."""
        row = self.db.execute("SELECT * FROM serials WHERE honoree_id = ? ORDER BY issued_at DESC, rowid DESC LIMIT 1", (honoree_id,)).fetchone()
        return self._entry(row)

    def entries(self) -> list[Entry]:
        rows = self.db.execute("SELECT * FROM serials ORDER BY kind_code, year, sequence").fetchall()
        return [self._entry(row) for row in rows]

    def sequences(self, kind_code: str, year: int) -> set[int]:
        """The sequence numbers used in one series (kind and year)."""
        rows = self.db.execute("SELECT sequence FROM serials WHERE kind_code = ? AND year = ?", (kind_code, year)).fetchall()
        return {row[0] for row in rows}

    def files(self, serial: str) -> list[str]:
        """SHA-256 of every file written under ``serial``, oldest first."""
        rows = self.db.execute("SELECT sha256 FROM files WHERE serial = ? ORDER BY written_at, rowid", (serial,)).fetchall()
        return [row["sha256"] for row in rows]

    def audit(self) -> list[dict]:
        """Every action on the serials, oldest first (the key's row, which names no serial, left out)."""
        return [dict(row) for row in self.db.execute("SELECT at, action, serial, honoree_id, detail FROM audit WHERE action != 'key' ORDER BY id")]

    # ------------------------------------------------------------------ writing

    def _log(self, db, at: str, action: str, serial: str, honoree_id: str, detail: str = "") -> None:
        """Append an audit row chained to the one before it, with the serial's row as it now is."""
        row = db.execute("SELECT * FROM serials WHERE serial = ?", (serial,)).fetchone()
        state = _state(row) if row else ""
        last = db.execute("SELECT row_hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        prev = last[0] if last else ""
        digest = _row_hash(prev, at, action, serial, honoree_id, detail, state)
        db.execute(
            "INSERT INTO audit (at, action, serial, honoree_id, detail, state, prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (at, action, serial, honoree_id, detail, state, prev, digest),
        )

    # ------------------------------------------------------------------ the key and the audit chain

    def key_fingerprint(self) -> str | None:
        """The fingerprint of the key the register's codes are made with (None before it is known)."""
        row = self.db.execute("SELECT value FROM meta WHERE name = 'key_fingerprint'").fetchone()
        return row[0] if row else None

    def _bind_pending_key(self, db, now: str) -> None:
        """With the first serial, the fingerprint of the key its code was made with (irdocs/documents/certificates/keys.py)."""
        from .keys import pending_fingerprint

        fingerprint = pending_fingerprint(self.path)
        if fingerprint and not db.execute("SELECT 1 FROM meta WHERE name = 'key_fingerprint'").fetchone():
            db.execute("INSERT INTO meta (name, value) VALUES ('key_fingerprint', ?)", (fingerprint,))
            self._log(db, now, "key", "", "", fingerprint)

    def bind_key(self, fingerprint: str, now: str = "") -> None:
        """Remember the department key's fingerprint (once; an audit row says when)."""
        import datetime as dt

        now = now or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM meta WHERE name = 'key_fingerprint'").fetchone():
                return
            db.execute("INSERT INTO meta (name, value) VALUES ('key_fingerprint', ?)", (fingerprint,))
            self._log(db, now, "key", "", "", fingerprint)

    def codes_match(self, key: bytes) -> bool:
        """Whether ``key`` makes the codes of the register's certificates (true when there is none yet)."""
        import hmac

        from .verify import make_code

        entries = self.entries()
        return not entries or any(hmac.compare_digest(make_code(key, e.serial, e.content), e.code) for e in entries)

    def audit_problems(self) -> list[tuple[str | None, str]]:
        """What was changed behind irdocs' back, first broken row first: (serial or None for the whole register, message).

        The audit rows must form an unbroken hash chain; each serial's row must equal the state its last
        audit row recorded; the files and the key's fingerprint must be those the audit rows name.
        """
        problems: list[tuple[str | None, str]] = []
        prev, chained = "", False
        states: dict[str, tuple[int, str]] = {}
        files: set[tuple[str, str]] = set()
        fingerprint = None
        for row in self.db.execute("SELECT * FROM audit ORDER BY id"):
            where = f"audit row {row['id']} ({row['action']} {row['serial'] or ''} at {row['at']})".replace("  ", " ")
            if not row["row_hash"]:
                if chained:
                    return [(None, f"{where}: its hash is missing: the audit log was changed")]
                continue  # written before the chain existed
            chained = True
            if row["prev_hash"] != prev:
                return [(None, f"{where}: it does not follow the row before it: rows were removed, added or changed")]
            expected = _row_hash(row["prev_hash"], row["at"], row["action"], row["serial"], row["honoree_id"], row["detail"], row["state"])
            if row["row_hash"] != expected:
                return [(None, f"{where}: its content was changed after it was written")]
            prev = row["row_hash"]
            if row["action"] == "file":
                files.add((row["serial"], row["detail"]))
            elif row["action"] == "key":
                fingerprint = row["detail"]
            if row["state"]:
                states[row["serial"]] = (row["id"], row["state"])
        if not chained:
            return problems
        for row in self.db.execute("SELECT * FROM serials ORDER BY kind_code, year, sequence"):
            serial = row["serial"]
            if serial not in states:
                problems.append((serial, f"serial {serial}: it has no audit row: it was added behind irdocs' back"))
            elif _state(row) != states[serial][1]:
                problems.append(
                    (serial, f"serial {serial}: its row differs from what audit row {states[serial][0]} recorded: it was changed behind irdocs' back")
                )
        for row in self.db.execute("SELECT serial, sha256 FROM files"):
            if row["serial"] in states and (row["serial"], row["sha256"]) not in files:
                problems.append((row["serial"], f"serial {row['serial']}: file {row['sha256'][:16]}… has no audit row: it was added behind irdocs' back"))
        stored = self.key_fingerprint()
        if fingerprint is not None and stored != fingerprint:
            problems.append((None, f"the key fingerprint was changed from {fingerprint} to {stored} behind irdocs' back"))
        return problems

    def altered(self, serial: str) -> str | None:
        """Why the register cannot be trusted about ``serial`` (None when its rows are as irdocs wrote them)."""
        for where, message in self.audit_problems():
            if where is None or where == serial:
                return message
        return None

    def _insert(self, db, prefix: str, content: Content, make_code, now: str, replaces: str | None = None, sequence: int | None = None) -> Entry:
        """A new row with the number ``sequence`` (foreseen by a build), or else the series' lowest
        free number (a number is free when it was never issued: a failed build leaves no gap)."""
        used = self.sequences(content.kind_code, content.year)
        if sequence is None:
            sequence = next(n for n in range(1, len(used) + 2) if n not in used)
        elif sequence in used:
            taken = format_serial(prefix, content.kind_code, content.year, sequence)
            raise ConfigError(f"honoree {content.honoree_id}: serial {taken} was issued by another command meanwhile; run the command again")
        if sequence > 9999:
            raise ConfigError(f"the register has no serial left for {content.kind_code} {content.year} (9999 used)")
        serial = format_serial(prefix, content.kind_code, content.year, sequence)
        code = make_code(serial, content)
        db.execute(
            "INSERT INTO serials (serial, honoree_id, kind, kind_code, year, sequence, name, native_name, awarded_on, code, content_hash,"
            " status, replaces, issued_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'issued', ?, ?, ?)",
            (
                serial,
                content.honoree_id,
                content.kind,
                content.kind_code,
                content.year,
                sequence,
                content.name,
                content.native_name,
                content.awarded_on,
                code,
                content.content_hash,
                replaces,
                now,
                now,
            ),
        )
        self._log(db, now, "issue" if replaces is None else "reissue", serial, content.honoree_id, f"replaces {replaces}" if replaces else "")
        self._bind_pending_key(db, now)
        return self.get(serial)

    def issue(self, prefix: str, content: Content, make_code, now: str) -> tuple[Entry, bool]:
        """The honoree's serial: the one already issued (a reprint), or the next free one.

        ``make_code(serial, content)`` gives the verification code.  Returns the entry and whether
        it is new.  A changed name, title or date keeps no serial: ``ContentChanged`` says to reissue.
        """
        with self.transaction() as db:
            return self._issue(db, prefix, content, make_code, now)

    def _issue(self, db, prefix: str, content: Content, make_code, now: str, sequence: int | None = None) -> tuple[Entry, bool]:
        existing = self.current(content.honoree_id)
        if existing is not None:
            if not existing.certifies(content):
                raise ContentChanged(existing, content)
            return existing, False
        latest = self.latest(content.honoree_id)
        if latest is not None and latest.status == "revoked":
            raise UsageError(
                f"honoree {content.honoree_id}: certificate {latest.serial} was revoked ({latest.reason}); "
                f"to issue a new one, run: irdocs register reissue {latest.serial}"
            )
        return self._insert(db, prefix, content, make_code, now, sequence=sequence), True

    def write_certificate(
        self, prefix: str, content: Content, make_code, now: str, serial: str, sha256: str, publish, replaces: str | None = None, reason: str = ""
    ) -> tuple[Entry, bool]:
        """Issue (or find, for a reprint) the honoree's serial and keep the file's SHA-256, in one
        transaction, then ``publish()`` the file (already on disk under a temporary name: one rename).

        The serial comes into being only with its file: a killed command leaves at most a serial
        whose file is not in place yet (the next run puts it there, with the same serial), never a
        certificate file whose serial the register does not know. ``serial`` is what the build
        foresaw and printed on the certificate: if the register would now give another (a command
        issued one meanwhile), nothing is recorded and the build says to run again. ``replaces``:
        a reissue, superseding that serial.
        """
        sequence = int(serial.rsplit("-", 1)[-1])
        with self.transaction() as db:
            if replaces is not None:
                entry = self._supersede(db, replaces, prefix, content, make_code, now, reason, sequence)
                new = True
            else:
                entry, new = self._issue(db, prefix, content, make_code, now, sequence)
            if entry.serial != serial:
                raise ConfigError(
                    f"honoree {content.honoree_id}: the register gave {entry.serial}, not {serial}: another command issued certificates meanwhile; run the command again"
                )
            db.execute("INSERT OR IGNORE INTO files (serial, sha256, written_at) VALUES (?, ?, ?)", (serial, sha256, now))
            if db.execute("SELECT changes()").fetchone()[0]:
                self._log(db, now, "file", serial, content.honoree_id, sha256)
        publish()
        return entry, new

    def revoke(self, serial: str, reason: str, now: str) -> Entry:
        reason = " ".join(reason.split())
        if not reason:
            raise UsageError("give the reason of the revocation with --reason TEXT")
        with self.transaction() as db:
            entry = self._require(serial)
            if entry.status != "issued":
                raise UsageError(f"{serial} is already {entry.status}{self._why(entry)}")
            db.execute("UPDATE serials SET status = 'revoked', reason = ?, changed_at = ? WHERE serial = ?", (reason, now, serial))
            self._log(db, now, "revoke", serial, entry.honoree_id, reason)
        return self.get(serial)

    def _supersede(self, db, serial: str, prefix: str, content: Content, make_code, now: str, reason: str = "", sequence: int | None = None) -> Entry:
        old = self._require(serial)
        self.check_reissue(old, content.honoree_id)
        note = " ".join(reason.split()) or (old.reason if old.status == "revoked" else "") or "reissued"
        db.execute("UPDATE serials SET status = 'superseded', reason = ?, changed_at = ? WHERE serial = ?", (note, now, serial))
        new = self._insert(db, prefix, content, make_code, now, replaces=serial, sequence=sequence)
        db.execute("UPDATE serials SET replaced_by = ? WHERE serial = ?", (new.serial, serial))
        self._log(db, now, "supersede", serial, old.honoree_id, f"replaced by {new.serial}: {note}")
        return new

    @staticmethod
    def check_reissue(old: Entry, honoree_id: str) -> None:
        """UsageError unless ``old`` can be reissued for the honoree."""
        if old.status == "superseded":
            raise UsageError(f"{old.serial} was already reissued as {old.replaced_by}; reissue that one instead")
        if old.honoree_id != honoree_id:
            raise UsageError(f"{old.serial} belongs to honoree {old.honoree_id}, not {honoree_id}")

    def _require(self, serial: str) -> Entry:
        entry = self.get(serial)
        if entry is None:
            raise UsageError(f"{serial}: no such serial in the register {self.path} (see: irdocs register list)")
        return entry

    @staticmethod
    def _why(entry: Entry) -> str:
        if entry.status == "superseded":
            return f" (replaced by {entry.replaced_by})"
        return f" ({entry.reason})" if entry.reason else ""

    # ------------------------------------------------------------------ export

    def export_csv(self) -> str:
        """Every serial as CSV (UTF-8, one header row), for audits and Excel."""
        columns = [*ENTRY_FIELDS, "files"]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for entry in self.entries():
            cells = [*(getattr(entry, name) if getattr(entry, name) is not None else "" for name in ENTRY_FIELDS), " ".join(self.files(entry.serial))]
            writer.writerow([spreadsheet_text(cell) for cell in cells])
        return out.getvalue()


def _state(row) -> str:
    """A serial's row as text, as an audit row records it."""
    return json.dumps({name: row[name] for name in ENTRY_FIELDS}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _row_hash(prev: str, at: str, action: str, serial: str, honoree_id: str, detail: str, state: str) -> str:
    text = json.dumps(["irdocs-audit-1", prev, at, action, serial, honoree_id, detail, state], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ContentChanged(UsageError):
    """The record's name, title or date differs from what the issued serial certifies."""

    def __init__(self, entry: Entry, content: Content):
        self.entry = entry
        changed = [
            label
            for label, old, new in (
                ("title", entry.kind, content.kind),
                ("name", entry.name, content.name),
                ("native name", entry.native_name, content.native_name),
                ("award date", entry.awarded_on, content.awarded_on),
            )
            if old != new
        ]
        super().__init__(
            f"honoree {entry.honoree_id}: the {', '.join(changed)} changed since certificate {entry.serial} was issued; "
            f"printed copies would no longer verify. To certify the new content, run: irdocs register reissue {entry.serial}"
        )
