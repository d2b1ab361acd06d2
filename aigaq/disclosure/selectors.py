"""The records a reader may see: the base of every list and page that shows persons or
testimonies. The apps below (people, testimonies) narrow what they are given and never
decide visibility; search, dedup, the features and the interfaces start from these."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aigaq.disclosure.policy import persons_visible_to, testimonies_visible_to
from aigaq.disclosure.public import public_persons, public_testimonies
from aigaq.people.models import Person
from aigaq.testimonies.models import Testimony


class _PublicReader:
    """A visitor of the public site: no account, no role; reads what disclosure.public
    publishes and nothing else."""

    is_authenticated = False
    is_active = False
    pk = None

    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC = _PublicReader()


def persons_for(user: Any) -> QuerySet[Person]:
    """Live (not merged-away) persons this user may see (PUBLIC: the public entries)."""
    if user is PUBLIC:
        return public_persons()
    return persons_visible_to(user, Person.objects.filter(merged_into__isnull=True))


def testimonies_for(user: Any) -> QuerySet[Testimony]:
    """Testimonies this user may see (visibility, and consent for translators and viewers;
    PUBLIC: the published ones)."""
    if user is PUBLIC:
        return public_testimonies()
    return testimonies_visible_to(user, Testimony.objects.all())
