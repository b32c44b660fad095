"""The questions of ``irdocs new partner`` and ``irdocs new agreement`` (terminal only: just ``cli`` imports this).

Every answer is checked at once by ``entry.check_answer`` with the record rules of ``model``; a
refused answer is explained and the question asked again. The answers are kept as they would be
written in the records file (text, numbers, lists), so the summary shows exactly what will be added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from ..records.entry import AnswerError, check_answer, check_new_id, country_code, in_file_order, slug, suggested_agreement_id, suggested_agreement_title
from ..records.model import AGREEMENT_KINDS, AREAS, PARTNER_KINDS, STATUSES, Agreement, Funding, Partner, Person, Programme, Records, parse_partial_date


def ask(question: str, check: Callable[[str], Any], default: str | None = None, optional: bool = False) -> Any:
    """Ask until ``check`` accepts the answer; Enter on an optional question gives None."""
    if optional:
        question += " (optional, Enter to skip)"
    while True:
        answer = click.prompt(question, default=default if default is not None else ("" if optional else None), show_default=bool(default))
        answer = answer.strip()
        if optional and not answer:
            return None
        try:
            return check(answer)
        except AnswerError as exc:
            click.echo(f"  Not accepted: {exc}")


def field(model: type, name: str, kind: str = "") -> Callable[[str], str]:
    """A check that applies the records' rule for one field and keeps the answer as typed."""

    def check(answer: str) -> str:
        check_answer(model, name, answer, kind)
        return answer

    return check


def choose(question: str, choices: dict[str, tuple[str, str]], default: str, model: type, name: str, several: bool = False) -> Any:
    """Show the choices numbered; take a number or a name (several, separated by commas, if ``several``)."""
    click.echo(question)
    keys = list(choices)
    for number, key in enumerate(keys, start=1):
        label = choices[key][0]
        click.echo(f"  {number}. {key}" + (f" ({label})" if label != key.replace("-", " ") else ""))

    def check(answer: str) -> Any:
        picked = [part.strip() for part in answer.split(",") if part.strip()] if several else [answer]
        picked = [keys[int(p) - 1] if p.isdigit() and 1 <= int(p) <= len(keys) else p.lower() for p in picked]
        value = picked if several else picked[0]
        check_answer(model, name, value)
        return value

    hint = "numbers or names, separated by commas" if several else "a number or a name"
    return ask(f"Your choice ({hint})", check, default=default)


# --------------------------------------------------------------------------- partner


def ask_partner(records: Records, taken: set[str], suggested_id: str | None = None) -> dict[str, Any]:
    """The answers for one new partner organization."""

    def new_id(answer: str) -> str:
        value = check_new_id(records, answer)
        if value in taken:
            raise AnswerError(f"'{value}' is already used by a record you are adding now (choose another id)")
        return value

    def country(answer: str) -> str:
        code = country_code(answer)
        check_answer(Partner, "country", code)
        if code != answer:
            from ..localize import country_name

            click.echo(f"  {code} ({country_name(code)})")
        return code

    click.echo("New partner organization.")
    values: dict[str, Any] = {}
    values["name"] = ask("Official name in English (e.g. Hoshigaoka Medical University)", field(Partner, "name"))
    values["id"] = ask("Short id for the records: lower-case letters, digits and hyphens", new_id, default=suggested_id or slug(values["name"]))
    taken.add(values["id"])
    values["native_name"] = ask("Name in its own language and script (e.g. 星ヶ丘医科大学)", field(Partner, "native_name"), optional=True)
    values["name_mn"] = ask("Name in Mongolian Cyrillic", field(Partner, "name_mn"), optional=True)
    values["kind"] = choose("What kind of organization is it?", PARTNER_KINDS, "university", Partner, "kind")
    values["country"] = ask("Country: its two-letter code or its English name (e.g. JP or Japan)", country)
    values["city"] = ask("City", field(Partner, "city"))
    values["address"] = ask("Postal address, on one line", field(Partner, "address"), optional=True)
    values["website"] = ask("Website, starting with https://", field(Partner, "website"), optional=True)
    name = ask("Who signs agreements for it: the name (e.g. Prof. Hiroshi Ueno)", field(Person, "name"), optional=True)
    if name:
        title = ask("Their position (e.g. President)", field(Person, "title"))
        values["representative"] = {"name": name, "title": title}
    return in_file_order("partner", values)


def as_date(answer: str) -> dt.date | int:
    """A checked date as the records file writes it: 2026-11-02 (unquoted), or a year alone."""
    return dt.date.fromisoformat(answer) if "-" in answer else int(answer)


# --------------------------------------------------------------------------- agreement


