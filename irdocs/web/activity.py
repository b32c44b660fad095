"""Who changed what, and when: the office's activity, and its page (``/activity``).

Every change made through the web pages to the records (add, change, delete, an agreement's stage
or scan, a partner's contacts) and to the accounts is one line of ``activity.jsonl`` beside the
records: ``{"at": ..., "user": ..., "action": ..., "kind": ..., "id": ..., "detail": ...}``. The file
is only ever appended to, and a line is written only after its change succeeded. The register's
own events (certificates issued, reissued, revoked, superseded) are already in the register's
hash-chained audit log (``irdocs register audit``): the page shows those rows too, read from the
register, rather than keeping them twice.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flask import Blueprint, render_template, request

from ..write import folder_lock
from . import current_service

ACTIVITY_NAME = "activity.jsonl"
LOCK_NAME = ".activity.lock"
#: The most rows the page shows (newest first).
PAGE_ROWS = 500
#: The register's audit actions shown (a file row is a reprint of the same certificate; the key is set-up).
REGISTER_ACTIONS = ("issue", "reissue", "revoke", "supersede")

bp = Blueprint("activity", __name__)


def activity_path(records_dir: Path) -> Path:
    return Path(records_dir) / ACTIVITY_NAME


def record(records_dir: Path, user: str, action: str, kind: str, ident: str, detail: str = "", now: dt.datetime | None = None) -> None:
    """Append one line for a change that has just succeeded."""
    from ..errors import storage

    at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
    line = json.dumps({"at": at, "user": user, "action": action, "kind": kind, "id": ident, "detail": detail}, ensure_ascii=False) + "\n"
    path = activity_path(records_dir)
    busy = f"{path}: the activity file is busy; try again"
    with folder_lock(path.parent / LOCK_NAME, 10.0, busy), storage(path, "cannot be written"), open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()


def read(records_dir: Path) -> list[dict]:
    """The lines of activity.jsonl, oldest first (a line that cannot be read is skipped, never fatal)."""
    path = activity_path(records_dir)
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and {"at", "user", "action"} <= row.keys():
            rows.append({"kind": "", "id": "", "detail": "", **row, "source": "web"})
    return rows


def register_rows() -> list[dict]:
    """The register's audit rows (certificates issued, reissued, revoked, superseded) as activity rows."""
    register = current_service().register()
    if register is None:
        return []
    return [
        {
            "at": row["at"],
            "user": "",
            "action": row["action"],
            "kind": "certificate",
            "id": row["serial"],
            "detail": row["detail"] or row["honoree_id"],
            "source": "register",
        }
        for row in register.audit()
        if row["action"] in REGISTER_ACTIONS
    ]


def merged(web: list[dict], register: list[dict]) -> list[dict]:
    """The web's rows and the register's, each event once: a register row made by a page's action
    (the page recorded ``revoke``/``reissue``/``issue`` of a certificate with its serial) takes the
    name of who did it; the page's own row is then left out."""
    by_event: dict[tuple[str, str], list[dict]] = {}
    for row in web:
        if row["kind"] == "certificate":
            by_event.setdefault((row["action"], row["id"]), []).append(row)
    used: set[int] = set()
    for row in register:
        waiting = by_event.get((row["action"], row["id"]))
        if waiting:
            made_by = waiting.pop(0)
            used.add(id(made_by))
            row["user"] = made_by["user"]
    return [row for row in web if id(row) not in used] + register


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@bp.before_request
def require_login():
    from .office import require_login as office_login

    return office_login()


@bp.route("/activity")
def page():
    svc = current_service()
    rows = merged(read(svc.records_dir), register_rows())
    users = sorted({row["user"] for row in rows if row["user"]})
    chosen = request.args.get("user", "")
    if chosen:
        rows = [row for row in rows if row["user"] == chosen]
    for order, row in enumerate(rows):
        row["moment"], row["order"] = _moment(row["at"]), order
    rows.sort(key=lambda row: (row["moment"], row["order"]), reverse=True)  # within a second: the file's order
    return render_template("activity.html", rows=rows[:PAGE_ROWS], total=len(rows), users=users, chosen=chosen)
