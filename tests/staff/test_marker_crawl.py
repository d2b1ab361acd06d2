"""The marker crawl: no page, fragment, file or JSON answer shows a role what it may not see.

Unique marker strings are put into every restricted field and into every record some role may
not see (a restricted person, an internal one, a restricted testimony, one whose consent was
withdrawn, a testifier who asked for anonymity, contacts, a Chinese ID number, an ID-card
file's name and bytes, desk notes, trip notes...). Then every URL of the site, read from the
URL configuration, is requested as every role (the JSON API with a token of that role's) (GET; GET with a search term where the page
answered; POST, plain and as htmx), and any marker found in an answer to a role that may not
read it fails the test, with the role, the request and the marker.

A new URL is crawled without anything to do here. A URL with path parameters needs its
values: add its route name to FILL (which seeded records' ids or numbers it takes); the test
fails with that instruction until you do. A page that shows a new kind of restricted data
needs a marker for it in `seed` and MARKERS.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from aigaq.people.validators import chinese_id_check_char
from tests import factories

pytestmark = pytest.mark.django_db

A, C, I, T, V = "admin", "coordinator", "interviewer", "translator", "viewer"  # noqa: E741
ROLES = ["anonymous", V, T, I, C, A]
RESTRICTED_READERS = frozenset({A, C, I})  # restricted.read: ID numbers, contacts, ID cards
ALL_RECORDS = frozenset({A, C})  # roles that see restricted records
NOT_VIEWER = frozenset({A, C, I, T})  # roles that see internal records

# Markers: ASCII letters and digits only, so that neither HTML nor JSON escaping hides them.
PUBLIC_NAME = "Ashyqmarker Publicbek"  # a control: every signed-in role must see it
NAMED_TESTIFIER = "Namedmarker Pressqyzy"  # a control: agreed to be named to the press
RESTRICTED_NAME = "Zhabyqmarker Restrictedbek"
RESTRICTED_TWIN = "Zhabyqtwinmarker Restrictedbek"
INTERNAL_NAME = "Ishkimarker Internalbek"
INTERNAL_BIO = "Internalbiomarker"
RESTRICTED_EVENT_NOTE = "Restrictedeventnotemarker"
ID_NUMBER = "65400119790101123" + chinese_id_check_char("65400119790101123")
RESTRICTED_SUMMARY = "Restrictedtestimonysummarymarker"
INTERNAL_SUMMARY = "Internaltestimonysummarymarker"
WITHDRAWN_SUMMARY = "Withdrawntestimonysummarymarker"
WITHDRAWN_REASON = "Withdrawnreasonmarker"
ANON_TESTIFIER = "Anonmarker Testifierqyzy"
RESTRICTED_TESTIFIER = "Restrmarker Testifierqyzy"
TESTIFIER_PHONE = "7009991357"
TESTIFIER_ADDRESS = "Addressmarker street 5"
TESTIFIER_EMAIL = "emailmarker@example.org"
TESTIFIER_DOCUMENT = "Iddocumentmarker42"
SUBMISSION_CONTACT = "submissioncontactmarker@example.org"
IDCARD_FILE = "idcardfilemarker.png"
IDCARD_BYTES = b"Idcardbytesmarker"
VISITOR_NAME = "Visitormarker Qyzy"
VISIT_PHONE = "7009992468"
VISIT_NOTES = "Visitnotesmarker"
TRIP_NOTES = "Tripnotesmarker"
CONTACT_HANDLE = "contacthandlemarker"
RESTRICTED_TRANSCRIPT = "Restrictedtranscriptmarker"
INTERNAL_TRANSLATION = "Internaltranslationmarker"
#: The scanned answer of the petition about each seeded person, by the person's visibility
#: (a restricted document).
ANSWER_SCANS = {
    "public": "Publicanswerscanmarker",
    "internal": "Internalanswerscanmarker",
    "restricted": "Restrictedanswerscanmarker",
}

# A 1×1 PNG, with the marker after its end: the same bytes are an ID card and a photo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@dataclass(frozen=True)
class Marker:
    label: str
    text: bytes
    allowed: frozenset[str]
    shown_somewhere: bool = True  # the admin must meet it on some page (the crawl reaches it)


def _m(label: str, text: str | bytes, allowed: frozenset[str], shown: bool = True) -> Marker:
    return Marker(label, text if isinstance(text, bytes) else text.encode(), allowed, shown)


@dataclass
class World:
    persons: list[Any] = field(default_factory=list)
    testimonies: list[Any] = field(default_factory=list)
    visits: list[Any] = field(default_factory=list)
    trips: list[Any] = field(default_factory=list)
    candidates: list[Any] = field(default_factory=list)
    merges: list[Any] = field(default_factory=list)
    conflicts: list[Any] = field(default_factory=list)
    jobs: list[Any] = field(default_factory=list)
    mirrors: list[Any] = field(default_factory=list)
    uploads: list[Any] = field(default_factory=list)
    submissions: list[Any] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)


def seed() -> World:
    """Records in every visibility and consent, with markers, made through the services."""
    from aigaq.core.services import create_audited
    from aigaq.dedup import scan
    from aigaq.dedup.models import Candidate
    from aigaq.dedup.services import candidates_store, person_merge
    from aigaq.intake.services import field_trip_create, visit_register
    from aigaq.media.services import media_ingest
    from aigaq.people.models import PersonRelation
    from aigaq.people.services import person_set_photo, status_event_add
    from aigaq.testimonies.services import consent_withdraw, testimony_attach_media
    from aigaq.transfer.models import Bundle, Conflict

    w = World()
    public = factories.person(PUBLIC_NAME, visibility="public", chinese_id=ID_NUMBER)
    internal = factories.person(INTERNAL_NAME, visibility="internal", biography=INTERNAL_BIO)
    restricted = factories.person(RESTRICTED_NAME, visibility="restricted")
    twin = factories.person(RESTRICTED_TWIN, visibility="restricted")
    status_event_add(
        actor=None, person=restricted, kind="detained", date_text="2018", note=RESTRICTED_EVENT_NOTE
    )
    for relative in (internal, restricted):
        create_audited(
            PersonRelation,
            actor=None,
            data={"person": public, "relative": relative, "relationship": "brother"},
        )
    trip = field_trip_create(
        actor=None,
        name="Tekes, May",
        place_label="Tekes",
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 3),
        notes=TRIP_NOTES,
    )

    anon = factories.testifier(
        ANON_TESTIFIER,
        visibility="public",
        phone="+7" + TESTIFIER_PHONE,
        address=TESTIFIER_ADDRESS,
        email=TESTIFIER_EMAIL,
        id_document=TESTIFIER_DOCUMENT,
    )
    hidden = factories.testifier(RESTRICTED_TESTIFIER, phone="+7" + VISIT_PHONE)
    named = factories.testifier(NAMED_TESTIFIER, visibility="public")
    press = factories.testimony(
        public,
        internal,
        restricted,
        testifier_obj=anon,
        visibility="public",
        consent_press=True,
        consent_public=True,
        consent_anonymous=True,
    )
    card = media_ingest(
        actor=None,
        fileobj=SimpleUploadedFile(IDCARD_FILE, PNG + IDCARD_BYTES),
        original_name=IDCARD_FILE,
        kind="id_card",
    )
    testimony_attach_media(actor=None, testimony=press, media=card, kind="id_card")
    public = person_set_photo(
        actor=None, person=public, fileobj=SimpleUploadedFile("f.png", PNG + IDCARD_BYTES), name="f"
    )
    internal_t = factories.testimony(
        internal, testifier_obj=hidden, visibility="internal", summary=INTERNAL_SUMMARY
    )
    restricted_t = factories.testimony(
        public,
        testifier_obj=hidden,
        visibility="restricted",
        consent_press=True,
        summary=RESTRICTED_SUMMARY,
        field_trip=trip,
    )
    withdrawn = factories.testimony(
        public, testifier_obj=named, visibility="public", consent_press=True
    )
    withdrawn = consent_withdraw(actor=None, testimony=withdrawn, reason=WITHDRAWN_REASON)
    from aigaq.testimonies.models import Testimony

    Testimony.objects.filter(pk=withdrawn.pk).update(summary=WITHDRAWN_SUMMARY)
    factories.testimony(
        public,
        testifier_obj=named,
        visibility="public",
        consent_press=True,
        consent_anonymous=False,
    )
    visit = visit_register(
        actor=None,
        visitor_name=VISITOR_NAME,
        phone="+7" + VISIT_PHONE,
        relatives=[internal, restricted],
        notes=VISIT_NOTES,
    )
    a, b = scan.ordered(restricted.pk, twin.pk)
    candidates_store([scan.Found(a, b, 0.95, [{"code": "names", "score": 0.95}])])
    survivor = factories.person("Merge Keptbek", visibility="internal")
    retired = factories.person("Merge Retiredbek", visibility="internal")
    merge = person_merge(
        actor=None,
        survivor=survivor,
        retired=retired,
        survivor_version=survivor.version,
        retired_version=retired.version,
    )
    bundle = Bundle.objects.create(
        bundle_id=trip.pk,
        direction=Bundle.Direction.RECEIVED,
        kind=Bundle.Kind.RETURN,
        trip_id=trip.pk,
        trip_name=trip.name,
        source_instance=trip.pk,
        bundle_created_at=trip.created_at,
    )
    conflict = Conflict.objects.create(
        bundle=bundle,
        record_type="person",
        record_id=restricted.pk,
        record_label=str(restricted),
        office_version=restricted.version,
        office_snapshot={"occupation": "teacher"},
        field_snapshot={"occupation": "farmer"},
    )
    # The records whose pages are crawled, one of each kind (the retired entry of the merge
    # and the named testimony only redirect or repeat what the others show).
    w.persons = [public, internal, restricted]
    w.testimonies = [press, internal_t, restricted_t, withdrawn]
    _seed_transcripts(
        {
            restricted_t: ("Restrictedtranscriptmarker сөзі.", "Said."),
            internal_t: ("Ішкі сөз.", "Internaltranslationmarker said."),
            press: ("Ашық сөз.", "Public words."),
            withdrawn: ("Сөз.", "Words."),
        }
    )
    w.visits = [visit]
    w.trips = [trip]
    w.candidates = [Candidate.objects.get(a_id=a, b_id=b)]
    w.merges = [merge]
    w.conflicts = [conflict]
    from aigaq.corrections.models import Submission

    w.submissions = [Submission.objects.create(message="Wrong year", contact=SUBMISSION_CONTACT)]
    w.markers = [
        _m("contact sent with a public correction", SUBMISSION_CONTACT, ALL_RECORDS),
        _m("restricted person's name", RESTRICTED_NAME, ALL_RECORDS),
        _m("restricted person's twin", RESTRICTED_TWIN, ALL_RECORDS),
        _m("restricted person's entry link", f'"/persons/{restricted.entry_no}/', ALL_RECORDS),
        _m("restricted person's status note", RESTRICTED_EVENT_NOTE, ALL_RECORDS),
        _m("internal person's name", INTERNAL_NAME, NOT_VIEWER),
        _m("internal person's entry link", f'"/persons/{internal.entry_no}/', NOT_VIEWER),
        _m("internal person's biography", INTERNAL_BIO, NOT_VIEWER),
        _m("Chinese ID number", ID_NUMBER, RESTRICTED_READERS),
        _m("restricted testimony", RESTRICTED_SUMMARY, ALL_RECORDS),
        _m("internal testimony", INTERNAL_SUMMARY, NOT_VIEWER),
        _m("withdrawn testimony", WITHDRAWN_SUMMARY, RESTRICTED_READERS),
        _m("withdrawal reason", WITHDRAWN_REASON, RESTRICTED_READERS),
        _m("anonymous testifier's name", ANON_TESTIFIER, RESTRICTED_READERS),
        _m("restricted testifier's name", RESTRICTED_TESTIFIER, RESTRICTED_READERS),
        _m("testifier's phone", TESTIFIER_PHONE, RESTRICTED_READERS),
        _m("testifier's address", TESTIFIER_ADDRESS, RESTRICTED_READERS, shown=False),
        _m("testifier's e-mail", TESTIFIER_EMAIL, RESTRICTED_READERS, shown=False),
        _m("testifier's ID document", TESTIFIER_DOCUMENT, RESTRICTED_READERS, shown=False),
        _m("ID-card file name", IDCARD_FILE, RESTRICTED_READERS),
        _m("ID-card bytes", IDCARD_BYTES, RESTRICTED_READERS),
        _m("visitor's name", VISITOR_NAME, RESTRICTED_READERS),
        _m("visitor's phone", VISIT_PHONE, RESTRICTED_READERS),
        _m("desk notes", VISIT_NOTES, RESTRICTED_READERS),
        _m("trip notes", TRIP_NOTES, ALL_RECORDS),
        _m("a family contact's handle", CONTACT_HANDLE, RESTRICTED_READERS),
        _m("restricted testimony's transcript", RESTRICTED_TRANSCRIPT, ALL_RECORDS),
        _m("internal testimony's translation", INTERNAL_TRANSLATION, NOT_VIEWER),
        # Readers of restricted files who manage petitions and may see the person.
        _m("public person's scanned answer", ANSWER_SCANS["public"], RESTRICTED_READERS),
        _m("internal person's scanned answer", ANSWER_SCANS["internal"], RESTRICTED_READERS),
        _m("restricted person's scanned answer", ANSWER_SCANS["restricted"], ALL_RECORDS),
    ]
    # A finished background job (its page and the status fragment the page polls).
    from aigaq.core.models import Job

    w.jobs = [
        Job.objects.create(
            kind="spreadsheet_import",
            title="people.xlsx",
            capability="import.run",
            status=Job.Status.DONE,
            done=3,
            total=3,
            created_by=None,
        )
    ]
    from django.utils import timezone

    from aigaq.core.models import User
    from aigaq.mirrors.models import Mirror
    from aigaq.staff.models import Upload

    # A mirror on each testimony, and an imported video whose candidate is the restricted
    # testimony (/mirrors/ must not name it to a role that may not see it).
    w.mirrors = [
        Mirror.objects.create(testimony=t, url=f"https://example.org/v/{t.number}")
        for t in w.testimonies
    ]
    w.mirrors.append(
        Mirror.objects.create(
            url="https://example.org/v/imported",
            candidates=[{"number": restricted_t.number, "score": 0.5, "reasons": ["testifier"]}],
        )
    )
    w.uploads = [
        Upload.objects.create(
            user=restricted_t.interviewer or User.objects.create_user(username="uploader"),
            testimony=restricted_t,
            length=10,
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )
    ]
    return w


def _seed_transcripts(texts: dict[Any, tuple[str, str]]) -> None:
    """A Kazakh transcript of one segment and its reviewed English translation per testimony
    (so the testimony page carries its subtitle track and the search finds its words)."""
    from aigaq.core.models import User
    from aigaq.transcripts.services import (
        SegmentInput,
        segment_edit,
        segments_replace,
        transcript_create,
        transcript_review,
        transcript_submit,
        translation_create,
    )

    reviewer = User.objects.create_user(username="seed-reviewer", role="coordinator")
    for testimony, (kazakh, english) in texts.items():
        tr = transcript_create(actor=None, testimony=testimony, language="kk")
        segments_replace(actor=None, transcript=tr, segments=[SegmentInput(0, 2000, kazakh)])
        en = translation_create(actor=None, transcript=tr, language="en")
        seg = en.segments.get()
        segment_edit(actor=None, segment=seg, expected_version=seg.version, text=english)
        transcript_submit(actor=None, transcript=en)
        transcript_review(actor=reviewer, transcript=en)


def _ids(records: Callable[[World], list[Any]], attr: str = "pk", param: str = "pk") -> Any:
    return lambda w: [{param: getattr(r, attr)} for r in records(w)]


def _events() -> list[dict[str, Any]]:
    from aigaq.people.models import StatusEvent

    return [
        {"entry_no": e.person.entry_no, "pk": e.pk}
        for e in StatusEvent.objects.select_related("person")
    ]


_persons = _ids(lambda w: w.persons, "entry_no", "entry_no")
_testimonies = _ids(lambda w: w.testimonies, "number", "number")
_visits = _ids(lambda w: w.visits)
_trips = _ids(lambda w: w.trips)
_candidates = _ids(lambda w: w.candidates)
_merges = _ids(lambda w: w.merges)
_conflicts = _ids(lambda w: w.conflicts)
_jobs = _ids(lambda w: w.jobs)
_mirrors = _ids(lambda w: w.mirrors)
_uploads = _ids(lambda w: w.uploads)


def _media(w: World) -> list[dict[str, Any]]:
    """Every stored file (the ID card among them): the player's addresses (staff/media.py)."""
    from aigaq.media.models import MediaFile

    return [{"pk": pk} for pk in MediaFile.objects.values_list("pk", flat=True)]


