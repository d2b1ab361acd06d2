"""A returning visitor without a phone number is recognised by name in any spelling, script or
word order (issue #16): earlier visits and testifiers on record alike, through the names
package's keys and similarity, as the search and the duplicates queue match names."""

from __future__ import annotations

import pytest

from aigaq.intake import recognition, selectors, services
from aigaq.intake.models import Visit, VisitorKey
from aigaq.names import KEYS_VERSION
from aigaq.testimonies import services as testimony_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_testifier_recorded_in_the_testimony_form_is_recognised_at_the_desk_in_latin(
    coordinator,
) -> None:
    p = factories.person("Ербол Сейітұлы", actor=coordinator)
    known = factories.testifier("Айсұлу Ерболқызы", actor=coordinator)
    factories.testimony(p, actor=coordinator, testifier_obj=known, relationship="father")
    visit = services.visit_register(actor=coordinator, visitor_name="Aisulu Erbolqyzy")
    assert visit.testifier == known


def test_a_visitor_is_recognised_with_the_parts_of_the_name_in_another_order(
    coordinator, interviewer
) -> None:
    first = services.visit_register(actor=coordinator, visitor_name="Айсұлу Ерболқызы")
    t = services.visit_record_testimony(
        actor=interviewer,
        visit=first,
        testifier_name="Айсұлу Ерболқызы",
        new_relatives=[services.NewRelative("Ербол Сейітұлы", "father")],
    )
    again = services.visit_register(actor=coordinator, visitor_name="Erbolqyzy Aisulu")
    assert again.testifier == t.testifier


def test_another_spelling_given_for_a_testifier_is_matched_too(coordinator) -> None:
    known = factories.testifier(
        "Гүлжан Тоқтарқызы", actor=coordinator, other_names="Гульжан Токтарова; 古丽江"
    )
    visit = services.visit_register(actor=coordinator, visitor_name="Gulzhan Toktarova")
    assert visit.testifier == known


def test_two_testifiers_of_one_name_are_not_guessed_between(coordinator) -> None:
    factories.testifier("Айсұлу Ерболқызы", actor=coordinator)
    factories.testifier("Aisulu Erbolqyzy", actor=coordinator)
    visit = services.visit_register(actor=coordinator, visitor_name="Aisulu Erbolqyzy")
    assert visit.testifier is None


def test_a_different_name_is_not_taken_for_the_visitor(coordinator) -> None:
    factories.testifier("Айгүл Ерболқызы", actor=coordinator)
    visit = services.visit_register(actor=coordinator, visitor_name="Aisulu Erbolqyzy")
    assert visit.testifier is None


def test_the_visit_page_history_lists_earlier_visits_in_another_script(
    coordinator, interviewer
) -> None:
    p = factories.person("Ербол Сейітұлы", actor=coordinator)
    known = factories.testifier("Айсұлу Ерболқызы", actor=coordinator)
    t = factories.testimony(p, actor=coordinator, testifier_obj=known, relationship="father")
    first = services.visit_register(actor=coordinator, visitor_name="Ерболқызы Айсұлу")
    again = services.visit_register(actor=coordinator, visitor_name="Aisulu Erbolqyzy")
    history = selectors.visit_history(user=interviewer, visit=again)
    assert [v.pk for v in history.visits] == [first.pk]
    assert t in history.testimonies
    assert history.matched_by == ["name"]


def test_keys_follow_a_renamed_testifier_and_a_new_names_library(coordinator) -> None:
    known = factories.testifier("Серік Ахмет", actor=coordinator)
    assert recognition.testifiers_named("Aisulu Erbolqyzy") == []
    testimony_services.testifier_update(
        actor=coordinator, testifier=known, expected_version=None, full_name="Айсұлу Ерболқызы"
    )
    assert recognition.testifiers_named("Aisulu Erbolqyzy") == [known.pk]
    # Keys written by another version of the names library are written again.
    VisitorKey.objects.update(keys_version=KEYS_VERSION - 1)
    assert recognition.refresh_keys() == 1
    assert not VisitorKey.objects.exclude(keys_version=KEYS_VERSION).exists()


def test_visits_written_without_keys_are_keyed_on_the_next_lookup(coordinator) -> None:
    # A visit that came in a field bundle, or was written before the keys existed.
    import datetime as dt

    legacy = Visit.objects.create(
        day=dt.date(2026, 1, 1),
        ticket=1,
        visitor_name="Айсұлу Ерболқызы",
        arrived_at=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC),
    )
    assert recognition.visits_named("Aisulu Erbolqyzy") == [legacy.pk]
