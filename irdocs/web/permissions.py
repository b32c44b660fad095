"""Who may do what in the web app: one question, ``may(user, action)``, asked by every page that changes something.

The actions:

- ``edit``: add, change and delete records; make drafts and fact sheets; an agreement's stage, scan
  and a partner's contacts;
- ``issue``: issue certificates (a serial, once given, is for ever);
- ``revoke``: revoke and reissue certificates;
- ``accounts``: manage the accounts (the accounts page).

What each role may (``accounts.ROLES``): an administrator everything; a director ``edit``, ``issue``
and ``revoke``; an officer ``edit``; a viewer nothing but reading. A page refused shows the 403 page
(in the visitor's language), an API call answers 403 in JSON.
"""

from __future__ import annotations

from functools import wraps

ACTIONS = ("edit", "issue", "revoke", "accounts")
RIGHTS: dict[str, frozenset[str]] = {
    "administrator": frozenset(ACTIONS),
    "director": frozenset({"edit", "issue", "revoke"}),
    "officer": frozenset({"edit"}),
    "viewer": frozenset(),
}


def may(user: str, action: str) -> bool:
    """Whether the account ``user`` may do ``action`` (one of ``ACTIONS``); False for an unknown or disabled account."""
    from . import current_service

    if action not in ACTIONS:
        raise ValueError(f"unknown action '{action}' (one of: {', '.join(ACTIONS)})")
    if not user:
        return False
    role = current_service().accounts.role(user)
    return role is not None and action in RIGHTS[role]


def refuse_unless(action: str) -> None:
    """Stop the request with 403 unless the signed-in account may do ``action``."""
    from flask import abort, g

    if not may(g.get("user") or "", action):
        abort(403)


def requires(action: str, methods: tuple[str, ...] | None = None):
    """A view decorator: 403 unless the signed-in account may do ``action`` (only for ``methods``, if given)."""
    from flask import request

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if methods is None or request.method in methods:
                refuse_unless(action)
            return view(*args, **kwargs)

        return checked

    return decorate


def install(app) -> None:
    """``may(action)`` in the templates (for the signed-in account), to show only the buttons it may use."""
    from flask import g

    @app.context_processor
    def rights():
        return {"may": lambda action: may(g.get("user") or "", action)}
