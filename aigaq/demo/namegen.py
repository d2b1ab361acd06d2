"""Synthetic persons for demo data and benchmarks, built from :mod:`aigaq.demo.pools`.

``generate_person(rng)`` draws an ethnicity, a gender, a given name and a father's name and
returns the person's names as they would be recorded: typically two or three forms in mixed
scripts (official native Cyrillic or Uyghur Arabic script, a Latin transliteration, the
Chinese ID-card form, sometimes the Arabic-script form or the Russian passport form).

Names are not equally common: the given name and the father's name are drawn with a
Zipf–Mandelbrot weight ``1 / (rank + q) ** s`` over each pool, in the pool's order (the
hand-written whole names first, the common ones, then the compounds), with ``q`` chosen per pool
so that the most common name of each sex is about ``TOP_NAME_SHARE`` of that sex. With the
pools of :mod:`aigaq.demo.pools` this gives, at 1,000,000 persons, a realistic head of common
names (many namesakes for the commonest names) while most persons have few namesakes.

``spelling_variant(rng, person)`` returns what a volunteer might type when looking that person
up: another Latin spelling, a dropped patronymic, swapped order, missing Kazakh letters, the
Chinese form without the middle dot, the Chinese form in passport pinyin, a partial name... It
is built only from the variant data in the pools (never from a transliteration library), so
that it measures a search engine's recall honestly.

Everything here is deterministic for a seeded ``random.Random`` and cheap per call: all the
per-name strings are prepared once at import.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from .pools import (
    BLOCKED_PAIRS,
    ENTRIES,
    HUI_SURNAMES,
    ISLAMIC_NAMES,
    POOLS,
    NameEntry,
    plain_cyrillic,
    russian_surname,
)

__all__ = [
    "FORM_KINDS",
    "GENDER_MALE_SHARE",
    "TOP_NAME_SHARE",
    "ZIPF_EXPONENT",
    "GeneratedPerson",
    "NameForm",
    "OCCUPATIONS",
    "ethnicity_weights",
    "generate_people",
    "generate_person",
    "random_occupation",
    "spelling_variant",
    "variant_query",
]

FORM_KINDS = ("official", "transliteration", "alias", "chinese")

# Roughly the mix of the group's cases: mostly Kazakh, then Uyghur, Kyrgyz, Hui, few
# Uzbek and Tatar.
ethnicity_weights: dict[str, float] = {
    "kazakh": 0.74,
    "uyghur": 0.13,
    "kyrgyz": 0.06,
    "hui": 0.04,
    "uzbek": 0.015,
    "tatar": 0.015,
}

# Most of the detained people documented by the group are men.
GENDER_MALE_SHARE = 0.62

# Frequencies of given names: the most common name of a sex is about 2% of that sex (a head of
# common names, none of them dominating), and the weights fall off as a Zipf-Mandelbrot law of
# this exponent. Real rank-frequency curves fall off about as 1/rank,
# but over many thousands of names; the pools stop at a few hundred, so a flatter exponent over
# them stands in for the missing long tail of rare names (with 1.0, at 1,000,000 persons, 62%
# of persons have fewer than 10 namesakes; with 0.7, 69%, the head staying at 2%).
TOP_NAME_SHARE = 0.02
ZIPF_EXPONENT = 0.7


class NameForm(NamedTuple):
    full_name: str
    script: str  # ISO 15924: "Cyrl", "Latn", "Arab", "Hani"
    lang: str  # language of the spelling: "kk", "ky", "ug", "uz", "tt", "ru", "zh"
    kind: str  # one of FORM_KINDS


@dataclass(slots=True)
class GeneratedPerson:
    ethnicity: str
    gender: str  # "m" or "f"
    given: str  # key into pools.ENTRIES
    father: str  # key into pools.ENTRIES (the father's given name)
    names: list[NameForm]
    surname: str | None = None  # Hui only: key of pools.HUI_SURNAMES
    religious_name: str | None = None  # Hui only, sometimes: key of pools.ISLAMIC_NAMES

    @property
    def given_entry(self) -> NameEntry:
        return ENTRIES[self.given]

    @property
    def father_entry(self) -> NameEntry:
        return ENTRIES[self.father]


# ---------------------------------------------------------------------------------------------
# Patronymics and per-ethnicity conventions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Conv:
    cyr_lang: str  # language of the native Cyrillic
    cyr_patr: dict[str, str]  # suffix appended to the father's name, by child's gender
    lat_patr: dict[str, str]
    lat_patr_variants: dict[str, tuple[str, ...]]
    cyr_patr_variants: dict[str, tuple[str, ...]]


_CONV: dict[str, _Conv] = {
    # Kazakh: Нұрлан Серікұлы, Гүлнар Серікқызы; Latin Serikuly / Serikqyzy
    "kazakh": _Conv(
        "kk",
        {"m": "ұлы", "f": "қызы"},
        {"m": "uly", "f": "qyzy"},
        {"m": ("uly", "uli", "-uly", " uly"), "f": ("qyzy", "kyzy", "kizi", " kyzy")},
        {"m": ("ұлы", "улы", " улы"), "f": ("қызы", "кызы", " кызы")},
    ),
    # Uyghur: the father's name is the second name: Memet Tursun
    "uyghur": _Conv("ug", {"m": "", "f": ""}, {"m": "", "f": ""}, {}, {}),
    # Kyrgyz: Азамат Бакыт уулу, Айгүл Бакыт кызы
    "kyrgyz": _Conv(
        "ky",
        {"m": " уулу", "f": " кызы"},
        {"m": " uulu", "f": " kyzy"},
        {"m": ("uulu", " uulu", " uly"), "f": (" kyzy", "kyzy", " kizi")},
        {"m": ("уулу", " уулу"), "f": ("кызы", " кызы")},
    ),
    # Uzbek: Абдулла Карим ўғли, Латин Abdulla Karim oʻgʻli
    "uzbek": _Conv(
        "uz",
        {"m": " ўғли", "f": " қизи"},
        {"m": " oʻgʻli", "f": " qizi"},
        {"m": (" ugli", " ogli", " o'g'li"), "f": (" kizi", " qizi")},
        {"m": (" угли", " ўғли"), "f": (" кизи", " қизи")},
    ),
    # Tatar: Рәшит Кәрим улы, Гүзәл Кәрим кызы
    "tatar": _Conv(
        "tt",
        {"m": " улы", "f": " кызы"},
        {"m": " uly", "f": " kyzy"},
        {"m": (" uly", " ulı", "uly"), "f": (" kyzy", " qızı")},
        {"m": (" улы", "улы"), "f": (" кызы", "кызы")},
    ),
}


def _latin_surname(latin: str, female: bool) -> str:
    """Russian-style surname in Latin from the father's Latin name: Serik -> Serikov."""
    base = _fold(latin)
    low = base.lower()
    if low.endswith(("ai", "ay")):
        base, suffix = base[:-1], "ev"
    elif low.endswith(("a", "e", "i", "o", "u", "y", "sh", "zh", "ch", "j")):
        suffix = "ev"
    else:
        suffix = "ov"
    return base + suffix + ("a" if female else "")


