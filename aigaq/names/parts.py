"""From a whole name in any script to folded name parts, stems and phonetic codes."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from aigaq.names.equivalents import COMPOUND_TAILS, EQUIVALENT_NAMES, abd_form
from aigaq.names.han import han_parts
from aigaq.names.normalize import normalize, truncate
from aigaq.names.palladius import palladius_pinyin
from aigaq.names.pinyin import turkic_readings
from aigaq.names.scripts import CYRILLIC, HAN, MIXED, OTHER, char_script, token_scripts
from aigaq.names.translit import fold, romanize_word

__all__ = [
    "FEMALE",
    "MALE",
    "MAX_PARTS",
    "Part",
    "name_parts",
    "parse",
    "phonetic",
    "skeleton",
    "stem",
    "to_comparison",
    "turkic_variant",
]

MALE: Final = "m"
FEMALE: Final = "f"

#: Name parts beyond this many are ignored by keys and similarity.
MAX_PARTS: Final = 8

# Patronymic and surname suffixes in folded spelling, longest first:
# -ұлы/-uly/-ulı/-uli (Kazakh), -уулу (Kyrgyz), -oghli/-o'g'li (Uyghur, Uzbek),
# -қызы/-kyzy/-qyzy/-qizi (Kazakh, Kyrgyz, Uyghur), Russian -ovich/-evich,
# -ovna/-evna, -ov/-ev, -ova/-eva.
_SUFFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("ovich", MALE),
    ("evich", MALE),
    ("ovna", FEMALE),
    ("evna", FEMALE),
    ("uulu", MALE),
    ("ogli", MALE),
    ("oglu", MALE),
    ("ugli", MALE),
    ("kizi", FEMALE),
    ("uli", MALE),
    ("ova", FEMALE),
    ("eva", FEMALE),
    ("ov", MALE),
    ("ev", MALE),
)
_MIN_STEM: Final = 3
_CACHE_RAW_UP_TO: Final = 256
# A patronymic word written apart ("Asan uly", "Asanbek uulu") joins the part before it.
_DETACHED: Final = frozenset({"uli", "ulu", "uulu", "ogli", "oglu", "ugli", "kizi"})
_DOUBLES: Final = re.compile(r"([a-z])\1+")
_GLIDE_END: Final = re.compile(r"(?<=[aeou])i$")
# Russian feminine -a on a name ending in a consonant (Gulnara = Gulnar).
_FEMININE_A: Final = re.compile(r"(?<=[^aeiou])a$")


def _collapse(text: str) -> str:
    return _DOUBLES.sub(r"\1", text)


def _split_suffix(folded: str) -> tuple[str, str, str | None]:
    """(stem, suffix, gender) of an uncollapsed folded part."""
    for suffix, gender in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= _MIN_STEM:
            return folded[: -len(suffix)], suffix, gender
    return folded, "", None


# Phonetic code: sh→x, ch→c, ng→n, ts→s, vowels in three classes (a/e, i, o/u),
# d→t, g→k, v→u, n before m dropped (Chinese 罕默 = mm). h is dropped except at
# the start (Mehmet = Memet, but Hasan is not Asan); the "hard" variant reads it
# as k instead (Bakhyt = Bakyt). The "loose" variant also reads l as r, because
# Chinese has no syllable-final r and writes ri with 力 or 丽.
_PHONETIC_DIGRAPHS: Final = re.compile(r"sh|ch|ng|ts|nm|(?<!^)h")
_SOFT_VALUES: Final[dict[str, str]] = {
    "sh": "x",
    "ch": "c",
    "ng": "n",
    "ts": "s",
    "nm": "m",
    "h": "",
}
_HARD_VALUES: Final[dict[str, str]] = {**_SOFT_VALUES, "h": "k"}
_PHONETIC_LETTERS: Final = str.maketrans({"e": "a", "o": "u", "d": "t", "g": "k", "v": "u"})
# Loose: l as r (Chinese), and the voiced/voiceless and f/p pairs that romanisations and the
# Chinese renderings swap (Abliz/Ablis, Ghalib/Ghalip, Yusuf/Yusup, Safar/Sapar).
_LOOSE_LETTERS: Final = str.maketrans({"l": "r", "z": "s", "b": "p", "f": "p"})
_GLIDE_BETWEEN_VOWELS: Final = re.compile(r"(?<=[au])i(?=[aui])")
_VOWEL_CLASSES: Final = frozenset("aiu")


def phonetic(folded: str, *, hard: bool = False, loose: bool = False) -> str:
    """Coarse sound code of one folded part (used for ``p:`` keys and similarity).

    >>> phonetic("muhammed"), phonetic("memet"), phonetic("bahit", hard=True)
    ('muamat', 'mamat', 'bakit')
    """
    values = _HARD_VALUES if hard else _SOFT_VALUES
    code = _PHONETIC_DIGRAPHS.sub(lambda m: values[m.group()], folded)
    code = code.translate(_PHONETIC_LETTERS)
    if loose:
        code = code.translate(_LOOSE_LETTERS)
    code = _GLIDE_BETWEEN_VOWELS.sub("", code)
    return _collapse(code)


def skeleton(code: str) -> str:
    """Consonant skeleton of a phonetic code; a leading vowel is kept as ``a``.

    >>> skeleton("sarik"), skeleton("arran")
    ('srk', 'arn')
    """
    if not code:
        return ""
    head = "a" if code[0] in _VOWEL_CLASSES else ""
    return head + _collapse("".join(ch for ch in code if ch not in _VOWEL_CLASSES))


@dataclass(frozen=True, slots=True)
class Part:
    """One name part in all the forms matching needs."""

    folded: str  #: comparison form (what :func:`name_parts` returns)
    stem: str  #: folded, without patronymic suffix
    gender: str | None  #: "m"/"f" when a patronymic or surname suffix says so
    codes: tuple[str, ...]  #: phonetic codes of the stem, best reading first
    loose: tuple[str, ...]  #: the same with l read as r, for comparing with Chinese
    han: bool  #: read from Chinese characters
    #: loose code of the first reading with h read as k (Ibrahim as Ibragim), "" without h
    hard: str = ""
    syllables: int = 0  #: pinyin syllables the spelling splits into (0: not pinyin)
    #: rough readings as pinyin of a Turkic name (maimaiti: memet...); see :func:`turkic_variant`
    turkic: tuple[str, ...] = ()


_RUSSIAN_E_SUFFIXES: Final = frozenset({"ev", "eva", "evich", "evna"})


def _stem_forms(raw: str) -> tuple[str, str, str | None, str]:
    """(folded part, folded stem, gender, text to code) of one uncollapsed folded reading."""
    stem_raw, suffix, gender = _split_suffix(raw)
    stem_folded = _collapse(stem_raw)
    folded = stem_folded + _collapse(suffix) if suffix else stem_folded
    # Russian writes -бай + -ев as -баев and Тоқа + -ев as Тоқаев (Tokayev):
    # the glide before -ev is not part of the stem, and -bay loses it too.
    if suffix in _RUSSIAN_E_SUFFIXES or stem_folded.endswith("bai"):
        stem_folded = _GLIDE_END.sub("", stem_folded)
    to_code = stem_folded
    if len(to_code) >= 6 and _FEMININE_A.search(to_code):
        to_code = to_code[:-1]
    return folded, stem_folded, gender, to_code


@lru_cache(maxsize=1 << 18)
def _make_part(rough_readings: tuple[str, ...], han: bool = False, word: bool = False) -> Part:
    """One name part from its rough readings (cached: the same parts recur across a database,
    and Part is immutable).

    *word*: the readings are of one word as written, which may be pinyin (see
    :attr:`Part.turkic`); parts joined for a key or a comparison are not read so.
    """
    return _build_part(rough_readings, han, word)


def _build_part(rough_readings: tuple[str, ...], han: bool, word: bool = False) -> Part:
    folded, stem_folded, gender, to_code = _stem_forms(fold(rough_readings[0], collapse=False))
    to_codes = [to_code]
    # Abdulmalik = Abdumalik = Abdimalik: the article's form read one way, first.
    if (abd := abd_form(to_code)) != to_code:
        to_codes.insert(0, abd)
    for other in rough_readings[1:]:
        other_code = _stem_forms(fold(other, collapse=False))[3]
        if other_code not in to_codes:
            to_codes.append(other_code)
    codes: list[str] = []
    loose: list[str] = []
    hard_code = ""  # the first reading's loose code with h read as k
    for text in to_codes:
        for hard in (False, True) if "h" in text[1:] else (False,):
            code = phonetic(text, hard=hard)
            if code not in codes:
                codes.append(code)
            code = phonetic(text, hard=hard, loose=True)
            if code not in loose:
                loose.append(code)
            if hard and text is to_code and code != loose[0]:  # not when h was in sh, ch
                hard_code = code
    # Оспан = Osman, Ибрагим = Ibrahim: a name of a class of equivalents is filed (first loose
    # code: whole-name keys, the loose comparison) under its class.
    for code in loose:
        canonical = _equivalent_of(code)
        if canonical is not None:
            loose = [canonical, *(c for c in loose if c != canonical)]
            break
    # Only the readings are kept: the Part they make is built (and cached by _make_part) when
    # a whole name turns out to be pinyin, which is rare; Asan or Aidana alone are not.
    syllables, turkic = turkic_readings(rough_readings[0]) if word and not han else (0, ())
    return Part(
        folded, stem_folded, gender, tuple(codes), tuple(loose), han, hard_code, syllables, turkic
    )


_MIN_COMPOUND_HEAD: Final = 4


def _equivalent_of(code: str) -> str | None:
    """The class code of a loose code in a class of equivalent names, also as the first part
    of a compound (uspankan, Оспанхан -> usmankan), else None."""
    equivalents = _equivalent_codes()
    canonical = equivalents.get(code)
    if canonical is not None:
        return canonical
    for tail in _compound_tail_codes():
        if not code.endswith(tail):
            continue
        head = code[: -len(tail)]
        # Жүсіп + бек is jusipak: the two p's were collapsed into one
        for candidate in (head, head + tail[0]):
            if len(candidate) >= _MIN_COMPOUND_HEAD and candidate in equivalents:
                return _collapse(equivalents[candidate] + tail)
    return None


@lru_cache(maxsize=1)
def _compound_tail_codes() -> tuple[str, ...]:
    """Loose codes of :data:`aigaq.names.equivalents.COMPOUND_TAILS` as they come out inside a
    word, after n or r (khan: an, or kan with h read as k; ғали after n: ari), longest first."""
    codes = {
        phonetic(before + fold(tail), hard=hard, loose=True)[1:]
        for tail in COMPOUND_TAILS
        for before in "nr"
        for hard in (False, True)
    }
    return tuple(sorted((c for c in codes if len(c) >= 2), key=lambda c: (-len(c), c)))


@lru_cache(maxsize=1)
def _equivalent_codes() -> dict[str, str]:
    """Loose code of each spelling in :data:`aigaq.names.equivalents.EQUIVALENT_NAMES` (also
    with h read as k) -> the loose code of its class's first spelling."""
    out: dict[str, str] = {}
    for names in EQUIVALENT_NAMES:
        canonical = ""
        for name in names:
            text = _stem_forms(fold(name, collapse=False))[3]
            for hard in (False, True):
                code = phonetic(text, hard=hard, loose=True)
                canonical = canonical or code
                if out.setdefault(code, canonical) != canonical:
                    raise ValueError(f"{name!r} is in two classes of equivalent names")
    return out


