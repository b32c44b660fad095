"""The office's pages: sign in, the records at a glance, add records, make documents, download them.

Every page but the sign-in page needs a signed-in account; every form carries a CSRF token
(Flask-WTF checks it before any view runs). Documents are made by background jobs (see
``jobs``): a button starts one and opens its page, which shows the progress and then the links.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _

from ..errors import IrdocsError, RecordsError, UsageError
from ..records.partial import ceremony_targets
from . import current_service, forms
from .permissions import requires
from .service import FILE_TYPES, NotFound

bp = Blueprint("office", __name__)
PUBLIC_ENDPOINTS = {"office.login", "static"}
RENEWAL_WINDOWS = (90, 180, 365)


# --------------------------------------------------------------------------- sign in


@bp.before_app_request
def load_user():
    g.user = None
    name = session.get("user")
    if name and name in current_service().accounts.active_names():
        g.user = name


@bp.before_request
def require_login():
    if request.endpoint in PUBLIC_ENDPOINTS or g.user:
        return None
    return redirect(url_for("office.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never another site's address) is followed after signing in."""
    if not target:
        return url_for("office.overview")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("office.overview")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    svc = current_service()
    error = None
    if request.method == "POST":
        allowed, wait = svc.login_limiter.allow(request.remote_addr or "?")
        if not allowed:
            seconds = max(1, int(wait + 0.999))
            return render_template("too_many.html", seconds=seconds), 429, {"Retry-After": str(seconds)}
        name = request.form.get("name", "").strip().lower()
        if svc.accounts.check(name, request.form.get("password", "")):
            session.clear()  # a fresh session: nothing carried over from before signing in
            session["user"] = name
            return redirect(_safe_next(request.args.get("next")))
        error = _("The name or the password is not right. Check them and try again.")
    return render_template("login.html", error=error, no_accounts=not svc.accounts.names()), 401 if error else 200


@bp.route("/logout", methods=["POST"])
def logout():
    if g.user:
        current_service().accounts.end_sessions(g.user)  # every session of the account ends, not only this cookie
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("office.login"))


# --------------------------------------------------------------------------- the records


def _matches(query: str, *texts) -> bool:
    words = query.lower().split()
    haystack = " ".join(str(t) for t in texts if t).lower()
    return all(word in haystack for word in words)


@bp.route("/")
def overview():
    from ..localize import country_name
    from ..records.stats import expiring, overview
    from .i18n import language

    svc = current_service()
    records, problems = svc.records_and_problems()
    figures = overview(records)
    countries = [(code, country_name(code, language()), count) for code, count in figures.partners_by_country.items()]
    due = expiring(records, 180)
    return render_template("overview.html", figures=figures, countries=countries, due=due, problems=problems, jobs=svc.jobs.recent(5), records=records)


@bp.route("/partners")
def partners():
    from ..localize import country_name
    from ..records.model import PARTNER_KINDS
    from .i18n import language

    records, problems = current_service().records_and_problems()
    query = request.args.get("q", "").strip()
    country_filter, kind_filter = request.args.get("country", ""), request.args.get("kind", "")
    here = language()
    agreements: dict[str, int] = {}
    for agreement in records.agreements:
        for pid in agreement.partners:
            agreements[pid] = agreements.get(pid, 0) + 1
    rows = [
        {"partner": p, "country": country_name(p.country, here), "agreements": agreements.get(p.id, 0)}
        for p in sorted(records.partners, key=lambda p: (country_name(p.country, here), p.name.lower()))
        if (not query or _matches(query, p.id, p.name, p.native_name, p.name_mn, p.country, country_name(p.country), country_name(p.country, "mn"), p.city))
        and (not country_filter or p.country == country_filter)
        and (not kind_filter or p.kind == kind_filter)
    ]
    sort = _sorted(
        rows,
        {
            "name": lambda r: r["partner"].name.lower(),
            "country": lambda r: r["country"],
            "city": lambda r: r["partner"].city,
            "agreements": lambda r: r["agreements"],
        },
    )
    countries = sorted({(p.country, country_name(p.country, here)) for p in records.partners}, key=lambda c: c[1])
    return render_template(
        "partners.html",
        rows=rows,
        query=query,
        total=len(records.partners),
        problems=problems,
        sort=sort,
        countries=countries,
        country_filter=country_filter,
        kinds=list(PARTNER_KINDS),
        kind_filter=kind_filter,
    )


