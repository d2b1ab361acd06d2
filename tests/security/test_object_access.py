"""Object-level access: every URL that names a record, tried by every role with the id of a
record that role may not see, must answer 403 or 404 (or send the visitor to sign in) and
never carry the record's sentinel strings, through the staff pages and through the JSON API
with a token of the role's.

The object URLs are read from the URL configuration: every pattern with a path parameter
other than a language, a file format or a sitemap chunk. A new one fails
`test_every_object_url_has_hidden_records` until HIDDEN says which records to try on it (or
EXEMPT says why it names no record). The records are made once per test through the real
services, each with sentinel strings; which roles may see each one is said beside it from
core/permissions.py (visibility and capabilities), so the test does not ask the code under
test who may see what.

Besides a record hidden outright, the addresses mix a record the role may see with one it
may not (a public person's entry number with a restricted person's status event, a public
testimony's file with a restricted one's rendition, a public entry with an ID card's file):
the view must check the pair, not each half.

Another user's API token has no address (tokens are made and revoked with `aigaq api token`):
`test_no_url_names_a_token` keeps it so, and tests/api covers a revoked token and a disabled
user's.
"""

from __future__ import annotations

import base64
import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aigaq.core.permissions import CAPABILITIES, VISIBLE
from tests import factories
from tests.staff.test_marker_crawl import routes

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "translator", "interviewer", "coordinator", "admin"]
#: Path parameters that name no record.
NOT_RECORDS = {"lang", "fmt", "chunk"}

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

Sees = Callable[[str], bool]


def seen_at(visibility: str) -> Sees:
    """Roles whose sight (core/permissions.VISIBLE) includes `visibility`."""
    return lambda role: visibility in VISIBLE.get(role, frozenset())


def cap(name: str, also: Sees | None = None) -> Sees:
    """Roles with the capability `name` (and, where given, `also`)."""
    return lambda role: role in CAPABILITIES[name] and (also is None or also(role))


def nobody(role: str) -> bool:
    return False


@dataclass(frozen=True)
class Hidden:
    what: str
    kwargs: dict[str, Any]
    sees: Sees
    sentinels: tuple[str, ...]


# -- the world ------------------------------------------------------------------------------

INTERNAL_NAME = "Ishkiobjmarker Internalbek"
RESTRICTED_NAME = "Zhabyqobjmarker Restrictedbek"
RESTRICTED_NOTE = "Restrictedobjeventmarker"
INTERNAL_NOTE = "Internalobjeventmarker"
INTERNAL_SUMMARY = "Internalobjsummarymarker"
RESTRICTED_SUMMARY = "Restrictedobjsummarymarker"
WITHDRAWN_SUMMARY = "Withdrawnobjsummarymarker"
RESTRICTED_TRANSCRIPT = "Restrictedobjtranscriptmarker"
INTERNAL_TRANSCRIPT = "Internalobjtranscriptmarker"
CARD_NAME = "idcardobjmarker.png"
RESTRICTED_VIDEO = "restrictedobjvideomarker.mp4"
INTERNAL_VIDEO = "internalobjvideomarker.mp4"
CONTACT_HANDLE = "contactobjmarker"
VISITOR = "Visitorobjmarker Qyzy"
TRIP_NOTES = "Tripobjnotesmarker"
JOB_TITLE = "Jobobjtitlemarker.xlsx"
UPLOAD_NAME = "uploadobjmarker.mp4"
SUBMISSION = "submissionobjmarker@example.org"
REPORTER = "Reporterobjmarker"
COLLEAGUE = "colleagueobjmarker"
ANSWER_SCAN = "Answerscanobjmarker"
INTERNAL_SCAN = "Internalscanobjmarker"
PAIR_SCAN = "Pairscanobjmarker"
PAIR_REGISTRATION = "Pairobjregmarker 12/345"
PAIR_ANSWER = "Pairobjanswermarker"
PACKAGE_BYTES = "Packageobjmarker"
RESTRICTED_PACKAGE_BYTES = "Restrictedpackageobjmarker"
#: What the reviewed transcripts of testimonies with a redacted publication copy say, where
#: disclosure must keep their subtitles off the public site (and, the control, where not).
SUBTITLES = {
    "unconsented": "Unconsentedobjsubtitlemarker",
    "withdrawn": "Withdrawnobjsubtitlemarker",
    "anonymous": "Anonymousobjsubtitlemarker",
    "internal_testimony": "Internaltestimonyobjsubtitlemarker",
    "internal_person": "Internalpersonobjsubtitlemarker",
    "restricted_person": "Restrictedpersonobjsubtitlemarker",
}
PUBLISHED_SUBTITLE = "Publishedobjsubtitlecanary"


