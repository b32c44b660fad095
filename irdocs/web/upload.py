"""Excel upload: a sheet of honorees, partners or agreements, previewed, then applied.

The same import as ``irdocs import FILE --update`` (``irdocs.records.importer.import_file``): first a dry
run shows what would change (new rows, each changed field old -> new) and every problem by row;
nothing is written until the officer confirms, and then the import runs again, checked again,
under the records lock. Nothing is ever deleted from the browser (no --delete-missing).

Only .xlsx and .csv files are accepted, checked by their content (a workbook is a zip file with
``xl/workbook.xml``; a CSV file is text without NUL bytes), at most ``UPLOAD_LIMIT`` bytes. The
file is kept only in a private temporary folder until it is applied, replaced or an hour old.
"""

from __future__ import annotations

import io
import secrets
import shutil
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from ..errors import Location, Problem, RecordsError, UsageError
from . import current_service
from .i18n import _

bp = Blueprint("upload", __name__)

#: The largest sheet accepted (the office's lists are well under 1 MB).
UPLOAD_LIMIT = 5 * 1024 * 1024
#: Uploads not applied are removed after this many seconds.
KEEP_SECONDS = 3600
WHAT = ("honorees", "partners", "agreements")
LISTS = {"honorees": "office.honorees", "partners": "office.partners", "agreements": "office.agreements"}


def install(app) -> None:
    """Register the page, and let its form be larger than the others (before the CSRF check reads it)."""

    from . import UPLOADS

    UPLOADS["upload.preview"] = UPLOAD_LIMIT + 64 * 1024  # the file and the form's few fields
    app.register_blueprint(bp)


@bp.before_request
def require_login():
    from .office import require_login as office_login

    return office_login()


def uploads_folder(records_dir: Path | None = None, create: bool = True) -> Path:
    """A folder only this user account can read, in the system's temporary folder: one per records folder."""
    import hashlib

    records_dir = Path(records_dir or current_service().records_dir).resolve()
    folder = Path(tempfile.gettempdir()) / f"irdocs-uploads-{hashlib.sha256(str(records_dir).encode()).hexdigest()[:12]}"
    if not create:
        return folder
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    now = time.time()
    for old in folder.iterdir():
        try:
            if now - old.stat().st_mtime > KEEP_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
    return folder


def content_problem(name: str, data: bytes) -> str:
    """Why the file is not what its name says (empty when it is an .xlsx workbook or a .csv text)."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        return _("%(name)s: only Excel workbooks (.xlsx) and CSV files (.csv) can be uploaded.", name=name)
    if not data:
        return _("%(name)s is empty.", name=name)
    if suffix == ".xlsx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as workbook:
                if "xl/workbook.xml" in workbook.namelist():
                    return ""
        except zipfile.BadZipFile:
            pass
        return _("%(name)s is not an Excel workbook: save it in Excel as 'Excel Workbook (.xlsx)' and upload it again.", name=name)
    if data.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")) or (b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return _("%(name)s is not a CSV file: save it in Excel as 'CSV UTF-8 (Comma delimited)' and upload it again.", name=name)
    return ""


def _shown(problem: Problem, path: Path, name: str) -> Problem:
    """The problem naming the uploaded file by its own name, not the temporary one."""
    if Path(problem.location.file) == path:
        return replace(problem, location=Location(name, problem.location.line, problem.location.unit))
    return problem


def _plan(path: Path, name: str, what: str, apply: bool):
    """(the import plan, problems, a message): a dry run, or the import itself."""
    from ..records.importer import import_file

    try:
        return import_file(current_service().records_dir, path, what, update=True, dry_run=not apply), [], ""
    except RecordsError as exc:
        return None, [_shown(p, path, name) for p in exc.problems], ""
    except UsageError as exc:
        return None, [], str(exc).replace(str(path), name)


def _stored() -> tuple[Path, str, str] | None:
    """The upload this session previewed: (file, its name, what its rows are)."""
    kept = session.get("upload")
    if not isinstance(kept, dict) or not str(kept.get("token", "")).isalnum():
        return None
    folder = uploads_folder() / kept["token"]
    files = [p for p in folder.iterdir()] if folder.is_dir() else []
    if len(files) != 1 or kept.get("what") not in WHAT:
        return None
    return files[0], files[0].name, kept["what"]


def _forget() -> None:
    kept = session.pop("upload", None)
    if isinstance(kept, dict) and str(kept.get("token", "")).isalnum():
        _remove(uploads_folder() / kept["token"])


def _remove(folder: Path) -> None:
    """An upload's folder, and the uploads' folder once it is empty."""
    import contextlib

    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.parent.rmdir()


def _page(status: int = 200, **context):
    context.setdefault("what", request.form.get("what", "honorees"))
    context.setdefault("choices", [("honorees", _("Honorary titles")), ("partners", _("Partners")), ("agreements", _("Agreements"))])
    context.setdefault("limit_mb", UPLOAD_LIMIT // (1024 * 1024))
    return render_template("upload.html", **context), status


@bp.route("/upload", methods=["GET"])
def form():
    return _page()


@bp.route("/upload", methods=["POST"])
def preview():
    from werkzeug.utils import secure_filename

    what = request.form.get("what", "")
    if what not in WHAT:
        abort(400, "what: one of honorees, partners, agreements")
    sent = request.files.get("sheet")
    if sent is None or not sent.filename:
        return _page(422, error=_("Choose the file to upload."))
    name = secure_filename(sent.filename) or "upload" + Path(sent.filename).suffix.lower()
    data = sent.stream.read(UPLOAD_LIMIT + 1)
    if len(data) > UPLOAD_LIMIT:
        return _page(413, error=_("%(name)s is larger than %(limit)s MB: upload the list in parts.", name=name, limit=UPLOAD_LIMIT // (1024 * 1024)))
    problem = content_problem(name, data)
    if problem:
        return _page(422, error=problem)
    _forget()
    token = secrets.token_hex(16)
    folder = uploads_folder() / token
    folder.mkdir(mode=0o700)
    path = folder / name
    path.write_bytes(data)
    plan, problems, message = _plan(path, name, what, apply=False)
    if plan is not None and (plan.added or plan.changes):
        session["upload"] = {"token": token, "what": what}
    else:
        _remove(folder)
    return _page(422 if problems or message else 200, plan=plan, problems=problems, error=message, name=name, what=what, changes=_by_record(plan))


@bp.route("/upload/apply", methods=["POST"])
def apply():
    stored = _stored()
    if stored is None:
        flash(_("That upload is no longer kept: upload the file again."))
        return redirect(url_for("upload.form"))
    path, name, what = stored
    plan, problems, message = _plan(path, name, what, apply=True)
    if plan is None:  # the records changed since the preview: the same check refuses it now
        return _page(422, problems=problems, error=message, name=name, what=what, changes={})
    _forget()
    flash(
        _(
            "%(name)s applied: %(added)s added, %(updated)s changed.",
            name=name,
            added=len(plan.added),
            updated=len(plan.updated),
        )
    )
    return redirect(url_for(LISTS[what]))


def _by_record(plan) -> dict[str, list]:
    """The changes of a plan, record by record."""
    grouped: dict[str, list] = {}
    for change in plan.changes if plan is not None else []:
        grouped.setdefault(change.record_id, []).append(change)
    return grouped
