from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aigaq.core.models import AuditEntry
from aigaq.intake import services
from aigaq.intake.models import Room, Visit
from aigaq.testimonies.models import Testimony
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(coordinator):
    return [services.room_create(actor=coordinator, name=f"Room {i}") for i in (1, 2, 3)]


@pytest.fixture
def desk(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_desk_page_focuses_the_name_field(desk) -> None:
    html = desk.get(reverse("intake:desk")).content.decode()
    assert 'name="visitor_name"' in html and "autofocus" in html
    assert 'accesskey="r"' in html  # the reason select, one key away


def test_registering_from_the_desk_shows_the_ticket_number(desk, coordinator) -> None:
    p = factories.person("Серік Ахмет", actor=coordinator)
    r = desk.post(
        reverse("intake:desk"),
        {
            "visitor_name": "Гүлнар Серікқызы",
            "phone": "+7 701 000 0003",
            "reason": "testimony",
            "relatives": [str(p.pk)],
            "new_relatives": "Нұрлан Серік",
            "language": "kk",
        },
        follow=True,
    )
    html = r.content.decode()
    assert 'id="last-ticket"' in html and "<strong>1</strong>" in html
    v = Visit.objects.get()
    assert list(v.relatives.all()) == [p] and v.new_relatives == ["Нұрлан Серік"]


def test_an_empty_name_at_the_desk_shows_the_error_and_writes_nothing(desk) -> None:
    r = desk.post(
        reverse("intake:desk"), {"visitor_name": "", "reason": "testimony", "language": "kk"}
    )
    assert r.status_code == 400
    assert "Write down the visitor" in r.content.decode()
    assert Visit.objects.count() == 0


def test_the_relative_search_finds_persons_by_name_and_entry_number(desk, coordinator) -> None:
    p = factories.person("Серік Ахмет", actor=coordinator)
    by_name = desk.get(reverse("intake:relative_search"), {"q": "Серік"}).content.decode()
    by_no = desk.get(reverse("intake:relative_search"), {"q": f"#{p.entry_no}"}).content.decode()
    assert str(p.pk) in by_name and str(p.pk) in by_no


def test_a_translator_cannot_open_the_desk(client, translator) -> None:
    client.force_login(translator)
    assert client.get(reverse("intake:desk")).status_code == 403
    assert client.get(reverse("intake:board")).status_code == 403


def test_the_board_shows_three_columns_and_assigns_by_room(desk, coordinator, rooms) -> None:
    a = services.visit_register(actor=coordinator, visitor_name="Первый")
    services.visit_register(actor=coordinator, visitor_name="Второй")
    r = desk.post(
        reverse("intake:visit_assign", args=[a.pk]),
        {"room": str(rooms[1].pk)},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    html = r.content.decode()
    in_room = html.split('id="col-in-room"')[1].split('id="col-done"')[0]
    assert "Первый" in in_room and "Room 2" in in_room
    a.refresh_from_db()
    assert a.status == Visit.Status.IN_ROOM


def test_assigning_an_unknown_room_from_the_board_says_so(desk, coordinator, rooms) -> None:
    a = services.visit_register(actor=coordinator, visitor_name="Первый")
    r = desk.post(
        reverse("intake:visit_assign", args=[a.pk]), {"room": "nope"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 400 and "Choose a room" in r.content.decode()


def test_the_board_does_not_grow_its_queries_with_the_queue(
    desk, coordinator, interviewer, rooms, django_assert_max_num_queries
) -> None:
    p = factories.person("Серік Ахмет", actor=coordinator)
    for i in range(30):
        v = services.visit_register(actor=coordinator, visitor_name=f"Адам {i}", relatives=[p])
        if i % 3 == 0:
            services.visit_assign(
                actor=coordinator, visit=v, room=rooms[i % 3], interviewer=interviewer
            )
        if i % 6 == 0:
            services.visit_finish(actor=coordinator, visit=v)
    with django_assert_max_num_queries(8):
        r = desk.get(reverse("intake:board_columns"))
    assert r.status_code == 200
    with django_assert_max_num_queries(12):
        desk.get(reverse("intake:board"))


def test_the_waiting_area_screen_shows_tickets_and_rooms_but_no_names_or_phones(
    desk, coordinator, rooms
) -> None:
    names = ["Гүлнар Серікқызы", "Ерлан Нұрланұлы", "Айжан Qasymqyzy"]
    phones = ["+77010000011", "+77010000012", "+77010000013"]
    visits = [
        services.visit_register(
            actor=coordinator, visitor_name=n, phone=ph, reason="petition", notes="секрет"
        )
        for n, ph in zip(names, phones, strict=True)
    ]
    services.visit_assign(actor=coordinator, visit=visits[0], room=rooms[2])
    for url in (reverse("intake:screen"), reverse("intake:screen_rows")):
        html = desk.get(url).content.decode()
        for n in names:
            for part in n.split():
                assert part not in html
        for ph in phones:
            assert ph[-6:] not in html
        assert "секрет" not in html and "Petition" not in html
        assert "Room 3" in html
        for v in visits:
            assert f">{v.ticket}<" in html


def test_the_visit_page_prefills_the_testimony_form_and_shows_history(
    desk, coordinator, interviewer, rooms
) -> None:
    p = factories.person("Серік Ахмет", actor=coordinator)
    first = services.visit_register(actor=coordinator, visitor_name="Гүлнар", phone="+77010000021")
    services.visit_record_testimony(
        actor=coordinator,
        visit=first,
        testifier_name="Гүлнар",
        relations=[factories_relation(p)],
    )
    v = services.visit_register(
        actor=coordinator,
        visitor_name="Гүлнар",
        phone="+77010000021",
        relatives=[p],
        new_relatives=["Нұрлан Серік"],
        language="ru",
    )
    r = desk.get(reverse("intake:visit", args=[v.pk]))
    html = r.content.decode()
    assert 'value="Гүлнар"' in html
    assert "+77010000021" not in html  # restricted: shown only on a recorded "Show"
    assert 'value="Нұрлан Серік"' in html
    assert f'name="rel_{p.pk}"' in html
    assert '<option value="ru" selected>' in html
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    assert "Recognised as testifier" in html
    assert not AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_id=str(v.pk)
    ).exists()


def factories_relation(person):
    from aigaq.testimonies.services import RelationInput

    return RelationInput(person, "father")


def test_submitting_the_prefilled_form_records_and_closes_the_visit(
    desk, coordinator, rooms
) -> None:
    p = factories.person("Серік Ахмет", actor=coordinator)
    v = services.visit_register(
        actor=coordinator, visitor_name="Гүлнар", relatives=[p], new_relatives=["Нұрлан Серік"]
    )
    r = desk.post(
        reverse("intake:visit", args=[v.pk]),
        {
            "testifier_name": "Гүлнар",
            "phone": "",
            "language": "kk",
            "recorded_on": "2026-03-01",
            "location": "office",
            f"rel_{p.pk}": "father",
            "new_0_name": "Нұрлан Серік",
            "new_0_relationship": "brother",
            "consent_anonymous": "on",
        },
    )
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.status == Visit.Status.DONE
    t = Testimony.objects.get()
    assert v.testimony == t and t.recorded_on == dt.date(2026, 3, 1)
    assert t.relations.count() == 2


def test_a_missing_relationship_is_refused_and_nothing_recorded(desk, coordinator) -> None:
    p = factories.person("Серік Ахмет", actor=coordinator)
    v = services.visit_register(actor=coordinator, visitor_name="Гүлнар", relatives=[p])
    r = desk.post(
        reverse("intake:visit", args=[v.pk]),
        {
            "testifier_name": "Гүлнар",
            "language": "kk",
            "recorded_on": "2026-03-01",
            "location": "office",
        },
    )
    assert r.status_code == 400
    assert "Choose how the testifier is related" in r.content.decode()
    assert Testimony.objects.count() == 0


def test_the_day_report_counts_by_interviewer_room_and_reason(
    desk, coordinator, interviewer, rooms
) -> None:
    p = factories.person("Серік Ахмет", actor=coordinator)
    a = services.visit_register(actor=coordinator, visitor_name="A", relatives=[p])
    services.visit_register(actor=coordinator, visitor_name="B", reason="petition")
    services.visit_assign(actor=coordinator, visit=a, room=rooms[0], interviewer=interviewer)
    services.visit_record_testimony(
        actor=interviewer, visit=a, testifier_name="A", relations=[factories_relation(p)]
    )
    day = timezone.localdate().isoformat()
    html = desk.get(reverse("intake:report"), {"date": day}).content.decode()
    assert 'id="total-visits">2<' in html and 'id="total-testimonies">1<' in html
    csv_text = desk.get(reverse("intake:report"), {"date": day, "format": "csv"}).content.decode()
    assert "section,label,visits,testimonies" in csv_text
    assert "room,Room 1,1,1" in csv_text
    assert f"interviewer,{interviewer},1,1" in csv_text
    assert "reason,Petition help,1,0" in csv_text
    assert desk.get(reverse("intake:report"), {"date": "2026-13-40"}).status_code == 400


def test_the_desk_report_command_prints_csv(coordinator, rooms, capsys) -> None:
    services.visit_register(actor=coordinator, visitor_name="A", day=dt.date(2026, 2, 3))
    call_command("desk", "report", "--date", "2026-02-03", "--csv")
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "section,label,visits,testimonies"
    assert "total,2026-02-03,1,0" in out
    call_command("desk", "report", "--date", "2026-02-03")
    assert "visits: 1" in capsys.readouterr().out


def test_the_board_poll_answers_nothing_new_until_something_changes(
    desk, coordinator, rooms
) -> None:
    services.visit_register(actor=coordinator, visitor_name="Первый")
    html = desk.get(reverse("intake:board_columns")).content.decode()
    state = html.split('id="board-state" name="state" value="')[1].split('"')[0]
    again = desk.get(reverse("intake:board_columns"), {"state": state})
    assert again.status_code == 204 and again.content == b""
    services.visit_register(actor=coordinator, visitor_name="Второй")
    changed = desk.get(reverse("intake:board_columns"), {"state": state})
    assert changed.status_code == 200 and "Второй" in changed.content.decode()


def test_rooms_are_added_and_taken_out_of_use_on_the_rooms_page(desk) -> None:
    assert desk.post(reverse("intake:rooms"), {"name": "Room 7"}).status_code == 302
    room = Room.objects.get(name="Room 7")
    assert desk.post(reverse("intake:rooms"), {"name": "room 7"}).status_code == 400
    desk.post(reverse("intake:rooms"), {"toggle": str(room.pk)})
    room.refresh_from_db()
    assert room.active is False
    r = desk.post(reverse("intake:rooms"), {"name": "  "})
    assert r.status_code == 400 and "Give the room a name" in r.content.decode()
    assert Room.objects.count() == 1


def test_the_screen_needs_a_signed_in_computer(client) -> None:
    r = client.get(reverse("intake:screen"))
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_a_restricted_relative_is_not_shown_to_an_interviewer_on_the_visit_page(
    client, coordinator, interviewer
) -> None:
    hidden = factories.person("Құпия Адам", actor=coordinator, visibility="restricted")
    v = services.visit_register(actor=coordinator, visitor_name="Гүлнар", relatives=[hidden])
    client.force_login(interviewer)
    html = client.get(reverse("intake:visit", args=[v.pk])).content.decode()
    assert "Құпия" not in html and str(hidden.pk) not in html


def test_a_bad_phone_at_the_desk_is_shown_beside_the_field_and_nothing_is_written(desk) -> None:
    r = desk.post(
        reverse("intake:desk"),
        {"visitor_name": "Гүлнар", "phone": "12 34", "reason": "testimony", "language": "kk"},
    )
    assert r.status_code == 400
    assert "not a valid phone number" in r.content.decode()
    assert Visit.objects.count() == 0


def test_a_fault_in_the_person_search_shows_instead_of_a_quiet_second_search(
    desk, coordinator, monkeypatch
) -> None:
    from aigaq.intake import selectors
    from aigaq.search import selectors as search_selectors

    factories.person("Серік Ахмет", actor=coordinator)

    def broken(**kwargs: object) -> None:
        raise TypeError("person_search() got an unexpected keyword argument")

    monkeypatch.setattr(search_selectors, "person_search", broken)
    with pytest.raises(TypeError):
        selectors.person_search(user=coordinator, query="Серік")
