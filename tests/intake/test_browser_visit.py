"""Browser tests of the desk pages changed by issue #16: the visit page (testimony linked, phone
behind an audited Show, language by name), the desk's queue oldest first, and the
waiting-area screen in Kazakh and Russian, large on a 1920x1080 TV.

Set AIGAQ_SCREENSHOTS to a folder to keep screenshots of each page (desktop and phone)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from aigaq.core.models import AuditEntry
from aigaq.intake import services


def _shot(page, name: str) -> None:
    folder = os.environ.get("AIGAQ_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_visit_page_links_the_testimony_and_shows_the_phone_on_request(
    signed_in_page, live_server
) -> None:
    page, coordinator = signed_in_page("coordinator", "desk-lead")
    visit = services.visit_register(
        actor=coordinator, visitor_name="Айсұлу Ерболқызы", phone="8 701 555 0009", language="ru"
    )
    testimony = services.visit_record_testimony(
        actor=coordinator,
        visit=visit,
        testifier_name="Айсұлу Ерболқызы",
        new_relatives=[services.NewRelative("Ербол Сейітұлы", "father")],
    )
    again = services.visit_register(actor=coordinator, visitor_name="Aisulu Erbolqyzy")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/desk/visits/{visit.pk}/")
    expect(page.locator("#visit-language")).to_have_text("Russian")
    phone = page.locator("#visit-phone")
    expect(phone).not_to_contain_text("555")
    _shot(page, "visit-desktop")
    phone.get_by_role("button", name="Show (the reading is recorded)").click()
    expect(phone.locator("[data-testid=restricted-value]")).to_have_text("+77015550009")
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_id=str(visit.pk)
    ).exists()
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "visit-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#visit-testimony a").click()
    page.wait_for_url(f"{live_server.url}/testimonies/{testimony.number}/")

    # The returning visitor, written in Latin this time, is recognised.
    page.goto(f"{live_server.url}/desk/visits/{again.pk}/")
    expect(page.locator("#history .notice")).to_contain_text("Recognised as testifier")
    expect(page.locator("#history")).to_contain_text("Айсұлу Ерболқызы")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_desk_lists_the_queue_oldest_first(signed_in_page, live_server) -> None:
    page, coordinator = signed_in_page("coordinator", "desk-lead")
    page.goto(f"{live_server.url}/desk/")
    for name in ("Бірінші Келген", "Екінші Келген", "Үшінші Келген"):
        page.fill("#id_visitor_name", name)
        page.press("#id_visitor_name", "Enter")
        expect(page.locator("#last-ticket strong")).to_be_visible()
    rows = page.locator("#recent tbody tr td:first-child")
    expect(rows).to_have_text(["1", "2", "3"])
    _shot(page, "desk-desktop")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_waiting_area_screen_is_large_on_a_tv_and_in_kazakh_and_russian(
    signed_in_page, live_server
) -> None:
    page, coordinator = signed_in_page("coordinator", "desk-lead")
    room = services.room_create(actor=coordinator, name="Бөлме 2")
    called = services.visit_register(actor=coordinator, visitor_name="A")
    services.visit_assign(actor=coordinator, visit=called, room=room)
    services.visit_register(actor=coordinator, visitor_name="B")

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/desk/screen/")
    heading = page.locator(".screen h1").first
    expect(heading).to_contain_text("Please go to")
    expect(heading).to_contain_text("Бөлмеге өтіңіз")
    expect(heading).to_contain_text("Пройдите в кабинет")
    ticket = page.locator(".screen-table td.ticket").first
    expect(ticket).to_have_text("1")
    size = float(ticket.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    assert size >= 90  # read from across the room: 5.5vw on a 1920 px wide TV
    body = float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px"))
    assert body >= 40
    _shot(page, "screen-tv")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "screen-phone")

    # The interface language chosen on that computer leads; the other of kk/ru follows.
    page.context.add_cookies([{"name": "django_language", "value": "kk", "url": live_server.url}])
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/desk/screen/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    first = page.locator(".screen h1").first.locator("span").first
    expect(first).to_have_text("Бөлмеге өтіңіз")
    expect(page.locator(".screen h1").first).not_to_contain_text("Please go to")
