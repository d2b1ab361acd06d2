"""The issue's browser test: three visitors registered, rooms assigned, one testimony recorded
from the pre-filled form, and the queue board following it all without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aigaq.intake import services
from aigaq.intake.models import Visit
from aigaq.testimonies.models import Testimony
from tests import factories


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_busy_morning_at_the_desk_updates_the_board_without_reloading(
    signed_in_page, live_server, make_user
) -> None:
    board, coordinator = signed_in_page("coordinator", "desk-volunteer")
    interviewer = make_user("interviewer", "interviewer-aliya", display_name="Aliya")
    for name in ("Room A", "Room B", "Room C"):
        services.room_create(actor=coordinator, name=name)
    father = factories.person("Серік Ахметұлы", actor=coordinator)

    # The board is open on one screen; count its navigations from here on.
    board.goto(live_server.url + "/desk/board/")
    navigations: list[str] = []
    board.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == board.main_frame else None,
    )
    board_url = board.url
    expect(board.locator("#col-waiting .visit-card")).to_have_count(0)

    # Another screen: the desk volunteer registers three visitors from the keyboard.
    desk = board.context.new_page()
    desk.goto(live_server.url + "/desk/")
    expect(desk.locator("#id_visitor_name")).to_be_focused()
    desk.keyboard.type("Гүлнар Серікқызы")
    desk.keyboard.press("Tab")
    desk.keyboard.type("+7 701 555 0001")
    desk.fill("#relative-q", "Серік")
    expect(desk.locator("#relative-results [data-relative-pick]")).to_have_count(1)
    desk.press("#relative-q", "Enter")  # picks the one result, does not register yet
    expect(desk.locator("#relatives-chosen input[name=relatives]")).to_have_count(1)
    desk.fill("#id_new_relatives", "Нұрлан Серікұлы")
    desk.press("#id_visitor_name", "Enter")
    expect(desk.locator("#last-ticket strong")).to_have_text("1")
    for n, name in enumerate(["Ерлан Нұрланұлы", "Айжан Қасымқызы"], start=2):
        expect(desk.locator("#id_visitor_name")).to_be_focused()
        desk.keyboard.type(name)
        if n == 3:  # the reason by one letter, and Enter from the select registers
            desk.keyboard.press("Tab")
            desk.keyboard.press("Tab")
            desk.keyboard.press("M")
        desk.keyboard.press("Enter")
        expect(desk.locator("#last-ticket strong")).to_have_text(str(n))

    # The board picked up the three visitors by itself.
    expect(board.locator("#col-waiting .visit-card")).to_have_count(3, timeout=10000)

    # Ticket 1: selected on the board and sent to Room B with the key "2", with Aliya.
    board.select_option("#assign-interviewer", label="Aliya")
    board.locator('#col-waiting .visit-card[data-ticket="1"]').focus()
    board.keyboard.press("2")
    expect(board.locator('#col-in-room .visit-card[data-ticket="1"] .room')).to_have_text("Room B")
    # Ticket 2: sent to Room C from the other screen (its visit page); the board follows.
    ticket2 = Visit.objects.get(ticket=2)
    desk.goto(f"{live_server.url}/desk/visits/{ticket2.pk}/")
    desk.select_option("select[name=room]", label="Room C")
    desk.click("text=Send to room")
    expect(board.locator('#col-in-room .visit-card[data-ticket="2"] .room')).to_have_text(
        "Room C", timeout=10000
    )
    expect(board.locator("#col-waiting .visit-card")).to_have_count(1)

    # The interviewer's screen: the visit page, pre-filled from the desk.
    ticket1 = Visit.objects.get(ticket=1)
    assert ticket1.interviewer == interviewer
    desk.goto(f"{live_server.url}/desk/visits/{ticket1.pk}/")
    expect(desk.locator("#id_testifier_name")).to_have_value("Гүлнар Серікқызы")
    expect(desk.locator("#id_phone")).to_have_value("")  # restricted: kept unless retyped
    expect(desk.locator("#id_new_0_name")).to_have_value("Нұрлан Серікұлы")
    desk.select_option(f"#id_rel_{father.pk}", "father")
    desk.select_option("#id_new_0_relationship", "son")
    desk.check("#id_consent_petitions")
    desk.click("text=Record the testimony and close the visit")
    expect(desk.locator("#visit-status")).to_have_text("Done")

    # The board moved ticket 1 to "done", still without a reload.
    done_card = board.locator('#col-done .visit-card[data-ticket="1"]')
    expect(done_card).to_contain_text("testimony recorded", timeout=10000)
    expect(board.locator("#col-in-room .visit-card")).to_have_count(1)
    assert navigations == []
    assert board.url == board_url

    assert Visit.objects.get(ticket=3).reason == Visit.Reason.MEDIA
    testimony = Testimony.objects.get()
    assert testimony.consent_petitions is True
    assert testimony.testifier.phone == "+77015550001"
    assert sorted(testimony.relations.values_list("relationship", flat=True)) == [
        "father",
        "son",
    ]
    assert re.search(r"Серікұлы", testimony.relations.get(relationship="son").person.primary_name)
