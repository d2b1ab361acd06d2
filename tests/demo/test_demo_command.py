from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from aigaq.disclosure import policy
from aigaq.names import detect_script
from aigaq.people.models import Person, PersonName, StatusEvent
from aigaq.testimonies.models import Testimony

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[int, str, list[str]]]:
    return [
        (p.entry_no, p.current_status, list(p.names.values_list("full_name", flat=True)))
        for p in Person.objects.order_by("entry_no").prefetch_related("names")
    ]


def test_demo_generates_realistic_multi_script_people_deterministically() -> None:
    call_command("demo", "--people", "120", "--seed", "7", stdout=io.StringIO(), verbosity=0)
    first = _snapshot()
    assert len(first) == 120
    scripts = {detect_script(n) for n in PersonName.objects.values_list("full_name", flat=True)}
    assert {"cyrillic", "latin", "han", "arabic"} <= scripts
    assert Person.objects.filter(hometown__isnull=False).count() > 100
    assert (
        StatusEvent.objects.filter(date_start__year__gte=2016, date_start__year__lte=2024).count()
        == StatusEvent.objects.count()
    )
    assert Testimony.objects.count() > 20
    # Current status is derived from the timeline, as the services do it.
    for person in Person.objects.all()[:30]:
        stored = person.current_status
        from aigaq.people.services import person_refresh_status

        assert person_refresh_status(person) == stored
    # The same seed gives the same records (the family contacts the demo adds go first: they
    # hold on to their testifiers and persons).
    from aigaq.casework.models import CaseContact, ContactLog

    ContactLog.objects.all().delete()
    CaseContact.objects.all().delete()
    Testimony.objects.all().delete()
    from aigaq.testimonies.models import Testifier, TestimonyPerson

    TestimonyPerson.objects.all().delete()
    Testifier.objects.all().delete()
    StatusEvent.objects.all().delete()
    entry_offset = Person.objects.count()
    Person.tags.through.objects.all().delete()
    PersonName.objects.all().delete()
    Person.objects.all().delete()
    call_command("demo", "--people", "120", "--seed", "7", stdout=io.StringIO(), verbosity=0)
    second = [(n - entry_offset, s, names) for n, s, names in _snapshot()]
    assert second == first


def test_demo_if_empty_adds_nothing_to_a_database_with_people() -> None:
    call_command("demo", "--people", "5", stdout=io.StringIO(), verbosity=0)
    out = io.StringIO()
    call_command("demo", "--people", "50", "--if-empty", stdout=out, verbosity=0)
    assert Person.objects.count() == 5
    assert "no demo data added" in out.getvalue()


def test_demo_consent_is_respected_by_the_policy() -> None:
    call_command("demo", "--people", "60", "--seed", "3", stdout=io.StringIO(), verbosity=0)
    public = policy.testimonies_usable_for(Testimony.objects.all(), policy.Use.PUBLIC)
    assert public.exists()
    assert not public.filter(consent_public=False).exists()


def test_demo_relationships_agree_with_the_sexes_and_the_families() -> None:
    """TestimonyPerson.relationship is what the testifier is to the person: a wife speaks for
    a man, a husband for a woman, a mother is a woman; a wife or a daughter speaks for one
    person only."""
    from aigaq.testimonies.kinship import FEMALE, MALE, sex_of, testifier_sex
    from aigaq.testimonies.models import TestimonyPerson

    call_command("demo", "--people", "150", "--seed", "11", stdout=io.StringIO(), verbosity=0)
    links = list(TestimonyPerson.objects.select_related("person", "testimony__testifier"))
    assert links
    seen = set()
    for link in links:
        rel, person = link.relationship, link.person
        seen.add(rel)
        implied = testifier_sex(rel)
        if implied:
            assert sex_of(link.testimony.testifier.gender) == implied, (rel, link.testimony_id)
        if rel == "wife":
            assert person.gender == "male"
        if rel == "husband":
            assert person.gender == "female"
        if rel in ("wife", "husband", "daughter"):
            assert link.testimony.relations.count() == 1
    assert {"mother", "father", "sister"} <= seen
    assert {FEMALE, MALE} == {testifier_sex(r) for r in seen if testifier_sex(r)}
