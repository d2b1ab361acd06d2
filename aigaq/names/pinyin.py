"""Latin name parts written in Hanyu Pinyin, read as the Turkic names they transcribe.

Chinese passports and many Chinese documents print a Uyghur or Kazakh name as the pinyin of
its Chinese-character rendering: 买买提·吐尔逊 (Memet Tursun) becomes ``MAIMAITI TUERXUN``,
古丽娜尔·赛力克 (Gulnar Serik) ``Gulinaer Sailike``. Read letter by letter, such a spelling
shares nothing with Memet Tursun. Read syllable by syllable with the values
:mod:`aigaq.names.han` gives the characters behind the syllables (买 me, 提 t at the end, 尔 r
after the first syllable...), it is Memet Tursun again.

:func:`turkic_readings` does that for one word: it splits the word into pinyin syllables
(:data:`SYLLABLES`, the full toneless inventory, ü written ``v`` or ``u``) and reads each
syllable like the characters it may stand for. The syllable table is derived from
:data:`aigaq.names.han.HAN_READINGS` through pypinyin (the syllable of every character of the
table), so that the two readings cannot drift apart; syllables no character of the table
has are read like any other character of that syllable (x as sh, q as ch, c as ts).

The folded comparison form (x→h, q→k, zh and c→j, y→i, w→u, doubled letters single) is
mostly understood too, because that is what the search stores and re-reads: ``tuerhun`` may
be ``tuerxun``, ``umaier`` ``wumaier``, ``kader`` ``kadeer`` (see :func:`_build_surfaces`
for what is and is not read back). A syllable read through folding only is a second
choice, never preferred over a literal one.

Whether the reading is used is decided per name (see
:func:`aigaq.names.parts.turkic_variant`): only for a name written wholly in pinyin, and not
for one with a one-syllable part (Ma Xiaoli, Li Na), which is a Chinese name.
"""

from __future__ import annotations

import re
from typing import Final

from pypinyin import Style, lazy_pinyin

from aigaq.names.han import _NEVER, HAN_READINGS, _turkic_sound, transcribe
from aigaq.names.translit import _FOLD_PATTERN, _FOLD_VALUES

__all__ = ["SYLLABLES", "segment", "turkic_readings"]

Triple = tuple[str, str, str]

# Finals per initial ("" = no initial): the toneless Hanyu Pinyin syllables, ü as v. This is
# the syllable set of pypinyin's character data less the interjections (m, n, ng, hm, hng, ê)
# and a dozen dialect or single-character syllables (biang, bong, cei, din, fiao, kei, len,
# nun, tei, wong) that no name uses; tests/names/test_pinyin.py checks it against pypinyin.
_FINALS: Final[dict[str, str]] = {
    "": "a ai an ang ao e ei en eng er o ou",
    "b": "a ai an ang ao ei en eng i ian iao ie in ing o u",
    "p": "a ai an ang ao ei en eng i ian iao ie in ing o ou u",
    "m": "a ai an ang ao e ei en eng i ian iao ie in ing iu o ou u",
    "f": "a an ang ei en eng o ou u",
    "d": "a ai an ang ao e ei en eng i ia ian iao ie ing iu ong ou u uan ui un uo",
    "t": "a ai an ang ao e eng i ian iao ie ing ong ou u uan ui un uo",
    "n": "a ai an ang ao e ei en eng i ia ian iang iao ie in ing iu ong ou u uan uo v ve",
    "l": "a ai an ang ao e ei eng i ia ian iang iao ie in ing iu o ong ou u uan un uo v ve",
    "g": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "k": "a ai an ang ao e en eng ong ou u ua uai uan uang ui un uo",
    "h": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "j": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "q": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "x": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "zh": "a ai an ang ao e ei en eng i ong ou u ua uai uan uang ui un uo",
    "ch": "a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo",
    "sh": "a ai an ang ao e ei en eng i ou u ua uai uan uang ui un uo",
    "r": "an ang ao e en eng i ong ou u ua uan ui un uo",
    "z": "a ai an ang ao e ei en eng i ong ou u uan ui un uo",
    "c": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "s": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "y": "a an ang ao e i in ing o ong ou u uan ue un",
    "w": "a ai an ang ei en eng o u",
}

