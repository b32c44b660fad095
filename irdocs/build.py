"""Running the stages for every document the records imply: incremental, parallel, atomic.

Each document kind (certificates, agreements, fact sheets) is a module with two functions:

- ``plan(records, options) -> list[Document]``: one ``Document`` per output, carrying the plain
  ``context`` dict its template receives and the template files it renders with;
- ``render(document, workspace) -> bytes``: the output's bytes (run in a worker process).

The build remembers, per output, a fingerprint of its context, the options, the irdocs and
library versions and the installed fonts, and the hashes of every template file it depends on
(extends/includes and the CSS, images and fonts they reference, found by reading the templates).
A document whose fingerprint and dependencies are unchanged is not rendered again, so changing
one honoree rebuilds that certificate, its ceremony PDF and exactly the fact sheets whose
figures moved.  The state lives in ``out/.irdocs-state.json``; a missing or damaged state
means a full rebuild, never a crash.  Outputs are written atomically (``write.atomic_write``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, IrdocsError, Location
from .reporter import Reporter
from .write import atomic_write, folder_lock

STATE_FILE = ".irdocs-state.json"
LOCK_FILE = ".irdocs-build.lock"
STATE_VERSION = 1


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Failure:
    name: str  # the output (or record) that failed
    message: str  # the error, with its file:line when it comes from a record or template


@dataclass
class BuildResult:
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def merge(self, other: BuildResult) -> BuildResult:
        self.built += other.built
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.failed += other.failed
        return self


@dataclass(frozen=True)
class Job:
    """One document to make right away: where it goes and how to make its bytes."""

    name: str
    target: Path
    make: Callable[[], bytes]


def run_jobs(jobs: Iterable[Job], reporter: Reporter | None = None, label: str = "documents") -> BuildResult:
    """Make each job's bytes and write them atomically; a failing job is recorded, the rest go on."""
    reporter = reporter or Reporter()
    jobs = list(jobs)
    result = BuildResult()
    reporter.start(len(jobs), label)
    for job in jobs:
        try:
            data = job.make()
        except IrdocsError as exc:
            result.failed.append(Failure(job.name, str(exc)))
            reporter.failed(job.name, str(exc))
            continue
        atomic_write(job.target, data)
        result.built.append(job.target)
        reporter.done(job.name)
    reporter.finish()
    return result


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Document:
    """One output the records imply, with everything its rendering depends on."""

    kind: str  # the kind module's name: 'certificates', 'agreements', 'factsheets'
    name: str  # path under out/, e.g. 'certificates/MNUMS-HD-2024-0037.pdf'
    subject: str  # what it is made from, for messages: 'honoree hd-2024-001'
    context: dict[str, Any]  # the plain data the template receives (JSON-serializable)
    templates: tuple[str, ...] = ()  # template files (under templates/) it renders with
    files: tuple[str, ...] = ()  # other input files (under records/), e.g. the emblem
    location: Location | None = None  # the record it comes from
    after: tuple[str, ...] = ()  # outputs it is assembled from (a ceremony PDF from certificates)
    tags: dict[str, str] = field(default_factory=dict)  # what --where can select on: title, year, country, partner...
    #: objects the renderer needs (records, serials...); not part of the fingerprint: ``context`` must
    #: already contain everything that changes the output
    payload: Any = field(default=None, compare=False, repr=False)

    def matches(self, where: dict[str, list[str]]) -> bool:
        """True when, for every key of ``where``, the document's tag is one of the values."""
        return all(self.tags.get(key) in values for key, values in where.items())


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
    from .fonts import installed_fonts

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


def save_state(out_dir: Path, outputs: dict[str, dict]) -> None:
    data = json.dumps({"version": STATE_VERSION, "outputs": outputs}, sort_keys=True, separators=(",", ":"))
    atomic_write(out_dir / STATE_FILE, data.encode("utf-8"))


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

    def __init__(self, out_dir: Path, state: dict[str, dict]):
        self.out_dir, self.state = out_dir, state
        self._last, self._cost = time.monotonic(), 0.0

    def now(self) -> None:
        started = time.monotonic()
        save_state(self.out_dir, self.state)
        give_back_memory()
        self._last = time.monotonic()
        self._cost = self._last - started

    def soon(self) -> None:
        if time.monotonic() - self._last >= max(1.0, 10 * self._cost):
            self.now()


def build_lock(out_dir: Path, wait: float):
    """One build at a time per output folder: a second one waits, then gives up with a clear message."""
    out_dir.mkdir(parents=True, exist_ok=True)
    busy = f"{out_dir}: another 'irdocs build' is writing into this folder; wait for it to finish, then run the command again"
    return folder_lock(out_dir / LOCK_FILE, wait, busy)


