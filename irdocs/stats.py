"""Stage 3: every figure a document shows, computed from the records (never typed in).

Definitions (the department's published page counts the same way):
- a *partner organization* is a partner with at least one agreement that is not a draft;
- *countries* are the distinct countries of those partners (or of honorees, for titles);
- titles are counted per honoree record, since ``institution.honorary_titles_since``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field

from .model import AGREEMENT_KINDS, STATUSES, TITLE_KINDS, Agreement, Records

#: The published page rounds totals down: "more than 120 organizations".
ROUND_TO = 10


def _ranked(counter: Counter) -> dict[str, int]:
    """Counts sorted by size, then by key, so every listing is stable."""
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class Overview:
    """The department's figures, as on its public page."""

    partner_organizations: int
    partner_organizations_rounded: int
    partner_countries: int
    partners_by_country: dict[str, int]
    agreements_signed: int
    agreements_active: int
    agreements_by_kind: dict[str, int]
    agreements_by_status: dict[str, int]
    agreements_by_year: dict[int, int]
    first_agreement_year: int | None
    titles: int
    titles_since: int | None
    titles_by_kind: dict[str, int]
    title_countries: int
    titles_by_country: dict[str, int]
    titles_by_decade: dict[int, dict[str, int]] = field(default_factory=dict)

    def as_json(self) -> dict:
        data = asdict(self)
        data["agreements_by_year"] = {str(k): v for k, v in self.agreements_by_year.items()}
        data["titles_by_decade"] = {str(k): v for k, v in self.titles_by_decade.items()}
        return data


def signed(agreements) -> list[Agreement]:
    return [a for a in agreements if a.status != "draft"]


def overview(records: Records) -> Overview:
    """The department-wide figures."""
    agreements = signed(records.agreements)
    partner_ids = {pid for a in agreements for pid in a.partners}
    partners = [records.partners_by_id[pid] for pid in partner_ids]
    by_country = Counter(p.country for p in partners)
    honorees = records.honorees
    by_decade: dict[int, Counter] = {}
    for h in honorees:
        by_decade.setdefault(h.awarded_on.year // 10 * 10, Counter())[h.title] += 1
    years = Counter(a.signed_on.year for a in agreements if a.signed_on is not None)
    return Overview(
        partner_organizations=len(partner_ids),
        partner_organizations_rounded=len(partner_ids) // ROUND_TO * ROUND_TO,
        partner_countries=len(by_country),
        partners_by_country=_ranked(by_country),
        agreements_signed=len(agreements),
        agreements_active=sum(1 for a in agreements if a.status == "active"),
        agreements_by_kind={k: n for k in AGREEMENT_KINDS if (n := sum(1 for a in agreements if a.kind == k))},
        agreements_by_status={k: n for k in STATUSES if (n := sum(1 for a in records.agreements if a.status == k))},
        agreements_by_year=dict(sorted(years.items())),
        first_agreement_year=min(years) if years else None,
        titles=len(honorees),
        titles_since=min((h.awarded_on.year for h in honorees), default=None),
        titles_by_kind={k: sum(1 for h in honorees if h.title == k) for k in TITLE_KINDS},
        title_countries=len({h.country for h in honorees}),
        titles_by_country=_ranked(Counter(h.country for h in honorees)),
        titles_by_decade={d: {k: c[k] for k in TITLE_KINDS} for d, c in sorted(by_decade.items())},
    )


def expiring(records: Records, within_days: int, today: dt.date | None = None) -> list[tuple[Agreement, dt.date]]:
    """Active agreements whose end date falls within the window, or has passed while still marked active."""
    today = today or records.today
    limit = today + dt.timedelta(days=within_days)
    found = [(a, a.expires_on) for a in records.agreements if a.status == "active" and a.expires_on is not None and a.expires_on <= limit]
    return sorted(found, key=lambda item: (item[1], item[0].id))
