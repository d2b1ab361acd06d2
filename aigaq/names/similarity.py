"""How alike two names are, whatever scripts and spellings they come in."""

from __future__ import annotations

from functools import lru_cache
from itertools import permutations
from typing import Final

from rapidfuzz.distance import Indel

from aigaq.names.parts import Part, _make_part, parse, turkic_variant

__all__ = [
    "SAME",
    "SAME_PERSON_THRESHOLD",
    "SWAPPED",
    "best_similarity",
    "role_relation",
    "similarity",
]

#: ``similarity(a, b) >= SAME_PERSON_THRESHOLD`` is read as "probably the
#: same person's name". Measured on ``tests/names/variant_pairs.tsv``.
SAME_PERSON_THRESHOLD: Final = 0.88

# Part scores are squared: one changed letter in a five-letter name (Serik,
# Berik) must weigh more than rapidfuzz's 0.8 suggests.
_SHARPNESS: Final = 2
_ONSET_PENALTY: Final = 0.85  # parts whose sounds start differently (Serik/Berik)
_ONE_SIDED_SUFFIX: Final = 0.97  # Maksutkhan vs Maksutkhanuly
_GENDER_CONFLICT: Final = 0.6  # Serikuly (son) vs Serikqyzy (daughter)
# When both names carry a patronymic, it must pair with the other's patronymic:
# Serik Nurlanuly (son) is not Nurlan Serikuly (his father).
_PATRONYMIC_MISPLACED: Final = 0.5
_UNMATCHED_WEIGHT: Final = 0.5  # a part with no counterpart in the other name
_MAX_BRUTE_FORCE: Final = 5
_MERGE_PENALTY: Final = 0.97  # Abdu Rahman vs Abdurahman
_LOOSE_MATCH: Final = 0.95  # parts whose loose codes agree (z/s, b/p, f/p, l/r)


def _code_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    score = Indel.normalized_similarity(a, b)
    if a[0] != b[0]:
        score *= _ONSET_PENALTY
    return float(score**_SHARPNESS)


@lru_cache(maxsize=1 << 17)
def _sound_score(pc: tuple[str, ...], qc: tuple[str, ...]) -> float:
    """Best score of the first reading of one part against any reading of the other."""
    if len(pc) == 1 and len(qc) == 1:
        return _code_score(pc[0], qc[0])
    return max(
        max(_code_score(pc[0], c) for c in qc),
        max(_code_score(c, qc[0]) for c in pc),
    )


def _part_score(p: Part, q: Part, both_have_patronymics: bool) -> float:
    if p.folded == q.folded:
        return 1.0
    # Chinese has no final r: compare with l read as r when a Chinese reading is involved.
    if p.han or q.han:
        best = _sound_score(p.loose, q.loose)
    else:
        best = _sound_score(p.codes, q.codes)
        if best < 1.0 and p.loose[0] == q.loose[0] and p.syllables != 1 != q.syllables:
            # Only the letters that romanisations swap differ (Abliz/Ablis, Yusuf/Yusup,
            # Ghalib/Ghalip, l/r): nearly the same part. Not for one pinyin syllable, where
            # b/p and z/s are distinct sounds (Jin Bin is not Jin Ping).
            best = max(best, _LOOSE_MATCH)
    if p.gender is not None and q.gender is not None:
        if p.gender != q.gender:
            best *= _GENDER_CONFLICT
    elif p.gender is not None or q.gender is not None:
        best *= _PATRONYMIC_MISPLACED if both_have_patronymics else _ONE_SIDED_SUFFIX
    return best


def _weight(part: Part) -> float:
    return float(max(len(part.codes[0]), 2))


def _assign(a: tuple[Part, ...], b: tuple[Part, ...]) -> float:
    """Best one-to-one pairing of parts, scored as a length-weighted mean."""
    if len(a) > len(b):
        a, b = b, a
    wa = [_weight(p) for p in a]
    wb = [_weight(q) for q in b]
    both = any(p.gender for p in a) and any(q.gender for q in b)
    matrix = [
        [_part_score(p, q, both) * (wa[i] + wb[j]) for j, q in enumerate(b)]
        for i, p in enumerate(a)
    ]
    n, m = len(a), len(b)
    if m <= _MAX_BRUTE_FORCE:
        best_sum = -1.0
        best_cols: tuple[int, ...] = ()
        for cols in permutations(range(m), n):
            total = 0.0
            for i, j in enumerate(cols):
                total += matrix[i][j]
            if total > best_sum:
                best_sum, best_cols = total, cols
    else:  # greedy for unusually long names
        cells = sorted(((matrix[i][j], i, j) for i in range(n) for j in range(m)), reverse=True)
        used_i: set[int] = set()
        used_j: set[int] = set()
        chosen: dict[int, int] = {}
        best_sum = 0.0
        for value, i, j in cells:
            if i in used_i or j in used_j:
                continue
            used_i.add(i)
            used_j.add(j)
            chosen[i] = j
            best_sum += value
        best_cols = tuple(chosen[i] for i in range(n))
    unmatched = sum(wb[j] for j in range(m) if j not in best_cols)
    denominator = sum(wa) + sum(wb) - unmatched + _UNMATCHED_WEIGHT * unmatched
    return best_sum / denominator if denominator else 0.0


@lru_cache(maxsize=16384)
def _merged_forms(parts: tuple[Part, ...]) -> tuple[tuple[Part, ...], ...]:
    """The name with each pair of neighbouring parts written as one word."""
    out = []
    for i in range(len(parts) - 1):
        joined = _make_part((parts[i].folded + parts[i + 1].folded,))
        out.append((*parts[:i], joined, *parts[i + 2 :]))
    return tuple(out)


