"""The demo data has family contacts (synthetic), some without consent to be contacted, and a
few logged contacts, so "Families to call this week" and a contact's log are not empty."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from aigaq.casework.models import CaseContact, ContactLog
from aigaq.casework.selectors import families_to_call
from aigaq.demo.records import generate_demo
from aigaq.people.gazetteer import gazetteer_load
from aigaq.testimonies.models import Testimony

pytestmark = pytest.mark.django_db


def test_the_demo_has_contacts_with_consent_flags_and_a_log(coordinator: Any) -> None:
    gazetteer_load()
    summary = generate_demo(people=60, seed=7)
    contacts = list(CaseContact.objects.select_related("testifier", "person"))
    assert summary.contacts == len(contacts) >= 8
    assert summary.contact_log == ContactLog.objects.count() >= 3
    agreed = [c for c in contacts if c.consent]
    refused = [c for c in contacts if not c.consent]
    assert agreed and refused
    for c in contacts:
        # Only someone who testified about the person is their contact.
        assert Testimony.objects.filter(testifier=c.testifier, relations__person=c.person).exists()
        assert c.notes.startswith("Demo contact")
    for c in refused:
        assert c.next_contact_due is None and not c.log.exists()
    today = timezone.localdate()
    assert all(c.next_contact_due is not None and c.next_contact_due >= today for c in agreed)
    assert all(e.at <= timezone.now() for e in ContactLog.objects.all())
    due = list(families_to_call(coordinator, today))
    assert due, "the demo gives families to call this week"
