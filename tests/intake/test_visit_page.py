"""The desk pages after issue #16: the visit page links the testimony recorded (for a reader who
may open it), masks the phone behind the same audited "Show" as the testimony page, names the
visitor's language; the desk lists the queue oldest first; the day report's median wait counts
whole minutes as the board does; the waiting-area screen speaks Kazakh and Russian."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from aigaq.core.models import AuditEntry, Visibility
from aigaq.intake import selectors, services
from aigaq.intake.models import Visit
from aigaq.testimonies.models import Testimony

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, coordinator):
    client.force_login(coordinator)
    return client


def _recorded(coordinator, name="Гүлнар Серікқызы", phone="") -> tuple[Visit, Testimony]:
    visit = services.visit_register(actor=coordinator, visitor_name=name, phone=phone)
    testimony = services.visit_record_testimony(
        actor=coordinator,
        visit=visit,
        testifier_name=name,
        new_relatives=[services.NewRelative("Серік Ахметұлы", "father")],
    )
    visit.refresh_from_db()
    return visit, testimony


def test_the_visit_page_links_the_testimony_recorded(desk, coordinator) -> None:
    visit, testimony = _recorded(coordinator)
    html = desk.get(reverse("intake:visit", args=[visit.pk])).content.decode()
    link = reverse("staff:testimony_detail", args=[testimony.number])
    assert f'<dd id="visit-testimony"><a href="{link}">' in html


def test_a_testimony_the_reader_may_not_see_is_named_but_not_linked(
    client, coordinator, interviewer
) -> None:
    visit, testimony = _recorded(coordinator)
    Testimony.objects.filter(pk=testimony.pk).update(visibility=Visibility.RESTRICTED)
    client.force_login(interviewer)  # interviewers do not see restricted records
    html = client.get(reverse("intake:visit", args=[visit.pk])).content.decode()
    assert reverse("staff:testimony_detail", args=[testimony.number]) not in html
    assert "a testimony you may not see" in html
    assert "Гүлнар" not in html.split('id="visit-testimony"')[1].split("</dd>")[0]


def test_the_phone_is_masked_until_shown_and_each_showing_is_audited(desk, coordinator) -> None:
    visit = services.visit_register(actor=coordinator, visitor_name="Гүлнар", phone="87015550002")
    html = desk.get(reverse("intake:visit", args=[visit.pk])).content.decode()
    assert "7015550002" not in html
    assert 'data-testid="reveal-phone"' in html
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ, object_id=str(visit.pk))
    assert not reads.exists()

    shown = desk.post(reverse("intake:visit_contact", args=[visit.pk]), HTTP_HX_REQUEST="true")
    assert shown.status_code == 200 and "+77015550002" in shown.content.decode()
    assert reads.count() == 1 and reads.get().changes == {"fields": ["phone"]}
    page = desk.post(reverse("intake:visit_contact", args=[visit.pk]))
    assert "+77015550002" in page.content.decode() and reads.count() == 2
    # A GET shows nothing and records nothing: it goes back to the visit page.
    assert desk.get(reverse("intake:visit_contact", args=[visit.pk])).status_code == 302
    assert reads.count() == 2


def test_showing_the_phone_needs_the_restricted_permission(client, coordinator, translator) -> None:
    visit = services.visit_register(actor=coordinator, visitor_name="Гүлнар", phone="87015550002")
    client.force_login(translator)
    r = client.post(reverse("intake:visit_contact", args=[visit.pk]))
    assert r.status_code == 403 and "7015550002" not in r.content.decode()


def test_an_empty_phone_field_keeps_the_number_written_at_the_desk(desk, coordinator) -> None:
    visit = services.visit_register(actor=coordinator, visitor_name="Гүлнар", phone="87015550003")
    r = desk.post(
        reverse("intake:visit", args=[visit.pk]),
        {
            "testifier_name": "Гүлнар",
            "phone": "",
            "language": "kk",
            "recorded_on": "2026-03-01",
            "location": "office",
            "new_0_name": "Серік",
            "new_0_relationship": "father",
        },
    )
    assert r.status_code == 302
    assert Testimony.objects.get().testifier.phone == "+77015550003"


def test_the_language_spoken_is_named_not_coded(desk, coordinator) -> None:
    visit = services.visit_register(actor=coordinator, visitor_name="Гүлнар", language="ug")
    html = desk.get(reverse("intake:visit", args=[visit.pk])).content.decode()
    assert '<dd id="visit-language">Uyghur</dd>' in html
    board = desk.get(reverse("intake:board_columns")).content.decode()
    assert "· Uyghur ·" in board
    with translation.override("ru"):
        assert visit.language_label == "Уйгурский"


def test_waiting_now_lists_the_queue_oldest_first(desk, coordinator) -> None:
    for name in ("Бірінші", "Екінші", "Үшінші"):
        services.visit_register(actor=coordinator, visitor_name=name)
    recent, count = selectors.desk_waiting()
    assert [v.ticket for v in recent] == [1, 2, 3] and count == 3
    recent, count = selectors.desk_waiting(limit=2)
    assert [v.ticket for v in recent] == [1, 2] and count == 3
    html = desk.get(reverse("intake:desk")).content.decode()
    assert html.index("Бірінші") < html.index("Екінші") < html.index("Үшінші")


def _called_after(coordinator, room, seconds: int, day: dt.date) -> Visit:
    visit = services.visit_register(actor=coordinator, visitor_name="A", day=day)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    Visit.objects.filter(pk=visit.pk).update(
        arrived_at=start,
        called_at=start + dt.timedelta(seconds=seconds),
        status=Visit.Status.IN_ROOM,
        room=room,
    )
    return visit


def test_the_median_wait_counts_whole_minutes_as_the_board_does(coordinator) -> None:
    assert selectors.median_wait_minutes([]) is None
    assert selectors.median_wait_minutes([0, 10, 40]) == 0  # everyone waited "0 min"
    assert selectors.median_wait_minutes([30, 50]) == 0  # not rounded up to 1
    assert selectors.median_wait_minutes([60, 170, 600]) == 2
    assert selectors.median_wait_minutes([120, 300]) == 3  # the two middle ones' mean
    room = services.room_create(actor=coordinator, name="Room 1")
    day = dt.date(2026, 3, 2)
    for seconds in (30, 40, 50):  # the board shows "0 min" for each
        _called_after(coordinator, room, seconds, day)
    assert selectors.day_report(day=day).median_wait_minutes == 0
    out = io.StringIO()
    call_command("desk", "report", "--date", "2026-03-02", stdout=out)
    assert "median wait: 0 min" in out.getvalue()


def test_the_waiting_area_screen_speaks_the_interface_language_kazakh_and_russian(
    desk, coordinator
) -> None:
    html = desk.get(reverse("intake:screen")).content.decode()
    assert "Please go to" in html  # the interface language first (English here)
    assert "Бөлмеге өтіңіз" in html and "Пройдите в кабинет" in html
    desk.cookies.load({"django_language": "ru"})
    html = desk.get(reverse("intake:screen_rows")).content.decode()
    assert "Please go to" not in html
    ru, kk = html.index("Пройдите в кабинет"), html.index("Бөлмеге өтіңіз")
    assert ru < kk  # Russian first, then Kazakh; each once
    assert html.count("Пройдите в кабинет") == 1
