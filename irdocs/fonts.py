"""Which characters the installed fonts can draw: checked before rendering, so a missing glyph
is an error naming the record and field, never a box on a printed certificate."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from .errors import ConfigError

#: Debian package to suggest for families irdocs' templates use.
PACKAGE_FOR_FAMILY = {"CJK": "fonts-noto-cjk", "Noto": "fonts-noto-core"}


@lru_cache(maxsize=1)
def installed_fonts() -> dict[str, list[tuple[str, int]]]:
    """family name -> font files (path, face index), from fontconfig."""
    try:
        out = subprocess.run(["fc-list", "--format", "%{family}\t%{file}\t%{index}\n"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ConfigError(f"cannot list the installed fonts ({exc}); install fontconfig: apt-get install fontconfig") from None
    families: dict[str, list[tuple[str, int]]] = {}
    for line in out.splitlines():
        try:
            names, path, index = line.split("\t")
        except ValueError:
            continue
        for name in names.split(","):
            families.setdefault(name.strip(), []).append((path, int(index or 0)))
    return families


def package_for(family: str) -> str:
    return PACKAGE_FOR_FAMILY["CJK"] if "CJK" in family else PACKAGE_FOR_FAMILY["Noto"] if family.startswith("Noto") else "a package with the font"


@cache
def family_codepoints(family: str) -> frozenset[int]:
    """Every code point some face of ``family`` maps to a glyph."""
    from fontTools.ttLib import TTFont

    files = installed_fonts().get(family)
    if not files:
        raise ConfigError(f"the font '{family}' is not installed; install it with: apt-get install {package_for(family)} (or run 'make demo')")
    points: set[int] = set()
    for path, index in sorted(set(files)):
        font = TTFont(path, fontNumber=index, lazy=True)
        try:
            points.update(font.getBestCmap() or {})
        finally:
            font.close()
    return frozenset(points)


def coverage(families: Iterable[str]) -> frozenset[int]:
    result: frozenset[int] = frozenset()
    for family in families:
        result |= family_codepoints(family)
    return result


def uncovered(text: str, families: Iterable[str]) -> list[str]:
    """Characters of ``text`` no font of ``families`` can draw (spaces and joiners aside), in order."""
    covered = coverage(tuple(families))
    missing: list[str] = []
    for char in text:
        if char.isspace():
            continue
        if ord(char) not in covered and char not in missing:
            missing.append(char)
    return missing


def describe(char: str) -> str:
    """'U+18A0 MONGOLIAN LETTER ALI GALI A' style name of a character."""
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"
