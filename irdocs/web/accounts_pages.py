"""The accounts page (``/accounts``): an administrator adds accounts, changes their roles, sets new
passwords, disables, enables and deletes them. The last administrator who can sign in is never
removed, disabled or demoted. Every change ends the account's sessions and is one line of the
activity (``activity``).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..accounts import LAST_ADMINISTRATOR, MIN_PASSWORD_LENGTH, NAME_PATTERN, ROLES
from ..errors import UsageError
from . import activity, current_service
from .i18n import _
from .permissions import refuse_unless

bp = Blueprint("accounts", __name__)


@bp.before_request
def require_administrator():
    from .office import require_login as office_login

    refused = office_login()
    if refused is not None:
        return refused
    refuse_unless("accounts")
    return None


def role_name(role: str) -> str:
    return {"administrator": _("administrator"), "director": _("director"), "officer": _("officer"), "viewer": _("viewer")}.get(role, role)


def _password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password is too short: at least %(num)d characters (a few words in a row are easy to remember).", num=MIN_PASSWORD_LENGTH)
    if password.strip() != password:
        return _("The password starts or ends with a space; leave the spaces out.")
    return None


def _last_administrator(exc: UsageError, name: str) -> str:
    if str(exc) == LAST_ADMINISTRATOR.format(name=name):
        return _("'%(name)s' is the last administrator who can sign in; make another account an administrator first.", name=name)
    raise exc


def _page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    accounts = current_service().accounts.load()
    return render_template(
        "accounts.html",
        accounts=sorted(accounts.values(), key=lambda a: a.name),
        roles=ROLES,
        role_name=role_name,
        errors=errors or {},
        values=values or {},
        min_length=MIN_PASSWORD_LENGTH,
    ), status


@bp.route("/accounts")
def page():
    return _page()


def _done(message: str, action: str, name: str, detail: str = ""):
    svc = current_service()
    activity.record(svc.records_dir, g.user, action, "account", name, detail)
    flash(message)
    return redirect(url_for("accounts.page"))


@bp.route("/accounts/new", methods=["POST"])
def add():
    accounts = current_service().accounts
    name = request.form.get("name", "").strip().lower()
    password = request.form.get("password", "")
    role = request.form.get("role", "")
    errors: dict[str, str] = {}
    if not NAME_PATTERN.fullmatch(name):
        errors["name"] = _(
            "'%(name)s' cannot be an account name: lower-case Latin letters, digits, '.', '_' or '-', starting with a letter, e.g. 'enkhjargal'.", name=name
        )
    elif name in accounts.names():
        errors["name"] = _("There is already an account '%(name)s'.", name=name)
    if role not in ROLES:
        errors["role"] = _("Choose a role.")
    problem = _password_problem(password)
    if problem:
        errors["password"] = problem
    if errors:
        return _page(errors, {"name": name, "role": role}, 422)
    accounts.add(name, password, role=role)
    return _done(_("Added the account '%(name)s' (%(role)s).", name=name, role=role_name(role)), "account-add", name, role)


def _existing(name: str):
    account = current_service().accounts.load().get(name)
    if account is None:
        abort(404, _("There is no account '%(name)s'.", name=name))
    return account


@bp.route("/accounts/<name>/role", methods=["POST"])
def change_role(name: str):
    _existing(name)
    role = request.form.get("role", "")
    if role not in ROLES:
        return _page({f"role-{name}": _("Choose a role.")}, status=422)
    try:
        current_service().accounts.set_role(name, role)
    except UsageError as exc:
        return _page({f"role-{name}": _last_administrator(exc, name)}, status=409)
    return _done(_("'%(name)s' is now %(role)s.", name=name, role=role_name(role)), "account-role", name, role)


@bp.route("/accounts/<name>/password", methods=["POST"])
def password(name: str):
    _existing(name)
    new = request.form.get("password", "")
    problem = _password_problem(new)
    if problem:
        return _page({f"password-{name}": problem}, status=422)
    current_service().accounts.add(name, new, replace=True)
    return _done(_("Set a new password for '%(name)s'; tell it to them in person.", name=name), "account-password", name)


@bp.route("/accounts/<name>/disable", methods=["POST"])
def disable(name: str):
    account = _existing(name)
    enable = account.disabled
    try:
        current_service().accounts.set_disabled(name, not enable)
    except UsageError as exc:
        return _page({f"state-{name}": _last_administrator(exc, name)}, status=409)
    if enable:
        return _done(_("'%(name)s' can sign in again.", name=name), "account-enable", name)
    return _done(_("'%(name)s' can no longer sign in.", name=name), "account-disable", name)


@bp.route("/accounts/<name>/delete", methods=["POST"])
def delete(name: str):
    _existing(name)
    try:
        current_service().accounts.remove(name)
    except UsageError as exc:
        return _page({f"state-{name}": _last_administrator(exc, name)}, status=409)
    return _done(_("Deleted the account '%(name)s'.", name=name), "account-remove", name)
