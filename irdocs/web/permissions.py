"""Who may do what in the office's pages: one question, ``may(user, action)``, asked by every page that changes something.

For now every signed-in account may do everything; the accounts' roles (director, officer, viewer)
answer it here, in this one place, and the pages follow.
"""

from __future__ import annotations

#: The actions the pages ask about.
ACTIONS = ("issue", "revoke")


def may(user: str | None, action: str) -> bool:
    """Whether the signed-in ``user`` may do ``action`` (one of ``ACTIONS``); never anyone signed out."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return bool(user)
