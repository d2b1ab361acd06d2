"""The coordinator's page (/petitions/: overdue, waiting for a signature, answers of this
week) and the batch page (/petitions/batch/: a ZIP of one form for a selection)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aigaq.people.models import Visibility
from aigaq.petitions.models import Petition
from aigaq.petitions.selectors import coordinator_lists
from aigaq.petitions.services import petition_create
from aigaq.staff import petitions as pages
from tests import factories
from tests.petitions.conftest import ENTRIES

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def petitions(coordinator: Any, ready_person: Any) -> dict[str, Petition]:
    today = timezone.localdate()
    hidden_person = factories.person(
        "Жасырын Адам", actor=coordinator, visibility=Visibility.RESTRICTED
    )
    made = {
        key: petition_create(actor=coordinator, form="wgeid", persons=[person])
        for key, person in (
            ("overdue", ready_person),
            ("due_later", ready_person),
            ("closed_overdue", ready_person),
            ("unsigned", ready_person),
            ("answered", ready_person),
            ("answered_long_ago", ready_person),
            ("hidden_overdue", hidden_person),
        )
    }
    # Past days are refused by the services (as they should be): set them as time passing would.
    Petition.objects.filter(pk=made["overdue"].pk).update(
        next_action="Call the ministry", next_action_due=today - dt.timedelta(days=3)
    )
    Petition.objects.filter(pk=made["hidden_overdue"].pk).update(
        next_action="Secret", next_action_due=today - dt.timedelta(days=3)
    )
    Petition.objects.filter(pk=made["due_later"].pk).update(
        next_action="Later", next_action_due=today + dt.timedelta(days=3)
    )
    Petition.objects.filter(pk=made["closed_overdue"].pk).update(
        state=Petition.State.CLOSED, next_action_due=today - dt.timedelta(days=9)
    )
    Petition.objects.filter(pk=made["unsigned"].pk).update(generated_at=timezone.now())
    Petition.objects.filter(pk=made["answered"].pk).update(
        state=Petition.State.ANSWERED, answered_on=today - dt.timedelta(days=2)
    )
    Petition.objects.filter(pk=made["answered_long_ago"].pk).update(
        state=Petition.State.ANSWERED, answered_on=today - dt.timedelta(days=30)
    )
    return made


def test_the_lists_hold_what_each_promises(
    petitions: dict[str, Petition], coordinator: Any, interviewer: Any
) -> None:
    today = timezone.localdate()
    lists = coordinator_lists(coordinator, today)
    assert {p.pk for p in lists.overdue} == {
        petitions["overdue"].pk,
        petitions["hidden_overdue"].pk,
    }
    assert [p.pk for p in lists.unsigned] == [petitions["unsigned"].pk]
    assert [p.pk for p in lists.answered] == [petitions["answered"].pk]
    # An interviewer may not see the restricted person: nor their petition.
    seen = coordinator_lists(interviewer, today)
    assert [p.pk for p in seen.overdue] == [petitions["overdue"].pk]


def test_the_page_shows_the_lists(petitions: dict[str, Petition], interviewer: Any) -> None:
    html = client_for(interviewer).get("/petitions/").content.decode()
    for testid in ("overdue", "unsigned", "answered"):
        assert f'data-testid="{testid}"' in html
    assert "Call the ministry" in html
    assert "Secret" not in html and "Жасырын" not in html
    assert f"/petitions/{petitions['answered'].pk}/" in html
    assert f"/petitions/{petitions['answered_long_ago'].pk}/" not in html
    assert 'data-testid="nav-petitions"' in html


def test_viewers_have_no_petitions_page(viewer: Any) -> None:
    c = client_for(viewer)
    assert c.get("/petitions/").status_code == 403
    assert b"nav-petitions" not in c.get("/").content


def _post(c: Client, **data: Any) -> Any:
    return c.post("/petitions/batch/?form=wgeid", {"form": "wgeid", "fmt": "docx", **data})


def test_the_batch_page_downloads_a_zip(ready_person: Any, coordinator: Any) -> None:
    c = client_for(coordinator)
    form_page = c.get("/petitions/batch/?form=wgeid").content.decode()
    assert 'name="forces"' in form_page and 'name="substance"' not in form_page
    entries = {k: v for k, v in ENTRIES["wgeid"].items() if k != "family_consent"}
    response = _post(c, place="test-tekes", detained_year="2018", family_consent="on", **entries)
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("index.csv").decode("utf-8-sig"))))
    assert [(int(r["entry"]), r["result"]) for r in rows] == [(ready_person.entry_no, "written")]
    assert Petition.objects.filter(person=ready_person, generated_format="docx").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"place": "Nowhere-xyz-at-all"}, "No place of the gazetteer"),
        ({"numbers": "12, abc"}, "Write entry numbers"),
        ({"status": "released"}, "No person is left by this selection"),
    ],
)
def test_the_batch_page_says_what_is_wrong(
    ready_person: Any, coordinator: Any, data: dict[str, str], message: str
) -> None:
    response = _post(client_for(coordinator), **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Petition.objects.count() == 0


def test_the_batch_page_sends_big_selections_to_the_command(
    ready_person: Any, coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "WEB_BATCH_LIMIT", 0)
    response = _post(client_for(coordinator))
    assert response.status_code == 400
    assert "aigaq petitions batch" in response.content.decode()
    assert Petition.objects.count() == 0


def test_an_unknown_form_goes_back_to_the_lists(coordinator: Any) -> None:
    response = client_for(coordinator).get("/petitions/batch/?form=nope")
    assert response.status_code == 302 and response["Location"] == "/petitions/"


def test_each_list_is_one_query_reading_only_what_it_shows(
    petitions: dict[str, Petition], coordinator: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):
        lists = coordinator_lists(coordinator, timezone.localdate())
    rows = [*lists.overdue, *lists.unsigned, *lists.answered]
    assert len(rows) == 4
    # What the page shows of each row is there without another query (the template's fields);
    # the applicant's details, the entries, the answer and the person's restricted fields
    # were never read.
    with django_assert_num_queries(0):
        for p in rows:
            assert str(p.person) and p.person.visibility and p.get_state_display() and p.form
            _ = (p.registration_no, p.next_action, p.next_action_due, p.generated_at)
            _ = p.answered_on
    for p in rows:
        assert {"applicant", "entries", "answer"} <= p.get_deferred_fields()
        assert "chinese_id" in p.person.get_deferred_fields()


def test_rows_due_the_same_day_keep_one_order(coordinator: Any, ready_person: Any) -> None:
    today = timezone.localdate()
    made = [
        petition_create(actor=coordinator, form="wgeid", persons=[ready_person]) for _ in range(5)
    ]
    Petition.objects.filter(pk__in=[p.pk for p in made]).update(
        next_action_due=today - dt.timedelta(days=1), created_at=timezone.now()
    )
    first = [p.pk for p in coordinator_lists(coordinator, today).overdue]
    assert first == sorted(p.pk for p in made)
    assert [p.pk for p in coordinator_lists(coordinator, today, limit=2).overdue] == first[:2]