# --------------------------------------------------------------------------- workers

#: document kind -> module providing plan() and render()
KINDS: dict[str, str] = {"certificates": "irdocs.certificates", "agreements": "irdocs.agreements", "factsheets": "irdocs.factsheets"}


def kind_module(kind: str):
    import importlib

    return importlib.import_module(KINDS[kind])


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


def _init_worker(records, records_dir: Path, templates_dir: Path, out_dir: Path) -> None:
    global _WORKSPACE
    _WORKSPACE = Workspace(records, records_dir, templates_dir, out_dir)


#: A full garbage collection after this many Word files (see ``_render``).
COLLECT_EVERY = 10


def _render(document: Document) -> tuple[str, bytes | None, str | None]:
    """(name, bytes, None) or (name, None, message): a failing document never stops the batch."""
    workspace = _WORKSPACE
    assert workspace is not None
    if document.name.endswith(".docx"):
        workspace.rendered_docx += 1
        if workspace.rendered_docx % COLLECT_EVERY == 0:
            # A Word document (python-docx, docxtpl) is a web of objects that refer to each other,
            # and holds its XML in lxml's memory, which Python's collector does not see: left to the
            # collector's own schedule, a worker grew 0.7 MB a draft, to 420 MB at 50x the sample.
            # (PDFs need no help: a certificate worker stays level without it.)
            import gc

            gc.collect()
    warnings_before = len(workspace.pdf.warnings.messages) if workspace._pdf is not None else 0
    try:
        if document.name.endswith(".pdf"):
            from .weasypatch import install_all

            install_all()  # irdocs' changes to WeasyPrint (irdocs/weasypatch.py): once, before this process's first PDF
        data = kind_module(document.kind).render(document, workspace)
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
    state in the output folder yet, or --force) starts it before planning, so it loads meanwhile;
    a small change (one honoree) renders in this process and never starts it.
    """
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["irdocs.build"])
    return context


def start_workers_server() -> None:
    from multiprocessing import forkserver

    _worker_context()
    with contextlib.suppress(OSError, ValueError):
        forkserver.ensure_running()


class Renderers:
    """Renders documents in ``jobs`` worker processes, each with its own warm Workspace, handed out
    a few at a time and returned as they finish. The workers start when first needed and serve
    every phase of one kind (a ceremony's assembly reuses the certificate workers). Few documents
    and --jobs 1 render in this process instead: starting workers would cost more."""

    def __init__(self, workspace_args: Callable[[], tuple], jobs: int):
        self._workspace_args = workspace_args
        self._jobs = jobs
        self._pool = None

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
            _init_worker(*self._workspace_args())
            for document in documents:
                yield _render(document)
            return
        if self._pool is None:
            self._pool = _worker_context().Pool(self._jobs, initializer=_init_worker, initargs=self._workspace_args(), maxtasksperchild=None)
        # Two at a time: a slow document (a long fact sheet) does not hold back a whole share, and
        # at the end no worker waits long for the other one's last handful.
        chunksize = 2 if len(documents) >= self._jobs * 8 else 1
        yield from self._pool.imap_unordered(_render, documents, chunksize=chunksize)


def worker_records(kind: str, records):
    """What workers of ``kind`` get of the records (a pickled copy): the kind's ``worker_records``
    if it has one (certificates need only the institution: each document brings its honoree),
    else everything."""
    slim = getattr(kind_module(kind), "worker_records", None)
    return slim(records) if slim is not None else records


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
    select: Callable[[Document], bool] | None = None  # --where: build only these (nothing is removed)
    settings: dict[str, Any] = field(default_factory=dict)  # options for the kinds' plans (a kind puts what it uses in each context)


def plan(records, options: BuildOptions) -> tuple[list[Document], list[Failure]]:
    """Every document of the requested kinds, and the records that could not even be planned."""
    documents: list[Document] = []
    failures: list[Failure] = []
    for kind in options.kinds:
        for item in kind_module(kind).plan(records, options.settings):
            (failures if isinstance(item, Failure) else documents).append(item)
    names = [d.name for d in documents]
    if len(names) != len(set(names)):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ConfigError("two documents would be written to the same file: " + ", ".join(twice))
    if options.select is not None:
        documents = [d for d in documents if options.select(d)]
    return documents, failures


def _workspace_args(kind: str, records, options: BuildOptions, out_dir: Path) -> tuple:
    return (worker_records(kind, records), options.records_dir, options.templates_dir, out_dir)


def _build_phase(
    phase: list[Document], renderers: Renderers, records, options: BuildOptions, state: dict, result: BuildResult, reporter: Reporter, entry, is_current
) -> None:
    """Render the documents of ``phase`` that are not up to date, write them and record them in ``state``."""
    out_dir = Path(options.out_dir)
    entries = {d.name: entry(d) for d in phase}
    stale = [d for d in phase if not is_current(d, entries[d.name])]
    for document in phase:
        if document not in stale:
            result.unchanged.append(out_dir / document.name)
            reporter.done(document.name, "unchanged")
    if options.dry_run:
        result.built += [out_dir / d.name for d in stale]
        return
    if not stale:
        return
    by_name = {d.name: d for d in stale}
    saver = StateSaver(out_dir, state)
    made: dict[str, list[tuple[Document, str]]] = {}
    for name, data, error in renderers.render(stale):
        if error is not None:
            result.failed.append(Failure(by_name[name].subject, error))
            state.pop(name, None)
            reporter.failed(name, error)
            continue
        atomic_write(out_dir / name, data)
        state[name] = {**entries[name], "sha": sha256(data), "size": len(data), "kind": by_name[name].kind}
        made.setdefault(by_name[name].kind, []).append((by_name[name], state[name]["sha"]))
        result.built.append(out_dir / name)
        reporter.done(name, "built")
        saver.soon()
    saver.now()
    for kind, items in made.items():
        hook = getattr(kind_module(kind), "written", None)
        if hook is not None:
            hook(records, items)


def build(records, options: BuildOptions, reporter: Reporter | None = None, problems: Iterable = ()) -> BuildResult:
    """Bring ``out/`` up to date with the records and templates; see the module's docstring."""
    reporter = reporter or Reporter()
    result = BuildResult(failed=[Failure(f"{p.kind} {p.record_id}".strip() or str(p.location), str(p)) for p in problems])
    out_dir = Path(options.out_dir)
    with build_lock(out_dir, options.lock_wait):
        state = load_state(out_dir)
        if options.jobs > 1 and not options.dry_run and (options.force or not state):
            start_workers_server()
        documents, failures = plan(records, options)
        result.failed += failures
        previous = {} if options.force else dict(state)
        hashes = FileHashes()
        env = environment_fingerprint()
        closures: dict[tuple[str, ...], list[str]] = {}
        deps_of: dict[tuple, dict[str, str | None]] = {}

        def entry(document: Document) -> dict:
            key = (document.templates, document.files)
            deps = deps_of.get(key)
            if deps is None:  # one dict for all documents made from the same files (9,750 certificates at 50x)
                if document.templates not in closures:
                    closures[document.templates] = template_closure(options.templates_dir, document.templates)
                deps = {f"templates/{t}": hashes(options.templates_dir / t) for t in closures[document.templates]}
                deps |= {f"records/{f}": hashes(options.records_dir / f) for f in document.files}
                deps_of[key] = deps
            parts = [document.kind, document.context, env, [state.get(a, {}).get("sha") for a in document.after]]
            return {"fingerprint": sha256(canonical_json(parts)), "deps": deps}

        def is_current(document: Document, new: dict) -> bool:
            old = previous.get(document.name)
            if not old or old.get("fingerprint") != new["fingerprint"] or old.get("deps") != new["deps"]:
                return False
            try:
                return (out_dir / document.name).stat().st_size == old.get("size")
            except OSError:
                return False

        # One pool of workers per kind of document, one kind after another: a worker keeps warm
        # only what its kind uses (charts for fact sheets, CJK faces for certificates), and the
        # build's memory is the largest kind's, not all kinds' together (592 MB -> see bench/).
        kinds = list(dict.fromkeys(options.kinds))
        reporter.start(len(documents), "documents")
        for kind in kinds:
            # Outputs assembled from others (ceremony PDFs) come after the outputs they use.
            phases = [[d for d in documents if not d.after and d.kind == kind], [d for d in documents if d.after and d.kind == kind]]
            with Renderers(functools.partial(_workspace_args, kind, records, options, out_dir), options.jobs) as renderers:
                for phase in phases:
                    _build_phase(phase, renderers, records, options, state, result, reporter, entry, is_current)
        if options.select is None:
            wanted = {d.name for d in documents}
            for name, old in sorted(state.items()):
                if old.get("kind") in options.kinds and name not in wanted:
                    if not options.dry_run:
                        with contextlib.suppress(FileNotFoundError):
                            (out_dir / name).unlink()
                        state.pop(name)
                    result.removed.append(out_dir / name)
                    reporter.done(name, "removed")
            if not options.dry_run:
                save_state(out_dir, state)
        reporter.finish()
    return result
