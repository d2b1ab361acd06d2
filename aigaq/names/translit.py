"""Rule tables that bring one word of any supported script to plain Latin.

Each ``romanize_*`` function takes one normalised (lower-case) word and returns
a "rough" Latin spelling made of ASCII letters (digraphs such as ``sh``,
``zh``, ``kh``, ``gh``, ``ng`` allowed). :func:`fold` then turns any rough Latin
spelling into the comparison form, where the usual spelling variants coincide.

The tables are written for this project (no third-party converter is used;
see ``docs/decisions/0003-names-matching.md``):

* Cyrillic: Kazakh (ә ғ қ ң ө ұ ү һ і), Russian, Kyrgyz (ө ү ң), Uyghur
  Cyrillic (ә җ ң ө ү һ) and the Palladius spellings of Chinese (цз, чж).
  Kazakh letters follow the passport convention (ә→a, ө→o, ұ/ү→u, і→i).
* Arabic script: Uyghur (UEY) and Kazakh as written in Xinjiang. The Kazakh
  high hamza ``ٴ`` only marks a front-vowel word, so it is dropped: front and
  back vowels are not distinguished in the comparison form anyway. The one
  real conflict is ``ع``: Kazakh writes ғ with it, Uyghur uses it only in
  Arabic loans; it is read as ``gh``.
* Latin: Uyghur Latin (ULY: ë, ö, ü, gh, ng, ch, sh, zh, x = kh, q, w),
  Kazakh Latin 2021 (ä ğ ı ñ ö ş ū ü, j = ж, q = қ), the 2018 acute
  alphabet (á ǵ ń ó ú ý ı) and the 2017 apostrophe alphabet (a' g' n' o' u'
  y' s' c' i'), Turkish/Azerbaijani/Turkmen/Uzbek letters (ç ş ğ ı ə ž ň
  o' g') and any other accented letter by stripping its accent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

__all__ = [
    "fold",
    "romanize_arabic",
    "romanize_cyrillic",
    "romanize_latin",
    "romanize_word",
]

# ---------------------------------------------------------------- Cyrillic

CYRILLIC: Final[dict[str, str]] = {
    "а": "a",
    "ә": "a",  # Kazakh ә (passport: A); Uyghur Cyrillic ә = ە
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "gh",
    "ҕ": "gh",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "җ": "j",  # Uyghur/Tatar җ = dzh
    "з": "z",
    "и": "i",
    "й": "y",
    "і": "i",  # Kazakh і
    "ї": "i",
    "к": "k",
    "қ": "q",
    "ҡ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ng",
    "ҥ": "ng",
    "о": "o",
    "ө": "o",
    "ӧ": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ӱ": "u",
    "ў": "u",
    "ӯ": "u",
    "ф": "f",
    "х": "kh",
    "һ": "h",
    "ҳ": "h",
    "ц": "ts",
    "ч": "ch",
    "ҷ": "j",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ӑ": "a",
    "ӗ": "e",
}

# Palladius (Russian spelling of Chinese): цз = pinyin z/j, чж = zh. Applied
# before the letter table.
_CYRILLIC_DIGRAPHS: Final = re.compile("цз|чж|дж")
_CYRILLIC_DIGRAPH_VALUES: Final[dict[str, str]] = {"цз": "z", "чж": "zh", "дж": "j"}


def romanize_cyrillic(word: str) -> str:
    """Rough Latin spelling of one Cyrillic word (Kazakh, Russian, Kyrgyz, Uyghur).

    >>> romanize_cyrillic("серікқызы")
    'serikqyzy'
    """
    if "ц" in word or "ч" in word or "д" in word:
        word = _CYRILLIC_DIGRAPHS.sub(lambda m: _CYRILLIC_DIGRAPH_VALUES[m.group()], word)
    return "".join(CYRILLIC.get(ch, ch) for ch in word)


# ---------------------------------------------------------------- Arabic script

ARABIC: Final[dict[str, str]] = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ٱ": "a",
    "ە": "e",  # Uyghur e, Kazakh е
    "ه": "e",  # often typed for ە
    "ة": "e",
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ث": "s",
    "ج": "j",
    "چ": "ch",
    "ح": "kh",  # Kazakh х
    "خ": "kh",  # Uyghur x
    "د": "d",
    "ذ": "z",
    "ر": "r",
    "ز": "z",
    "ژ": "zh",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "z",
    "ط": "t",
    "ظ": "z",
    "ع": "gh",  # Kazakh ғ
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ک": "k",
    "گ": "g",
    "ڭ": "ng",
    "ڠ": "ng",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ھ": "h",
    "و": "o",
    "ۇ": "u",
    "ۆ": "o",
    "ۈ": "u",
    "ۉ": "u",
    "ۅ": "o",
    "ۋ": "w",
    "ؤ": "u",
    "ې": "e",
    "ى": "i",
    "ي": "y",
    "ی": "y",
    "ئ": "",  # hamza carrier before a vowel
    "ء": "",
    "ٴ": "",  # Kazakh high hamza: front-vowel word marker
}


def romanize_arabic(word: str) -> str:
    """Rough Latin spelling of one Uyghur or Kazakh Arabic-script word.

    >>> romanize_arabic("گۈلنار")
    'gulnar'
    """
    return "".join(ARABIC.get(ch, "") for ch in word)


# ---------------------------------------------------------------- Latin

LATIN: Final[dict[str, str]] = {
    "ä": "a",  # Kazakh 2021 ә
    "á": "a",  # Kazakh 2018 ә
    "æ": "a",
    "ə": "e",  # Azerbaijani / Uyghur Yengi Yeziq ە
    "ǝ": "e",
    "ë": "e",  # ULY ې
    "é": "e",
    "ç": "ch",
    "č": "ch",
    "ć": "ch",
    "ğ": "gh",
    "ǵ": "gh",  # Kazakh 2018 ғ
    "ǧ": "gh",
    "ı": "i",
    "ñ": "ng",  # Kazakh 2021 ң
    "ń": "ng",  # Kazakh 2018 ң
    "ň": "ng",  # Turkmen ң
    "ŋ": "ng",
    "ö": "o",
    "ó": "o",
    "ø": "o",
    "ɵ": "o",
    "ş": "sh",
    "ș": "sh",
    "š": "sh",
    "ś": "sh",
    "ü": "u",
    "ú": "u",  # Kazakh 2018 ү
    "ū": "u",  # Kazakh 2021 ұ
    "ý": "w",  # Kazakh 2018 у (Turkmen ý = y, also harmless after folding)
    "ž": "zh",
    "ⱬ": "zh",
    "ⱨ": "h",
    "ß": "ss",
    "đ": "d",
    "ł": "l",
}

# Kazakh Latin 2017 and Uzbek: letter + apostrophe.
_APOSTROPHE_DIGRAPHS: Final[dict[str, str]] = {
    "a'": "a",
    "o'": "o",
    "u'": "u",
    "y'": "u",
    "i'": "y",
    "g'": "gh",
    "n'": "ng",
    "s'": "sh",
    "c'": "ch",
}
_APOSTROPHE_PATTERN: Final = re.compile(r"[a-z]'")


def _strip_accent(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in base if c.isascii() and c.isalpha())


_LATIN_CACHE: dict[str, str] = {}


def _latin_char(ch: str) -> str:
    if ch.isascii():
        return ch
    mapped = LATIN.get(ch)
    if mapped is not None:
        return mapped
    cached = _LATIN_CACHE.get(ch)
    if cached is None:
        cached = _strip_accent(ch)
        _LATIN_CACHE[ch] = cached
    return cached


def romanize_latin(word: str) -> str:
    """Rough ASCII spelling of one Latin-script word (any of the Turkic alphabets).

    >>> romanize_latin("serıkqyzy"), romanize_latin("bilas'")
    ('serikqyzy', 'bilash')
    """
    if "'" in word:
        word = _APOSTROPHE_PATTERN.sub(
            lambda m: _APOSTROPHE_DIGRAPHS.get(m.group(), m.group()[0]), word
        )
        word = word.replace("'", "")
    if word.isascii():
        return word
    return "".join(_latin_char(ch) for ch in word)


# Latin letters that look like Cyrillic ones, to repair words typed with a
# mix of keyboards ("Cерік" with a Latin C).
_HOMOGLYPHS_TO_CYRILLIC: Final[dict[str, str]] = {
    "a": "а",
    "b": "в",
    "c": "с",
    "e": "е",
    "h": "н",
    "i": "і",
    "k": "к",
    "m": "м",
    "o": "о",
    "p": "р",
    "t": "т",
    "x": "х",
    "y": "у",
}
_HOMOGLYPHS_TO_LATIN: Final[dict[str, str]] = {
    "а": "a",
    "в": "b",
    "с": "c",
    "е": "e",
    "н": "h",
    "і": "i",
    "к": "k",
    "м": "m",
    "о": "o",
    "р": "p",
    "т": "t",
    "х": "x",
    "у": "y",
}


def repair_mixed(word: str) -> str:
    """Rewrite a Latin/Cyrillic look-alike mix in the word's majority script."""
    cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u052f")
    lat = sum(1 for ch in word if ch.isascii() and ch.isalpha())
    table = _HOMOGLYPHS_TO_CYRILLIC if cyr >= lat else _HOMOGLYPHS_TO_LATIN
    return "".join(table.get(ch, ch) for ch in word)


