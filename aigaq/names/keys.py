"""Match keys: short strings under which a search index files a name.

Two spellings of one name, in any scripts, share at least one key in the
great majority of cases (see ``tests/names/test_variant_pairs.py`` for the
measured rate), so a search looks up the keys of the query, gathers the
candidates filed under them and ranks them with
:func:`aigaq.names.similarity`.
"""

from __future__ import annotations

import re
from itertools import islice, permutations, product
from typing import Final

from aigaq.names.parts import Part, _collapse, _make_part, parse, skeleton, turkic_variant

__all__ = [
    "BLOCKING",
    "BRIDGE_KINDS",
    "KEYS_VERSION",
    "KEY_KINDS",
    "PER_PART",
    "PREFIX_LEN",
    "WHOLE_NAME",
    "KeyKind",
    "bridge_keys",
    "key_body",
    "match_keys",
]

#: Raise whenever a change here or in the readings alters what match_keys or to_comparison
#: return: a search index built under another version is rebuilt by ``aigaq init``.
#: 1: the first library; 2: pinyin and Palladius readings, n:/s: with h read as k;
#: 3: Latin ck as k, loose codes with z/s, b/p, f/p alike; 4: equivalent forms of one name
#: (Оспан = Osman, Ибрагим = Ibrahim, Abdul- = Abdu-, :mod:`aigaq.names.equivalents`);
#: 5: bridge keys (:func:`bridge_keys`) filed beside the match keys; 6: bridge keys also for
#: a Chinese name in one word (穆海国 = Mu Haiguo), 扎 read za (Zarina), 海 also qay (Qairat),
#: compounds of equivalent names (Оспанхан = 乌斯满汗 Usmankhan).
KEYS_VERSION: Final = 6


class KeyKind:
    """The kinds of key: the prefix each key is written with (``x:gulnar serikkizi``). Every
    key the index holds starts with one of these; the search and duplicate detection name
    them here rather than spelling the prefixes. What each kind holds: :data:`KEY_KINDS` and
    :data:`BRIDGE_KINDS`. (Plain strings, not an Enum: they are read for every key of every
    name indexed, and an Enum member costs ten times a string constant to look up.)"""

    EXACT: Final = "x:"
    SOUND: Final = "n:"
    SKELETON: Final = "s:"
    JOINED: Final = "j:"
    STEM: Final = "t:"
    PART_SOUND: Final = "p:"
    BRIDGE_OTHER: Final = "c:"
    BRIDGE_CHINESE: Final = "h:"


#: Every kind is a letter and a colon.
PREFIX_LEN: Final = 2


def key_body(key: str) -> str:
    """A key without its kind's prefix (``c:kpt tmrpk`` -> ``kpt tmrpk``)."""
    return key[PREFIX_LEN:]


#: Whole-name keys: selective, two names sharing one are very likely the same name.
WHOLE_NAME: Final = (KeyKind.EXACT, KeyKind.SOUND, KeyKind.JOINED, KeyKind.SKELETON)
#: Per-part keys: index tokens that find a name from any one of its parts.
PER_PART: Final = (KeyKind.STEM, KeyKind.PART_SOUND)
#: The kinds duplicate detection blocks on, in the order it reads them: every ``c:`` group
#: before the ``h:`` groups it pairs with, then the whole-name keys but ``j:``.
BLOCKING: Final = (
    KeyKind.BRIDGE_OTHER,
    KeyKind.BRIDGE_CHINESE,
    KeyKind.SOUND,
    KeyKind.SKELETON,
    KeyKind.EXACT,
)

#: Key kinds (by letter) and what they hold.
KEY_KINDS: Final[dict[str, str]] = {
    KeyKind.EXACT[0]: (
        "exact: folded parts, sorted, joined by spaces (same spelling up to folding)"
    ),
    KeyKind.SOUND[0]: (
        "whole-name phonetic: phonetic codes of the stems, sorted, joined by spaces"
    ),
    # all phonetic keys read l as r, so that names read from Chinese meet the others; n: and s:
    # come again with h read as k (Ибрагим = Ibrahim), and n: s: j: t: p: again for a name in
    # pinyin read as the Turkic name it transcribes (Maimaiti Tuerxun = Memet Tursun)
    KeyKind.SKELETON[0]: (
        "whole-name skeleton: consonant skeletons of the stems, sorted, joined by spaces"
    ),
    KeyKind.PART_SOUND[0]: (
        "per part: phonetic codes of the stem (several readings for Chinese and for h)"
    ),
    KeyKind.STEM[0]: "per part: folded stem, i.e. the part without -uly/-qyzy/-ov/-ova...",
    KeyKind.JOINED[0]: (
        "joined: phonetic code of all parts written as one word (every order, up to 3 parts)"
    ),
}
#: Bridge key kinds (:func:`bridge_keys`): filed in the same index, never looked up by a
#: search; duplicate detection pairs an ``h:`` key with the ``c:`` key of the same body.
BRIDGE_KINDS: Final[dict[str, str]] = {
    KeyKind.BRIDGE_OTHER[0]: (
        "bridge, from a name not in Chinese characters: coarse skeletons of its parts, sorted"
    ),
    KeyKind.BRIDGE_CHINESE[0]: (
        "bridge, from a name in Chinese characters: the same for every reading of its parts"
    ),
}
_MIN_PART_KEY: Final = 2
_MAX_CODES_PER_PART: Final = 8
_MAX_JOINED_PARTS: Final = 3


