"""The status timeline, correctable and sourced: events corrected and removed with a reason
(audited), each citing the testimony or source it was taken from, no date in the future, and
an undated event only when said to be of unknown date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aigaq.core.models import AuditEntry, Visibility
from aigaq.people.models import StatusEvent
from aigaq.people.services import status_event_add
from tests import factories

pytestmark = pytest.mark.django_db


def event_post(**fields: Any) -> dict[str, Any]:
    data = {"kind": "camp", "date_text": "2018", "report": "reported"}
    data.update(fields)
    return data


def edit_post(event: StatusEvent, **fields: Any) -> dict[str, Any]:
    data = event_post(
        kind=event.kind, date_text=event.date_text, version=str(event.version), reason="typo"
    )
    data.update(fields)
    return data


# --- correcting and removing -------------------------------------------------------------


def test_an_event_is_corrected_with_a_reason_and_the_current_status_follows(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator, status="detained", date="2017")
    event = StatusEvent.objects.get()
    client = signed_in(coordinator)
    page = client.get(f"/persons/{person.entry_no}/status/{event.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"].initial["date_text"] == "2017"
    response = client.post(
        f"/persons/{person.entry_no}/status/{event.pk}/edit/",
        edit_post(event, kind="prison", reason="The testimony says prison, not detention."),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    person.refresh_from_db()
    assert event.kind == "prison"
    assert person.current_status == "prison"
    entry = AuditEntry.objects.filter(action="update", object_id=str(event.pk)).get()
    assert entry.note == "The testimony says prison, not detention."
    assert entry.changes["kind"] == ["detained", "prison"]
    assert entry.person_id == person.pk


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator, status="detained")
    event = StatusEvent.objects.get()
    response = signed_in(coordinator).post(
        f"/persons/{person.entry_no}/status/{event.pk}/edit/",
        edit_post(event, kind="prison", reason="   "),
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    event.refresh_from_db()
    assert event.kind == "detained"
    assert not AuditEntry.objects.filter(action="update", object_id=str(event.pk)).exists()


def test_a_correction_over_someone_elses_is_refused(signed_in: Any, coordinator: Any) -> None:
    person = factories.person("Ақан", actor=coordinator, status="detained")
    event = StatusEvent.objects.get()
    stale = edit_post(event, kind="camp")
    from aigaq.people.services import status_event_update

    status_event_update(
        actor=coordinator, event=event, expected_version=event.version, reason="r", note="x"
    )
    response = signed_in(coordinator).post(
        f"/persons/{person.entry_no}/status/{event.pk}/edit/", stale
    )
    assert response.status_code == 409
    event.refresh_from_db()
    assert event.kind == "detained"


def test_an_event_is_removed_with_a_reason_and_the_history_keeps_what_it_said(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator, status="detained", date="2017")
    status_event_add(actor=coordinator, person=person, kind="released", date_text="2019")
    person.refresh_from_db()
    assert person.current_status == "released"
    wrong = StatusEvent.objects.get(kind="released")
    client = signed_in(coordinator)
    url = f"/persons/{person.entry_no}/status/{wrong.pk}/remove/"
    assert client.get(url).status_code == 200

    refused = client.post(url, {"reason": "", "version": str(wrong.version)})
    assert refused.status_code == 400
    assert StatusEvent.objects.filter(pk=wrong.pk).exists()

    response = client.post(url, {"reason": "Entered on the wrong person.", "version": "1"})
    assert response.status_code == 302
    assert not StatusEvent.objects.filter(pk=wrong.pk).exists()
    person.refresh_from_db()
    assert person.current_status == "detained"
    entry = AuditEntry.objects.get(action="delete", object_id=str(wrong.pk))
    assert entry.note == "Entered on the wrong person."
    assert entry.person_id == person.pk
    assert entry.changes["kind"] == ["released", None]
    assert entry.changes["date_text"] == ["2019", None]
    page = client.get(f"/persons/{person.entry_no}/")
    assert [r["event"].kind for r in page.context["timeline"]] == ["detained"]


def test_correcting_and_removing_need_the_right_to_add(
    signed_in: Any, coordinator: Any, translator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator, status="detained")
    event = StatusEvent.objects.get()
    client = signed_in(translator)
    base = f"/persons/{person.entry_no}/status/{event.pk}"
    assert client.get(f"{base}/edit/").status_code == 403
    assert client.post(f"{base}/edit/", edit_post(event, kind="camp")).status_code == 403
    assert client.post(f"{base}/remove/", {"reason": "x"}).status_code == 403
    assert StatusEvent.objects.get().kind == "detained"
    page = client.get(f"/persons/{person.entry_no}/").content.decode()
    assert "event-remove" not in page


def test_an_event_of_another_person_is_not_found_under_this_one(
    signed_in: Any, coordinator: Any
) -> None:
    factories.person("Ақан", actor=coordinator, status="detained")
    other = factories.person("Бақыт", actor=coordinator)
    event = StatusEvent.objects.get()
    client = signed_in(coordinator)
    assert client.get(f"/persons/{other.entry_no}/status/{event.pk}/edit/").status_code == 404
    assert (
        client.post(f"/persons/{other.entry_no}/status/{event.pk}/remove/", {"reason": "x"})
    ).status_code == 404
    assert StatusEvent.objects.count() == 1


# --- citing the source -------------------------------------------------------------------


def test_the_source_list_offers_the_testimonies_about_the_person_the_reader_may_see(
    signed_in: Any, coordinator: Any, interviewer: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    about = factories.testimony(person, actor=coordinator, relationship="mother")
    hidden = factories.testimony(
        person, actor=coordinator, relationship="sister", visibility=Visibility.RESTRICTED
    )
    factories.testimony(factories.person("Бақыт", actor=coordinator), actor=coordinator)
    form = signed_in(interviewer).get(f"/persons/{person.entry_no}/").context["event_form"]
    offered = set(form.fields["testimony"].queryset.values_list("pk", flat=True))
    assert offered == {about.pk}
    # A testimony the reader may not see cannot be cited by typing its id either.
    response = signed_in(interviewer).post(
        f"/persons/{person.entry_no}/status/", event_post(testimony=str(hidden.pk))
    )
    assert response.status_code == 400
    assert StatusEvent.objects.count() == 0


def test_an_event_added_from_a_testimony_cites_it_and_the_timeline_links_it(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    testimony = factories.testimony(person, actor=coordinator, relationship="mother")
    client = signed_in(coordinator)
    detail = client.get(f"/testimonies/{testimony.number}/").content.decode()
    link = f"/persons/{person.entry_no}/status/?testimony={testimony.pk}"
    assert link in detail
    form_page = client.get(link)
    assert form_page.status_code == 200
    assert form_page.context["event_form"].initial["testimony"] == str(testimony.pk)
    assert form_page.context["event_form_open"]
    response = client.post(
        f"/persons/{person.entry_no}/status/",
        event_post(
            testimony=str(testimony.pk), source_text="Azattyq, 2019-05-02", date_text="2018-04"
        ),
    )
    assert response.status_code == 302
    event = StatusEvent.objects.get()
    assert (event.testimony_id, event.source_text) == (testimony.pk, "Azattyq, 2019-05-02")
    page = client.get(f"/persons/{person.entry_no}/").content.decode()
    assert f'href="/testimonies/{testimony.number}/"' in page
    assert "Azattyq, 2019-05-02" in page


def test_a_cited_testimony_the_reader_may_not_see_is_not_named_nor_dropped_on_correction(
    signed_in: Any, coordinator: Any, interviewer: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    hidden = factories.testimony(
        person, actor=coordinator, relationship="sister", visibility=Visibility.RESTRICTED
    )
    event = status_event_add(
        actor=coordinator, person=person, kind="camp", date_text="2018", testimony=hidden
    )
    client = signed_in(interviewer)
    page = client.get(f"/persons/{person.entry_no}/").content.decode()
    assert f"/testimonies/{hidden.number}/" not in page
    assert "a testimony you may not see" in page
    response = client.post(
        f"/persons/{person.entry_no}/status/{event.pk}/edit/",
        edit_post(event, kind="prison", reason="prison, says the sister"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.kind, event.testimony_id) == ("prison", hidden.pk)


# --- dates -------------------------------------------------------------------------------


def test_a_status_in_the_future_is_refused(signed_in: Any, coordinator: Any) -> None:
    person = factories.person("Ақан", actor=coordinator)
    next_year = timezone.localdate().year + 1
    response = signed_in(coordinator).post(
        f"/persons/{person.entry_no}/status/", event_post(date_text=str(next_year))
    )
    assert response.status_code == 400
    assert "is in the future" in response.content.decode()
    assert StatusEvent.objects.count() == 0


def test_an_undated_status_needs_date_unknown_said_explicitly(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    client = signed_in(coordinator)
    url = f"/persons/{person.entry_no}/status/"
    blank = client.post(url, event_post(date_text=""))
    assert blank.status_code == 400
    assert "date unknown" in blank.content.decode()
    both = client.post(url, event_post(date_text="2018", date_unknown="on"))
    assert both.status_code == 400
    assert StatusEvent.objects.count() == 0
    assert client.post(url, event_post(date_text="", date_unknown="on")).status_code == 302
    event = StatusEvent.objects.get()
    assert (event.date_text, event.date_start) == ("", None)
    page = client.get(f"/persons/{person.entry_no}/")
    assert "date unknown" in page.content.decode()
    edit = client.get(f"/persons/{person.entry_no}/status/{event.pk}/edit/")
    assert edit.context["form"].initial["date_unknown"] is True


def test_a_birth_year_after_this_year_is_refused(signed_in: Any, coordinator: Any) -> None:
    from tests.staff.conftest import person_post

    next_year = timezone.localdate().year + 1
    response = signed_in(coordinator).post(
        "/persons/new/", person_post("Ақан", birth_year=str(next_year))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["birth_year"]
    from aigaq.people.models import Person

    assert Person.objects.count() == 0


def test_a_testimony_recorded_tomorrow_is_refused(signed_in: Any, interviewer: Any) -> None:
    from aigaq.testimonies.models import Testimony
    from tests.staff.conftest import form_data_for_testimony

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = signed_in(interviewer).post(
        "/testimonies/new/", form_data_for_testimony(recorded_on=tomorrow.isoformat())
    )
    assert response.status_code == 400
    assert "is in the future" in response.content.decode()
    assert Testimony.objects.count() == 0


def test_services_refuse_a_future_testimony_date_too(coordinator: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        factories.testimony(
            actor=coordinator, recorded_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert "recorded_on" in exc.value.message_dict
