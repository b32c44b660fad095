"""Terminal presentation for the CLI (tables). Only ``cli`` imports this module."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .localize import country_name
from .model import AGREEMENT_KINDS, TITLE_KINDS
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
