"""Stage 4 for fact sheets: one plain dict per sheet, every text already in the sheet's language.

The figures come from ``stats``; this module only words them ("34 organizations from Japan",
"34 байгууллага") and formats them (Babel).  The templates (HTML for the PDF, Word for the DOCX)
receive the dict and place its texts: they never count, compute or hold a number of their own,
and both show the same content in the same order.

Charts are drawn here too (through a per-batch ``ChartCache``), since their labels are texts of the
sheet: a chart is a dict with ``src`` (an SVG data: URL for the PDF), ``image`` (a PNG for the
DOCX), ``alt`` and ``caption``.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...localize import country_name, format_date
from ...records import stats
from ...records.model import AGREEMENT_KINDS, AREAS, PARTNER_KINDS, STATUSES, TITLE_KINDS, Agreement, Honoree, Partner, Records
from ...render import DocxImage
from ..wording import counted, country_genitive_mn, country_in_sentence, join, noun, number, sheet_texts, using_sheet_texts
from . import charts

#: The department sheet names countries with at least this many partner organizations ...
NAMED_COUNTRY_MINIMUM = 5
#: ... and at most this many of them.
NAMED_COUNTRIES_MOST = 7
#: The titles sentence names the titles of the leading partner countries (the published page: Japan,
#: South Korea, China, the three countries with the most partner organizations).
TITLE_COUNTRIES_NAMED = 3
#: Totals from this size on are rounded down in the sentence: "more than 120 organizations".
ROUNDED_FROM = 20
#: Charts are drawn when there is something to compare: at least this many bars.
CHART_MINIMUM_BARS = 2
#: The partners-by-country chart draws at most this many bars (the smallest countries are grouped).
CHART_MOST_BARS = 12

#: Language tags for names in a partner's own script (the PDF picks the right CJK glyphs by them).
NATIVE_LANGUAGE = {
    "JP": "ja",
    "KR": "ko",
    "CN": "zh-Hans",
    "TW": "zh-Hant",
    "HK": "zh-Hant",
    "RU": "ru",
    "KZ": "kk",
    "TR": "tr",
    "IN": "hi",
    "TH": "th",
    "VN": "vi",
}

#: The fixed texts live in ``templates/factsheets/texts.yaml`` (``wording.sheet_texts``): labels,
#: sentences with {fields} the code fills in, the short names of agreement kinds and counted nouns.


def _worded(make):
    """A sheet's context made with the texts of the templates folder given as ``templates_dir=``."""

    @functools.wraps(make)
    def worded(*args, templates_dir: Path | None = None, **kwargs):
        with using_sheet_texts(templates_dir):
            return make(*args, **kwargs)

    return worded


def label(key: str, language: str) -> str:
    """A fixed text of the sheets as it is: label('history', 'en') -> 'History'."""
    return sheet_texts(language).text("texts", key, language=language)


def text(key: str, language: str, **values: Any) -> str:
    """A sentence of the sheets with its {fields} filled in."""
    texts = sheet_texts(language)
    return texts.fill(texts.text("texts", key, language=language), values, "texts", key, language)


def labels(language: str) -> dict[str, str]:
    """Every fixed text without a field, for the templates (``labels.history``); a delegation's
    language falls back to English for a text its file does not have (the department's)."""
    english = {key: values["en"] for key, values in sheet_texts("en").section("texts").items() if "{" not in values.get("en", "{")}
    if language == "en":
        return english
    own = sheet_texts(language).section("texts")
    return {key: own.get(key, {}).get(language, value) for key, value in english.items()}


def kind_word(section: str, table: dict[str, tuple], key: str, language: str) -> str:
    """The name of a kind (of agreement, partner, title), a status or an area in the sheet's language:
    English and Mongolian from the records' model, a delegation's language from its texts file."""
    if language in ("en", "mn"):
        return table[key][0 if language == "en" else 1]
    return sheet_texts(language).text(section, key, language=language)


@dataclass(frozen=True)
class Emblem:
    """The university's emblem: a URL for the HTML (the file in the records folder) and a PNG for Word."""

    url: str
    image: DocxImage | None


def _pick(english: str | None, mongolian: str | None, language: str) -> str:
    return (mongolian or english or "") if language == "mn" else (english or "")


