"""The change log reads as sentences, not as record ids: names, entry numbers, the user's name,
each field's label in the page's language, choices by their labels, dates formatted, a merge
in words; a testimony has its own history; restricted values stay masked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from aigaq.core.audit import history_for_person
from aigaq.core.models import AuditEntry
from aigaq.dedup.services import person_merge
from aigaq.people.services import status_event_add
from aigaq.staff.history import readable
from aigaq.testimonies.services import consent_withdraw
from tests import factories

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def history_of(page: str) -> str:
    """The history table's text, its links' addresses left out (a testimony's is its id)."""
    start = page.index('data-testid="history"')
    return re.sub(r'href="[^"]*"', "", page[start : page.index("</table>", start)])


def ru(client: Client) -> Client:
    client.cookies["django_language"] = "ru"
    return client


def test_the_person_history_names_records_and_users_instead_of_ids(
    client: Client, make_user: Any
) -> None:
    curator = make_user("coordinator", "curator", first_name="Сәуле", last_name="Ахметова")
    person = factories.person("Ерлан Серікұлы", actor=curator, birth_year=1970)
    status_event_add(actor=curator, person=person, kind="detained", date_text="2018-03-12")
    factories.testimony(person, actor=curator, relationship="son")
    client.force_login(curator)
    history = history_of(client.get(f"/persons/{person.entry_no}/").content.decode())
    assert not UUID.search(history), history
    assert "Сәуле Ахметова" in history  # the user's name, not their id or "4"
    assert f'<a ><span dir="auto">#{person.entry_no} Ерлан Серікұлы' in history  # linked
    assert "testimony of Айгүл Сәрсенқызы" in history  # the testimony linked, by what it is
    assert "Son" in history and ">son<" not in history  # a choice by its label


def test_the_history_is_in_the_page_language(client: Client, coordinator: Any) -> None:
    person = factories.person("Ерлан Серікұлы", actor=coordinator)
    status_event_add(actor=coordinator, person=person, kind="detained", date_text="2018")
    client.force_login(coordinator)
    history = history_of(ru(client).get(f"/persons/{person.entry_no}/").content.decode())
    assert "recorded by" not in history and ">person<" not in history
    assert "Задержан" in history or "задержан" in history.lower()


def test_a_merge_reads_as_a_sentence(client: Client, coordinator: Any) -> None:
    keep = factories.person("Ерлан Серікұлы", actor=coordinator, birth_year=1970)
    twin = factories.person("Ерлан Сериков", "Yerlan Serikuly", actor=coordinator)
    status_event_add(actor=coordinator, person=twin, kind="detained", date_text="2018")
    person_merge(actor=coordinator, survivor=keep, retired=twin)
    client.force_login(coordinator)
    history = history_of(client.get(f"/persons/{keep.entry_no}/").content.decode())
    assert (
        "Merged <a" in history and f"#{twin.entry_no}" in history and "into this entry" in history
    )
    assert "Kept from it:" in history and "2 names" in history and "1 status event" in history
    assert "{" not in history and not UUID.search(history)
    retired = readable(coordinator, history_for_person(twin.pk))
    said = [str(h["sentence"]) for h in retired if h["sentence"]]
    assert said and "This entry was merged into" in said[0] and f"#{keep.entry_no}" in said[0]


def test_a_testimony_has_a_history_that_masks_restricted_values(
    client: Client, coordinator: Any
) -> None:
    person = factories.person("Ерлан Серікұлы", actor=coordinator)
    testifier = factories.testifier(actor=coordinator, phone="+77011234567", address="Алматы 5")
    testimony = factories.testimony(
        person, actor=coordinator, testifier_obj=testifier, summary="Бірінші"
    )
    consent_withdraw(actor=coordinator, testimony=testimony, reason="қорқады")
    client.force_login(coordinator)
    page = client.get(f"/testimonies/{testimony.number}/").content.decode()
    history = history_of(page)
    assert "History" in page
    assert f"#{person.entry_no}" in history  # the person it concerns, linked when it was
    assert "7011234567" not in history and "Алматы 5" not in history  # restricted: masked
    assert "restricted, not shown" in history
    assert "Consent withdrawn" in history
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", history)  # dates formatted, not ISO
    assert not UUID.search(history)


def test_readers_without_the_history_right_see_no_history(client: Client, interviewer: Any) -> None:
    testimony = factories.testimony(factories.person(actor=interviewer), actor=interviewer)
    client.force_login(interviewer)
    page = client.get(f"/testimonies/{testimony.number}/").content.decode()
    assert 'data-testid="history"' not in page
    assert AuditEntry.objects.filter(object_id=str(testimony.pk)).exists()


def test_a_file_attached_to_a_testimony_is_named_in_its_history(
    client: Client, coordinator: Any, settings: Any, tmp_path: Any
) -> None:
    import io

    from aigaq.media.services import media_ingest
    from aigaq.testimonies.services import testimony_attach_media
    from tests.media.videos import png_bytes

    settings.MEDIA_ROOT = str(tmp_path / "media")
    testimony = factories.testimony(factories.person("Ерлан Серікұлы"), actor=coordinator)
    photo = media_ingest(
        actor=coordinator, fileobj=io.BytesIO(png_bytes()), original_name="yard.png", kind="photo"
    )
    testimony_attach_media(actor=coordinator, testimony=testimony, media=photo, kind="photo")
    client.force_login(coordinator)
    history = history_of(client.get(f"/testimonies/{testimony.number}/").content.decode())
    assert "a file" in history  # named as a file (its name may be restricted), never as gone
    assert "a record since removed" not in history