def _scan(marker: str) -> bytes:
    """A scanned answer: a complete (tiny) PDF carrying `marker`."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% " + marker.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _answered(petition: Any, marker: str, **registered: str) -> Any:
    """`petition` registered (sent), then answered with a scanned letter carrying `marker`."""
    import io

    from aigaq.petitions.services import petition_advance

    petition = petition_advance(
        actor=None,
        petition=petition,
        state="registered",
        expected_version=petition.version,
        channel="email",
        registration_no=registered.get("registration_no", "G/SO 217/1"),
    )
    return petition_advance(
        actor=None,
        petition=petition,
        state="answered",
        expected_version=petition.version,
        answer=registered.get("answer", "Transmitted."),
        answer_scan=(io.BytesIO(_scan(marker)), "answer.pdf"),
    )


def _package_job(owner: Any, testimony: Any, marker: str) -> Any:
    """A publication package another user built, its zip waiting to be fetched."""
    from aigaq.core.models import Job
    from aigaq.transcripts import tasks

    job = Job.objects.create(
        kind=tasks.PACKAGE,
        title=f"Publication package of T{testimony.number}",
        capability="export.run",
        status=Job.Status.DONE,
        done=1,
        total=1,
        created_by=owner,
        params={"testimony": str(testimony.pk), "number": testimony.number},
    )
    path = tasks.package_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK zip of " + marker.encode())
    return job


def _video(testimony: Any, name: str, *, restricted: bool) -> tuple[Any, Any]:
    """A (tiny, unprobed) video attached to `testimony`, with a playback copy."""
    from aigaq.media import storage
    from aigaq.media.models import MediaFile
    from aigaq.media.renditions import rendition_store
    from aigaq.testimonies.services import testimony_attach_media

    stored = storage.store_stream([name.encode() + b" recording"])
    media = MediaFile.objects.create(
        sha256=stored.sha256,
        size=stored.size,
        original_name=name,
        content_type="video/mp4",
        kind="video",
    )
    testimony_attach_media(
        actor=None, testimony=testimony, media=media, kind="video", restricted=restricted
    )
    with tempfile.TemporaryDirectory() as tmp:
        clear = Path(tmp) / "proxy.mp4"
        clear.write_bytes(b"proxy of " + name.encode())
        rendition = rendition_store(
            media=media, kind="proxy", source=clear, content_type="video/mp4"
        )
    return media, rendition


def _subtitled(w: dict[str, Any], tmp: Path) -> None:
    """Testimonies whose video has a redacted publication copy and a reviewed Kazakh
    transcript, each one thing short of the public site's subtitles (one published: the
    control)."""
    from aigaq.testimonies.services import consent_withdraw
    from tests.public.published_video import original, redacted_copy, video_of

    public, internal, restricted = w["public"], w["internal"], w["restricted"]
    made = {
        "published": (public, {}),
        "unconsented": (public, {"consent_public": False}),
        "withdrawn": (public, {}),
        "anonymous": (public, {"consent_anonymous": True}),
        "internal_testimony": (public, {"visibility": "internal"}),
        "internal_person": (internal, {}),
        "restricted_person": (restricted, {}),
    }
    for key, (person, fields) in made.items():
        values = {
            "visibility": "public",
            "consent_public": True,
            "consent_anonymous": False,
            "status": "recorded",
            **fields,
        }
        t = factories.testimony(person, **values)
        redacted_copy(video_of(t, tag=key.encode()), tmp)
        text = PUBLISHED_SUBTITLE if key == "published" else SUBTITLES[key]
        original(t, "kk", [text, text])
        if key == "withdrawn":
            t = consent_withdraw(actor=None, testimony=t, reason="asked")
        w[f"sub_{key}"] = t


def _transcribe(testimony: Any, text: str) -> None:
    from aigaq.transcripts.services import SegmentInput, segments_replace, transcript_create

    tr = transcript_create(actor=None, testimony=testimony, language="kk")
    segments_replace(actor=None, transcript=tr, segments=[SegmentInput(0, 2000, text)])


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    from django.utils import timezone

    # A data folder of the test's own: tests run beside it under pytest -n (the marker crawl,
    # the XSS crawl) clean their own media folder of files their database does not name, which
    # in the shared one are this test's scanned answers and videos.
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"

    from aigaq.casework.services import contact_create, press_request_create
    from aigaq.core.models import Job, User
    from aigaq.corrections.models import Submission
    from aigaq.dedup import scan
    from aigaq.dedup.models import Candidate
    from aigaq.dedup.services import candidates_store, person_merge
    from aigaq.intake.services import field_trip_create, visit_register
    from aigaq.media.services import media_ingest
    from aigaq.mirrors.models import Mirror
    from aigaq.people.services import person_set_photo, status_event_add
    from aigaq.petitions.services import petition_create
    from aigaq.staff.models import Upload
    from aigaq.testimonies.models import Testimony
    from aigaq.testimonies.services import consent_withdraw, testimony_attach_media
    from aigaq.transfer.models import Bundle, Conflict

    w: dict[str, Any] = {}
    public = factories.person("Ashyq Publicobj", visibility="public")
    internal = factories.person(INTERNAL_NAME, visibility="internal")
    restricted = factories.person(RESTRICTED_NAME, visibility="restricted")
    twin = factories.person("Zhabyqobjtwin Restrictedbek", visibility="restricted")
    w.update(public=public, internal=internal, restricted=restricted)
    w["internal_event"] = status_event_add(
        actor=None, person=internal, kind="detained", date_text="2018", note=INTERNAL_NOTE
    )
    w["restricted_event"] = status_event_add(
        actor=None, person=restricted, kind="detained", date_text="2018", note=RESTRICTED_NOTE
    )
    # A photo on the restricted person (the public site's photo address, the staff one).
    w["restricted"] = restricted = person_set_photo(
        actor=None,
        person=restricted,
        fileobj=SimpleUploadedFile("r.png", PNG + b"restrictedphoto"),
        name="r",
    )

    who = factories.testifier("Aigul Objtestifier")
    pub_t = factories.testimony(
        public, testifier_obj=who, visibility="public", consent_press=True, consent_public=True
    )
    int_t = factories.testimony(
        internal, testifier_obj=who, visibility="internal", summary=INTERNAL_SUMMARY
    )
    res_t = factories.testimony(
        public, testifier_obj=who, visibility="restricted", summary=RESTRICTED_SUMMARY
    )
    withdrawn = factories.testimony(public, testifier_obj=who, visibility="public")
    withdrawn = consent_withdraw(actor=None, testimony=withdrawn, reason="asked")
    Testimony.objects.filter(pk=withdrawn.pk).update(summary=WITHDRAWN_SUMMARY)
    w.update(pub_t=pub_t, int_t=int_t, res_t=res_t, withdrawn=withdrawn)
    _transcribe(res_t, RESTRICTED_TRANSCRIPT)
    _transcribe(int_t, INTERNAL_TRANSCRIPT)
    _transcribe(pub_t, "Ashyq soz.")
    # A name said in the public testimony, linked to the restricted person's record.
    from aigaq.transcripts.models import Segment
    from aigaq.transcripts.services import mention_add

    said = Segment.objects.get(transcript__testimony=pub_t)
    mention_add(actor=None, segment=said, start=0, end=5, person=restricted)

    w["pub_video"], w["pub_rendition"] = _video(pub_t, "publicobj.mp4", restricted=False)
    w["int_video"], w["int_rendition"] = _video(int_t, INTERNAL_VIDEO, restricted=False)
    w["res_video"], w["res_rendition"] = _video(res_t, RESTRICTED_VIDEO, restricted=False)
    card = media_ingest(
        actor=None,
        fileobj=SimpleUploadedFile(CARD_NAME, PNG + b"idcardbytes"),
        original_name=CARD_NAME,
        kind="id_card",
    )
    testimony_attach_media(actor=None, testimony=pub_t, media=card, kind="id_card")
    w["card"] = card

    w["int_petition"] = petition_create(actor=None, form="wgeid", persons=[internal], entries={})
    w["res_petition"] = petition_create(actor=None, form="wgeid", persons=[restricted], entries={})
    # Filed under the public person, about the restricted one too (a form for several).
    w["pair_petition"] = petition_create(
        actor=None, form="kz-mfa-ru", persons=[public, restricted], entries={}
    )
    w["res_first_petition"] = petition_create(
        actor=None, form="kz-mfa-ru", persons=[restricted, public], entries={}
    )
    # Answered, each with its scanned letter (restricted documents); the pair was sent, so
    # the public person's summary for the family would list it.
    w["int_petition"] = _answered(w["int_petition"], INTERNAL_SCAN)
    w["res_petition"] = _answered(w["res_petition"], ANSWER_SCAN)
    w["pair_petition"] = _answered(
        w["pair_petition"], PAIR_SCAN, registration_no=PAIR_REGISTRATION, answer=PAIR_ANSWER
    )
    factories.testimony(restricted, testifier_obj=who)
    w["pub_contact"] = contact_create(
        actor=None,
        person=public,
        testifier=who,
        consent=True,
        method="phone",
        handle="+77010000009",
    )
    w["res_contact"] = contact_create(
        actor=None,
        person=restricted,
        testifier=who,
        consent=True,
        method="telegram",
        handle=CONTACT_HANDLE,
    )
    w["int_contact"] = contact_create(
        actor=None, person=internal, testifier=who, consent=True, method="telegram", handle="x"
    )
    w["press"] = press_request_create(actor=None, reporter=REPORTER, outlet="Daily", topic="x")
    w["visit"] = visit_register(actor=None, visitor_name=VISITOR, relatives=[restricted])
    trip = field_trip_create(
        actor=None,
        name="Tekes obj",
        place_label="Tekes",
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 3),
        notes=TRIP_NOTES,
    )
    w["trip"] = trip
    a, b = scan.ordered(restricted.pk, twin.pk)
    candidates_store([scan.Found(a, b, 0.95, [{"code": "names", "score": 0.95}])])
    w["candidate"] = Candidate.objects.get(a_id=a, b_id=b)
    survivor = factories.person("Zhabyqobj Keptbek", visibility="restricted")
    retired = factories.person("Zhabyqobj Retiredbek", visibility="restricted")
    w["merge"] = person_merge(
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
    w["conflict"] = Conflict.objects.create(
        bundle=bundle,
        record_type="person",
        record_id=restricted.pk,
        record_label=RESTRICTED_NAME,
        office_version=restricted.version,
        office_snapshot={"occupation": "teacher"},
        field_snapshot={"occupation": "farmer"},
    )
    w["res_mirror"] = Mirror.objects.create(testimony=res_t, url="https://example.org/v/r")
    w["int_mirror"] = Mirror.objects.create(testimony=int_t, url="https://example.org/v/i")
    w["submission"] = Submission.objects.create(message="Wrong year", contact=SUBMISSION)
    with tempfile.TemporaryDirectory() as tmp:
        _subtitled(w, Path(tmp))

    # Another staff member's: an account, a job and an upload (of a public testimony).
    colleague = User.objects.create_user(COLLEAGUE, role="coordinator")
    w["colleague"] = colleague
    w["job"] = Job.objects.create(
        kind="spreadsheet_import",
        title=JOB_TITLE,
        capability="import.run",
        status=Job.Status.DONE,
        done=1,
        total=1,
        created_by=colleague,
    )
    w["package"] = _package_job(colleague, pub_t, PACKAGE_BYTES)
    # Built while the testimony could be published; it is restricted now.
    w["res_package"] = _package_job(colleague, res_t, RESTRICTED_PACKAGE_BYTES)
    w["upload"] = Upload.objects.create(
        user=colleague,
        testimony=pub_t,
        length=10,
        file_name=UPLOAD_NAME,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    return w


# -- which records to try on each object URL ------------------------------------------------

INTERNAL = seen_at("internal")
RESTRICTED = seen_at("restricted")
WITHDRAWN = cap("restricted.read")  # a withdrawn testimony: readers of restricted fields


def _persons(w: dict[str, Any], param: str = "entry_no") -> list[Hidden]:
    return [
        Hidden("internal person", {param: w["internal"].entry_no}, INTERNAL, (INTERNAL_NAME,)),
        Hidden(
            "restricted person", {param: w["restricted"].entry_no}, RESTRICTED, (RESTRICTED_NAME,)
        ),
    ]


def _public_persons(w: dict[str, Any], param: str = "number") -> list[Hidden]:
    """On the public site: only a published entry, for everyone."""
    return [Hidden(h.what, h.kwargs, nobody, h.sentinels) for h in _persons(w, param)]


def _testimonies(w: dict[str, Any]) -> list[Hidden]:
    return [
        Hidden("internal testimony", {"number": w["int_t"].number}, INTERNAL, (INTERNAL_SUMMARY,)),
        Hidden(
            "restricted testimony",
            {"number": w["res_t"].number},
            RESTRICTED,
            (RESTRICTED_SUMMARY, RESTRICTED_TRANSCRIPT),
        ),
        Hidden(
            "withdrawn testimony",
            {"number": w["withdrawn"].number},
            WITHDRAWN,
            (WITHDRAWN_SUMMARY,),
        ),
    ]


def _transcripts(w: dict[str, Any], **extra: str) -> list[Hidden]:
    return [
        Hidden(
            "restricted testimony's transcript",
            {"number": w["res_t"].number, "lang": "kk", **extra},
            RESTRICTED,
            (RESTRICTED_TRANSCRIPT, RESTRICTED_SUMMARY),
        ),
        Hidden(
            "internal testimony's transcript",
            {"number": w["int_t"].number, "lang": "kk", **extra},
            INTERNAL,
            (INTERNAL_TRANSCRIPT, INTERNAL_SUMMARY),
        ),
    ]


def _events(w: dict[str, Any]) -> list[Hidden]:
    pub, res, internal = w["public"], w["restricted"], w["internal"]
    return [
        Hidden(
            "restricted person's event",
            {"entry_no": res.entry_no, "pk": w["restricted_event"].pk},
            RESTRICTED,
            (RESTRICTED_NOTE, RESTRICTED_NAME),
        ),
        # The pair: a person the role may see, an event of one it may not.
        Hidden(
            "public person, restricted person's event",
            {"entry_no": pub.entry_no, "pk": w["restricted_event"].pk},
            nobody,
            (RESTRICTED_NOTE, RESTRICTED_NAME),
        ),
        Hidden(
            "public person, internal person's event",
            {"entry_no": pub.entry_no, "pk": w["internal_event"].pk},
            nobody,
            (INTERNAL_NOTE, INTERNAL_NAME),
        ),
        Hidden(
            "internal person's event",
            {"entry_no": internal.entry_no, "pk": w["internal_event"].pk},
            INTERNAL,
            (INTERNAL_NOTE, INTERNAL_NAME),
        ),
    ]


def _media(w: dict[str, Any]) -> list[Hidden]:
    return [
        Hidden(
            "internal testimony's video", {"pk": w["int_video"].pk}, INTERNAL, (INTERNAL_VIDEO,)
        ),
        Hidden(
            "restricted testimony's video",
            {"pk": w["res_video"].pk},
            RESTRICTED,
            (RESTRICTED_VIDEO,),
        ),
        Hidden("an ID card", {"pk": w["card"].pk}, cap("restricted.read"), (CARD_NAME,)),
    ]


def _redaction(w: dict[str, Any]) -> list[Hidden]:
    """The redaction pages: editors of copies (media.redact) who may see the file."""
    return [Hidden(h.what, h.kwargs, cap("media.redact", h.sees), h.sentinels) for h in _media(w)]


def _copies(w: dict[str, Any]) -> list[Hidden]:
    hidden = [
        Hidden(
            h.what + " with its playback copy",
            {**h.kwargs, "rendition": r.pk},
            cap("media.redact", h.sees),
            h.sentinels,
        )
        for h, r in zip(_media(w)[:2], (w["int_rendition"], w["res_rendition"]), strict=True)
    ]
    # The pair: a public testimony's file, a restricted one's rendition.
    hidden.append(
        Hidden(
            "public video, restricted video's copy",
            {"pk": w["pub_video"].pk, "rendition": w["res_rendition"].pk},
            nobody,
            (RESTRICTED_VIDEO,),
        )
    )
    return hidden


def _petitions(w: dict[str, Any], **extra: str) -> list[Hidden]:
    return [
        Hidden(
            "petition about an internal person",
            {"pk": w["int_petition"].pk, **extra},
            cap("petition.manage", INTERNAL),
            (INTERNAL_NAME,),
        ),
        Hidden(
            "petition about a restricted person",
            {"pk": w["res_petition"].pk, **extra},
            cap("petition.manage", RESTRICTED),
            (RESTRICTED_NAME,),
        ),
    ]


def _pair_petition(w: dict[str, Any], **extra: str) -> list[Hidden]:
    return [
        Hidden(
            "petition about a public and a restricted person",
            {"pk": w["pair_petition"].pk, **extra},
            cap("petition.manage", RESTRICTED),
            (RESTRICTED_NAME,),
        )
    ]


def _contacts(w: dict[str, Any]) -> list[Hidden]:
    return [
        Hidden(
            "contact on a restricted person's case",
            {"pk": w["res_contact"].pk},
            cap("restricted.read", RESTRICTED),
            (RESTRICTED_NAME, CONTACT_HANDLE),
        ),
        Hidden(
            "contact on an internal person's case",
            {"pk": w["int_contact"].pk},
            cap("restricted.read", INTERNAL),
            (INTERNAL_NAME,),
        ),
    ]


def _answer_scans(w: dict[str, Any]) -> list[Hidden]:
    """The scanned answers: to petition managers who may see every person the petition
    names (the scan is a restricted document: those managers all read restricted files)."""
    return [
        Hidden(
            "scanned answer of a petition about an internal person",
            {"pk": w["int_petition"].pk},
            cap("petition.manage", cap("restricted.read", INTERNAL)),
            (INTERNAL_SCAN, INTERNAL_NAME),
        ),
        Hidden(
            "scanned answer of a petition about a restricted person",
            {"pk": w["res_petition"].pk},
            cap("petition.manage", cap("restricted.read", RESTRICTED)),
            (ANSWER_SCAN, RESTRICTED_NAME),
        ),
        Hidden(
            "scanned answer of a petition about a public and a restricted person",
            {"pk": w["pair_petition"].pk},
            cap("petition.manage", cap("restricted.read", RESTRICTED)),
            (PAIR_SCAN, RESTRICTED_NAME),
        ),
    ]


def _family_summaries(w: dict[str, Any]) -> list[Hidden]:
    """The summary for the family: petition managers who may see the person."""
    return [
        Hidden(
            h.what + "'s summary for the family",
            h.kwargs,
            cap("petition.manage", h.sees),
            h.sentinels,
        )
        for h in _persons(w)
    ]


def _packages(w: dict[str, Any]) -> list[Hidden]:
    """Another user's publication package: those who may make packages (and see the
    testimony) follow its job and fetch it; nobody else."""
    return [
        Hidden(
            "another user's package", {"pk": w["package"].pk}, cap("export.run"), (PACKAGE_BYTES,)
        ),
        Hidden(
            "another user's package of a testimony restricted since",
            {"pk": w["res_package"].pk},
            cap("export.run", RESTRICTED),
            (RESTRICTED_PACKAGE_BYTES,),
        ),
    ]


def _one(key: str, what: str, sees: Sees, *sentinels: str) -> Callable[[dict[str, Any]], Any]:
    return lambda w: [Hidden(what, {"pk": w[key].pk}, sees, sentinels)]


def _mirrors(w: dict[str, Any]) -> list[Hidden]:
    return [
        Hidden(
            "mirror of a restricted testimony",
            {"pk": w["res_mirror"].pk},
            cap("testimony.edit", RESTRICTED),
            (RESTRICTED_SUMMARY,),
        ),
        Hidden(
            "mirror of an internal testimony",
            {"pk": w["int_mirror"].pk},
            cap("testimony.edit", INTERNAL),
            (INTERNAL_SUMMARY,),
        ),
    ]


def _public_photos(w: dict[str, Any]) -> list[Hidden]:
    pub, res = w["public"], w["restricted"]
    return [
        Hidden(
            "restricted person's photo",
            {"number": res.entry_no, "media_id": res.photo_id},
            nobody,
            (RESTRICTED_NAME,),
        ),
        Hidden(
            "public entry, restricted person's photo",
            {"number": pub.entry_no, "media_id": res.photo_id},
            nobody,
            (RESTRICTED_NAME,),
        ),
        Hidden(
            "public entry, an ID card",
            {"number": pub.entry_no, "media_id": w["card"].pk},
            nobody,
            (CARD_NAME,),
        ),
    ]


def _public_videos(w: dict[str, Any]) -> list[Hidden]:
    # No copy is published: every rendition, the public testimony's included, is a 404.
    return [
        Hidden(what, {"rendition_id": w[key].pk}, nobody, sentinels)
        for what, key, sentinels in (
            ("restricted testimony's copy", "res_rendition", (RESTRICTED_VIDEO,)),
            ("internal testimony's copy", "int_rendition", (INTERNAL_VIDEO,)),
            ("unpublished public testimony's copy", "pub_rendition", ()),
        )
    ]


def _public_subtitles(w: dict[str, Any]) -> list[Hidden]:
    """Reviewed subtitles of a redacted copy, of a testimony the public may not read them of:
    a 404 for everyone, in the transcript's language and in one it was never put in."""
    return [
        Hidden(
            f"subtitles of the {key.replace('_', ' ')} testimony",
            {"number": w[f"sub_{key}"].number, "language": language},
            nobody,
            (sentinel,),
        )
        for key, sentinel in SUBTITLES.items()
        for language in ("kk", "en")
    ]