@lru_cache(maxsize=1 << 18)
def romanize_word(word: str, script: str) -> str:
    """Rough Latin spelling of one non-Han word whose script is known."""
    if script == "latin":
        return romanize_latin(word)
    if script == "cyrillic":
        return romanize_cyrillic(word)
    if script == "arabic":
        return romanize_arabic(word)
    if script == "mixed":
        repaired = repair_mixed(word)
        if any("\u0400" <= ch <= "\u052f" for ch in repaired):
            return romanize_latin(romanize_cyrillic(repaired))
        if any("\u0600" <= ch <= "\u06ff" for ch in repaired):
            return romanize_latin(romanize_arabic(repaired))
        return romanize_latin(repaired)
    return word


# ---------------------------------------------------------------- folding

_FOLD_PATTERN: Final = re.compile(r"shch|dzh|tch|zh|kh|gh|dj|ch|sh|ck|c|q|x|w|y")
_FOLD_VALUES: Final[dict[str, str]] = {
    "shch": "sh",
    "dzh": "j",
    "tch": "ch",
    "zh": "j",
    "kh": "h",
    "gh": "g",
    "dj": "j",
    "ch": "ch",
    "sh": "sh",
    "ck": "k",  # English-style Beck, Nurbeck: never a Turkish c
    "c": "j",  # Turkish-style c (Cengiz); pinyin c folds the same on both sides
    "q": "k",
    "x": "h",  # ULY x = kh; pinyin x folds the same on both sides
    "w": "u",
    "y": "i",
}
_DOUBLES: Final = re.compile(r"([a-z])\1+")


def fold(rough: str, *, collapse: bool = True) -> str:
    """Comparison form of one rough Latin word.

    kh/x→h, q→k, gh/ğ→g, zh/j/dzh→j, y/ı→i, w→u, a leading ``ye``→``e``
    (Yerlan = Erlan), doubled letters single (unless *collapse* is false).
    ``sh``, ``ch``, ``ng`` stay digraphs.

    >>> fold("serikqyzy"), fold("maqsutkhan"), fold("yerzhan")
    ('serikizi', 'maksuthan', 'erjan')
    """
    folded = _FOLD_PATTERN.sub(lambda m: _FOLD_VALUES[m.group()], rough)
    if folded.startswith("ie"):
        folded = folded[1:]
    if collapse:
        folded = _DOUBLES.sub(r"\1", folded)
    return folded
