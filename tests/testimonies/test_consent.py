from __future__ import annotations

import pytest

from aigaq.core.models import AuditEntry
from aigaq.disclosure import policy
from aigaq.testimonies.models import Testimony
from aigaq.testimonies.services import consent_update, consent_withdraw
from tests import factories

pytestmark = pytest.mark.django_db


def test_one_testimony_can_concern_several_relatives(interviewer) -> None:
    sons = [factories.person(f"Ұлы {i}", actor=interviewer) for i in range(3)]
    t = factories.testimony(*sons, actor=interviewer, relationship="son")
    assert t.relations.count() == 3
    assert set(t.relations.values_list("relationship", flat=True)) == {"son"}


def test_withdrawn_consent_takes_effect_everywhere_at_once(coordinator, viewer) -> None:
    p = factories.person(actor=coordinator, visibility="public")
    t = factories.testimony(
        p,
        actor=coordinator,
        visibility="public",
        consent_public=True,
        consent_press=True,
        consent_petitions=True,
    )
    for use in (policy.Use.PUBLIC, policy.Use.PRESS, policy.Use.PETITION):
        assert policy.testimony_usable_for(t, use)
    assert policy.testimony_visible_to(viewer, t)
    assert policy.person_is_public(p)

    consent_withdraw(actor=coordinator, testimony=t, reason="family under pressure")
    t.refresh_from_db()
    for use in (policy.Use.PUBLIC, policy.Use.PRESS, policy.Use.PETITION):
        assert not policy.testimony_usable_for(t, use)
        assert not policy.testimonies_usable_for(Testimony.objects.all(), use).exists()
    assert not policy.testimony_visible_to(viewer, t)
    assert not policy.person_is_public(p)
    assert AuditEntry.objects.filter(action="consent", person_id=p.pk).exists()


def test_anonymous_consent_shows_initials_only_in_public(coordinator) -> None:
    p = factories.person("Серік Болатұлы", actor=coordinator, visibility="public")
    t = factories.testimony(
        p, actor=coordinator, visibility="public", consent_public=True, consent_anonymous=True
    )
    assert policy.public_display_name(p) == "С. Б."
    consent_update(actor=coordinator, testimony=t, consent_anonymous=False)
    assert policy.public_display_name(p) == "Серік Болатұлы"


def test_viewer_sees_only_shareable_records(coordinator, viewer, translator) -> None:
    public = factories.person(actor=coordinator, visibility="public")
    internal = factories.person(actor=coordinator, visibility="internal")
    restricted = factories.person(actor=coordinator, visibility="restricted")
    from aigaq.disclosure.selectors import persons_for

    assert set(persons_for(viewer)) == {public}
    assert set(persons_for(translator)) == {public, internal}
    assert set(persons_for(coordinator)) == {public, internal, restricted}


def test_only_publishers_can_make_a_person_or_testimony_public(interviewer, coordinator) -> None:
    from django.core.exceptions import PermissionDenied

    from aigaq.people.services import person_update
    from aigaq.testimonies.services import testimony_update

    p = factories.person(actor=interviewer)
    with pytest.raises(PermissionDenied):
        person_update(actor=interviewer, person=p, expected_version=p.version, visibility="public")
    with pytest.raises(PermissionDenied):
        factories.testimony(p, actor=interviewer, visibility="public")
    t = factories.testimony(p, actor=interviewer)
    with pytest.raises(PermissionDenied):
        testimony_update(
            actor=interviewer, testimony=t, expected_version=t.version, visibility="public"
        )
    published = person_update(
        actor=coordinator, person=p, expected_version=p.version, visibility="public"
    )
    assert published.visibility == "public"
    # An interviewer may still edit a published entry without unpublishing it.
    person_update(
        actor=interviewer, person=published, expected_version=published.version, occupation="imam"
    )
