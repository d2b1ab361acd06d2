"""Chinese names in the Russian (Palladius) spelling, read back as pinyin.

Russian documents write a Chinese (Hui, Dungan) name in the Palladius system: 何新民 He Xinmin
is Хэ Синьминь, 马国强 Ma Guoqiang is Ма Гоцян. Read letter by letter (he sinmin, ma gotsian)
such a spelling misses the pinyin on the same person's Latin or Chinese papers, because
Palladius writes pinyin x as с, j and z as цз, q and c as ц, r as ж, and -n as -нь.

:func:`palladius_pinyin` splits a Cyrillic word into Palladius syllables (the spelling of
every syllable of :data:`aigaq.names.pinyin.SYLLABLES`, built here from the rules of the
system) and returns its pinyin. Whether a name is so read is decided for the whole name in
:mod:`aigaq.names.parts` (only a name every word of which is Palladius, with a one-syllable
word for the surname: Ма Мин, Хэ Синьминь, never Асан Серикович).
"""

from __future__ import annotations

import re
from typing import Final

from aigaq.names.pinyin import SYLLABLES

__all__ = ["PALLADIUS", "palladius_pinyin"]

_INITIALS: Final[dict[str, str]] = {
    "b": "б",
    "p": "п",
    "m": "м",
    "f": "ф",
    "d": "д",
    "t": "т",
    "n": "н",
    "l": "л",
    "g": "г",
    "k": "к",
    "h": "х",
    "j": "цз",
    "q": "ц",
    "x": "с",
    "zh": "чж",
    "ch": "ч",
    "sh": "ш",
    "r": "ж",
    "z": "цз",
    "c": "ц",
    "s": "с",
}
# Finals after an initial. The i- and ü-finals soften the consonant (бяо, лю, сюй).
_FINALS: Final[dict[str, str]] = {
    "a": "а",
    "o": "о",
    "e": "э",
    "ai": "ай",
    "ei": "эй",
    "ao": "ао",
    "ou": "оу",
    "an": "ань",
    "en": "энь",
    "ang": "ан",
    "eng": "эн",
    "ong": "ун",
    "er": "эр",
    "i": "и",
    "ia": "я",
    "ie": "е",
    "iao": "яо",
    "iu": "ю",
    "ian": "янь",
    "in": "инь",
    "iang": "ян",
    "ing": "ин",
    "iong": "юн",
    "u": "у",
    "ua": "уа",
    "uo": "о",
    "uai": "уай",
    "ui": "уй",
    "uan": "уань",
    "un": "унь",
    "uang": "уан",
    "v": "юй",
    "ve": "юэ",
}
# After j, q, x (and as y-), u is ü.
_U_AS_V: Final[dict[str, str]] = {"u": "юй", "ue": "юэ", "uan": "юань", "un": "юнь"}
# Syllables without an initial, and the few that break the rules above.
_WHOLE: Final[dict[str, str]] = {
    "yi": "и",
    "ya": "я",
    "ye": "е",
    "yo": "ё",
    "yao": "яо",
    "you": "ю",
    "yan": "янь",
    "yin": "инь",
    "yang": "ян",
    "ying": "ин",
    "yong": "юн",
    "yu": "юй",
    "yue": "юэ",
    "yuan": "юань",
    "yun": "юнь",
    "wu": "у",
    "wa": "ва",
    "wo": "во",
    "wai": "вай",
    "wei": "вэй",
    "wan": "вань",
    "wen": "вэнь",
    "wang": "ван",
    "weng": "вэн",
    "zi": "цзы",
    "ci": "цы",
    "si": "сы",
    "zhi": "чжи",
    "chi": "чи",
    "shi": "ши",
    "ri": "жи",
    "hui": "хуэй",
}


