"""The office's accounts for ``irdocs serve``: names and password hashes, kept outside the records.

The file is ``users.json`` in the user's configuration folder (``~/.config/irdocs/`` on Linux, the
folder of the verification key), or the file named by ``IRDOCS_USERS``. It holds only salted,
slow hashes (scrypt, through werkzeug's ``generate_password_hash``): never a password. It is
readable by its owner only, and it is never in the records folder, which may be shared or
copied into git.

The web app's session secret is in the same folder (``web-secret.key``), made on first use.

Each account has a role (``ROLES``): an administrator may do everything and manage the accounts; a
director issues, revokes and reissues certificates and has an officer's rights; an officer changes
the records and makes drafts and fact sheets (but issues no certificate: a serial is for ever); a
viewer only reads. An account may be disabled (it cannot sign in; its sessions end). A file written
before roles existed has no ``role`` on its accounts: they read as administrators, as they could do
everything then. The last administrator who can sign in cannot be removed, disabled or demoted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, UsageError
from .write import atomic_write_private, read_or_create_secret

USERS_ENV = "IRDOCS_USERS"
USERS_FILE_NAME = "users.json"
SECRET_FILE_NAME = "web-secret.key"
MIN_PASSWORD_LENGTH = 10
NAME_PATTERN = re.compile(r"[a-z][a-z0-9._-]{0,31}")
#: A hash checked when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH: str | None = None


def config_dir() -> Path:
    """irdocs' folder in the user's configuration folder (where the verification key is too)."""
    from platformdirs import user_config_path

    return user_config_path("irdocs", appauthor=False)


def users_path() -> Path:
    """The accounts file: $IRDOCS_USERS, or users.json in the configuration folder."""
    value = os.environ.get(USERS_ENV, "").strip()
    return Path(value) if value else config_dir() / USERS_FILE_NAME


def secret_key() -> bytes:
    """The key that signs the web app's session cookies (made on first use, kept private)."""
    path = config_dir() / SECRET_FILE_NAME
    try:
        return read_or_create_secret(path).encode("ascii")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read or create the web app's secret key ({exc.strerror})") from None


@dataclass(frozen=True)
class Account:
    name: str
    password_hash: str
    created: str
    #: The generation of the account's web sessions: a session made under another one is over
    #: (signing out and changing the password move it on, ending every session of the account).
    sessions: int = 0
    role: str = "administrator"
    disabled: bool = False


#: The roles, most rights first (see the module's text for what each may do).
ROLES = ("administrator", "director", "officer", "viewer")
#: The role a new account gets when none is named (the first account of a computer: administrator).
DEFAULT_ROLE = "officer"
LAST_ADMINISTRATOR = "'{name}' is the last administrator who can sign in; make another account an administrator first"


def check_role(role: str) -> str:
    role = role.strip().lower()
    if role not in ROLES:
        raise UsageError(f"'{role}' is not a role (one of: {', '.join(ROLES)})")
    return role


