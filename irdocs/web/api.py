"""The JSON API under /api/: the office pages' actions for scripts, with HTTP Basic authentication.

Each call carries an account's name and password (the accounts of ``irdocs user add``); no
cookies, so no CSRF token. A browser remembers Basic credentials, though, and would send them
with a form another site makes it post: so every POST must be JSON (``Content-Type:
application/json``), which a page of another site cannot send without the browser asking this
server first (and it says no). Records are added with the same checks as the forms and the
command line; a refused record answers 422 with each problem and its field. Document jobs answer
202 with the job (``"wait": true`` in the body waits for it, up to ``WAIT_SECONDS``, and only
``MAX_WAITING`` calls wait at once: the others get 202 at once, so waiting never takes every
server thread).

Wrong passwords are counted before the password is checked (a token taken from the address's
bucket, given back when the password is right): calls sent at the same moment cannot check more
passwords than the limit.
"""

from __future__ import annotations

import re
import threading

from flask import Blueprint, abort, g, request, url_for

from ..errors import RecordsError
from ..records.partial import ceremony_targets
from . import current_service
from .office import job_json, send_download

bp = Blueprint("api", __name__)
API_SOURCE = "<request>"
WAIT_SECONDS = 30
MAX_WAITING = 2
#: Deepest nesting of lists and objects a JSON body may have (a record needs 3).
MAX_JSON_DEPTH = 8
_waiting = threading.BoundedSemaphore(MAX_WAITING)


@bp.before_request
def authenticate():
    svc = current_service()
    address = request.remote_addr or "?"
    auth = request.authorization
    challenge = {"WWW-Authenticate": 'Basic realm="irdocs", charset="UTF-8"'}
    if auth is None or auth.type != "basic" or not auth.username:
        return {"error": "sign in with an account's name and password (HTTP Basic authentication, e.g. curl -u NAME)"}, 401, challenge
    allowed, _ = svc.login_limiter.allow(address)  # taken before checking: simultaneous calls cannot overrun the limit
    if not allowed:
        return {"error": "too many wrong passwords from this address; wait a minute"}, 429, {"Retry-After": "60"}
    if not svc.accounts.check(auth.username.lower(), auth.password or ""):
        return {"error": "the name or the password is not right"}, 401, challenge
    svc.login_limiter.give_back(address)
    g.user = auth.username.lower()
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype != "application/json":
        return {"error": "send the body as JSON with \"Content-Type: application/json\" (e.g. curl --json '{}'); forms are not accepted"}, 415
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        from .permissions import may

        action = "issue" if request.path.endswith("/certificate") or request.path.endswith("/certificates") else "edit"
        if not may(g.user, action):
            role = svc.accounts.role(g.user)
            return {"error": f"the account '{g.user}' ({role}) may not do this; ask an administrator"}, 403
    return None


def _body() -> dict:
    if not request.data:
        return {}
    if _depth(request.data) > MAX_JSON_DEPTH:  # before parsing: Python's parser would recurse until it fails
        abort(400, f"the JSON body nests lists or objects deeper than {MAX_JSON_DEPTH} levels")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, 'the body must be a JSON object, e.g. {"language": "en"}')
    return data


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")