def turkic_variant(parts: tuple[Part, ...]) -> tuple[Part, ...] | None:
    """The name read as pinyin of a Turkic name (each part that reads differently so replaced),
    or None.

    Only a name written wholly in pinyin is so read: a Chinese passport spells every part in
    pinyin (Maimaiti Tuerxun), while a Turkic spelling that happens to be pinyin sits next to
    parts that are not (Kamile Tursun, Aisha Serikqyzy: no second reading). And a name with a
    one-syllable part (Ma Xiaoli, Li Na, Hai Xiulan, Aisha Su) is a Chinese name with its
    surname, as :mod:`aigaq.names.han` decides for characters: its pinyin is just pinyin.
    Turkic names are written in Chinese with at least two characters a part.
    """
    for part in parts:  # a plain loop: this runs for every pair similarity scores
        if part.syllables < 2:
            return None
    out = []
    found = False
    for part in parts:
        turkic = _make_part(part.turkic, True)
        if set(turkic.loose) <= set(part.loose):  # Asan, Erlan, Yeerlan read alike
            out.append(part)
        else:
            out.append(turkic)
            found = True
    return tuple(out) if found else None


_PALLADIUS_WORDS: Final = range(2, 4)  # surname + given name, the given name maybe split


def _palladius_parts(words: list[tuple[str, str]]) -> list[tuple[tuple[str, ...], bool]] | None:
    """A Chinese name in Russian (Palladius) spelling read as pinyin, the letter-by-letter
    reading kept second; None when the name is not one.

    Only a name of two or three Cyrillic words, every one of which splits into Palladius
    syllables and one of which is a single syllable (the surname: Ма, Хэ, Цзинь), is so
    read: Хэ Синьминь is He Xinmin, Ма Гоцян is Ma Guoqiang. Russian spellings of Turkic
    names (Асан Серикович, Айша Нурланова) do not pass.
    """
    if len(words) not in _PALLADIUS_WORDS or any(script != CYRILLIC for _w, script in words):
        return None
    syllables = [palladius_pinyin(word.replace("-", "")) for word, _script in words]
    if not all(syllables) or all(len(s) > 1 for s in syllables):
        return None
    return [
        (
            (
                "".join(s.replace("v", "u") for s in syls),
                romanize_word(word.replace("-", ""), script),
            ),
            False,
        )
        for syls, (word, script) in zip(syllables, words, strict=True)
    ]


