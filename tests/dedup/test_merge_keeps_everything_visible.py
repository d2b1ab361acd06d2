"""Nothing a merge retires becomes invisible: what the retired entry recorded and the merge
does not move or fill in (its biography, facts that differ, its own photo) is shown on the
surviving entry's page, marked as coming from the merged entry; undo still restores exactly
(issue 16)."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aigaq.dedup.services import person_merge, person_unmerge
from aigaq.people.models import Person
from aigaq.people.services import person_set_photo
from tests import factories

pytestmark = pytest.mark.django_db


COLOURS = {"red": b"\xff\x00\x00", "blue": b"\x00\x00\xff"}


def _png(colour: str) -> bytes:
    """A 1x1 PNG of this colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + COLOURS[colour])
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _photo(actor: Any, person: Person, colour: str) -> None:
    person_set_photo(
        actor=actor,
        person=person,
        fileobj=SimpleUploadedFile(f"{colour}.png", _png(colour)),
        name=f"{colour}.png",
    )


def _page(client: Any, person: Person) -> str:
    response = client.get(f"/persons/{person.entry_no}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pair(coordinator: Any) -> tuple[Person, Person]:
    kept = factories.person(
        "Гүлнар Серікқызы",
        actor=coordinator,
        birth_year=1975,
        occupation="teacher",
        biography="Taken from her school in 2018.",
    )
    gone = factories.person(
        "Gulnar Serikqyzy",
        actor=coordinator,
        birth_year=1976,
        occupation="nurse",
        biography="Her brother says she was sent to the Tekes camp in spring 2018.",
    )
    return kept, gone


def test_the_retired_biography_and_differing_facts_are_shown_on_the_survivor(
    client: Any, coordinator: Any, pair: tuple[Person, Person]
) -> None:
    kept, gone = pair
    client.force_login(coordinator)
    assert "Tekes camp" not in _page(client, kept)
    person_merge(actor=coordinator, survivor=kept, retired=gone)
    page = _page(client, kept)
    assert f"From merged entry #{gone.entry_no}" in page
    assert "Her brother says she was sent to the Tekes camp in spring 2018." in page
    assert "Taken from her school in 2018." in page  # the survivor's own, unchanged
    section = page.split('data-testid="merged-from"', 1)[1]
    assert "nurse" in section and "1976" in section


def test_undo_restores_exactly_and_the_section_goes(
    client: Any, coordinator: Any, pair: tuple[Person, Person]
) -> None:
    kept, gone = pair
    before = Person.objects.filter(pk__in=[kept.pk, gone.pk]).values(
        "pk", "biography", "occupation", "birth_year", "photo_id", "citizenships"
    )
    before_rows = sorted(before, key=lambda r: str(r["pk"]))
    merge = person_merge(actor=coordinator, survivor=kept, retired=gone)
    person_unmerge(actor=coordinator, merge=merge)
    after = Person.objects.filter(pk__in=[kept.pk, gone.pk]).values(
        "pk", "biography", "occupation", "birth_year", "photo_id", "citizenships"
    )
    assert sorted(after, key=lambda r: str(r["pk"])) == before_rows
    client.force_login(coordinator)
    assert 'data-testid="merged-from"' not in _page(client, kept)


def test_a_chain_of_merges_keeps_every_retired_text(
    client: Any, coordinator: Any, pair: tuple[Person, Person]
) -> None:
    kept, gone = pair
    third = factories.person(
        "古丽娜尔·赛力克", actor=coordinator, biography="Seen in Ghulja in 2019."
    )
    person_merge(actor=coordinator, survivor=gone, retired=third)
    gone.refresh_from_db()
    person_merge(actor=coordinator, survivor=kept, retired=gone)
    client.force_login(coordinator)
    page = _page(client, kept)
    assert "Seen in Ghulja in 2019." in page and "Tekes camp" in page
    assert f"From merged entry #{third.entry_no}" in page


def test_a_photo_fills_an_empty_survivor_and_a_second_photo_stays_shown(
    client: Any, coordinator: Any, pair: tuple[Person, Person]
) -> None:
    kept, gone = pair
    _photo(coordinator, gone, "red")
    gone.refresh_from_db()
    merge = person_merge(actor=coordinator, survivor=kept, retired=gone)
    kept.refresh_from_db()
    assert kept.photo_id == gone.photo_id  # filled, as other empty fields are
    person_unmerge(actor=coordinator, merge=merge)
    kept.refresh_from_db()
    assert kept.photo_id is None  # and emptied again by undo

    kept.refresh_from_db()
    gone.refresh_from_db()
    _photo(coordinator, kept, "blue")
    kept.refresh_from_db()
    person_merge(actor=coordinator, survivor=kept, retired=gone)
    client.force_login(coordinator)
    page = _page(client, kept)
    assert f'src="/persons/{gone.entry_no}/photo/"' in page
    image = client.get(f"/persons/{gone.entry_no}/photo/")
    assert image.status_code == 200
    assert b"".join(image.streaming_content) == _png("red")


def test_a_retired_entry_the_reader_may_not_see_is_not_shown(
    client: Any, coordinator: Any, translator: Any, pair: tuple[Person, Person]
) -> None:
    kept, _gone = pair
    hidden = factories.person(
        "Гүлнар С.",
        actor=coordinator,
        visibility="restricted",
        biography="Only for those who may read restricted entries.",
    )
    person_merge(actor=coordinator, survivor=kept, retired=hidden)
    client.force_login(translator)
    assert "Only for those" not in _page(client, kept)
    assert client.get(f"/persons/{hidden.entry_no}/photo/").status_code == 404
    client.force_login(coordinator)
    assert "Only for those" in _page(client, kept)
