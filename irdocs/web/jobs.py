"""Long work (a ceremony's certificates, every fact sheet) in the background, with progress.

One worker thread runs the jobs one after the other: WeasyPrint and LibreOffice are not made for
several renders at once in one process, and a small office starts a few jobs a day. A page asks for
a job's progress (``Job.as_json``) while the worker reports each finished document through the
library's ``Reporter`` interface, the same events the command line shows as a progress bar.
Jobs live in memory: a restart forgets them, never the files they wrote.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..errors import IrdocsError
from ..reporter import Reporter

log = logging.getLogger(__name__)
#: How many finished jobs are remembered (their pages and download links).
KEEP = 200


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
    state: str = "queued"  # queued, running, done, failed
    total: int = 0
    count: int = 0
    current: str = ""
    failures: list[tuple[str, str]] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)
    error: str = ""
    created: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def over(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.count / self.total) if self.total else 0


class JobReporter(Reporter):
    """The library's progress events, kept on the job for the page to show."""

    def __init__(self, job: Job):
        self.job = job

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
    """Runs jobs one at a time on a worker thread; remembers the last ``KEEP``."""

    def __init__(self, keep: int = KEEP):
        self.keep = keep
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.lock = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="irdocs-job")

    def submit(self, label: str, owner: str, work: Work) -> Job:
        job = Job(secrets.token_urlsafe(9), label, owner)
        with self.lock:
            self.jobs[job.id] = job
            while len(self.jobs) > self.keep:
                self.jobs.popitem(last=False)
        self.executor.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.state = "running"
        try:
            job.outcome = work(JobReporter(job))
            job.state = "failed" if job.failures and not job.outcome.downloads else "done"
        except IrdocsError as exc:
            job.error, job.state = str(exc), "failed"
        except Exception as exc:  # a bug: the page says so instead of spinning for ever
            log.exception("job %s (%s) failed", job.id, job.label)
            job.error, job.state = f"an unexpected error stopped the job ({type(exc).__name__}: {exc}); the server's log has the details", "failed"
        finally:
            job.finished.set()

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def recent(self, count: int = 10) -> list[Job]:
        with self.lock:
            return list(reversed(self.jobs.values()))[:count]

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
