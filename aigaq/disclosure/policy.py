"""Consent and visibility, decided in one place.

The staff interface, the public site, exports, petitions and the API all ask these functions;
none of them decides on its own whether a person or a testimony may be shown or used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from aigaq.core.models import Visibility
from aigaq.core.permissions import has_cap, visibilities_for

if TYPE_CHECKING:
    from aigaq.people.models import Person
    from aigaq.testimonies.models import Testimony


class Use:
    """What a testimony is to be used for; each needs its own consent."""

    PUBLIC = "public"
    PRESS = "press"
    PETITION = "petition"


def can_see(user: Any, obj: Any) -> bool:
    """May this staff member see this record at all (by its visibility)?"""
    if getattr(obj, "visibility", None) not in visibilities_for(user):
        return False
    if obj._meta.label_lower == "testimonies.testimony":
        return testimony_visible_to(user, obj)
    return True


def can_read_restricted_fields(user: Any) -> bool:
    return has_cap(user, "restricted.read")


def person_visible_to(user: Any, person: Person) -> bool:
    """May `user` see this person, and so read their name and entry number? The person page's
    rule, asked by every page, fragment and list that names a person: a page that may not
    name them says "an entry you may not see" (or leaves them out), never the name or the
    number. A merged-away entry is judged by its own visibility (its page leads on to the
    entry kept, which is judged in turn)."""
    return person.visibility in visibilities_for(user)


def persons_visible_to(user: Any, qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.filter(visibility__in=visibilities_for(user))


def testimonies_visible_to(user: Any, qs: QuerySet[Testimony]) -> QuerySet[Testimony]:
    qs = qs.filter(visibility__in=visibilities_for(user))
    if not has_cap(user, "person.edit"):
        # Translators and viewers see only testimonies whose consent is still in force;
        # viewers (press, researchers) only those consented for the press or the public.
        qs = qs.filter(consent_withdrawn_at__isnull=True)
        from aigaq.core.permissions import role_of

        if role_of(user) == "viewer":
            qs = qs.filter(Q(consent_press=True) | Q(consent_public=True))
    return qs


def testimony_visible_to(user: Any, testimony: Testimony) -> bool:
    from aigaq.testimonies.models import Testimony

    return testimonies_visible_to(user, Testimony.objects.filter(pk=testimony.pk)).exists()


def testimony_usable_for(testimony: Testimony, use: str) -> bool:
    """Consent check for a use (public site, press, petitions). Withdrawal overrides all."""
    if testimony.consent_withdrawn_at is not None:
        return False
    if use == Use.PUBLIC:
        return bool(testimony.consent_public) and testimony.visibility == Visibility.PUBLIC
    if use == Use.PRESS:
        return bool(testimony.consent_press or testimony.consent_public)
    if use == Use.PETITION:
        return bool(testimony.consent_petitions)
    raise ValueError(f"unknown use {use!r}")


def testimonies_usable_for(qs: QuerySet[Testimony], use: str) -> QuerySet[Testimony]:
    qs = qs.filter(consent_withdrawn_at__isnull=True)
    if use == Use.PUBLIC:
        return qs.filter(consent_public=True, visibility=Visibility.PUBLIC)
    if use == Use.PRESS:
        return qs.filter(Q(consent_press=True) | Q(consent_public=True))
    if use == Use.PETITION:
        return qs.filter(consent_petitions=True)
    raise ValueError(f"unknown use {use!r}")


def person_is_public(person: Person) -> bool:
    """A person may appear on the public site only if the entry is public and at least one
    testimony or source about them allows public use (or the entry has no testimony at all and
    was made public from published sources)."""
    if person.visibility != Visibility.PUBLIC or person.merged_into_id is not None:
        return False
    from aigaq.testimonies.models import Testimony

    linked = Testimony.objects.filter(relations__person=person)
    if not linked.exists():
        return True
    return testimonies_usable_for(linked, Use.PUBLIC).exists()


def public_display_name(person: Person) -> str:
    """Initials only when every public testimony about this person asks for anonymity."""
    from aigaq.testimonies.models import Testimony

    name = person.primary_name
    usable = testimonies_usable_for(Testimony.objects.filter(relations__person=person), Use.PUBLIC)
    if usable.exists() and not usable.filter(consent_anonymous=False).exists():
        return initials(name)
    return name


def initials(name: str) -> str:
    parts = [p for p in name.replace("·", " ").split() if p]
    return " ".join(p[0] + "." for p in parts) or "—"
