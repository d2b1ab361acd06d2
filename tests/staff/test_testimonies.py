from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aigaq.core.models import AuditEntry
from aigaq.media.models import MediaFile
from aigaq.people.models import Person
from aigaq.testimonies import models as tm
from tests import factories
from tests.media.videos import video_bytes
from tests.staff.conftest import form_data_for_testimony

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int, int]:
    return (
        tm.Testimony.objects.count(),
        tm.Testifier.objects.count(),
        Person.objects.count(),
        tm.TestimonyPerson.objects.count(),
        MediaFile.objects.count(),
    )


def test_testimony_naming_an_existing_and_a_new_relative_is_saved_in_one_go(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    son = factories.person("Ақан Серікұлы", actor=coordinator)
    client = signed_in(interviewer)
    assert client.get("/testimonies/new/").status_code == 200
    response = client.post(
        "/testimonies/new/",
        form_data_for_testimony(
            (son, "", "son"),
            (None, "Бақыт Серікұлы", "brother"),
            media_file=SimpleUploadedFile("testimony.mp4", video_bytes()),
        ),
    )
    testimony = tm.Testimony.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/testimonies/{testimony.number}/"
    assert testimony.testifier.full_name == "Айгүл Сәрсенқызы"
    assert testimony.testifier.phone == "+77010000000"  # one stored form (core.phones)
    assert testimony.consent_press and not testimony.consent_public
    named = {(r.person.primary_name, r.relationship) for r in testimony.relations.all()}
    assert named == {("Ақан Серікұлы", "son"), ("Бақыт Серікұлы", "brother")}
    media = testimony.media.get()
    assert media.size == len(video_bytes()) and media.duration == 1.0
    page = client.get(f"/testimonies/{testimony.number}/").content.decode()
    assert "Бақыт Серікұлы" in page
    assert "+77010000000" not in page  # the phone is shown only on request


def test_testimony_with_a_bad_phone_shows_the_error_beside_it_and_writes_nothing(
    signed_in: Any, interviewer: Any
) -> None:
    response = signed_in(interviewer).post(
        "/testimonies/new/",
        form_data_for_testimony((None, "Бақыт", "brother"), testifier_phone="701 000"),
    )
    assert response.status_code == 400
    assert "This is not a valid phone number" in response.content.decode()
    assert counts() == (0, 0, 0, 0, 0)


def test_testimony_without_testifier_or_with_a_relative_lacking_relationship_is_refused(
    signed_in: Any, interviewer: Any
) -> None:
    response = signed_in(interviewer).post(
        "/testimonies/new/", form_data_for_testimony((None, "Бақыт", ""), testifier_name="")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose a testifier or type the new testifier" in body
    assert "Say how the testifier is related to this person." in body
    assert counts() == (0, 0, 0, 0, 0)


def test_the_same_relative_twice_is_refused(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    son = factories.person("Ақан", actor=coordinator)
    response = signed_in(interviewer).post(
        "/testimonies/new/", form_data_for_testimony((son, "", "son"), (son, "", "nephew"))
    )
    assert response.status_code == 400
    assert "The same person is named twice in this testimony." in response.content.decode()
    assert tm.Testimony.objects.count() == 0


def test_an_oversized_upload_is_refused_with_a_clear_error_and_nothing_is_written(
    signed_in: Any, interviewer: Any, settings: Any
) -> None:
    settings.AIGAQ_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.mp4", b"x" * 5000)
    response = signed_in(interviewer).post(
        "/testimonies/new/", form_data_for_testimony((None, "Бақыт", "brother"), media_file=big)
    )
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert counts() == (0, 0, 0, 0, 0)


def test_script_in_testimony_fields_is_shown_as_text(signed_in: Any, interviewer: Any) -> None:
    evil = "<script>alert(1)</script>"
    client = signed_in(interviewer)
    client.post(
        "/testimonies/new/",
        form_data_for_testimony((None, evil, "son"), testifier_name=evil, summary=evil),
    )
    testimony = tm.Testimony.objects.get()
    for url in (f"/testimonies/{testimony.number}/", "/testimonies/"):
        body = client.get(url).content.decode()
        assert "<script>alert(1)" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


def test_picking_an_existing_testifier(signed_in: Any, interviewer: Any) -> None:
    known = factories.testifier("Айгүл Сәрсенқызы")
    client = signed_in(interviewer)
    found = client.get("/testifiers/suggest/", {"testifier_q": "Айгүл"}).content.decode()
    assert f'data-pick="{known.pk}"' in found
    response = client.post(
        "/testimonies/new/", form_data_for_testimony(testifier=str(known.pk), testifier_name="")
    )
    assert response.status_code == 302
    assert tm.Testimony.objects.get().testifier == known
    assert tm.Testifier.objects.count() == 1


def test_person_picker_finds_by_name_and_entry_number(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    son = factories.person("Ақан Серікұлы", actor=coordinator)
    client = signed_in(interviewer)
    for term in ("Серік", str(son.entry_no), f"#{son.entry_no}"):
        body = client.get("/persons/suggest/", {"relations-0-person_q": term}).content.decode()
        assert f'data-pick="{son.pk}"' in body, term


def test_withdrawing_consent_asks_for_confirmation_and_a_reason(
    signed_in: Any, interviewer: Any, coordinator: Any, translator: Any
) -> None:
    son = factories.person("Ақан", actor=coordinator)
    testimony = factories.testimony(son, actor=coordinator, consent_public=True)
    client = signed_in(interviewer)
    url = f"/testimonies/{testimony.number}/withdraw/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    testimony.refresh_from_db()
    assert testimony.consent_withdrawn_at is None
    response = client.post(url, {"reason": "Relatives in China were threatened", "confirm": "on"})
    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.consent_withdrawn_at is not None
    assert testimony.consent_withdrawn_reason == "Relatives in China were threatened"
    page = client.get(f"/testimonies/{testimony.number}/").content.decode()
    assert "Consent withdrawn" in page
    assert AuditEntry.objects.filter(action="consent", person_id=son.pk).exists()
    # Translators no longer see it anywhere (disclosure.policy decides).
    other = signed_in(translator)
    assert other.get(f"/testimonies/{testimony.number}/").status_code == 404
    assert testimony not in list(other.get("/testimonies/").context["page"].object_list)
    assert other.get(f"/persons/{son.entry_no}/").context["testimonies"] == []


def test_person_page_lists_only_testimonies_this_user_may_see(
    signed_in: Any, coordinator: Any, viewer: Any
) -> None:
    son = factories.person("Ақан", actor=coordinator, visibility="public")
    press = factories.testimony(son, actor=coordinator, consent_press=True, visibility="public")
    factories.testimony(son, actor=coordinator, visibility="public")  # no consent for viewers
    shown = signed_in(viewer).get(f"/persons/{son.entry_no}/").context["testimonies"]
    assert [t.pk for t in shown] == [press.pk]


def test_person_page_shows_the_testifier_as_a_relative(signed_in: Any, coordinator: Any) -> None:
    son = factories.person("Ақан", actor=coordinator)
    factories.testimony(son, actor=coordinator, relationship="son")
    body = signed_in(coordinator).get(f"/persons/{son.entry_no}/").content.decode()
    assert "Айгүл Сәрсенқызы" in body
    assert "Son" in body


def test_testifier_phone_is_shown_only_on_request_and_audited(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    who = factories.testifier("Айгүл", phone="+7 701 555 55 55")
    testimony = factories.testimony(
        factories.person(actor=coordinator), actor=coordinator, testifier_obj=who
    )
    client = signed_in(interviewer)
    response = client.post(f"/testimonies/{testimony.number}/contact/", HTTP_HX_REQUEST="true")
    assert "+77015555555" in response.content.decode()
    read = AuditEntry.objects.get(action="read")
    assert read.changes == {"fields": ["phone"]}


def test_editing_a_testimony_adds_a_relative_and_changes_consent(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    son = factories.person("Ақан", actor=coordinator)
    testimony = factories.testimony(son, actor=coordinator)
    client = signed_in(interviewer)
    assert client.get(f"/testimonies/{testimony.number}/edit/").status_code == 200
    data = form_data_for_testimony(
        (None, "Бақыт", "brother"), version=str(testimony.version), consent_petitions="on"
    )
    response = client.post(f"/testimonies/{testimony.number}/edit/", data)
    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.consent_petitions
    assert testimony.relations.count() == 2


def test_testimony_list_makes_the_same_few_queries_for_many_testimonies(
    signed_in: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    people = [factories.person(actor=coordinator) for _ in range(3)]
    for _ in range(20):
        factories.testimony(*people, actor=coordinator)
    client = signed_in(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get("/testimonies/")
    assert len(response.context["page"].object_list) == 20
