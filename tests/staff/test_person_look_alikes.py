"""Creating an obvious twin warns while the entry is being created: "looks like #N: open it
/ create anyway"; nothing is saved until the user says it is someone else (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aigaq.people.models import Person, Place
from aigaq.people.services import place_save
from tests import factories
from tests.staff.conftest import person_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def tekes(db: Any) -> Place:
    return place_save(Place(code="cn-xj-tekes", kind="county", name="Tekes"))


@pytest.fixture
def gulnar(tekes: Place) -> Person:
    return factories.person("Гүлнар Серікқызы", birth_year=1975, gender="female", hometown=tekes)


def _twin(tekes: Place, **extra: Any) -> dict[str, Any]:
    return person_post(
        "Гульнар Сериккызы", gender="female", birth_year="1975", hometown=str(tekes.pk), **extra
    )


def test_saving_an_obvious_twin_warns_and_saves_nothing(
    signed_in: Any, coordinator: Any, gulnar: Person, tekes: Place
) -> None:
    response = signed_in(coordinator).post(reverse("staff:person_new"), _twin(tekes))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="look-alikes"' in page
    assert f"Looks like #{gulnar.entry_no}" in page
    assert reverse("staff:person_detail", args=[gulnar.entry_no]) in page
    assert 'name="create_anyway"' in page
    assert 'value="Гульнар Сериккызы"' in page  # what was typed is kept
    assert Person.objects.count() == 1


def test_create_anyway_saves_the_new_entry(
    signed_in: Any, coordinator: Any, gulnar: Person, tekes: Place
) -> None:
    response = signed_in(coordinator).post(
        reverse("staff:person_new"), _twin(tekes, create_anyway="1")
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_someone_unlike_every_entry_is_saved_at_once(
    signed_in: Any, coordinator: Any, gulnar: Person, tekes: Place
) -> None:
    data = person_post("Асқар Бекұлы", gender="male", birth_year="1960")
    response = signed_in(coordinator).post(reverse("staff:person_new"), data)
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_the_warning_follows_the_form_while_it_is_filled_in(
    signed_in: Any, coordinator: Any, gulnar: Person, tekes: Place
) -> None:
    client = signed_in(coordinator)
    url = reverse("staff:person_look_alikes")
    part = client.post(url, _twin(tekes), HTTP_HX_REQUEST="true").content.decode()
    assert f"Looks like #{gulnar.entry_no}" in part
    assert "create_anyway" not in part  # confirming is the save's, below the form
    # A half-filled form (no year yet, a year in letters) is read as far as it goes.
    part = client.post(url, person_post("Gulnar Serikqyzy", birth_year="abc")).content.decode()
    assert f"Looks like #{gulnar.entry_no}" in part
    assert client.post(url, person_post("Асқар Бекұлы")).content.decode().strip() == ""
    assert client.get(url).status_code == 405


def test_an_entry_the_user_may_not_see_is_never_named(
    signed_in: Any, interviewer: Any, tekes: Place
) -> None:
    hidden = factories.person(
        "Гүлнар Серікқызы",
        birth_year=1975,
        gender="female",
        hometown=tekes,
        visibility="restricted",
    )
    client = signed_in(interviewer)
    part = client.post(reverse("staff:person_look_alikes"), _twin(tekes)).content.decode()
    assert part.strip() == ""
    response = client.post(reverse("staff:person_new"), _twin(tekes))
    assert response.status_code == 302  # nothing to warn about that this user may see
    assert Person.objects.exclude(pk=hidden.pk).count() == 1
