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
