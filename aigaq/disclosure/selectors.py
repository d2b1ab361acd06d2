"""The records a reader may see: the base of every list and page that shows persons or
testimonies. The apps below (people, testimonies) narrow what they are given and never
decide visibility; search, dedup, the features and the interfaces start from these."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aigaq.disclosure.policy import persons_visible_to, testimonies_visible_to
from aigaq.people.models import Person
from aigaq.testimonies.models import Testimony


def persons_for(user: Any) -> QuerySet[Person]:
    """Live (not merged-away) persons this user may see."""
    return persons_visible_to(user, Person.objects.filter(merged_into__isnull=True))


def testimonies_for(user: Any) -> QuerySet[Testimony]:
    """Testimonies this user may see (visibility, and consent for translators and viewers)."""
    return testimonies_visible_to(user, Testimony.objects.all())
