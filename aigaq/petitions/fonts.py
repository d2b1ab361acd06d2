"""Which characters the petitions' fonts can draw, so no document is ever made with boxes.

The printed stylesheet (forms/style.css) names these font families; fontconfig finds their
files (Debian: fonts-noto-core, fonts-noto-cjk) and fontTools reads each one's character map
once per process. A text with a character none of them has is refused with a sentence.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache

from fontTools.ttLib import TTFont

#: The families of forms/style.css, in its order (tests/petitions hold the two together).
FAMILIES = ("Noto Sans", "Noto Naskh Arabic", "Noto Sans CJK SC")


def _files(family: str) -> list[tuple[str, int]]:
    if not shutil.which("fc-list"):
        return []
    out = subprocess.run(
        ["fc-list", "-f", "%{file}|%{index}\n", f":family={family}:style=Regular"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    ).stdout
    files = []
    for line in out.splitlines():
        path, _sep, index = line.partition("|")
        if path:
            files.append((path, int(index or 0)))
    return files


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """The code points the petitions' fonts draw (read once per process)."""
    points: set[int] = set()
    for family in FAMILIES:
        for path, index in _files(family)[:1]:
            font = TTFont(path, fontNumber=index, lazy=True)
            try:
                points.update(font.getBestCmap() or {})
            finally:
                font.close()
    return frozenset(points)


def missing_characters(text: str) -> list[str]:
    """The characters of `text` that no petition font draws (spaces, marks of direction and
    other invisible format characters need no glyph)."""
    have = covered()
    missing: list[str] = []
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc"):
            continue
        if ord(ch) not in have and ch not in missing:
            missing.append(ch)
    return missing


def describe(chars: list[str]) -> str:
    """'U+0F40 TIBETAN LETTER KA, …' for a message."""
    shown = [f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in chars[:3]]
    if len(chars) > 3:
        shown.append("…")
    return ", ".join(shown)
