"""The public verification page: what anyone who scans a certificate's QR code sees.

For a valid certificate it shows only the name, the title, the date of the award and the
university; for a revoked one, the date it was withdrawn; nothing else of the register, and no
way to list or search it. Every lookup counts against the caller's rate limit (HTTP 429 past it).

A serial that was never issued and a serial with a wrong code get the same answer (status 404,
the same words): the page never tells whether a serial exists to someone who lacks its code.
Nothing internal reaches the public: a problem of the set-up (the key, the records, the register)
shows a plain "cannot be checked now" page, and the details go to the server's log only.
"""

from __future__ import annotations

import logging

from flask import Blueprint, render_template, request

from . import current_service

bp = Blueprint("public", __name__)
log = logging.getLogger("irdocs.web")
#: What the public sees of each verdict: a wrong code looks exactly like an unknown serial.
PUBLIC_STATUS = {"valid": "valid", "revoked": "revoked", "altered": "unknown", "unknown": "unknown", "register-altered": "unavailable"}


def _university() -> tuple[str, str]:
    """The institution's names, or empty ones when the records cannot be read (never an error page)."""
    from ..errors import IrdocsError

    try:
        institution = current_service().records_and_problems()[0].institution
    except IrdocsError:
        return "", ""
    return (institution.name, institution.name_mn) if institution else ("", "")


@bp.errorhandler(Exception)
def unavailable(exc):
    """Any failure behind the public page: a plain answer, the details in the log only."""
    from werkzeug.exceptions import HTTPException

    if isinstance(exc, HTTPException) and exc.code < 500:
        return render_template("verify.html", status="unknown", serial="", university=_university()[0]), exc.code
    log.error("verification failed: %s", exc, exc_info=not hasattr(exc, "exit_code"))
    return render_template("verify.html", status="unavailable", serial="", university=_university()[0]), 503


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
    from ..records.model import TITLE_KINDS, parse_partial_date

    svc = current_service()
    verdict = svc.verify(serial, code)
    if verdict.status == "register-altered":
        log.error("verification of %s: %s", verdict.serial, verdict.message)
    university, university_mn = _university()
    view = {"status": PUBLIC_STATUS[verdict.status], "serial": verdict.serial, "university": university, "university_mn": university_mn}
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
        return render_template("verify_form.html", university=_university()[0])
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
        return render_template("verify_form.html", university=_university()[0], missing=True, serial=serial, code=code), 400
    view = verdict_view(serial[:64], code[:64])
    return render_template("verify.html", **view), {"unknown": 404, "unavailable": 503}.get(view["status"], 200)
