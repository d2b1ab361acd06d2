"""Which writing system a name (or each word of it) is written in."""

from __future__ import annotations

from typing import Final

from aigaq.names.normalize import normalize

__all__ = [
    "ARABIC",
    "CYRILLIC",
    "HAN",
    "LATIN",
    "MIXED",
    "OTHER",
    "char_script",
    "detect_script",
    "token_scripts",
]

LATIN: Final = "latin"
CYRILLIC: Final = "cyrillic"
ARABIC: Final = "arabic"
HAN: Final = "han"
MIXED: Final = "mixed"
OTHER: Final = "other"

# (first, last, script), sorted; only letters are ever looked up.
_RANGES: Final[tuple[tuple[int, int, str], ...]] = (
    (0x0041, 0x005A, LATIN),
    (0x0061, 0x007A, LATIN),
    (0x00C0, 0x024F, LATIN),
    (0x0250, 0x02AF, LATIN),  # IPA extensions: ə, ɵ, ŋ
    (0x0400, 0x052F, CYRILLIC),
    (0x0600, 0x06FF, ARABIC),
    (0x0750, 0x077F, ARABIC),
    (0x0870, 0x08FF, ARABIC),
    (0x1C80, 0x1C8F, CYRILLIC),
    (0x1E00, 0x1EFF, LATIN),
    (0x2C60, 0x2C7F, LATIN),
    (0x2DE0, 0x2DFF, CYRILLIC),
    (0x3005, 0x3007, HAN),
    (0x3400, 0x4DBF, HAN),
    (0x4E00, 0x9FFF, HAN),
    (0xA640, 0xA69F, CYRILLIC),
    (0xA720, 0xA7FF, LATIN),
    (0xF900, 0xFAFF, HAN),
    (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
    (0xFF21, 0xFF3A, LATIN),
    (0xFF41, 0xFF5A, LATIN),
    (0x20000, 0x3134F, HAN),
)

_CACHE: dict[str, str] = {}


def char_script(ch: str) -> str:
    """Script of one letter: ``latin``, ``cyrillic``, ``arabic``, ``han`` or ``other``."""
    found = _CACHE.get(ch)
    if found is not None:
        return found
    cp = ord(ch)
    result = OTHER
    for first, last, script in _RANGES:
        if cp < first:
            break
        if cp <= last:
            result = script
            break
    _CACHE[ch] = result
    return result


def _script_of_letters(word: str) -> str:
    seen: set[str] = set()
    for ch in word:
        if ch.isalpha():
            seen.add(char_script(ch))
    if not seen:
        return OTHER
    if len(seen) == 1:
        return next(iter(seen))
    return MIXED


def token_scripts(text: str) -> list[tuple[str, str]]:
    """Split *text* into normalised words and give each its script.

    A word whose letters come from two scripts (a Cyrillic name typed with a
    Latin ``c``) is reported as ``mixed``.

    >>> token_scripts("Гүлнар Serikqyzy 古丽娜尔")
    [('гүлнар', 'cyrillic'), ('serikqyzy', 'latin'), ('古丽娜尔', 'han')]
    """
    return [(word, _script_of_letters(word)) for word in normalize(text).split()]


def detect_script(text: str) -> str:
    """The single script of all letters in *text*, ``mixed`` if several, ``other`` if none.

    One of ``latin``, ``cyrillic``, ``arabic``, ``han``, ``mixed``, ``other``.
    """
    return _script_of_letters(normalize(text))