class Accounts:
    """The accounts file of one computer."""

    def __init__(self, path: Path | None = None, records_dir: Path | None = None):
        self.path = Path(path) if path else users_path()
        if records_dir is not None and self.path.resolve().is_relative_to(Path(records_dir).resolve()):
            raise ConfigError(f"{self.path}: the accounts file must not be kept in the records folder; set {USERS_ENV} to a file elsewhere")

    def load(self) -> dict[str, Account]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {
                name: Account(
                    name,
                    item["hash"],
                    item.get("created", ""),
                    int(item.get("sessions", 0)),
                    check_role(item.get("role", "administrator")),  # written before roles: could do everything
                    bool(item.get("disabled", False)),
                )
                for name, item in data["users"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, UsageError) as exc:
            raise ConfigError(f"{self.path}: cannot read the accounts file ({exc}); restore it from a backup or delete it and add the accounts again") from None

    def names(self) -> list[str]:
        return sorted(self.load())

    def active_names(self) -> list[str]:
        """The accounts that may sign in (not disabled)."""
        return sorted(name for name, account in self.load().items() if not account.disabled)

    def role(self, name: str) -> str | None:
        """The account's role; None for an unknown or disabled account."""
        account = self.load().get(name)
        return None if account is None or account.disabled else account.role

    def _save(self, accounts: dict[str, Account]) -> None:
        data = {
            "users": {
                a.name: {"hash": a.password_hash, "created": a.created, "sessions": a.sessions, "role": a.role, **({"disabled": True} if a.disabled else {})}
                for a in sorted(accounts.values(), key=lambda a: a.name)
            }
        }
        atomic_write_private(self.path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))

    def _lock(self):
        from .write import folder_lock

        return folder_lock(self.path.parent / ".users.lock", 10.0, f"{self.path}: the accounts file is busy; try again")

    def add(self, name: str, password: str, replace: bool = False, role: str | None = None) -> Account:
        """Add an account (or give an existing one a new password, with ``replace``).

        ``role``: one of ``ROLES``; left out, a new account is an officer (the first one of the
        file an administrator) and an existing one keeps its role.
        """
        from werkzeug.security import generate_password_hash

        name = name.strip()
        if not NAME_PATTERN.fullmatch(name):
            raise UsageError(f"'{name}' cannot be an account name (lower-case letters, digits, '.', '_' or '-', starting with a letter, e.g. 'enkhjargal')")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise UsageError(f"the password is too short: at least {MIN_PASSWORD_LENGTH} characters (a few words in a row are easy to remember)")
        if password.strip() != password:
            raise UsageError("the password starts or ends with a space; leave the spaces out")
        role = check_role(role) if role is not None else None
        password_hash = generate_password_hash(password)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock():
            accounts = self.load()
            if name in accounts and not replace:
                raise UsageError(f"there is already an account '{name}'; to change its password: irdocs user add {name} --replace")
            old = accounts.get(name)
            if role is None:
                role = old.role if old else ("administrator" if not accounts else DEFAULT_ROLE)
            generation = old.sessions + 1 if old else 0  # a new password ends the old one's sessions
            account = Account(name, password_hash, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), generation, role, old.disabled if old else False)
            accounts[name] = account
            if old is not None:
                self._keep_an_administrator(accounts, name)
            self._save(accounts)
        return account

    def _existing(self, accounts: dict[str, Account], name: str) -> Account:
        if name not in accounts:
            raise UsageError(f"there is no account '{name}' (accounts: {', '.join(sorted(accounts)) or 'none'})")
        return accounts[name]

    @staticmethod
    def _keep_an_administrator(accounts: dict[str, Account], name: str) -> None:
        if not any(a.role == "administrator" and not a.disabled for a in accounts.values()):
            raise UsageError(LAST_ADMINISTRATOR.format(name=name))

    def _change(self, name: str, **changes) -> Account:
        """Change one account's role or whether it is disabled (its sessions end), keeping an administrator."""
        from dataclasses import replace

        with self._lock():
            accounts = self.load()
            old = self._existing(accounts, name)
            accounts[name] = replace(old, sessions=old.sessions + 1, **changes)
            self._keep_an_administrator(accounts, name)
            self._save(accounts)
            return accounts[name]

    def set_role(self, name: str, role: str) -> Account:
        return self._change(name, role=check_role(role))

    def set_disabled(self, name: str, disabled: bool) -> Account:
        return self._change(name, disabled=disabled)

    def remove(self, name: str) -> None:
        with self._lock():
            accounts = self.load()
            self._existing(accounts, name)
            del accounts[name]
            self._keep_an_administrator(accounts, name)
            self._save(accounts)

    def session_generation(self, name: str) -> int | None:
        """The generation a session of ``name`` must carry to be valid (None: no such account)."""
        account = self.load().get(name)
        return None if account is None or account.disabled else account.sessions

    def end_sessions(self, name: str) -> None:
        """End every web session of the account (on every computer): signing out does this."""
        from dataclasses import replace

        with self._lock():
            accounts = self.load()
            if name in accounts:
                accounts[name] = replace(accounts[name], sessions=accounts[name].sessions + 1)
                self._save(accounts)

    def check(self, name: str, password: str) -> bool:
        """Whether the name and password belong together (as slow for an unknown name as for a known one)."""
        from werkzeug.security import check_password_hash, generate_password_hash

        global _DUMMY_HASH
        account = self.load().get(name.strip())
        if account is None or account.disabled:
            if _DUMMY_HASH is None:
                _DUMMY_HASH = generate_password_hash("irdocs-no-such-account")
            check_password_hash(_DUMMY_HASH, password)
            return False
        return check_password_hash(account.password_hash, password)