def match_keys(text: str) -> set[str]:
    """Keys of one name, each prefixed by its kind (see :data:`KEY_KINDS`).

    Whole-name keys (``x:``, ``n:``, ``s:``, ``j:``) are selective: two names sharing
    one are very likely the same. Per-part keys (``p:``, ``t:``) are index
    tokens: they find a name from any one of its parts, so candidates must
    then be ranked with :func:`aigaq.names.similarity`. Order of parts never
    matters. An empty set means the text holds no name.

    A name written wholly in pinyin also gets the keys of its reading as the Turkic name it
    transcribes (:func:`aigaq.names.parts.turkic_variant`), except ``x:``, which stays the
    literal spelling: MAIMAITI TUERXUN shares ``n:`` and ``s:`` with Memet Tursun.

    >>> sorted(match_keys("Гүлнар Серікқызы"))  # doctest: +NORMALIZE_WHITESPACE
    ['j:kurnarsarik', 'j:sarikisikurnar', 'n:kurnar sarik', 'p:kurnar', 'p:sarik', 's:krnr srk',
     't:gulnar', 't:serik', 'x:gulnar serikkizi']
    """
    parts = parse(text)
    if not parts:
        return set()
    keys = {KeyKind.EXACT + " ".join(sorted(p.folded for p in parts))}
    _add_sound_keys(keys, parts)
    turkic = turkic_variant(parts)
    if turkic is not None:  # Maimaiti Tuerxun also as Memet Tursun (not x:, which is literal)
        _add_sound_keys(keys, turkic)
    return keys


def _add_sound_keys(keys: set[str], parts: tuple[Part, ...]) -> None:
    """The n:, s:, j:, t: and p: keys of one reading of a name."""
    first = [p.loose[0] for p in parts]
    keys.add(KeyKind.SOUND + " ".join(sorted(first)))
    keys.add(KeyKind.SKELETON + " ".join(sorted([skeleton(code) for code in first])))
    if any(p.hard for p in parts):  # Ибрагим = Ibrahim: Russian writes Arabic h as г
        hard = [p.hard or p.loose[0] for p in parts]
        keys.add(KeyKind.SOUND + " ".join(sorted(hard)))
        keys.add(KeyKind.SKELETON + " ".join(sorted([skeleton(code) for code in hard])))
    if len(parts) <= _MAX_JOINED_PARTS:  # Abdu Rahman = Abdurahman; 石河子 read as 石 + 河子
        for order in permutations(p.folded for p in parts):
            keys.add(KeyKind.JOINED + _make_part(("".join(order),)).loose[0])
    for part in parts:
        if len(part.stem) >= _MIN_PART_KEY:
            keys.add(KeyKind.STEM + part.stem)
        for code in part.loose[:_MAX_CODES_PER_PART]:
            if len(code) >= _MIN_PART_KEY:
                keys.add(KeyKind.PART_SOUND + code)


# Coarse skeleton letters: what the Chinese renderings of Turkic names blur beyond the loose
# code (哈 for q/k/h/g, 扎 and 加 for z/zh/j, 夏 for sh, 恰 for ch; 瓦 and 依 for w and y).
_BRIDGE_LETTERS: Final = str.maketrans({"h": "k", "j": "s", "c": "s", "x": "s", "w": "", "y": ""})
_MAX_BRIDGE_PARTS: Final = 3
_CHINESE_NAME: Final = re.compile(r"[\u4e00-\u9fff]{2,3}")
_MAX_BRIDGE_KEYS: Final = 16


def _coarse(code: str) -> str:
    return _collapse(skeleton(code).translate(_BRIDGE_LETTERS))


def bridge_keys(text: str) -> set[str]:
    """Blocking keys for duplicate detection across Chinese characters and other scripts.

    A name in characters is read many ways (哈比提 as hapit or kapit, 铁木尔别克 as tiemurbek), and
    none of its whole-name match keys is the key of the same name in Cyrillic or Latin, which
    has one reading (Ғабит Темірбекұлы: ``s:kpt tmrpk``; 哈比提·铁木尔别克: ``s:hpt tmrpk``). Both
    sides are filed here under the coarse consonant skeletons of their parts (h = k, zh = j =
    z, sh = ch = s, w and y dropped), sorted: a name in characters under every combination of its
    parts' readings (``h:``, at most 16), any other name under its first reading and its
    reading with h as k (``c:``). Duplicate detection pairs an ``h:`` entry with a ``c:`` entry
    of the same body, never two ``c:`` entries: among names in one script, the coarse
    skeleton would pair Жанар with Санар. A Chinese name in one word (穆海国) is read as
    surname and given name; other names of one part, or of more than three, get none.

    >>> sorted(bridge_keys("Ғабит Темірбекұлы")), "h:kpt tmrpk" in bridge_keys("哈比提·铁木尔别克")
    (['c:kpt tmrpk'], True)
    """
    parts = parse(text)
    if len(parts) == 1 and parts[0].han and _CHINESE_NAME.fullmatch(word := text.strip()):
        # 穆海国, 沙亮: a Chinese (Hui) name written as one word, read here as surname and
        # given name whatever the surname (沙 and 海 also transcribe Turkic names): Mu Haiguo.
        parts = parse(word[0] + "·" + word[1:])
    if not 2 <= len(parts) <= _MAX_BRIDGE_PARTS:
        return set()
    han = any(p.han for p in parts)
    options = []
    for part in parts:
        codes = part.loose if han else part.loose[:1]
        coarse = {_coarse(c) for c in (*codes, part.hard)} - {""}
        if not coarse:
            return set()
        options.append(sorted(coarse))
    prefix = KeyKind.BRIDGE_CHINESE if han else KeyKind.BRIDGE_OTHER
    bodies = {" ".join(sorted(combo)) for combo in islice(product(*options), _MAX_BRIDGE_KEYS)}
    return {prefix + body for body in bodies}
