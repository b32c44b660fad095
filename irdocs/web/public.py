"""The public verification page: what anyone who scans a certificate's QR code sees.

For a valid certificate it shows only the name, the title, the date of the award and the
university; for a revoked one, the date it was withdrawn; nothing else of the register, and no
way to list or search it. Every lookup counts against the caller's rate limit (HTTP 429 past it).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from . import current_service

bp = Blueprint("public", __name__)


def rate_limited():
    """The 429 page when this address has looked up too many certificates, else None."""
    allowed, wait = current_service().verify_limiter.allow(request.remote_addr or "?")
    if allowed:
        return None
    seconds = max(1, int(wait + 0.999))
    return render_template("too_many.html", seconds=seconds), 429, {"Retry-After": str(seconds)}


def verdict_view(serial: str, code: str) -> dict:
    """What the page shows for a serial and code: the verdict and, for a valid one, the four facts."""
    from ..localize import format_date
    from ..model import TITLE_KINDS, parse_partial_date

    svc = current_service()
    verdict = svc.verify(serial, code)
    records, _ = svc.records_and_problems()
    institution = records.institution
    view = {"status": verdict.status, "serial": verdict.serial, "university": institution.name, "university_mn": institution.name_mn}
    entry = verdict.entry
    if verdict.status == "valid" and entry is not None:
        view.update(
            name=entry.name,
            native_name=entry.native_name,
            title=TITLE_KINDS[entry.kind][0],
            title_mn=TITLE_KINDS[entry.kind][1],
            awarded=format_date(parse_partial_date(entry.awarded_on), "en"),
            awarded_on=parse_partial_date(entry.awarded_on),  # written in the page's language by the template
        )
    elif verdict.status == "revoked" and entry is not None:
        withdrawn_on = parse_partial_date(entry.changed_at[:10])
        view.update(withdrawn=format_date(withdrawn_on, "en"), withdrawn_on=withdrawn_on, superseded=entry.status == "superseded")
    return view


@bp.route("/verify")
def verify_query():
    """The long form /verify?serial=...&code=... (without them: a form to type both)."""
    serial, code = request.args.get("serial", "").strip(), request.args.get("code", "").strip()
    if not serial and not code:
        return render_template("verify_form.html", university=current_service().records_and_problems()[0].institution.name)
    return _answer(serial, code)


@bp.route("/verify/<serial>")
def verify_path(serial: str):
    """The short form: /verify/<serial>?c=<code>."""
    return _answer(serial, request.args.get("c", request.args.get("code", "")).strip())


def _answer(serial: str, code: str):
    limited = rate_limited()
    if limited:
        return limited
    if not serial or not code:
        return render_template(
            "verify_form.html", university=current_service().records_and_problems()[0].institution.name, missing=True, serial=serial, code=code
        ), 400
    view = verdict_view(serial[:64], code[:64])
    return render_template("verify.html", **view), 404 if view["status"] == "unknown" else 200
