"""A zip of the files a job made, or of a ceremony's certificates: "Download all (zip)".

Every file is found through ``Service.resolve`` (validated ids: serials in the register, ceremonies
and agreements in the records), never through a path anyone typed. The zip is the same bytes for the
same files: names sorted, each stored under its place in out/ (``certificates/X.pdf``), with one
fixed time and fixed permissions. It is written to a temporary file (no large batch in memory)
and streamed from there; the file is gone once the answer is sent.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from flask import Blueprint, abort, send_file

from . import current_service
from .i18n import _
from .service import NotFound

bp = Blueprint("downloads", __name__)
#: The time stored for every file in a zip (the earliest a zip can hold).
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@bp.before_request
def require_login():
    from .office import require_login as office_login

    return office_login()


def write_zip(files: dict[str, Path], target) -> None:
    """``files`` (name in the zip -> file) into the open binary file ``target``, the same bytes for the same files."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so that the permissions above are read as such
            with open(files[name], "rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)


def zip_name(text: str) -> str:
    """A file name for the zip from a job's or a ceremony's name: letters, digits and hyphens."""
    return (re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-") or "documents")[:80] + ".zip"


def send_zip(files: dict[str, Path], name: str):
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (removed when closed, which Flask does after sending it)
    try:
        write_zip(files, spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return send_file(spool, mimetype="application/zip", as_attachment=True, download_name=name, max_age=0)


def _resolved(items) -> dict[str, Path]:
    """(kind, ident, params) -> {place under out/: file}, each through the service's validated ``resolve``."""
    svc = current_service()
    out = svc.out_dir.resolve()
    files: dict[str, Path] = {}
    for kind, ident, params in items:
        try:
            path = svc.resolve(kind, ident, dict(params))
        except NotFound as exc:
            abort(404, _("The zip cannot be made: %(reason)s.", reason=str(exc)))
        files[path.relative_to(out).as_posix()] = path
    return files


@bp.route("/jobs/<job_id>/files.zip")
def job_zip(job_id: str):
    job = current_service().jobs.get(job_id)
    if job is None:
        abort(404, _("This job is not known (the server may have restarted since); start it again."))
    if not job.over or not job.outcome.downloads:
        abort(404, _("This job has made no files to download yet."))
    files = _resolved((d.kind, d.ident, d.params) for d in job.outcome.downloads)
    return send_zip(files, zip_name(job.label))


@bp.route("/ceremonies/<ceremony>/files.zip")
def ceremony_zip(ceremony: str):
    """The ceremony's print file and each of its valid certificates made so far."""
    svc = current_service()
    records = svc.records_and_problems()[0]
    members = [h.id for h in records.honorees if h.ceremony == ceremony]
    if not members:
        abort(404, _("There is no ceremony '%(name)s' in honorees.csv.", name=ceremony))
    entries = svc.certificate_entries()
    items = [("ceremony", ceremony, ())]
    for honoree_id in members:
        entry = entries.get(honoree_id)
        if entry is not None and entry.status == "issued" and (svc.out_dir / "certificates" / f"{entry.serial}.pdf").is_file():
            items.append(("certificate", entry.serial, ()))
    return send_zip(_resolved(items), zip_name(ceremony))