def _depth(data: bytes) -> int:
    """How deep the lists and objects of a JSON text nest (brackets inside strings not counted)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub(b"", data)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _job_answer(job, body: dict):
    wait = body.get("wait") is True or request.args.get("wait") in ("1", "true")
    if wait and _waiting.acquire(blocking=False):
        try:
            job.finished.wait(WAIT_SECONDS)
        finally:
            _waiting.release()
    data = job_json(job, "api")
    data["status_url"] = url_for("api.job", job_id=job.id)
    return data, (200 if job.over else 202)


# --------------------------------------------------------------------------- reading


@bp.route("/overview")
def overview():
    from ..records.stats import overview as figures

    records, problems = current_service().records_and_problems()
    return {"figures": figures(records).as_json(), "problems": [str(p) for p in problems]}


def _record(record) -> dict:
    return {**record.model_dump(mode="json", exclude_defaults=True), "location": str(record.location)}


@bp.route("/partners")
def partners():
    return {"partners": [_record(p) for p in current_service().records_and_problems()[0].partners]}


@bp.route("/agreements")
def agreements():
    records = current_service().records_and_problems()[0]
    items = []
    for agreement in records.agreements:
        item = _record(agreement)
        item["expires_on"] = agreement.expires_on.isoformat() if agreement.expires_on else None
        items.append(item)
    return {"agreements": items}


@bp.route("/honorees")
def honorees():
    svc = current_service()
    records = svc.records_and_problems()[0]
    entries = svc.certificate_entries()
    items = []
    for honoree in records.honorees:
        item = _record(honoree)
        entry = entries.get(honoree.id)
        item["certificate"] = (
            None if entry is None else {"serial": entry.serial, "status": entry.status, "url": url_for("api.download", kind="certificate", ident=entry.serial)}
        )
        items.append(item)
    return {"honorees": items}


@bp.route("/renewals")
def renewals():
    from ..records.stats import expiring

    records = current_service().records()
    try:
        within = max(0, min(int(request.args.get("within", "180")), 3650))
    except ValueError:
        abort(400, "within: a number of days, e.g. ?within=180")
    return {
        "within_days": within,
        "today": records.today.isoformat(),
        "agreements": [
            {"id": a.id, "ends_on": end.isoformat(), "days_left": (end - records.today).days, "partners": list(a.partners)}
            for a, end in expiring(records, within)
        ],
    }


@bp.route("/verify/<serial>")
def verify(serial: str):
    verdict = current_service().verify(serial, request.args.get("code", request.args.get("c", "")))
    return {"status": verdict.status, "serial": verdict.serial, "message": verdict.message}


# --------------------------------------------------------------------------- adding records


def _add(kind: str):
    from ..records.entry import add_new

    values = _body()
    if not values:
        abort(400, f"send the {kind}'s fields as a JSON object, as in the records files")
    try:
        add_new(current_service().records_dir, {kind: [values]}, source=API_SOURCE)
    except RecordsError as exc:
        own = [p for p in exc.problems if p.location.file == API_SOURCE]
        other = [str(p) for p in exc.problems if p.location.file != API_SOURCE]
        return {
            "error": f"the {kind} was not added: {len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}",
            "problems": [{"field": p.field, "message": p.message, "expected": p.expected} for p in own],
            "other_problems": other,
        }, 422
    from .activity import record

    record(current_service().records_dir, g.user, "add", kind, str(values.get("id", "")))
    return {"added": kind, "id": values.get("id")}, 201


@bp.route("/partners", methods=["POST"])
def add_partner():
    return _add("partner")


@bp.route("/agreements", methods=["POST"])
def add_agreement():
    return _add("agreement")


@bp.route("/honorees", methods=["POST"])
def add_honoree():
    return _add("honoree")


# --------------------------------------------------------------------------- documents


@bp.route("/agreements/<agreement_id>/draft", methods=["POST"])
def draft(agreement_id: str):
    from ..documents.agreements.kind import LANGUAGE_CHOICES

    svc = current_service()
    body = _body()
    if agreement_id not in svc.records({("agreement", agreement_id)}).agreements_by_id:
        abort(404, f"there is no agreement '{agreement_id}' in agreements.yaml")
    language = body.get("language", "en")
    if language not in LANGUAGE_CHOICES:
        abort(400, f"language: one of {', '.join(LANGUAGE_CHOICES)}")
    return _job_answer(svc.draft_agreement(g.user, agreement_id, language, body.get("renewal") is True), body)


@bp.route("/honorees/<honoree_id>/certificate", methods=["POST"])
def certificate(honoree_id: str):
    svc = current_service()
    body = _body()
    if honoree_id not in svc.records({("honoree", honoree_id)}).honorees_by_id:
        abort(404, f"there is no honoree '{honoree_id}' in honorees.csv")
    return _job_answer(svc.issue_certificates(g.user, [honoree_id]), body)


@bp.route("/ceremonies/<ceremony>/certificates", methods=["POST"])
def ceremony(ceremony: str):
    svc = current_service()
    body = _body()
    if not ceremony_targets(svc.records_dir, ceremony):
        abort(404, f"there is no ceremony '{ceremony}' in honorees.csv")
    return _job_answer(svc.issue_certificates(g.user, [], ceremony), body)


@bp.route("/factsheets", methods=["POST"])
def factsheets():
    from ..localize import LANGUAGES

    svc = current_service()
    body = _body()
    language = body.get("language", "en")
    if language not in LANGUAGES:
        abort(400, f"language: one of {', '.join(LANGUAGES)}")
    return _job_answer(svc.regenerate_factsheets(g.user, language), body)


@bp.route("/jobs/<job_id>")
def job(job_id: str):
    found = current_service().jobs.get(job_id)
    if found is None:
        abort(404, "this job is not known (the server may have restarted since)")
    return job_json(found, "api")


@bp.route("/download/<kind>/<path:ident>")
def download(kind: str, ident: str):
    return send_download(kind, ident)
