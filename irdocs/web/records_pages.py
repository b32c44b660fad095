"""A page for each partner, agreement and honorary title, with its edit and delete forms.

The edit forms are the add forms (``forms``) filled with the record's values, its id fixed (ids are
what other records refer to). A change is checked with the whole folder as ``irdocs check`` does and
written in place (``editing.change``); fields the form does not show (a partner's ``sample: true``,
an agreement's signatories and programmes) are kept as they are. A delete is refused, with what
refers to the record, while anything does (``editing.references``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from ..errors import RecordsError, UsageError
from . import current_service, editing, forms
from .i18n import _, problem_text
from .permissions import requires

bp = Blueprint("records", __name__)
FILES = {"partner": "partners.yaml", "agreement": "agreements.yaml", "honoree": "honorees.csv"}
LISTS = {"partner": "office.partners", "agreement": "office.agreements", "honoree": "office.honorees"}


@bp.before_request
def require_login():
    from .office import require_login as office_login

    return office_login()


def _raw(kind: str, ident: str) -> dict[str, Any]:
    """The record's values as its file holds them (for the edit form and for keeping what it does not show)."""
    from ..records.load import load_folder

    for raw in load_folder(current_service().records_dir)[kind].records:
        if raw.record_id == ident:
            return raw.values
    _missing(kind, ident)


def _missing(kind: str, ident: str):
    abort(404, _("There is no %(kind)s '%(id)s' in %(file)s.", kind=kind_name(kind), id=ident, file=FILES[kind]))


def kind_name(kind: str) -> str:
    return {"partner": _("partner"), "agreement": _("agreement"), "honoree": _("honorary title"), "certificate": _("certificate")}.get(kind, kind)


def _form_values(values: dict[str, Any]) -> MultiDict:
    """A record's values as the form's answers: lists one per line (or one box each), nested fields dotted."""
    form = MultiDict()
    for name, value in values.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                form.add(f"{name}.{inner}", "" if inner_value is None else str(inner_value))
        elif name in ("partners", "areas") and isinstance(value, list):
            for item in value:
                form.add(name, str(item))
        elif isinstance(value, list):
            form.add(name, "\n".join(str(item) for item in value))
        else:
            form.add(name, "" if value is None else str(value))
    return form


def _merged(old: dict[str, Any], new: dict[str, Any], fields: list) -> dict[str, Any]:
    """The record after the form: the form's fields as answered, every other field as it was."""
    shown = {f.name for f in fields} | {"id"}
    tops = {name.split(".")[0] for name in shown}
    out: dict[str, Any] = {}
    for name, value in old.items():
        if name not in tops:
            out[name] = value
        elif isinstance(value, dict):
            kept = {k: v for k, v in value.items() if f"{name}.{k}" not in shown}
            nested = {**kept, **(new.get(name) or {})}
            if nested:
                out[name] = nested
        elif name in new:
            out[name] = new[name]
    for name, value in new.items():
        out.setdefault(name, value)
    return out


# --------------------------------------------------------------------------- pages


def _drafts(agreement_id: str) -> list[tuple[str, str]]:
    """The Word drafts of an agreement made so far: (language, '1' for a renewal draft or '0')."""
    from ..documents.agreements.kind import LANGUAGE_CHOICES, output_name

    folder = current_service().out_dir / "agreements"
    return [(lang, renewal) for renewal in ("0", "1") for lang in LANGUAGE_CHOICES if (folder / output_name(agreement_id, lang, renewal == "1")).is_file()]


@bp.route("/partners/<partner_id>")
def partner(partner_id: str):
    from ..documents.factsheets.kind import Sheet, sheet_path
    from ..localize import LANGUAGES

    svc = current_service()
    records, problems = svc.records_and_problems()
    found = records.partners_by_id.get(partner_id)
    if found is None:
        _missing("partner", partner_id)
    agreements = [a for a in records.agreements if partner_id in a.partners]
    titles = [h for h in records.honorees if h.partner == partner_id]
    sheet = Sheet("partner", partner_id)
    sheets = [(lang, fmt) for lang in LANGUAGES for fmt in ("pdf", "docx") if sheet_path(svc.out_dir, sheet, lang, fmt).is_file()]
    drafts = {a.id: _drafts(a.id) for a in agreements}
    from ..records.stats import partner_organizations

    has_sheet = partner_id in partner_organizations(records)
    return render_template(
        "partner.html",
        p=found,
        agreements=agreements,
        titles=titles,
        sheets=sheets,
        drafts=drafts,
        ident=f"partner/{partner_id}",
        problems=problems,
        has_sheet=has_sheet,
    )


@bp.route("/partners/<partner_id>/factsheet", methods=["POST"])
def make_factsheet(partner_id: str):
    """One partner's fact sheet, made from its page (a job, as every document)."""
    from ..localize import LANGUAGES
    from .permissions import refuse_unless

    refuse_unless("edit")
    svc = current_service()
    records, _problems = svc.records_and_problems()
    if partner_id not in records.partners_by_id:
        _missing("partner", partner_id)
    from ..records.stats import partner_organizations

    if partner_id not in partner_organizations(records):
        abort(409, _("A fact sheet is made for a partner with a signed agreement; this one has none yet."))
    language = request.form.get("language", "mn")
    if language not in LANGUAGES:
        abort(400, "unknown language")
    job = svc.regenerate_factsheets(g.user, language, partner_id)
    return redirect(url_for("office.job", job_id=job.id))


