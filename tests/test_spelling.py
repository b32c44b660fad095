"""Every Mongolian and English text irdocs prints passes hunspell (issue 15).

The texts: the certificates' wording, the fact sheets' texts and counted nouns, the clause library
of the drafts, the names of kinds, statuses and areas the documents print, and the sample
institution's Mongolian texts. Template fields ({{ ... }}, {% ... %}, {name}) are left out, and a
case ending written after a field (``{{ us.short }}-д``) with them. Words hunspell does not know but
the texts rightly use are in ``templates/spelling/<dictionary>.txt``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SAMPLE

DICTIONARIES = {"mn": "mn_MN", "en": "en_US"}
TEXT_FILES = ("templates/certificates/wording.yaml", "templates/factsheets/texts.yaml", "templates/agreements/clauses.yaml")
FIELD = re.compile(r"\{\{.*?\}\}(-?[^\W\d_]+)?|\{%.*?%\}|\{[a-z_]+\}(-?[^\W\d_]+)?", re.S)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def words_of(text: str) -> set[str]:
    """The words of a text; an abbreviation with a case ending (АШУҮИС-д, ЗХУ-аас) counts as the abbreviation."""
    found = set()
    for token in WORD.findall(FIELD.sub(" ", text)):
        first, *rest = token.split("-")
        found.update([first] if rest and first.isupper() and len(first) > 1 else [first, *rest])
    return found


pytestmark = pytest.mark.skipif(shutil.which("hunspell") is None, reason="hunspell is not installed (make setup installs it)")


def _walk(value, language, out: dict[str, list[str]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(item, key if key in DICTIONARIES else language, out)
    elif isinstance(value, list):
        for item in value:
            _walk(item, language, out)
    elif isinstance(value, str) and language:
        out.setdefault(language, []).append(value)


def printed_texts() -> dict[str, list[str]]:
    from irdocs.records import model

    texts: dict[str, list[str]] = {}
    for name in TEXT_FILES:
        _walk(yaml.safe_load((REPO / name).read_text(encoding="utf-8")), None, texts)
    for table in (model.TITLE_KINDS, model.AGREEMENT_KINDS, model.PARTNER_KINDS, model.STATUSES, model.AREAS):
        for value in table.values():
            texts["en"].append(value[0])
            texts["mn"].append(value[1])
    institution = yaml.safe_load((SAMPLE / "institution.yaml").read_text(encoding="utf-8"))

    def mongolian_fields(value, key=""):
        if isinstance(value, dict):
            for k, item in value.items():
                mongolian_fields(item, k)
        elif isinstance(value, list):
            for item in value:
                mongolian_fields(item, key)
        elif isinstance(value, str) and key.endswith("_mn"):
            texts["mn"].append(value)

    mongolian_fields(institution)
    return texts


def unknown_words(language: str, texts: list[str]) -> list[str]:
    words = sorted({word for text in texts for word in words_of(text)})
    dictionary = DICTIONARIES[language]
    if not (Path("/usr/share/hunspell") / f"{dictionary}.dic").exists():
        pytest.skip(f"the hunspell dictionary {dictionary} is not installed (apt-get install hunspell-{language if language == 'mn' else 'en-us'})")
    personal = REPO / "templates" / "spelling" / f"{dictionary}.txt"
    listed = {line.strip() for line in personal.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}
    done = subprocess.run(["hunspell", "-d", dictionary, "-l"], input="\n".join(words), capture_output=True, text=True, check=True)
    return sorted(set(done.stdout.split()) - listed)


@pytest.mark.parametrize("language", list(DICTIONARIES))
def test_every_printed_text_passes_the_spell_check(language):
    texts = printed_texts()[language]
    assert len(texts) > 100
    assert unknown_words(language, texts) == []


def test_the_spell_check_catches_the_words_the_issue_quotes():
    """Misspellings once in the texts: 'нөхцлийн', 'нөхцлийг' (нөхцөлийн, нөхцөлийг), 'Цолны' (цолын)."""
    assert unknown_words("mn", ["нөхцлийн нөхцлийг Цолны тоо"]) == ["Цолны", "нөхцлийг", "нөхцлийн"]
    for text in printed_texts()["mn"]:
        assert not re.search(r"нөхцлий|Цолны", text), text
