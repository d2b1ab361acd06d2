"""Duplicate candidates across scripts, "not the same person", merge and undo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from aigaq.core.locking import EditConflict
from aigaq.core.models import AuditEntry
from aigaq.dedup import scan
from aigaq.dedup.models import Candidate, Merge, NotSame
from aigaq.dedup.selectors import person_resolve
from aigaq.dedup.services import (
    MergeRefused,
    candidates_refresh,
    pair_mark_not_same,
    person_merge,
    person_unmerge,
)
from aigaq.people.models import Person, PersonName, PersonRelation, StatusEvent
from aigaq.people.services import person_update, source_create
from aigaq.testimonies.models import TestimonyPerson
from tests import factories

pytestmark = pytest.mark.django_db


def _pair(a: Person, b: Person) -> Candidate | None:
    first, second = scan.ordered(a.pk, b.pk)
    return Candidate.objects.filter(a_id=first, b_id=second).first()


@pytest.fixture
def twins(coordinator: Any) -> tuple[Person, Person]:
    """One woman entered twice from two testimonies: Kazakh Cyrillic and Chinese."""
    a = factories.person("Гүлнар Серікқызы", actor=coordinator, birth_year=1975, gender="female")
    b = factories.person(
        "Gulnar Serikqyzy", "古丽娜尔·赛力克", actor=coordinator, birth_year=1975, gender="female"
    )
    return a, b


def test_same_person_in_two_scripts_is_proposed_with_reasons(coordinator: Any, twins: Any) -> None:
    a, b = twins
    factories.person("Нұрлан Асқарұлы", actor=coordinator, birth_year=1960, gender="male")
    candidates_refresh(actor=coordinator)
    cand = _pair(a, b)
    assert cand is not None and cand.status == Candidate.Status.OPEN
    assert cand.score >= 0.8
    codes = {r["code"] for r in cand.reasons}
    assert {"names", "birth_same"} <= codes
    assert Candidate.objects.count() == 1


def test_different_birth_years_and_genders_are_not_paired(coordinator: Any) -> None:
    factories.person("Гүлнар Серікқызы", actor=coordinator, birth_year=1975)
    factories.person("Gulnar Serikqyzy", actor=coordinator, birth_year=1990)
    factories.person("Серік Ахметов", actor=coordinator, gender="male")
    factories.person("Serik Akhmetov", actor=coordinator, gender="female")
    found, _stats = candidates_refresh(actor=coordinator)
    assert found == []


def test_equal_chinese_id_pairs_entries_whatever_their_names(coordinator: Any) -> None:
    a = factories.person("Айбек Қасымов", actor=coordinator, chinese_id="11010519491231002X")
    b = factories.person("Abdulla Tursun", actor=coordinator, chinese_id="11010519491231002X")
    candidates_refresh(actor=coordinator, min_score=0.5)
    cand = _pair(a, b)
    assert cand is not None
    assert any(r["code"] == "id_equal" for r in cand.reasons)
    assert "11010519491231002X" not in str(cand.reasons)


def test_hub_names_beyond_the_cap_are_split_by_birth_year(coordinator: Any) -> None:
    facts = [
        scan.Facts(
            pk=i,
            gender="male",
            birth_low=1970 + i % 2,
            birth_high=1970 + i % 2,
            hometown=None,
            chinese_id="",
        )
        for i in range(6)
    ]
    rows = [("n:hub", i) for i in range(6)]
    stats = scan.ScanStats()
    pairs = scan.block_pairs(facts, rows, hub_cap=3, stats=stats)
    assert stats.hubs_split == 1
    # 3 born in 1970 and 3 in 1971: each sub-block is paired within itself only.
    assert len(pairs) == 6 and not any(pairs.values())
    assert all(facts[i].birth_low == facts[j].birth_low for i, j in pairs)
    stats2 = scan.ScanStats()
    assert scan.block_pairs(facts, rows, hub_cap=2, stats=stats2) == {}
    assert stats2.hubs_skipped == 2


def test_not_same_pair_is_never_proposed_again(coordinator: Any, twins: Any) -> None:
    a, b = twins
    candidates_refresh(actor=coordinator)
    pair_mark_not_same(actor=coordinator, a=b, b=a, note="different fathers")
    assert _pair(a, b).status == Candidate.Status.NOT_SAME  # type: ignore[union-attr]
    candidates_refresh(actor=coordinator)
    assert not Candidate.objects.filter(status=Candidate.Status.OPEN).exists()
    assert NotSame.objects.count() == 1
    with pytest.raises(MergeRefused):
        person_merge(actor=coordinator, survivor=a, retired=b)


def test_command_prints_pairs_as_json_without_id_numbers(coordinator: Any, capsys: Any) -> None:
    factories.person("Гүлнар Серікқызы", actor=coordinator, chinese_id="11010519491231002X")
    factories.person("Gulnar Serikqyzy", actor=coordinator, chinese_id="11010519491231002X")
    call_command("duplicates", "--json", "--min-score", "0.8")
    out = capsys.readouterr().out
    assert '"id_equal"' in out
    assert "11010519491231002X" not in out


def test_command_refuses_a_score_outside_zero_to_one(db: Any) -> None:
    with pytest.raises(SystemExit):
        call_command("duplicates", "--min-score", "3")


def _rich_pair(actor: Any) -> tuple[Person, Person, Any]:
    survivor = factories.person("Гүлнар Серікқызы", actor=actor, status="detained", date="2018")
    retired = factories.person(
        "古丽娜尔·赛力克",
        actor=actor,
        status="camp",
        date="2019-03",
        birth_year=1975,
        chinese_id="11010519491231002X",
    )
    brother = factories.person("Ерлан Серікұлы", actor=actor)
    PersonRelation.objects.create(person=retired, relative=brother, relationship="brother")
    testimony = factories.testimony(retired, actor=actor, relationship="sister")
    source_create(actor=actor, persons=[retired], kind="article", title="Report")
    return survivor, retired, testimony


def test_merge_moves_everything_and_undo_restores_exactly(coordinator: Any) -> None:
    survivor, retired, testimony = _rich_pair(coordinator)
    names_before = {p.pk: sorted(p.names.values_list("pk", flat=True)) for p in (survivor, retired)}
    merge = person_merge(
        actor=coordinator,
        survivor=survivor,
        retired=retired,
        survivor_version=survivor.version,
        retired_version=retired.version,
    )
    survivor.refresh_from_db()
    retired.refresh_from_db()
    assert retired.merged_into_id == survivor.pk
    assert person_resolve(retired) == survivor
    assert set(survivor.names.values_list("full_name", flat=True)) == {
        "Гүлнар Серікқызы",
        "古丽娜尔·赛力克",
    }
    assert TestimonyPerson.objects.get(testimony=testimony).person_id == survivor.pk
    assert StatusEvent.objects.filter(person=survivor).count() == 2
    assert survivor.sources.count() == 1 and retired.sources.count() == 0
    assert PersonRelation.objects.get(relationship="brother").person_id == survivor.pk
    assert survivor.birth_year == 1975 and survivor.chinese_id == "11010519491231002X"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MERGE, person_id=retired.pk)
    assert "11010519491231002X" not in str(entry.changes)

    person_unmerge(actor=coordinator, merge=merge)
    survivor.refresh_from_db()
    retired.refresh_from_db()
    assert retired.merged_into_id is None
    assert {
        p.pk: sorted(p.names.values_list("pk", flat=True)) for p in (survivor, retired)
    } == names_before
    assert TestimonyPerson.objects.get(testimony=testimony).person_id == retired.pk
    assert StatusEvent.objects.filter(person=survivor).count() == 1
    assert retired.sources.count() == 1 and survivor.sources.count() == 0
    assert PersonRelation.objects.get(relationship="brother").person_id == retired.pk
    assert survivor.birth_year is None and survivor.chinese_id == ""
    assert survivor.primary_name == "Гүлнар Серікқызы"
    assert survivor.current_status == "detained" and retired.current_status == "camp"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNMERGE).count() == 2
    with pytest.raises(MergeRefused):
        person_unmerge(actor=coordinator, merge=Merge.objects.get(pk=merge.pk))


def test_merge_is_refused_when_either_entry_changed_since_review(coordinator: Any) -> None:
    a = factories.person("Гүлнар Серікқызы", actor=coordinator)
    b = factories.person("Gulnar Serikqyzy", actor=coordinator)
    seen_version = b.version
    person_update(actor=coordinator, person=b, expected_version=b.version, occupation="teacher")
    with pytest.raises(EditConflict):
        person_merge(
            actor=coordinator,
            survivor=a,
            retired=b,
            survivor_version=a.version,
            retired_version=seen_version,
        )
    b.refresh_from_db()
    assert b.merged_into_id is None
    assert not Merge.objects.exists()
    assert PersonName.objects.filter(person=a).count() == 1


def test_undo_is_refused_when_the_survivor_was_edited_after_the_merge(coordinator: Any) -> None:
    a = factories.person("Гүлнар Серікқызы", actor=coordinator)
    b = factories.person("Gulnar Serikqyzy", actor=coordinator)
    merge = person_merge(actor=coordinator, survivor=a, retired=b)
    a.refresh_from_db()
    person_update(actor=coordinator, person=a, expected_version=a.version, occupation="imam")
    with pytest.raises(EditConflict):
        person_unmerge(actor=coordinator, merge=merge)
    b.refresh_from_db()
    assert b.merged_into_id == a.pk


def test_merging_an_entry_already_merged_or_into_itself_is_refused(coordinator: Any) -> None:
    a = factories.person("Гүлнар Серікқызы", actor=coordinator)
    b = factories.person("Gulnar Serikqyzy", actor=coordinator)
    c = factories.person("Гульнара Серикова", actor=coordinator)
    with pytest.raises(MergeRefused):
        person_merge(actor=coordinator, survivor=a, retired=a)
    person_merge(actor=coordinator, survivor=a, retired=b)
    b.refresh_from_db()
    with pytest.raises(MergeRefused):
        person_merge(actor=coordinator, survivor=c, retired=b)


@pytest.mark.parametrize("role", ["interviewer", "translator", "viewer"])
def test_only_coordinators_and_admins_merge_or_decide(
    make_user: Any, coordinator: Any, role: str
) -> None:
    a = factories.person("Гүлнар Серікқызы", actor=coordinator)
    b = factories.person("Gulnar Serikqyzy", actor=coordinator)
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        person_merge(actor=user, survivor=a, retired=b)
    with pytest.raises(PermissionDenied):
        pair_mark_not_same(actor=user, a=a, b=b)
    with pytest.raises(PermissionDenied):
        candidates_refresh(actor=user)
    merge = person_merge(actor=coordinator, survivor=a, retired=b)
    with pytest.raises(PermissionDenied):
        person_unmerge(actor=user, merge=merge)


def test_a_pair_cannot_be_marked_with_itself(coordinator: Any) -> None:
    a = factories.person("Гүлнар Серікқызы", actor=coordinator)
    with pytest.raises(ValidationError):
        pair_mark_not_same(actor=coordinator, a=a, b=a)


def test_testimony_naming_both_keeps_its_link_to_the_retired_entry(coordinator: Any) -> None:
    a = factories.person("Гүлнар Серікқызы", actor=coordinator)
    b = factories.person("Gulnar Serikqyzy", actor=coordinator)
    t = factories.testimony(a, b, actor=coordinator, recorded_on=dt.date(2019, 1, 1))
    merge = person_merge(actor=coordinator, survivor=a, retired=b)
    assert TestimonyPerson.objects.filter(testimony=t, person=b).exists()
    person_unmerge(actor=coordinator, merge=merge)
    assert TestimonyPerson.objects.filter(testimony=t).count() == 2


def test_parallel_scoring_finds_the_same_pairs(
    coordinator: Any, twins: Any, monkeypatch: Any
) -> None:
    factories.person("Ерлан Болатұлы", actor=coordinator, birth_year=1980)
    factories.person("Erlan Bolatuly", actor=coordinator, birth_year=1980)
    serial, _s = scan.find_candidates()
    monkeypatch.setattr(scan, "PARALLEL_FROM", 1)
    monkeypatch.setattr(scan, "_workers", lambda: 2)
    parallel, _p = scan.find_candidates()
    assert sorted((f.a, f.b, f.score) for f in parallel) == sorted(
        (f.a, f.b, f.score) for f in serial
    )
    assert len(serial) == 2


def test_hometowns_in_one_another_agree_and_different_ones_weigh_against(coordinator: Any) -> None:
    from aigaq.people.models import Place
    from aigaq.people.services import place_save

    county = place_save(Place(code="tekes", kind="county", name="Tekes"))
    village = place_save(Place(code="tekes-aq", kind="village", name="Aqsu", parent=county))
    other = place_save(Place(code="altay", kind="county", name="Altay"))
    a = factories.person("Серік Ахметұлы", actor=coordinator, birth_year=1970, hometown=county)
    b = factories.person("Serik Akhmetuly", actor=coordinator, birth_year=1970, hometown=village)
    factories.person("Serik Akhmetuly", actor=coordinator, birth_year=1970, hometown=other)
    found, _stats = scan.find_candidates()
    assert {(f.a, f.b) for f in found} == {scan.ordered(a.pk, b.pk)}
    assert any(r["code"] == "hometown_same" for r in found[0].reasons)