def _formats(w: World) -> list[dict[str, Any]]:
    """The list exports: CSV is plain text, so a marker in it is found; in XLSX (zipped) it
    would not be, so the XLSX export is requested for its answer alone."""
    return [{"fmt": "csv"}, {"fmt": "xlsx"}]


#: How to fill the path parameters of each route that has some: the seeded records it is
#: requested with (every one of them, each a request).
def _testimony_media(w: World) -> list[dict[str, Any]]:
    from aigaq.testimonies.models import TestimonyMedia

    links = TestimonyMedia.objects.filter(testimony__in=w.testimonies)
    return [{"pk": pk} for pk in sorted({link.media_id for link in links}, key=str)]


def _media_copies(w: World) -> list[dict[str, Any]]:
    # No copy is seeded: the address of one that is not there (a 404 for every role).
    return [{**m, "rendition": uuid.UUID(int=0)} for m in _testimony_media(w)]


def _petitions(w: World) -> list[dict[str, Any]]:
    """A petition about each seeded person (made once, through the services), registered and
    answered, with its scanned letter (a marker in its bytes): its pages show the person's
    names to whoever may see the person, and nothing to anyone else."""
    import io

    from aigaq.petitions.models import Petition
    from aigaq.petitions.services import petition_advance, petition_create

    for p in w.persons:
        if not Petition.objects.filter(person=p).exists():
            made = petition_create(
                actor=None, form="wgeid", persons=[p], entries={"forces": "police"}
            )
            made = petition_advance(
                actor=None,
                petition=made,
                state="registered",
                expected_version=made.version,
                channel="email",
                registration_no="G/SO 217/1",
            )
            petition_advance(
                actor=None,
                petition=made,
                state="answered",
                expected_version=made.version,
                answer="Transmitted to the government.",
                answer_scan=(io.BytesIO(_scan_pdf(ANSWER_SCANS[p.visibility])), "answer.pdf"),
            )
    found = Petition.objects.filter(person__in=w.persons).order_by("created_at")
    return [{"pk": pk} for pk in found.values_list("pk", flat=True)]