def _date(value, language: str) -> str:
    return format_date(value, language) if value is not None else label("none", language)


def short_date(value, language: str) -> str:
    """A date for a table column: '14 Dec 2009' / '2009.12.14'; a year alone stays a year."""
    if value is None:
        return label("none", language)
    if getattr(value, "is_full", True) is False:
        return str(value.year)
    if not isinstance(value, dt.date):
        value = value.as_date()
    from babel.dates import format_date as babel_format_date

    # no-break spaces: a date in a narrow column stays on one line
    return babel_format_date(value, "d MMM y" if language == "en" else "y.MM.dd", locale=language.replace("-", "_")).replace(" ", "\u00a0")


def _year(value: int | None, language: str) -> str:
    return str(value) if value is not None else label("none", language)


def partner_name(partner: Partner, language: str) -> str:
    return _pick(partner.name, partner.name_mn, language)


def honoree_name(honoree: Honoree, language: str) -> str:
    return _pick(honoree.display_name, honoree.name_mn, language)


def agreement_title(agreement: Agreement, language: str) -> str:
    return _pick(agreement.title, agreement.title_mn or AGREEMENT_KINDS[agreement.kind][1], language)


def _kind(agreement: Agreement, language: str) -> str:
    return kind_word("agreement_kinds", AGREEMENT_KINDS, agreement.kind, language)


def _short_kind(agreement: Agreement, language: str) -> str:
    return sheet_texts(language).text("short_kinds", agreement.kind, language=language)


def _status(agreement: Agreement, language: str) -> str:
    return kind_word("statuses", STATUSES, agreement.status, language)


def _areas(agreement: Agreement, language: str) -> str:
    return join([kind_word("areas", AREAS, a, language) for a in agreement.areas], language)


def _areas_short(agreement: Agreement, language: str) -> str:
    """'science, technology, health': for table cells, without the 'and'."""
    return label("list_separator", language).join(kind_word("areas", AREAS, a, language) for a in agreement.areas)


def _title_kinds(by_kind: dict[str, int], language: str) -> str:
    """'37 honorary doctorates, 98 honorary professors, and 60 visiting professors' (kinds with none left out)."""
    return join([counted(n, kind, language) for kind, n in by_kind.items() if n], language)


def _key_figure(value: int | str, label: str, language: str) -> dict | None:
    """A key figure's box; none for a figure that is zero ('0 honorary titles' is not printed)."""
    if value == 0 or value == label_none(language):
        return None
    return {"value": number(value, language) if isinstance(value, int) else value, "label": label}


def _present(figures: list[dict | None]) -> list[dict]:
    return [figure for figure in figures if figure]


def label_none(language: str) -> str:
    return label("none", language)


def _chart(chart: charts.Chart, caption: str) -> dict:
    return {
        "src": chart.svg_data_url,
        "image": DocxImage(chart.png, chart.width_mm),
        "alt": chart.description,
        "caption": caption,
        "width_mm": f"{chart.width_mm:g}",
    }


def _country_bars(by_country: dict[str, int], language: str) -> tuple[list[tuple[str, int]], bool]:
    """The bars of the partners-by-country chart: every country with more than the smallest count
    (up to ``CHART_MOST_BARS`` - 1), the rest as one bar "12 other countries"; True when grouped."""
    items = list(by_country.items())
    if len(items) <= CHART_MOST_BARS:
        return [(country_name(code, language), n) for code, n in items], False
    smallest = min(n for _, n in items)
    shown = [(code, n) for code, n in items if n > smallest][: CHART_MOST_BARS - 1]
    rest = items[len(shown) :]
    bars = [(country_name(code, language), n) for code, n in shown]
    bars.append((counted(len(rest), "other country", language), sum(n for _, n in rest)))
    return bars, True


def _decade_label(decade: int) -> str:
    return f"{decade}–{(decade + 9) % 100:02d}"


