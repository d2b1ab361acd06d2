"""The testimony page's "Published at" section (add, remove: audited) and the /mirrors/ page
(confirm a candidate, list what is not in the archive)."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.core.models import AuditEntry
from aigaq.mirrors.models import Mirror
from tests import factories

pytestmark = pytest.mark.django_db


def test_staff_add_and_remove_an_address_on_the_testimony_page(
    logged_in: Any, interviewer: Any
) -> None:
    t = factories.testimony()
    client = logged_in(interviewer)
    response = client.post(
        f"/mirrors/testimony/{t.number}/add/",
        {
            "url": "https://odysee.com/@atajurt/t1:2",
            "title": "Куәлік",
            "published_on": "2019-05-02",
        },
    )
    assert response.status_code == 302
    mirror = Mirror.objects.get()
    assert (mirror.testimony, mirror.platform) == (t, "odysee")
    page = client.get(f"/testimonies/{t.number}/").content.decode()
    assert "Published at" in page and "https://odysee.com/@atajurt/t1:2" in page
    client.post(f"/mirrors/{mirror.pk}/remove/")
    assert not Mirror.objects.exists()
    actions = set(
        AuditEntry.objects.filter(object_id=str(mirror.pk)).values_list("action", flat=True)
    )
    assert actions == {"create", "delete"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a web address", ""])
def test_a_bad_address_is_refused_with_a_message_and_nothing_written(
    logged_in: Any, interviewer: Any, url: str
) -> None:
    t = factories.testimony()
    client = logged_in(interviewer)
    response = client.post(f"/mirrors/testimony/{t.number}/add/", {"url": url}, follow=True)
    assert response.status_code == 200
    assert "Give a web address starting with http:// or https://." in response.content.decode()
    assert not Mirror.objects.exists()


def test_a_viewer_may_not_add_or_open_the_review_page(logged_in: Any, viewer: Any) -> None:
    t = factories.testimony(visibility="public")
    client = logged_in(viewer)
    assert (
        client.post(f"/mirrors/testimony/{t.number}/add/", {"url": "https://x.org/"}).status_code
        == 403
    )
    assert client.get("/mirrors/").status_code == 403
    assert not Mirror.objects.exists()


def test_a_candidate_is_confirmed_on_the_review_page(logged_in: Any, coordinator: Any) -> None:
    t = factories.testimony()
    candidate = Mirror.objects.create(
        url="https://www.youtube.com/watch?v=zz",
        title="Видео",
        candidates=[{"number": t.number, "score": 0.45, "reasons": ["testifier", "date"]}],
    )
    outside = Mirror.objects.create(url="https://www.youtube.com/watch?v=yy", title="Митинг")
    client = logged_in(coordinator)
    page = client.get("/mirrors/").content.decode()
    assert f"It is {t.label}" in page and "the testifier is named" in page
    assert "Митинг" in page
    client.post(f"/mirrors/{candidate.pk}/confirm/", {"testimony": str(t.number)})
    candidate.refresh_from_db()
    assert candidate.testimony == t and candidate.candidates == []
    # A number that is no testimony: a message, nothing changed.
    response = client.post(f"/mirrors/{outside.pk}/confirm/", {"testimony": "T9999"}, follow=True)
    assert "No testimony T9999 that you may see." in response.content.decode()
    outside.refresh_from_db()
    assert outside.testimony is None
