"""Script detection for whole names and for each word."""

from __future__ import annotations

import pytest

from aigaq.names import detect_script, token_scripts


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Gulnar Serikqyzy", "latin"),
        ("Gülnar Serıkqyzy", "latin"),
        ("Ürümchi Qeshqer ë", "latin"),
        ("Гүлнар Серікқызы", "cyrillic"),
        ("Гульнар Серикова", "cyrillic"),
        ("Чолпон Өмүрбек кызы", "cyrillic"),
        ("گۈلنار ئابدۇرەھىم", "arabic"),
        ("ٴبىلاش", "arabic"),
        ("古丽娜尔·赛力克", "han"),
        ("马明", "han"),
        ("Gulnar Гүлнар", "mixed"),
        ("古丽娜尔 Gulnar", "mixed"),
        ("Γιώργος", "other"),
        ("", "other"),
        ("123 🌸 ...", "other"),
    ],
)
def test_detect_script_names_the_single_script_of_the_letters(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_detect_script_ignores_invisible_characters_and_punctuation() -> None:
    assert detect_script("\u202bگۈلنار\u202c, 🌸") == "arabic"


def test_token_scripts_gives_each_word_its_script_in_order() -> None:
    assert token_scripts("Гүлнар Serikqyzy 古丽娜尔 گۈلنار") == [
        ("гүлнар", "cyrillic"),
        ("serikqyzy", "latin"),
        ("古丽娜尔", "han"),
        ("گۈلنار", "arabic"),
    ]


def test_token_scripts_reports_a_word_typed_with_two_keyboards_as_mixed() -> None:
    assert token_scripts("Cерік") == [("cерік", "mixed")]