def _to_palladius(syllable: str) -> str:
    whole = _WHOLE.get(syllable)
    if whole is not None:
        return whole
    initial = syllable[:2] if syllable[:2] in _INITIALS else syllable[:1]
    if initial not in _INITIALS:  # a, ai, e, er...: the final alone
        return _FINALS[syllable]
    final = syllable[len(initial) :]
    if initial in ("j", "q", "x") and final in _U_AS_V:
        return _INITIALS[initial] + _U_AS_V[final]
    return _INITIALS[initial] + _FINALS[final]


#: Pinyin syllable -> its Palladius spelling (Cyrillic, lower case).
PALLADIUS: Final[dict[str, str]] = {s: _to_palladius(s) for s in sorted(SYLLABLES)}


def _build_spellings() -> dict[str, str]:
    """Cyrillic spelling -> pinyin syllable. Also accepted: е for э (Хе for Хэ), as typed by
    people who do not know the system, where that makes no other syllable."""
    out: dict[str, str] = {}
    # Longer pinyin first where two syllables share a spelling: ло is luo (罗), not lo (咯).
    for syllable in sorted(PALLADIUS, key=lambda s: (-len(s), s)):
        out.setdefault(PALLADIUS[syllable], syllable)
    for syllable, cyrillic in PALLADIUS.items():
        if "э" in cyrillic:
            out.setdefault(cyrillic.replace("э", "е"), syllable)
    return out


_SPELLINGS: Final = _build_spellings()
_MAX_SPELLING: Final = max(len(s) for s in _SPELLINGS)
_MAX_WORD: Final = 24
# Quick refusal of most Russian and Kazakh spellings before the split: letters Palladius
# does not use (қ ү і ә..., щ, ъ), and consonant clusters it does not have: between vowels
# only a syllable end (н, нь, й, р) and a syllable start (Гульнара, Нурлан, -ов, -бек fail).
_VOWELS: Final = "аеёиоуыэюя"
_LETTERS: Final = "".join(sorted(set("".join(_SPELLINGS))))
_PALLADIUS_WORD: Final = re.compile(f"[{_LETTERS}]+")
_CONSONANTS: Final = "".join(ch for ch in _LETTERS if ch not in _VOWELS)
_CONSONANT_RUN: Final = re.compile(f"[{_CONSONANTS}]+")
_ONSETS: Final = frozenset(s[: len(s) - len(s.lstrip(_CONSONANTS))] for s in _SPELLINGS)
_CODAS: Final = frozenset(s[len(s.rstrip(_CONSONANTS)) :] for s in _SPELLINGS)
_RUNS: Final = frozenset(coda + onset for coda in _CODAS for onset in _ONSETS)
_IMPOSSIBLE: Final = re.compile(f"(?<![эе])р|р(?=[{_VOWELS}])")  # р only ends эр


def _may_be_palladius(word: str) -> bool:
    if not _PALLADIUS_WORD.fullmatch(word) or _IMPOSSIBLE.search(word):
        return False
    runs = [(m.start(), m.end(), m.group()) for m in _CONSONANT_RUN.finditer(word)]
    for start, end, run in runs:
        if start == 0:
            if run not in _ONSETS:
                return False
        elif end == len(word):
            if run not in _CODAS:
                return False
        elif run not in _RUNS:
            return False
    return True


def palladius_pinyin(word: str) -> tuple[str, ...]:
    """The pinyin syllables of a Cyrillic word written in Palladius (fewest syllables win),
    or an empty tuple when the word is not Palladius.

    >>> palladius_pinyin("синьминь"), palladius_pinyin("гоцян"), palladius_pinyin("серик")
    (('xin', 'min'), ('guo', 'qiang'), ())
    """
    n = len(word)
    if not n or n > _MAX_WORD or not _may_be_palladius(word):
        return ()
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        found: tuple[str, ...] | None = None
        for j in range(i + 1, min(n, i + _MAX_SPELLING) + 1):
            tail = best[j]
            syllable = _SPELLINGS.get(word[i:j])
            if tail is None or syllable is None:
                continue
            if found is None or len(tail) + 1 < len(found):
                found = (syllable, *tail)
        best[i] = found
    return best[0] or ()