def _titles_chart(
    draw: charts.ChartCache, by_decade: dict[int, dict[str, int]], caption: str, language: str, height_mm: float = 62, width_mm: float = 170
) -> dict | None:
    if len(by_decade) < CHART_MINIMUM_BARS and sum(sum(v.values()) for v in by_decade.values()) < CHART_MINIMUM_BARS:
        return None
    categories = [_decade_label(d) for d in by_decade]
    series = [(noun(2, kind, language).capitalize(), [counts[kind] for counts in by_decade.values()]) for kind in TITLE_KINDS]
    series = [(name, values) for name, values in series if any(values)]
    description = "; ".join(f"{c}: {number(sum(v.values()), language)}" for c, v in zip(categories, by_decade.values(), strict=True))
    chart = draw(
        charts.stacked_bars,
        categories,
        series,
        text("decade", language),
        text("count_titles", language),
        language,
        f"{caption}. {description}",
        height_mm=height_mm,
        width_mm=width_mm,
    )
    return _chart(chart, caption)


def _years_chart(draw: charts.ChartCache, by_year: dict[int, int], caption: str, language: str, height_mm: float = 50) -> dict | None:
    if sum(by_year.values()) < CHART_MINIMUM_BARS:
        return None
    description = "; ".join(f"{year}: {number(n, language)}" for year, n in by_year.items())
    chart = draw(
        charts.bars_by_year, by_year, text("year", language), text("count_agreements", language), language, f"{caption}. {description}", height_mm=height_mm
    )
    return _chart(chart, caption)


def _header(records: Records, language: str, as_of: dt.date, emblem: Emblem, title: str) -> dict:
    institution = records.institution
    return {
        "university": _pick(institution.name, institution.name_mn, language),
        "department": _pick(institution.department, institution.department_mn, language),
        "sheet": label("fact_sheet", language),
        "as_of": text("as_of", language, date=format_date(as_of, language)),
        "emblem_url": emblem.url,
        "emblem": emblem.image or "",
        "address": _pick(institution.address, institution.address_mn, language),
        "website": institution.website,
        "website_text": institution.website.split("://", 1)[-1].rstrip("/"),
        # the Mongol script beside the Cyrillic on the Mongolian sheets (Law on the Mongolian Language, art. 7.2)
        "mongol": _mongol_university(institution) if language == "mn" else [],
        "footer": " · ".join(
            dict.fromkeys([_pick(institution.name, institution.name_mn, language), _pick(institution.department, institution.department_mn, language), title])
        ),
    }


def _mongol_university(institution) -> list[str]:
    """The university's name in the Mongol script (``institution.yaml``'s ``mongol_script: name:``), one column a line."""
    from ..certificates.context import mongol_texts

    return mongol_texts(institution)["university"]


def _common(records: Records, language: str, as_of: dt.date, emblem: Emblem, kind: str, title: str, document_title: str) -> dict:
    return {
        "kind": kind,
        "language": language,
        "document_title": document_title,
        "created": as_of.isoformat(),
        "header": _header(records, language, as_of, emblem, title),
        "title": title,
        "labels": labels(language),
    }


# --------------------------------------------------------------------------- department


def _partners_sentence(figures: stats.Overview, language: str) -> str:
    named = [(code, n) for code, n in figures.partners_by_country.items() if n >= NAMED_COUNTRY_MINIMUM][:NAMED_COUNTRIES_MOST]
    total = figures.partner_organizations
    rounded = figures.partner_organizations_rounded
    if total >= ROUNDED_FROM and rounded < total:
        organizations = text(
            "more_than",
            language,
            organizations=counted(rounded, "organization", language),
            number=number(rounded, language),
            noun=noun(rounded, "organization", language),
        )
    else:
        organizations = counted(total, "organization", language)
    countries = counted(figures.partner_countries, "country", language)
    if not total:
        return label("partners_none", language)
    if language == "mn":
        items = [text("partners_next", language, country=country_name(code, language), number=number(n, language)) for code, n in named]
        total_text = f"{figures.partner_countries} улсын {organizations}"
        named_text = text("partners_named", language, list=join(items, language)) if items else ""
        return text("partners_sentence", language, total=total_text, named=named_text)
    items = []
    for index, (code, n) in enumerate(named):
        key = "partners_first" if index == 0 else "partners_next"
        items.append(
            text(key, language, organizations=counted(n, "organization", language), number=number(n, language), country=country_in_sentence(code, language))
        )
    items.append(text("partners_total", language, organizations=organizations, countries=countries))
    return text("partners_sentence", language, list=join(items, language))