def _sorted(rows: list[dict], keys: dict) -> str:
    """Sort the rows in place by ?sort=key (or -key for the other way); the sort in force, '' for the list's own order."""
    sort = request.args.get("sort", "")
    key = keys.get(sort.lstrip("-"))
    if key is None:
        return ""
    rows.sort(key=key, reverse=sort.startswith("-"))
    return sort


@bp.route("/agreements")
def agreements():
    from ..documents.agreements.kind import LANGUAGE_CHOICES
    from ..records.model import AGREEMENT_KINDS

    records, problems = current_service().records_and_problems()
    query = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    kind_filter = request.args.get("kind", "")
    rows = []
    for agreement in sorted(records.agreements, key=lambda a: (a.expires_on or dt.date.max, a.id)):
        names = [records.partners_by_id[p].name for p in agreement.partners if p in records.partners_by_id]
        if status and agreement.status != status:
            continue
        if kind_filter and agreement.kind != kind_filter:
            continue
        if query and not _matches(query, agreement.id, agreement.title, agreement.title_mn, agreement.kind, *names):
            continue
        rows.append(
            {
                "agreement": agreement,
                "partners": names,
                "partner_links": [(p, records.partners_by_id[p].name) for p in agreement.partners if p in records.partners_by_id],
                "kind": AGREEMENT_KINDS[agreement.kind][0],
                "expires": agreement.expires_on,
            }
        )
    sort = _sorted(
        rows,
        {"title": lambda r: r["agreement"].title.lower(), "status": lambda r: r["agreement"].status, "expires": lambda r: r["expires"] or dt.date.max},
    )
    return render_template(
        "agreements.html",
        rows=rows,
        query=query,
        status=status,
        kinds=list(AGREEMENT_KINDS),
        kind_filter=kind_filter,
        sort=sort,
        total=len(records.agreements),
        languages=LANGUAGE_CHOICES,
        problems=problems,
        today=records.today,
    )


@bp.route("/honorees")
def honorees():
    from ..records.model import TITLE_KINDS

    svc = current_service()
    records, problems = svc.records_and_problems()
    query = request.args.get("q", "").strip()
    title_filter = request.args.get("title", "")
    entries = svc.certificate_entries()
    rows = []
    for honoree in sorted(records.honorees, key=lambda h: (h.awarded_on.first_day, h.id), reverse=True):
        if query and not _matches(
            query, honoree.id, honoree.display_name, honoree.native_name, honoree.name_mn, honoree.country, honoree.affiliation, honoree.ceremony
        ):
            continue
        if title_filter and honoree.title != title_filter:
            continue
        entry = entries.get(honoree.id)
        made = entry is not None and (svc.out_dir / "certificates" / f"{entry.serial}.pdf").is_file()
        rows.append({"honoree": honoree, "title": TITLE_KINDS[honoree.title][0], "entry": entry, "file": made})
    ceremonies: dict[str, int] = {}
    for honoree in records.honorees:
        if honoree.ceremony:
            ceremonies[honoree.ceremony] = ceremonies.get(honoree.ceremony, 0) + 1
    from ..documents.certificates.kind import ceremony_file_name

    ceremony_rows = [
        {"name": name, "count": count, "file": (svc.out_dir / "certificates" / ceremony_file_name(name)).is_file()}
        for name, count in sorted(ceremonies.items(), reverse=True)
    ]
    sort = _sorted(
        rows,
        {
            "name": lambda r: r["honoree"].display_name.lower(),
            "title": lambda r: r["honoree"].title,
            "awarded": lambda r: (r["honoree"].awarded_on.first_day, r["honoree"].id),
        },
    )
    return render_template(
        "honorees.html",
        rows=rows,
        query=query,
        total=len(records.honorees),
        ceremonies=ceremony_rows,
        problems=problems,
        sort=sort,
        kinds=list(TITLE_KINDS),
        title_filter=title_filter,
    )


