"""PDF copies of Word files by headless LibreOffice: all files in one call.

LibreOffice takes about 1.2 s to start and then converts a draft in a fraction of that, so a batch
is converted by a single ``soffice --headless --convert-to pdf --outdir DIR file1 file2 ...``. Each
call gets a fresh, private LibreOffice profile, so it neither waits for nor disturbs a LibreOffice
window the officer has open. The PDFs are written into a temporary folder next to the targets and
moved into place one by one, so a failed conversion never leaves half a file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import ConfigError, RenderError

INSTALL_HINT = "install it with 'sudo apt-get install libreoffice-writer-nogui' (or run 'make setup'); on Windows or macOS install LibreOffice from its website"
#: Most a conversion may take before irdocs gives up (LibreOffice hangs on some damaged files).
TIMEOUT_SECONDS = 600


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


#: Debian's Mongolian hyphenation patterns (hyphen-mn). LibreOffice reads a Word file's Mongolian
#: (w:lang mn-MN) as mn-Cyrl-MN and finds the patterns only under that name.
MONGOLIAN_HYPHENATION = Path("/usr/share/hyphen/hyph_mn_MN.dic")


def _hyphenation_env(profile: Path) -> dict[str, str]:
    """The environment of a LibreOffice run: DICPATH names a folder in its profile holding the Mongolian
    patterns by the name LibreOffice looks for (a link), so Mongolian drafts are hyphenated like English ones."""
    env = dict(os.environ)
    if MONGOLIAN_HYPHENATION.is_file():
        folder = profile / "hyphenation"
        folder.mkdir(exist_ok=True)
        (folder / "hyph_mn_Cyrl_MN.dic").symlink_to(MONGOLIAN_HYPHENATION)
        env["DICPATH"] = os.pathsep.join(p for p in (str(folder), os.environ.get("DICPATH", "")) if p)
    return env


def convert_to_pdf(files: Iterable[Path], out_dir: Path | None = None) -> list[Path]:
    """Convert Word files to PDF in one LibreOffice call; the PDFs go next to them (or into ``out_dir``)."""
    files = [Path(f).resolve() for f in files]
    if not files:
        return []
    program = soffice()
    if program is None:
        raise ConfigError(f"LibreOffice is not installed, so no PDF copies were made (the Word files are written): {INSTALL_HINT}")
    groups: dict[Path, list[Path]] = {}
    for file in files:
        groups.setdefault(Path(out_dir).resolve() if out_dir else file.parent, []).append(file)
    made: list[Path] = []
    for folder, members in groups.items():
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".pdf-", dir=folder))
        try:
            with tempfile.TemporaryDirectory(prefix="irdocs-libreoffice-") as profile:
                command = [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(staging)]
                try:
                    result = subprocess.run(
                        [*command, *map(str, members)],
                        capture_output=True,
                        text=True,
                        timeout=TIMEOUT_SECONDS,
                        check=False,
                        env=_hyphenation_env(Path(profile)),
                    )
                except subprocess.TimeoutExpired:
                    raise RenderError(f"LibreOffice did not finish converting {len(members)} files within {TIMEOUT_SECONDS} s") from None
            missing = [m.name for m in members if not (staging / (m.stem + ".pdf")).is_file()]
            if result.returncode != 0 or missing:
                detail = (result.stderr or result.stdout).strip().splitlines()
                why = detail[-1] if detail else f"exit code {result.returncode}"
                raise RenderError(f"LibreOffice could not convert {', '.join(missing) or 'the files'} to PDF: {why}")
            for member in members:
                target = folder / (member.stem + ".pdf")
                os.replace(staging / (member.stem + ".pdf"), target)
                made.append(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return made
