"""Search in the static edition, with no server: the index in shards and the tables the
browser needs to compute a query's keys the way aigaq.names.keys does.

The browser cannot run Python, so `static/public/static_search.js` carries a small port of the
per-part key rules (normalising, script detection, transliteration, folding, suffixes,
phonetic codes) and reads every table it needs from `tables()`, generated here from the Python
code itself (translit, scripts, parts, equivalents): the two cannot drift apart in their
tables, and tests/public/test_static_search.py holds the JS keys to Python's for a sample of
names in Cyrillic, Latin and Arabic script. Names in Chinese characters are read through a
table of the Chinese words that occur in the public names (`han_table`), computed by Python.

What the JS computes for each part of the query: the ``t:`` (folded stem) and ``p:`` (phonetic
code) keys of aigaq.names.keys. The index files every public entry under the ``t:`` and ``p:``
keys of its public name forms (`entry_keys`), in shards by the key's first characters, so a
search loads a few small files.

A query written wholly in pinyin is read, as the server reads it
(`aigaq.names.parts.turkic_variant`), also as the Turkic name it transcribes (Maimaiti
Tuerxun = Memet Tursun), through a table rather than a port of `aigaq.names.pinyin`: for every
word in Chinese characters of the public names (买买提, 吐尔逊), its pinyin spellings
(pypinyin, each reading of a character with several; ü as v and as u) and their folded forms,
each filed as written with the part of its Turkic reading (`HanTable.pinyin`, in shards
`search/y/<xy>.js`). A query is so read when every word of it is in the table, as the server
reads a name only when every part is pinyin of two syllables or more; so a pinyin spelling
finds the names written in Chinese characters the edition holds (and the entries in other
scripts that share their reading). Not ported: the Palladius reading of a Chinese name in
Russian spelling (the Python side still files the entries under it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import islice, product
from typing import Any

from pypinyin import Style
from pypinyin import pinyin as pypinyin_readings

from aigaq.names import keys as name_keys
from aigaq.names import parts as name_parts
from aigaq.names import scripts as name_scripts
from aigaq.names import translit
from aigaq.names.equivalents import _ABD
from aigaq.names.han import han_parts
from aigaq.names.normalize import _APOSTROPHES, MAX_NAME_CHARS, normalize, truncate

#: Key kinds the static index holds: per-part keys, what a query's words are looked up by.
INDEX_KINDS = (name_keys.KeyKind.STEM, name_keys.KeyKind.PART_SOUND)
#: A shard holds the keys of one kind whose body starts with the same SHARD_CHARS letters.
SHARD_CHARS = 2
#: Entries' names in files of this many entry numbers.
NAMES_PER_FILE = 1000
MAX_CODES_PER_PART = name_keys._MAX_CODES_PER_PART
MIN_PART_KEY = name_keys._MIN_PART_KEY


def entry_keys(names: Iterable[str]) -> set[str]:
    """The static index's keys of an entry's public name forms."""
    out: set[str] = set()
    for name in names:
        out.update(k for k in name_keys.match_keys(name) if k.startswith(INDEX_KINDS))
    return out


def shard_of(key: str) -> str:
    """``p:kurnar`` -> ``p/ku`` (a body shorter than SHARD_CHARS is padded with _)."""
    body = name_keys.key_body(key)
    return f"{key[0]}/{body[:SHARD_CHARS].ljust(SHARD_CHARS, '_')}"


def _part_json(part: Any) -> list[Any]:
    return [part.stem, list(part.loose)]


def han_words(name: str) -> list[tuple[str, bool]]:
    """The words in Chinese characters of a name, each with whether it is one of several
    (read then as a transcribed name: aigaq.names.han.han_parts)."""
    words = name_scripts.token_scripts(truncate(normalize(name)))
    han = [w for w, script in words if script == name_scripts.HAN]
    return [(w, len(han) > 1) for w in han]


def han_entry(word: str, transcribed: bool) -> list[list[Any]]:
    """The parts of one Chinese word as the JS reads them: [stem, loose codes] each."""
    out = []
    for _best, readings in han_parts(word, transcribed):
        part = name_parts._make_part(readings, True, True)
        if part.folded:
            out.append(_part_json(part))
    return out


#: Pinyin spellings of one Chinese word at most (a character with several readings multiplies
#: them: 3 readings of each character at most).
MAX_SPELLINGS = 8
PINYIN_PREFIX = "y"


def pinyin_spellings(word: str) -> list[str]:
    """The toneless pinyin spellings of a word in Chinese characters (买买提: maimaiti), each
    reading of a character with several, ü written v and u."""
    readings = pypinyin_readings(word, style=Style.NORMAL, heteronym=True, errors="ignore")
    if not readings or len(readings) != len(word):
        return []
    out: dict[str, None] = {}
    for combo in islice(product(*(r[:3] for r in readings)), MAX_SPELLINGS):
        spelling = "".join(combo)
        out[spelling] = None
        if "v" in spelling:
            out[spelling.replace("v", "u")] = None
    return list(out)


def pinyin_entries(spelling: str) -> dict[str, list[Any] | None]:
    """The table's rows of one pinyin spelling and of its folded form (tuerxun, tuerhun: what
    the search stores and visitors also type): each word -> its Turkic reading's part
    [stem, loose codes] as aigaq.names.parts.turkic_variant reads that word, or None when it
    reads alike; a word that is not one part of two pinyin syllables or more (never so read)
    is left out."""
    out: dict[str, list[Any] | None] = {}
    first = name_parts.parse(spelling)
    words = [spelling] + ([first[0].folded] if len(first) == 1 else [])
    for word in dict.fromkeys(words):
        parts = name_parts.parse(word)
        if len(parts) != 1 or parts[0].syllables < 2 or not parts[0].turkic:
            continue
        part = parts[0]
        turkic = name_parts._make_part(part.turkic, True)
        # Asan, Erlan read alike: None
        out[word] = None if set(turkic.loose) <= set(part.loose) else _part_json(turkic)
    return out


def pinyin_shard(word: str) -> str:
    """``maimaiti`` -> ``y/ma``."""
    return f"{PINYIN_PREFIX}/{word[:SHARD_CHARS].ljust(SHARD_CHARS, '_')}"


class HanTable:
    """Chinese words of the public names -> their parts, alone and among several words; and
    the pinyin spellings of those words -> their Turkic reading (`pinyin`, by shard)."""

    def __init__(self) -> None:
        self.alone: dict[str, list[list[Any]]] = {}
        self.among: dict[str, list[list[Any]]] = {}
        self.pinyin: dict[str, dict[str, list[Any] | None]] = {}
        self._spelled: set[str] = set()

    def add(self, name: str) -> None:
        for word, several in han_words(name):
            table = self.among if several else self.alone
            if word not in table:
                table[word] = han_entry(word, several)
            if word not in self._spelled:
                self._spelled.add(word)
                for spelling in pinyin_spellings(word):
                    for written, reading in pinyin_entries(spelling).items():
                        self.pinyin.setdefault(pinyin_shard(written), {})[written] = reading

    def merge(self, other: HanTable) -> None:
        """Add the words of a table made of older entries (a worker's share of a build), as
        if its names had been added after these."""
        for mine, theirs in ((self.alone, other.alone), (self.among, other.among)):
            for word, parts in theirs.items():
                mine.setdefault(word, parts)
        for shard, words in other.pinyin.items():
            self.pinyin.setdefault(shard, {}).update(words)
        self._spelled |= other._spelled

    def as_json(self) -> dict[str, Any]:
        return {"alone": self.alone, "among": self.among}


def tables() -> dict[str, Any]:
    """Every table static_search.js needs, from the Python code that uses them."""
    equivalents = name_parts._equivalent_codes()
    return {
        "maxNameChars": MAX_NAME_CHARS,
        "maxParts": name_parts.MAX_PARTS,
        "apostrophes": "".join(sorted(_APOSTROPHES)),
        "ranges": [list(r) for r in name_scripts._RANGES],
        "cyrillic": translit.CYRILLIC,
        "cyrillicDigraphs": translit._CYRILLIC_DIGRAPH_VALUES,
        "arabic": translit.ARABIC,
        "latin": translit.LATIN,
        "apostropheDigraphs": translit._APOSTROPHE_DIGRAPHS,
        "toCyrillic": translit._HOMOGLYPHS_TO_CYRILLIC,
        "toLatin": translit._HOMOGLYPHS_TO_LATIN,
        "fold": translit._FOLD_VALUES,
        "foldPattern": translit._FOLD_PATTERN.pattern,
        "suffixes": [list(s) for s in name_parts._SUFFIXES],
        "minStem": name_parts._MIN_STEM,
        "detached": sorted(name_parts._DETACHED),
        "russianE": sorted(name_parts._RUSSIAN_E_SUFFIXES),
        "abd": _ABD.pattern,
        "softValues": name_parts._SOFT_VALUES,
        "hardValues": name_parts._HARD_VALUES,
        "phoneticLetters": {chr(k): v for k, v in name_parts._PHONETIC_LETTERS.items()},
        "looseLetters": {chr(k): v for k, v in name_parts._LOOSE_LETTERS.items()},
        "equivalents": equivalents,
        "compoundTails": list(name_parts._compound_tail_codes()),
        "minCompoundHead": name_parts._MIN_COMPOUND_HEAD,
        "maxCodesPerPart": MAX_CODES_PER_PART,
        "minPartKey": MIN_PART_KEY,
    }


def script_file(callback: str, name: str, data: Any) -> bytes:
    """A data file the browser loads as a script (a page opened from a folder may not fetch
    files, but may load scripts): ``aigaqData("p/ku", {...});``."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"{callback}({json.dumps(name)},{body});\n".encode()