@bp.route("/renewals")
def renewals():
    from ..records.stats import expiring

    records, problems = current_service().records_and_problems()
    try:
        within = int(request.args.get("within", "180"))
    except ValueError:
        within = 180
    within = max(0, min(within, 3650))
    rows = [
        {"agreement": a, "ends": end, "days": (end - records.today).days, "partners": [records.partners_by_id[p].name for p in a.partners]}
        for a, end in expiring(records, within, records.today)
    ]
    return render_template("renewals.html", rows=rows, within=within, windows=RENEWAL_WINDOWS, today=records.today, problems=problems)


@bp.route("/factsheets", methods=["GET", "POST"])
@requires("edit", methods=("POST",))
def factsheets():
    from ..documents.factsheets.kind import all_sheets, sheet_path
    from ..localize import LANGUAGES, country_name
    from .i18n import language

    svc = current_service()
    if request.method == "POST":
        language = request.form.get("language", "en")
        if language not in LANGUAGES:
            abort(400, "unknown language")
        job = svc.regenerate_factsheets(g.user, language)
        return redirect(url_for("office.job", job_id=job.id))
    records, problems = svc.records_and_problems()
    rows = []
    for sheet in all_sheets(records):
        if sheet.kind == "department":
            name = _("The department")
        elif sheet.kind == "country":
            name = country_name(sheet.key, language())
        else:
            name = records.partners_by_id[sheet.key].name
        made = {(lang, fmt): sheet_path(svc.out_dir, sheet, lang, fmt).is_file() for lang in LANGUAGES for fmt in ("pdf", "docx")}
        rows.append({"sheet": sheet, "ident": f"{sheet.kind}/{sheet.key}".rstrip("/"), "name": name, "made": made})
    return render_template("factsheets.html", rows=rows, languages=LANGUAGES, problems=problems)


# --------------------------------------------------------------------------- adding records


def _add_form(kind: str, fields: list, make_values, title: str, intro: str, back: str, button: str):
    """Show the form; on submit add the record with the records' own checks, or show each problem at its field."""
    from ..records.entry import add_new

    svc = current_service()
    result = forms.FormResult()
    if request.method == "POST":
        values = make_values(request.form)
        try:
            add_new(svc.records_dir, {kind: [values]}, source=forms.FORM_SOURCE)
        except RecordsError as exc:
            made = {"id"} if not request.form.get("id", "").strip() else set()
            result = forms.form_errors(exc, fields, made)
        else:
            from .activity import record
            from .records_pages import kind_name

            record(svc.records_dir, g.user, "add", kind, values.get("id", ""))
            flash(_("Added %(kind)s %(id)s.", kind=kind_name(kind), id=values.get("id", "")))
            return redirect(url_for(back, q=values.get("id", "")))
    status = 422 if result.errors or result.general else 200
    return render_template(
        "record_form.html", fields=fields, values=request.form, result=result, title=title, intro=intro, kind=kind, back=back, button=button
    ), status


@bp.route("/partners/new", methods=["GET", "POST"])
@requires("edit")
def new_partner():
    return _add_form(
        "partner",
        forms.partner_fields(),
        forms.partner_values,
        _("Add a partner organization"),
        _("It is added to partners.yaml after the same checks as 'irdocs check'."),
        "office.partners",
        _("Add this partner"),
    )


@bp.route("/agreements/new", methods=["GET", "POST"])
@requires("edit")
def new_agreement():
    records = current_service().records()
    return _add_form(
        "agreement",
        forms.agreement_fields(records),
        lambda form: forms.agreement_values(form, records),
        _("Add an agreement"),
        _("It is added to agreements.yaml after the same checks as 'irdocs check'. Joint programmes and signatories are added in the file itself."),
        "office.agreements",
        _("Add this agreement"),
    )


@bp.route("/honorees/new", methods=["GET", "POST"])
@requires("edit")
def new_honoree():
    records = current_service().records()
    return _add_form(
        "honoree",
        forms.honoree_fields(records),
        lambda form: forms.honoree_values(form, records),
        _("Add an honorary title"),
        _("It is added to honorees.csv after the same checks as 'irdocs check'. Then make the certificate from the list of titles."),
        "office.honorees",
        _("Add this honorary title"),
    )


