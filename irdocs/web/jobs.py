"""Long work (a ceremony's certificates, every fact sheet) in the background, with progress.

Jobs run through the one build engine, as the command line's do, at most ``SLOTS`` at once: a
ceremony's certificates do not wait behind a colleague's "Make all fact sheets again". Two jobs
that make the same kind of document take turns (the engine's lock per kind would make the second
wait anyway; here it waits in line, with its place shown). Each job shows its place in line, its
progress and the time left, and can be cancelled: the engine stops between two documents and keeps
what it wrote (each certificate with its serial).

The engine renders big batches in worker processes; the few documents it renders in this process
it renders one at a time (see ``irdocs.build.Renderers``). A page asks for a job's progress while
the engine reports each finished document through the library's ``Reporter`` interface, the same
events the command line shows as a progress bar. Jobs live in memory: a restart forgets them,
never the files they wrote.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import IrdocsError
from ..reporter import Reporter

log = logging.getLogger(__name__)
#: How many finished jobs are remembered (their pages and download links).
KEEP = 200
#: How many jobs run at once (the machine's workers are shared between them).
SLOTS = 2


@dataclass(frozen=True)
class Download:
    """A file a job made, named by validated ids (never by a path): see ``downloads.resolve``."""

    label: str
    kind: str  # certificate, ceremony, agreement, factsheet
    ident: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass
class Outcome:
    downloads: list[Download] = field(default_factory=list)
    message: str = ""


@dataclass
class Job:
    id: str
    label: str
    owner: str
    #: the kinds of document the job makes: jobs that share one take turns
    kinds: tuple[str, ...] = ()
    state: str = "queued"  # queued, running, done, failed, cancelled
    total: int = 0
    count: int = 0
    current: str = ""
    failures: list[tuple[str, str]] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)
    error: str = ""
    created: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))
    #: while queued: its place in line (1: next), and the running job it waits for, if one
    position: int = 0
    waiting_for: str = ""
    finished: threading.Event = field(default_factory=threading.Event, repr=False)
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _started: float = field(default=0.0, repr=False)

    @property
    def over(self) -> bool:
        return self.state in ("done", "failed", "cancelled")

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.count / self.total) if self.total else 0

    @property
    def seconds_left(self) -> float | None:
        """The time left at the pace so far; None until the first document is done."""
        if self.state != "running" or not self.count or not self.total or self.count >= self.total:
            return None
        elapsed = time.monotonic() - self._started
        return elapsed / self.count * (self.total - self.count)


class JobReporter(Reporter):
    """The library's progress events, kept on the job for the page to show."""

    def __init__(self, job: Job):
        self.job = job
        #: the engine stops between two documents when it is set (``irdocs.build.make``'s cancel)
        self.cancel = job.cancel

    def start(self, total: int, label: str) -> None:
        self.job.total += total

    def done(self, name: str, status: str = "built") -> None:
        self.job.count += 1
        self.job.current = name

    def failed(self, name: str, message: str) -> None:
        self.job.count += 1
        self.job.failures.append((name, message))


Work = Callable[[Reporter], Outcome]


class JobQueue:
    """Runs up to ``slots`` jobs at once, each on its own thread, in the order they came, except
    that a job waits while one making the same kind of document runs; remembers the last ``KEEP``."""

    def __init__(self, keep: int = KEEP, slots: int = SLOTS):
        self.keep, self.slots = keep, slots
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.lock = threading.Lock()
        self._work: dict[str, Work] = {}
        self._closed = False

    def submit(self, label: str, owner: str, work: Work, kinds: tuple[str, ...] = ()) -> Job:
        job = Job(secrets.token_urlsafe(9), label, owner, tuple(kinds))
        with self.lock:
            self.jobs[job.id] = job
            self._work[job.id] = work
            while len(self.jobs) > self.keep:
                oldest = next(iter(self.jobs.values()))
                if not oldest.over:
                    break
                self.jobs.popitem(last=False)
            self._dispatch()
        return job

    def cancel(self, job: Job) -> None:
        """A queued job never starts; a running one stops after the document it is making."""
        with self.lock:
            job.cancel.set()
            if job.state == "queued":
                self._work.pop(job.id, None)
                job.state, job.outcome = "cancelled", Outcome(message="Cancelled before it started.")
                job.finished.set()
                self._dispatch()

    def _dispatch(self) -> None:
        """Start what may start now; tell the others their place in line (under ``self.lock``)."""
        running = [j for j in self.jobs.values() if j.state == "running"]
        place = 0
        for job in self.jobs.values():
            if job.state != "queued" or self._closed:
                continue
            busy = next((r for r in running if set(r.kinds) & set(job.kinds)), None)
            if busy is None and len(running) < self.slots:
                job.state, job._started, job.position, job.waiting_for = "running", time.monotonic(), 0, ""
                running.append(job)
                threading.Thread(target=self._run, args=(job, self._work.pop(job.id)), name=f"irdocs-job-{job.id}", daemon=True).start()
            else:
                place += 1
                job.position, job.waiting_for = place, busy.label if busy is not None else ""

    def _run(self, job: Job, work: Work) -> None:
        try:
            job.outcome = work(JobReporter(job))
            if job.cancel.is_set() and not (job.total and job.count >= job.total):
                job.state = "cancelled"
            else:
                job.state = "failed" if job.failures and not job.outcome.downloads else "done"
        except IrdocsError as exc:
            job.error, job.state = str(exc), "failed"
        except Exception as exc:  # a bug: the page says so instead of spinning for ever
            log.exception("job %s (%s) failed", job.id, job.label)
            job.error, job.state = f"an unexpected error stopped the job ({type(exc).__name__}: {exc}); the server's log has the details", "failed"
        finally:
            job.finished.set()
            with self.lock:
                self._dispatch()

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def recent(self, count: int = 10) -> list[Job]:
        with self.lock:
            return list(reversed(self.jobs.values()))[:count]

    def shutdown(self) -> None:
        """Start nothing more, and stop the running jobs after their current document."""
        with self.lock:
            self._closed = True
            for job in self.jobs.values():
                if not job.over:
                    job.cancel.set()
