"""Which characters the installed fonts can draw: checked before rendering, so a missing glyph
is an error naming the record and field, never a box on a printed certificate."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from ..errors import ConfigError

#: Debian package to suggest for families irdocs' templates use.
PACKAGE_FOR_FAMILY = {"CJK": "fonts-noto-cjk", "Noto": "fonts-noto-core"}


@lru_cache(maxsize=2)
def _fc_list(fields: str) -> dict[str, list[tuple[str, ...]]]:
    """family name -> one tuple of ``fields`` (fontconfig format names) per installed face."""
    fmt = "%{family}\t" + "\t".join(f"%{{{name}}}" for name in fields.split(",")) + "\n"
    try:
        out = subprocess.run(["fc-list", "--format", fmt], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ConfigError(f"cannot list the installed fonts ({exc}); install fontconfig: apt-get install fontconfig") from None
    faces: dict[str, list[tuple[str, ...]]] = {}
    for line in out.splitlines():
        names, *values = line.split("\t")
        if len(values) != fields.count(",") + 1:
            continue
        for name in names.split(","):
            faces.setdefault(name.strip(), []).append(tuple(values))
    return faces


def installed_fonts() -> dict[str, list[tuple[str, int]]]:
    """family name -> font files (path, face index), from fontconfig (cheap: no character sets)."""
    return {family: [(path, int(index or 0)) for path, index in faces] for family, faces in _fc_list("file,index").items()}


def package_for(family: str) -> str:
    return PACKAGE_FOR_FAMILY["CJK"] if "CJK" in family else PACKAGE_FOR_FAMILY["Noto"] if family.startswith("Noto") else "a package with the font"


class CharSet:
    """Code points as sorted, merged ranges: a CJK font's 65,000 characters in a few hundred pairs.

    (A set of ints per CJK family cost about 70 MB of memory in every worker process.)
    """

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()):
        merged: list[list[int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [r[0] for r in merged]
        self._ends = [r[1] for r in merged]

    @classmethod
    def parse(cls, charsets: Iterable[str]) -> CharSet:
        """From fontconfig's notation: '20-7e a0-17f 391'."""
        ranges = []
        for charset in charsets:
            for item in charset.split():
                first, _, last = item.partition("-")
                ranges.append((int(first, 16), int(last or first, 16)))
        return cls(ranges)

    def __contains__(self, point: int) -> bool:
        from bisect import bisect_right

        i = bisect_right(self._starts, point) - 1
        return i >= 0 and point <= self._ends[i]

    def __or__(self, other: CharSet) -> CharSet:
        return CharSet([*zip(self._starts, self._ends, strict=True), *zip(other._starts, other._ends, strict=True)])


@cache
def family_codepoints(family: str) -> CharSet:
    """Every code point some face of ``family`` can draw."""
    charsets = [charset for (charset,) in _fc_list("charset").get(family, [])]
    if not charsets:
        raise ConfigError(f"the font '{family}' is not installed; install it with: apt-get install {package_for(family)} (or run 'make demo')")
    return CharSet.parse(charsets)


def coverage(families: Iterable[str]) -> CharSet:
    result = CharSet()
    for family in families:
        result |= family_codepoints(family)
    return result


def uncovered(text: str, families: Iterable[str]) -> list[str]:
    """Characters of ``text`` no font of ``families`` can draw (spaces aside), in order.

    Families are read lazily, in order: a text in Latin and Cyrillic never loads the large CJK
    fonts' character maps.
    """
    families = tuple(families)
    missing: list[str] = []
    for char in text:
        if char.isspace() or char in missing:
            continue
        point = ord(char)
        if not any(point in family_codepoints(family) for family in families):
            missing.append(char)
    return missing


def describe(char: str) -> str:
    """'U+18A0 MONGOLIAN LETTER ALI GALI A' style name of a character."""
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"


def families_covering(char: str) -> list[str]:
    """Installed font families that have a glyph for ``char`` (asks fontconfig)."""
    try:
        out = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})


def package_for_char(char: str) -> str:
    """The Debian font package most likely to have ``char``."""
    name = unicodedata.name(char, "")
    if name.startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA", "BOPOMOFO", "IDEOGRAPHIC")):
        return PACKAGE_FOR_FAMILY["CJK"]
    return PACKAGE_FOR_FAMILY["Noto"]


@lru_cache(maxsize=16)
def face_file(family: str, style: str = "Regular") -> tuple[str, int]:
    """The file (and face index) fontconfig uses for ``family`` in ``style``."""
    try:
        out = subprocess.run(
            ["fc-match", "--format", "%{family}\t%{file}\t%{index}", f"{family}:style={style}"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ConfigError(f"cannot find the font '{family}' ({exc}); install fontconfig: apt-get install fontconfig") from None
    found, path, index = [*out.split("\t"), "", "", "0"][:3]
    if family not in found.split(","):
        raise ConfigError(f"the font '{family}' is not installed; install it with: apt-get install {package_for(family)} (or run 'make demo')")
    return path, int(index or 0)


@lru_cache(maxsize=16)
def _advances(family: str, style: str) -> tuple[dict[int, float], float]:
    """code point -> advance width in em, and the width of a space, for one face."""
    from fontTools.ttLib import TTFont

    path, index = face_file(family, style)
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        widths = {point: metrics[glyph][0] / units for point, glyph in (font.getBestCmap() or {}).items() if glyph in metrics}
    finally:
        font.close()
    return widths, widths.get(0x20, 0.25)


def text_width_em(text: str, family: str, style: str = "Regular") -> float:
    """The width of ``text`` set in ``family``, in em (kerning aside); wide East Asian characters count 1 em."""
    widths, _ = _advances(family, style)
    total = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1.0
        else:
            total += widths.get(ord(char), 0.6)
    return total
