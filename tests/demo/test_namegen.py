"""Synthetic name pools and generator (pure Python, no Django, no timing)."""

from __future__ import annotations

import os
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
    TOP_NAME_SHARE,
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
    chinese_pinyin,
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
    """Distinct given names per pool, hand-written whole names and compounds together. The
    female Turkic pools stay smaller: fewer women's names are compounds of parts with a settled
    Chinese rendering (see the pools module)."""

    def size(eth: str, g: str) -> int:
        return len({e.key for e in POOLS[eth][g]})

    minimum = {
        ("kazakh", "m"): 400, ("kazakh", "f"): 120,
        ("uyghur", "m"): 170, ("uyghur", "f"): 85,
        ("kyrgyz", "m"): 125, ("kyrgyz", "f"): 55,
        ("hui", "m"): 500, ("hui", "f"): 500,
        ("uzbek", "m"): 10, ("uzbek", "f"): 10,
        ("tatar", "m"): 5, ("tatar", "f"): 5,
    }  # fmt: skip
    for (eth, g), n in minimum.items():
        assert size(eth, g) >= n, (eth, g, size(eth, g))
        assert size(eth, g) == len(POOLS[eth][g])  # no key twice in a pool
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
    assert re.fullmatch(r"[A-Z][a-z]+", entry.pinyin), entry.pinyin


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


# --- compound given names --------------------------------------------------------------------


# (key, native, standard Latin, one Latin variant, Russian, Chinese)
COMPOUNDS = [
    ("kazakh.m.tursynbek", "Тұрсынбек", "Tursynbek", "Tursunbek", "Турсынбек", "吐尔逊别克"),
    ("kazakh.m.nursultan", "Нұрсұлтан", "Nursultan", "Noursultan", "Нурсултан", "努尔苏力坦"),
    ("kazakh.m.bakytzhan", "Бақытжан", "Bakytzhan", "Bakytjan", "Бакытжан", "巴合提江"),
    ("kazakh.m.esenbai", "Есенбай", "Esenbai", "Esenbay", "Есенбай", "叶森拜"),
    ("kazakh.m.serikbol", "Серікбол", "Serikbol", "Serykbol", "Серикбол", "赛力克波力"),
    ("kazakh.m.erbolat", "Ерболат", "Erbolat", "Yerbolat", "Ерболат", "叶尔波拉提"),
    ("kazakh.f.gulzhamal", "Гүлжамал", "Gulzhamal", "Guljamal", "Гульжамал", "古丽加玛丽"),
    ("kazakh.f.aizhamal", "Айжамал", "Aizhamal", "Ayzhamal", "Айжамал", "阿依加玛丽"),
    ("kazakh.f.kunsulu", "Күнсұлу", "Kunsulu", "Künsulu", "Кунсулу", "昆苏鲁"),
    ("kazakh.f.akgul", "Ақгүл", "Akgul", "Aqgul", "Акгуль", "阿克古丽"),
    ("kyrgyz.m.tursunbek", "Турсунбек", "Tursunbek", "Tursounbek", "Турсунбек", "吐尔逊别克"),
    ("kyrgyz.f.nursuluu", "Нурсулуу", "Nursuluu", "Nursulu", "Нурсулуу", "努尔苏鲁"),
    (
        "uyghur.m.abdusattar",
        "Абдусаттар",
        "Abdusattar",
        "Abdusatar",
        "Абдусаттар",
        "阿不都沙塔尔",
    ),
    ("uyghur.m.memetjan", "Мәмәтҗан", "Memetjan", "Mamatjan", "Маметжан", "买买提江"),
    ("uyghur.f.rozigul", "Розигүл", "Rozigül", "Rozigul", "Розигуль", "肉孜古丽"),
]


@pytest.mark.parametrize(
    ("key", "native", "latin", "variant", "russian", "chinese"),
    COMPOUNDS,
    ids=[c[0] for c in COMPOUNDS],
)
def test_compound_renderings(key, native, latin, variant, russian, chinese) -> None:
    e = ENTRIES[key]
    assert (e.native, e.latin, e.russian, e.chinese) == (native, latin, russian, chinese)
    assert variant in e.latin_variants, e.latin_variants
    # Arabic script from the whole native spelling (Kazakh, Kyrgyz) or ULY reading (Uyghur).
    if e.ethnicity == "kazakh":
        assert e.arabic == kazakh_arabic(native)
    elif e.ethnicity == "kyrgyz":
        assert e.arabic == kyrgyz_arabic(native)
    else:
        assert e.arabic == uly_to_arabic(latin)


