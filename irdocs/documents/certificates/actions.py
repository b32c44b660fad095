"""Revoking and reissuing a certificate: what ``irdocs register revoke/reissue`` and the web's register pages both do.

A revocation changes only the register. A reissue is made by the one build engine
(``irdocs.build.make``) with ``Settings.reissue``: the honoree's certificate under a new serial (the
old serial superseded, its file moved to ``certificates/superseded/``), then, for an honoree of a
ceremony, the ceremony's print file again with the new certificate in it. The caller runs the steps
``reissue_steps`` returns with its own way of calling ``make`` (a progress bar, or a web job).
"""

from __future__ import annotations

from pathlib import Path

from ...errors import UsageError
from .register import Entry, Register, register_path


def revoke(records_dir: Path, serial: str, reason: str) -> Entry:
    """Revoke ``serial`` for ``reason`` (UsageError when there is no reason, no such serial, or it is not issued)."""
    from ..document import clock

    with Register(register_path(records_dir), create=False) as reg:
        return reg.revoke(serial.strip().upper(), reason, clock())


def reissue_target(records, records_dir: Path, serial: str) -> Entry:
    """The register's entry of ``serial`` once it is known that it can be reissued from the records as they are."""
    serial = serial.strip().upper()
    with Register(register_path(records_dir), create=False) as reg:
        old = reg.get(serial)
    if old is None:
        raise UsageError(f"{serial}: no such serial in the register (see: irdocs register list)")
    if old.honoree_id not in records.honorees_by_id:
        raise UsageError(f"{serial}: its honoree {old.honoree_id} is no longer in the records")
    Register.check_reissue(old, old.honoree_id)
    return old


def reissue_steps(records, old: Entry, reason: str = "") -> list[tuple[object, dict]]:
    """The engine's calls that reissue ``old``: (Settings, named selection), in order."""
    from ..document import Settings

    steps: list[tuple[object, dict]] = [(Settings(reissue={old.serial: reason}), {"id": [old.honoree_id], "document": "certificate"})]
    ceremony = records.honorees_by_id[old.honoree_id].ceremony
    if ceremony:  # its print file, with the new certificate in place of the old one
        steps.append((Settings(), {"ceremony": ceremony, "document": "ceremony"}))
    return steps
