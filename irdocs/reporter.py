"""Progress of long work, reported through an object (as in Lektor): the library never prints.

The CLI passes a terminal reporter (a progress bar, or plain lines when not a terminal); tests
pass a ``RecordingReporter`` and look at the events.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Reporter:
    """Does nothing: the default when nobody is watching."""

    def start(self, total: int, label: str) -> None:
        """A batch of ``total`` documents begins."""

    def done(self, name: str, status: str = "built") -> None:
        """One document is finished: status is 'built', 'unchanged' or 'removed'."""

    def failed(self, name: str, message: str) -> None:
        """One document could not be made; the batch goes on."""

    def finish(self) -> None:
        """The batch is over."""


@dataclass
class RecordingReporter(Reporter):
    """Keeps every event, for tests."""

    events: list[tuple] = field(default_factory=list)

    def start(self, total: int, label: str) -> None:
        self.events.append(("start", total, label))

    def done(self, name: str, status: str = "built") -> None:
        self.events.append((status, name))

    def failed(self, name: str, message: str) -> None:
        self.events.append(("failed", name, message))

    def finish(self) -> None:
        self.events.append(("finish",))


class LineReporter(Reporter):
    """One line per document through ``echo`` (the CLI passes click.echo); failures go to ``echo_error``."""

    def __init__(self, echo, echo_error=None):
        self.echo = echo
        self.echo_error = echo_error or echo
        self.total = 0
        self.count = 0
        self.failures = 0

    def start(self, total: int, label: str) -> None:
        self.total, self.count, self.failures, self.label = total, 0, 0, label

    def done(self, name: str, status: str = "built") -> None:
        self.count += 1
        self.echo(f"[{self.count}/{self.total}] {name}")

    def failed(self, name: str, message: str) -> None:
        self.count += 1
        self.failures += 1
        self.echo_error(f"[{self.count}/{self.total}] FAILED {name}:\n{message}")

    def finish(self) -> None:
        if self.failures:
            self.echo_error(f"{self.failures} of {self.total} {self.label} failed.")
