"""Unicode clean-up of name strings.

``normalize`` is the first step of everything else in :mod:`aigaq.names`. It is
linear in the length of its input and never raises, so it is safe on hostile
or accidental input (a 10,000-character paste, emoji, right-to-left marks).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_NAME_CHARS", "normalize", "truncate"]

#: Longest normalised name (in characters) that comparison forms, keys and
#: similarity look at. Real names are far shorter; longer input is cut at a
#: word boundary so that a pasted paragraph costs no more than a name.
MAX_NAME_CHARS = 200

# Apostrophe look-alikes. Kazakh Latin (2017) and Uzbek use the apostrophe as
# a letter modifier (s' = sh, g' = gh), so it is kept inside Latin words.
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\u02b9\u02bd")
_DROP_LM = frozenset("\u0640")  # Arabic tatweel: a stretching glyph, not a letter


def _category_action(cp: int) -> str:
    """What ``normalize`` does with one code point (after NFKC and case folding).

    Returns the replacement string (the character itself to keep it).
    """
    ch = chr(cp)
    if ch in _APOSTROPHES:
        return "'"
    if ch == "-" or ch == "\u2010" or ch == "\u2011":
        return "-"
    if ch in _DROP_LM:
        return ""
    cat = unicodedata.category(ch)
    first = cat[0]
    if first == "L" or cat == "Mc":
        return ch
    if first == "M":  # combining marks: Arabic harakat, stray accents, VS16
        return ""
    if cat in ("Cf", "Cs", "Co", "Cn"):  # ZWJ, ZWNJ, ZWSP, LRM/RLM, embeddings, BOM
        return ""
    # Everything else (spaces, controls, digits, punctuation, symbols, emoji)
    # separates words.
    return " "


class _CleanTable(dict[int, str]):
    """Translation table for :meth:`str.translate` that fills itself lazily."""

    def __missing__(self, cp: int) -> str:
        value = _category_action(cp)
        self[cp] = value
        return value


_TABLE = _CleanTable()
# Plain ASCII letters are by far the commonest: keep them without a lookup.
for _cp in range(ord("a"), ord("z") + 1):
    _TABLE[_cp] = chr(_cp)

_LETTER_BEFORE_APOSTROPHE = re.compile(r"(?<=[a-z\u00e0-\u024f])'")
_LONE_HYPHEN = re.compile(r"(?<!\w)-|-(?!\w)")


def normalize(text: str) -> str:
    """Return *text* cleaned for name processing.

    Steps: Unicode NFKC (full-width letters, Arabic presentation forms and
    compatibility ideographs become ordinary letters), case folding, removal of
    zero-width characters (ZWJ, ZWNJ, ZWSP), bidirectional marks and
    embeddings (LRM, RLM, LRE...PDI), combining marks (Arabic vowel signs) and
    tatweel; digits, punctuation, symbols and emoji become spaces; whitespace
    is collapsed.

    Two characters survive inside words because they carry spelling: an
    apostrophe right after a Latin letter (normalised to ``'``; Kazakh Latin
    2017 writes ``s'`` for ш) and a hyphen between two letters
    (``Abdu-Rahman``). Name separators such as ``·``, ``•``, ``・`` and ``.``
    become spaces.

    >>> normalize("  Gülnar\\u200d  SERIKQYZY 🌸 ")
    'gülnar serikqyzy'
    """
    if not text:
        return ""
    cleaned = unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)
    if "'" in cleaned:
        cleaned = _LETTER_BEFORE_APOSTROPHE.sub("\x00", cleaned).replace("'", "")
        cleaned = cleaned.replace("\x00", "'")
    if "-" in cleaned:
        cleaned = _LONE_HYPHEN.sub(" ", cleaned)
    return " ".join(cleaned.split())


def truncate(normalized: str, limit: int = MAX_NAME_CHARS) -> str:
    """Cut an already normalised string to at most *limit* characters.

    The cut falls on the last space before the limit when there is one, so no
    name part is chopped in the middle.
    """
    if len(normalized) <= limit:
        return normalized
    head = normalized[:limit]
    space = head.rfind(" ")
    return head[:space] if space > 0 else head