def _similarity_parts(a: tuple[Part, ...], b: tuple[Part, ...]) -> float:
    if not a or not b:
        return 0.0
    if len(a) == len(b) and sorted(p.folded for p in a) == sorted(q.folded for q in b):
        return 1.0
    score = _assign(a, b)
    if len(a) != len(b) and score < 1.0:
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        for merged in _merged_forms(longer):
            score = max(score, _MERGE_PENALTY * _assign(merged, shorter))
    return min(1.0, max(0.0, score))


def _similarity_readings(a: tuple[Part, ...], b: tuple[Part, ...]) -> float:
    """The best score over the readings of both names: as written, and for a pinyin name
    also as the Turkic name it transcribes (Maimaiti Tuerxun as Memet Tursun)."""
    score = _similarity_parts(a, b)
    if score >= 1.0:
        return score
    ta, tb = turkic_variant(a), turkic_variant(b)
    if ta is not None:
        score = max(score, _similarity_parts(ta, b))
        if tb is not None:
            score = max(score, _similarity_parts(ta, tb))
    if tb is not None:
        score = max(score, _similarity_parts(a, tb))
    return score


def similarity(a: str, b: str) -> float:
    """Similarity of two names in [0, 1]; 1.0 when they fold to the same parts.

    Symmetric, blind to the order of name parts and to the script and
    transliteration used. Parts are paired one to one (the best pairing wins)
    and compared by their phonetic codes with rapidfuzz's Indel ratio; parts
    that start with a different sound are penalised. A patronymic suffix on
    only one side costs little (Maksutkhan vs Maksutkhanuly); the same kind of
    suffix on both sides costs nothing; a son's suffix against a daughter's
    costs a lot. A part without counterpart counts half. A name with no
    letters is similar to nothing (0.0). A name written in pinyin is also
    compared as the Turkic name it may transcribe, and the better score wins.
    """
    if a == b:
        return 1.0 if parse(a) else 0.0
    return _similarity_readings(parse(a), parse(b))


def best_similarity(query: str, names: list[str]) -> float:
    """Highest :func:`similarity` of *query* to any of *names* (0.0 for none)."""
    pq = parse(query)
    best = 0.0
    for name in names:
        score = _similarity_readings(pq, parse(name))
        if score > best:
            best = score
            if best >= 1.0:
                break
    return best


def _roles(parts: tuple[Part, ...]) -> tuple[tuple[Part, ...], tuple[Part, ...]]:
    """(own name parts, father's name parts). A part with a patronymic or surname suffix is
    the father's wherever it stands (Akhmetuly Tursyn, Ахметов Турсын); in a name without
    one, the first part is the person's own name and the rest the father's (the order of
    Kazakh, Uyghur and Kyrgyz names, and of their Chinese renderings 吐尔逊·阿合买提)."""
    marked = tuple(p for p in parts if p.gender)
    if marked and len(marked) < len(parts):
        return tuple(p for p in parts if not p.gender), marked
    return parts[:1], parts[1:]


def _stems(parts: tuple[Part, ...]) -> tuple[str, ...]:
    return tuple(p.stem for p in parts)


SAME: Final = "same"
SWAPPED: Final = "swapped"
#: Two-part names whose parts match crosswise this well, and clearly better than in place,
#: are read as swapped even when spelt differently (HAILATI BIEKESULITAN, pinyin, against
#: 别克苏力坦·海拉提: Beksultan son of Qairat).
_SWAP_FUZZY: Final = 0.9
_SWAP_MARGIN: Final = 0.1


@lru_cache(maxsize=1 << 16)
def role_relation(a: str, b: str, *, spelt: bool = False) -> str | None:
    """How the parts of two names relate: SAME when they hold the same own name and the same
    father's name, a patronymic suffix on one side only or in another place allowed (Асхат
    Мұратжан = Асхат Мұратжанұлы = Muratzhanuly Askhat), a son's suffix against a daughter's
    not; SWAPPED when one's own name is the other's father's name and the other way round
    (Tursyn Akhmetuly and Akhmet Tursynuly: a son and a father, not one person); else None
    (:func:`similarity` decides). With ``spelt``, two-part names whose parts are spelt
    differently are compared part by part too (HAILATI BIEKESULITAN, pinyin, is 别克苏力坦·海拉提
    swapped): that costs four part similarities, so callers ask it only of names already
    found similar. Meant for comparison forms (:func:`to_comparison`)."""
    pa, pb = parse(a), parse(b)
    if not pa or len(pa) != len(pb):
        return None
    ga = {p.gender for p in pa if p.gender}
    gb = {p.gender for p in pb if p.gender}
    (own_a, father_a), (own_b, father_b) = _roles(pa), _roles(pb)
    if (_stems(own_a), _stems(father_a)) == (_stems(own_b), _stems(father_b)):
        return SAME if not (ga and gb and ga != gb) else None
    if (_stems(own_a), _stems(father_a)) == (_stems(father_b), _stems(own_b)):
        return SWAPPED
    if spelt and len(own_a) == len(father_a) == len(own_b) == len(father_b) == 1:
        in_place = min(_similarity_readings(own_a, own_b), _similarity_readings(father_a, father_b))
        crosswise = min(
            _similarity_readings(own_a, father_b), _similarity_readings(father_a, own_b)
        )
        if crosswise >= _SWAP_FUZZY and crosswise >= in_place + _SWAP_MARGIN:
            return SWAPPED
    return None
