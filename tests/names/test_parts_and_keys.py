"""Name parts, patronymic stems and match keys."""

from __future__ import annotations

import pytest

from aigaq.names import (
    BRIDGE_KINDS,
    KEY_KINDS,
    bridge_keys,
    match_keys,
    name_parts,
    stem,
    to_comparison,
)
from aigaq.names.parts import parse


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("Maksutkhanuly", "maksuthan"),
        ("Максутханов", "maksuthan"),
        ("Мақсұтханұлы", "maksuthan"),
        ("Серікқызы", "serik"),
        ("Serikkyzy", "serik"),
        ("Serikqizi", "serik"),
        ("Serıkqyzy", "serik"),
        ("Serikova", "serik"),
        ("Serikovna", "serik"),
        ("Serikovich", "serik"),
        ("Asanuly", "asan"),
        ("Asanulı", "asan"),
        ("Asanbekuulu", "asanbek"),
        ("Tokayev", "toka"),
        ("Токаев", "toka"),
        ("Sauytbayev", "sauitba"),
        ("Sauytbay", "sauitba"),
        ("Kunanbaevna", "kunanba"),
        ("Eva", "eva"),  # too short to be a stem plus suffix
        ("Gulnar", "gulnar"),
    ],
)
def test_stem_removes_patronymic_and_surname_suffixes(part: str, expected: str) -> None:
    assert stem(part) == expected


def test_comparison_form_keeps_the_suffix_and_the_double_letter_before_it() -> None:
    assert to_comparison("Серікқызы") == "serikkizi"
    assert to_comparison("Serikqyzy") == "serikkizi"
    assert to_comparison("Серикова") == "serikova"


def test_name_parts_keep_writing_order() -> None:
    assert name_parts("Серикова Гульнар") == ["serikova", "gulnar"]
    assert to_comparison("Gulnar  Serikqyzy") == "gulnar serikkizi"


def test_patronymic_written_apart_joins_the_word_before_it() -> None:
    assert name_parts("Nurlan Asan uly") == ["nurlan", "asanuli"]
    assert name_parts("Нурлан Асанбек уулу") == ["nurlan", "asanbekulu"]
    assert name_parts("Cholpon Toktogul kyzy") == ["cholpon", "toktogulkizi"]


@pytest.mark.parametrize("name", ["Aisulu", "Айсұлу", "Ақсұлу", "Gulsulu"])
def test_sulu_at_the_end_of_a_womans_name_is_no_patronymic(name: str) -> None:
    # -ulu attached is part of the name (сұлу, "beauty"); only уулу/uulu is Kyrgyz "son of".
    (part,) = parse(name)
    assert part.stem == part.folded and part.gender is None
    assert stem("Asanuulu") == "asan"
    assert [p.stem for p in parse("Асанбек уулу")] == ["asanbek"]


def test_words_in_characters_written_apart_are_not_read_as_a_chinese_name() -> None:
    # 苏 is a Chinese surname, but 赛力克·苏力坦 is Serik Sultan: 苏力坦 stays one part.
    assert len(parse("赛力克·苏力坦")) == 2
    assert {k for k in match_keys("赛力克·苏力坦") if k[0] == "s"} & match_keys("Serik Sultanuly")
    assert [p.folded for p in parse("苏力坦")] == ["su", "litan"]  # alone: a Chinese name


@pytest.mark.parametrize(
    ("han", "other"),
    [
        ("哈比提·铁木尔别克", "Ғабит Темірбекұлы"),
        ("卡米拉·哈力木别克", "Kamila Galymbekqyzy"),
        ("哈斯木·阿合买提汗", "Қасым Ахметханұлы"),
        ("阿扎马提·哈纳提", "Azamat Kanat"),
        ("穆海国", "Mu Haiguo"),  # a Hui name in one word: surname and given name
    ],
)
def test_bridge_keys_meet_where_whole_name_keys_do_not(han: str, other: str) -> None:
    whole = [{k for k in match_keys(s) if k[0] in "nsx"} for s in (han, other)]
    assert not whole[0] & whole[1]
    chinese, named = bridge_keys(han), bridge_keys(other)
    assert chinese and all(k.startswith("h:") for k in chinese)
    assert named and all(k.startswith("c:") for k in named)
    assert {k[2:] for k in chinese} & {k[2:] for k in named}
    assert {k.split(":", 1)[0] for k in chinese | named} <= set(BRIDGE_KINDS)


def test_bridge_keys_need_two_or_three_parts_and_stay_few() -> None:
    assert bridge_keys("Aisulu") == set() == bridge_keys("A B C D") == bridge_keys("🙂 ‍")
    # a long name in characters has many readings per part; its keys are capped
    assert 0 < len(bridge_keys("阿不都热合曼·买买提吐尔逊·阿不都克热木")) <= 16