# --------------------------------------------------------------------------- making documents


@bp.route("/agreements/<agreement_id>/draft", methods=["POST"])
@requires("edit")
def draft_agreement(agreement_id: str):
    from ..documents.agreements.kind import LANGUAGE_CHOICES

    svc = current_service()
    records = svc.records({("agreement", agreement_id)})  # refused, naming the problem, if it is left out
    language = request.form.get("language", "en")
    if agreement_id not in records.agreements_by_id:
        abort(404, f"there is no agreement '{agreement_id}' in agreements.yaml")
    if language not in LANGUAGE_CHOICES:
        abort(400, f"unknown language '{language}' (one of: {', '.join(LANGUAGE_CHOICES)})")
    job = svc.draft_agreement(g.user, agreement_id, language, request.form.get("renewal") == "1")
    return redirect(url_for("office.job", job_id=job.id))


@bp.route("/honorees/<honoree_id>/certificate", methods=["POST"])
@requires("issue")
def issue_certificate(honoree_id: str):
    svc = current_service()
    if honoree_id not in svc.records({("honoree", honoree_id)}).honorees_by_id:
        abort(404, f"there is no honoree '{honoree_id}' in honorees.csv")
    job = svc.issue_certificates(g.user, [honoree_id])
    return redirect(url_for("office.job", job_id=job.id))


@bp.route("/ceremonies/<ceremony>/certificates", methods=["POST"])
@requires("issue")
def ceremony_certificates(ceremony: str):
    svc = current_service()
    if not ceremony_targets(svc.records_dir, ceremony):
        abort(404, f"there is no ceremony '{ceremony}' in honorees.csv")
    job = svc.issue_certificates(g.user, [], ceremony)
    return redirect(url_for("office.job", job_id=job.id))


@bp.route("/jobs/<job_id>")
def job(job_id: str):
    found = current_service().jobs.get(job_id)
    if found is None:
        abort(404, "this job is not known (the server may have restarted since); start it again")
    return render_template("job.html", job=found)


@bp.route("/jobs/<job_id>/progress")
def job_progress(job_id: str):
    found = current_service().jobs.get(job_id)
    if found is None:
        abort(404, "this job is not known")
    return job_json(found)


@bp.route("/jobs/<job_id>/cancel", methods=["POST"])
def cancel_job(job_id: str):
    found = current_service().jobs.get(job_id)
    if found is None:
        abort(404, "this job is not known")
    if not may_cancel(found):
        abort(403, "only the person who started this work, or an administrator, can cancel it")
    current_service().jobs.cancel(found)
    return redirect(url_for("office.job", job_id=found.id))


@bp.app_template_global()
def may_cancel(job) -> bool:
    """Whoever started the job, or an administrator."""
    from .permissions import may

    user = g.get("user") or ""
    return not job.over and (user == job.owner or may(user, "accounts"))


@bp.app_template_global()
def job_state(job) -> str:
    """Where the job stands, in the page's language: its place in line, or at work."""
    from .i18n import say

    if job.state == "queued":
        if job.waiting_for:
            return _("Number %(position)s in line: it starts when “%(label)s” has finished.", position=job.position, label=say(job.waiting_for))
        return _("Number %(position)s in line: it starts when one of the jobs running now has finished.", position=job.position)
    return _("Working…")


@bp.app_template_global()
def job_left(job) -> str:
    from .i18n import format_duration

    seconds = job.seconds_left
    return "" if seconds is None else _("About %(time)s left.", time=format_duration(seconds))


def download_url(download, prefix: str = "office") -> str:
    return url_for(f"{prefix}.download", kind=download.kind, ident=download.ident, **dict(download.params))


def job_json(job, prefix: str = "office") -> dict:
    return {
        "id": job.id,
        "label": job.label,
        "state": job.state,
        "total": job.total,
        "count": job.count,
        "percent": job.percent,
        "current": job.current,
        "message": job.outcome.message,
        "error": job.error,
        "failures": [{"name": name, "message": message} for name, message in job.failures],
        "files": [{"label": d.label, "url": download_url(d, prefix)} for d in job.outcome.downloads],
        "created": job.created,
        "position": job.position,
        "seconds_left": None if job.seconds_left is None else round(job.seconds_left),
        "said": job_state(job),
        "left": job_left(job),
    }


