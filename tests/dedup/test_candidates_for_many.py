"""Candidates for many new persons (a large import): the whole-key scan finds the same pairs
as the per-person key lookups."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.dedup import scan
from aigaq.people.models import Person
from aigaq.transfer.spreadsheet import spreadsheet_import

pytestmark = pytest.mark.django_db

ROWS = [
    "Гүлнар Серікқызы | Gulnar Serikqyzy,female,1975",
    "Gulnar Serikqyzy,female,1975",
    "Нұрлан Асқарұлы,male,1960",
    "Nurlan Asqaruly,male,1961",
    "Нұрлан Асқарұлы,male,1990",
    "Асқар Бекұлы,male,1950",
    "哈比提·铁木尔别克,male,1971",  # paired with the next one by the bridge keys only
    "Ғабит Темірбекұлы,male,1971",
]


def test_large_share_of_new_persons_uses_one_scan_with_the_same_pairs(
    coordinator: Any, monkeypatch: Any
) -> None:
    data = ("name,gender,birth_year\n" + "\n".join(ROWS) + "\n").encode()
    assert spreadsheet_import(actor=coordinator, data=data, file_name="l.csv").ok
    new = list(Person.objects.order_by("entry_no").values_list("pk", flat=True)[:4])
    new += list(Person.objects.order_by("entry_no").values_list("pk", flat=True)[6:7])
    chunked, _stats = scan.find_candidates_for(new)
    monkeypatch.setattr(scan, "FULL_SCAN_FROM", 1)
    assert scan._mostly_new(len(new))
    scanned, _stats = scan.find_candidates_for(new)
    pairs = {(f.a, f.b, f.score) for f in chunked}
    assert pairs and pairs == {(f.a, f.b, f.score) for f in scanned}
    han, cyrillic = Person.objects.order_by("entry_no")[6:8]
    assert scan.ordered(han.pk, cyrillic.pk) in {(a, b) for a, b, _s in pairs}


def test_few_new_persons_in_a_large_database_use_key_lookups(coordinator: Any) -> None:
    assert not scan._mostly_new(10)
    assert not scan._mostly_new(scan.FULL_SCAN_FROM - 1)
