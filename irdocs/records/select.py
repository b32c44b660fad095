"""The one selection language: ``--where FIELD=VALUE`` on every command and in the web app.

Each document kind names the fields its documents carry (``DocumentKind.fields``); a field is a
``Field``: what a person may type for it (case does not matter: ``country=jp``, ``title=HD``) and
the tag value that means. A condition on a field no requested kind has, or a value no record has,
is an error that lists what is valid. Conditions on different fields must all hold; a field given
twice means either value (``--where title=HD --where title=HP``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import UsageError


@dataclass(frozen=True)
class Field:
    """One selectable field of a kind's documents."""

    help: str  # for messages and --help: 'the title: HD, HP, VP or its full name'
    #: what a person may type (lower case) -> the tag's value, from the records
    choices: Callable[[object], Mapping[str, str]]
    noun: str = ""  # for 'no such ...' messages: 'honoree', 'country'


def canonical(values: Iterable[str], *aliases: Callable[[str], Iterable[str]]) -> dict[str, str]:
    """{lower-case spelling: value} for each value, itself and its aliases."""
    found: dict[str, str] = {}
    for value in values:
        for spelling in (value, *(a for alias in aliases for a in alias(value))):
            found.setdefault(str(spelling).strip().lower(), value)
    return found


@dataclass
class Selection:
    """Parsed conditions, per kind: {kind: {field: allowed tag values}}. Empty means everything."""

    conditions: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    #: the conditions as given, for messages: 'country=JP, title=HD'
    shown: str = ""

    def __bool__(self) -> bool:
        return bool(self.shown)

    def matcher(self, kind: str) -> Callable[[Mapping[str, object]], bool]:
        """Whether a document of ``kind`` with these tags is selected."""
        if not self:
            return lambda tags: True
        wanted = self.conditions.get(kind)
        if wanted is None:  # a condition on a field this kind does not have: none of its documents
            return lambda tags: False

        def matches(tags: Mapping[str, object]) -> bool:
            for name, allowed in wanted.items():
                value = tags.get(name)
                values = value if isinstance(value, (tuple, list, set, frozenset)) else (value,)
                if not any(v in allowed for v in values):
                    return False
            return True

        return matches


def parse(conditions: Iterable[tuple[str, str, str]], kinds: Mapping[str, Mapping[str, Field]], records) -> Selection:
    """Conditions as (field, value, how it was written) for the requested ``kinds`` ({kind: its fields}).

    Raises UsageError for a malformed condition, a field none of the kinds has, or a value no record has.
    """
    selection = Selection()
    grouped: dict[str, list[tuple[str, str]]] = {}
    shown: list[str] = []
    for name, value, written in conditions:
        name, value = name.strip().lower(), value.strip()
        if not name or not value:
            raise UsageError(f"--where '{written}': write it as FIELD=VALUE, e.g. --where country=JP")
        grouped.setdefault(name, []).append((value, written))
        shown.append(f"{name}={value}")
    known = sorted({name for fields in kinds.values() for name in fields})
    for name, values in grouped.items():
        having = {kind: fields[name] for kind, fields in kinds.items() if name in fields}
        if not having:
            from .validate import did_you_mean

            guess = did_you_mean(name, known)
            hint = f"did you mean '{guess}'? " if guess else ""
            raise UsageError(f"--where {values[0][1]}: unknown field '{name}' ({hint}fields: {', '.join(known)})")
        choices = {kind: spec.choices(records) for kind, spec in having.items()}  # once per field, not per value
        for value, written in values:
            matched = False
            for kind, spelled in choices.items():
                tag = spelled.get(value.lower())
                if tag is not None:
                    selection.conditions.setdefault(kind, {}).setdefault(name, set()).add(tag)
                    matched = True
            if not matched:
                raise UsageError(_unknown_value(written, name, value, having, choices))
    # A kind that has every field named keeps its conditions (a field none of whose values it knows
    # selects none of its documents); a kind lacking a field is left out, so its matcher says no.
    selection.conditions = {
        kind: {name: selection.conditions.get(kind, {}).get(name, set()) for name in grouped} for kind, fields in kinds.items() if set(grouped) <= set(fields)
    }
    selection.shown = ", ".join(shown)
    return selection


def _unknown_value(written: str, name: str, value: str, having: Mapping[str, Field], choices: Mapping[str, Mapping[str, str]]) -> str:
    from .validate import did_you_mean

    spec = next(iter(having.values()))
    valid = sorted({tag for spelled in choices.values() for tag in spelled.values()})
    guess = did_you_mean(value, valid)
    containing = [v for v in valid if value.lower() in v.lower()][:5]
    noun = spec.noun or name
    if guess:
        hint = f"did you mean '{guess}'?"
    elif containing:
        hint = "did you mean " + " or ".join(f"'{v}'" for v in containing) + "?"
    elif len(valid) <= 30:
        hint = "one of: " + ", ".join(valid) if valid else "the records have none yet"
    else:
        hint = f"{len(valid)} exist, e.g. {', '.join(valid[:5])}"
    prefix = f"--where {written}: " if "=" in written else ""
    return f"{prefix}no {noun} '{value}' in the records ({hint})"


def where_conditions(values: Iterable[str]) -> list[tuple[str, str, str]]:
    """``--where`` options as (field, value, written)."""
    found = []
    for value in values:
        name, sep, wanted = value.partition("=")
        if not sep:
            raise UsageError(f"--where '{value}': write it as FIELD=VALUE, e.g. --where country=JP")
        found.append((name, wanted, value))
    return found


def selection_for(kinds: Iterable[str], records, where: Iterable[str] = (), **named: Iterable[str] | str | None) -> Selection:
    """The Selection of ``--where`` options and of named conditions (ids given as arguments:
    ``id=('hd-2024-001',)``, ``ceremony='ceremony-2026-10'``) for the kinds' documents."""
    from ..documents.document import kind

    conditions = where_conditions(where)
    for name, values in named.items():
        if values is None:
            continue
        for value in [values] if isinstance(values, str) else values:
            conditions.append((name, value, value))
    specs = {name: kind(name).fields for name in kinds}
    return parse(conditions, specs, records)
