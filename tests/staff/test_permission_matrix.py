"""Every staff URL × every role → the status expected. ONE table, walked by one test.

Adding a page? Add ONE line to TABLE: the route name, how to build its address from the
`world` (records made once per test through the real services), the method, and the six
expected results in the order of ROLES. `test_every_route_is_in_the_table` fails until you do
(for the namespaces listed in ENFORCED_NAMESPACES; add yours there once its rows are in).

Expected results: 200, 403, 404, 302 (a redirect elsewhere), LOGIN (302 to the sign-in page),
ADMIN_LOGIN (302 to the administration's own sign-in page).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aigaq.people.validators import chinese_id_check_char
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "translator", "interviewer", "coordinator", "admin"]
LOGIN = "login"
ADMIN_LOGIN = "admin-login"
Expect = tuple[Any, Any, Any, Any, Any, Any]

#                anonymous viewer translator interviewer coordinator admin
EVERYONE: Expect = (LOGIN, 200, 200, 200, 200, 200)
EDITORS: Expect = (LOGIN, 403, 403, 200, 200, 200)  # person.edit / testimony.edit / consent
EDITORS_302: Expect = (LOGIN, 403, 403, 302, 302, 302)
NOT_VIEWER: Expect = (LOGIN, 404, 200, 200, 200, 200)  # internal records
RESTRICTED_RECORD: Expect = (LOGIN, 404, 404, 404, 200, 200)
SUPERUSERS: Expect = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)
SIGNED_OUT_ONLY: Expect = (200, 302, 302, 302, 302, 302)
RESTRICTED_READERS: Expect = (LOGIN, 403, 403, 200, 200, 200)  # restricted.read
DESK: Expect = (LOGIN, 403, 403, 200, 200, 200)  # intake.desk
DESK_302: Expect = (LOGIN, 403, 403, 302, 302, 302)
COORDINATORS: Expect = (LOGIN, 403, 403, 403, 200, 200)  # fieldtrip / import / person.merge
COORDINATORS_302: Expect = (LOGIN, 403, 403, 403, 302, 302)
COORDINATORS_400: Expect = (LOGIN, 403, 403, 403, 400, 400)
ADMINS: Expect = (LOGIN, 403, 403, 403, 403, 200)  # users.manage
ADMINS_302: Expect = (LOGIN, 403, 403, 403, 403, 302)


@dataclass(frozen=True)
class Row:
    route: str  # "namespace:name"
    what: str  # a few words, shown in the test id
    url: Callable[[dict[str, Any]], str]
    expect: Expect
    method: str = "get"


def person(key: str) -> Callable[[dict[str, Any]], tuple[int]]:
    return lambda w: (w[key].entry_no,)


def event(key: str) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    """The first status event of the person at `key`."""
    return lambda w: (w[key].entry_no, w[key].events.order_by("created_at").first().pk)


def pk(key: str) -> Callable[[dict[str, Any]], tuple[Any]]:
    return lambda w: (w[key].pk,)


def number(key: str) -> Callable[[dict[str, Any]], tuple[int]]:
    return lambda w: (w[key].number,)


def petition(key: str) -> Callable[[dict[str, Any]], tuple[Any]]:
    """A draft WGEID petition about the person at `key` (made once, by the system)."""

    def args(w: dict[str, Any]) -> tuple[Any]:
        from aigaq.petitions.services import petition_create

        made = w.setdefault("_petitions", {})
        if key not in made:
            made[key] = petition_create(actor=None, form="wgeid", persons=[w[key]], entries={})
        return (made[key].pk,)

    return args


def contact(key: str) -> Callable[[dict[str, Any]], tuple[Any]]:
    """A family contact on the case of the person at `key` (made once, by the system)."""

    def args(w: dict[str, Any]) -> tuple[Any]:
        from aigaq.casework.services import contact_create

        made = w.setdefault("_contacts", {})
        if key not in made:
            told = factories.testimony(w[key], testifier_obj=w["testimony"].testifier)
            made[key] = contact_create(
                actor=None,
                person=w[key],
                testifier=told.testifier,
                consent=True,
                method="phone",
                handle="+77010000001",
            )
        return (made[key].pk,)

    return args


def press_request() -> Callable[[dict[str, Any]], tuple[Any]]:
    def args(w: dict[str, Any]) -> tuple[Any]:
        from aigaq.casework.services import press_request_create

        if "_press" not in w:
            w["_press"] = press_request_create(
                actor=None, reporter="Jane", outlet="Daily", topic="Imams"
            )
        return (w["_press"].pk,)

    return args


def url(route: str, args: Callable[[dict[str, Any]], tuple[Any, ...]] | None = None) -> Any:
    return lambda w: reverse(route, args=args(w) if args else ())


TABLE: list[Row] = [
    Row("staff:login", "sign-in page", url("staff:login"), SIGNED_OUT_ONLY),
    Row("staff:logout", "sign out", url("staff:logout"), (302,) * 6, "post"),
    Row("staff:password_change", "password", url("staff:password_change"), EVERYONE),
    # The second step of signing in: only after the password (else back to the first step).
    Row("staff:login_code", "code", url("staff:login_code"), (302,) * 6),
    Row("staff:login_enrol", "enrol", url("staff:login_enrol"), (302,) * 6),
    Row("staff:account", "own", url("staff:account"), EVERYONE),
    Row("staff:account_activity", "own", url("staff:account_activity"), EVERYONE),
    Row(
        "staff:account_sign_out_all",
        "own",
        url("staff:account_sign_out_all"),
        (LOGIN, 302, 302, 302, 302, 302),
        "post",
    ),
    Row(
        "staff:account_recovery_codes",
        "own",
        url("staff:account_recovery_codes"),
        (LOGIN, 403, 200, 200, 200, 200),
        "post",
    ),
    Row("staff:user_activity", "other", url("staff:user_activity", pk("colleague")), ADMINS),
    Row(
        "staff:user_disable",
        "other",
        url("staff:user_disable", pk("colleague")),
        ADMINS_302,
        "post",
    ),
    Row(
        "staff:user_two_factor_reset",
        "other",
        url("staff:user_two_factor_reset", pk("colleague")),
        ADMINS_302,
        "post",
    ),
    Row("staff:dashboard", "dashboard", url("staff:dashboard"), EVERYONE),
    Row("staff:person_list", "list", url("staff:person_list"), EVERYONE),
    Row(
        "staff:person_export",
        "CSV",
        lambda w: reverse("staff:person_export", args=["csv"]),
        EVERYONE,
    ),
    Row(
        "staff:person_export",
        "XLSX with restricted fields",
        lambda w: reverse("staff:person_export", args=["xlsx"]) + "?restricted=1",
        RESTRICTED_READERS,
    ),
    Row("staff:person_new", "form", url("staff:person_new"), EDITORS),
    Row(
        "staff:person_look_alikes",
        "empty form",
        url("staff:person_look_alikes"),
        EDITORS,
        "post",
    ),
    Row(
        "staff:person_suggest",
        "picker",
        lambda w: reverse("staff:person_suggest") + "?q=a",
        EVERYONE,
    ),
    Row(
        "staff:place_suggest", "picker", lambda w: reverse("staff:place_suggest") + "?q=a", EVERYONE
    ),
    Row("staff:person_detail", "public", url("staff:person_detail", person("public")), EVERYONE),
    Row(
        "staff:person_detail",
        "internal",
        url("staff:person_detail", person("internal")),
        NOT_VIEWER,
    ),
    Row(
        "staff:person_detail",
        "restricted",
        url("staff:person_detail", person("restricted")),
        RESTRICTED_RECORD,
    ),
    Row(
        "staff:person_detail",
        "merged",
        url("staff:person_detail", person("merged")),
        (LOGIN, 302, 302, 302, 302, 302),
    ),
    Row(
        "staff:person_detail",
        "missing",
        lambda w: "/persons/999999/",
        (LOGIN, 404, 404, 404, 404, 404),
    ),
    Row("staff:person_edit", "internal", url("staff:person_edit", person("internal")), EDITORS),
    Row(
        "staff:person_edit",
        "restricted",
        url("staff:person_edit", person("restricted")),
        (LOGIN, 403, 403, 404, 200, 200),
    ),
    Row("staff:status_add", "form", url("staff:status_add", person("internal")), EDITORS),
    Row("staff:status_edit", "form", url("staff:status_edit", event("internal")), EDITORS),
    Row(
        "staff:status_edit",
        "restricted",
        url("staff:status_edit", event("restricted")),
        (LOGIN, 403, 403, 404, 200, 200),
    ),
    Row("staff:status_remove", "confirm", url("staff:status_remove", event("internal")), EDITORS),
    Row(
        "staff:person_reveal",
        "ID number",
        url("staff:person_reveal", person("public")),
        EDITORS,
        "post",
    ),
    Row(
        "staff:person_photo",
        "no photo yet",
        url("staff:person_photo", person("public")),
        (LOGIN, 404, 404, 404, 404, 404),
    ),
    Row(
        "staff:person_photo",
        "upload with no file",
        url("staff:person_photo", person("internal")),
        (LOGIN, 404, 403, 302, 302, 302),
        "post",
    ),
    Row("staff:testimony_list", "list", url("staff:testimony_list"), EVERYONE),
    Row(
        "staff:testimony_export",
        "XLSX",
        lambda w: reverse("staff:testimony_export", args=["xlsx"]),
        EVERYONE,
    ),
    Row(
        "staff:testimony_export",
        "CSV with restricted fields",
        lambda w: reverse("staff:testimony_export", args=["csv"]) + "?restricted=1",
        RESTRICTED_READERS,
    ),
    Row("staff:testimony_new", "form", url("staff:testimony_new"), EDITORS),
    Row(
        "staff:testimony_detail",
        "internal",
        url("staff:testimony_detail", number("testimony")),
        NOT_VIEWER,
    ),
    Row(
        "staff:testimony_detail",
        "public, press",
        url("staff:testimony_detail", number("public_testimony")),
        EVERYONE,
    ),
    Row(
        "staff:testimony_detail",
        "withdrawn",
        url("staff:testimony_detail", number("withdrawn")),
        (LOGIN, 404, 404, 200, 200, 200),
    ),
    Row("staff:testimony_edit", "form", url("staff:testimony_edit", number("testimony")), EDITORS),
    Row(
        "staff:testimony_withdraw",
        "confirm",
        url("staff:testimony_withdraw", number("testimony")),
        EDITORS,
    ),
    Row(
        "staff:testifier_contact",
        "phone",
        url("staff:testifier_contact", number("testimony")),
        EDITORS,
        "post",
    ),
    Row(
        "staff:testifier_suggest",
        "picker",
        lambda w: reverse("staff:testifier_suggest") + "?q=a",
        EDITORS,
    ),
    Row("admin:index", "administration", url("admin:index"), SUPERUSERS),
    # The intake desk (aigaq/intake): desk work for interviewers and up, trips for coordinators.
    Row("intake:desk", "register", url("intake:desk"), DESK),
    Row(
        "intake:relative_search",
        "picker",
        lambda w: reverse("intake:relative_search") + "?q=a",
        DESK,
    ),
    Row("intake:board", "queue board", url("intake:board"), DESK),
    Row("intake:board_columns", "board refresh", url("intake:board_columns"), DESK),
    # The waiting-area screen shows ticket numbers and rooms only: any signed-in computer.
    Row("intake:screen", "waiting area", url("intake:screen"), EVERYONE),
    Row("intake:screen_rows", "waiting area refresh", url("intake:screen_rows"), EVERYONE),
    Row("intake:rooms", "rooms", url("intake:rooms"), DESK),
    Row("intake:report", "day report", url("intake:report"), DESK),
    Row("intake:visit", "visit", url("intake:visit", pk("visit")), DESK),
    Row(
        "intake:visit_assign", "no room", url("intake:visit_assign", pk("visit")), DESK_302, "post"
    ),
    Row("intake:visit_start", "start", url("intake:visit_start", pk("visit")), DESK_302, "post"),
    Row("intake:visit_finish", "finish", url("intake:visit_finish", pk("visit")), DESK_302, "post"),
    Row("intake:visit_left", "left", url("intake:visit_left", pk("visit")), DESK_302, "post"),
    Row("intake:visit_contact", "phone", url("intake:visit_contact", pk("visit")), DESK, "post"),
    Row("transfer:trips", "list", url("transfer:trips"), COORDINATORS),
    Row("transfer:trip_new", "form", url("transfer:trip_new"), COORDINATORS),
    Row("transfer:trip", "trip page", url("transfer:trip", pk("trip")), COORDINATORS),
    Row("transfer:trip_edit", "form", url("transfer:trip_edit", pk("trip")), COORDINATORS),
    Row(
        "transfer:trip_status",
        "no status",
        url("transfer:trip_status", pk("trip")),
        COORDINATORS_302,
        "post",
    ),
    Row(
        "transfer:trip_export",
        "no passphrase",
        url("transfer:trip_export", pk("trip")),
        COORDINATORS_400,
        "post",
    ),
    # Search (aigaq/search): the pickers' JSON, for every signed-in role.
    Row("search:persons", "picker", lambda w: reverse("search:persons") + "?q=a", EVERYONE),
    Row("search:places", "picker", lambda w: reverse("search:places") + "?q=a", EVERYONE),
    # Duplicates (aigaq/dedup): curators with person.merge; the spreadsheet import: import.run.
    Row("dedup:list", "queue", url("dedup:list"), COORDINATORS),
    Row("dedup:scan", "scan all", url("dedup:scan"), COORDINATORS_302, "post"),
    Row("dedup:review", "pair", url("dedup:review", pk("candidate")), COORDINATORS),
    Row(
        "dedup:merge_pair",
        "no survivor",
        url("dedup:merge_pair", pk("candidate")),
        COORDINATORS_302,
        "post",
    ),
    Row(
        "dedup:not_same",
        "decide",
        url("dedup:not_same", pk("candidate")),
        COORDINATORS_302,
        "post",
    ),
    Row("dedup:merge", "merge page", url("dedup:merge", pk("merge")), COORDINATORS),
    Row("dedup:undo", "undo", url("dedup:undo", pk("merge")), COORDINATORS_302, "post"),
    Row(
        "transfer:spreadsheet_upload",
        "spreadsheet",
        url("transfer:spreadsheet_upload"),
        COORDINATORS,
    ),
    Row(
        "transfer:spreadsheet_template",
        "template",
        url("transfer:spreadsheet_template"),
        COORDINATORS,
    ),
    # Field bundles (aigaq/transfer): import.run.
    Row("transfer:field_import", "upload", url("transfer:field_import"), COORDINATORS),
    Row("transfer:conflicts", "list", url("transfer:conflicts"), COORDINATORS),
    Row(
        "transfer:conflict_resolve",
        "no choice",
        url("transfer:conflict_resolve", pk("conflict")),
        COORDINATORS_302,
        "post",
    ),
]

# Background jobs: the job's capability (an import: import.run).
TABLE += [
    # Playback (staff/media.py): through a testimony the reader may see; restricted: readers
    # of restricted fields only; nothing there: 404 for all.
    Row("staff:media_play", "internal video", url("staff:media_play", pk("video")), NOT_VIEWER),
    Row(
        "staff:media_play",
        "restricted video",
        url("staff:media_play", pk("restricted_video")),
        (LOGIN, 404, 404, 200, 200, 200),
    ),
    Row(
        "staff:media_poster",
        "no poster yet",
        url("staff:media_poster", pk("video")),
        (LOGIN, 404, 404, 404, 404, 404),
    ),
    Row(
        "staff:media_thumbs",
        "no strip yet",
        url("staff:media_thumbs", pk("video")),
        (LOGIN, 404, 404, 404, 404, 404),
    ),
    Row("staff:media_player", "internal video", url("staff:media_player", pk("video")), NOT_VIEWER),
    Row("staff:job_detail", "import job", url("staff:job_detail", pk("job")), COORDINATORS),
    Row("staff:job_status", "import job", url("staff:job_status", pk("job")), COORDINATORS),
    # Backups (backup.run: administrators): queues the job, whose page it redirects to.
    Row(
        "staff:backup_now",
        "back up now",
        url("staff:backup_now"),
        (LOGIN, 403, 403, 403, 403, 302),
        "post",
    ),
]

# Corrections sent by the public (aigaq/corrections, staff/corrections.py): corrections.review.
TABLE += [
    Row("staff:correction_list", "review list", url("staff:correction_list"), COORDINATORS),
    Row(
        "staff:correction_detail",
        "a submission",
        url("staff:correction_detail", pk("submission")),
        COORDINATORS,
    ),
]

# Mirrors (aigaq/mirrors) and resumable uploads (aigaq/staff/uploads.py): testimony.edit.
TABLE += [
    Row("mirrors:review", "review page", url("mirrors:review"), EDITORS),
    Row("mirrors:add", "no address", url("mirrors:add", number("testimony")), EDITORS_302, "post"),
    Row("mirrors:confirm", "no choice", url("mirrors:confirm", pk("mirror")), EDITORS_302, "post"),
    Row("mirrors:remove", "imported", url("mirrors:remove", pk("mirror")), EDITORS_302, "post"),
    Row(
        "staff:upload_create",
        "no tus headers",
        url("staff:upload_create"),
        (LOGIN, 403, 403, 412, 412, 412),
        "post",
    ),
    Row(
        "staff:upload_detail",
        "someone else's",
        url("staff:upload_detail", pk("upload")),
        (LOGIN, 404, 404, 404, 404, 404),
        "head",
    ),
]

# Redaction of a video (media.redact): coordinators and admins; a copy that is not there: 404.
TABLE += [
    # Petitions: petition.manage (coordinators and interviewers), for a person they may see
    Row(
        "staff:petition_panel",
        "panel",
        url("staff:petition_panel", person("internal")),
        EDITORS,
    ),
    Row(
        "staff:petition_panel",
        "restricted person",
        url("staff:petition_panel", person("restricted")),
        (LOGIN, 403, 403, 404, 200, 200),
    ),
    Row(
        "staff:petition_new",
        "form",
        lambda w: reverse("staff:petition_new", args=person("internal")(w)) + "?form=wgeid",
        EDITORS,
    ),
    Row(
        "staff:petition_detail",
        "draft",
        url("staff:petition_detail", petition("internal")),
        EDITORS,
    ),
    Row(
        "staff:petition_detail",
        "restricted person",
        url("staff:petition_detail", petition("restricted")),
        (LOGIN, 403, 403, 404, 200, 200),
    ),
    Row(
        "staff:petition_document",
        "refused: facts missing",
        lambda w: reverse("staff:petition_document", args=[*petition("internal")(w), "pdf"]),
        EDITORS_302,
        "post",
    ),
    Row(
        "staff:petition_state",
        "empty form",
        url("staff:petition_state", petition("internal")),
        EDITORS_302,
        "post",
    ),
    Row(
        "staff:petition_next",
        "empty form",
        url("staff:petition_next", petition("internal")),
        EDITORS_302,
        "post",
    ),
    Row(
        "staff:petition_answer_scan",
        "no scanned answer",
        url("staff:petition_answer_scan", petition("internal")),
        (LOGIN, 403, 403, 404, 404, 404),
    ),
    Row(
        "staff:petition_answer_scan",
        "no file",
        url("staff:petition_answer_scan", petition("internal")),
        EDITORS_302,
        "post",
    ),
    Row(
        "staff:petition_answer_scan",
        "restricted person",
        url("staff:petition_answer_scan", petition("restricted")),
        (LOGIN, 403, 403, 404, 302, 302),
        "post",
    ),
    Row(
        "staff:family_summary",
        "page",
        url("staff:family_summary", person("internal")),
        EDITORS,
    ),
    Row(
        "staff:family_summary",
        "restricted person",
        url("staff:family_summary", person("restricted")),
        (LOGIN, 403, 403, 404, 200, 200),
    ),
    Row("staff:petitions_home", "coordinator's lists", url("staff:petitions_home"), EDITORS),
    Row(
        "staff:petitions_batch",
        "batch form",
        lambda w: reverse("staff:petitions_batch") + "?form=wgeid",
        EDITORS,
    ),
    Row(
        "staff:petitions_batch",
        "empty selection",
        lambda w: reverse("staff:petitions_batch") + "?form=wgeid",
        (LOGIN, 403, 403, 400, 400, 400),
        "post",
    ),
    Row("staff:dossier", "dossier form", url("staff:dossier"), COORDINATORS),
    Row("staff:dossier", "empty form", url("staff:dossier"), COORDINATORS_400, "post"),
    Row("staff:redaction", "editor", url("staff:redaction", pk("video")), COORDINATORS),
    Row(
        "staff:redaction_video", "original", url("staff:redaction_video", pk("video")), COORDINATORS
    ),
    Row(
        "staff:redaction_copy",
        "no such copy",
        lambda w: reverse("staff:redaction_copy", args=(w["video"].pk, uuid.UUID(int=0))),
        (LOGIN, 403, 403, 403, 404, 404),
    ),
]

# Family contacts (petition.manage: interviewers, coordinators, admins) and the press desk
# (press.manage: coordinators, admins), staff/casework.py.
TABLE += [
    Row("staff:casework_home", "families to call", url("staff:casework_home"), EDITORS),
    Row("staff:contacts_panel", "panel", url("staff:contacts_panel", person("internal")), EDITORS),
    Row(
        "staff:contacts_panel",
        "restricted person",
        url("staff:contacts_panel", person("restricted")),
        (LOGIN, 403, 403, 404, 200, 200),
    ),
    Row(
        "staff:contacts_panel",
        "empty form",
        url("staff:contacts_panel", person("internal")),
        (LOGIN, 403, 403, 400, 400, 400),
        "post",
    ),
    Row("staff:contact_detail", "contact", url("staff:contact_detail", contact("public")), EDITORS),
    Row(
        "staff:contact_detail",
        "restricted person",
        url("staff:contact_detail", contact("restricted")),
        (LOGIN, 403, 403, 404, 200, 200),
    ),
    Row("staff:contact_edit", "form", url("staff:contact_edit", contact("public")), EDITORS),
    Row(
        "staff:contact_edit",
        "restricted person",
        url("staff:contact_edit", contact("restricted")),
        (LOGIN, 403, 403, 404, 200, 200),
    ),
    Row(
        "staff:contact_edit",
        "empty form",
        url("staff:contact_edit", contact("public")),
        (LOGIN, 403, 403, 400, 400, 400),
        "post",
    ),
    Row(
        "staff:contact_log",
        "empty form",
        url("staff:contact_log", contact("public")),
        (LOGIN, 403, 403, 400, 400, 400),
        "post",
    ),
    Row(
        "staff:contact_handle",
        "the number",
        url("staff:contact_handle", contact("public")),
        EDITORS,
        "post",
    ),
    Row(
        "staff:contact_message",
        "message",
        lambda w: (
            reverse("staff:contact_message", args=contact("public")(w))
            + "?message=hearing_date&hearing_on=2030-01-01"
        ),
        EDITORS,
    ),
    Row("staff:press_new", "form", url("staff:press_new"), COORDINATORS),
    Row("staff:press_detail", "request", url("staff:press_detail", press_request()), COORDINATORS),
    Row(
        "staff:press_introduce",
        "empty form",
        url("staff:press_introduce", press_request()),
        COORDINATORS_400,
        "post",
    ),
    Row(
        "staff:press_close",
        "close",
        url("staff:press_close", press_request()),
        COORDINATORS_302,
        "post",
    ),
]

# Locking the installation (staff/lock.py): instance.lock, admins only; GET is the
# confirmation page.
TABLE += [Row("staff:lock", "confirm", url("staff:lock"), (LOGIN, 403, 403, 403, 403, 200))]


def transcribed(lang: str, *extra: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The internal testimony, given a Kazakh transcript of one segment and an English
    translation (made once, by the system); its number, `lang` and `extra`."""

    def args(w: dict[str, Any]) -> tuple[Any, ...]:
        from aigaq.transcripts.models import Transcript
        from aigaq.transcripts.services import (
            SegmentInput,
            segments_replace,
            transcript_create,
            translation_create,
        )

        t = w["testimony"]
        if not Transcript.objects.filter(testimony=t).exists():
            tr = transcript_create(actor=None, testimony=t, language="kk")
            segments_replace(actor=None, transcript=tr, segments=[SegmentInput(0, 900, "Сәлем.")])
            translation_create(actor=None, transcript=tr, language="en")
        return (t.number, lang, *extra)

    return args