#: Every toneless pinyin syllable (ü as ``v``).
SYLLABLES: Final[frozenset[str]] = frozenset(
    initial + final for initial, finals in _FINALS.items() for final in finals.split()
)

# Characters whose syllable in names is not pypinyin's out-of-context reading (都 is dou,
# but 阿不都 is Abudu; 勒 is lei, but 尼勒克 is Nileke; 什 is shen, but in names shi). The
# out-of-context reading is kept as well where romanising software prints it (Abudou).
_NAME_SYLLABLES: Final[dict[str, tuple[str, ...]]] = {
    "都": ("du", "dou"),
    "勒": ("le", "lei"),
    "什": ("shi",),
}

# Syllables that characters with different readings share, and the character whose reading
# leads (the others stay alternatives). tests/names/test_pinyin.py fails when a new entry of
# HAN_READINGS creates a conflict not decided here.
_LEADING_CHARACTER: Final[dict[str, str]] = {
    "ai": "艾",  # 艾 e (with he), 爱/埃 e
    "fu": "夫",  # 夫 fu/f, 甫 pu/p (Yusup): a first fu is never p
    "li": "力",  # 力/里/利 li, bare l only as a variant (赛力克 Serik, 阿力别克 Alibek)
    "mu": "木",  # 木 mu, bare m at the end (木拉提 Murat, 阿力木 Alim); 姆 also before consonants
    "yi": "伊",  # 伊 i, 依 y: the same once folded
}
# ...and where the syllable before decides: 古丽 gül and 迪丽 dil, the commonest name
# elements, end in a bare l (古丽娜尔 Gulnar, 迪丽努尔 Dilnur).
_AFTER: Final[dict[tuple[str, str], str]] = {("gu", "li"): "丽", ("di", "li"): "丽"}

_MIN_SYLLABLES: Final = 2
_MAX_WORD: Final = 32  # longer "words" are not names (and would cost time)
_MAX_READINGS: Final = 8
_SEGMENTATIONS: Final = 2  # best and runner-up (e.g. literal and folded spelling)
_APOSTROPHE_INITIALS: Final = frozenset("aeo")
_WORD: Final = re.compile(r"[a-z]+")
_DOUBLES: Final = re.compile(r"([a-z])\1+")


def _fold_letters(syllable: str) -> str:
    """A pinyin syllable as :func:`aigaq.names.translit.fold` writes it inside a word."""
    folded = _FOLD_PATTERN.sub(lambda m: _FOLD_VALUES[m.group()], syllable)
    return _DOUBLES.sub(r"\1", folded)


def _character_syllables(ch: str) -> tuple[str, ...]:
    if ch in _NAME_SYLLABLES:
        return _NAME_SYLLABLES[ch]
    return (lazy_pinyin(ch, style=Style.NORMAL)[0],)


def _build_table() -> dict[str, tuple[Triple, ...]]:
    """Syllable -> the readings of the HAN_READINGS characters with that syllable."""
    table: dict[str, list[Triple]] = {}
    for ch, triple in HAN_READINGS.items():
        for syllable in _character_syllables(ch):
            triples = table.setdefault(syllable, [])
            if triple not in triples:
                triples.append(triple)
    for syllable, leader in _LEADING_CHARACTER.items():
        shared = table.get(syllable, [])
        if HAN_READINGS[leader] in shared:
            shared.remove(HAN_READINGS[leader])
            shared.insert(0, HAN_READINGS[leader])
    return {syllable: tuple(triples) for syllable, triples in table.items()}


_TABLE: Final = _build_table()
# Initials whose folded spelling is read back even where it makes no literal syllable.
_FOLDED_INITIALS: Final = frozenset("ywxq")