def _colleague(w: dict[str, Any]) -> list[Hidden]:
    return [Hidden("another user's account", {"pk": w["colleague"].pk}, cap("users.manage"), ())]


HIDDEN: dict[str, Callable[[dict[str, Any]], list[Hidden]]] = {
    # Persons and what hangs on them.
    "staff:person_detail": _persons,
    "staff:person_edit": _persons,
    "staff:status_add": _persons,
    "staff:person_reveal": _persons,
    "staff:person_photo": _persons,
    "staff:petition_panel": _persons,
    "staff:petition_new": _persons,
    "staff:contacts_panel": _persons,
    "staff:family_summary": _family_summaries,
    "staff:status_edit": _events,
    "staff:status_remove": _events,
    # Testimonies, their transcripts, subtitles and packages.
    "staff:testimony_detail": _testimonies,
    "staff:testimony_edit": _testimonies,
    "staff:testimony_withdraw": _testimonies,
    "staff:testifier_contact": _testimonies,
    "staff:publication_package": _testimonies,
    "mirrors:add": _testimonies,
    "staff:transcript_editor": _transcripts,
    "staff:translation_page": _transcripts,
    "staff:subtitle_track": _transcripts,
    "staff:subtitle_download": lambda w: _transcripts(w, fmt="srt"),
    "staff:transcript_mentions": _transcripts,
    "staff:publication_package_download": _packages,
    # Files.
    "staff:media_play": _media,
    "staff:media_poster": _media,
    "staff:media_thumbs": _media,
    "staff:media_player": _media,
    "staff:redaction": _redaction,
    "staff:redaction_video": _redaction,
    "staff:redaction_copy": _copies,
    # Casework, petitions, the desk, duplicates, imports.
    "staff:petition_detail": lambda w: _petitions(w) + _pair_petition(w),
    "staff:petition_state": lambda w: _petitions(w) + _pair_petition(w),
    "staff:petition_next": lambda w: _petitions(w) + _pair_petition(w),
    "staff:petition_document": lambda w: _petitions(w, fmt="pdf") + _pair_petition(w, fmt="pdf"),
    "staff:petition_answer_scan": _answer_scans,
    "staff:contact_detail": _contacts,
    "staff:contact_log": _contacts,
    "staff:contact_edit": _contacts,
    "staff:contact_handle": _contacts,
    "staff:contact_message": _contacts,
    "staff:press_detail": _one("press", "press request", cap("press.manage"), REPORTER),
    "staff:press_introduce": _one("press", "press request", cap("press.manage"), REPORTER),
    "staff:press_close": _one("press", "press request", cap("press.manage"), REPORTER),
    "intake:visit": _one("visit", "visit", cap("intake.desk"), VISITOR),
    "intake:visit_assign": _one("visit", "visit", cap("intake.desk"), VISITOR),
    "intake:visit_start": _one("visit", "visit", cap("intake.desk"), VISITOR),
    "intake:visit_finish": _one("visit", "visit", cap("intake.desk"), VISITOR),
    "intake:visit_left": _one("visit", "visit", cap("intake.desk"), VISITOR),
    "intake:visit_contact": _one("visit", "visit", cap("intake.desk"), VISITOR),
    "transfer:trip": _one("trip", "field trip", cap("fieldtrip.manage"), TRIP_NOTES),
    "transfer:trip_edit": _one("trip", "field trip", cap("fieldtrip.manage"), TRIP_NOTES),
    "transfer:trip_status": _one("trip", "field trip", cap("fieldtrip.manage"), TRIP_NOTES),
    "transfer:trip_export": _one("trip", "field trip", cap("fieldtrip.manage"), TRIP_NOTES),
    "transfer:conflict_resolve": _one(
        "conflict", "conflict on a restricted person", cap("import.run"), RESTRICTED_NAME
    ),
    "dedup:review": _one("candidate", "restricted pair", cap("person.merge"), RESTRICTED_NAME),
    "dedup:merge_pair": _one("candidate", "restricted pair", cap("person.merge"), RESTRICTED_NAME),
    "dedup:not_same": _one("candidate", "restricted pair", cap("person.merge"), RESTRICTED_NAME),
    "dedup:merge": _one("merge", "restricted merge", cap("person.merge"), "Zhabyqobj"),
    "dedup:undo": _one("merge", "restricted merge", cap("person.merge"), "Zhabyqobj"),
    "mirrors:confirm": _mirrors,
    "mirrors:remove": _mirrors,
    "staff:correction_detail": _one(
        "submission", "public correction", cap("corrections.review"), SUBMISSION
    ),
    # Another staff member's records.
    "staff:job_detail": _one("job", "another user's import", cap("import.run"), JOB_TITLE),
    "staff:job_status": _one("job", "another user's import", cap("import.run"), JOB_TITLE),
    "staff:upload_detail": _one("upload", "another user's upload", nobody, UPLOAD_NAME),
    "staff:user_activity": _colleague,
    "staff:user_disable": _colleague,
    "staff:user_two_factor_reset": _colleague,
    # The public site (as staff preview it): nothing unpublished, for anyone.
    "public:entry": lambda w: [
        Hidden(h.what, {**h.kwargs, "lang": "en"}, nobody, h.sentinels) for h in _public_persons(w)
    ],
    "public:data_entry": _public_persons,
    "public:photo": _public_photos,
    "public:video": _public_videos,
    "public:subtitles": _public_subtitles,
    # The JSON API, with a token of the role's holding every scope.
    "api-v1:person_detail": _persons,
    "api-v1:person_restricted": _persons,
    "api-v1:person_petitions": _persons,
    "api-v1:person_name_add": _persons,
    "api-v1:testimony_detail": _testimonies,
    "api-v1:entry": lambda w: _public_persons(w, "entry_no"),
}