def _fold(text: str) -> str:
    """Latin without diacritics (Gülnar -> Gulnar), as typed on an English keyboard."""
    text = text.replace("ı", "i").replace("ʻ", "'")
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


@dataclass(frozen=True, slots=True)
class _Father:
    """Strings for one father's name, by child's gender ("m"/"f")."""

    native: dict[str, str]  # Серікұлы
    latin: dict[str, str]  # Serikuly
    russian: dict[str, str]  # Сериков
    bare_native: str
    bare_latin: str
    chinese: str
    arabic: str


def _father_strings(entry: NameEntry, conv: _Conv) -> _Father:
    return _Father(
        native={g: entry.native + conv.cyr_patr[g] for g in "mf"},
        latin={g: entry.latin + conv.lat_patr[g] for g in "mf"},
        russian={g: russian_surname(entry.russian, g == "f") for g in "mf"},
        bare_native=entry.native,
        bare_latin=entry.latin,
        chinese=entry.chinese,
        arabic=entry.arabic,
    )


_FATHERS: dict[str, _Father] = {
    e.key: _father_strings(e, _CONV[eth])
    for eth, by_g in POOLS.items()
    if eth != "hui"
    for e in by_g["m"]
}

# Probabilities that each form is recorded, per ethnicity. A form is (script, lang, kind).
# The official native form comes first; missing scripts are filled in to reach two.
_P = {
    #          official, latin(patronymic), latin(bare), chinese, arabic, russian, native cyr
    "kazakh": (0.85, 0.45, 0.15, 0.70, 0.20, 0.20, 0.0),
    "kyrgyz": (0.85, 0.45, 0.10, 0.60, 0.15, 0.20, 0.0),
    "uzbek": (0.80, 0.40, 0.10, 0.60, 0.30, 0.25, 0.0),
    "tatar": (0.80, 0.40, 0.10, 0.50, 0.20, 0.30, 0.0),
    # Uyghur: the official form is the Uyghur Arabic script; native Cyrillic is rarer.
    "uyghur": (0.55, 0.0, 0.55, 0.80, 0.0, 0.15, 0.10),
}


