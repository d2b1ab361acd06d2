"""Every page that names a person asks the person page's rule (disclosure.policy): a person
the reader may not see is never named, nor numbered, anywhere."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

HIDDEN_NAME = "Жасырын Марқұмұлы"


@pytest.fixture
def mixed_testimony(coordinator: Any) -> Any:
    """A press-consented public testimony about a public, an internal and a restricted person."""
    public = factories.person("Ашық Серікұлы", actor=coordinator, visibility="public")
    internal = factories.person("Ішкі Серікұлы", actor=coordinator, visibility="internal")
    restricted = factories.person(HIDDEN_NAME, actor=coordinator, visibility="restricted")
    testimony = factories.testimony(
        public,
        internal,
        restricted,
        actor=coordinator,
        visibility="public",
        consent_press=True,
    )
    return testimony, public, internal, restricted


@pytest.mark.parametrize("role", ["interviewer", "translator", "viewer"])
def test_the_testimonies_list_never_names_a_restricted_person(
    role: str, mixed_testimony: Any, client: Any, make_user: Any
) -> None:
    _testimony, public, _internal, restricted = mixed_testimony
    client.force_login(make_user(role, f"{role}-naming"))
    page = client.get("/testimonies/").content.decode()
    assert public.primary_name in page
    assert HIDDEN_NAME not in page
    assert f"#{restricted.entry_no}" not in page
    assert "an entry you may not see" in page


def test_the_testimonies_list_names_no_internal_person_to_a_viewer(
    mixed_testimony: Any, client: Any, viewer: Any
) -> None:
    _testimony, public, internal, _restricted = mixed_testimony
    client.force_login(viewer)
    page = client.get("/testimonies/").content.decode()
    assert public.primary_name in page
    assert internal.primary_name not in page
    assert f"#{internal.entry_no}" not in page


def test_the_testimonies_list_names_every_person_to_a_coordinator(
    mixed_testimony: Any, client: Any, coordinator: Any
) -> None:
    _testimony, public, internal, restricted = mixed_testimony
    client.force_login(coordinator)
    page = client.get("/testimonies/").content.decode()
    for person in (public, internal, restricted):
        assert person.primary_name in page
        assert f"#{person.entry_no}" in page


def test_the_testimony_edit_form_never_names_a_restricted_person_to_an_interviewer(
    mixed_testimony: Any, client: Any, interviewer: Any
) -> None:
    testimony, public, internal, restricted = mixed_testimony
    client.force_login(interviewer)
    page = client.get(f"/testimonies/{testimony.number}/edit/").content.decode()
    assert public.primary_name in page and internal.primary_name in page
    assert HIDDEN_NAME not in page
    assert f"#{restricted.entry_no}" not in page
    assert "an entry you may not see" in page


def test_the_desk_history_names_no_restricted_relative_to_an_interviewer(
    client: Any, coordinator: Any, interviewer: Any
) -> None:
    from aigaq.intake.services import visit_register

    restricted = factories.person(HIDDEN_NAME, actor=coordinator, visibility="restricted")
    testifier = factories.testifier("Гүлнар Серікқызы", actor=coordinator, phone="+77010000001")
    factories.testimony(restricted, actor=coordinator, testifier_obj=testifier)
    visit = visit_register(actor=coordinator, visitor_name="Гүлнар Серікқызы", phone="+77010000001")
    client.force_login(interviewer)
    page = client.get(f"/desk/visits/{visit.pk}/").content.decode()
    assert HIDDEN_NAME not in page
    assert f"#{restricted.entry_no}" not in page


def test_the_policy_rule_for_naming_a_person_is_the_person_pages_rule(
    make_user: Any, coordinator: Any
) -> None:
    from aigaq.disclosure.policy import person_visible_to

    people = {
        v: factories.person(f"Адам {v}", actor=coordinator, visibility=v)
        for v in ("public", "internal", "restricted")
    }
    for role in ("admin", "coordinator", "interviewer", "translator", "viewer"):
        user = coordinator if role == "coordinator" else make_user(role, f"{role}-rule")
        for person in people.values():
            from django.test import Client

            c = Client()
            c.force_login(user)
            page_ok = c.get(f"/persons/{person.entry_no}/").status_code == 200
            assert person_visible_to(user, person) == page_ok, (role, person.visibility)
