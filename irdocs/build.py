"""Running the stages for a batch of documents and saying what happened to each.

Each document kind provides a function that makes one document's bytes; this module runs them
for a batch so that one bad record fails alone and the summary names it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IrdocsError
from .reporter import Reporter
from .write import atomic_write


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
    """One document to make: where it goes and how to make its bytes."""

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
