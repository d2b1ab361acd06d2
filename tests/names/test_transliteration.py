"""Every transliteration table, letter by letter, down to the comparison form."""

from __future__ import annotations

import pytest

from aigaq.names import to_comparison


def same(*spellings: str) -> set[str]:
    return {to_comparison(s) for s in spellings}


@pytest.mark.parametrize(
    ("kazakh", "expected"),
    [
        ("Әлия", "alia"),  # ә
        ("Ғалым", "galim"),  # ғ
        ("Қанат", "kanat"),  # қ
        ("Мыңжасар", "mingjasar"),  # ң
        ("Өмір", "omir"),  # ө
        ("Нұрлан", "nurlan"),  # ұ
        ("Гүлнар", "gulnar"),  # ү
        ("Һидаят", "hidaiat"),  # һ
        ("Серік", "serik"),  # і
        ("Жанар", "janar"),  # ж
        ("Шоқан", "shokan"),  # ш
        ("Чапчал", "chapchal"),  # ч
        ("Хасен", "hasen"),  # х
        ("Ерлан", "erlan"),  # е at the start = ye
        ("Айбек", "aibek"),  # й
        ("Ықылас", "ikilas"),  # ы
    ],
)
def test_kazakh_cyrillic_letters_reach_the_comparison_form(kazakh: str, expected: str) -> None:
    assert to_comparison(kazakh) == expected


@pytest.mark.parametrize(
    ("russian", "expected"),
    [
        ("Гульнар", "gulnar"),  # ь dropped
        ("Юсуп", "iusup"),  # ю
        ("Ясин", "iasin"),  # я
        ("Фёдор", "fiodor"),  # ё
        ("Эльмира", "elmira"),  # э
        ("Щукин", "shukin"),  # щ
        ("Цой", "tsoi"),  # ц
        ("Объект", "obekt"),  # ъ
        ("Джамиля", "jamilia"),  # дж
    ],
)
def test_russian_cyrillic_letters_reach_the_comparison_form(russian: str, expected: str) -> None:
    assert to_comparison(russian) == expected


def test_kyrgyz_cyrillic_letters_and_long_vowels() -> None:
    assert to_comparison("Өмүрбек") == "omurbek"
    assert to_comparison("Чыңгыз") == "chingiz"
    assert to_comparison("Мээрим") == "merim"


def test_uyghur_cyrillic_letters() -> None:
    assert to_comparison("Әхмәтжан") == "ahmatjan"
    assert to_comparison("Җамал") == "jamal"
    assert to_comparison("Пәрһат") == "parhat"
    assert to_comparison("Өмәр") == "omar"


@pytest.mark.parametrize(
    ("arabic", "expected"),
    [
        ("ئابدۇرەھىم", "abdurehim"),  # ئ ا ب د ۇ ر ە ھ ى م
        ("گۈلنار", "gulnar"),  # گ ۈ
        ("ئۆمەر", "omer"),  # ۆ
        ("مېھرىبان", "mehriban"),  # ې
        ("ئابدۇۋەلى", "abdueli"),  # ۋ (w = u, then uu = u)
        ("تۇرغۇن", "turgun"),  # غ
        ("قۇربان", "kurban"),  # ق
        ("ئەخمەت", "ehmet"),  # خ
        ("يۈسۈپ", "iusup"),  # ي پ
        ("چۆچەك", "chochek"),  # چ ك
        ("شاڭ", "shang"),  # ش ڭ
        ("ژۇرنال", "jurnal"),  # ژ
        ("فاتىمە", "fatime"),  # ف
        ("زەينەپ", "zeinep"),  # ز
    ],
)
def test_uyghur_arabic_letters_reach_the_comparison_form(arabic: str, expected: str) -> None:
    assert to_comparison(arabic) == expected


@pytest.mark.parametrize(
    ("arabic", "expected"),
    [
        ("ٴبىلاش", "bilash"),  # high hamza marks a front-vowel word and is dropped
        ("ٴالىم", "alim"),
        ("عالىم", "galim"),  # Kazakh ع = ғ
        ("حاسەن", "hasen"),  # Kazakh ح = х
        ("ساۋلە", "saule"),  # ۋ = у
        ("نۇرلان اسانۇلى", "nurlan asanuli"),
        ("گۇلنار سەرىكقىزى", "gulnar serikkizi"),
    ],
)
def test_kazakh_arabic_script_as_written_in_xinjiang(arabic: str, expected: str) -> None:
    assert to_comparison(arabic) == expected


