"""The records a reader may see: the base of every list and page that shows persons or
testimonies. The apps below (people, testimonies) narrow what they are given and never
decide visibility; search, dedup, the features and the interfaces start from these."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet

from aigaq.disclosure.policy import persons_visible_to, testimonies_visible_to
from aigaq.disclosure.public import public_persons, public_testimonies
from aigaq.people.models import Person
from aigaq.testimonies.models import Testimony

_Row = TypeVar("_Row", bound=Model)

#: What a list that names a person reads of them: the link (entry number, name) and what
#: `person_visible_to` asks; nothing restricted.
PERSON_LINK_FIELDS = ("id", "entry_no", "primary_name", "visibility")


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


def about_visible_persons(
    user: Any, qs: QuerySet[_Row], person_field: str = "person"
) -> QuerySet[_Row]:
    """The rows of `qs` (rows about a person: a petition, a family contact) whose person `user`
    may see (`persons_for`), as a correlated EXISTS on the person's primary key: a list read
    in the order of its own index with a LIMIT checks the person of each row it reads and
    stops at the LIMIT, where a join or an IN on the visible persons has the database gather
    every visible person (or every row of every visible person) first. SQLite and
    PostgreSQL both read it so (bench/petitions_bench.py prints the plans)."""
    visible = persons_for(user).filter(pk=OuterRef(f"{person_field}_id"))
    return qs.filter(Exists(visible))
