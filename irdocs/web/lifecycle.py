"""Agreements through their life, from their page: the stage (draft, sent, signed, ended), the signed
scan, and a partner's contacts.

A stage is written into the agreement's own fields (``sent_on``; ``status: active`` and
``signed_on``; ``status: expired``/``terminated`` and ``ended_on``) through ``editing.change``: the
same checks as ``irdocs check``, under the records lock, the file's comments kept. The scan is
checked to be a PDF (its first bytes and pypdf opening it, at most ``SCAN_LIMIT``) and kept as
``scans/<agreement id>.pdf`` in the records folder, so ``irdocs backup`` keeps it with them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, request, send_file, url_for

from ..errors import RecordsError
from . import current_service, editing
from .i18n import N_, _, problem_text
from .permissions import requires

bp = Blueprint("lifecycle", __name__)
SCANS = "scans"
#: The largest scan accepted (a signed agreement scanned at 200-300 dpi is a few megabytes).
SCAN_LIMIT = 20 * 1024 * 1024
STAGES = ("sent", "signed", "ended")
CONTACT_FIELDS = ("name", "role", "email", "phone")
# The records' sentences these pages add (said in the page's language through i18n.say).
N_("is given, but the agreement has not ended")
N_("'status: expired' or 'status: terminated', or leave 'ended_on' out")
N_("the day the draft was sent to the partner")
N_("the day the draft was sent, on or before 'signed_on'")
N_("the day the agreement ended")
N_("an address such as name@university.edu")
N_("digits with the country code, e.g. +82 2 2123 2114")


@bp.before_request
def require_login():
    from .office import require_login as office_login

    return office_login()


def scan_path(records_dir: Path, agreement_id: str) -> Path:
    return Path(records_dir) / SCANS / f"{agreement_id}.pdf"


def _raw(kind: str, ident: str) -> dict[str, Any]:
    from .records_pages import _raw as raw

    return dict(raw(kind, ident))


def _again(view, errors: dict[str, str], status: int = 422):
    """The record's page again, with the form's problems shown at their fields."""
    g.form_errors = errors
    g.form_values = request.form
    return view(), status


def _errors(exc: RecordsError, pick) -> dict[str, str]:
    """The records' problems as a form's: at the field ``pick(problem.field)`` names, else in general (another record's with its place)."""
    errors: dict[str, str] = {}
    for problem in exc.problems:
        text = problem_text(problem.message, problem.expected)
        target = pick(problem.field) if problem.location.file == editing.FORM_SOURCE else None
        if target:
            errors.setdefault(target, text)
        elif problem.location.file != editing.FORM_SOURCE:
            errors.setdefault("general", str(problem))
        else:
            errors.setdefault("general", f"{problem.field}: {text}" if problem.field else text)
    return errors


# --------------------------------------------------------------------------- the stage


def _date(text: str) -> dt.date | str | None:
    """The form's day: a date (written as a YAML date), else the text as typed (the records' check names what is wrong)."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else text or None
    except ValueError:
        return text


@bp.route("/agreements/<agreement_id>/stage", methods=["POST"])
@requires("edit")
def stage(agreement_id: str):
    from .records_pages import agreement as page

    svc = current_service()
    values = _raw("agreement", agreement_id)
    again = lambda errors: _again(lambda: page(agreement_id), errors)  # noqa: E731
    chosen = request.form.get("stage", "")
    if chosen not in STAGES:
        return again({"stage": _("Choose what happened to the agreement.")})
    day = _date(request.form.get("date", ""))
    if day is None:
        return again({"date": _("Give the day it happened, as YYYY-MM-DD.")})
    if chosen == "sent":
        values["sent_on"] = day
        values["status"] = "draft"
    elif chosen == "signed":
        values["status"], values["signed_on"] = "active", day
        values.pop("ended_on", None)
    else:
        expires = svc.records().agreements_by_id[agreement_id].expires_on
        values["status"] = "expired" if expires is not None and str(day) >= expires.isoformat() else "terminated"
        values["ended_on"] = day
    try:
        editing.change(svc.records_dir, "agreement", agreement_id, values)
    except RecordsError as exc:
        return again(_errors(exc, lambda field: "date" if field in ("sent_on", "signed_on", "ended_on") else None))
    from .activity import record

    record(svc.records_dir, g.user, "stage", "agreement", agreement_id, f"{chosen} {day}")
    flash({"sent": _("Marked as sent to the partner."), "signed": _("Marked as signed."), "ended": _("Marked as ended.")}[chosen])
    return redirect(url_for("records.agreement", agreement_id=agreement_id))


# --------------------------------------------------------------------------- the signed scan


def too_large() -> str:
    return _("The file is larger than %(size)d MB; scan it again at a lower resolution (200 dpi in grey is plenty).", size=SCAN_LIMIT // 2**20)


def check_pdf(data: bytes) -> str | None:
    """What is wrong with an uploaded scan, in the page's language; None for a PDF that opens."""
    if not data:
        return _("Choose the signed agreement's PDF file.")
    if len(data) > SCAN_LIMIT:
        return too_large()
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        return _("The file is not a PDF; save the scan as a PDF and upload that.")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        pages = 0
    if pages < 1:
        return _("The PDF cannot be opened (it may be damaged or cut short); save the scan as a PDF again and upload that.")
    return None


@bp.route("/agreements/<agreement_id>/scan", methods=["POST"])
@requires("edit")
def upload_scan(agreement_id: str):
    from ..write import atomic_write
    from .records_pages import agreement as page

    svc = current_service()
    _raw("agreement", agreement_id)  # 404 for an unknown agreement
    upload = request.files.get("scan")
    data = upload.read(SCAN_LIMIT + 1) if upload else b""
    problem = check_pdf(data)
    if problem:
        return _again(lambda: page(agreement_id), {"scan": problem})
    target = scan_path(svc.records_dir, agreement_id)
    target.parent.mkdir(exist_ok=True)
    atomic_write(target, data)
    from .activity import record

    record(svc.records_dir, g.user, "scan", "agreement", agreement_id, f"{len(data) / 2**20:.1f} MB")
    flash(_("Kept the signed scan of %(id)s.", id=agreement_id))
    return redirect(url_for("records.agreement", agreement_id=agreement_id))


@bp.route("/agreements/<agreement_id>/scan.pdf")
def download_scan(agreement_id: str):
    path = scan_path(current_service().records_dir, agreement_id)
    if not path.is_file():
        abort(404, _("No signed scan of %(id)s has been uploaded.", id=agreement_id))
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=f"{agreement_id}-signed.pdf", max_age=0)


