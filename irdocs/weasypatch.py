"""The guard around irdocs' two changes to WeasyPrint's internals (``fontdata``, ``drawings``).

Each change is made once per process, only on a WeasyPrint release it was checked against, and
not when its environment variable is set (the tests compare the PDFs with and without it). On
any other release WeasyPrint is left as it is: that costs speed or memory, never correctness.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

_lock = threading.Lock()


def install_once(state: dict, switch_off: str, releases: tuple[str, ...], apply: Callable[[], bool]) -> bool:
    """Run ``apply`` (which returns whether it changed anything) once; True if the change is in place."""
    with _lock:
        if state["installed"]:
            return True
        if os.environ.get(switch_off):
            return False
        import weasyprint

        if not weasyprint.__version__.startswith(releases):
            return False
        state["installed"] = bool(apply())
        return state["installed"]