# Transcripts and translations (staff/transcripts.py): the pages of a testimony the reader may
# see (testimony.view; writing asks transcripts.*), the queues (transcripts.translate,
# transcripts.review), the search (everyone), the package (export.run).
TRANSLATORS: Expect = (LOGIN, 403, 200, 403, 200, 200)
TABLE += [
    Row(
        "staff:transcript_editor",
        "internal testimony",
        url("staff:transcript_editor", transcribed("kk")),
        NOT_VIEWER,
    ),
    Row(
        "staff:transcript_editor",
        "no action",
        url("staff:transcript_editor", transcribed("kk")),
        (LOGIN, 404, 302, 302, 302, 302),
        "post",
    ),
    Row(
        "staff:translation_page",
        "internal testimony",
        url("staff:translation_page", transcribed("en")),
        NOT_VIEWER,
    ),
    Row(
        "staff:subtitle_track",
        "internal testimony",
        url("staff:subtitle_track", transcribed("kk")),
        NOT_VIEWER,
    ),
    Row(
        "staff:subtitle_download",
        "internal testimony",
        url("staff:subtitle_download", transcribed("en", "srt")),
        NOT_VIEWER,
    ),
    Row(
        "staff:publication_package",
        "not publishable",
        url("staff:publication_package", number("testimony")),
        COORDINATORS_302,
        "post",
    ),
    Row(
        "staff:transcript_mentions",
        "internal testimony",
        url("staff:transcript_mentions", transcribed("kk")),
        NOT_VIEWER,
    ),
    Row(
        "staff:publication_package_download",
        "not a package job",
        url("staff:publication_package_download", pk("job")),
        (LOGIN, 403, 403, 403, 404, 404),
    ),
    Row("staff:translation_queue", "queue", url("staff:translation_queue"), TRANSLATORS),
    Row("staff:review_queue", "review queue", url("staff:review_queue"), TRANSLATORS),
    Row("staff:transcript_search", "search", url("staff:transcript_search"), EVERYONE),
]


