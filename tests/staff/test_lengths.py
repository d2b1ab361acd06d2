"""Every typed text has a limit, said in the message ("at most 300 characters (it has
10,000)"), the same in the forms, the services and both imports; nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from aigaq.core.models import AuditEntry
from aigaq.intake.models import Visit
from aigaq.intake.services import visit_register
from aigaq.people.models import Person
from aigaq.testimonies.services import consent_withdraw
from aigaq.transfer.spreadsheet import spreadsheet_import
from tests import factories
from tests.staff.conftest import person_post

pytestmark = pytest.mark.django_db

LONG = "Ж" * 10_000


def test_a_long_person_name_is_refused_with_the_limit(signed_in: Any, coordinator: Any) -> None:
    response = signed_in(coordinator).post("/persons/new/", person_post(LONG))
    page = response.content.decode()
    assert response.status_code == 400
    assert "At most 300 characters (it has 10,000)." in page
    assert Person.objects.count() == 0


def test_a_long_biography_is_refused_by_the_form_and_the_model(
    signed_in: Any, coordinator: Any
) -> None:
    response = signed_in(coordinator).post(
        "/persons/new/", person_post("Айгүл", biography="б" * 10_001)
    )
    assert response.status_code == 400
    assert "At most 10,000 characters (it has 10,001)." in response.content.decode()
    person = factories.person("Айгүл", actor=coordinator)
    person.biography = "б" * 10_001
    with pytest.raises(ValidationError, match="10,000"):
        person.full_clean()


def test_a_long_visitor_name_is_refused_at_the_desk(signed_in: Any, coordinator: Any) -> None:
    response = signed_in(coordinator).post(
        "/desk/", {"visitor_name": LONG, "reason": "testimony", "language": "kk"}
    )
    assert "At most 300 characters (it has 10,000)." in response.content.decode()
    with pytest.raises(ValidationError, match="10,000"):
        visit_register(actor=coordinator, visitor_name=LONG)
    with pytest.raises(ValidationError, match="2,000"):
        visit_register(actor=coordinator, visitor_name="Айгүл", notes="н" * 2001)
    assert Visit.objects.count() == 0


def test_a_long_relative_typed_at_the_desk_is_refused_not_cut(
    signed_in: Any, coordinator: Any
) -> None:
    response = signed_in(coordinator).post(
        "/desk/",
        {
            "visitor_name": "Айгүл",
            "reason": "testimony",
            "language": "kk",
            "new_relatives": f"Ерлан; {LONG}",
        },
    )
    assert "At most " in response.content.decode()
    with pytest.raises(ValidationError, match="10,000"):
        visit_register(actor=coordinator, visitor_name="Айгүл", new_relatives=[f"Ерлан; {LONG}"])
    assert Visit.objects.count() == 0


def test_a_long_testimony_summary_and_reason_are_refused(coordinator: Any) -> None:
    testimony = factories.testimony(factories.person(actor=coordinator), actor=coordinator)
    testimony.summary = "с" * 50_001
    with pytest.raises(ValidationError, match="50,000"):
        testimony.full_clean()
    with pytest.raises(ValidationError, match="2,000"):
        consent_withdraw(actor=coordinator, testimony=testimony, reason="р" * 2001)
    testimony.refresh_from_db()
    assert testimony.consent_withdrawn_at is None


def test_a_long_value_in_a_spreadsheet_is_refused_with_its_row(coordinator: Any) -> None:
    header = "name,testifier,notes,occupation\n"
    rows = ["Айгүл,,,", f"Нұрлан,{'Т' * 400},,", f"Ерлан,,{'н' * 10_001},", f"Арман,,,{'о' * 201}"]
    report = spreadsheet_import(
        actor=coordinator, data=(header + "\n".join(rows) + "\n").encode(), file_name="l.csv"
    )
    assert not report.ok
    errors = {(e.row, e.column): str(e) for e in report.errors}
    assert set(errors) == {(3, "testifier"), (4, "notes"), (5, "occupation")}
    assert "At most 300 characters (it has 400)." in errors[3, "testifier"]
    assert "At most 200 characters (it has 201)." in errors[5, "occupation"]
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.filter(action="create").exists()