def ask_agreement(records: Records, today: dt.date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The answers for one new agreement, and any new partners added on the way."""
    from ..records.validate import did_you_mean

    new_partners: list[dict[str, Any]] = []
    taken: set[str] = set()

    def partner_ids(answer: str) -> list[str]:
        ids = [part.strip() for part in answer.split(",") if part.strip()]
        check_answer(Agreement, "partners", ids)
        if len(set(ids)) != len(ids):
            raise AnswerError("a partner is named twice (each partner once)")
        known = set(records.partners_by_id) | {p["id"] for p in new_partners}
        for index, pid in enumerate(ids):
            if pid in known:
                continue
            guess = did_you_mean(pid, sorted(known))
            click.echo(f"  There is no partner '{pid}' in partners.yaml" + (f" (did you mean '{guess}'?)." if guess else "."))
            if not click.confirm(f"  Add '{pid}' as a new partner now?", default=False):
                raise AnswerError("give the ids of partners in partners.yaml, or add the new partner")
            partner = ask_partner(records, taken, suggested_id=pid)
            new_partners.append(partner)
            ids[index] = partner["id"]
        return ids

    values: dict[str, Any] = {}
    values["partners"] = ask("Partner ids, separated by commas (e.g. yonsei-university)", partner_ids)
    names = {**{p.id: p.name for p in records.partners}, **{p["id"]: p["name"] for p in new_partners}}
    values["kind"] = choose("What kind of agreement is it?", AGREEMENT_KINDS, "mou", Agreement, "kind")
    title = suggested_agreement_title(records, [names[p] for p in values["partners"]], values["kind"])
    values["title"] = ask("Title", field(Agreement, "title"), default=title)
    values["title_mn"] = ask("Title in Mongolian", field(Agreement, "title_mn"), optional=True)
    suggested = suggested_agreement_id(values["partners"], values["kind"], today.year)

    def new_id(answer: str) -> str:
        value = check_new_id(records, answer)
        if value in taken:
            raise AnswerError(f"'{value}' is already used by a record you are adding now (choose another id)")
        return value

    values["id"] = ask("Short id for the records", new_id, default=suggested)
    values["status"] = choose("Where does it stand?", STATUSES, "draft", Agreement, "status")
    if values["status"] != "draft":

        def signed(answer: str) -> str:
            check_answer(Agreement, "signed_on", answer)
            if parse_partial_date(answer).first_day > today:
                raise AnswerError(f"'{answer}' is in the future (the day it was signed; an agreement not signed yet is a draft)")
            return answer

        values["signed_on"] = ask("Signed on (YYYY-MM-DD)", signed)
        values["signed_on"] = as_date(values["signed_on"])

    def duration(answer: str) -> tuple[str, Any]:
        if answer.isdigit():
            return "duration_years", check_answer(Agreement, "duration_years", int(answer))
        check_answer(Agreement, "valid_until", answer)
        return "valid_until", as_date(answer)

    key, value = ask("How long will it run? A number of years (e.g. 5), or its last day (YYYY-MM-DD)", duration, default="5")
    values[key] = value
    values["areas"] = choose("Areas of cooperation", AREAS, "education, health", Agreement, "areas", several=True)
    click.echo("Concrete activities, one per line (e.g. exchange of faculty members for teaching); an empty line when done.")
    activities = []
    while True:
        activity = ask(f"  Activity {len(activities) + 1}", lambda a: check_answer(Agreement, "activities", [a]) and a, optional=True)
        if activity is None:
            break
        activities.append(activity)
    values["activities"] = activities
    if activities and click.confirm("Write the activities in Mongolian too (for Mongolian drafts)?", default=False):
        values["activities_mn"] = [ask(f"  {activity}, in Mongolian", lambda a: check_answer(Agreement, "activities_mn", [a]) and a) for activity in activities]
    if values["kind"] == "joint-programme":
        values["programmes"] = []
        while True:
            click.echo(f"Joint programme {len(values['programmes']) + 1}:")
            programme = {"name": ask("  Name of the programme (e.g. Acupuncturist)", field(Programme, "name"))}
            programme["name_mn"] = ask("  Its name in Mongolian", field(Programme, "name_mn"), optional=True)
            programme["scheme"] = ask("  Years here + years at the partner (e.g. 4+2)", field(Programme, "scheme"), optional=True)
            programme["degree"] = ask("  Degree awarded (e.g. Bachelor of Medicine)", field(Programme, "degree"), optional=True)
            starts = ask("  Year of the first intake (e.g. 2027)", lambda a: check_answer(Programme, "starts", a) and int(a), optional=True)
            programme["starts"] = starts
            values["programmes"].append({k: v for k, v in programme.items() if v is not None})
            if not click.confirm("Add another programme?", default=False):
                break
    if values["kind"] == "funded-project":
        click.echo("Funding:")
        funding = {"amount": ask("  Amount (e.g. 7500000)", field(Funding, "amount"))}
        funding["currency"] = ask("  Currency code (e.g. EUR, USD, MNT)", lambda a: check_answer(Funding, "currency", a))
        funding["source"] = ask("  Who pays (e.g. Government of the Republic of Austria)", field(Funding, "source"))
        funding["terms"] = ask("  Terms (e.g. grant, concessional loan)", field(Funding, "terms"), optional=True)
        values["funding"] = {k: v for k, v in funding.items() if v is not None}
    signatories = {}
    for pid in values["partners"]:
        partner = records.partners_by_id.get(pid)
        representative = partner.representative if partner else next((p.get("representative") for p in new_partners if p["id"] == pid), None)
        if representative:
            who = f"{representative.name}, {representative.title}" if partner else f"{representative['name']}, {representative['title']}"
            click.echo(f"{names[pid]} signs by {who} (from partners.yaml).")
            continue
        name = ask(f"Who signs for {names[pid]}? The name", field(Person, "name"), optional=True)
        if name:
            signatories[pid] = {"name": name, "title": ask("Their position (e.g. President)", field(Person, "title"))}
    if signatories:
        values["signatories"] = signatories
    return in_file_order("agreement", values), new_partners