#: Object URLs that name no record of Aigaq's, with the reason.
EXEMPT_NAMESPACES = {
    "admin": "Django's administration: superusers only, who see all "
    "(tests/staff/test_permission_matrix.py sends every other role to its sign-in page)",
}


def object_routes() -> list[Any]:
    return [
        r
        for r in routes()
        if set(r.params) - NOT_RECORDS and r.namespace.split(":")[0] not in EXEMPT_NAMESPACES
    ]


def test_every_object_url_has_hidden_records() -> None:
    missing = [
        f"{r.name or 'an unnamed pattern'} ({r.pattern})"
        for r in object_routes()
        if r.name not in HIDDEN
    ]
    assert not missing, (
        f"object URLs without records to try in HIDDEN of {__file__}: {missing} (add the "
        "records each role may not see, with their sentinel strings)"
    )


def test_no_url_names_a_token() -> None:
    assert not [r.pattern for r in routes() if "token" in " ".join(r.params).lower()]


def test_hidden_records_are_the_addresses_their_routes_take(world: dict[str, Any]) -> None:
    by_name = {r.name: r for r in object_routes()}
    for name, records in HIDDEN.items():
        assert name in by_name, f"{name} is in HIDDEN but no longer a URL"
        for h in records(world):
            assert set(h.kwargs) == set(by_name[name].params), (name, h.what)


