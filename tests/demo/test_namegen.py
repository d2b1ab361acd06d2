"""Synthetic name pools and generator (pure Python, no Django, no timing)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import unicodedata
from collections import Counter

import pytest

from aigaq.demo.namegen import (
    FORM_KINDS,
    OCCUPATIONS,
    ethnicity_weights,
    generate_people,
    generate_person,
    random_occupation,
    spelling_variant,
    variant_query,
)
from aigaq.demo.pools import (
    BLOCKED_PAIRS,
    ENTRIES,
    HUI_SURNAMES,
    ISLAMIC_NAMES,
    POOLS,
    kazakh_arabic,
    kyrgyz_arabic,
    uly_to_arabic,
    uly_to_cyrillic,
)

CYRILLIC = re.compile(r"^[\u0400-\u04FF]+(?:[ -][\u0400-\u04FF]+)*$")
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024Fʻ']+(?:[ -][A-Za-z\u00C0-\u024Fʻ']+)*$")
ARABIC = re.compile(r"^[\u0600-\u06FF]+(?: [\u0600-\u06FF]+)*$")
HAN = re.compile(r"^[\u4E00-\u9FFF]+$")
SCRIPT_RE = {
    "Cyrl": re.compile(r"[\u0400-\u04FF]"),
    "Latn": re.compile(r"[A-Za-z]"),
    "Arab": re.compile(r"[\u0600-\u06FF]"),
    "Hani": re.compile(r"[\u4E00-\u9FFF]"),
}
NOT_RUSSIAN = set("әғқңөұүһіҳўҗӘҒҚҢӨҰҮҺІҲЎҖ")
ALL_ENTRIES = list(ENTRIES.values())


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("ı", "i"))
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


# --- pools -----------------------------------------------------------------------------------


def test_pool_sizes() -> None:
    def size(eth: str, g: str) -> int:
        return len(POOLS[eth][g])

    for eth in ("kazakh", "uyghur"):
        assert size(eth, "m") >= 60 and size(eth, "f") >= 60, eth
    for eth in ("kyrgyz", "hui"):
        assert size(eth, "m") >= 30 and size(eth, "f") >= 30, eth
    for eth in ("uzbek", "tatar"):
        assert size(eth, "m") >= 5 and size(eth, "f") >= 5, eth
    assert set(ethnicity_weights) == set(POOLS)
    assert len(HUI_SURNAMES) >= 10 and len(ISLAMIC_NAMES) >= 10


@pytest.mark.parametrize("entry", ALL_ENTRIES, ids=lambda e: e.key)
def test_every_entry_has_every_script(entry) -> None:
    assert entry.key.startswith(f"{entry.ethnicity}.{entry.gender}.")
    if entry.ethnicity == "hui":
        assert HAN.match(entry.native)
        assert entry.arabic == ""
    else:
        assert CYRILLIC.match(entry.native), entry.native
        assert ARABIC.match(entry.arabic), entry.arabic
    assert CYRILLIC.match(entry.russian), entry.russian
    assert not NOT_RUSSIAN & set(entry.russian), entry.russian
    assert HAN.match(entry.chinese), entry.chinese
    assert LATIN.match(entry.latin), entry.latin
    if entry.ethnicity == "hui" and len(entry.native) == 1:
        assert entry.latin_variants == ()  # one pinyin syllable has one spelling
    else:
        assert 1 <= len(entry.latin_variants) <= 3, entry.latin_variants
    for variant in entry.latin_variants:
        assert LATIN.match(variant), variant
        assert variant != entry.latin
    assert CYRILLIC.match(entry.plain) or entry.ethnicity == "hui"


@pytest.mark.parametrize(
    "native",
    ["Нұрлан", "Серік", "Қайрат", "Әділ", "Ғалым", "Гүлнар", "Айнұр", "Сәуле", "Жақсылық"],
)
def test_kazakh_spot_checks(native: str) -> None:
    assert native in {e.native for e in POOLS["kazakh"]["m"] + POOLS["kazakh"]["f"]}


@pytest.mark.parametrize("entry", POOLS["kazakh"]["m"] + POOLS["kazakh"]["f"], ids=lambda e: e.key)
def test_kazakh_cyrillic_uses_kazakh_letters(entry) -> None:
    native = entry.native.lower()
    # Russian-only letters have no place in a Kazakh given name.
    assert not set(native) & set("ьёщъэ"), entry.native
    # The Chinese rendering gives the name away: 古丽 is gül (front), 努尔 is nur (back).
    if entry.chinese.startswith("古丽"):
        assert native.startswith("гүл"), entry.native
    if entry.chinese.startswith("努尔"):
        assert native.startswith("нұр"), entry.native
    if entry.chinese.endswith("别克"):
        assert native.endswith("бек"), entry.native
    latin = " ".join(entry.latin_all).lower()
    if "q" in latin:
        assert "қ" in native, entry.native
    if "ä" in latin:
        assert "ә" in native, entry.native
    if "ü" in latin:
        assert "ү" in native, entry.native
    if "ğ" in latin or "gh" in latin:
        assert "ғ" in native, entry.native
    if set(native) & set("әғқңөұүһі"):
        assert entry.plain != entry.native


@pytest.mark.parametrize("entry", POOLS["kyrgyz"]["m"] + POOLS["kyrgyz"]["f"], ids=lambda e: e.key)
def test_kyrgyz_cyrillic_uses_kyrgyz_letters(entry) -> None:
    native = entry.native.lower()
    assert not set(native) & set("әғқұһі"), entry.native  # Kazakh, not Kyrgyz
    if entry.chinese.startswith("古丽") or "古丽" in entry.chinese:
        assert "гүл" in native, entry.native


def test_arabic_script_rules() -> None:
    # Kazakh Arabic: hamza before front-vowel words without ە ك گ
    assert kazakh_arabic("Әділ") == "\u0674ادىل"
    assert kazakh_arabic("Серік") == "سەرىك"
    assert kazakh_arabic("Нұрлан") == "نۇرلان"
    assert kazakh_arabic("Гүлнар") == "گۇلنار"
    # Uyghur Arabic script: a word-initial vowel is carried by ئ
    assert uly_to_arabic("Memet") == "مەمەت"
    assert uly_to_arabic("Ablimit") == "ئابلىمىت"
    assert uly_to_arabic("Tursun'gül") == "تۇرسۇنگۈل"
    assert uly_to_cyrillic("Memet") == "Мәмәт"
    assert uly_to_cyrillic("Yaqup") == "Яқуп"
    # Kyrgyz Arabic: ۅ ۉ, and ق/ك by vowel harmony
    assert kyrgyz_arabic("Бекзат") == "بەكزات"
    assert kyrgyz_arabic("Айгүл") == "ايگۉل"


def test_chinese_renderings_use_standard_syllables() -> None:
    by_latin = {e.latin: e.chinese for e in POOLS["kazakh"]["m"] + POOLS["kazakh"]["f"]}
    assert by_latin["Gulnar"] == "古丽娜尔"
    assert by_latin["Nurlan"] == "努尔兰"
    assert by_latin["Serik"] == "赛力克"
    assert {e.latin: e.chinese for e in POOLS["uyghur"]["m"]}["Memet"] == "买买提"
    assert {e.latin: e.chinese for e in POOLS["uyghur"]["m"]}["Erkin"] == "艾尔肯"


# --- generator -------------------------------------------------------------------------------


def test_deterministic_for_a_seed() -> None:
    def run(seed: int) -> list[tuple]:
        rng = random.Random(seed)
        out = []
        for _ in range(500):
            p = generate_person(rng)
            out.append((p.ethnicity, p.gender, p.given, p.father, tuple(p.names)))
            out.append((spelling_variant(rng, p),))
        return out

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert generate_people(3, 50) == generate_people(3, 50)


def test_generated_persons_have_mixed_scripts() -> None:
    rng = random.Random(2024)
    people = [generate_person(rng) for _ in range(5000)]
    ethnicities = Counter(p.ethnicity for p in people)
    assert ethnicities.most_common(1)[0][0] == "kazakh"
    assert set(ethnicities) == set(POOLS)
    scripts_seen: Counter[str] = Counter()
    form_counts = []
    for p in people:
        given, father = ENTRIES[p.given], ENTRIES[p.father]
        assert given.ethnicity == father.ethnicity == p.ethnicity
        assert given.gender == p.gender and father.gender == "m"
        assert (p.given, p.father) not in BLOCKED_PAIRS
        assert len(p.names) >= 2
        scripts = {n.script for n in p.names}
        assert len(scripts) >= 2, p.names
        for n in p.names:
            assert n.kind in FORM_KINDS
            assert SCRIPT_RE[n.script].search(n.full_name), n
            scripts_seen[n.script] += 1
        if p.ethnicity == "hui":
            assert p.surname is not None
        form_counts.append(len(p.names))
    assert 2.0 <= sum(form_counts) / len(form_counts) <= 3.5
    assert set(scripts_seen) == {"Cyrl", "Latn", "Arab", "Hani"}
    # Arabic script and Russian passport forms appear, but only sometimes.
    assert 0.05 < scripts_seen["Arab"] / len(people) < 0.5
    langs = Counter(n.lang for p in people for n in p.names)
    assert 0.05 < langs["ru"] / len(people) < 0.5


def test_forms_follow_naming_practice() -> None:
    rng = random.Random(5)
    for _ in range(300):
        p = generate_person(rng, "kazakh", "f")
        given, father = ENTRIES[p.given], ENTRIES[p.father]
        for n in p.names:
            if n.kind == "chinese":
                assert n.full_name == f"{given.chinese}·{father.chinese}"
            if n.kind == "official":
                assert n.full_name == f"{given.native} {father.native}қызы"
            if n.lang == "ru":
                assert n.full_name.endswith(("ова", "ева"))
    for _ in range(300):
        p = generate_person(rng, "kyrgyz", "m")
        for n in p.names:
            if n.kind == "official":
                assert n.full_name.endswith(" уулу")
    for _ in range(300):
        p = generate_person(rng, "uyghur")
        for n in p.names:
            if n.kind == "official":
                assert n.script == "Arab"


def test_forced_and_invalid_arguments() -> None:
    rng = random.Random(1)
    for eth in POOLS:
        for gender in "mf":
            p = generate_person(rng, eth, gender)
            assert (p.ethnicity, p.gender) == (eth, gender)
    with pytest.raises(ValueError):
        generate_person(rng, "martian")
    with pytest.raises(ValueError):
        generate_person(rng, "kazakh", "x")


def test_variants_differ_but_name_the_same_person() -> None:
    rng = random.Random(99)
    differ = 0
    kinds: Counter[str] = Counter()
    total = 4000
    for _ in range(total):
        p = generate_person(rng)
        query, kind = variant_query(rng, p)
        kinds[kind] += 1
        assert query.strip()
        stored = {n.full_name.casefold() for n in p.names}
        if query.casefold() not in stored:
            differ += 1
        given_forms = {_norm(f) for f in ENTRIES[p.given].surface_forms()}
        q = _norm(query)
        assert any(f and f in q for f in given_forms), (query, p.names)
    assert differ / total > 0.8
    assert {"latin_variant", "swapped", "no_diacritics", "chinese_no_dot", "partial"} <= set(kinds)


def test_missing_diacritics_variant_looks_like_a_russian_keyboard() -> None:
    rng = random.Random(4)
    seen = 0
    for _ in range(2000):
        p = generate_person(rng, "kazakh")
        query, kind = variant_query(rng, p)
        if kind == "no_diacritics":
            seen += 1
            assert not set(query) & set("әғқңөұүһі"), query
    assert seen > 50


# --- occupations and purity ------------------------------------------------------------------


def test_occupations() -> None:
    rng = random.Random(3)
    drawn = Counter(random_occupation(rng, "m") for _ in range(5000))
    assert set(drawn) <= set(OCCUPATIONS)
    assert {"farmer", "teacher", "imam", "businessman", "driver", "herder", "student"} <= set(drawn)
    assert "imam" not in {random_occupation(rng, "f") for _ in range(3000)}
    assert Counter(random_occupation(rng, "m", age=70) for _ in range(1000))["retired"] > 600
    assert Counter(random_occupation(rng, "f", age=19) for _ in range(1000))["student"] > 600


def test_no_django_import() -> None:
    code = (
        "import sys, aigaq.demo.namegen, aigaq.demo.pools;"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