def _titles_sentence(figures: stats.Overview, language: str) -> str:
    if not figures.titles:
        return label("titles_none", language)
    leading = list(figures.partners_by_country)[:TITLE_COUNTRIES_NAMED]
    named = [
        text("titles_named", language, number=number(figures.titles_by_country[code], language), country=country_in_sentence(code, language))
        for code in leading
        if figures.titles_by_country.get(code)
    ]
    return text(
        "titles_sentence",
        language,
        since=figures.titles_since,
        titles=counted(figures.titles, "title" if language == "en" else "honorary title", language),
        kinds=_title_kinds(figures.titles_by_kind, language),
        countries=counted(figures.title_countries, "country", language),
        countries_gen=f"{number(figures.title_countries, language)} улсын",
        named=text("titles_named_part", language, list=join(named, language)) if named else "",
    )


def _achievement(agreement: Agreement, records: Records, language: str) -> str:
    if language == "en" or agreement.highlight_mn:
        return _pick(agreement.highlight, agreement.highlight_mn, language)
    partners = join([partner_name(records.partners_by_id[pid], language) for pid in agreement.partners], language)
    return text("achievement_mn", language, kind=_kind(agreement, language), partners=partners)


@_worded
def department_context(records: Records, language: str, as_of: dt.date, draw: charts.ChartCache, emblem: Emblem) -> dict:
    """The department's fact sheet: history, partners by country, agreements, titles, achievements, staff."""
    if language not in ("en", "mn"):
        from ...errors import UsageError

        raise UsageError(
            f"the department's fact sheet is made in English and Mongolian (en, mn), not '{language}': a delegation's language is for country and partner sheets"
        )
    institution = records.institution
    figures = stats.overview(records)
    expiring = [a for a, _ in stats.expiring(records, stats.EXPIRY_WINDOW_DAYS, as_of)]
    department = _pick(institution.department, institution.department_mn, language)
    context = _common(records, language, as_of, emblem, "department", department, f"{department} — {label('fact_sheet', language)}")
    university = _pick(institution.name, institution.name_mn, language)
    context["subtitle"] = university
    context["lead"] = text(
        "lead",
        language,
        university=university,
        short=institution.short_name,
        founded=institution.founded,
        department=department,
        organizations=counted(figures.partner_organizations, "partner organization", language),
        countries=counted(figures.partner_countries, "country", language),
        countries_gen=f"{number(figures.partner_countries, language)} улсын",
    )
    context["key_figures"] = _present(
        [
            _key_figure(figures.partner_organizations, noun(figures.partner_organizations, "partner organization", language), language),
            _key_figure(figures.partner_countries, noun(figures.partner_countries, "partner country", language), language),
            _key_figure(figures.agreements_active, noun(figures.agreements_active, "agreement in force", language), language),
            _key_figure(figures.titles, noun(figures.titles, "honorary title", language), language),
        ]
    )

    history = institution.history
    staff = [f"{_pick(p.name, p.name_mn, language)} ({_pick(p.title, p.title_mn, language)})" for p in history.first_staff]
    students = {
        "founded": institution.founded,
        "mongolian": counted(history.first_students_mongolian, "Mongolian student", language),
        "russian": counted(history.first_students_russian, "Russian student", language),
    }
    first = text("first_staff", language, staff=join(staff, language), **students) if staff else text("first_students", language, **students)
    context["history"] = {
        "paragraphs": [_pick(history.text, history.text_mn, language), first],
        "milestones": [{"year": str(m.year), "text": _pick(m.text, m.text_mn, language)} for m in sorted(institution.milestones, key=lambda m: m.year)],
    }

    partners_chart = None
    if len(figures.partners_by_country) >= CHART_MINIMUM_BARS:
        bars, grouped = _country_bars(figures.partners_by_country, language)
        caption = label("partners_chart", language)
        description = "; ".join(f"{name}: {number(n, language)}" for name, n in bars)
        chart = draw(
            charts.horizontal_bars, bars, label("partners", language), label("country", language), language, f"{caption}. {description}", muted_last=grouped
        )
        partners_chart = _chart(chart, caption)
    context["partners"] = {"sentence": _partners_sentence(figures, language), "chart": partners_chart}

    context["agreements"] = {
        "sentence": text(
            "agreements_sentence",
            language,
            agreements=counted(figures.agreements_signed, "agreement signed" if language == "en" else "agreement", language),
            first=_year(figures.first_agreement_year, language),
            active=number(figures.agreements_active, language),
            expiring=number(len(expiring), language),
        ),
        "by_kind": [
            {"kind": kind_word("agreement_kinds", AGREEMENT_KINDS, kind, language), "count": number(n, language)}
            for kind, n in figures.agreements_by_kind.items()
        ],
        "total": number(figures.agreements_signed, language),
        "chart": _years_chart(draw, figures.agreements_by_year, label("agreements_chart", language), language),
    }

    context["titles"] = {
        "sentence": _titles_sentence(figures, language),
        "total": number(figures.titles, language),
        "chart": _titles_chart(draw, figures.titles_by_decade, label("titles_chart", language), language),
    }
    countries = list(dict.fromkeys([*figures.partners_by_country, *figures.titles_by_country]))
    context["by_country"] = [
        {
            "name": country_name(code, language),
            "organizations": number(figures.partners_by_country.get(code, 0), language),
            "titles": number(figures.titles_by_country.get(code, 0), language),
        }
        for code in countries
    ]
    context["by_country_total"] = {"organizations": number(figures.partner_organizations, language), "titles": number(figures.titles, language)}
    context["achievements"] = [
        {"year": _year(a.signed_on.year if a.signed_on else None, language), "text": _achievement(a, records, language)} for a in stats.highlights(records)
    ]
    context["staff"] = [
        {"role": _pick(s.role, s.role_mn, language), "name": _pick(s.name, s.name_mn, language), "degrees": s.degrees or ""} for s in institution.staff
    ]
    return context


