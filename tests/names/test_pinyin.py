"""Pinyin spellings of Turkic names (Chinese passports) and Palladius spellings of Chinese names."""

from __future__ import annotations

import pytest
from pypinyin import Style
from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.style import convert

from aigaq.names import SAME_PERSON_THRESHOLD, match_keys, similarity, to_comparison
from aigaq.names.han import HAN_READINGS
from aigaq.names.keys import _add_sound_keys
from aigaq.names.palladius import PALLADIUS, palladius_pinyin
from aigaq.names.parts import parse, turkic_variant
from aigaq.names.pinyin import (
    _LEADING_CHARACTER,
    _TABLE,
    SYLLABLES,
    _character_syllables,
    segment,
    turkic_readings,
)
from aigaq.names.similarity import _similarity_parts


def whole_keys(name: str) -> set[str]:
    return {k for k in match_keys(name) if k[0] in "xnsj"}


def best(word: str) -> str:
    """The best Turkic reading of one pinyin word, folded as the comparison form folds it."""
    return to_comparison(turkic_readings(word)[1][0])


# ---------------------------------------------------------------- the syllable inventory


def test_the_inventory_is_pypinyins_syllables_less_interjections_and_dialect_ones() -> None:
    from_data = {
        convert(reading, Style.NORMAL, strict=True)
        for readings in pinyin_dict.values()
        for reading in readings.split(",")
    }
    left_out = {"m", "n", "ng", "hm", "hng", "ê"} | {
        "biang", "bong", "cei", "din", "fiao", "kei", "len", "nun", "tei", "wong",
    }  # fmt: skip
    assert from_data - SYLLABLES == left_out
    assert from_data >= SYLLABLES
    assert len(SYLLABLES) == 410


def test_every_transcription_character_reads_its_syllable_the_same_way() -> None:
    for ch, triple in HAN_READINGS.items():
        for syllable in _character_syllables(ch):
            assert syllable in SYLLABLES, ch
            assert triple in _TABLE[syllable], ch


def test_every_syllable_that_characters_read_differently_has_a_declared_leader() -> None:
    conflicts = {syllable for syllable, triples in _TABLE.items() if len(triples) > 1}
    assert conflicts == set(_LEADING_CHARACTER)
    for syllable, leader in _LEADING_CHARACTER.items():
        assert _TABLE[syllable][0] == HAN_READINGS[leader]


# ---------------------------------------------------------------- segmentation


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("maimaiti", ("mai", "mai", "ti")),
        ("tuerxun", ("tu", "er", "xun")),
        ("gulinaer", ("gu", "li", "na", "er")),  # not gu-lin-a-er: fewer apostrophes
        ("ayiguli", ("a", "yi", "gu", "li")),
        ("aihemaitijiang", ("ai", "he", "mai", "ti", "jiang")),
        ("xian", ("xian",)),  # fewer syllables win: 先, not 西安
        ("lvye", ("lv", "ye")),  # ü typed as v
        ("nuerlan", ("nu", "er", "lan")),
    ],
)
def test_a_pinyin_word_splits_into_its_syllables(word: str, syllables: tuple[str, ...]) -> None:
    assert segment(word)[0] == syllables


def test_the_folded_comparison_form_splits_too() -> None:
    # x is folded to h, y to i, w to u, e-er to er: the search re-reads what it stored.
    assert ("tu", "er", "xun") in segment("tuerhun")
    assert segment("kuanihi")[0] == ("kua", "ni", "xi")
    assert segment("umaier")[0] == ("wu", "mai", "er")
    assert segment("kader")[0] == ("ka", "de", "er")


@pytest.mark.parametrize(
    "word", ["serik", "nurlan", "gulnar", "dilnur", "jamila", "tursun", "memet", "serikkyzy", ""]
)
def test_turkic_spellings_are_not_pinyin(word: str) -> None:
    assert segment(word) == []
    assert turkic_readings(word) == (0, ())


def test_one_syllable_is_never_read_as_a_transcription() -> None:
    assert turkic_readings("wang") == (1, ())
    assert turkic_readings("ma") == (1, ())


def test_hostile_input_is_read_as_no_transcription_or_as_its_syllables() -> None:
    # Too long to be one name, or not pinyin at its end: no reading. (bench/names_bench.py
    # times these: the segmentation is bounded, never exponential in the word's length.)
    assert segment("ai" * 100) == []
    assert segment("gulinaer" * 40) == []
    assert segment("ai" * 15 + "x") == []
    assert segment("maimaiti" * 4)[0] == ("mai", "mai", "ti") * 4


# ---------------------------------------------------------------- readings


@pytest.mark.parametrize(
    ("word", "reading"),
    [
        ("maimaiti", "memet"),
        ("tuerxun", "tursun"),
        ("sailike", "selik"),  # 赛力克, read like Serik once l is read as r
        ("gulinaer", "gulnar"),
        ("ayiguli", "aigul"),
        ("nuerlan", "nurlan"),
        ("bieke", "bek"),
        ("yeerlan", "erlan"),
        ("kuwanixi", "kuanish"),
        ("aihemaitijiang", "ehmetijan"),
    ],
)
def test_syllables_read_as_the_characters_behind_them(word: str, reading: str) -> None:
    assert best(word) == reading


def test_the_character_reading_and_the_pinyin_reading_agree() -> None:
    for chinese, latin in [
        ("买买提", "Maimaiti"),
        ("古丽娜尔", "Gulinaer"),
        ("赛力克", "Sailike"),
        ("努尔兰", "Nuerlan"),
        ("阿依古丽", "Ayiguli"),
    ]:
        (han_part,) = parse(chinese)
        turkic = turkic_variant(parse(latin + " " + latin))
        assert turkic is not None
        assert turkic[0].folded == han_part.folded