def test_compound_spelling_rules() -> None:
    # Kazakh ғ of -ғали becomes қ after a voiceless consonant, as written.
    assert "kazakh.m.zhumagali" in ENTRIES and ENTRIES["kazakh.m.zhumagali"].native == "Жұмағали"
    assert ENTRIES["kazakh.m.serikkali"].native == "Серікқали"
    assert not any(e.native == "Серікғали" for e in ENTRIES.values())
    # Uyghur ULY keeps n + g apart at the seam: Reyhan'gül is written ...نگ..., not ...ڭ...
    reyhangul = ENTRIES["uyghur.f.reyhangul"]
    assert reyhangul.arabic == uly_to_arabic("Reyhan'gül") and "ڭ" not in reyhangul.arabic
    # No doubles (Гүлгүл) and no doubled letter at a seam (Жан + нұр).
    natives = [e.native.lower() for e in ENTRIES.values()]
    assert "гүлгүл" not in natives and "нұрнұр" not in natives and "жаннұр" not in natives
    # The hand-written entry wins over the compound with the same key, and comes first.
    serikzhan = ENTRIES["kazakh.m.serikzhan"]
    assert serikzhan.latin_variants == ("Serikjan", "Serykzhan", "Serikdzhan")
    kazakh_m = [e.key for e in POOLS["kazakh"]["m"]]
    assert kazakh_m.index("kazakh.m.serikzhan") < kazakh_m.index("kazakh.m.tursynbek")
    # A name used for men is not made again as a woman's name (Нұржан).
    assert "kazakh.m.nurzhan" in ENTRIES and "kazakh.f.nurzhan" not in ENTRIES


def test_hui_given_names() -> None:
    for gender in "mf":
        pool = POOLS["hui"][gender]
        assert pool[0].native == ("学文" if gender == "m" else "玉兰")  # hand-listed first
        assert {len(e.native) for e in pool} == {1, 2}
        assert all(e.native[0] != e.native[-1] for e in pool if len(e.native) == 2)
    male = {e.native for e in POOLS["hui"]["m"]}
    female = {e.native for e in POOLS["hui"]["f"]}
    assert "建华" in male and "秀兰" in female and "秀兰" not in male
    assert ENTRIES["hui.m.jianhua"].russian == "Цзяньхуа"
    assert ENTRIES["hui.m.jianhua"].latin_variants == ("Jian Hua", "Jian-hua")


# --- passport pinyin -------------------------------------------------------------------------


def test_pinyin_of_chinese_renderings() -> None:
    assert chinese_pinyin("古丽娜尔") == "Gulinaer"
    assert chinese_pinyin("赛力克") == "Sailike"
    assert ENTRIES["kazakh.f.gulnar"].pinyin == "Gulinaer"
    assert ENTRIES["kazakh.m.tursynbek"].pinyin == "Tuerxunbieke"
    assert ENTRIES["uyghur.m.abdurehim"].pinyin == "Abudureyimu"
    assert ENTRIES["hui.m.jianhua"].pinyin == "Jianhua"


def test_pinyin_table_covers_every_character() -> None:
    from aigaq.demo import pools

    used = {ch for e in ENTRIES.values() for ch in e.chinese}
    assert used <= set(pools._PINYIN), used - set(pools._PINYIN)


def test_pinyin_table_agrees_with_pypinyin() -> None:
    """The hand-written readings are pypinyin's, except where a name reads a character in
    another of its readings (勒 le as in 阿勒泰 Aletai, 都 du as in 阿不都 Abudu)."""
    pypinyin = pytest.importorskip("pypinyin")
    from aigaq.demo import pools

    name_readings = {"勒": "le", "都": "du"}
    for ch, reading in pools._PINYIN.items():
        expected = name_readings.get(ch) or pypinyin.lazy_pinyin(ch)[0]
        assert reading == expected, (ch, reading, expected)
        heteronyms = pypinyin.pinyin(ch, style=pypinyin.Style.NORMAL, heteronym=True)[0]
        assert reading in heteronyms, (ch, reading, heteronyms)


def test_pinyin_query_kind() -> None:
    rng = random.Random(11)
    seen: Counter[str] = Counter()
    for _ in range(3000):
        p = generate_person(rng, "kazakh")
        query, kind = variant_query(rng, p)
        if kind != "pinyin":
            continue
        g, f = ENTRIES[p.given].pinyin, ENTRIES[p.father].pinyin
        assert query in {f"{g} {f}", f"{g} {f}".upper(), g + f.lower(), (g + f).upper()}, query
        assert query.isascii()
        seen["upper" if query.isupper() else "mixed"] += 1
        seen["joined" if " " not in query else "spaced"] += 1
    assert seen["mixed"] > 50 and seen["upper"] > 20 and seen["joined"] > 5
    # The Hui persons' names are pinyin already: no such kind for them.
    rng = random.Random(12)
    assert all(variant_query(rng, generate_person(rng, "hui"))[1] != "pinyin" for _ in range(500))


# --- public figures --------------------------------------------------------------------------