def _zipf_cumulative(
    n: int, top: float = TOP_NAME_SHARE, s: float = ZIPF_EXPONENT
) -> tuple[float, ...]:
    """Cumulative weights ``1 / (rank + q) ** s`` for ranks 1..n, with the shift ``q`` found by
    bisection so that rank 1 carries the share ``top``. A pool too small for that (n * top <= 1,
    e.g. the few Tatar names) is drawn uniformly."""
    if n * top <= 1.0:
        return tuple(float(i) for i in range(1, n + 1))

    def weights(q: float) -> list[float]:
        return [(r + q) ** -s for r in range(1, n + 1)]

    lo, hi = 0.0, float(n) * 100
    for _ in range(60):  # the top share falls as q grows
        q = (lo + hi) / 2
        w = weights(q)
        if w[0] / sum(w) > top:
            lo = q
        else:
            hi = q
    return tuple(accumulate(weights((lo + hi) / 2)))


# (ethnicity, gender) -> (entries in rank order, cumulative weights, total weight)
_DRAW: dict[tuple[str, str], tuple[tuple[NameEntry, ...], tuple[float, ...], float]] = {}
for _eth, _by_gender in POOLS.items():
    for _g, _entries in _by_gender.items():
        _cum = _zipf_cumulative(len(_entries))
        _DRAW[_eth, _g] = (_entries, _cum, _cum[-1])

_ETH_KEYS = tuple(ethnicity_weights)
_ETH_CUM = tuple(accumulate(ethnicity_weights.values()))
_ETH_TOTAL = _ETH_CUM[-1]
_SURNAME_CUM = tuple(accumulate(s.weight for s in HUI_SURNAMES))
_SURNAME_TOTAL = _SURNAME_CUM[-1]
_ISLAMIC_BY_GENDER = {g: tuple(n for n in ISLAMIC_NAMES if n.gender == g) for g in "mf"}
_SURNAMES_BY_KEY = {s.key: s for s in HUI_SURNAMES}
_ISLAMIC_BY_KEY = {n.key: n for n in ISLAMIC_NAMES}


