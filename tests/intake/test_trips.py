"""Field trips: planned, edited and moved along by coordinators through the services, and the
pages under /desk/trips/ (list, form, trip page, bundle export)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from aigaq.core.locking import EditConflict
from aigaq.core.models import AuditEntry
from aigaq.intake import services
from aigaq.intake.models import FieldTrip, Visit
from tests import factories

pytestmark = pytest.mark.django_db

MAY_1, MAY_3 = dt.date(2026, 5, 1), dt.date(2026, 5, 3)
PASSPHRASE = "five words make a passphrase"


@pytest.fixture
def county(db: Any) -> Any:
    from aigaq.people.models import Place
    from aigaq.people.services import place_save

    return place_save(Place(code="trip-county", kind="county", name="Tekes"))


@pytest.fixture
def trip(coordinator: Any, interviewer: Any, county: Any) -> FieldTrip:
    return services.field_trip_create(
        actor=coordinator,
        name="Tekes, May",
        place=county,
        starts_on=MAY_1,
        ends_on=MAY_3,
        team=[interviewer],
    )


@pytest.fixture
def trips_client(client: Any, coordinator: Any, settings: Any, tmp_path: Path) -> Any:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(coordinator)
    return client


# --- services ------------------------------------------------------------------------------


def test_a_coordinator_plans_a_trip_with_place_dates_and_team_and_it_is_audited(
    trip: FieldTrip, interviewer: Any, county: Any
) -> None:
    assert trip.status == FieldTrip.Status.PLANNED
    assert trip.place == county and list(trip.team.all()) == [interviewer]
    entry = AuditEntry.objects.get(object_id=str(trip.pk), action=AuditEntry.Action.CREATE)
    assert entry.changes["name"] == [None, "Tekes, May"]
    assert entry.changes["team"] == [None, [str(interviewer)]]


@pytest.mark.parametrize("role", ["interviewer", "translator", "viewer"])
def test_only_coordinators_plan_trips(make_user: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.field_trip_create(
            actor=make_user(role), name="X", place_label="Aul", starts_on=MAY_1, ends_on=MAY_3
        )
    assert not FieldTrip.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Tekes, May"}, "name"),  # taken: the command line finds trips by name
        ({"ends_on": dt.date(2026, 4, 30)}, "ends_on"),
        ({"place_label": ""}, "place"),
        ({"team": ["inactive"]}, "team"),
    ],
)
def test_bad_trip_input_gets_a_clear_error_and_writes_nothing(
    trip: FieldTrip, coordinator: Any, make_user: Any, changes: dict[str, Any], field: str
) -> None:
    if changes.get("team") == ["inactive"]:
        changes = {"team": [make_user("interviewer", "gone", is_active=False)]}
    values: dict[str, Any] = {
        "name": "Another trip",
        "place": None,
        "place_label": "Aul",
        "starts_on": MAY_1,
        "ends_on": MAY_3,
        **changes,
    }
    before = (FieldTrip.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.field_trip_create(actor=coordinator, **values)
    assert field in exc.value.message_dict
    assert (FieldTrip.objects.count(), AuditEntry.objects.count()) == before


def test_editing_a_trip_changes_it_and_records_what_changed(
    trip: FieldTrip, coordinator: Any
) -> None:
    after = services.field_trip_update(
        actor=coordinator, trip=trip, expected_version=trip.version, ends_on=dt.date(2026, 5, 5)
    )
    assert after.ends_on == dt.date(2026, 5, 5) and after.version == trip.version + 1
    entry = AuditEntry.objects.get(object_id=str(trip.pk), action=AuditEntry.Action.UPDATE)
    assert entry.changes == {"ends_on": ["2026-05-03", "2026-05-05"]}


def test_an_edit_from_an_older_version_is_refused_and_changes_nothing(
    trip: FieldTrip, coordinator: Any
) -> None:
    services.field_trip_update(
        actor=coordinator, trip=trip, expected_version=trip.version, notes="first"
    )
    with pytest.raises(EditConflict):
        services.field_trip_update(
            actor=coordinator, trip=trip, expected_version=trip.version, notes="second"
        )
    trip.refresh_from_db()
    assert trip.notes == "first"


def test_an_edit_with_end_before_start_is_refused(trip: FieldTrip, coordinator: Any) -> None:
    with pytest.raises(ValidationError):
        services.field_trip_update(
            actor=coordinator, trip=trip, expected_version=None, starts_on=dt.date(2026, 6, 1)
        )
    trip.refresh_from_db()
    assert trip.starts_on == MAY_1


def test_a_trip_moves_one_step_at_a_time_and_each_move_is_audited(
    trip: FieldTrip, coordinator: Any
) -> None:
    with pytest.raises(ValidationError):
        services.field_trip_set_status(actor=coordinator, trip=trip, status="merged")
    with pytest.raises(ValidationError):
        services.field_trip_set_status(actor=coordinator, trip=trip, status="lost")
    for status in ("under_way", "returned", "merged"):
        trip = services.field_trip_set_status(actor=coordinator, trip=trip, status=status)
    assert trip.status == FieldTrip.Status.MERGED
    moves = AuditEntry.objects.filter(object_id=str(trip.pk), action=AuditEntry.Action.UPDATE)
    assert [e.changes["status"][1] for e in moves.order_by("at")] == [
        "under_way",
        "returned",
        "merged",
    ]


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["interviewer", "translator", "viewer"])
def test_trip_pages_are_for_coordinators(client: Any, make_user: Any, role: str) -> None:
    client.force_login(make_user(role))
    assert client.get(reverse("transfer:trips")).status_code == 403
    assert client.get(reverse("transfer:trip_new")).status_code == 403


def test_the_trip_list_costs_the_same_few_queries_for_many_trips(
    trips_client: Any, coordinator: Any, interviewer: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(12):
        services.field_trip_create(
            actor=coordinator,
            name=f"Trip {i}",
            place_label="Aul",
            starts_on=MAY_1,
            ends_on=MAY_3,
            team=[interviewer, coordinator],
        )
    with django_assert_max_num_queries(8):
        html = trips_client.get(reverse("transfer:trips")).content.decode()
    assert html.count('href="/desk/trips/') >= 12


def test_planning_a_trip_from_the_form_opens_its_page(
    trips_client: Any, county: Any, interviewer: Any
) -> None:
    r = trips_client.post(
        reverse("transfer:trip_new"),
        {
            "name": "Tekes, June",
            "place": str(county.pk),
            "starts_on": "2026-06-01",
            "ends_on": "2026-06-04",
            "team": [str(interviewer.pk)],
        },
    )
    trip = FieldTrip.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("transfer:trip", args=[trip.pk])
    assert trip.place == county and list(trip.team.all()) == [interviewer]


def test_a_form_with_the_last_day_first_shows_the_error_and_writes_nothing(
    trips_client: Any,
) -> None:
    r = trips_client.post(
        reverse("transfer:trip_new"),
        {
            "name": "Backwards",
            "place_label": "Aul",
            "starts_on": "2026-06-04",
            "ends_on": "2026-06-01",
        },
    )
    assert r.status_code == 400
    assert "The last day comes before the first day." in r.content.decode()
    assert not FieldTrip.objects.exists()


def test_an_edit_saved_over_someone_elses_shows_the_conflict(
    trips_client: Any, trip: FieldTrip, coordinator: Any
) -> None:
    page = trips_client.get(reverse("transfer:trip_edit", args=[trip.pk]))
    assert page.status_code == 200 and 'value="Tekes, May"' in page.content.decode()
    services.field_trip_update(
        actor=coordinator, trip=trip, expected_version=trip.version, notes="meanwhile"
    )
    r = trips_client.post(
        reverse("transfer:trip_edit", args=[trip.pk]),
        {
            "version": str(trip.version),
            "name": "Tekes, May",
            "place": str(trip.place_id),
            "starts_on": "2026-05-01",
            "ends_on": "2026-05-03",
            "notes": "mine",
        },
    )
    assert r.status_code == 409 and 'data-testid="conflict"' in r.content.decode()
    trip.refresh_from_db()
    assert trip.notes == "meanwhile"


def test_the_trip_page_shows_team_testimonies_and_visits(
    trips_client: Any, trip: FieldTrip, interviewer: Any
) -> None:
    person = factories.person("Серік Қабылұлы")
    factories.testimony(
        person,
        testifier_obj=factories.testifier("Айжан Нұрланқызы"),
        field_trip=trip,
        location="field",
    )
    office = factories.testimony(person, testifier_obj=factories.testifier("Office Teller"))
    services.visit_register(actor=None, visitor_name="Ерлан Асқарұлы", field_trip=trip, day=MAY_1)
    html = trips_client.get(reverse("transfer:trip", args=[trip.pk])).content.decode()
    assert str(interviewer) in html
    assert "Айжан Нұрланқызы" in html and "Office Teller" not in html
    assert "Ерлан Асқарұлы" in html
    assert reverse("staff:testimony_detail", args=[office.number]) not in html
    assert Visit.objects.get().field_trip == trip


def test_the_status_buttons_move_the_trip(trips_client: Any, trip: FieldTrip) -> None:
    url = reverse("transfer:trip_status", args=[trip.pk])
    trips_client.post(url, {"status": "under_way", "version": trip.version})
    trip.refresh_from_db()
    assert trip.status == FieldTrip.Status.UNDER_WAY
    r = trips_client.post(url, {"status": "merged", "version": trip.version}, follow=True)
    assert "cannot become" in r.content.decode()
    trip.refresh_from_db()
    assert trip.status == FieldTrip.Status.UNDER_WAY


def _tmp_files(settings: Any) -> list[Path]:
    folder = Path(settings.DATA_DIR) / "tmp"
    return list(folder.iterdir()) if folder.exists() else []


def test_export_streams_the_encrypted_bundle_and_leaves_no_file_behind(
    trips_client: Any, trip: FieldTrip, settings: Any
) -> None:
    from aigaq.transfer.bundle import MAGIC
    from aigaq.transfer.models import Bundle

    factories.person("Гүлнар Серікқызы", hometown=trip.place)
    r = trips_client.post(
        reverse("transfer:trip_export", args=[trip.pk]),
        {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE, "persons_at_place": "on"},
    )
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    assert ".aigaq" in r["Content-Disposition"]
    data = b"".join(r.streaming_content)
    assert data.startswith(MAGIC + b"passphrase ")
    assert "Гүлнар".encode() not in data
    sent = Bundle.objects.get(direction=Bundle.Direction.SENT)
    assert sent.trip_id == trip.pk and sent.counts["person"] == 1
    assert _tmp_files(settings) == []
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_export_to_the_laptops_age_key(trips_client: Any, trip: FieldTrip) -> None:
    from pyrage import x25519

    from aigaq.transfer.bundle import MAGIC

    key = str(x25519.Identity.generate().to_public())
    r = trips_client.post(reverse("transfer:trip_export", args=[trip.pk]), {"recipient": key})
    data = b"".join(r.streaming_content)
    assert data.startswith(MAGIC + b"recipient\n")


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (
            {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE + "!"},
            "The two passphrases differ.",
        ),
        ({"passphrase": "too short", "passphrase_again": "too short"}, "at least five words"),
        ({}, "Give either a passphrase"),
        (
            {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE, "recipient": "age1x"},
            "not both",
        ),
        ({"recipient": "age1notakey"}, "not an age public key"),
    ],
)
def test_a_bad_export_request_says_why_and_writes_nothing(
    trips_client: Any, trip: FieldTrip, settings: Any, post: dict[str, str], message: str
) -> None:
    from aigaq.transfer.models import Bundle

    r = trips_client.post(reverse("transfer:trip_export", args=[trip.pk]), post)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Bundle.objects.exists()
    assert _tmp_files(settings) == []


def test_visits_at_a_trip_get_their_own_ticket_numbers_on_every_database(
    trip: FieldTrip,
) -> None:
    office = services.visit_register(actor=None, visitor_name="Office visitor", day=MAY_1)
    first = services.visit_register(
        actor=None, visitor_name="Ерлан Асқарұлы", field_trip=trip, day=MAY_1
    )
    second = services.visit_register(
        actor=None, visitor_name="Айжан Нұрланқызы", field_trip=trip, day=MAY_1
    )
    assert (office.ticket, first.ticket, second.ticket) == (1, 1, 2)


def test_a_trip_counter_from_an_older_version_never_repeats_a_ticket(trip: FieldTrip) -> None:
    from aigaq.core.models import Sequence

    services.visit_register(actor=None, visitor_name="Before", field_trip=trip, day=MAY_1)
    Sequence.objects.filter(name__startswith="intake.t.").delete()  # as if named the old way
    again = services.visit_register(actor=None, visitor_name="After", field_trip=trip, day=MAY_1)
    assert again.ticket == 2