# Namespaces whose every named route must appear in TABLE.
ENFORCED_NAMESPACES = {"staff", "intake", "search", "dedup", "transfer", "mirrors"}


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """A few records in every visibility, made by the system (actor None) through services."""
    number = "65400119800101123"
    public = factories.person(
        "Ашық Адам", visibility="public", chinese_id=number + chinese_id_check_char(number)
    )
    internal = factories.person("Ішкі Адам", visibility="internal", status="detained")
    restricted = factories.person("Жабық Адам", visibility="restricted", status="camp")
    merged = factories.person("Merged Adam", visibility="public")
    from aigaq.people.models import Person

    Person.objects.filter(pk=merged.pk).update(merged_into=public)
    who = factories.testifier("Айгүл", phone="+7 701 000 00 00")
    testimony = factories.testimony(internal, testifier_obj=who, consent_press=True)
    public_testimony = factories.testimony(
        public, testifier_obj=who, consent_press=True, visibility="public"
    )
    withdrawn = factories.testimony(public, testifier_obj=who, consent_press=True)
    from aigaq.testimonies.services import consent_withdraw

    consent_withdraw(actor=None, testimony=withdrawn, reason="test")
    import datetime as dt

    from django.utils import timezone

    from aigaq.core.models import User
    from aigaq.mirrors.models import Mirror
    from aigaq.staff.models import Upload

    mirror = Mirror.objects.create(url="https://example.org/v/imported")
    from aigaq.corrections.models import Submission

    submission = Submission.objects.create(message="Wrong year", contact="me@example.org")
    upload = Upload.objects.create(
        user=User.objects.create_user(username="someone-uploading"),
        testimony=testimony,
        length=10,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    # "video" (the redaction and playback rows): _videos' recording on the internal testimony.
    return {
        "mirror": mirror,
        "submission": submission,
        "upload": upload,
        **_desk_world(internal),
        **_videos(testimony, public_testimony),
        "public": public,
        "internal": internal,
        "restricted": restricted,
        "merged": merged,
        "testimony": testimony,
        "public_testimony": public_testimony,
        "withdrawn": withdrawn,
    }


def _videos(internal_testimony: Any, public_testimony: Any) -> dict[str, Any]:
    """A video of the internal testimony and a restricted one of the public testimony, each
    with a (tiny) playback copy."""
    import tempfile
    from pathlib import Path

    from aigaq.media import storage
    from aigaq.media.models import MediaFile
    from aigaq.media.renditions import rendition_store
    from aigaq.testimonies.services import testimony_attach_media

    made = {}
    for key, testimony, restricted in (
        ("video", internal_testimony, False),
        ("restricted_video", public_testimony, True),
    ):
        # Stored sealed as ingest stores it, without ingest's ffprobe check: this world is
        # built for each of the table's hundreds of cases, and the content checks have their
        # own tests (tests/media/test_ingest.py).
        stored = storage.store_stream([f"{key} recording".encode()])
        media = MediaFile.objects.create(
            sha256=stored.sha256,
            size=stored.size,
            original_name=f"{key}.mp4",
            content_type="video/mp4",
            kind="video",
        )
        testimony_attach_media(
            actor=None, testimony=testimony, media=media, kind="video", restricted=restricted
        )
        with tempfile.TemporaryDirectory() as tmp:
            clear = Path(tmp) / "proxy.mp4"
            clear.write_bytes(b"proxy of " + key.encode())
            rendition_store(media=media, kind="proxy", source=clear, content_type="video/mp4")
        made[key] = media
    return made


def _desk_world(internal: Any) -> dict[str, Any]:
    """A visit, a field trip, a duplicate pair, a merge and a field conflict."""
    import datetime as dt

    from aigaq.dedup import scan
    from aigaq.dedup.models import Candidate
    from aigaq.dedup.services import candidates_store, person_merge
    from aigaq.intake.services import field_trip_create, visit_register
    from aigaq.transfer.models import Bundle, Conflict

    visit = visit_register(actor=None, visitor_name="Гүлнар Серікқызы", relatives=[internal])
    trip = field_trip_create(
        actor=None,
        name="Tekes, May",
        place_label="Tekes",
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 3),
    )
    one = factories.person("Серік Қабылұлы", visibility="internal")
    two = factories.person("Serik Qabyluly", visibility="internal")
    a, b = scan.ordered(one.pk, two.pk)
    candidates_store([scan.Found(a, b, 0.95, [{"code": "names", "score": 0.95}])])
    candidate = Candidate.objects.get(a_id=a, b_id=b)
    survivor = factories.person("Айгүл Ахмет", visibility="internal")
    retired = factories.person("Aigul Akhmet", visibility="internal")
    merge = person_merge(
        actor=None,
        survivor=survivor,
        retired=retired,
        survivor_version=survivor.version,
        retired_version=retired.version,
    )
    # A conflict is what an import leaves behind; written directly (a round trip is too slow
    # for a table walked ~400 times, and tests/transfer makes them through the real import).
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
        record_id=internal.pk,
        record_label=str(internal),
        office_version=internal.version,
        office_snapshot={"occupation": "teacher"},
        field_snapshot={"occupation": "farmer"},
    )
    import io

    from aigaq.transfer.tasks import spreadsheet_import_start

    job = spreadsheet_import_start(
        actor=None, fileobj=io.BytesIO(b"name\nX\n"), file_name="list.csv"
    )
    from aigaq.core.models import User

    colleague = User.objects.create_user("colleague", role="translator")
    return {
        "colleague": colleague,
        "visit": visit,
        "trip": trip,
        "candidate": candidate,
        "merge": merge,
        "conflict": conflict,
        "job": job,
    }