def _build_surfaces() -> dict[str, tuple[tuple[str, bool], ...]]:
    """Spelling -> (syllable, literal?) for every way a syllable is met inside a word.

    Besides the literal syllables, a spelling that is a syllable may stand for the syllables
    that fold to it (hun for xun, ji for zhi or ci); the y-, w-, x- and q- syllables are also
    met folded (i for yi, u for wu, hia for xia, kie for qie: pinyin has no hi or ki, so those
    spellings are unambiguous). zh and c folded to j (ja for zha) are not accepted: Turkic
    spellings such as Jamila or Janar would read as pinyin through them, and measured on the
    stored forms of generated pinyin names they recovered nothing the others did not.
    """
    surfaces: dict[str, list[tuple[str, bool]]] = {}

    def add(spelling: str, syllable: str, literal: bool) -> None:
        entries = surfaces.setdefault(spelling, [])
        if all(s != syllable for s, _ in entries):
            entries.append((syllable, literal))

    for syllable in sorted(SYLLABLES):
        add(syllable, syllable, True)
        if syllable.endswith("ve"):  # lüe, nüe are commonly written lue, nue
            add(syllable[:-2] + "ue", syllable, True)
    literal = set(surfaces)
    for syllable in sorted(SYLLABLES):
        folded = _fold_letters(syllable)
        if folded != syllable and (folded in literal or syllable[0] in _FOLDED_INITIALS):
            add(folded, syllable, False)
    return {spelling: tuple(entries) for spelling, entries in surfaces.items()}


_SURFACES: Final = _build_surfaces()
# Syllables whose first letter the comparison form merges into the same letter before it:
# de-er folds to der (Kadeer is stored as kader, Yisikandeer as isikander). 尔 is so common
# after an e that this is the one junction worth reading back.
_JUNCTIONS: Final[dict[str, tuple[str, ...]]] = {"r": ("er",)}
_MAX_SURFACE: Final = max(len(s) for s in _SURFACES)
# Every beginning of a spelling, so that the split stops looking as soon as none can follow.
_PREFIXES: Final = frozenset(s[:k] for s in (*_SURFACES, *_JUNCTIONS) for k in range(1, len(s) + 1))

# A quick test that rejects most non-pinyin words before the segmentation runs: between
# vowels pinyin has at most a syllable end (n, ng, r) and a syllable start.
_CODAS: Final = ("", "n", "ng", "r")
_ONSETS: Final = frozenset(s[: len(s) - len(s.lstrip("bcdfghjklmnpqrstwxyz"))] for s in _SURFACES)
_CONSONANT_RUNS: Final = frozenset(coda + onset for coda in _CODAS for onset in _ONSETS) - {""}
_CONSONANTS: Final = re.compile(r"[^aeiouv]+")
_FINAL_LETTERS: Final = frozenset("aeiouvngr")
# Letter sequences no pinyin (nor its folded spelling) has: r ends only er, g only ng; j q x
# come before i or u (ü), y and w before a vowel, ü only after l and n; no syllable is gi.
_IMPOSSIBLE: Final = re.compile(
    r"(?<!e)r(?![aeiouv])|(?<!n)g(?![aeiouv])|[jqx](?![iuv])|[yw](?![aeiou])|(?<![ln])v|gi"
)


# Segmentation cost, compared as one number: syllables first, then apostrophes, then folds.
_SYLLABLE_COST: Final = 10_000
_APOSTROPHE_COST: Final = 100
_FOLD_COST: Final = 1


