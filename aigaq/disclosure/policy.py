"""Consent and visibility, decided in one place.

The staff interface, the public site, exports, petitions and the API all ask these functions;
none of them decides on its own whether a person or a testimony may be shown or used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from aigaq.core.models import Role, Visibility
from aigaq.core.permissions import has_cap, role_of, visibilities_for

if TYPE_CHECKING:
    from aigaq.media.models import MediaFile
    from aigaq.people.models import Person
    from aigaq.testimonies.models import Testimony


class Use:
    """What a testimony is to be used for; each needs its own consent."""

    PUBLIC = "public"
    PRESS = "press"
    PETITION = "petition"
    # Introducing a reporter to the testifier (the press desk, aigaq/casework): only a
    # testifier who agreed to the press in so many words; consent to publication is not
    # consent to be approached by a reporter.
    PRESS_CONTACT = "press_contact"
    # A dossier for a conference or the press, and the wall of sorrow (aigaq/petitions/
    # dossier.py): printed and handed to people outside the group, so it needs consent to
    # publication (consent_public) on a recorded testimony that is not restricted; consent to be
    # shown to the press alone is not enough, since a printed dossier leaves the room it was
    # given in. Whether a person may be in one at all: `person_dossier_refusal`.
    DOSSIER = "dossier"


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
        if _press_reader(user):
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
    if use == Use.PRESS_CONTACT:
        return bool(testimony.consent_press)
    if use == Use.DOSSIER:
        return (
            bool(testimony.consent_public)
            and testimony.status == "recorded"
            and testimony.visibility != Visibility.RESTRICTED
        )
    raise ValueError(f"unknown use {use!r}")


def testimony_words_publishable(testimony: Testimony) -> bool:
    """May the words of a published testimony (its reviewed transcripts and translations: the
    subtitles) go out with it, on the public site and in its publication package? Not when the
    testifier asked anonymity: what they said, written out, can name them where the redacted
    video does not. The caller has already asked testimony_usable_for(Use.PUBLIC)."""
    return not testimony.consent_anonymous


def testimonies_usable_for(qs: QuerySet[Testimony], use: str) -> QuerySet[Testimony]:
    qs = qs.filter(consent_withdrawn_at__isnull=True)
    if use == Use.PUBLIC:
        return qs.filter(consent_public=True, visibility=Visibility.PUBLIC)
    if use == Use.PRESS:
        return qs.filter(Q(consent_press=True) | Q(consent_public=True))
    if use == Use.PETITION:
        return qs.filter(consent_petitions=True)
    if use == Use.PRESS_CONTACT:
        return qs.filter(consent_press=True)
    if use == Use.DOSSIER:
        return qs.filter(consent_public=True, status="recorded").exclude(
            visibility=Visibility.RESTRICTED
        )
    raise ValueError(f"unknown use {use!r}")


# --- Dossiers and the wall of sorrow -------------------------------------------------------
#
# A person is named in a dossier (and on the wall of sorrow) only where
#   1. the entry is live (not merged away) and not restricted, and
#   2. a testimony about them is usable for Use.DOSSIER (consent to publication in force, the
#      testimony recorded and not restricted) and did not ask for anonymity (anonymity covers
#      the person's name in public: the public site shows initials, a dossier leaves them out),
#   3. or no testimony concerns them at all and the entry was made public from published
#      sources (the public site's rule for such entries).
# `persons_in_dossier` is the same rule as a queryset filter; tests/disclosure holds the two
# to the same answers. Their photo is printed only when it is restricted in none of its uses.


class DossierRefusal:
    """Why a person is left out of a dossier (sentences for the operator, never printed)."""

    MERGED = "merged"
    RESTRICTED = "restricted"
    NO_CONSENT = "no_consent"
    ANONYMOUS = "anonymous"
    NOT_PUBLIC = "not_public"


def person_dossier_refusal(person: Person) -> str | None:
    """None when `person` may be named in a dossier; else a DossierRefusal value."""
    from aigaq.testimonies.models import Testimony

    if person.merged_into_id is not None:
        return DossierRefusal.MERGED
    if person.visibility == Visibility.RESTRICTED:
        return DossierRefusal.RESTRICTED
    linked = Testimony.objects.filter(relations__person=person)
    if not linked.exists():
        return None if person.visibility == Visibility.PUBLIC else DossierRefusal.NOT_PUBLIC
    usable = testimonies_usable_for(linked, Use.DOSSIER)
    if not usable.exists():
        return DossierRefusal.NO_CONSENT
    if not usable.filter(consent_anonymous=False).exists():
        return DossierRefusal.ANONYMOUS
    return None


def person_usable_for_dossier(person: Person) -> bool:
    return person_dossier_refusal(person) is None


def persons_in_dossier(qs: QuerySet[Person]) -> QuerySet[Person]:
    """The persons of `qs` that may be named in a dossier (person_dossier_refusal's rule)."""
    from django.db.models import Exists, OuterRef

    from aigaq.testimonies.models import TestimonyPerson

    links = TestimonyPerson.objects.filter(person=OuterRef("pk"))
    consented = links.filter(
        testimony__in=testimonies_usable_for(
            _all_testimonies().filter(consent_anonymous=False), Use.DOSSIER
        )
    )
    return (
        qs.filter(merged_into__isnull=True)
        .exclude(visibility=Visibility.RESTRICTED)
        .filter(Exists(consented) | (~Exists(links) & Q(visibility=Visibility.PUBLIC)))
    )


def _all_testimonies() -> QuerySet[Testimony]:
    from aigaq.testimonies.models import Testimony

    return Testimony.objects.all()


def dossier_photo(person: Person) -> MediaFile | None:
    """The photo a dossier may print for `person` (who may be in one): none when the entry has
    no photo or the file is restricted in any of its uses."""
    from aigaq.media.models import MediaFile

    if person.photo_id is None:
        return None
    photo = MediaFile.objects.filter(pk=person.photo_id).first()
    if photo is None or media_restricted(photo):
        return None
    return photo


def events_for_dossier(events: Any) -> list[Any]:
    """The status events a dossier may print: those citing no testimony, or one usable for
    Use.DOSSIER (the others are left out, as petitions leave out what they may not use)."""
    return [
        e for e in events if e.testimony is None or testimony_usable_for(e.testimony, Use.DOSSIER)
    ]


# --- Testifiers ------------------------------------------------------------------------------
#
# What a reader may read of the name of the person who testified. Staff who record testimonies
# and may read a testifier's contacts (restricted.read: admin, coordinator, interviewer) read
# the full name. Everyone else (translators, and viewers: the press) reads it only where
#   1. the testifier's own visibility lets their role see the record (testifiers are
#      restricted unless someone decided otherwise), and
#   2. the testimony's consent allows it: consent in force and no anonymity asked; for the
#      press, a testimony consented for the press or the public.
# Where (1) fails they read "anonymous testifier"; where only (2) fails, the initials (what
# an anonymous testimony allows in public). `testimonies_naming_testifier` is the same rule
# as a queryset filter (the list's search by testifier name must not become an oracle);
# tests/staff/test_testifier_names.py checks that the two agree on every combination.


def _press_reader(user: Any) -> bool:
    return role_of(user) == Role.VIEWER


def testifier_name_for(user: Any, testimony: Testimony) -> str:
    """The testifier's name as `user` may read it on any page about `testimony`."""
    testifier = testimony.testifier
    if can_read_restricted_fields(user):
        return testifier.full_name
    if testifier.visibility not in visibilities_for(user):
        return str(_("anonymous testifier"))
    if testimony.consent_withdrawn_at is not None or testimony.consent_anonymous:
        return initials(testifier.full_name)
    if _press_reader(user) and not testimony_usable_for(testimony, Use.PRESS):
        return initials(testifier.full_name)
    return testifier.full_name


def testifier_named_for(user: Any, testimony: Testimony) -> bool:
    """May `user` read the testifier's full name (and so what else identifies them, such as
    their citizenship) on pages about `testimony`?"""
    return testifier_name_for(user, testimony) == testimony.testifier.full_name


def testimonies_naming_testifier(user: Any, qs: QuerySet[Testimony]) -> QuerySet[Testimony]:
    """The testimonies of `qs` whose testifier's full name `user` may read."""
    if can_read_restricted_fields(user):
        return qs
    qs = qs.filter(
        testifier__visibility__in=visibilities_for(user),
        consent_withdrawn_at__isnull=True,
        consent_anonymous=False,
    )
    if _press_reader(user):
        qs = testimonies_usable_for(qs, Use.PRESS)
    return qs


# --- Media ------------------------------------------------------------------------------------
#
# Files are stored once per SHA-256, so one file can have several uses: the same bytes may be
# a testifier's ID card on one testimony and a person's photo on their page. A file is
# restricted when any of its uses is (an ID card, or a use marked restricted) or when the
# file itself was marked so: restricted in one use, restricted everywhere. Every response
# that sends a file, or names it, asks `media_visible_to`; a restricted file is sent only to
# readers of restricted fields, and the sending is audited (aigaq/staff/media.py).


class MediaUse:
    """What a file is to the record it is reached through."""

    PHOTO = "photo"  # a person's photo: the record is the Person
    TESTIMONY = "testimony"  # a file attached to a testimony: the record is the Testimony
    # A petition's scanned answer: the record is the list of persons the petition concerns
    # (the petitions app lies above this one and is not named here).
    PETITION = "petition"


def media_restricted(media: MediaFile) -> bool:
    """Is this file restricted, in any of its uses?"""
    from aigaq.media.models import MediaFile
    from aigaq.testimonies.models import TestimonyMedia

    if media.restricted or media.kind in MediaFile.RESTRICTED_KINDS:
        return True
    uses = TestimonyMedia.objects.filter(media_id=media.pk)
    return uses.filter(Q(restricted=True) | Q(kind__in=MediaFile.RESTRICTED_KINDS)).exists()


def media_visible_to(user: Any, media: MediaFile, *, use: str, record: Any) -> bool:
    """May `user` be sent (or read the name of) this file, reached as `use` of `record`? The
    record must be one the user may see, and a restricted file needs restricted.read."""
    if use == MediaUse.PHOTO:
        if not person_visible_to(user, record):
            return False
    elif use == MediaUse.TESTIMONY:
        if not can_see(user, record):
            return False
    elif use == MediaUse.PETITION:
        if not record or not all(person_visible_to(user, p) for p in record):
            return False
    else:
        raise ValueError(f"unknown media use {use!r}")
    return can_read_restricted_fields(user) or not media_restricted(media)


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