def _build_turkic(
    eth: str, g: NameEntry, f: _Father, gender: str, r: random.Random
) -> list[NameForm]:
    p_off, p_lat, p_bare, p_zh, p_ar, p_ru, p_cyr = _P[eth]
    rnd = r.random
    lang = _CONV[eth].cyr_lang
    names: list[NameForm] = []
    has_latn = has_hani = False
    cyr = arab = False
    if eth == "uyghur":
        if rnd() < p_off:
            names.append(NameForm(g.arabic + " " + f.arabic, "Arab", "ug", "official"))
            arab = True
        if rnd() < p_cyr:
            names.append(NameForm(g.native + " " + f.bare_native, "Cyrl", "ug", "alias"))
            cyr = True
    elif rnd() < p_off:
        names.append(NameForm(g.native + " " + f.native[gender], "Cyrl", lang, "official"))
        cyr = True
    x = rnd()
    if x < p_lat:
        names.append(NameForm(g.latin + " " + f.latin[gender], "Latn", lang, "transliteration"))
        has_latn = True
    elif x < p_lat + p_bare:
        names.append(NameForm(g.latin + " " + f.bare_latin, "Latn", lang, "transliteration"))
        has_latn = True
    if rnd() < p_zh:
        names.append(NameForm(g.chinese + "·" + f.chinese, "Hani", "zh", "chinese"))
        has_hani = True
    if not arab and rnd() < p_ar:
        names.append(NameForm(g.arabic + " " + f.arabic, "Arab", lang, "transliteration"))
        arab = True
    if rnd() < p_ru:
        names.append(NameForm(g.russian + " " + f.russian[gender], "Cyrl", "ru", "transliteration"))
        cyr = True
    # At least two forms in at least two scripts.
    if has_latn + has_hani + arab + cyr < 2:
        if not has_latn:
            latin = f.latin[gender] if eth != "uyghur" else f.bare_latin
            names.append(NameForm(g.latin + " " + latin, "Latn", lang, "transliteration"))
            has_latn = True
        if has_latn + has_hani + arab + cyr < 2:
            names.append(NameForm(g.chinese + "·" + f.chinese, "Hani", "zh", "chinese"))
    return names


def _pick_surname(rnd: float) -> int:
    return bisect(_SURNAME_CUM, rnd * _SURNAME_TOTAL)


def _build_hui(
    g: NameEntry, surname_idx: int, gender: str, r: random.Random
) -> tuple[list[NameForm], str | None]:
    s = HUI_SURNAMES[surname_idx]
    rnd = r.random
    names = [NameForm(s.chinese + g.chinese, "Hani", "zh", "chinese")]
    x = rnd()
    has_latn = x < 0.80
    if has_latn:
        names.append(NameForm(s.pinyin + " " + g.latin, "Latn", "zh", "transliteration"))
    if rnd() < 0.35 or not has_latn:
        names.append(NameForm(s.russian + " " + g.russian, "Cyrl", "ru", "transliteration"))
    religious = None
    if rnd() < 0.15:
        pool = _ISLAMIC_BY_GENDER[gender]
        rel = pool[int(rnd() * len(pool))]
        religious = rel.key
        names.append(NameForm(rel.latin + " " + s.pinyin, "Latn", "en", "alias"))
    return names, religious


def generate_person(
    rng: random.Random, ethnicity: str | None = None, gender: str | None = None
) -> GeneratedPerson:
    """A synthetic person: random given name and father's name from the pools, with the
    forms of the name as they would be recorded. Deterministic for a seeded ``rng``."""
    rnd = rng.random
    if ethnicity is None:
        ethnicity = _ETH_KEYS[min(bisect(_ETH_CUM, rnd() * _ETH_TOTAL), len(_ETH_KEYS) - 1)]
    elif ethnicity not in POOLS:
        raise ValueError(f"unknown ethnicity {ethnicity!r}; one of {', '.join(POOLS)}")
    if gender is None:
        gender = "m" if rnd() < GENDER_MALE_SHARE else "f"
    elif gender not in ("m", "f"):
        raise ValueError("gender must be 'm' or 'f'")
    givens, g_cum, g_total = _DRAW[ethnicity, gender]
    fathers, f_cum, f_total = _DRAW[ethnicity, "m"]
    last_g, last_f = len(givens) - 1, len(fathers) - 1
    g = givens[min(bisect(g_cum, rnd() * g_total), last_g)]
    f = fathers[min(bisect(f_cum, rnd() * f_total), last_f)]
    # A son is rarely named after his father; some pairs are excluded (see BLOCKED_PAIRS).
    while f is g or (g.key, f.key) in BLOCKED_PAIRS:
        f = fathers[min(bisect(f_cum, rnd() * f_total), last_f)]
    if ethnicity == "hui":
        s_idx = min(_pick_surname(rnd()), len(HUI_SURNAMES) - 1)
        names, religious = _build_hui(g, s_idx, gender, rng)
        return GeneratedPerson(
            ethnicity, gender, g.key, f.key, names, HUI_SURNAMES[s_idx].key, religious
        )
    names = _build_turkic(ethnicity, g, _FATHERS[f.key], gender, rng)
    return GeneratedPerson(ethnicity, gender, g.key, f.key, names)