def _rough_parts(normalized: str) -> list[tuple[tuple[str, ...], bool]]:
    """Rough Latin readings of each name part in order, and whether it was Chinese."""
    words = token_scripts(normalized)
    chinese = _palladius_parts(words)
    if chinese is not None:
        return chinese
    out: list[tuple[tuple[str, ...], bool]] = []
    # Chinese names are written without separator; words in characters written apart
    # (赛力克·苏力坦) are the parts of a transcribed name.
    transcribed = sum(script == HAN for _word, script in words) > 1
    for word, script in words:
        if script == HAN:
            out.extend((readings, True) for _best, readings in han_parts(word, transcribed))
            continue
        if script == MIXED and any(char_script(ch) == HAN for ch in word if ch.isalpha()):
            # Han glued to another script: split at the boundaries (as char_script draws
            # them, so that each piece is all Han or has none, the supplementary planes'
            # characters included: a piece that were still mixed would recurse forever).
            for _han, chars in itertools.groupby(word, key=lambda ch: char_script(ch) == HAN):
                out.extend(_rough_parts("".join(chars)))
            continue
        if script == OTHER and not any(ch.isalpha() for ch in word):
            continue
        # Hyphenated words are one part: Abdu-Rahman = Abdurahman.
        rough = romanize_word(word.replace("-", ""), script)
        if rough:
            out.append(((rough,), False))
    return out


