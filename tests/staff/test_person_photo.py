from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from aigaq.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_an_editor_adds_a_photo_that_readers_of_the_entry_see(
    client, interviewer, translator
) -> None:
    person = factories.person("Айгүл Серікқызы", actor=interviewer)
    client.force_login(interviewer)
    response = client.post(
        f"/persons/{person.entry_no}/photo/", {"photo": SimpleUploadedFile("face.jpg", PNG)}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.photo is not None and person.photo.kind == "photo"
    assert AuditEntry.objects.filter(object_id=str(person.pk), changes__has_key="photo").exists()
    page = client.get(f"/persons/{person.entry_no}/").content.decode()
    assert f'src="/persons/{person.entry_no}/photo/"' in page
    client.force_login(translator)
    image = client.get(f"/persons/{person.entry_no}/photo/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"  # sniffed from the bytes, not the name
    assert b"".join(image.streaming_content) == PNG


def test_a_file_that_is_not_an_image_is_refused_and_nothing_changes(client, interviewer) -> None:
    person = factories.person(actor=interviewer)
    client.force_login(interviewer)
    response = client.post(
        f"/persons/{person.entry_no}/photo/",
        {"photo": SimpleUploadedFile("photo.png", b"<script>alert(1)</script>")},
        follow=True,
    )
    assert "A photo must be a JPEG, PNG or WebP image." in response.content.decode()
    person.refresh_from_db()
    assert person.photo is None
    from aigaq.media.models import MediaFile

    assert not MediaFile.objects.exists()


def test_a_viewer_cannot_see_the_photo_of_an_internal_entry(client, interviewer, viewer) -> None:
    person = factories.person(actor=interviewer)
    from aigaq.people.services import person_set_photo

    person_set_photo(
        actor=interviewer, person=person, fileobj=SimpleUploadedFile("a.png", PNG), name="a.png"
    )
    client.force_login(viewer)
    assert client.get(f"/persons/{person.entry_no}/photo/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_photo_is_uploaded_from_the_person_page_in_the_browser(
    signed_in_page, live_server, tmp_path
) -> None:
    page, user = signed_in_page("interviewer", "photo-browser")
    person = factories.person("Мұрат Әбенұлы", actor=user)
    image = tmp_path / "face.png"
    image.write_bytes(PNG)
    page.goto(f"{live_server.url}/persons/{person.entry_no}/")
    page.set_input_files("#id_photo", str(image))
    page.click("form.photo-upload button[type=submit]")
    page.wait_for_selector("[data-testid=photo]")
    # The <img> is in the page before its bytes arrive: wait for the browser to finish
    # loading it (a broken or refused image completes with naturalWidth 0 and fails here).
    # The page's CSP forbids eval, so no string predicates (wait_for_function): expect() polls
    # the element's property from Playwright's own script.
    photo = page.locator("[data-testid=photo]")
    expect(photo).to_have_js_property("complete", True)
    expect(photo).to_have_js_property("naturalWidth", 1)
    assert "Photo saved." in page.content()