def generate_people(seed: int, count: int, **kwargs: str | None) -> list[GeneratedPerson]:
    """``count`` persons from ``random.Random(seed)``."""
    rng = random.Random(seed)
    return [generate_person(rng, **kwargs) for _ in range(count)]


# ---------------------------------------------------------------------------------------------
# Spelling variants (search queries)
# ---------------------------------------------------------------------------------------------

_CHINESE_SEPARATORS = ("", "", " ", ".", "•", "・")


def _pick(rnd: float, seq: tuple[str, ...] | list[str]) -> str:
    return seq[int(rnd * len(seq))]


def _variant_turkic(r: random.Random, p: GeneratedPerson, kind: str) -> str:
    g = ENTRIES[p.given]
    f = ENTRIES[p.father]
    conv = _CONV[p.ethnicity]
    sex = p.gender
    rnd = r.random
    if kind == "latin_variant":
        given = _pick(rnd(), g.latin_all)
        father = _pick(rnd(), f.latin_all)
        suffixes = conv.lat_patr_variants.get(sex, ())
        y = rnd()
        if suffixes and y < 0.5:
            return given + " " + father + _pick(rnd(), suffixes)
        if y < 0.75:
            return given + " " + _latin_surname(father, sex == "f")
        return given + " " + father
    if kind == "given_only":
        forms = (g.native, g.plain, g.chinese, g.russian, *g.latin_all)
        return _pick(rnd(), forms)
    if kind == "swapped":
        y = rnd()
        if y < 0.4:
            return _FATHERS[f.key].latin[sex] + " " + g.latin
        if y < 0.7:
            return _FATHERS[f.key].russian[sex] + " " + g.russian
        return _FATHERS[f.key].native[sex].strip() + " " + g.native
    if kind == "no_diacritics":
        lang = conv.cyr_lang
        if rnd() < 0.6:
            cyr_suffixes = conv.cyr_patr_variants.get(sex) or ("",)
            suffix = plain_cyrillic(_pick(rnd(), cyr_suffixes), lang)
            return g.plain + " " + plain_cyrillic(f.native, lang) + suffix
        return _fold(g.latin) + " " + _fold(_FATHERS[f.key].latin[sex])
    if kind == "chinese_no_dot":
        return g.chinese + _pick(rnd(), _CHINESE_SEPARATORS) + f.chinese
    if kind == "partial":
        n = 1 + int(rnd() * 3)
        y = rnd()
        if y < 0.4:
            return _pick(rnd(), g.latin_all) + " " + f.latin[:n]
        if y < 0.8:
            return g.native + " " + f.native[:n]
        return g.chinese + "·" + f.chinese[:1]
    if kind == "upper":
        given = _fold(_pick(rnd(), g.latin_all)).upper()
        return given + " " + _fold(_FATHERS[f.key].latin[sex]).upper()
    if kind == "russian":
        return g.russian + " " + _FATHERS[f.key].russian[sex]
    if kind == "russian_given":
        return g.russian
    if kind == "bare_father":
        return g.native + " " + f.native
    if kind == "pinyin":
        # The Chinese form romanised as in a Chinese passport: 古丽娜尔·赛力克 -> Gulinaer
        # Sailike, often in capitals, sometimes run together.
        y = rnd()
        if y < 0.55:
            return g.pinyin + " " + f.pinyin
        if y < 0.85:
            return (g.pinyin + " " + f.pinyin).upper()
        if y < 0.95:
            return g.pinyin + f.pinyin.lower()
        return (g.pinyin + f.pinyin).upper()
    raise ValueError(kind)


def _variant_hui(r: random.Random, p: GeneratedPerson, kind: str) -> str:
    g = ENTRIES[p.given]
    s = _SURNAMES_BY_KEY[p.surname or ""]
    rnd = r.random
    if kind == "pinyin_joined":
        return s.pinyin + g.latin.lower()
    if kind == "pinyin_split":
        spelling = _pick(rnd(), g.latin_all)
        return s.pinyin + " " + spelling
    if kind == "reversed":
        return _pick(rnd(), g.latin_all) + " " + s.pinyin
    if kind == "upper":
        return (s.pinyin + " " + g.latin).upper()
    if kind == "russian":
        return s.russian + " " + g.russian
    if kind == "chinese_spaced":
        return s.chinese + " " + g.chinese
    if kind == "given_only":
        return _pick(rnd(), (g.chinese, g.latin, g.russian))
    if kind == "religious":
        rel = _ISLAMIC_BY_KEY.get(p.religious_name or "")
        if rel is None:
            return s.pinyin + " " + g.latin
        return rel.russian + " " + s.russian + " " + g.russian
    raise ValueError(kind)