# --------------------------------------------------------------------------- country


def _partner_row(partner: Partner, agreement: Agreement, language: str) -> dict:
    return {
        "partner": partner_name(partner, language),
        "native_name": partner.native_name or "",
        "native_lang": NATIVE_LANGUAGE.get(partner.country, ""),
        "details": f"{partner.city} · {kind_word('partner_kinds', PARTNER_KINDS, partner.kind, language)}",
        "agreement": _short_kind(agreement, language),
        "signed": short_date(agreement.signed_on, language),
        "until": short_date(agreement.expires_on, language),
        "status": _status(agreement, language),
        "active": agreement.status == "active",
        "areas": _areas_short(agreement, language),
    }


@_worded
def country_context(records: Records, code: str, language: str, as_of: dt.date, draw: charts.ChartCache, emblem: Emblem) -> dict:
    """One partner country: its partners and agreements, titles of its representatives, what expires soon."""
    institution = records.institution
    figures = stats.country_figures(records, code, as_of)
    name = country_name(code, language)
    in_sentence = country_in_sentence(code, language)
    genitive = country_genitive_mn(code) if language == "mn" else ""
    university = _pick(institution.name, institution.name_mn, language)
    context = _common(records, language, as_of, emblem, "country", name, f"{name} — {label('fact_sheet', language)}")
    context["code"] = code
    context["subtitle"] = text("country_subtitle", language, university=university, country=in_sentence)
    context["key_figures"] = _present(
        [
            _key_figure(figures.partner_organizations, noun(figures.partner_organizations, "partner organization", language), language),
            _key_figure(figures.agreements_active, noun(figures.agreements_active, "agreement in force", language), language),
            _key_figure(figures.titles, noun(figures.titles, "honorary title", language), language),
            _key_figure(_year(figures.first_year, language), label("cooperation_since", language), language),
        ]
    )
    if figures.agreements:
        sentence = text(
            "country_agreements_sentence",
            language,
            organizations=counted(figures.partner_organizations, "organization", language),
            country=in_sentence,
            country_gen=genitive,
            agreements=counted(figures.agreements_signed, "agreement", language),
            first=figures.first_year,
            latest=figures.latest_year,
            active=number(figures.agreements_active, language),
        )
    else:
        sentence = text("country_no_agreement", language, country=in_sentence, country_gen=genitive)
    if figures.titles:
        since = records.honorees_by_id[figures.honorees[0]].awarded_on.year
        titles = text(
            "country_titles_sentence",
            language,
            country=in_sentence,
            country_gen=genitive,
            titles=counted(figures.titles, "honorary title", language),
            since=since,
            kinds=_title_kinds(figures.titles_by_kind, language),
        )
    else:
        titles = text("country_no_titles", language, country=in_sentence, country_gen=genitive)
    context["summary"] = [sentence, titles]

    rows = []
    for partner_id in figures.partners:
        partner = records.partners_by_id[partner_id]
        for agreement in sorted(stats.signed(records.agreements_of(partner_id)), key=stats.by_signing_date):
            rows.append(_partner_row(partner, agreement, language))
    context["partners"] = rows

    window_end = as_of + dt.timedelta(days=stats.EXPIRY_WINDOW_DAYS)
    expiring = []
    for agreement_id, end in figures.expiring:
        agreement = records.agreements_by_id[agreement_id]
        partners = join([partner_name(records.partners_by_id[p], language) for p in agreement.partners if records.partners_by_id[p].country == code], language)
        expiring.append(text("expiring_item", language, partner=partners, kind=_kind(agreement, language), date=format_date(end, language)))
    context["expiring"] = {"entries": expiring, "none": text("expiring_none", language, date=format_date(window_end, language))}

    context["titles"] = {
        "by_kind": [{"kind": noun(2, kind, language).capitalize(), "count": number(n, language)} for kind, n in figures.titles_by_kind.items()],
        "total": number(figures.titles, language),
    }
    context["agreements_chart"] = _years_chart(
        draw, figures.agreements_by_year, text("country_agreements_chart", language, country=in_sentence), language, height_mm=45
    )
    context["titles_chart"] = (
        _titles_chart(
            draw,
            figures.titles_by_decade,
            text("country_titles_chart", language, country=in_sentence, country_gen=genitive),
            language,
            height_mm=55,
            width_mm=112,
        )
        if figures.titles
        else None
    )
    return context


