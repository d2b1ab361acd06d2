"""The query of a person search, read before anything is looked up: cleaned and cut, an
entry number or a Chinese ID number recognised, and the ways to read a name (a Chinese name
written without separator split at each place, a pinyin name written as one word split at
its syllables), each with its comparison form and match keys. No database here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aigaq.names import match_keys, to_comparison
from aigaq.names.keys import WHOLE_NAME, KeyKind, bridge_keys, key_body
from aigaq.names.parts import parse
from aigaq.names.pinyin import segment

#: Longest query looked at (a pasted paragraph costs no more than a name).
MAX_QUERY_CHARS = 200
#: Most hits a search returns.
MAX_LIMIT = 200
#: A Chinese query of this many characters (from, to) written without separator is also read
#: split in two at each place (努丽亚包尔江 = 努丽亚 包尔江). Chinese renderings of Turkic
#: names often run to 11-13 characters (阿依加玛丽·阿不都哈帕尔: 7% of the bench's).
_HAN_SPLIT_MIN, _HAN_SPLIT_MAX = 4, 14
_HAN_RUN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
#: A one-word Latin query this long may be a whole name in pinyin without a space; each part
#: of a split keeps at least _JOINED_SIDE letters (Ma Lin, a Hui name, is written apart).
_PINYIN_JOINED = re.compile(r"^[a-z]{10,40}$")
_JOINED_SIDE = 4
#: A query in Chinese characters also looks up at most this many bridge keys (the coarse
#: skeletons that duplicate detection files every name under, aigaq.names.bridge_keys):
#: persons recorded with the same name in another script only (Кенжегүл Ғалымханқызы for
#: 肯杰古丽·哈力木汗), whom the query shares no whole-name key with.
BRIDGE_KEYS = 48
#: A Latin query is read as pinyin for the bridge keys when each of its parts splits into at
#: least this many pinyin syllables (hai-la-ti, bie-ke-su-li-tan; not Dana, Nurlan).
_PINYIN_PART_SYLLABLES = 2
_HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

ENTRY_NO = re.compile(r"^#?\s*(\d{1,9})$")
CHINESE_ID = re.compile(r"^(\d{15}|\d{17}[\dxX])$")


def clean_query(query: str | None) -> str:
    """The query as searched: at most MAX_QUERY_CHARS characters, whitespace collapsed."""
    return " ".join((query or "")[: MAX_QUERY_CHARS * 2].split())[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class Reading:
    """One way to read the query: the text scored, its comparison form and keys."""

    text: str
    cmp: str
    keys: frozenset[str]


def _reading(text: str) -> Reading:
    return Reading(text, to_comparison(text), frozenset(match_keys(text)))


def readings(q: str) -> list[Reading]:
    """The query, and for Chinese written without separator the query split in two at
    each place: Chinese lists often omit the dot, and a name read as one part shares no key
    with the same name in two parts. The same for a whole name in pinyin written as one word,
    split at its syllable boundaries."""
    out = [_reading(q)]
    compact = q.replace(" ", "")
    if (
        _HAN_RUN.match(compact)
        and _HAN_SPLIT_MIN <= len(compact) <= _HAN_SPLIT_MAX
        and " " not in q
    ):
        for cut in range(2, len(compact) - 1):
            out.append(_reading(compact[:cut] + "·" + compact[cut:]))
    elif _PINYIN_JOINED.match(out[0].cmp):
        # Pinyin of a whole name written as one word (MAIMAITIMAIHEMUTIJIANG, as some lists
        # print it): read split in two at the syllable boundaries of its best segmentations.
        word = out[0].cmp
        cuts = {
            sum(len(syllable) for syllable in path[:i])
            for path in segment(word, limit=2)
            if "".join(path) == word  # a path read through folding has other lengths
            for i in range(2, len(path) - 1)
        }
        for cut in sorted(c for c in cuts if _JOINED_SIDE <= c <= len(word) - _JOINED_SIDE):
            out.append(_reading(word[:cut] + " " + word[cut:]))
    return out


def query_bridge_keys(readings: list[Reading], hit: set[str] | frozenset[str]) -> list[str]:
    """The ``c:`` bridge keys a query meets names in other scripts under, at most
    BRIDGE_KEYS. A query in Chinese characters: the counterparts of its ``h:`` keys, of the
    readings whose whole-name keys found someone (``hit``: the keys that found someone; the
    right cut of Chinese written without separator), or of every reading when none did. A
    query in pinyin, as Chinese passports print a Turkic name (GULINAER SAILIKE, Hailati
    Biekesulitan): its own ``c:`` keys, which are those of the name it transcribes (Гүлнар
    Серік..., Қайрат Бексұлтан...), whose whole-name keys it does not share. Other queries:
    none (their whole-name keys reach the other scripts)."""
    han = [r for r in readings if _HAN_CHAR.search(r.text)]
    keys: set[str] = set()
    if han:
        found = [r for r in han if any(k in hit for k in r.keys if k.startswith(WHOLE_NAME))]
        for reading in found or han:
            keys.update(
                KeyKind.BRIDGE_OTHER + key_body(k)
                for k in bridge_keys(reading.text)
                if k.startswith(KeyKind.BRIDGE_CHINESE)
            )
    else:
        for reading in readings:
            parts = parse(reading.text)
            if parts and all(p.syllables >= _PINYIN_PART_SYLLABLES for p in parts):
                keys.update(
                    k for k in bridge_keys(reading.text) if k.startswith(KeyKind.BRIDGE_OTHER)
                )
    return sorted(keys)[:BRIDGE_KEYS]


def last_part_keys(q: str) -> set[str]:
    """The per-part keys of the last word typed (``t:`` stem and ``p:`` codes): whether the
    keys found them tells a whole name part ("Juma") from the start of one ("Jum")."""
    parsed = parse(q)
    if not parsed:
        return set()
    last = parsed[-1]
    return {KeyKind.STEM + last.stem, *(KeyKind.PART_SOUND + c for c in last.loose)}
