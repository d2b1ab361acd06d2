"""Match keys: short strings under which a search index files a name.

Two spellings of one name, in any scripts, share at least one key in the
great majority of cases (see ``tests/names/test_variant_pairs.py`` for the
measured rate), so a search looks up the keys of the query, gathers the
candidates filed under them and ranks them with
:func:`aigaq.names.similarity`.
"""

from __future__ import annotations

from itertools import permutations
from typing import Final

from aigaq.names.parts import Part, _make_part, parse, skeleton, turkic_variant

__all__ = ["KEYS_VERSION", "KEY_KINDS", "match_keys"]

#: Raise whenever a change here or in the readings alters what match_keys or to_comparison
#: return: a search index built under another version is rebuilt by ``aigaq init``.
#: 1: the first library; 2: pinyin and Palladius readings, n:/s: with h read as k;
#: 3: Latin ck as k, loose codes with z/s, b/p, f/p alike; 4: equivalent forms of one name
#: (Оспан = Osman, Ибрагим = Ibrahim, Abdul- = Abdu-, :mod:`aigaq.names.equivalents`).
KEYS_VERSION: Final = 4

#: Key prefixes and what they hold.
KEY_KINDS: Final[dict[str, str]] = {
    "x": "exact: folded parts, sorted, joined by spaces (same spelling up to folding)",
    "n": "whole-name phonetic: phonetic codes of the stems, sorted, joined by spaces",
    # all phonetic keys read l as r, so that names read from Chinese meet the others; n: and s:
    # come again with h read as k (Ибрагим = Ibrahim), and n: s: j: t: p: again for a name in
    # pinyin read as the Turkic name it transcribes (Maimaiti Tuerxun = Memet Tursun)
    "s": "whole-name skeleton: consonant skeletons of the stems, sorted, joined by spaces",
    "p": "per part: phonetic codes of the stem (several readings for Chinese and for h)",
    "t": "per part: folded stem, i.e. the part without -uly/-qyzy/-ov/-ova...",
    "j": "joined: phonetic code of all parts written as one word (every order, up to 3 parts)",
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
    keys = {"x:" + " ".join(sorted(p.folded for p in parts))}
    _add_sound_keys(keys, parts)
    turkic = turkic_variant(parts)
    if turkic is not None:  # Maimaiti Tuerxun also as Memet Tursun (not x:, which is literal)
        _add_sound_keys(keys, turkic)
    return keys


def _add_sound_keys(keys: set[str], parts: tuple[Part, ...]) -> None:
    """The n:, s:, j:, t: and p: keys of one reading of a name."""
    first = [p.loose[0] for p in parts]
    keys.add("n:" + " ".join(sorted(first)))
    keys.add("s:" + " ".join(sorted([skeleton(code) for code in first])))
    if any(p.hard for p in parts):  # Ибрагим = Ibrahim: Russian writes Arabic h as г
        hard = [p.hard or p.loose[0] for p in parts]
        keys.add("n:" + " ".join(sorted(hard)))
        keys.add("s:" + " ".join(sorted([skeleton(code) for code in hard])))
    if len(parts) <= _MAX_JOINED_PARTS:  # Abdu Rahman = Abdurahman; 石河子 read as 石 + 河子
        for order in permutations(p.folded for p in parts):
            keys.add("j:" + _make_part(("".join(order),)).loose[0])
    for part in parts:
        if len(part.stem) >= _MIN_PART_KEY:
            keys.add("t:" + part.stem)
        for code in part.loose[:_MAX_CODES_PER_PART]:
            if len(code) >= _MIN_PART_KEY:
                keys.add("p:" + code)
