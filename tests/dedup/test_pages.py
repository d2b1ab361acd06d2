"""The duplicates pages and the upload page: permissions, restricted IDs, merge and undo."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aigaq.core.models import AuditEntry
from aigaq.dedup.models import Candidate, Merge
from aigaq.dedup.services import candidates_refresh
from aigaq.people.models import Person
from aigaq.people.services import person_update
from tests import factories

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def cand(coordinator: Any) -> Candidate:
    factories.person("Гүлнар Серікқызы", actor=coordinator, birth_year=1975, chinese_id=ID)
    factories.person("Gulnar Serikqyzy", actor=coordinator, birth_year=1975)
    candidates_refresh(actor=coordinator)
    return Candidate.objects.get()


@pytest.mark.parametrize("role", ["interviewer", "translator", "viewer"])
def test_pages_are_for_coordinators_only(make_user: Any, cand: Candidate, role: str) -> None:
    c = _client(make_user(role))
    for url in ("/duplicates/", f"/duplicates/{cand.pk}/", "/duplicates/import/"):
        assert c.get(url).status_code == 403
    assert c.post(f"/duplicates/{cand.pk}/merge/", {"survivor": str(cand.a_id)}).status_code == 403
    assert not Merge.objects.exists()


def test_list_shows_pairs_with_reasons_without_n_plus_one(
    coordinator: Any, cand: Candidate, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        factories.person(f"Ерлан Болатұлы {i}", actor=coordinator, birth_year=1980)
        factories.person(f"Erlan Bolatuly {i}", actor=coordinator, birth_year=1980)
    candidates_refresh(actor=coordinator)
    c = _client(coordinator)
    with django_assert_max_num_queries(12):
        r = c.get("/duplicates/")
    text = r.content.decode()
    assert r.status_code == 200 and "Same birth year" in text and "Gulnar Serikqyzy" in text
    assert ID not in text


def test_review_shows_the_id_only_to_restricted_readers_and_records_the_read(
    coordinator: Any, admin_user: Any, cand: Candidate
) -> None:
    r = _client(coordinator).get(f"/duplicates/{cand.pk}/")
    assert ID in r.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ, actor=coordinator).count() == 1


def test_merge_from_the_page_then_undo(coordinator: Any, cand: Candidate) -> None:
    c = _client(coordinator)
    a, b = Person.objects.get(pk=cand.a_id), Person.objects.get(pk=cand.b_id)
    r = c.post(
        f"/duplicates/{cand.pk}/merge/",
        {"survivor": str(b.pk), "version_a": a.version, "version_b": b.version},
    )
    merge = Merge.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/duplicates/merges/{merge.pk}/"
    a.refresh_from_db()
    assert a.merged_into_id == b.pk
    r = c.post(f"/duplicates/merges/{merge.pk}/undo/")
    a.refresh_from_db()
    assert a.merged_into_id is None
    assert "undone" in c.get(f"/duplicates/merges/{merge.pk}/").content.decode()


def test_merge_is_refused_on_the_page_when_an_entry_changed_meanwhile(
    coordinator: Any, cand: Candidate
) -> None:
    a, b = Person.objects.get(pk=cand.a_id), Person.objects.get(pk=cand.b_id)
    seen = {"version_a": a.version, "version_b": b.version}
    person_update(actor=coordinator, person=a, expected_version=a.version, occupation="imam")
    c = _client(coordinator)
    r = c.post(f"/duplicates/{cand.pk}/merge/", {"survivor": str(b.pk), **seen}, follow=True)
    assert "changed by someone else" in r.content.decode()
    assert not Merge.objects.exists()


def test_not_same_from_the_page_removes_the_pair_from_the_list(
    coordinator: Any, cand: Candidate
) -> None:
    c = _client(coordinator)
    c.post(f"/duplicates/{cand.pk}/not-same/", {"note": "different fathers"})
    assert "Gulnar Serikqyzy" not in c.get("/duplicates/").content.decode()


def test_upload_page_checks_then_imports_as_a_job_and_offers_the_template(
    coordinator: Any, run_jobs: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = _client(coordinator)
    data = "name,gender,birth_year\nАсқар Бекұлы,male,1960\n".encode()
    with run_jobs():
        r = c.post(
            "/duplicates/import/", {"file": SimpleUploadedFile("l.csv", data), "dry_run": "on"}
        )
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")
    assert "Would import 1 persons" in c.get(r["Location"]).content.decode()
    assert not Person.objects.filter(primary_name="Асқар Бекұлы").exists()
    with run_jobs():
        r = c.post("/duplicates/import/", {"file": SimpleUploadedFile("l.csv", data)})
    assert "Imported 1 persons" in c.get(r["Location"]).content.decode()
    with run_jobs():
        r = c.post("/duplicates/import/", {"file": SimpleUploadedFile("l.csv", b"\xff\xfe\x00bad")})
    html = c.get(r["Location"]).content.decode()
    assert "not a spreadsheet" in html or "UTF-8" in html
    r = c.get("/duplicates/import/template.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_retired_entry_number_redirects_to_the_survivor_and_back_after_undo(
    coordinator: Any, cand: Candidate
) -> None:
    from aigaq.dedup.services import person_merge, person_unmerge

    a, b = Person.objects.get(pk=cand.a_id), Person.objects.get(pk=cand.b_id)
    merge = person_merge(actor=coordinator, survivor=a, retired=b)
    c = _client(coordinator)
    r = c.get(f"/persons/{b.entry_no}/")
    assert r.status_code == 302 and r["Location"] == f"/persons/{a.entry_no}/"
    person_unmerge(actor=coordinator, merge=merge)
    assert c.get(f"/persons/{b.entry_no}/").status_code == 200