# Sized for a million persons: ~110k distinct full names, each parsed again whenever a search
# re-ranks a candidate's stored forms (a miss costs ~0.2 ms).
@lru_cache(maxsize=1 << 18)
def _parse_normalized(normalized: str) -> tuple[Part, ...]:
    parts: list[Part] = []
    for readings, han in _rough_parts(normalized):
        part = _make_part(readings, han, True)
        if not part.folded:
            continue
        if part.folded in _DETACHED and parts:
            previous = parts.pop()
            # Rebuild from the joined spelling so that the suffix is recognised (уулу folds
            # to ulu, which attached is no suffix: Aisulu, Aksulu are women's names).
            suffix = "uulu" if part.folded == "ulu" else part.folded
            part = _make_part((previous.folded + suffix,))
        parts.append(part)
        if len(parts) >= MAX_PARTS:
            break
    return tuple(parts)


@lru_cache(maxsize=1 << 18)
def _parse_short(text: str) -> tuple[Part, ...]:
    return _parse_normalized(truncate(normalize(text)))


def parse(text: str) -> tuple[Part, ...]:
    """All parts of a name, in writing order (cached; input cut to ``MAX_NAME_CHARS``)."""
    if len(text) <= _CACHE_RAW_UP_TO:
        return _parse_short(text)
    return _parse_normalized(truncate(normalize(text)))


def to_comparison(text: str) -> str:
    """Whole name to its folded ASCII comparison form, parts in original order.

    >>> to_comparison("Гүлнар Серікқызы"), to_comparison("古丽娜尔·赛力克")
    ('gulnar serikkizi', 'gulnar selik')
    """
    return " ".join(part.folded for part in parse(text))


def name_parts(text: str) -> list[str]:
    """Folded parts of a name in writing order (the words of :func:`to_comparison`)."""
    return [part.folded for part in parse(text)]


def stem(part: str) -> str:
    """One name part without its patronymic or surname suffix, folded.

    Accepts the part in any script. -uly/-ұлы/-ulı, -qyzy/-қызы/-kyzy/-qizi,
    -uulu, -oghli, -ov/-ova/-ev/-eva and -ovich/-ovna/-evich/-evna are
    removed, as is a final glide (Sauytbay = Sauytbayev's stem ``sauitba``).

    >>> stem("Maksutkhanuly"), stem("Серікқызы"), stem("Serikova")
    ('maksuthan', 'serik', 'serik')
    """
    parts = parse(part)
    return " ".join(p.stem for p in parts)