@bp.route("/agreements/<agreement_id>")
def agreement(agreement_id: str):
    from ..documents.agreements.kind import LANGUAGE_CHOICES

    records, problems = current_service().records_and_problems()
    found = records.agreements_by_id.get(agreement_id)
    if found is None:
        _missing("agreement", agreement_id)
    partners = [records.partners_by_id[p] for p in found.partners if p in records.partners_by_id]
    renewed_by = [a for a in records.agreements if a.renews == agreement_id]
    return render_template(
        "agreement.html",
        a=found,
        partners=partners,
        renewed_by=renewed_by,
        languages=LANGUAGE_CHOICES,
        drafts=_drafts(agreement_id),
        today=records.today,
        problems=problems,
    )


@bp.route("/honorees/<honoree_id>")
def honoree(honoree_id: str):
    svc = current_service()
    records, problems = svc.records_and_problems()
    found = records.honorees_by_id.get(honoree_id)
    if found is None:
        _missing("honoree", honoree_id)
    entry = svc.certificate_entries().get(honoree_id)
    made = entry is not None and (svc.out_dir / "certificates" / f"{entry.serial}.pdf").is_file()
    partner = records.partners_by_id.get(found.partner) if found.partner else None
    return render_template("honoree.html", h=found, entry=entry, made=made, partner=partner, problems=problems)


# --------------------------------------------------------------------------- edit


def _edit(kind: str, ident: str, fields: list, make_values, title: str):
    svc = current_service()
    old = _raw(kind, ident)
    fields = [f for f in fields if f.name != "id"]
    result = forms.FormResult()
    values = _form_values(old)
    if request.method == "POST":
        answers = MultiDict(request.form)
        answers.setlist("id", [ident])
        values = answers
        try:
            editing.change(svc.records_dir, kind, ident, _merged(old, make_values(answers), fields), opened=request.form.get("version"))
        except RecordsError as exc:
            result = forms.form_errors(exc, fields)
        else:
            from .activity import record

            record(svc.records_dir, g.user, "change", kind, ident)
            flash(_("Saved the changes to %(id)s.", id=ident))
            return redirect(url_for(f"records.{kind}", **{f"{kind}_id": ident}))
    status = 422 if result.errors or result.general else 200
    intro = _(
        "The changes are written to %(file)s after the same checks as 'irdocs check'; the file's other entries and comments stay as they are.", file=FILES[kind]
    )
    entry = svc.certificate_entries().get(ident) if kind == "honoree" else None
    if entry is not None and entry.status == "issued":
        command = "irdocs register reissue " + entry.serial
        intro += " " + _(
            "Certificate %(serial)s was printed with the present name and title: after changing them, the certificate is made again under a new serial with: %(command)s",
            serial=entry.serial,
            command=command,
        )
    return render_template(
        "record_form.html",
        fields=fields,
        values=values,
        result=result,
        title=title,
        intro=intro,
        kind=kind,
        back=LISTS[kind],
        cancel=url_for(f"records.{kind}", **{f"{kind}_id": ident}),
        button=_("Save the changes"),
        ident=ident,
        version=request.form.get("version", "") if request.method == "POST" else editing.version(old),  # kept until the form is opened again
    ), status


@bp.route("/partners/<partner_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit_partner(partner_id: str):
    return _edit("partner", partner_id, forms.partner_fields(), forms.partner_values, _("Change the partner %(id)s", id=partner_id))


@bp.route("/agreements/<agreement_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit_agreement(agreement_id: str):
    records = current_service().records()
    return _edit(
        "agreement",
        agreement_id,
        forms.agreement_fields(records),
        lambda form: forms.agreement_values(form, records),
        _("Change the agreement %(id)s", id=agreement_id),
    )


@bp.route("/honorees/<honoree_id>/edit", methods=["GET", "POST"])
@requires("edit")
def edit_honoree(honoree_id: str):
    records = current_service().records()
    return _edit(
        "honoree",
        honoree_id,
        forms.honoree_fields(records),
        lambda form: forms.honoree_values(form, records),
        _("Change the honorary title %(id)s", id=honoree_id),
    )


# --------------------------------------------------------------------------- delete


def _delete(kind: str, ident: str):
    svc = current_service()
    records = svc.records()
    _raw(kind, ident)  # 404 when there is no such record
    entries = svc.certificate_entries() if kind == "honoree" else None
    found = editing.references(records, kind, ident, entries)
    problems: list[str] = []
    if request.method == "POST" and not found:
        try:
            editing.delete(svc.records_dir, kind, ident, entries)
        except RecordsError as exc:
            problems = [problem_text(p.message, p.expected) if p.location.file == editing.FORM_SOURCE else str(p) for p in exc.problems]
        except UsageError as exc:
            abort(404, str(exc))
        else:
            from .activity import record

            record(svc.records_dir, g.user, "delete", kind, ident)
            flash(_("Deleted %(kind)s %(id)s.", kind=kind_name(kind), id=ident))
            return redirect(url_for(LISTS[kind]))
    status = 409 if (found or problems) and request.method == "POST" else 200
    return render_template(
        "delete.html",
        kind=kind,
        kind_label=kind_name(kind),
        ident=ident,
        references=found,
        problems=problems,
        back=url_for(f"records.{kind}", **{f"{kind}_id": ident}),
    ), status


@bp.route("/partners/<partner_id>/delete", methods=["GET", "POST"])
@requires("edit")
def delete_partner(partner_id: str):
    return _delete("partner", partner_id)


@bp.route("/agreements/<agreement_id>/delete", methods=["GET", "POST"])
@requires("edit")
def delete_agreement(agreement_id: str):
    return _delete("agreement", agreement_id)


@bp.route("/honorees/<honoree_id>/delete", methods=["GET", "POST"])
@requires("edit")
def delete_honoree(honoree_id: str):
    return _delete("honoree", honoree_id)