def segment(word: str, limit: int = _SEGMENTATIONS) -> list[tuple[str, ...]]:
    """The best ways (at most *limit*) to split *word* into pinyin syllables, best first.

    Fewer syllables win, then fewer syllables that would need an apostrophe (a non-first
    syllable starting with a, e or o: ``gulinaer`` is gu-li-na-er, not gu-lin-a-er), then
    fewer syllables read through folding. Linear in the length of the word (dynamic
    programming, no backtracking), and most Turkic spellings are turned down before it by
    letter sequences pinyin does not have, so hostile input costs nothing.

    >>> segment("maimaiti"), segment("tuerhun")
    ([('mai', 'mai', 'ti'), ('ma', 'yi', 'mai', 'ti')], [('tu', 'er', 'hun'), ('tu', 'er', 'xun')])
    >>> segment("serik")
    []
    """
    n = len(word)
    if (
        not n
        or n > _MAX_WORD
        or word[-1] not in _FINAL_LETTERS
        or not _WORD.fullmatch(word)
        or _IMPOSSIBLE.search(word)
        or any(run not in _CONSONANT_RUNS for run in _CONSONANTS.findall(word))
    ):
        return []
    best: list[list[tuple[int, tuple[str, ...]]]] = [[] for _ in range(n + 1)]
    best[n] = [(0, ())]
    for i in range(n - 1, -1, -1):
        found: list[tuple[int, tuple[str, ...]]] = []
        for j in range(i + 1, min(n, i + _MAX_SURFACE) + 1):
            spelling = word[i:j]
            if spelling not in _PREFIXES:
                break
            tails = best[j]
            if not tails:
                continue
            entries = _SURFACES.get(spelling, ())
            merged = _JUNCTIONS.get(spelling) if i else None
            if merged:
                entries = (*entries, *((s, False) for s in merged if s[0] == word[i - 1]))
            if not entries:
                continue
            for syllable, literal in entries:
                step = _SYLLABLE_COST
                if i and syllable[0] in _APOSTROPHE_INITIALS:
                    step += _APOSTROPHE_COST
                if not literal:
                    step += _FOLD_COST
                found.extend((step + cost, (syllable, *path)) for cost, path in tails)
        if len(found) > limit:
            found.sort()
            del found[limit:]
        elif len(found) > 1:
            found.sort()
        best[i] = found
    return [path for _cost, path in best[0]]


def _syllable_triples(previous: str, syllable: str) -> tuple[Triple, ...]:
    """Readings of one syllable, the leading one first."""
    triples = _TABLE.get(syllable)
    if triples is None:
        return ((_turkic_sound(syllable), "", _NEVER),)
    leader = _AFTER.get((previous, syllable))
    if leader is not None:
        lead = HAN_READINGS[leader]
        return (lead, *(t for t in triples if t != lead))
    return triples


def _path_readings(path: tuple[str, ...]) -> tuple[list[str], set[str]]:
    """Readings of one segmentation: the best guesses (with the leading characters first,
    then with each other character that shares a syllable) and the bare-consonant variants."""
    options = [_syllable_triples(prev, syl) for prev, syl in zip(("", *path), path, strict=False)]
    primary = [triples[0] for triples in options]
    best, variants = transcribe(primary)
    bests = [best]
    others = set(variants)
    for i, triples in enumerate(options):
        for triple in triples[1:]:
            other_best, other_variants = transcribe([*primary[:i], triple, *primary[i + 1 :]])
            bests.append(other_best)
            others.update(other_variants)
    return bests, others


def turkic_readings(rough: str) -> tuple[int, tuple[str, ...]]:
    """(syllables, readings): how many pinyin syllables *rough* splits into (0 when it is not
    pinyin) and its rough Latin readings as the transcription of a Turkic name, best first
    (none for fewer than two syllables: Ma, Wang are never read as transcriptions).

    >>> turkic_readings("maimaiti")[1][0], turkic_readings("tuerxun")[1][0]
    ('memet', 'tursun')
    >>> turkic_readings("gulinaer")[1][0], turkic_readings("sailike")[1][0]
    ('gulnar', 'selik')
    >>> turkic_readings("wang"), turkic_readings("nurlan")
    ((1, ()), (0, ()))
    """
    paths = segment(rough)
    if not paths:
        return 0, ()
    count = len(paths[0])
    if count < _MIN_SYLLABLES:  # Wang is one syllable, not wu-ang
        return count, ()
    paths = [path for path in paths if len(path) >= _MIN_SYLLABLES]
    readings = [_path_readings(path) for path in paths]
    ordered = [r for bests, _ in readings for r in bests]
    ordered += sorted(set().union(*(variants for _, variants in readings)))
    return count, tuple(dict.fromkeys(ordered))[:_MAX_READINGS]
