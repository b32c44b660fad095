"""Column headers as people write them: 'Family name', 'Awarded on', 'Овог', 'Улс' are the record fields.

A header is matched without regard to capitals, spaces, '_', '-' and a trailing ':' or '*'; then
looked up in the aliases below (listed in docs/records.md, 'Column names').
"""

from __future__ import annotations

import re
import unicodedata

#: kind -> field -> other headers accepted for it (English and Mongolian, as the office's sheets have them)
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "honoree": {
        "id": ("ID", "Дугаар", "Код"),
        "title": ("Title", "Title kind", "Honorary title", "Цол", "Цолны төрөл"),
        "family_name": ("Family name", "Surname", "Last name", "Овог"),
        "given_name": ("Given name", "First name", "Name", "Нэр"),
        "name_order": ("Name order", "Нэрийн дараалал"),
        "native_name": ("Native name", "Name in native script", "Эх хэл дээрх нэр", "Төрөлх нэр"),
        "name_mn": ("Name (Mongolian)", "Mongolian name", "Монгол нэр", "Нэр (монголоор)"),
        "name_mong": ("Name (Mongol script)", "Mongol script name", "Монгол бичгээр", "Нэр (монгол бичгээр)"),
        "country": ("Country", "Улс"),
        "affiliation": ("Affiliation", "Organization", "Organisation", "Institution", "Байгууллага", "Ажлын газар"),
        "partner": ("Partner", "Partner id", "Түнш", "Түнш байгууллага"),
        "awarded_on": ("Awarded on", "Award date", "Date", "Date awarded", "Огноо", "Олгосон огноо"),
        "ceremony": ("Ceremony", "Ёслол", "Ёслолын ажиллагаа"),
        "citation": ("Citation", "Citation (English)", "Citation en", "Үндэслэл (англиар)"),
        "citation_mn": ("Citation (Mongolian)", "Үндэслэл", "Үндэслэл (монголоор)"),
    },
    "partner": {
        "id": ("ID", "Дугаар", "Код"),
        "name": ("Name", "Name (English)", "Нэр", "Нэр (англиар)"),
        "native_name": ("Native name", "Эх хэл дээрх нэр"),
        "name_mn": ("Name (Mongolian)", "Mongolian name", "Монгол нэр", "Нэр (монголоор)"),
        "kind": ("Kind", "Type", "Төрөл"),
        "country": ("Country", "Улс"),
        "city": ("City", "Хот"),
        "address": ("Address", "Хаяг"),
        "website": ("Website", "Web", "Вэб", "Вэб хуудас"),
        "former_names": ("Former names", "Former name", "Хуучин нэр"),
        "representative_name": ("Representative", "Representative name", "Төлөөлөгч"),
        "representative_title": ("Representative title", "Төлөөлөгчийн албан тушаал"),
    },
    "agreement": {
        "id": ("ID", "Дугаар", "Код"),
        "kind": ("Kind", "Type", "Төрөл"),
        "title": ("Title", "Гарчиг"),
        "title_mn": ("Title (Mongolian)", "Гарчиг (монголоор)"),
        "partners": ("Partners", "Partner", "Түнш", "Түншүүд"),
        "status": ("Status", "Төлөв"),
        "signed_on": ("Signed on", "Date signed", "Date", "Огноо", "Гарын үсэг зурсан огноо"),
        "valid_until": ("Valid until", "Expires", "Дуусах огноо"),
        "duration_years": ("Duration", "Duration (years)", "Years", "Хугацаа", "Хугацаа (жил)"),
        "areas": ("Areas", "Чиглэл"),
        "highlight": ("Highlight",),
        "highlight_mn": ("Highlight (Mongolian)",),
        "renews": ("Renews",),
    },
}


def header_key(text: str) -> str:
    """A header reduced to what matters: 'Family Name:' and 'family_name' are 'family name'."""
    text = unicodedata.normalize("NFKC", text).casefold().strip().rstrip(":*").strip()
    return re.sub(r"[\s_\-]+", " ", text)


def _table(kind: str) -> dict[str, str]:
    from .model import MODELS

    table: dict[str, str] = {header_key(field): field for field in MODELS[kind].model_fields} if kind in MODELS else {}
    for field, names in ALIASES.get(kind, {}).items():
        for name in names:
            table.setdefault(header_key(name), field)
    for field in ALIASES.get(kind, {}):
        table[header_key(field)] = field  # the field's own name wins over another field's alias
    return table


_TABLES: dict[str, dict[str, str]] = {}


def field_of(kind: str, header: str) -> str:
    """The record field a header names, or the header as written when it names none."""
    if kind not in _TABLES:
        _TABLES[kind] = _table(kind)
    return _TABLES[kind].get(header_key(header), header.strip())
