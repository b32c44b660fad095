"""The office's web app (``irdocs serve``) and the public page the certificates' QR codes open.

Three parts, one Flask blueprint each, all calling one ``Service`` (which calls the library):

- ``public``: ``/verify/<serial>?c=<code>`` (the address in the QR codes) and the long form
  ``/verify?serial=...&code=...``: valid, revoked, altered or unknown; rate-limited, no listing;
- ``office``: pages behind a login: the records, forms to add records, drafts, certificates,
  fact sheets, renewals; long work runs as background jobs whose pages show progress;
- ``api``: the same actions as JSON under ``/api/``, with HTTP Basic authentication.

Served by waitress (``irdocs serve``), never by Flask's development server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask.sessions import SecureCookieSessionInterface

from .. import default_templates
from ..accounts import Accounts, secret_key

#: Largest request body accepted (forms and JSON are a few kilobytes).
MAX_BODY = 256 * 1024
#: Larger bodies for the pages that take a file (endpoint -> bytes); every other page keeps MAX_BODY.
UPLOADS = {"lifecycle.upload_scan": 20 * 1024 * 1024 + 64 * 1024}
#: How long a signed-in session lasts at most, even if the browser keeps its cookie.
SESSION_HOURS = 12


class AccountSessions(SecureCookieSessionInterface):
    """Signed cookies that the server can end: each carries its account's session generation.

    The cookie alone does not keep anyone signed in: a session whose generation is not the
    account's current one (after signing out anywhere, or a new password) opens as an empty one,
    and so does a session of an account that was removed or one older than ``SESSION_HOURS``.
    """

    def __init__(self, accounts: Accounts):
        self.accounts = accounts

    def open_session(self, app, request):
        session = super().open_session(app, request)
        user = session.get("user") if session is not None else None
        if user is not None and (session.get("v") is None or session.get("v") != self.accounts.session_generation(user)):
            session.clear()
            session.modified = False
        return session

    def save_session(self, app, session, response):
        user = session.get("user")
        if user is not None and session.get("v") is None:
            session["v"] = self.accounts.session_generation(user)
        return super().save_session(app, session, response)


def _request_class():
    from flask import Request

    class OfficeRequest(Request):
        """A request whose body limit is MAX_BODY, or its page's in ``UPLOADS`` (known before the CSRF check reads the form)."""

        @property
        def max_content_length(self) -> int | None:
            rule = self.url_rule
            if rule is not None and rule.endpoint in UPLOADS:
                return UPLOADS[rule.endpoint]
            return super().max_content_length

    return OfficeRequest


def create_app(
    records_dir: Path,
    out_dir: Path,
    templates_dir: Path | None = None,
    *,
    accounts: Accounts | None = None,
    secure_cookies: bool = False,
    verify_limit: float = 30,
    login_limit: float = 10,
):
    """The WSGI app for one records folder.

    ``verify_limit``: verification lookups per minute allowed from one address (30 by default;
    the load check raises it). ``secure_cookies``: send the session cookie over HTTPS only (set
    whenever the app is reachable from other computers). A reverse proxy's headers are applied by
    the server (``server_options``), never by the app.
    """
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from . import accounts_pages, activity, api, downloads, i18n, lifecycle, office, permissions, previews, public, records_pages, register_pages, upload
    from .service import Service

    templates_dir = Path(templates_dir) if templates_dir else default_templates()
    accounts = accounts or Accounts(records_dir=records_dir)
    app = Flask(__name__)
    app.request_class = _request_class()
    app.config.update(
        SECRET_KEY=secret_key(),
        SESSION_COOKIE_NAME="irdocs_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        MAX_CONTENT_LENGTH=MAX_BODY,
        WTF_CSRF_TIME_LIMIT=None,  # a token lives as long as the session it belongs to
        WTF_CSRF_SSL_STRICT=secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
    )
    app.session_interface = AccountSessions(accounts)
    app.json.sort_keys = False  # answers keep the order they are written in
    app.extensions["irdocs"] = Service(records_dir, out_dir, templates_dir, accounts, verify_limit, login_limit)
    upload.install(app)  # before the CSRF check: its form may be larger than the others
    csrf = CSRFProtect(app)
    csrf.exempt(api.bp)  # no cookies there: every call carries its own name and password
    app.register_blueprint(public.bp)
    app.register_blueprint(office.bp)
    app.register_blueprint(records_pages.bp)
    app.register_blueprint(register_pages.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(previews.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(accounts_pages.bp)
    app.register_blueprint(activity.bp)
    app.register_blueprint(lifecycle.bp)
    permissions.install(app)
    office.install_error_pages(app)
    i18n.install(app)

    @app.context_processor
    def institution():
        from ..errors import IrdocsError

        try:
            records, problems = current_service(app).records_and_problems()
            return {"institution": records.institution, "records_problems": problems}  # problems: the office pages' banner
        except IrdocsError:  # the page itself says what is wrong with the records
            return {"institution": None, "records_problems": []}

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")  # verification addresses carry codes: never sent to other sites
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        if secure_cookies:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not (response.mimetype or "").startswith(("text/css", "application/javascript", "text/javascript")):
            headers.setdefault("Cache-Control", "no-store")
        return response

    return app


#: The headers a trusted reverse proxy sets (deploy/irdocs-nginx.conf) and waitress applies.
PROXY_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"})


def server_options(behind_proxy: bool, proxy_address: str = "127.0.0.1") -> dict:
    """waitress' settings for serving behind one reverse proxy at ``proxy_address``.

    waitress itself then takes the visitor's address and the scheme (https) from the proxy's
    X-Forwarded-* headers, and only when the request comes from ``proxy_address``; from anyone
    else, those headers are removed before the app sees them. (Without these settings waitress
    removes them always, so every visitor looked like the proxy and shared one rate limit.)
    """
    limits = {"max_request_body_size": max(MAX_BODY, *UPLOADS.values()), "channel_timeout": 60}  # waitress refuses larger bodies before the app reads them
    if not behind_proxy:
        return limits
    return {
        **limits,
        "trusted_proxy": proxy_address,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": set(PROXY_HEADERS),
        "clear_untrusted_proxy_headers": True,
    }


def current_service(app=None):
    """The app's Service (the current app's, inside a request)."""
    from flask import current_app

    return (app or current_app).extensions["irdocs"]