def test_uyghur_latin_uly_letters() -> None:
    assert to_comparison("Mëhriban") == "mehriban"  # ë
    assert to_comparison("Ömer Yüsüp") == "omer iusup"  # ö ü
    assert to_comparison("Turghun") == "turgun"  # gh
    assert to_comparison("Exmet") == "ehmet"  # x = kh
    assert to_comparison("Qasim") == "kasim"  # q
    assert to_comparison("Abduweli") == "abdueli"  # w
    assert to_comparison("Zhunus Chong Shah") == "junus chong shah"  # zh ch sh ng


def test_kazakh_latin_2021_letters() -> None:
    assert same("Äliya", "Ğalym", "Myñjasar", "Ömir", "Nūrlan", "Gülnar", "Şoqan", "Çolpan") == {
        "alia",
        "galim",
        "mingjasar",
        "omir",
        "nurlan",
        "gulnar",
        "shokan",
        "cholpan",
    }
    assert to_comparison("Serıkqyzy") == "serikkizi"  # ı


def test_kazakh_latin_2018_acute_letters() -> None:
    assert to_comparison("Álibek") == "alibek"
    assert to_comparison("Ǵalym") == "galim"
    assert to_comparison("Qońyr") == "kongir"
    assert to_comparison("Óskemen") == "oskemen"
    assert to_comparison("Gúlnar") == "gulnar"
    assert to_comparison("Sáýle") == "saule"


def test_kazakh_latin_2017_apostrophe_letters() -> None:
    assert to_comparison("A'libek") == "alibek"
    assert to_comparison("G'alym") == "galim"
    assert to_comparison("Myn'jasar") == "mingjasar"
    assert to_comparison("O'mir") == "omir"
    assert to_comparison("Gu'lnar") == "gulnar"
    assert to_comparison("S'oqan") == "shokan"
    assert to_comparison("C'olpan") == "cholpan"
    assert to_comparison("Ai'gul") == "aigul"
    assert to_comparison("Gu’lnar") == "gulnar"  # typographic apostrophe


def test_other_turkic_latin_letters_fold_too() -> None:
    assert to_comparison("Ərkin") == "erkin"  # Azerbaijani / Uyghur Yengi Yeziq ə
    assert to_comparison("Jeňiş") == "jengish"  # Turkmen ň
    assert to_comparison("Oʻgʻiloy") == "ogiloi"  # Uzbek oʻ gʻ
    assert to_comparison("Cengiz") == "jengiz"  # Turkish c


def test_comparison_form_folds_common_latin_spelling_variants() -> None:
    assert len(same("Maksutkhan", "Maqsutkhan", "Maksutxan", "Maqsuthan", "Максутхан")) == 1
    assert len(same("Zhanar", "Janar", "Жанар")) == 1
    assert len(same("Aigul", "Aygul", "Aıgul", "Айгүл")) == 1
    assert len(same("Sauytbay", "Sawytbay", "Sauitbai")) == 1
    assert len(same("Shynar", "Şynar", "Шынар")) == 1
    assert len(same("Chingiz", "Çingiz", "Чингиз")) == 1
    assert len(same("Ghalym", "Ğalym", "Galym")) == 1
    assert len(same("Mingjasar", "Miñjasar")) == 1
    assert len(same("Mukhammed", "Mukhamed", "Muhammed")) == 1
    assert len(same("Yerlan", "Erlan", "Ерлан")) == 1


def test_han_characters_use_turkic_transcription_values() -> None:
    assert to_comparison("古丽娜尔·赛力克") == "gulnar selik"
    assert to_comparison("阿依古丽") == "aigul"  # 阿依 = ay, 古丽 = gul
    assert to_comparison("叶尔江") == "erjan"  # 江 = jan
    assert to_comparison("努尔别克") == "nurbek"  # 努尔 = nur, 别克 = bek
    assert to_comparison("买买提") == "memet"
    assert to_comparison("吐尔逊") == "tursun"


def test_han_name_separators_all_split_parts() -> None:
    expected = "gulnar selik"
    for separator in ("·", "•", "・", ".", " ", "‧"):
        assert to_comparison(f"古丽娜尔{separator}赛力克") == expected


def test_han_syllables_are_joined_per_name_part_not_per_character() -> None:
    assert len(to_comparison("阿不都热依木").split()) == 1


def test_chinese_style_names_split_into_surname_and_given_name() -> None:
    assert to_comparison("马明") == "ma ming"
    assert to_comparison("王小明") == "uang hiaoming"  # pinyin w and x fold like Latin w, x
    assert to_comparison("Wang Xiaoming") == to_comparison("王小明")
