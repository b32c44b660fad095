"""A small picture of a document's first page, shown on its record's page: certificate, draft, fact sheet.

Made when a page first asks for it (never during a build, so no build waits for it) and kept in
``out/.previews/<sha256 of the document>.png``: a changed document has another hash, hence a new
picture, and an unchanged one is not drawn twice. The folder keeps the ``KEEP`` pictures drawn
last: the pictures of documents made again since are removed when a new one is drawn (a picture
removed too early is drawn again when asked). A PDF is drawn by pdftoppm (poppler); a Word
draft is first turned into a PDF by LibreOffice (``irdocs.render.libreoffice.convert_to_pdf``). The picture is
written under a temporary name and moved into place, so a half-drawn one is never served. The
document itself is found only through ``Service.resolve`` (validated ids, never a typed path).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import threading
from pathlib import Path

from flask import Blueprint, abort, request, send_file

from ..errors import RenderError
from . import current_service
from .service import NotFound

bp = Blueprint("previews", __name__)
#: The folder in out/ that holds the pictures.
CACHE = ".previews"
#: The longest side of a picture, in pixels (enough to recognise the document, small to send).
SIZE = 360
#: Pictures kept in out/.previews, the ones drawn last (the sample's documents are about 900;
#: a picture is 10 to 60 KB).
KEEP = 2000
#: Most a picture may take to draw (seconds; LibreOffice starts in about 1.2 s).
TIMEOUT = 120
_lock = threading.Lock()  # one picture drawn at a time: LibreOffice and pdftoppm are heavy on a small server
_hashes: dict[tuple[str, int, int], str] = {}


@bp.before_request
def require_login():
    from .office import require_login as office_login

    return office_login()


def sha256(path: Path) -> str:
    """The file's SHA-256 (remembered while its size and time stay the same)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    known = _hashes.get(key)
    if known is None:
        digest = hashlib.sha256()
        with path.open("rb") as source:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
        if len(_hashes) > 10_000:  # files rewritten many times: forget the old versions
            _hashes.clear()
        known = _hashes[key] = digest.hexdigest()
    return known


def preview(out_dir: Path, document: Path) -> Path:
    """The picture of ``document``'s first page in ``out_dir/.previews``, drawn now if it is not there yet."""
    from ..render.libreoffice import convert_to_pdf

    folder = Path(out_dir) / CACHE
    target = folder / f"{sha256(document)}.png"
    if target.is_file():
        return target
    with _lock:
        if target.is_file():  # drawn by another request while this one waited
            return target
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".draw-", dir=folder) as work:
            pdf = document if document.suffix == ".pdf" else convert_to_pdf([document], Path(work))[0]
            command = ["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(SIZE), str(pdf), str(Path(work) / "page")]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
            except FileNotFoundError:
                raise RenderError("pdftoppm is not installed, so no preview can be drawn: install it with 'sudo apt-get install poppler-utils'") from None
            except subprocess.TimeoutExpired:
                raise RenderError(f"pdftoppm did not draw {document.name} within {TIMEOUT} s") from None
            if done.returncode != 0 or not (Path(work) / "page.png").is_file():
                raise RenderError(f"pdftoppm could not draw {document.name}: {done.stderr.strip() or done.returncode}")
            os.replace(Path(work) / "page.png", target)
        _prune(folder)
    return target


def _prune(folder: Path) -> None:
    """Remove the pictures drawn longest ago, beyond the ``KEEP`` drawn last."""
    pictures = []
    for path in folder.glob("*.png"):
        try:
            pictures.append((path.stat().st_mtime_ns, path.name, path))
        except FileNotFoundError:  # removed meanwhile by another irdocs
            continue
    for _time, _name, path in sorted(pictures, reverse=True)[KEEP:]:
        path.unlink(missing_ok=True)


@bp.route("/preview/<kind>/<path:ident>")
def picture(kind: str, ident: str):
    svc = current_service()
    try:
        document = svc.resolve(kind, ident, request.args.to_dict())
    except NotFound as exc:
        abort(404, str(exc))
    return send_file(preview(svc.out_dir, document), mimetype="image/png", max_age=0)  # an IrdocsError: the error page says why