def _scan_pdf(marker: str) -> bytes:
    """A scanned answer: a complete (tiny) PDF with `marker` in it."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% " + marker.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _contacts(w: World) -> list[dict[str, Any]]:
    """A family contact on each seeded person's case (made once, through the service), its
    Telegram handle a marker: shown only to readers of restricted fields, on request."""
    from aigaq.casework.models import CaseContact
    from aigaq.casework.services import contact_create
    from aigaq.testimonies.models import TestimonyPerson

    for p in w.persons:
        if not CaseContact.objects.filter(person=p).exists():
            link = TestimonyPerson.objects.filter(person=p).select_related("testimony").first()
            if link is not None:
                contact_create(
                    actor=None,
                    person=p,
                    testifier=link.testimony.testifier,
                    consent=True,
                    method="telegram",
                    handle=CONTACT_HANDLE,
                    next_contact_due=dt.date.today() + dt.timedelta(days=1),
                )
    found = CaseContact.objects.filter(person__in=w.persons).order_by("created_at")
    return [{"pk": pk} for pk in found.values_list("pk", flat=True)]


def _press_requests(w: World) -> list[dict[str, Any]]:
    """A press request matching every case (its page offers testifiers with press consent)."""
    from aigaq.casework.models import PressRequest
    from aigaq.casework.services import press_request_create

    if not PressRequest.objects.exists():
        press_request_create(actor=None, reporter="Jane", outlet="Daily", topic="Camps")
    return [{"pk": pk} for pk in PressRequest.objects.values_list("pk", flat=True)]


FILL: dict[str, Callable[[World], list[dict[str, Any]]]] = {
    "staff:redaction": _testimony_media,
    "staff:redaction_video": _testimony_media,
    "staff:redaction_copy": _media_copies,
    "staff:person_detail": _persons,
    "staff:person_edit": _persons,
    "staff:status_add": _persons,
    "staff:status_edit": lambda w: _events(),
    "staff:status_remove": lambda w: _events(),
    "staff:person_reveal": _persons,
    "staff:person_photo": _persons,
    "staff:testimony_detail": _testimonies,
    "staff:testimony_edit": _testimonies,
    "staff:testimony_withdraw": _testimonies,
    "staff:testifier_contact": _testimonies,
    "staff:person_export": _formats,
    "staff:testimony_export": _formats,
    "intake:visit": _visits,
    "intake:visit_assign": _visits,
    "intake:visit_start": _visits,
    "intake:visit_finish": _visits,
    "intake:visit_contact": _visits,
    "intake:visit_left": _visits,
    "transfer:trip": _trips,
    "transfer:trip_edit": _trips,
    "transfer:trip_status": _trips,
    "transfer:trip_export": _trips,
    "staff:media_play": _media,
    "staff:media_poster": _media,
    "staff:media_thumbs": _media,
    "staff:media_player": _media,
    "staff:job_detail": _jobs,
    "staff:job_status": _jobs,
    "dedup:review": _candidates,
    "dedup:merge_pair": _candidates,
    "dedup:not_same": _candidates,
    "dedup:merge": _merges,
    "dedup:undo": _merges,
    "transfer:conflict_resolve": _conflicts,
    "mirrors:confirm": _mirrors,
    "mirrors:remove": _mirrors,
    "mirrors:add": _testimonies,
    "staff:upload_detail": _uploads,
    "staff:correction_detail": _ids(lambda w: w.submissions),
    # Another staff member's account (an administrator's pages; the crawl disables it).
    "staff:user_activity": lambda w: [{"pk": _colleague().pk}],
    "staff:user_disable": lambda w: [{"pk": _colleague().pk}],
    "staff:user_two_factor_reset": lambda w: [{"pk": _colleague().pk}],
    # The public site as staff preview it (/public/): what it shows is disclosure.public's.
    "public:home": lambda w: [{"lang": "en"}],
    "public:entries": lambda w: [{"lang": "kk"}],
    "public:correction": lambda w: [{"lang": "en"}],
    "public:correction_thanks": lambda w: [{"lang": "ar"}],
    "public:entry": lambda w: [{"lang": "en", "number": p.entry_no} for p in w.persons],
    "public:photo": lambda w: [
        {"number": p.entry_no, "media_id": p.photo_id or uuid.UUID(int=0)} for p in w.persons
    ],
    "public:video": lambda w: _public_videos(),
    "public:subtitles": lambda w: [
        {"number": t["number"], "language": t["lang"]}
        for t in _transcribed(w, "kk") + _transcribed(w, "en")
    ],
    "public:data": lambda w: [{"lang": "ru"}],
    "public:data_dictionary": lambda w: [{"lang": "en"}],
    "public:feed": lambda w: [{"lang": "kk"}],
    "public:data_entry": lambda w: [{"number": p.entry_no} for p in w.persons],
    "public:sitemap_entries": lambda w: [{"chunk": 1}],
    "public:statistics": lambda w: [{"lang": "en"}],
    "public:map": lambda w: [{"lang": "zh"}],
    "staff:petition_panel": _persons,
    "staff:petition_new": _persons,
    "staff:petition_detail": _petitions,
    "staff:petition_state": _petitions,
    "staff:petition_next": _petitions,
    "staff:petition_document": lambda w: [{**p, "fmt": "pdf"} for p in _petitions(w)],
    "staff:petition_answer_scan": _petitions,
    "staff:family_summary": _persons,
    # The JSON API, with a token of every scope for each signed-in role (see the crawl).
    "api-v1:person_detail": _persons,
    "api-v1:person_restricted": _persons,
    "api-v1:person_petitions": _persons,
    "api-v1:person_name_add": _persons,
    "api-v1:testimony_detail": _testimonies,
    "api-v1:entry": _persons,
    "staff:contacts_panel": _persons,
    "staff:contact_detail": _contacts,
    "staff:contact_log": _contacts,
    "staff:contact_edit": _contacts,
    "staff:contact_handle": _contacts,
    "staff:contact_message": _contacts,
    "staff:press_detail": _press_requests,
    "staff:press_introduce": _press_requests,
    "staff:press_close": _press_requests,
    "staff:transcript_editor": lambda w: _transcribed(w, "kk"),
    "staff:translation_page": lambda w: _transcribed(w, "en"),
    "staff:subtitle_track": lambda w: _transcribed(w, "kk") + _transcribed(w, "en"),
    "staff:subtitle_download": lambda w: [
        {**t, "fmt": fmt} for t in _transcribed(w, "en") for fmt in ("srt", "vtt")
    ],
    "staff:publication_package": _testimonies,
    "staff:publication_package_download": _jobs,
    "staff:transcript_mentions": lambda w: _transcribed(w, "kk") + _transcribed(w, "en"),
}


def _transcribed(w: World, lang: str) -> list[dict[str, Any]]:
    """Every seeded testimony in `lang` (seed gives each a Kazakh transcript and an English
    translation, with the testimony's own marker in their text where it has one)."""
    return [{"number": t.number, "lang": lang} for t in w.testimonies]


def _public_videos() -> list[dict[str, Any]]:
    """Every rendition (none is a publication copy of a published testimony: each a 404)."""
    from aigaq.media.models import Rendition

    ids = list(Rendition.objects.values_list("pk", flat=True)) or [uuid.UUID(int=0)]
    return [{"rendition_id": pk} for pk in ids]


def _colleague() -> Any:
    from aigaq.core.models import User

    found = User.objects.filter(username="crawl-colleague").first()
    return found or User.objects.create_user("crawl-colleague", role="translator")


#: Namespaces not crawled, with the reason.
SKIPPED_NAMESPACES = {
    # Django's own administration: superusers only (every other role is sent to its sign-in
    # page, which tests/staff/test_permission_matrix.py checks), and superusers see all.
    "admin": "superusers only",
}

#: Search terms sent to every list, picker and endpoint (the URLs without path parameters)
#: that answered a plain GET: a part of a hidden name, never a whole marker (a search box
#: shows the term back).
SEARCH_TERMS = [
    "zhabyqmarker",
    "ishkimarker",
    "anonmarker",
    "restrictedtranscript",
    "internaltranslation",
]


@dataclass(frozen=True)
class Route:
    namespace: str
    name: str  # "namespace:name", or "" for a pattern without a name
    pattern: str
    params: tuple[str, ...]
    fillable: bool  # False for a regular expression with unnamed groups


def routes() -> Iterator[Route]:
    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                pattern = entry.pattern
                if isinstance(pattern, RoutePattern):
                    params = tuple(pattern.converters)
                    fillable = True
                else:
                    assert isinstance(pattern, RegexPattern)
                    params = tuple(pattern.regex.groupindex)
                    fillable = pattern.regex.groups == len(params)
                name = entry.name or ""
                if name and namespace:
                    name = f"{namespace}:{name}"
                yield Route(namespace, name, prefix + str(pattern), params, fillable)

    yield from walk(get_resolver(), "/", "")


def addresses(world: World) -> tuple[list[tuple[str, str]], list[str]]:
    """[(route, address)] to crawl, and what cannot be filled (each a sentence). The route is
    "" for an address with path parameters (a record's page, which takes no search)."""
    out: list[tuple[str, str]] = []
    problems: list[str] = []
    for r in routes():
        if r.namespace.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        if not r.params and r.fillable:
            out.append((r.name, reverse(r.name) if r.name else r.pattern))
            continue
        how = FILL.get(r.name)
        if how is None or not r.name or not r.fillable:
            problems.append(
                f"the marker crawl cannot fill the path parameters {list(r.params)} of "
                f"{r.name or 'an unnamed pattern'} ({r.pattern}): name the URL pattern and add "
                f"it to FILL in {__file__} with the seeded records it takes (add a record with "
                "markers to `seed` if the page shows a new kind of data)"
            )
            continue
        for kwargs in how(world):
            if set(kwargs) != set(r.params):
                problems.append(f"FILL[{r.name!r}] gives {sorted(kwargs)}, it takes {r.params}")
                break
            out.append(("", reverse(r.name, kwargs=kwargs)))
    return out, problems


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        # Read to the end: the test client then closes the response (an explicit close()
        # would also close the database connection of the test's transaction).
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_every_url_with_path_parameters_can_be_filled() -> None:
    """Fails for a new URL the crawl does not know how to fill, saying how to teach it."""
    _, problems = addresses(World())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_no_answer_shows_a_role_a_marker_it_may_not_read(
    role: str, client: Any, make_user: Any, settings: Any
) -> None:
    world = seed()
    crawl, problems = addresses(world)
    assert not problems, "\n".join(problems)
    user = None
    if role != "anonymous":
        extra = {"is_superuser": True, "is_staff": True} if role == A else {}
        user = make_user(role, f"{role}-crawl", **extra)
        client.force_login(user)
        # The JSON API reads its token, never the session: one with every scope, whose
        # answers must keep to the role's sight like the pages'.
        from aigaq.api.services import api_token_create

        scopes = ["public:read", "internal:read", "write"]
        token = api_token_create(actor=None, user=user, scopes=scopes).token
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        settings.AIGAQ_API_RATE = 0
    forbidden = [m for m in world.markers if role not in m.allowed]
    leaks: list[str] = []
    answers: list[bytes] = []

    def check(method: str, address: str, response: Any) -> None:
        data = body(response)
        for m in forbidden:
            if m.text in data:
                leaks.append(f"{role} {method} {address} ({response.status_code}): {m.label}")
        if user is not None and "_auth_user_id" not in client.session:
            # Signed out (the sign-out URLs, "sign out everywhere" among them): sign in again.
            user.refresh_from_db()
            client.force_login(user)
        answers.append(data)

    for route, address in crawl:
        response = client.get(address)
        check("GET", address, response)
        if route and response.status_code == 200 and user is not None:
            for term in SEARCH_TERMS:
                check("GET", f"{address}?q={term}", client.get(address, {"q": term}))
        response = client.post(address, {})
        check("POST", address, response)
        if response.status_code not in (403, 404, 405) and user is not None:
            # The same as htmx sends it (views answer htmx with fragments).
            answer = client.post(address, {}, HTTP_HX_REQUEST="true")
            check("POST (htmx)", address, answer)

    assert not leaks, "markers shown to a role that may not read them:\n" + "\n".join(leaks)
    seen = b"\n".join(answers)
    if user is not None:  # the crawl did reach the pages: the controls are there
        assert PUBLIC_NAME.encode() in seen
        assert NAMED_TESTIFIER.encode() in seen
    if role == A:  # and every marker is on some page, for whoever may read it
        missing = [m.label for m in world.markers if m.shown_somewhere and m.text not in seen]
        assert not missing, f"the crawl never met these markers (seeding broken?): {missing}"