_TURKIC_KINDS = (
    ("latin_variant", 3.0),
    ("given_only", 1.0),
    ("swapped", 1.5),
    ("no_diacritics", 2.0),
    ("chinese_no_dot", 1.5),
    ("partial", 1.5),
    ("upper", 0.5),
    ("russian", 0.5),
    ("russian_given", 0.5),
    ("bare_father", 1.0),
    ("pinyin", 1.0),
)
_HUI_KINDS = (
    ("pinyin_joined", 1.5),
    ("pinyin_split", 1.5),
    ("reversed", 1.5),
    ("upper", 0.5),
    ("russian", 1.5),
    ("chinese_spaced", 1.0),
    ("given_only", 0.5),
    ("religious", 0.5),
)
_KIND_TABLES = {
    name: (tuple(k for k, _ in table), tuple(accumulate(w for _, w in table)))
    for name, table in (("turkic", _TURKIC_KINDS), ("hui", _HUI_KINDS))
}


def variant_query(rng: random.Random, person: GeneratedPerson) -> tuple[str, str]:
    """``(query, kind)``: a realistic query a volunteer might type for ``person``, and which
    kind of variation it is. Tries a few times to differ from every stored form."""
    hui = person.ethnicity == "hui"
    kinds, cum = _KIND_TABLES["hui" if hui else "turkic"]
    stored = {n.full_name.casefold() for n in person.names}
    query = kind = ""
    for _ in range(4):
        kind = kinds[min(bisect(cum, rng.random() * cum[-1]), len(kinds) - 1)]
        query = (_variant_hui if hui else _variant_turkic)(rng, person, kind)
        if query.casefold() not in stored:
            break
    return query, kind


def spelling_variant(rng: random.Random, person: GeneratedPerson) -> str:
    """A realistic query a volunteer might type for ``person``; not necessarily one of the
    stored forms (see :func:`variant_query`)."""
    return variant_query(rng, person)[0]


# ---------------------------------------------------------------------------------------------
# Occupations
# ---------------------------------------------------------------------------------------------

# English keys, with rough weights for the people in the group's cases.
OCCUPATIONS: dict[str, float] = {
    "farmer": 20.0,
    "herder": 12.0,
    "worker": 8.0,
    "businessman": 8.0,
    "trader": 6.0,
    "driver": 6.0,
    "teacher": 7.0,
    "student": 5.0,
    "civil_servant": 5.0,
    "retired": 6.0,
    "imam": 3.0,
    "doctor": 2.0,
    "nurse": 1.5,
    "engineer": 1.5,
    "accountant": 1.5,
    "cook": 1.5,
    "journalist": 0.5,
    "writer": 0.5,
    "artist": 0.5,
    "homemaker": 4.0,
}
_MALE_ONLY = frozenset({"imam"})
_OCC_CUM = {
    g: (keys, tuple(accumulate(OCCUPATIONS[k] for k in keys)))
    for g, keys in (
        ("m", tuple(OCCUPATIONS)),
        ("f", tuple(k for k in OCCUPATIONS if k not in _MALE_ONLY)),
    )
}


def random_occupation(rng: random.Random, gender: str = "m", age: int | None = None) -> str:
    """An occupation key from ``OCCUPATIONS``; young people are mostly students, old people
    mostly retired, imams are men."""
    if age is not None:
        if age < 23 and rng.random() < 0.7:
            return "student"
        if age >= 63 and rng.random() < 0.7:
            return "retired"
    keys, cum = _OCC_CUM["f" if gender == "f" else "m"]
    return keys[min(bisect(cum, rng.random() * cum[-1]), len(keys) - 1)]
