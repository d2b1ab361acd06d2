"""A file is stored once per SHA-256, so the same bytes can be a testifier's ID card on one
testimony and a person's photo on their page. Restriction follows the use as well as the
bytes: restricted in one use, restricted everywhere; every media response asks disclosure and
is audited when the file is restricted."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aigaq.core.models import AuditEntry
from aigaq.disclosure import policy
from aigaq.media.models import MediaFile
from aigaq.media.services import media_ingest
from aigaq.people.services import person_set_photo
from aigaq.testimonies import services as testimony_services
from aigaq.testimonies.models import TestimonyMedia
from tests import factories
from tests.staff.conftest import form_data_for_testimony

pytestmark = pytest.mark.django_db

# A 1×1 PNG: the same bytes serve as "ID card" and as "photo".
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
CARD_NAME = "zhanar-id-card-front.png"


def _id_card(coordinator: Any, person: Any) -> Any:
    """The PNG attached to a press-consented public testimony about `person` as an ID card,
    through the testimony form (the real path)."""
    testimony = factories.testimony(
        person, actor=coordinator, visibility="public", consent_press=True
    )
    from django.test import Client

    c = Client()
    c.force_login(coordinator)
    data = form_data_for_testimony(
        visibility="public",
        version=str(testimony.version),
        media_kind="id_card",
        media_file=SimpleUploadedFile(CARD_NAME, PNG),
    )
    response = c.post(f"/testimonies/{testimony.number}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return testimony


def _photo(coordinator: Any, person: Any) -> Any:
    return person_set_photo(
        actor=coordinator, person=person, fileobj=SimpleUploadedFile("face.png", PNG), name="f"
    )


@pytest.mark.parametrize("order", ["id card first", "photo first"])
@pytest.mark.parametrize("role", ["translator", "viewer"])
def test_the_bytes_of_an_id_card_are_never_served_as_a_photo_to_those_who_may_not_read_them(
    order: str, role: str, client: Any, coordinator: Any, make_user: Any
) -> None:
    person = factories.person("Жанар Серікқызы", actor=coordinator, visibility="public")
    if order == "id card first":
        _id_card(coordinator, person)
        person = _photo(coordinator, person)
    else:
        person = _photo(coordinator, person)
        _id_card(coordinator, person)
    assert MediaFile.objects.count() == 1  # one file, two uses
    assert policy.media_restricted(person.photo)
    client.force_login(make_user(role, f"{role}-media"))
    assert client.get(f"/persons/{person.entry_no}/photo/").status_code == 404
    page = client.get(f"/persons/{person.entry_no}/").content.decode()
    assert f"/persons/{person.entry_no}/photo/" not in page.split("photo-upload")[0]


def test_a_restricted_photo_is_served_to_an_interviewer_and_the_sending_is_audited(
    client: Any, coordinator: Any, interviewer: Any
) -> None:
    person = factories.person("Жанар Серікқызы", actor=coordinator, visibility="public")
    person = _photo(coordinator, person)
    _id_card(coordinator, person)
    client.force_login(interviewer)
    response = client.get(f"/persons/{person.entry_no}/photo/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    read = AuditEntry.objects.get(action=AuditEntry.Action.READ, actor=interviewer)
    assert read.object_id == str(person.photo_id)
    assert read.person_id == person.pk
    assert read.changes == {"fields": ["file"]}


def test_an_unrestricted_photo_is_served_without_a_read_entry(
    client: Any, coordinator: Any, translator: Any
) -> None:
    person = _photo(coordinator, factories.person(actor=coordinator, visibility="internal"))
    client.force_login(translator)
    assert client.get(f"/persons/{person.entry_no}/photo/").status_code == 200
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_a_file_attached_as_an_id_card_is_restricted_even_when_its_bytes_were_a_photo_first(
    coordinator: Any,
) -> None:
    person = _photo(coordinator, factories.person(actor=coordinator))
    assert not person.photo.restricted
    testimony = _id_card(coordinator, person)
    use = TestimonyMedia.objects.get(testimony=testimony)
    assert use.kind == "id_card" and use.restricted_use
    person.photo.refresh_from_db()
    assert person.photo.restricted  # the bytes, in every use
    assert person.photo.kind == "photo"  # what it was first; the use says what it is here
    assert AuditEntry.objects.filter(
        object_id=str(person.photo.pk), changes__restricted=[False, True]
    ).exists()


def test_a_use_marked_restricted_restricts_the_file_even_if_the_flag_on_the_file_is_lost(
    coordinator: Any,
) -> None:
    """A bundle or a bug that clears MediaFile.restricted does not unrestrict the file: the
    use itself says so."""
    person = factories.person(actor=coordinator)
    testimony = factories.testimony(person, actor=coordinator)
    media = media_ingest(
        actor=coordinator,
        fileobj=SimpleUploadedFile("card.png", PNG),
        original_name="card.png",
        kind="document",
    )
    testimony_services.testimony_attach_media(
        actor=coordinator, testimony=testimony, media=media, restricted=True
    )
    MediaFile.objects.filter(pk=media.pk).update(restricted=False)
    media.refresh_from_db()
    assert policy.media_restricted(media)


@pytest.mark.parametrize("role", ["translator", "viewer"])
def test_the_testimony_page_hides_the_name_of_an_id_card_file(
    role: str, client: Any, coordinator: Any, make_user: Any
) -> None:
    person = factories.person(actor=coordinator, visibility="public")
    testimony = _id_card(coordinator, person)
    client.force_login(make_user(role, f"{role}-card"))
    page = client.get(f"/testimonies/{testimony.number}/").content.decode()
    assert CARD_NAME not in page
    sha = MediaFile.objects.get().sha256
    assert sha[:14] not in page
    assert "a file you may not see" in page
    client.force_login(coordinator)
    assert CARD_NAME in client.get(f"/testimonies/{testimony.number}/").content.decode()


def test_media_visible_to_refuses_a_use_it_does_not_know(coordinator: Any) -> None:
    media = media_ingest(
        actor=coordinator, fileobj=SimpleUploadedFile("a.png", PNG), original_name="a.png"
    )
    with pytest.raises(ValueError):
        policy.media_visible_to(coordinator, media, use="poster", record=None)