def test_alternative_readings_are_kept() -> None:
    readings = turkic_readings("yusufu")[1]
    assert {"yusuf", "yusup"} <= set(readings)  # 夫 f and 甫 p share the syllable fu


# ---------------------------------------------------------------- whole names


def test_a_pinyin_passport_name_shares_whole_name_keys_with_the_turkic_forms() -> None:
    pinyin = whole_keys("MAIMAITI TUERXUN")
    assert {k for k in pinyin & whole_keys("Memet Tursun") if k[0] in "ns"}
    assert {k for k in pinyin & whole_keys("买买提·吐尔逊") if k[0] in "ns"}
    assert whole_keys("Gulinaer Sailike") & whole_keys("Гүлнар Серікқызы")


def test_a_pinyin_passport_name_is_similar_to_the_turkic_forms() -> None:
    assert similarity("Maimaiti Tuerxun", "Memet Tursun") >= SAME_PERSON_THRESHOLD
    assert similarity("Gulinaer Sailike", "Gulnar Serikqyzy") >= SAME_PERSON_THRESHOLD
    assert similarity("Aihemaitijiang Kasimu", "Ehmetjan Qasim") >= SAME_PERSON_THRESHOLD


def test_the_comparison_form_stays_the_plain_spelling_and_still_reads_back() -> None:
    assert to_comparison("Maimaiti Tuerxun") == "maimaiti tuerhun"
    stored = to_comparison("Maimaiti Tuerxun")
    assert similarity("Memet Tursun", stored) >= SAME_PERSON_THRESHOLD
    assert similarity("Gulnar Serikqyzy", to_comparison("Gulinaer Sailike")) >= 0.88


@pytest.mark.parametrize(
    "name",
    ["Asan", "Erlan", "Madina", "Zhuma", "Ma Ming", "Li Na", "Wang Fang", "Asan Erlan",
     "Madina Asanova", "Aisha Tursun", "Kamile Tursun", "Erkin Tursun", "Aisha Su", "Ma Xiaoli",
     "Hai Xiulan"],
)  # fmt: skip
def test_genuine_latin_and_chinese_names_get_no_second_reading(name: str) -> None:
    assert turkic_variant(parse(name)) is None


@pytest.mark.parametrize(
    "name", ["Asan", "Erlan", "Madina", "Aisha", "Zhuma", "Ma Ming", "Li Na", "Wang Fang", "Saule"]
)
def test_genuine_latin_names_lose_no_key(name: str) -> None:
    parts = parse(name)
    plain = {"x:" + " ".join(sorted(p.folded for p in parts))}
    _add_sound_keys(plain, parts)
    assert plain <= match_keys(name)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Aisha", "Aisha Tursun"),
        ("Aisha Tursun", "Aysha Tursunova"),
        ("Saule Asan", "Сәуле Асанқызы"),
        ("Ma Ming", "马明"),
        ("Li Na", "Li Nan"),
        ("Asan Erlan", "Hasan Erlan"),
    ],
)
def test_genuine_latin_names_lose_no_similarity(a: str, b: str) -> None:
    assert similarity(a, b) >= _similarity_parts(parse(a), parse(b))


def test_look_alike_pinyin_names_of_different_people_stay_apart() -> None:
    assert similarity("Maimaiti Tuerxun", "Mahmut Tursun") < SAME_PERSON_THRESHOLD
    assert similarity("Sailike Nuerlan", "Berik Nurlanuly") < SAME_PERSON_THRESHOLD
    assert similarity("Nuerlan Sailike", "Серік Нұрбекұлы") < SAME_PERSON_THRESHOLD


# ---------------------------------------------------------------- Palladius


@pytest.mark.parametrize(
    ("pinyin", "cyrillic"),
    [
        ("ma", "ма"), ("he", "хэ"), ("xin", "синь"), ("ming", "мин"), ("jian", "цзянь"),
        ("qiang", "цян"), ("zhang", "чжан"), ("rong", "жун"), ("zi", "цзы"), ("xue", "сюэ"),
        ("juan", "цзюань"), ("yu", "юй"), ("hui", "хуэй"), ("wei", "вэй"), ("luo", "ло"),
    ],
)  # fmt: skip
def test_palladius_spellings(pinyin: str, cyrillic: str) -> None:
    assert PALLADIUS[pinyin] == cyrillic


def test_palladius_words_read_back_as_pinyin() -> None:
    assert palladius_pinyin("синьминь") == ("xin", "min")
    assert palladius_pinyin("шихэцзы") == ("shi", "he", "zi")
    assert palladius_pinyin("серикова") == ()


def test_a_chinese_name_in_russian_spelling_meets_its_pinyin() -> None:
    assert to_comparison("Хэ Синьминь") == to_comparison("He Xinmin")
    assert to_comparison("Ма Гоцян") == to_comparison("马国强")
    assert "x:bin jin" in match_keys("Цзинь Бинь") & match_keys("Jin Bin")


def test_russian_spellings_of_turkic_names_are_not_read_as_palladius() -> None:
    assert to_comparison("Асан Серикович") == "asan serikovich"
    assert to_comparison("Айша Нурланова") == "aisha nurlanova"
    assert to_comparison("Гульнара Серикова") == "gulnara serikova"


def test_russian_g_for_arabic_h_meets_on_a_whole_name_key() -> None:
    assert whole_keys("Ибрагим Каримов") & whole_keys("Ibrahim Karim uly")
