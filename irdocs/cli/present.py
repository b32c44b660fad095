"""Terminal presentation for the CLI (tables). Only ``cli`` imports this module."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..localize import country_name
from ..records.model import AGREEMENT_KINDS, TITLE_KINDS
from ..records.stats import Overview


def print_overview(figures: Overview, console: Console | None = None) -> None:
    console = console or Console()
    console.print(
        f"[bold]Agreements[/bold]: {figures.partner_organizations} partner organizations in "
        f"{figures.partner_countries} countries ({figures.agreements_signed} agreements signed, "
        f"{figures.agreements_active} active)."
    )
    table = Table("Country", "Organizations", "Titles", title="By country")
    countries = list(dict.fromkeys([*figures.partners_by_country, *figures.titles_by_country]))
    for code in countries:
        table.add_row(
            f"{country_name(code)} ({code})",
            str(figures.partners_by_country.get(code, "")),
            str(figures.titles_by_country.get(code, "")),
        )
    console.print(table)
    kinds = Table("Title", "Awarded", title=f"Honorary titles since {figures.titles_since}")
    for kind, count in figures.titles_by_kind.items():
        kinds.add_row(TITLE_KINDS[kind][0], str(count))
    kinds.add_row("[bold]All titles[/bold]", f"[bold]{figures.titles}[/bold]")
    console.print(kinds)
    console.print(f"Titles went to representatives of {figures.title_countries} countries.")
    agreements = Table("Kind", "Signed", title="Agreements by kind")
    for kind, count in figures.agreements_by_kind.items():
        agreements.add_row(AGREEMENT_KINDS[kind][0], str(count))
    console.print(agreements)


class TerminalReporter:
    """Progress of a batch: a bar with count, rate and time left on a terminal, plain lines otherwise."""

    def __init__(self, console: Console | None = None, verbose: bool = False):
        import sys

        self.console = console or Console(stderr=True)
        self.interactive = self.console.is_terminal and sys.stderr.isatty()
        self.verbose = verbose
        self._progress = None
        self._task = None
        self._count = 0
        self._total = 0

    def start(self, total: int, label: str) -> None:
        self._total, self._count = total, 0
        if self.interactive and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            class RateColumn(TextColumn):
                def render(self, task):
                    speed = task.finished_speed or task.speed
                    return TextColumn(f"{speed:.1f}/s" if speed else "   -/s").render(task)

            self._progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(""), TimeRemainingColumn(), console=self.console
            )
            self._progress.start()
            self._task = self._progress.add_task(label, total=total)

    def _advance(self, line: str | None) -> None:
        self._count += 1
        if self._progress is not None:
            self._progress.advance(self._task)
            if line and self.verbose:
                self._progress.console.print(line)
        elif line:
            self.console.print(line, highlight=False, soft_wrap=True)

    def done(self, name: str, status: str = "built") -> None:
        self._advance(f"{status:>9}  {name}" if status != "unchanged" or self.verbose else None)

    def failed(self, name: str, message: str) -> None:
        self._advance(f"[red]   failed[/red]  {name}")

    def finish(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def print_build_summary(result, dry_run: bool = False, console: Console | None = None) -> None:
    """The end of a build: counts, then each failure with its record's place and message."""
    console = console or Console(stderr=False, soft_wrap=True, highlight=False)
    verb = "would be built" if dry_run else "built"
    if dry_run:
        for path in result.built:
            console.print(f"  would build {path}")
    console.print(
        f"{len(result.built)} {verb}, {len(result.unchanged)} up to date, {len(result.failed)} failed, "
        f"{len(result.removed)} {'would be removed' if dry_run else 'removed'}."
    )
    for path in result.removed:
        console.print(f"  {'would remove' if dry_run else 'removed'} {path}")
    for old, aside in result.moved:
        console.print(f"  moved {old} to {aside}")
    for note in result.notes:
        console.print(f"  note: {note.message}")
    for failure in result.failed:
        console.print(f"  failed: {failure.name}")
        for line in failure.message.splitlines():
            console.print(f"    {line}")
