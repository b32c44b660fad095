"""Terminal presentation for the CLI (tables). Only ``cli`` imports this module."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .localize import country_name
from .model import AGREEMENT_KINDS, TITLE_KINDS
from .reporter import Reporter
from .stats import Overview


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


class TerminalReporter(Reporter):
    """Progress of a batch on the terminal: a bar when it is a terminal, failures only otherwise."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.progress = None
        self.task = None

    def start(self, total: int, label: str) -> None:
        if self.console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=self.console, transient=True
            )
            self.progress.start()
            self.task = self.progress.add_task(f"Writing {label}", total=total)

    def done(self, name: str, status: str = "built") -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=name)

    def failed(self, name: str, message: str) -> None:
        self.console.print(f"{name}: {message}", markup=False, highlight=False, soft_wrap=True)
        if self.progress is not None:
            self.progress.update(self.task, advance=1)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
