"""The build engine: the one way irdocs makes documents, incremental, parallel, atomic.

Every entry point (``irdocs build``, the single commands ``certificate``, ``agreement``,
``factsheet``, ``register reissue``, ``new agreement``'s draft, the web app's jobs and the API)
calls ``make``: the kinds to make, a selection (``irdocs.records.select``: ``--where`` and the ids a command
names) and ``Settings`` (language, renewal, ceremony order, date). The document kinds
(``irdocs.documents.document.DocumentKind``: certificates, agreement drafts, fact sheets) each say

- ``plan``: one ``Document`` per output, carrying the plain ``context`` its template receives and
  the template files it renders with; planning changes nothing anywhere;
- ``render``: the output's bytes (run in a worker process);
- ``writer``: what happens in this process as each file is put in place (a certificate's serial
  is issued in the register then, and only then).

The build remembers, per output, a fingerprint of its context, the options, the irdocs and
library versions and the installed fonts, and the hashes of every template file it depends on
(extends/includes and the CSS, images and fonts they reference, found by reading the templates).
A document whose fingerprint and dependencies are unchanged is not rendered again, so changing
one honoree rebuilds that certificate, its ceremony PDF and exactly the fact sheets whose
figures moved.  The state lives in ``out/.irdocs-state.json``; a missing or damaged state
means a full rebuild, never a crash.  Outputs are written atomically (``write.staged``), and a
build deletes only files it wrote before, inside its output folder.

Builds of different kinds run at once on the same output folder (a ceremony's certificates while a
colleague remakes the fact sheets): each kind has its own lock, and the state file is saved by
merging, under a short lock of its own, this build's kinds into what the others saved meanwhile.
Two builds of the same kind take turns.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import noop
from .documents.document import Document, DocumentKind, Failure, Note, Settings, Writer, clock, kind
from .errors import ConfigError, IrdocsError
from .records.select import Selection
from .reporter import Reporter
from .write import atomic_write, folder_lock, staged

__all__ = ["BuildOptions", "BuildResult", "Document", "Failure", "Settings", "build", "plan"]

STATE_FILE = ".irdocs-state.json"
#: One lock per kind of document: ``.irdocs-build-certificates.lock``...
LOCK_FILE = ".irdocs-build-{kind}.lock"
#: Held only while the state file is read and rewritten (a fraction of a second).
STATE_LOCK_FILE = ".irdocs-state.lock"
STATE_VERSION = 1


# --------------------------------------------------------------------------- results


@dataclass
class BuildResult:
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    #: the documents built (or, on a dry run, that would be), in the order they were written
    documents: list[Document] = field(default_factory=list)
    #: every selected document, built or up to date
    selected: list[Document] = field(default_factory=list)
    #: what a person should know that is no failure (a revoked certificate, no longer printed)
    notes: list[Note] = field(default_factory=list)
    #: outputs moved aside instead of deleted (a superseded certificate): (old path, new path)
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    out_dir: Path = Path("out")
    #: the build was asked to stop (``BuildOptions.cancel``) before it had made everything
    cancelled: bool = False
    #: why the record of what was built could not be saved (a full disk): the documents are written
    state_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- dependencies

_JINJA_REF = re.compile(r"{%-?\s*(?:extends|include|import|from)\s+['\"]([^'\"]+)['\"]")
_URL_REF = re.compile(r"""(?:url\(\s*['"]?|(?:src|href)\s*=\s*['"]|@import\s+['"])([^'")\s{}]+)""")


def template_closure(templates_dir: Path, names: Iterable[str]) -> list[str]:
    """The template files ``names`` use, found by reading them: Jinja extends/include/import,
    and local files referenced by url(), src=, href= and @import (CSS, images, fonts).

    Jinja names are looked up in the referring template's top folder first (each kind's loader
    starts there, e.g. templates/certificates/), then in the templates folder itself.
    """
    templates_dir = Path(templates_dir)
    seen: dict[str, None] = {}
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen[name] = None
        path = templates_dir / name
        if path.suffix.lower() not in (".html", ".css", ".svg", ".xml", ".j2", ".jinja"):
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        top = Path(name).parts[0] if len(Path(name).parts) > 1 else ""
        for ref in _JINJA_REF.findall(text):
            local = str(Path(top) / ref) if top else ref
            pending.append(local if (templates_dir / local).exists() or not (templates_dir / ref).exists() else ref)
        for ref in _URL_REF.findall(text):
            if "://" in ref or ref.startswith(("data:", "#", "{", "mailto:")):
                continue
            pending.append(os.path.normpath(str(Path(name).parent / ref)))
    return sorted(seen)


class FileHashes:
    """Hashes of input files, each read once per build."""

    def __init__(self):
        self._hashes: dict[Path, str | None] = {}

    def __call__(self, path: Path) -> str | None:
        if path not in self._hashes:
            try:
                self._hashes[path] = sha256(path.read_bytes())
            except OSError:
                self._hashes[path] = None
        return self._hashes[path]


def environment_fingerprint() -> str:
    """irdocs' and the renderers' versions and the installed fonts: a change rebuilds everything."""
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__
    from .render.fonts import installed_fonts

    parts = [__version__]
    for package in ("weasyprint", "docxtpl", "python-docx", "cairosvg", "segno", "pydyf", "pikepdf"):
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=-")
    fonts = sorted({(path, index) for files in installed_fonts().values() for path, index in files})
    parts.append(sha256(canonical_json(fonts)))
    return sha256("|".join(parts).encode())


# --------------------------------------------------------------------------- state


def load_state(out_dir: Path) -> dict[str, dict]:
    """The previous build's record of each output; anything unreadable means 'rebuild all'."""
    try:
        data = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
        if data.get("version") == STATE_VERSION and isinstance(data.get("outputs"), dict):
            return {k: v for k, v in data["outputs"].items() if isinstance(v, dict)}
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def save_state(out_dir: Path, outputs: dict[str, dict], kinds: Iterable[str] | None = None) -> None:
    """Write the state. With ``kinds``, only those kinds' entries are this build's to say: the
    others are taken from the file as it is now, since a build of another kind may run at once."""
    with folder_lock(out_dir / STATE_LOCK_FILE, 60, f"{out_dir}: the build's record {STATE_FILE} stayed busy for a minute; run the command again"):
        if kinds is not None:
            mine = set(kinds)
            others = {k: v for k, v in load_state(out_dir).items() if v.get("kind") not in mine}
            outputs = others | {k: v for k, v in outputs.items() if v.get("kind") in mine}
        data = json.dumps({"version": STATE_VERSION, "outputs": outputs}, sort_keys=True, separators=(",", ":"))
        atomic_write(out_dir / STATE_FILE, data.encode("utf-8"))


def keep_state(out_dir: Path, state: dict[str, dict], result: BuildResult | None, kinds: Iterable[str] | None = None) -> None:
    """``save_state``; when it fails (a full disk) the reason is kept in ``result.state_error`` and
    the build goes on, so that every document's own outcome is still reported."""
    if result is None:
        save_state(out_dir, state, kinds)
        return
    from .errors import storage_error

    try:
        save_state(out_dir, state, kinds)
    except (IrdocsError, OSError) as exc:
        result.state_error = str(exc) if isinstance(exc, IrdocsError) else str(storage_error(exc, out_dir / STATE_FILE))


def give_back_memory() -> None:
    """Hand the memory this process freed back to the system (glibc keeps it otherwise: each
    document's PDF passes through here, between the build's records, and the gaps stay)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


class StateSaver:
    """Saves the state now and then during a build, so that a killed build keeps most of its progress.

    Writing the state takes longer as it grows (11 MB and 0.05 s at 50x the sample), so it is
    saved at most once a second, and at most a tenth of the time: every 50 documents, as before,
    had the build spend 25 s of a 50x build writing it.
    """

    def __init__(self, out_dir: Path, state: dict[str, dict], kinds: Iterable[str], result: BuildResult | None = None):
        self.out_dir, self.state, self.kinds, self.result = out_dir, state, tuple(kinds), result
        self._last, self._cost = time.monotonic(), 0.0

    def now(self) -> None:
        started = time.monotonic()
        keep_state(self.out_dir, self.state, self.result, self.kinds)
        give_back_memory()
        self._last = time.monotonic()
        self._cost = self._last - started

    def soon(self) -> None:
        if time.monotonic() - self._last >= max(1.0, 10 * self._cost):
            self.now()


@contextlib.contextmanager
def build_lock(out_dir: Path, wait: float, kinds: Iterable[str]):
    """One build of a kind at a time per output folder: a second one of the same kind waits, then
    gives up with a clear message; builds of other kinds go on at once. The kinds' locks are taken
    in one order (sorted), so two builds never wait for each other."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as held:
        for name in sorted(set(kinds)):
            busy = f"{out_dir}: another irdocs command is making {kind(name).noun} in this folder; wait for it to finish, then run the command again"
            held.enter_context(folder_lock(out_dir / LOCK_FILE.format(kind=name), wait, busy))
        yield


# --------------------------------------------------------------------------- workers


class Workspace:
    """What one process keeps warm for a whole batch: one PDF renderer (fonts, cache, parsed
    CSS), one Jinja environment, and a dict for each kind's own reusable pieces (charts...)."""

    def __init__(self, records, records_dir: Path, templates_dir: Path, out_dir: Path):
        self.records = records
        self.records_dir = Path(records_dir)
        self.templates_dir = Path(templates_dir)
        self.out_dir = Path(out_dir)
        self._pdf = None
        self._jinja = None
        self.cache: dict[str, Any] = {}
        self.rendered_docx = 0
        self.rendered = 0

    @property
    def pdf(self):
        if self._pdf is None:
            from .render import PdfRenderer

            self._pdf = PdfRenderer(self.templates_dir, self.records_dir)
        return self._pdf

    @property
    def jinja(self):
        if self._jinja is None:
            from .render import jinja_environment

            self._jinja = jinja_environment(self.templates_dir)
        return self._jinja


_WORKSPACE: Workspace | None = None
#: Held while this process renders a document itself (not in a worker).
_IN_PROCESS = threading.Lock()


def _init_worker(records, records_dir: Path, templates_dir: Path, out_dir: Path) -> None:
    global _WORKSPACE
    _WORKSPACE = Workspace(records, records_dir, templates_dir, out_dir)


#: A full garbage collection after this many Word files, in this process (see ``_tidy``).
COLLECT_EVERY = 10
#: In a worker, everything kept is looked at again by a full collection after this many documents.
UNFREEZE_EVERY = 100


def _tidy(workspace: Workspace, in_worker: bool, docx: bool) -> None:
    """Free what the documents before this one left behind, before it is rendered.

    A rendered document leaves its tree, boxes and styles as objects that refer to each other,
    holding memory Python's collector does not count: Pango's text layouts (PDFs), lxml's XML (Word
    files). The collector's own schedule looks at them only after some 250,000 more objects, that is
    every few documents, and the memory they held is not handed back to the system meanwhile: a
    fact-sheet worker peaked at 188 MB, and at 50x the sample a drafts worker grew 0.7 MB a draft.

    A worker collects before each document. What it then still holds (fonts, the parsed
    stylesheets, irdocs' shared styles) is frozen (``gc.freeze``), so the next collection looks only
    at what one document made: 1.3 ms, not 57. Every ``UNFREEZE_EVERY`` documents the frozen
    objects are looked at again, so nothing kept for a while and then dropped stays for good.
    This process (--jobs 1, the web app) keeps the earlier rule: a full collection every
    ``COLLECT_EVERY`` Word files, and no freezing (it lives longer than a build).
    """
    import gc

    if in_worker:
        workspace.rendered += 1
        if workspace.rendered % UNFREEZE_EVERY == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
    elif docx:
        workspace.rendered_docx += 1
        if workspace.rendered_docx % COLLECT_EVERY == 0:
            gc.collect()


def _render(document: Document, workspace: Workspace | None = None) -> tuple[str, bytes | None, str | None]:
    """(name, bytes, None) or (name, None, message): a failing document never stops the batch."""
    in_worker = workspace is None
    workspace = workspace or _WORKSPACE
    assert workspace is not None
    _tidy(workspace, in_worker, document.name.endswith(".docx"))
    warnings_before = len(workspace.pdf.warnings.messages) if workspace._pdf is not None else 0
    try:
        if document.name.endswith(".pdf"):
            from .render.speedups import install_all

            install_all()  # irdocs' changes to WeasyPrint (irdocs/render/speedups/__init__.py): once, before this process's first PDF
        data = kind(document.kind).render(document, workspace)
    except IrdocsError as exc:
        return document.name, None, str(exc)
    except Exception as exc:  # a bug must not cost the rest of the batch; it is reported by name
        return document.name, None, f"{document.subject}: unexpected error {type(exc).__name__}: {exc}"
    if workspace._pdf is not None and len(workspace.pdf.warnings.messages) > warnings_before:
        new = "; ".join(workspace.pdf.warnings.messages[warnings_before:])
        return document.name, None, f"{document.subject}: the PDF renderer warned: {new}"
    return document.name, data, None


def _worker_context():
    """Workers start from a small server process (multiprocessing's "forkserver"), not as copies
    of this one: they hold what their kind needs (``worker_records``), not everything the build
    read and planned. At 50x the sample this process holds 250 MB of records; forked workers
    counted them twice more. It also never forks a process that runs threads (irdocs serve).

    A pool starts the server when it first needs it. A build that will render everything (no
    state in the output folder yet, or --force) starts it before it reads the records
    (``start_workers_early``), so it loads meanwhile; a small change (one honoree) renders in this
    process and never starts it.

    The server does not load WeasyPrint for the workers: tried, it took 0.55 s in the server that
    each worker otherwise takes in parallel with the other, so the first certificate came no
    sooner, and its pages counted again in every worker's RSS (bench/RESULTS.md).
    """
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["irdocs.build"])
    return context


def start_workers_server() -> None:
    """Start the workers' server now (it loads while this process goes on)."""
    from multiprocessing import forkserver

    _worker_context()
    with contextlib.suppress(OSError, ValueError):
        forkserver.ensure_running()


def renders_everything(jobs: int, force: bool, dry_run: bool, fresh: bool) -> bool:
    """Whether a build will surely render in workers: more than one job, not a dry run, and
    everything to make (--force, or ``fresh``: no earlier build's state)."""
    return jobs > 1 and not dry_run and (force or fresh)


def start_workers_early(out_dir: Path, jobs: int, force: bool, dry_run: bool, selected: bool) -> None:
    """Start the workers' server before the records are read, when the build will surely need
    workers (``renders_everything``, for all the records: no selection)."""
    if not selected and renders_everything(jobs, force, dry_run, fresh=not (Path(out_dir) / STATE_FILE).is_file()):
        start_workers_server()


class Renderers:
    """Renders documents in ``jobs`` worker processes, each with its own warm Workspace, handed out
    a few at a time and returned as they finish. The workers start when first needed and serve
    every phase of one kind (a ceremony's assembly reuses the certificate workers). Few documents
    and --jobs 1 render in this process instead: starting workers would cost more."""

    def __init__(self, workspace_args: Callable[[], tuple], jobs: int):
        self._workspace_args = workspace_args
        self._jobs = jobs
        self._pool = None
        self._workspace: Workspace | None = None

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.__exit__(*exc)
            self._pool = None

    def render(self, documents: list[Document]) -> Iterator[tuple[str, bytes | None, str | None]]:
        if not documents:
            return
        if self._jobs <= 1 or (self._pool is None and len(documents) < 4):
            if self._workspace is None:
                self._workspace = Workspace(*self._workspace_args())
            for document in documents:
                # Builds of different kinds may run at once in one process (the web app's jobs, on
                # threads): each has its own workspace, and they take turns to render.
                with _IN_PROCESS:
                    rendered = _render(document, self._workspace)
                yield rendered
            return
        if self._pool is None:
            self._pool = _worker_context().Pool(self._jobs, initializer=_init_worker, initargs=self._workspace_args(), maxtasksperchild=None)
        # Two at a time: a slow document (a long fact sheet) does not hold back a whole share, and
        # at the end no worker waits long for the other one's last handful.
        chunksize = 2 if len(documents) >= self._jobs * 8 else 1
        yield from self._pool.imap_unordered(_render, documents, chunksize=chunksize)


def worker_records(name: str, records):
    """What workers of the kind ``name`` get of the records (a pickled copy): certificates need
    only the institution (each document brings its honoree)."""
    return kind(name).worker_records(records)


# --------------------------------------------------------------------------- the build


@dataclass
class BuildOptions:
    records_dir: Path
    templates_dir: Path
    out_dir: Path
    kinds: tuple[str, ...]
    jobs: int = 1
    force: bool = False
    dry_run: bool = False
    lock_wait: float = 600.0
    #: --where and the ids a command names: build only these (nothing is removed); None: everything
    selection: Selection | None = None
    settings: Settings = field(default_factory=Settings)
    #: set by someone else to stop the build between two documents (the web app's "Cancel")
    cancel: threading.Event | None = None
    #: False while records are left out for their problems: their documents stay until they are fixed
    retire_stale: bool = True

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()


def plan(records, options: BuildOptions) -> tuple[list[Document], list[Failure], list[Note]]:
    """Every selected document of the requested kinds, and the records that could not even be planned.

    Planning changes nothing anywhere: a certificate's serial is only foreseen here, and comes into
    being in the register when its file is written (see ``irdocs.documents.certificates.kind``).
    """
    documents: list[Document] = []
    failures: list[Failure] = []
    notes: list[Note] = []
    selection = options.selection or Selection()
    for name in dict.fromkeys(options.kinds):
        for item in kind(name).plan(records, options.settings, selection.matcher(name)):
            (failures if isinstance(item, Failure) else notes if isinstance(item, Note) else documents).append(item)
    names = [d.name for d in documents]
    if len(names) != len(set(names)):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ConfigError("two documents would be written to the same file: " + ", ".join(twice))
    return documents, failures, notes


def _workspace_args(name: str, records, options: BuildOptions, out_dir: Path) -> tuple:
    return (worker_records(name, records), options.records_dir, options.templates_dir, out_dir)


def inside(out_dir: Path, name: str) -> Path | None:
    """``out_dir / name`` if it lies inside the output folder (no '..', no absolute path, no link out), else None."""
    root = Path(out_dir).resolve()
    try:
        path = (root / name).resolve()
    except (OSError, RuntimeError):
        return None
    return path if path != root and path.is_relative_to(root) else None


@dataclass
class _Run:
    """One build's shared pieces, for its phases."""

    records: Any
    options: BuildOptions
    state: dict
    result: BuildResult
    reporter: Reporter
    entry: Callable[[Document], dict]
    is_current: Callable[[Document, dict], bool]
    failed: set[str] = field(default_factory=set)  # names of documents that failed in this build

    def fail(self, document: Document, message: str) -> None:
        self.result.failed.append(Failure(document.subject, message))
        self.failed.add(document.name)  # its old file, if any, stays as it was, and so does its state
        self.reporter.failed(document.name, message)


def _build_phase(phase: list[Document], renderers: Renderers, writer, run: _Run) -> None:
    """Render the documents of ``phase`` that are not up to date, write them and record them in the state."""
    out_dir, state, result, reporter = Path(run.options.out_dir), run.state, run.result, run.reporter
    entries = {d.name: run.entry(d) for d in phase}
    stale: list[Document] = []
    for document in phase:
        missing = [name for name in document.after if name in run.failed]
        if missing:
            run.fail(document, f"{document.subject}: not made, since {len(missing)} of its {len(document.after)} parts failed: {', '.join(missing)}")
        elif run.is_current(document, entries[document.name]):
            result.unchanged.append(out_dir / document.name)
            reporter.done(document.name, "unchanged")
        else:
            stale.append(document)
    if run.options.dry_run:
        result.built += [out_dir / d.name for d in stale]
        result.documents += stale
        return
    if not stale:
        return
    by_name = {d.name: d for d in stale}
    saver = StateSaver(out_dir, state, run.options.kinds, run.result)
    for name, data, error in renderers.render(stale):
        if run.options.cancelled:  # what is written stays written (each file with its serial); the rest is not made
            result.cancelled = True
            break
        document = by_name[name]
        if error is not None:
            run.fail(document, error)
            continue
        target = inside(out_dir, name)
        if target is None:
            run.fail(document, f"{document.subject}: '{name}' is not inside the output folder {out_dir}")
            continue
        sha = sha256(data)
        try:
            with staged(target, data) as publish:
                writer.commit(document, data, sha, publish, target)
        except IrdocsError as exc:
            run.fail(document, str(exc))
            continue
        except OSError as exc:
            run.fail(document, f"{target}: cannot be written ({exc.strerror or exc}): check that the folder exists, is writable and has space")
            continue
        state[name] = {**entries[name], "sha": sha, "size": len(data), "kind": document.kind, "variant": document.variant}
        result.built.append(out_dir / name)
        result.documents.append(document)
        reporter.done(name, "built")
        saver.soon()
    saver.now()


def _remove_stale(documents: list[Document], run: _Run) -> None:
    """Retire the outputs of a previous build that the records no longer imply: only files this build
    wrote before (named in its state), of the kinds and variants planned now, inside the output
    folder. Each kind's writer says how (deleted, or kept aside: a superseded certificate)."""
    out_dir = Path(run.options.out_dir)
    wanted = {d.name for d in documents}
    planned = {(name, variant) for name in run.options.kinds for variant in kind(name).variants(run.options.settings)}
    stale: dict[str, list[str]] = {}
    for name, old in sorted(run.state.items()):
        if (old.get("kind"), old.get("variant", "")) in planned and name not in wanted:
            stale.setdefault(old["kind"], []).append(name)
    for kind_name, names in stale.items():
        writer = contextlib.nullcontext(Writer()) if run.options.dry_run else kind(kind_name).writer(run.records, run.options.settings)
        with writer as retiring:
            for name in names:
                target = inside(out_dir, name)
                if not run.options.dry_run:
                    moved = retiring.retire(name, target) if target is not None else None
                    run.state.pop(name)
                    if moved is not None:
                        run.result.moved.append((out_dir / name, moved))
                        run.reporter.done(name, "moved aside")
                        continue
                if target is not None:
                    run.result.removed.append(out_dir / name)
                    run.reporter.done(name, "removed")


def build(records, options: BuildOptions, reporter: Reporter | None = None, problems: Iterable = ()) -> BuildResult:
    """Bring ``out/`` up to date with the records and templates; see the module's docstring.

    The one way irdocs makes documents: every command and the web app call it with their selection
    and settings. It holds the output folder's lock for the whole run.
    """
    reporter = reporter or Reporter()
    out_dir = Path(options.out_dir)
    result = BuildResult(failed=[Failure(f"{p.kind} {p.record_id}".strip() or str(p.location), str(p)) for p in problems], out_dir=out_dir)
    if not options.settings.now:
        options.settings = dataclasses.replace(options.settings, now=clock())
    with build_lock(out_dir, options.lock_wait, options.kinds):
        state = load_state(out_dir)
        if renders_everything(options.jobs, options.force, options.dry_run, fresh=not state):
            start_workers_server()
        documents, failures, notes = plan(records, options)
        result.failed += failures
        result.notes += notes
        result.selected = documents
        previous = {} if options.force else dict(state)
        hashes = FileHashes()
        env = environment_fingerprint()
        closures: dict[tuple[str, ...], list[str]] = {}
        deps_of: dict[tuple, dict[str, str | None]] = {}
        fingerprints: dict[tuple, str] = {}

        def entry(document: Document) -> dict:
            key = (document.templates, document.files)
            deps = deps_of.get(key)
            if deps is None:  # one dict for all documents made from the same files (9,750 certificates at 50x)
                if document.templates not in closures:
                    closures[document.templates] = template_closure(options.templates_dir, document.templates)
                deps = {f"templates/{t}": hashes(options.templates_dir / t) for t in closures[document.templates]}
                deps |= {f"records/{f}": hashes(options.records_dir / f) for f in document.files}
                deps_of[key] = deps
            after = tuple(state.get(a, {}).get("sha") for a in document.after)
            key = (document.kind, id(document.context), after)  # a sheet's PDF and DOCX share one context
            if key not in fingerprints:
                fingerprints[key] = sha256(canonical_json([document.kind, document.context, env, list(after)]))
            return {"fingerprint": fingerprints[key], "deps": deps}

        def is_current(document: Document, new: dict) -> bool:
            old = previous.get(document.name)
            if not old or old.get("fingerprint") != new["fingerprint"] or old.get("deps") != new["deps"]:
                return False
            try:
                return (out_dir / document.name).stat().st_size == old.get("size")
            except OSError:
                return False

        run = _Run(records, options, state, result, reporter, entry, is_current)
        # One pool of workers per kind of document, one kind after another: a worker keeps warm
        # only what its kind uses (charts for fact sheets, CJK faces for certificates), and the
        # build's memory is the largest kind's, not all kinds' together (592 MB -> see bench/).
        reporter.start(len(documents), "documents")
        for name in dict.fromkeys(options.kinds):
            # Outputs assembled from others (ceremony PDFs) come after the outputs they use.
            phases = [[d for d in documents if not d.after and d.kind == name], [d for d in documents if d.after and d.kind == name]]
            if not any(phases) or options.cancelled:
                result.cancelled = result.cancelled or options.cancelled
                continue
            document_kind: DocumentKind = kind(name)
            with (
                contextlib.nullcontext(Writer()) if options.dry_run else document_kind.writer(records, options.settings) as writer,
                Renderers(functools.partial(_workspace_args, name, records, options, out_dir), options.jobs) as renderers,
            ):
                for phase in phases:
                    if options.cancelled:  # a ceremony's print file is not made from half its certificates
                        result.cancelled = True
                        break
                    _build_phase(phase, renderers, writer, run)
        if options.selection is None and options.retire_stale and not result.cancelled:
            _remove_stale(documents, run)
        if not options.dry_run:
            keep_state(out_dir, state, result, options.kinds)
            noop.remember(options, result)  # what the next no-op `irdocs build` compares (irdocs/noop.py)
        reporter.finish()
    return result


def make(
    records,
    problems,
    templates_dir: Path,
    out_dir: Path,
    kinds: tuple[str, ...],
    settings: Settings,
    where: Iterable[str] = (),
    named: dict | None = None,
    jobs: int = 1,
    force: bool = False,
    dry_run: bool = False,
    wait: float = 600,
    reporter: Reporter | None = None,
    partial: bool = False,
    cancel: threading.Event | None = None,
    left_out: bool = False,
) -> BuildResult:
    """The documents of ``kinds`` that ``where`` (``--where FIELD=VALUE``) and ``named`` (ids a
    command names: ``{"id": [...], "ceremony": "..."}``) select, made by ``build``: what every
    command, the web app and the API call.

    Without a selection, it is the records' whole set of these documents (``irdocs build``,
    ``--all``): outputs the records no longer imply are removed. ``partial``: records with problems
    are reported as failures while the rest is built (``irdocs build``); otherwise every record must
    be correct (as ``irdocs check``), or nothing is made. ``left_out``: records with problems were
    left out (warnings): as with ``problems``, no output is retired as stale.
    """
    from .errors import RecordsError
    from .records.select import selection_for

    problems = list(problems)
    if problems and not partial:
        raise RecordsError(problems)
    selection = selection_for(kinds, records, where, **(named or {})) if (where or named) else None
    options = BuildOptions(
        records_dir=Path(records.root),
        templates_dir=Path(templates_dir),
        out_dir=Path(out_dir),
        kinds=tuple(kinds),
        jobs=jobs,
        force=force,
        dry_run=dry_run,
        selection=selection or None,
        settings=settings,
        lock_wait=wait,
        cancel=cancel,
        retire_stale=not (problems or left_out),
    )
    return build(records, options, reporter, problems=problems)