# --------------------------------------------------------------------------- partner


def _timeline(agreements: list[Agreement], language: str) -> list[dict]:
    """Dated events of the partner's agreements, oldest first: signed, programmes, end."""
    events: list[tuple[tuple, str, str]] = []
    for order, agreement in enumerate(agreements):
        kind = _kind(agreement, language)
        start = agreement.signed_on
        if start is not None:
            title = agreement_title(agreement, language)
            key = "event_signed" if title != kind else "event_signed_untitled"  # a Mongolian title may fall back to the kind
            events.append(((start.first_day, order, 0), format_date(start, language), text(key, language, kind=kind, title=title)))
        if agreement.status == "terminated":
            # the records keep no date for a termination: it follows the signing
            events.append(((start.first_day if start else dt.date.min, order, 3), "", text("event_terminated", language, kind=kind)))
        for programme in agreement.programmes:
            name = _pick(programme.name, programme.name_mn, language)
            if programme.starts:
                events.append(((dt.date(programme.starts, 1, 1), order, 1), str(programme.starts), text("event_programme_starts", language, name=name)))
            if programme.ends:
                events.append(((dt.date(programme.ends, 12, 31), order, 2), str(programme.ends), text("event_programme_ends", language, name=name)))
        end = agreement.expires_on
        if end is not None and agreement.status in ("active", "expired"):
            key = "event_valid_until" if agreement.status == "active" else "event_expired"
            events.append(((end, order, 4), format_date(end, language), text(key, language, kind=kind)))
    events.sort(key=lambda event: event[0])
    return [{"date": date, "text": event_text} for _, date, event_text in events]


def _agreement_detail(agreement: Agreement, partner: Partner, records: Records, language: str) -> dict:
    others = [partner_name(records.partners_by_id[p], language) for p in agreement.partners if p != partner.id]
    funding = ""
    if agreement.funding is not None:
        money = agreement.funding
        funding = text("funding_text", language, amount=number(money.amount, language), currency=money.currency, source=money.source)
        if money.terms:
            funding += f" ({money.terms})" if language == "en" else ""
    facts = [
        {"label": label("agreement", language), "value": _kind(agreement, language)},
        {"label": label("signed", language), "value": _date(agreement.signed_on, language)},
        {"label": label("valid_until", language), "value": _date(agreement.expires_on, language)},
        {"label": label("status", language), "value": _status(agreement, language)},
        {"label": label("areas", language), "value": _areas(agreement, language)},
    ]
    if others:
        facts.append({"label": label("other_parties", language), "value": join(others, language)})
    if funding:
        facts.append({"label": label("funding", language), "value": funding})
    return {
        "title": agreement_title(agreement, language),
        "facts": facts,
        # activities are recorded in English only: the Mongolian sheet leaves them out
        "activities": list(agreement.activities) if language == "en" else [],
    }


