"""``irdocs init``: a new records folder with commented examples that passes ``irdocs check``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import UsageError
from ..write import atomic_write
from .load import RECORD_FILES


def init_records(folder: Path) -> list[Path]:
    """Create ``folder`` with the four record files; refuse to touch a folder that has files."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder}: the folder already exists and is not empty; choose a new folder name")
    starter = resources.files("irdocs.records") / "starter"
    written = []
    for name in RECORD_FILES:
        target = folder / name
        atomic_write(target, (starter / name).read_bytes())
        written.append(target)
    return written
