"""`aigaq esf export`: the records as HURIDOCS Events Standard Formats JSON (aigaq/esf), with
disclosure applied: restricted fields, contacts and ID numbers never go out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aigaq.core.models import AuditEntry, Visibility
from aigaq.people.services import status_event_add
from aigaq.petitions.models import Petition
from aigaq.petitions.services import petition_create
from tests import factories

pytestmark = pytest.mark.django_db

CHINESE_ID = "650000196101010004"
PHONE = "+77019998877"
SECRETS = ["SENTINEL-ADDRESS-1c9", "SENTINEL-IDDOC-77a", "SENTINEL-APPLICANT-5be", "SENTINEL-EMAIL"]


def _records(coordinator: Any) -> Any:
    person = factories.person(
        "Оспан Жұмаұлы", "Ospan Jumauly", actor=coordinator, visibility=Visibility.PUBLIC,
        gender="male", birth_year=1961, chinese_id=CHINESE_ID, citizenships=["CN"],
    )  # fmt: skip
    status_event_add(actor=coordinator, person=person, kind="detained", date_text="2018-05-12")
    status_event_add(actor=coordinator, person=person, kind="camp", date_text="2018")
    testifier = factories.testifier(
        "Айгүл Сәрсенқызы", actor=coordinator, phone=PHONE, address=SECRETS[0],
        id_document=SECRETS[1], email="sentinel-email@example.org",
    )  # fmt: skip
    factories.testimony(
        person, actor=coordinator, testifier_obj=testifier, relationship="daughter",
        visibility=Visibility.PUBLIC, consent_public=True, consent_anonymous=True,
        status="recorded",
    )  # fmt: skip
    petition = petition_create(actor=coordinator, form="wgeid", persons=[person])
    Petition.objects.filter(pk=petition.pk).update(
        applicant={"phone": PHONE, "address": SECRETS[2]}, answer="SENTINEL-ANSWER-text"
    )
    return person


def _export(tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "esf.json"
    call_command("esf", "export", "-o", str(out), *args)
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_the_export_has_esfs_formats_and_links_them(coordinator: Any, tmp_path: Path) -> None:
    person = _records(coordinator)
    data = _export(tmp_path)
    assert data["format"] == "huridocs-esf"
    victim, event = f"P{person.entry_no}", f"E{person.entry_no}"
    assert [e["event_record_number"] for e in data["events"]] == [event]
    people = {p["person_record_number"]: p for p in data["persons"]}
    assert people[victim]["person_name"] == person.primary_name
    assert people[victim]["other_names"] == ["Ospan Jumauly"]
    assert people[victim]["counting_unit"] == "individual"
    acts = data["acts"]
    assert [a["type_of_act"] for a in acts] == ["camp", "detained"] or [
        a["type_of_act"] for a in acts
    ] == ["detained", "camp"]
    detained = next(a for a in acts if a["type_of_act"] == "detained")
    assert detained["victim"] == victim and detained["event"] == event
    assert detained["initial_date"] == "2018-05-12" and detained["initial_date_type"] == "exact"
    assert detained["arrest"]["type_of_detention"] == "detained"
    camp = next(a for a in acts if a["type_of_act"] == "camp")
    assert camp["initial_date_type"] == "estimated" and camp["final_date"] == "2018-12-31"
    (info,) = data["information"]
    assert info["related_person"] == victim and info["type_of_source_material"] == "testimony"
    assert info["source_connection_to_information"] == "daughter"
    assert people[info["source"]]["person_name"] == "Айгүл Сәрсенқызы"
    (intervention,) = data["interventions"]
    assert intervention["victim"] == victim and intervention["parties_requested"] == "wgeid"
    assert intervention["intervening_party"] in people
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.changes["format"] == "huridocs-esf"


@pytest.mark.parametrize("public_only", [False, True])
def test_restricted_fields_contacts_and_id_numbers_never_go_out(
    coordinator: Any, tmp_path: Path, public_only: bool
) -> None:
    _records(coordinator)
    text = json.dumps(_export(tmp_path, *(["--public-only"] if public_only else [])))
    for secret in [CHINESE_ID, PHONE, "sentinel-email", "SENTINEL-ANSWER", *SECRETS]:
        assert secret.lower() not in text.lower()


def test_public_only_follows_the_public_site(coordinator: Any, tmp_path: Path) -> None:
    public = _records(coordinator)
    hidden = factories.person("Жасырын Адам", actor=coordinator, visibility=Visibility.INTERNAL)
    everything = _export(tmp_path)
    assert f"P{hidden.entry_no}" in {p["person_record_number"] for p in everything["persons"]}
    data = _export(tmp_path, "--public-only")
    numbers = {p["person_record_number"] for p in data["persons"]}
    assert f"P{public.entry_no}" in numbers and f"P{hidden.entry_no}" not in numbers
    assert data["public_only"] is True and data["interventions"] == []
    # The testimony asks for anonymity: the public export names the testifier by initials.
    (info,) = data["information"]
    source = next(p for p in data["persons"] if p["person_record_number"] == info["source"])
    assert "Айгүл Сәрсенқызы" not in json.dumps(data, ensure_ascii=False)
    assert source["person_name"] != "Айгүл Сәрсенқызы"


@pytest.mark.parametrize("where", ["missing/folder/esf.json", "a-folder"])
def test_a_bad_output_path_is_a_clear_error_and_writes_nothing(
    coordinator: Any, tmp_path: Path, where: str
) -> None:
    _records(coordinator)
    (tmp_path / "a-folder").mkdir()
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(CommandError, match="folder"):
        call_command("esf", "export", "-o", str(tmp_path / where))
    assert sorted(tmp_path.rglob("*")) == before
    assert not AuditEntry.objects.filter(action="export").exists()
