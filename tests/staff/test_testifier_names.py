"""What each role reads of a testifier's name (disclosure.testifier_name_for).

Staff who record testimonies and may read contacts (admin, coordinator, interviewer) read the
full name. Translators and viewers (the press) read it only where the testifier's own
visibility lets their role see the record and the testimony's consent allows it (in force,
not anonymous; for the press, consented for the press or the public): initials where the
testimony asked for anonymity, "anonymous testifier" where the testifier is not theirs to see.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from aigaq.disclosure import policy
from aigaq.testimonies.models import Testifier, Testimony
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Құпия Айгүлқызы"
ROLES = ["admin", "coordinator", "interviewer", "translator", "viewer"]


def _testimony(coordinator: Any, **fields: Any) -> Any:
    person = factories.person("Ашық Ерболұлы", actor=coordinator, visibility="public")
    who = factories.testifier(NAME, actor=coordinator, visibility=fields.pop("who", "restricted"))
    return factories.testimony(
        person, actor=coordinator, testifier_obj=who, visibility="public", **fields
    )


@pytest.mark.parametrize("path", ["/testimonies/", "/testimonies/{pk}/", "/persons/{entry}/"])
def test_a_viewer_never_reads_the_name_of_a_testifier_who_asked_for_anonymity(
    path: str, client: Any, coordinator: Any, viewer: Any
) -> None:
    testimony = _testimony(coordinator, who="public", consent_press=True, consent_anonymous=True)
    entry = testimony.relations.get().person.entry_no
    client.force_login(viewer)
    response = client.get(path.format(pk=testimony.number, entry=entry))
    assert response.status_code == 200
    page = response.content.decode()
    assert NAME not in page
    assert "Құпия" not in page
    assert "Қ. А." in page  # initials, as the consent allows


def test_a_viewer_reads_the_name_where_the_testifier_agreed_to_be_named_to_the_press(
    client: Any, coordinator: Any, viewer: Any
) -> None:
    testimony = _testimony(coordinator, who="public", consent_press=True, consent_anonymous=False)
    client.force_login(viewer)
    assert NAME in client.get(f"/testimonies/{testimony.number}/").content.decode()


@pytest.mark.parametrize("role", ["translator", "viewer"])
def test_a_restricted_testifier_is_an_anonymous_testifier_to_translators_and_viewers(
    role: str, client: Any, coordinator: Any, make_user: Any
) -> None:
    testimony = _testimony(coordinator, consent_press=True, consent_anonymous=False)
    client.force_login(make_user(role, f"{role}-anon"))
    for path in ("/testimonies/", f"/testimonies/{testimony.number}/"):
        page = client.get(path).content.decode()
        assert NAME not in page and "Қ. А." not in page
        assert "anonymous testifier" in page


def test_searching_the_list_by_a_hidden_testifiers_name_finds_nothing(
    client: Any, coordinator: Any, viewer: Any
) -> None:
    testimony = _testimony(coordinator, who="public", consent_press=True, consent_anonymous=True)
    client.force_login(viewer)
    found = client.get("/testimonies/", {"q": "Құпия"}).context["page"].object_list
    assert list(found) == []
    client.force_login(coordinator)
    found = client.get("/testimonies/", {"q": "Құпия"}).context["page"].object_list
    assert list(found) == [testimony]


def test_staff_who_record_testimonies_read_the_full_name(
    client: Any, coordinator: Any, interviewer: Any
) -> None:
    testimony = _testimony(coordinator, consent_press=True, consent_anonymous=True)
    client.force_login(interviewer)
    assert NAME in client.get(f"/testimonies/{testimony.number}/").content.decode()


def test_the_name_rule_and_the_search_filter_agree_on_every_combination(
    coordinator: Any, make_user: Any
) -> None:
    """testifier_name_for (one record) and testimonies_naming_testifier (a queryset) are
    written apart; they must agree on every visibility × consent × role."""
    users = {r: coordinator if r == "coordinator" else make_user(r, f"{r}-agree") for r in ROLES}
    person = factories.person("Ашық Ерболұлы", actor=coordinator, visibility="public")
    made = []
    combos = itertools.product(
        ["public", "internal", "restricted"], [True, False], [True, False], [True, False]
    )
    for i, (who_vis, anonymous, press, withdrawn) in enumerate(combos):
        who = factories.testifier(f"Адам {i}", actor=coordinator, visibility=who_vis)
        t = factories.testimony(
            person,
            actor=coordinator,
            testifier_obj=who,
            visibility="public",
            consent_press=press,
            consent_anonymous=anonymous,
        )
        if withdrawn:
            from aigaq.testimonies.services import consent_withdraw

            t = consent_withdraw(actor=coordinator, testimony=t, reason="test")
        made.append(t.pk)
    for role, user in users.items():
        qs = Testimony.objects.filter(pk__in=made)
        named = set(policy.testimonies_naming_testifier(user, qs).values_list("pk", flat=True))
        for t in qs.select_related("testifier"):
            full = policy.testifier_name_for(user, t) == t.testifier.full_name
            assert full == (t.pk in named), (role, t.testifier.visibility, t.consent_anonymous)
    assert Testifier.objects.count() == len(made)
