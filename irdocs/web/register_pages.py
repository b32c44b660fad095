"""The certificate register in the browser: the list with search and filters, its CSV export, revoke and reissue.

The same code as the command line does each thing: the list and the export read the register
(``Register.export_csv``, as ``irdocs register export``), a revocation is
``register_actions.revoke`` (``irdocs register revoke``), and a reissue runs as a background job
through the one build engine (``Service.reissue_certificate``, as ``irdocs register reissue``).
Whether the signed-in account may revoke or issue is asked of ``permissions.may`` (the pages' buttons too).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from ..errors import UsageError
from . import current_service, forms, permissions
from .i18n import _
from .service import SERIAL_PATTERN

bp = Blueprint("register", __name__)
#: Longest reason kept with a revocation or reissue (characters).
REASON_LIMIT = 500


@bp.before_request
def require_login():
    from .office import require_login as office_login

    return office_login()


def _entry(serial: str):
    serial = serial.strip().upper()
    register = current_service().register()
    entry = register.get(serial) if register is not None and SERIAL_PATTERN.fullmatch(serial) else None
    if entry is None:
        abort(404, _("There is no certificate with the serial %(serial)s in the register.", serial=serial))
    return entry


def _allowed(action: str) -> None:
    permissions.refuse_unless(action)


@bp.route("/register")
def register_list():
    from .office import _matches, _sorted

    svc = current_service()
    records, problems = svc.records_and_problems()
    register = svc.register()
    entries = register.entries() if register is not None else []
    query = request.args.get("q", "").strip()
    status, title, year = request.args.get("status", ""), request.args.get("title", ""), request.args.get("year", "")
    rows = []
    for entry in entries:
        honoree = records.honorees_by_id.get(entry.honoree_id)
        if (status and entry.status != status) or (title and entry.kind != title) or (year and str(entry.year) != year):
            continue
        if query and not _matches(query, entry.serial, entry.honoree_id, entry.name, entry.native_name, honoree.display_name if honoree else ""):
            continue
        rows.append({"entry": entry, "honoree": honoree})
    sort = _sorted(
        rows,
        {
            "serial": lambda r: (r["entry"].kind_code, r["entry"].year, r["entry"].sequence),
            "name": lambda r: r["entry"].name.lower(),
            "awarded": lambda r: r["entry"].awarded_on,
            "issued": lambda r: r["entry"].issued_at,
            "status": lambda r: r["entry"].status,
        },
    )
    from ..documents.certificates.register import STATUSES

    return render_template(
        "register.html",
        rows=rows,
        total=len(entries),
        query=query,
        status=status,
        statuses=STATUSES,
        title_filter=title,
        titles=sorted({e.kind for e in entries}),
        year=year,
        years=sorted({e.year for e in entries}, reverse=True),
        sort=sort,
        problems=problems,
    )


@bp.route("/register/export.csv")
def export():
    """Every serial as CSV, the bytes ``irdocs register export --output FILE`` writes (UTF-8 with a BOM, for Excel)."""
    register = current_service().register()
    if register is None:
        abort(404, _("No certificate has been issued yet."))
    text = register.export_csv()
    return Response(
        text.encode("utf-8-sig"), mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="register.csv"', "Cache-Control": "no-store"}
    )


def _reason_errors(reason: str, required: bool) -> list[str]:
    if required and not reason:
        return [_("Give the reason: it is kept in the register with the certificate.")]
    if len(reason) > REASON_LIMIT:
        return [_("The reason is %(count)s characters long; keep it to %(limit)s.", count=len(reason), limit=REASON_LIMIT)]
    return []


def _reason_form(entry, action: str, errors: list[str], reason: str, status: int = 200):
    svc = current_service()
    honoree = svc.records_and_problems()[0].honorees_by_id.get(entry.honoree_id)
    field = forms.FormField(
        "reason",
        _("Reason"),
        _("e.g. awarded in error") if action == "revoke" else _("e.g. name corrected; empty: the revocation's reason"),
        kind="textarea",
        required=action == "revoke",
        wide=True,
    )
    from werkzeug.datastructures import MultiDict

    return render_template(
        "register_action.html",
        action=action,
        entry=entry,
        honoree=honoree,
        field=field,
        values=MultiDict({"reason": reason}),
        errors={"reason": errors} if errors else {},
    ), status


@bp.route("/register/<serial>/revoke", methods=["GET", "POST"])
def revoke(serial: str):
    _allowed("revoke")
    entry = _entry(serial)
    reason = " ".join(request.form.get("reason", "").split())
    if entry.status != "issued":
        return _reason_form(entry, "revoke", [_not_valid(entry)], reason, 409 if request.method == "POST" else 200)
    if request.method == "POST":
        errors = _reason_errors(reason, required=True)
        if errors:
            return _reason_form(entry, "revoke", errors, reason, 422)
        try:
            current_service().revoke_certificate(entry.serial, reason)
        except UsageError as exc:  # revoked by a colleague in the meantime
            return _reason_form(entry, "revoke", [str(exc)], reason, 409)
        current_service().record(g.user, "revoke", entry.serial, reason)
        flash(_("Certificate %(serial)s is revoked: it no longer verifies.", serial=entry.serial))
        return redirect(url_for("register.register_list", q=entry.serial))
    return _reason_form(entry, "revoke", [], reason)


def _not_valid(entry) -> str:
    if entry.status == "superseded":
        return _("This certificate was already reissued as %(serial)s; use that one.", serial=entry.replaced_by)
    return _("This certificate is already revoked (%(reason)s).", reason=entry.reason)


@bp.route("/register/<serial>/reissue", methods=["GET", "POST"])
def reissue(serial: str):
    _allowed("revoke")  # a reissue retires the old certificate: the same right as revoking it
    svc = current_service()
    entry = _entry(serial)
    reason = " ".join(request.form.get("reason", "").split())
    if entry.status == "superseded":
        return _reason_form(entry, "reissue", [_not_valid(entry)], reason, 409 if request.method == "POST" else 200)
    if entry.honoree_id not in svc.records_and_problems()[0].honorees_by_id:
        message = _("Its honorary title %(id)s is no longer in the records, so no new certificate can be made.", id=entry.honoree_id)
        return _reason_form(entry, "reissue", [message], reason, 409 if request.method == "POST" else 200)
    if request.method == "POST":
        errors = _reason_errors(reason, required=False)
        if errors:
            return _reason_form(entry, "reissue", errors, reason, 422)
        try:
            job = svc.reissue_certificate(g.user, entry.serial, reason)
        except UsageError as exc:  # reissued by a colleague in the meantime
            return _reason_form(entry, "reissue", [str(exc)], reason, 409)
        return redirect(url_for("office.job", job_id=job.id))
    return _reason_form(entry, "reissue", [], reason)