@bp.route("/lists/<what>.xlsx")
def list_workbook(what: str):
    """A list (honorary titles, partners, agreements) as the Excel workbook ``irdocs export`` writes:
    to read, sort and filter in Excel, or to edit and upload again."""
    from ..records.export import workbook_bytes
    from ..records.importer import IMPORT_KINDS

    if what not in IMPORT_KINDS:
        abort(404, f"there is no list '{what}'")
    # every row of the kind, or none (as the command): a left-out row would vanish on the way back;
    # the page of the records' problems says which (RecordsError)
    records = current_service().records({(IMPORT_KINDS[what], None)})
    data, _count = workbook_bytes(records, what)
    response = make_response(data)
    response.headers["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response.headers["Content-Disposition"] = f"attachment; filename={what}.xlsx"
    return response


@bp.route("/download/<kind>/<path:ident>")
def download(kind: str, ident: str):
    return send_download(kind, ident)


def send_download(kind: str, ident: str):
    try:
        path = current_service().resolve(kind, ident, request.args.to_dict())
    except NotFound as exc:
        abort(404, str(exc))
    return send_file(path, mimetype=FILE_TYPES[path.suffix], as_attachment=True, download_name=path.name, max_age=0)


@bp.app_template_global()
def file_url(kind: str, ident: str, **params) -> str:
    return url_for("office.download", kind=kind, ident=ident, **params)


# --------------------------------------------------------------------------- error pages


def install_error_pages(app) -> None:
    from flask_wtf.csrf import CSRFError

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def page(status: int, title: str, message: str, problems: list | None = None):
        if wants_json():
            return {"error": message, "problems": [str(p) for p in problems or []]}, status
        return render_template("error.html", title=title, message=message, problems=problems or [], status=status), status

    @app.errorhandler(CSRFError)
    def bad_csrf(exc):
        return page(
            400, _("The form could not be accepted"), _("The form was too old or did not come from this site. Go back, reload the page, and send it again.")
        )

    @app.errorhandler(RecordsError)
    def records_problems(exc):
        return page(
            409,
            _("The records have problems"),
            _("Correct these in the records files (or with 'irdocs check'), then try again."),
            [str(p) for p in exc.problems],
        )

    @app.errorhandler(UsageError)
    def usage(exc):
        return page(400, _("This cannot be done"), str(exc))

    @app.errorhandler(IrdocsError)
    def other(exc):
        return page(500, _("Something is wrong in the set-up"), str(exc))

    @app.errorhandler(400)
    def bad_request(exc):
        return page(400, _("This request could not be understood"), exc.description or "")

    @app.errorhandler(403)
    def forbidden(exc):
        from .accounts_pages import role_name
        from .permissions import may

        role = current_service().accounts.role(g.get("user") or "")
        if role is None or wants_json():
            return page(403, _("Not allowed for your account"), _("Your account may not do this."))
        action = next((a for a in ("edit", "issue", "revoke", "accounts") if not may(g.user, a)), "")
        return page(
            403,
            _("Not allowed for your account"),
            _("Your account's role (%(role)s) does not allow this. Ask an administrator if you need to.", role=role_name(role)) if action else "",
        )

    @app.errorhandler(404)
    def not_found(exc):
        description = exc.description if exc.description and not exc.description.startswith("The requested URL") else _("There is no such page or file.")
        return page(404, _("Not found"), description)

    @app.errorhandler(405)
    def not_allowed(exc):
        return page(405, _("Not allowed"), _("This address does not take this kind of request; use the buttons on the pages."))

    @app.errorhandler(413)
    def too_large(exc):
        if request.endpoint == "lifecycle.upload_scan":
            from .lifecycle import too_large as scan_too_large

            return page(413, _("Too much data"), scan_too_large())
        return page(413, _("Too much data"), _("The form sent more text than a record can hold."))