def _cases() -> list[Any]:
    return [
        pytest.param(row, role, expected, id=f"{row.route}[{row.what}]-{role}")
        for row in TABLE
        for role, expected in zip(ROLES, row.expect, strict=True)
    ]


@pytest.mark.parametrize(("row", "role", "expected"), _cases())
def test_each_role_gets_what_the_table_says(
    row: Row, role: str, expected: Any, client: Any, make_user: Any, world: dict[str, Any]
) -> None:
    if role != "anonymous":
        extra = {"is_superuser": True, "is_staff": True} if role == "admin" else {}
        client.force_login(make_user(role, f"{role}-matrix", **extra))
    address = row.url(world)
    response = getattr(client, row.method)(address)
    if expected == LOGIN:
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("staff:login") + "?next="), address
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("admin:login")), address
    else:
        assert response.status_code == expected, address


def _named_routes(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            names |= _named_routes(entry, f"{inner}" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name and namespace:
            names.add(f"{namespace}:{entry.name}")
    return names


def test_every_route_is_in_the_table() -> None:
    listed = {row.route for row in TABLE}
    routes = {r for r in _named_routes(get_resolver()) if r.split(":")[0] in ENFORCED_NAMESPACES}
    missing = sorted(routes - listed)
    assert not missing, f"add these routes to TABLE in {__file__}: {missing}"


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_menu_offers_each_role_only_pages_it_may_open(
    role: str, client: Any, make_user: Any
) -> None:
    import re

    extra = {"is_superuser": True, "is_staff": True} if role == "admin" else {}
    client.force_login(make_user(role, f"{role}-menu", **extra))
    html = client.get(reverse("staff:dashboard")).content.decode()
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', nav)
    for address in links:
        assert client.get(address).status_code == 200, address
    expected = {
        reverse("transfer:trips"): role in ("coordinator", "admin"),
        reverse("transfer:field_import"): role in ("coordinator", "admin"),
        reverse("transfer:conflicts"): role in ("coordinator", "admin"),
        reverse("dedup:list"): role in ("coordinator", "admin"),
    }
    assert {a: a in links for a in expected} == expected