def _answer(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = bytes(response.content)
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return data + b"\n" + headers.encode()


def _sign_in(client: Any, make_user: Any, settings: Any, role: str) -> Any:
    from aigaq.api.services import api_token_create

    if role == "anonymous":
        return None
    extra = {"is_superuser": True, "is_staff": True} if role == "admin" else {}
    user = make_user(role, f"{role}-objects", **extra)
    client.force_login(user)
    token = api_token_create(
        actor=None, user=user, scopes=["public:read", "internal:read", "write"]
    ).token
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    settings.AIGAQ_API_RATE = 0
    return user


def _refused(role: str, api: bool, response: Any) -> bool:
    status = response.status_code
    if status in (403, 404):
        return True
    if status == 405:  # the method is not the route's: no record was looked at
        return True
    if role == "anonymous":
        if api:
            return status == 401
        login = reverse("staff:login")
        return status == 302 and response["Location"].startswith(login + "?next=")
    return False


def _requests(client: Any, address: str, api: bool, route: str) -> list[tuple[str, Any]]:
    """(method, a call sending it) for each request tried on `address`."""

    def call(name: str, *args: Any, **kwargs: Any) -> Any:
        return lambda: getattr(client, name)(address, *args, **kwargs)

    if api:  # a body the endpoint accepts: a malformed one is refused (422) unread
        json = call("post", {"full_name": "X"}, content_type="application/json")
        return [("GET", call("get")), ("POST json", json)]
    out = [
        ("GET", call("get")),
        ("POST", call("post", {})),
        ("POST htmx", call("post", {}, HTTP_HX_REQUEST="true")),
    ]
    if route == "staff:upload_detail":  # the tus methods
        tus = {"HTTP_TUS_RESUMABLE": "1.0.0"}
        out += [
            ("HEAD", call("head", **tus)),
            ("DELETE", call("delete", **tus)),
            (
                "PATCH",
                call(
                    "patch",
                    b"0123456789",
                    content_type="application/offset+octet-stream",
                    HTTP_UPLOAD_OFFSET="0",
                    **tus,
                ),
            ),
        ]
    return out


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_a_record_it_may_not_see(
    role: str, client: Any, make_user: Any, settings: Any, world: dict[str, Any]
) -> None:
    user = _sign_in(client, make_user, settings, role)
    failures: list[str] = []
    tried = 0
    for r in object_routes():
        api = r.namespace.startswith("api")
        for h in HIDDEN[r.name](world):
            if h.sees(role):
                continue
            address = reverse(r.name, kwargs=h.kwargs)
            for method, send in _requests(client, address, api, r.name):
                tried += 1
                response = send()
                data = _answer(response)
                shown = [s for s in h.sentinels if s.encode() in data]
                if not _refused(role, api, response) or shown:
                    failures.append(
                        f"{role} {method} {address} [{r.name}: {h.what}] -> "
                        f"{response.status_code}" + (f", shows {shown}" if shown else "")
                    )
                if user is not None and "_auth_user_id" not in client.session:
                    user.refresh_from_db()
                    client.force_login(user)
    assert tried, "nothing was tried"
    assert not failures, "a role reached a record it may not see:\n" + "\n".join(failures)


#: Pages of a record every signed-in role may open, that must not name a record linked to it
#: which the role may not see: (route, its arguments, the sentinels, roles that may read them).
#: The ids of the petitions that name the restricted person beside the public one are
#: sentinels too: a list that shows them says such a petition exists.
def _pair_ids(w: dict[str, Any]) -> tuple[str, ...]:
    return (str(w["pair_petition"].pk), str(w["res_first_petition"].pk), RESTRICTED_NAME)


LINKED: list[
    tuple[
        str,
        Callable[[dict[str, Any]], dict[str, Any]],
        Callable[[dict[str, Any]], tuple[str, ...]],
        Sees,
    ]
] = [
    ("staff:petition_panel", lambda w: {"entry_no": w["public"].entry_no}, _pair_ids, RESTRICTED),
    (
        "api-v1:person_petitions",
        lambda w: {"entry_no": w["public"].entry_no},
        _pair_ids,
        RESTRICTED,
    ),
    ("staff:contact_message", lambda w: {"pk": w["pub_contact"].pk}, _pair_ids, RESTRICTED),
    ("staff:person_detail", lambda w: {"entry_no": w["public"].entry_no}, _pair_ids, RESTRICTED),
    ("api-v1:person_detail", lambda w: {"entry_no": w["public"].entry_no}, _pair_ids, RESTRICTED),
    (
        "staff:family_summary",
        lambda w: {"entry_no": w["public"].entry_no},
        lambda w: (*_pair_ids(w), PAIR_REGISTRATION, PAIR_ANSWER),
        RESTRICTED,
    ),
    (
        "staff:transcript_mentions",
        lambda w: {"number": w["pub_t"].number, "lang": "kk"},
        lambda w: (RESTRICTED_NAME,),
        RESTRICTED,
    ),
    (
        "staff:testimony_detail",
        lambda w: {"number": w["pub_t"].number},
        lambda w: (CARD_NAME,),
        cap("restricted.read"),
    ),
]


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_page_of_a_visible_record_names_no_hidden_one(
    role: str, client: Any, make_user: Any, settings: Any, world: dict[str, Any]
) -> None:
    _sign_in(client, make_user, settings, role)
    shown = []
    for route, kwargs, sentinels, sees in LINKED:
        address = reverse(route, kwargs=kwargs(world))
        response = client.get(address)
        assert response.status_code in (200, 403), address
        data = _answer(response)
        found = [s for s in sentinels(world) if s.encode() in data]
        if found and not sees(role):
            shown.append(f"{role} GET {address}: {found}")
    assert not shown, "\n".join(shown)


def test_the_records_are_there_for_those_who_may_see_them(
    client: Any, make_user: Any, settings: Any, world: dict[str, Any]
) -> None:
    """The control: the admin opens the hidden records' pages and meets their sentinels (so a
    404 above means "hidden", not "the address was wrong")."""
    _sign_in(client, make_user, settings, "admin")
    for route, kwargs, sentinel in (
        ("staff:person_detail", {"entry_no": world["restricted"].entry_no}, RESTRICTED_NAME),
        ("staff:testimony_detail", {"number": world["res_t"].number}, RESTRICTED_SUMMARY),
        ("staff:petition_detail", {"pk": world["res_petition"].pk}, RESTRICTED_NAME),
        ("staff:job_detail", {"pk": world["job"].pk}, JOB_TITLE),
        ("staff:petition_detail", {"pk": world["pair_petition"].pk}, RESTRICTED_NAME),
        (
            "api-v1:person_petitions",
            {"entry_no": world["public"].entry_no},
            str(world["pair_petition"].pk),
        ),
        (
            "staff:petition_panel",
            {"entry_no": world["public"].entry_no},
            str(world["res_first_petition"].pk),
        ),
        ("staff:testimony_detail", {"number": world["pub_t"].number}, CARD_NAME),
        ("api-v1:person_detail", {"entry_no": world["restricted"].entry_no}, RESTRICTED_NAME),
        (
            "staff:status_edit",
            {"entry_no": world["restricted"].entry_no, "pk": world["restricted_event"].pk},
            RESTRICTED_NOTE,
        ),
        ("staff:family_summary", {"entry_no": world["public"].entry_no}, PAIR_REGISTRATION),
        ("staff:family_summary", {"entry_no": world["restricted"].entry_no}, RESTRICTED_NAME),
        ("staff:petition_answer_scan", {"pk": world["res_petition"].pk}, ANSWER_SCAN),
        ("staff:petition_answer_scan", {"pk": world["pair_petition"].pk}, PAIR_SCAN),
        ("staff:contact_edit", {"pk": world["res_contact"].pk}, RESTRICTED_NAME),
        (
            "staff:transcript_mentions",
            {"number": world["pub_t"].number, "lang": "kk"},
            RESTRICTED_NAME,
        ),
        (
            "staff:transcript_mentions",
            {"number": world["res_t"].number, "lang": "kk"},
            RESTRICTED_TRANSCRIPT,
        ),
        ("staff:publication_package_download", {"pk": world["package"].pk}, PACKAGE_BYTES),
        (
            "public:subtitles",
            {"number": world["sub_published"].number, "language": "kk"},
            PUBLISHED_SUBTITLE,
        ),
    ):
        response = client.get(reverse(route, kwargs=kwargs))
        assert response.status_code == 200, route
        assert sentinel.encode() in _answer(response), route
    # The upload is its owner's alone: the owner reaches it.
    client.force_login(world["colleague"])
    address = reverse("staff:upload_detail", kwargs={"pk": world["upload"].pk})
    assert client.head(address, HTTP_TUS_RESUMABLE="1.0.0").status_code == 200