# Some of the names the pools could otherwise spell: (given key, father key).
PUBLIC_FIGURE_PAIRS = [
    ("uyghur.f.mihrigul", "uyghur.m.tursun"),  # Mihrigul Tursun
    ("uyghur.f.rabiye", "uyghur.m.qadir"),  # Rebiya Kadeer
    ("uyghur.m.ilham", "uyghur.m.toxti"),  # Ilham Tohti
    ("uyghur.m.perhat", "uyghur.m.tursun"),  # Perhat Tursun
    ("uyghur.m.ilshat", "uyghur.m.hesen"),  # Ilshat Hassan
    ("uyghur.m.yalqun", "uyghur.m.rozi"),  # Yalqun Rozi
    ("kazakh.m.erzhan", "kazakh.m.kurban"),  # Erzhan Qurban
    ("kazakh.f.zhanargul", "kazakh.m.zhumatai"),  # Zhanargul Zhumatai: two compounds
]


def test_public_figures_are_blocked() -> None:
    for pair in PUBLIC_FIGURE_PAIRS:
        assert pair[0] in ENTRIES and pair[1] in ENTRIES, pair
        assert pair in BLOCKED_PAIRS, pair
    # Matching is on every spelling: every entry spelt Mihrigul/Mehrigul paired with any
    # spelt Tursun is blocked, and names that do not coincide are not.
    mihrigul = [e for e in ENTRIES.values() if "mehrigul" in {_norm(v) for v in e.latin_all}]
    assert mihrigul and all((e.key, "uyghur.m.tursun") in BLOCKED_PAIRS for e in mihrigul)
    assert ("uyghur.f.gulnar", "uyghur.m.tursun") not in BLOCKED_PAIRS
    assert len(BLOCKED_PAIRS) < 100  # a short list of names, not whole families of names


def test_generator_never_spells_a_public_figure() -> None:
    rng = random.Random(13)
    for eth, gender in (("uyghur", "f"), ("uyghur", "m"), ("kazakh", "f")):
        for _ in range(20_000):
            p = generate_person(rng, eth, gender)
            assert (p.given, p.father) not in BLOCKED_PAIRS, (p.given, p.father)


# --- frequencies -----------------------------------------------------------------------------


@pytest.mark.parametrize(("eth", "gender"), [("kazakh", "m"), ("kazakh", "f"), ("uyghur", "m")])
def test_most_common_name_share(eth: str, gender: str) -> None:
    rng = random.Random(21)
    n = 40_000
    people = [generate_person(rng, eth, gender) for _ in range(n)]
    given = Counter(p.given for p in people)
    father = Counter(p.father for p in people)
    top_key, top = given.most_common(1)[0]
    assert 0.015 <= top / n <= 0.025, (top_key, top / n)
    assert 0.015 <= father.most_common(1)[0][1] / n <= 0.025
    assert abs(TOP_NAME_SHARE - top / n) < 0.004
    # Common names are the hand-written ones at the head of the pool: the first name of the
    # pool is among the most common, the last ones are rare but drawn.
    pool = POOLS[eth][gender]
    assert given[pool[0].key] >= given.most_common(5)[-1][1]
    head = sum(given[e.key] for e in pool[:10]) / 10
    tail = sum(given[e.key] for e in pool[-10:]) / 10
    assert head > 3 * tail > 0
    assert len(given) > 0.9 * len(pool)


def test_small_pools_are_drawn_uniformly() -> None:
    rng = random.Random(22)
    drawn = Counter(generate_person(rng, "tatar", "m").given for _ in range(9000))
    assert len(drawn) == len(POOLS["tatar"]["m"])
    assert max(drawn.values()) / min(drawn.values()) < 1.3


# --- generator -------------------------------------------------------------------------------


def test_deterministic_for_a_seed() -> None:
    def run(seed: int) -> list[tuple[object, ...]]:
        rng = random.Random(seed)
        out: list[tuple[object, ...]] = []
        for _ in range(500):
            p = generate_person(rng)
            out.append((p.ethnicity, p.gender, p.given, p.father, tuple(p.names)))
            out.append((spelling_variant(rng, p),))
        return out

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert generate_people(3, 50) == generate_people(3, 50)


def test_deterministic_across_processes() -> None:
    """The pools and the frequency tables do not depend on set or dict hash order: the same
    seed gives the same persons in processes with different hash seeds."""
    code = (
        "import random, hashlib;"
        "from aigaq.demo.namegen import generate_person, variant_query;"
        "r = random.Random(5); h = hashlib.sha256();"
        "[h.update(repr((p.given, p.father, p.names, variant_query(r, p))).encode())"
        " for p in (generate_person(r) for _ in range(3000))];"
        "print(h.hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1, digests


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
    assert "pinyin" in kinds


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