@_worded
def partner_context(records: Records, partner_id: str, language: str, as_of: dt.date, draw: charts.ChartCache, emblem: Emblem) -> dict:
    """One partner organization: profile, agreement history, programmes, honorees."""
    institution = records.institution
    partner = records.partners_by_id[partner_id]
    figures = stats.partner_figures(records, partner_id, as_of)
    name = partner_name(partner, language)
    context = _common(records, language, as_of, emblem, "partner", name, f"{name} — {label('fact_sheet', language)}")
    context["id"] = partner.id
    kind = kind_word("partner_kinds", PARTNER_KINDS, partner.kind, language)
    context["native_name"] = partner.native_name or ""
    context["native_lang"] = NATIVE_LANGUAGE.get(partner.country, "")
    context["former_names"] = list(partner.former_names)
    context["formerly"] = label("formerly", language)
    context["subtitle"] = f"{kind.capitalize()} · {partner.city}, {country_name(partner.country, language)}"
    agreements = [records.agreements_by_id[a] for a in figures.agreements]
    context["key_figures"] = _present(
        [
            _key_figure(figures.agreements_signed, noun(figures.agreements_signed, "agreement signed", language), language),
            _key_figure(_year(figures.first_year, language), label("cooperation_since", language), language),
            _key_figure(figures.programmes, noun(figures.programmes, "programme", language), language),
            _key_figure(figures.titles, noun(figures.titles, "honorary title", language), language),
        ]
    )
    university = _pick(institution.name, institution.name_mn, language)
    if agreements:
        context["summary"] = text(
            "partner_sentence",
            language,
            name=name,
            university=university,
            first=figures.first_year,
            agreements=counted(figures.agreements_signed, "agreement", language),
            active=number(figures.agreements_active, language),
        )
    else:
        context["summary"] = text("partner_no_agreement", language, name=name)

    profile = []
    if language == "mn" and partner.name_mn:
        profile.append({"label": label("english_name", language), "value": partner.name, "lang": "en"})
    if partner.native_name:
        profile.append({"label": label("native_name", language), "value": partner.native_name, "lang": context["native_lang"]})
    profile += [
        {"label": label("partner_kind", language), "value": kind, "lang": ""},
        {"label": label("country", language), "value": country_name(partner.country, language), "lang": ""},
        {"label": label("city", language), "value": partner.city, "lang": ""},
    ]
    if partner.address:
        profile.append({"label": label("address", language), "value": partner.address, "lang": ""})
    if partner.website:
        profile.append({"label": label("website", language), "value": partner.website, "lang": ""})
    if partner.representative:
        person = partner.representative
        profile.append(
            {
                "label": label("representative", language),
                "value": f"{_pick(person.name, person.name_mn, language)}, {_pick(person.title, person.title_mn, language)}",
                "lang": "",
            }
        )
    context["profile"] = profile
    context["timeline"] = _timeline(agreements, language)
    context["agreements"] = [_agreement_detail(a, partner, records, language) for a in agreements]
    context["programmes"] = [
        {
            "name": _pick(p.name, p.name_mn, language),
            "scheme": p.scheme or label("none", language),
            "degree": p.degree or label("none", language),
            "years": f"{p.starts or ''}–{p.ends or ''}" if p.starts or p.ends else label("none", language),
        }
        for a in agreements
        for p in a.programmes
    ]
    context["honorees"] = [
        {
            "name": honoree_name(h, language),
            "native_name": h.native_name or "",
            "native_lang": NATIVE_LANGUAGE.get(h.country, ""),
            "title": kind_word("title_kinds", TITLE_KINDS, h.title, language),
            "awarded": format_date(h.awarded_on, language),
        }
        for h in (records.honorees_by_id[i] for i in figures.honorees)
    ]
    return context
