"""Messages to families: files a coordinator edits, filled from the case, in Kazakh and
Russian; a broken file is named, never half shown."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from aigaq.casework.messaging import (
    PACKAGE_MESSAGES,
    MessageError,
    MessageIncomplete,
    all_messages,
    load_message,
)

CASE = {
    "person": "Серік Оспанұлы",
    "testifier": "Гүлжан",
    "volunteer": "Айнұр",
    "petition": "x",
    "form": "WGEID",
    "registration_no": "ЖТ-2024-117",
    "sent_on": "2024-05-02",
    "answered_on": "2024-07-01",
    "hearing_on": "2024-09-10",
}


@pytest.fixture
def own_folder(tmp_path: Path, monkeypatch: Any) -> Path:
    folder = tmp_path / "family_messages"
    shutil.copytree(PACKAGE_MESSAGES, folder)
    monkeypatch.setenv("AIGAQ_FAMILY_MESSAGES", str(folder))
    return folder


def test_the_three_messages_are_there_in_kazakh_and_russian() -> None:
    found, errors = all_messages()
    assert errors == []
    assert {m.name for m in found} == {"petition_sent", "answer_came", "hearing_date"}
    for m in found:
        assert set(m.texts) >= {"kk", "ru"}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_message_is_filled_from_the_case(lang: str) -> None:
    text = load_message("petition_sent").render(lang, CASE)
    for value in ("Серік Оспанұлы", "Гүлжан", "WGEID", "ЖТ-2024-117", "2024-05-02", "Айнұр"):
        assert value in text
    assert "{{" not in text and "{%" not in text


def test_a_message_is_not_shown_with_a_blank_where_a_fact_should_be() -> None:
    with pytest.raises(MessageIncomplete, match="hearing date"):
        load_message("hearing_date").render("ru", {**CASE, "hearing_on": ""})


def test_an_edit_takes_effect_at_once(own_folder: Path) -> None:
    path = own_folder / "hearing_date.toml"
    path.write_text(path.read_text().replace("Сұрақтарыңыз", "Сұрақ болса"), encoding="utf-8")
    assert "Сұрақ болса" in load_message("hearing_date").render("kk", CASE)


def test_a_template_syntax_error_is_named_with_its_file(own_folder: Path) -> None:
    path = own_folder / "answer_came.toml"
    path.write_text(path.read_text().replace("{% endif %}", "", 1), encoding="utf-8")
    with pytest.raises(MessageError) as exc:
        load_message("answer_came")
    assert "answer_came.toml" in str(exc.value)
    found, errors = all_messages()
    assert "answer_came" not in {m.name for m in found}
    assert len(errors) == 1 and "answer_came.toml" in errors[0]


def test_a_toml_error_is_named_with_its_file_and_line(own_folder: Path) -> None:
    (own_folder / "broken.toml").write_text('[title]\nkk = "no end\n', encoding="utf-8")
    with pytest.raises(MessageError) as exc:
        load_message("broken")
    assert "broken.toml" in str(exc.value) and "line" in str(exc.value)


def test_a_message_without_its_russian_text_is_refused(own_folder: Path) -> None:
    (own_folder / "half.toml").write_text(
        '[title]\nen = "Half"\n[text]\nkk = "Сәлем"\n', encoding="utf-8"
    )
    with pytest.raises(MessageError, match="text.ru"):
        load_message("half")


def test_an_unknown_message_name_is_refused() -> None:
    with pytest.raises(MessageError, match="petition_sent"):
        load_message("../etc/passwd")