@bp.app_template_global()
def agreement_life(agreement) -> dict:
    """What the agreement's page shows of its life: the stage, whether a scan is kept, today's date for the form."""
    svc = current_service()
    return {
        "stage": agreement.stage,
        "scan": scan_path(svc.records_dir, agreement.id).is_file(),
        "today": dt.date.today().isoformat(),
        "errors": g.get("form_errors") or {},
        "answers": g.get("form_values") or {},
    }


@bp.app_template_global()
def form_problems() -> tuple[dict, dict]:
    """The problems and answers of a form sent from a record's page (shown again on it), else empty."""
    return g.get("form_errors") or {}, g.get("form_values") or {}


# --------------------------------------------------------------------------- a partner's contacts


@bp.route("/partners/<partner_id>/contacts", methods=["POST"])
@requires("edit")
def add_contact(partner_id: str):
    from .records_pages import partner as page

    svc = current_service()
    values = _raw("partner", partner_id)
    contact = {name: request.form.get(name, "").strip() for name in CONTACT_FIELDS}
    contact = {name: value for name, value in contact.items() if value}
    if not contact.get("name"):
        return _again(lambda: page(partner_id), {"name": _("Give the contact's name.")})
    if len(contact) == 1:
        return _again(lambda: page(partner_id), {"email": _("Give an e-mail address or a telephone number (or both).")})
    index = len(values.get("contacts") or [])
    values["contacts"] = [*(values.get("contacts") or []), contact]
    try:
        editing.change(svc.records_dir, "partner", partner_id, values)
    except RecordsError as exc:
        pick = lambda field: field.rsplit(".", 1)[-1] if field.startswith(f"contacts[{index}].") and field.rsplit(".", 1)[-1] in CONTACT_FIELDS else None  # noqa: E731
        return _again(lambda: page(partner_id), _errors(exc, pick))
    from .activity import record

    record(svc.records_dir, g.user, "contact-add", "partner", partner_id, contact["name"])
    flash(_("Added %(name)s to the contacts.", name=contact["name"]))
    return redirect(url_for("records.partner", partner_id=partner_id) + "#contacts")


@bp.route("/partners/<partner_id>/contacts/<int:number>/remove", methods=["POST"])
@requires("edit")
def remove_contact(partner_id: str, number: int):
    svc = current_service()
    values = _raw("partner", partner_id)
    contacts = list(values.get("contacts") or [])
    if not 1 <= number <= len(contacts):
        abort(404, _("There is no such contact."))
    removed = contacts.pop(number - 1)
    if contacts:
        values["contacts"] = contacts
    else:
        values.pop("contacts", None)
    editing.change(svc.records_dir, "partner", partner_id, values)
    from .activity import record

    name = str(removed.get("name", "")) if isinstance(removed, dict) else ""
    record(svc.records_dir, g.user, "contact-remove", "partner", partner_id, name)
    flash(_("Removed %(name)s from the contacts.", name=name))
    return redirect(url_for("records.partner", partner_id=partner_id) + "#contacts")
