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


def expiring(records: Records, within_days: int, today: dt.date | None = None, agreements=None) -> list[tuple[Agreement, dt.date]]:
    """Active agreements whose end date falls within the window, or has passed while still marked active
    (of ``agreements`` if given, else of all the records)."""
    today = today or records.today
    limit = today + dt.timedelta(days=within_days)
    chosen = records.agreements if agreements is None else agreements
    found = [(a, a.expires_on) for a in chosen if a.status == "active" and a.expires_on is not None and a.expires_on <= limit]
    return sorted(found, key=lambda item: (item[1], item[0].id))


# --------------------------------------------------------------------------- fact sheets

#: "Active agreements expiring within a year": the window, in days.
EXPIRY_WINDOW_DAYS = 365


def partner_organizations(records: Records) -> list[str]:
    """Ids of the partner organizations (a signed agreement at least), in the order of the records."""
    ids = {pid for a in signed(records.agreements) for pid in a.partners}
    return [p.id for p in records.partners if p.id in ids]


def partner_countries(records: Records) -> list[str]:
    """Countries of the partner organizations, most organizations first (as ``partners_by_country``)."""
    return list(overview(records).partners_by_country)


def highlights(records: Records) -> list[Agreement]:
    """Signed agreements with a ``highlight`` sentence, newest first (then by id, so ties are stable)."""
    found = [a for a in signed(records.agreements) if a.highlight]
    return sorted(found, key=lambda a: (-(a.signed_on.year if a.signed_on else 0), -(a.signed_on.month if a.signed_on else 0), a.id))


def _decades(honorees) -> dict[int, dict[str, int]]:
    by_decade: dict[int, Counter] = {}
    for h in honorees:
        by_decade.setdefault(h.awarded_on.year // 10 * 10, Counter())[h.title] += 1
    return {d: {k: c[k] for k in TITLE_KINDS} for d, c in sorted(by_decade.items())}


def by_signing_date(agreement: Agreement) -> tuple:
    """Oldest first; agreements without a date last."""
    date = agreement.signed_on
    return (date is None, date.first_day if date else dt.date.max, agreement.id)


@dataclass(frozen=True)
class Figures:
    """The figures of a group of partners and honorees: one country, or one partner organization."""

    partners: tuple[str, ...]  # partner organizations (with a signed agreement), by name
    agreements: tuple[str, ...]  # signed agreements, oldest first
    agreements_active: int
    agreements_by_kind: dict[str, int]
    agreements_by_status: dict[str, int]
    agreements_by_year: dict[int, int]
    first_year: int | None  # the year of the first signed agreement
    latest_year: int | None  # the year of the latest signed agreement
    expiring: tuple[tuple[str, dt.date], ...]  # active agreements ending within EXPIRY_WINDOW_DAYS, soonest first
    programmes: int
    honorees: tuple[str, ...]  # oldest title first
    titles_by_kind: dict[str, int]
    titles_by_decade: dict[int, dict[str, int]]

    @property
    def partner_organizations(self) -> int:
        return len(self.partners)

    @property
    def agreements_signed(self) -> int:
        return len(self.agreements)

    @property
    def titles(self) -> int:
        return len(self.honorees)


def _figures(records: Records, partner_ids: set[str], honorees, today: dt.date | None) -> Figures:
    candidates = {a.id: a for pid in partner_ids for a in records.agreements_of(pid)}
    agreements = sorted(signed(candidates.values()), key=by_signing_date)
    partners = sorted({pid for a in agreements for pid in a.partners if pid in partner_ids}, key=lambda pid: (records.partners_by_id[pid].name.casefold(), pid))
    years = Counter(a.signed_on.year for a in agreements if a.signed_on is not None)
    honorees = sorted(honorees, key=lambda h: (h.awarded_on, h.id))
    return Figures(
        partners=tuple(partners),
        agreements=tuple(a.id for a in agreements),
        agreements_active=sum(1 for a in agreements if a.status == "active"),
        agreements_by_kind={k: n for k in AGREEMENT_KINDS if (n := sum(1 for a in agreements if a.kind == k))},
        agreements_by_status={k: n for k in STATUSES if (n := sum(1 for a in agreements if a.status == k))},
        agreements_by_year=dict(sorted(years.items())),
        first_year=min(years) if years else None,
        latest_year=max(years) if years else None,
        expiring=tuple((a.id, end) for a, end in expiring(records, EXPIRY_WINDOW_DAYS, today, agreements)),
        programmes=sum(len(a.programmes) for a in agreements),
        honorees=tuple(h.id for h in honorees),
        titles_by_kind={k: sum(1 for h in honorees if h.title == k) for k in TITLE_KINDS},
        titles_by_decade=_decades(honorees),
    )


def country_figures(records: Records, country: str, today: dt.date | None = None) -> Figures:
    """One country: its partner organizations and their agreements, and the titles its representatives received."""
    partner_ids = {p.id for p in records.partners if p.country == country}
    return _figures(records, partner_ids, [h for h in records.honorees if h.country == country], today)


def partner_figures(records: Records, partner_id: str, today: dt.date | None = None) -> Figures:
    """One partner organization: its agreements, programmes and the titles of people from it."""
    return _figures(records, {partner_id}, records.honorees_of(partner_id), today)
