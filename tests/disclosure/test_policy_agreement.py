"""disclosure.policy writes each rule twice: in Python for one record (a page, an export row)
and as ORM filters for a queryset (lists, search). The two must never disagree, on any
combination of visibility, consent flags, withdrawal, role and use."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from aigaq.core.models import Role, Visibility
from aigaq.disclosure import policy
from aigaq.people.models import Person
from aigaq.testimonies.models import Testimony
from tests import factories

pytestmark = pytest.mark.django_db

USES = (
    policy.Use.PUBLIC,
    policy.Use.PRESS,
    policy.Use.PETITION,
    policy.Use.PRESS_CONTACT,
    policy.Use.DOSSIER,
)


@pytest.fixture
def readers(make_user: Any) -> list[Any]:
    """One user of every role, an account switched off, and someone not signed in."""
    users: list[Any] = [make_user(role, f"reader-{role}") for role in Role.values]
    users.append(make_user(Role.COORDINATOR, "switched-off", is_active=False))
    users.append(AnonymousUser())
    return users


def test_one_testimony_and_the_queryset_agree_on_every_combination(
    coordinator: Any, readers: list[Any]
) -> None:
    person = factories.person(actor=coordinator, visibility=Visibility.PUBLIC)
    testimony = factories.testimony(person, actor=coordinator)
    only_it = Testimony.objects.filter(pk=testimony.pk)
    flags = ("consent_public", "consent_press", "consent_petitions", "consent_anonymous")
    combinations = itertools.product(
        Visibility.values, *[(False, True)] * len(flags), (None, timezone.now())
    )
    checked = 0
    for visibility, *values, withdrawn in combinations:
        state = dict(zip(flags, values, strict=True))
        only_it.update(visibility=visibility, consent_withdrawn_at=withdrawn, **state)
        testimony.refresh_from_db()
        described = f"{visibility} {state} withdrawn={withdrawn is not None}"
        for use in USES:
            one = policy.testimony_usable_for(testimony, use)
            many = policy.testimonies_usable_for(only_it, use).exists()
            assert one == many, f"{described}, use {use}"
        for reader in readers:
            one = policy.can_see(reader, testimony)
            many = policy.testimonies_visible_to(reader, only_it).exists()
            assert one == many, f"{described}, {reader}"
            checked += 1
    assert checked == 3 * 2**5 * len(readers)


def test_one_person_and_the_queryset_agree_for_every_visibility_and_role(
    coordinator: Any, readers: list[Any]
) -> None:
    person = factories.person(actor=coordinator)
    only_them = Person.objects.filter(pk=person.pk)
    for visibility in Visibility.values:
        only_them.update(visibility=visibility)
        person.refresh_from_db()
        for reader in readers:
            one = policy.can_see(reader, person)
            many = policy.persons_visible_to(reader, only_them).exists()
            assert one == many, f"{visibility}, {reader}"


def test_a_testimony_usable_for_no_known_use_is_refused_by_both_rules(coordinator: Any) -> None:
    testimony = factories.testimony(actor=coordinator)
    with pytest.raises(ValueError, match="unknown use"):
        policy.testimony_usable_for(testimony, "billboard")
    with pytest.raises(ValueError, match="unknown use"):
        policy.testimonies_usable_for(Testimony.objects.all(), "billboard")
