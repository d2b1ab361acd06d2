"""Print and export in Debian's Chromium: a printed person or testimony page is the record
alone (no menus, buttons, forms or history; a restricted field only once shown) on one A4
page, the "Print" button opens the print dialog, and the list's export link downloads the
rows of the filters on screen.

Set AIGAQ_SHOTS to a folder to keep the PDFs and screenshots for a look."""

from __future__ import annotations

import csv
import io
import os
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aigaq.people.services import person_set_photo, status_event_add
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHINESE_ID = "65010219700101123X"
ON_SCREEN_ONLY = [
    "header.top",
    "nav.main-nav",
    "[data-testid=print]",
    "[data-testid=history]",
    "#add-status",
    "[data-testid=event-edit]",
    ".photo-upload",
    "[data-testid=reveal]",
]


def keep(name: str, data: bytes) -> None:
    folder = os.environ.get("AIGAQ_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(data)


def pdf_pages(pdf: bytes) -> int:
    """The page count of a PDF that Chromium wrote (its page tree is not compressed)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    assert counts, "no page tree found"
    return max(counts)


def png(width: int, height: int) -> bytes:
    """A plain grey PNG (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xa0\xaa\xb4" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def a_normal_record(actor: Any) -> Any:
    person = factories.person(
        "Гүлнар Серікқызы",
        "Gulnar Serikqyzy",
        "古丽娜尔·赛力克",
        actor=actor,
        status="detained",
        date="2018-05",
        chinese_id=CHINESE_ID,
        occupation="Teacher",
        birth_year=1975,
        ethnicity="kazakh",
        biography="A teacher at the middle school, taken from her home in May 2018.",
    )
    status_event_add(
        actor=actor, person=person, kind="prison", date_text="2019-02", sentence="20 years"
    )
    for relationship in ("son", "brother"):
        factories.testimony(person, actor=actor, relationship=relationship)
    person_set_photo(
        actor=actor,
        person=person,
        fileobj=SimpleUploadedFile("face.png", png(120, 150)),
        name="face.png",
    )
    person.refresh_from_db()
    return person


def test_a_printed_person_page_is_the_record_alone_on_one_page(
    signed_in_page: Any, live_server: Any
) -> None:
    page, user = signed_in_page()  # a coordinator: edit buttons, forms and history on screen
    person = a_normal_record(user)
    page.goto(f"{live_server.url}/persons/{person.entry_no}/")
    for selector in ON_SCREEN_ONLY:
        assert page.locator(selector).first.is_visible(), selector
    page.set_viewport_size({"width": 1280, "height": 1000})
    keep("person-screen.png", page.screenshot(full_page=True))

    page.emulate_media(media="print")
    for selector in ON_SCREEN_ONLY:
        assert not page.locator(selector).first.is_visible(), selector
    assert (
        not page.locator("dl.facts").get_by_text("Chinese ID number").is_visible()
    )  # not shown: not printed
    for shown in ("[data-testid=primary-name]", "[data-testid=names]", "[data-testid=timeline]"):
        assert page.locator(shown).is_visible(), shown
    assert page.locator("[data-testid=testimonies]").is_visible()
    assert page.locator("[data-testid=photo]").is_visible()
    assert page.get_by_text("Printed from Aigaq by browser-user").is_visible()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, for the look
    keep("person-print.png", page.screenshot(full_page=True))
    pdf = page.pdf(format="A4")
    keep("person.pdf", pdf)
    assert pdf_pages(pdf) == 1

    # Once shown on screen (an audited reading), the ID number is part of the printout.
    page.emulate_media(media="screen")
    page.click("[data-testid=reveal]")
    page.wait_for_selector(".restricted-value")
    page.emulate_media(media="print")
    assert page.get_by_text(CHINESE_ID).is_visible()
    assert page.locator("dl.facts").get_by_text("Chinese ID number").is_visible()


def test_the_print_button_opens_the_print_dialog(signed_in_page: Any, live_server: Any) -> None:
    page, user = signed_in_page("viewer", "browser-viewer")
    person = factories.person("Public Person", actor=None, visibility="public")
    page.goto(f"{live_server.url}/persons/{person.entry_no}/")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") == 1


def test_a_printed_testimony_page_has_no_buttons_and_fits_one_page(
    signed_in_page: Any, live_server: Any
) -> None:
    page, user = signed_in_page("interviewer", "browser-interviewer")
    person = factories.person("Ақан Серікұлы", actor=user)
    told = factories.testifier(actor=user, phone="+77010000000")
    testimony = factories.testimony(
        person, actor=user, testifier_obj=told, summary="He was taken in 2017.\n" * 8
    )
    page.goto(f"{live_server.url}/testimonies/{testimony.number}/")
    assert page.locator("[data-testid=reveal-phone]").is_visible()
    page.emulate_media(media="print")
    for selector in ("header.top", "[data-testid=print]", "[data-testid=reveal-phone]"):
        assert not page.locator(selector).first.is_visible(), selector
    assert not page.get_by_text("Withdraw consent").is_visible()
    assert page.get_by_text("Ақан Серікұлы").first.is_visible()
    assert page.locator("[data-testid=consent]").is_visible()
    pdf = page.pdf(format="A4")
    keep("testimony.pdf", pdf)
    page.set_viewport_size({"width": 794, "height": 1123})
    keep("testimony-print.png", page.screenshot(full_page=True))
    assert pdf_pages(pdf) == 1


def test_the_export_link_downloads_the_rows_of_the_filters_on_screen(
    signed_in_page: Any, live_server: Any
) -> None:
    page, user = signed_in_page()
    factories.person("Memet Tursun", actor=user, ethnicity="uyghur")
    factories.person("Ақан Серікұлы", actor=user, ethnicity="kazakh")
    page.goto(f"{live_server.url}/persons/")
    page.select_option("#id_ethnicity", "uyghur")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*ethnicity=uyghur.*"))
    page.set_viewport_size({"width": 390, "height": 844})
    keep("persons-phone.png", page.screenshot(full_page=True))
    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    assert re.fullmatch(r"persons-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[1] for r in rows[1:]] == ["Memet Tursun"]
    page.goto(f"{live_server.url}/testimonies/")
    page.set_viewport_size({"width": 1280, "height": 800})
    keep("testimonies-desktop.png", page.screenshot(full_page=True))
    with page.expect_download() as sheet:
        page.get_by_test_id("export-xlsx").click()
    assert sheet.value.suggested_filename.endswith(".xlsx")