def test_hyphenated_word_is_one_part() -> None:
    assert name_parts("Abdu-Rahman") == ["abdurahman"]


def test_every_key_carries_a_documented_kind_prefix() -> None:
    keys = match_keys("Гүлнар Серікқызы")
    assert keys
    assert {key.split(":", 1)[0] for key in keys} <= set(KEY_KINDS)
    assert "x:gulnar serikkizi" in keys
    assert "t:serik" in keys
    assert "t:gulnar" in keys


def test_keys_do_not_depend_on_the_order_of_parts() -> None:
    assert match_keys("Gulnar Serikova") == match_keys("Serikova Gulnar")
    assert match_keys("古丽娜尔·赛力克") == match_keys("赛力克·古丽娜尔")


def test_whole_name_keys_meet_across_scripts_and_suffixes() -> None:
    spellings = ["Гүлнар Серікқызы", "Gulnar Serikova", "گۇلنار سەرىكقىزى", "古丽娜尔·赛力克"]
    whole = [{k for k in match_keys(s) if k[0] in "ns"} for s in spellings]
    assert set.intersection(*whole)


@pytest.mark.parametrize(
    "spellings",
    [
        ["Оспан Серікұлы", "Osman Serikuly", "乌斯满·赛力克", "Usman Serikov"],
        ["Ибрагим Турсунов", "Ibrohim Tursun", "依布拉音·吐尔逊", "Ibrahim Tursun"],
        ["Жүсіп Асанұлы", "Yusuf Asan", "Jusup Asanov"],
        ["Adil Abdulbasit", "Адиль Абдубасит", "Adil Abdibasit"],
        # compounds of an equivalent name: Оспанхан = 乌斯满汗, Оспанғали = Osmangali
        ["Оспанхан Серікұлы", "乌斯满汗·赛力克", "Ospankhan Serikuly", "Usmankhan Serikov"],
        ["Оспанғали Асанұлы", "Osmangali Asanov", "乌斯满哈力·阿山"],
        ["Жүсіпбек Асанұлы", "Yusupbek Asanov"],
    ],
)
def test_equivalent_forms_of_a_name_share_whole_name_keys(spellings: list[str]) -> None:
    # Kazakh Оспан is Osman, Russian Ибрагим is Ibrahim: the forms other languages give one
    # name meet as a whole name, so search and duplicate blocking find them.
    whole = [{k for k in match_keys(s) if k[0] in "ns"} for s in spellings]
    assert set.intersection(*whole)


def test_only_a_compound_with_a_known_second_part_is_read_as_its_first_parts_class() -> None:
    (compound,) = parse("Оспанхан")
    assert compound.loose[0] == "usmanan"  # filed under Osman's class, as 乌斯满汗 is
    (other,) = parse("Ospanar")  # no compound tail: its own code first
    assert other.loose[0] == "uspanar"


def test_names_that_only_sound_close_are_not_made_equivalent() -> None:
    # Hasan and Asan are both in use among Kazakhs; Yusup and Yunus are different names.
    for a, b in [("Hasan Nurlan", "Asan Nurlan"), ("Yusup Ahmet", "Yunus Ahmet")]:
        assert not {k for k in match_keys(a) & match_keys(b) if k[0] in "ns"}


def test_a_spelling_in_two_classes_of_equivalents_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aigaq.names import parts

    monkeypatch.setattr(parts, "EQUIVALENT_NAMES", (("osman", "ospan"), ("ospan", "aspan")))
    parts._equivalent_codes.cache_clear()
    try:
        with pytest.raises(ValueError, match="two classes"):
            parts._equivalent_codes()
    finally:
        parts._equivalent_codes.cache_clear()


def test_joined_key_meets_a_name_split_differently() -> None:
    assert "j:" in "".join(match_keys("Abdurahman") & match_keys("Abdu Rahman"))


def test_per_part_keys_find_a_name_from_one_of_its_parts() -> None:
    assert match_keys("Maksutkhan") & match_keys("Yerlan Maksutkhanuly")
    assert match_keys("Нұрлан") & match_keys("Nurlan Asanov")


def test_han_of_the_supplementary_planes_glued_to_latin_is_read_without_endless_recursion() -> None:
    # U+20000 is Han to char_script but lay outside the old splitting pattern, so the word was
    # "split" into itself again and again (found by the API's fuzzing: a 500 on any search).
    from aigaq.names import match_keys

    assert match_keys("A\U00020000") == match_keys("A \U00020000")
    assert match_keys("〇A")
