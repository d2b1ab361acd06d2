"""The API's endpoints: what each role's token reads (the staff side's sight, asked of
aigaq/disclosure), keyset pages, bad input (422), the write endpoint, the open data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aigaq.core.models import AuditEntry
from aigaq.core.services import create_audited
from aigaq.people.models import PersonRelation
from aigaq.people.services import status_event_add
from aigaq.people.validators import chinese_id_check_char
from aigaq.testimonies.services import consent_withdraw
from tests import factories

ID_NUMBER = "65400119790101123" + chinese_id_check_char("65400119790101123")

pytestmark = pytest.mark.django_db


def _entries(api: Any, token: str, **params: Any) -> list[int]:
    response = api.get("/persons", token, **params)
    assert response.status_code == 200, response.content
    return [p["entry_no"] for p in response.json()["items"]]


def test_keyset_pages_walk_every_visible_entry_once_in_order(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    token = make_token(coordinator)
    made = [factories.person(f"Адам {i}").entry_no for i in range(7)]
    seen: list[int] = []
    after = 0
    pages = 0
    while True:
        data = api.get("/persons", token, after=after, limit=3).json()
        seen += [p["entry_no"] for p in data["items"]]
        pages += 1
        if data["next_after"] is None:
            break
        after = data["next_after"]
    assert seen == sorted(made) and pages == 3
    # A page is stable: an entry added meanwhile comes after, never shifts a page.
    first = api.get("/persons", token, limit=3).json()
    factories.person("Жаңа Адам")
    again = api.get("/persons", token, limit=3).json()
    assert first["items"] == again["items"] and first["next_after"] == again["next_after"]


def test_a_page_is_one_range_read_without_offset_or_count(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    token = make_token(coordinator)
    for i in range(5):
        factories.person(f"Адам {i}")
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/persons", token, after=2, limit=2).status_code == 200
    person_sql = [q["sql"] for q in queries if '"people_person"' in q["sql"]]
    assert person_sql
    assert not any("OFFSET" in sql.upper() or "COUNT(" in sql.upper() for sql in person_sql)


@pytest.mark.parametrize("limit", [1_000_000, 0, 201, -1])
def test_a_page_size_out_of_range_is_422_with_a_message(
    api: Any, viewer: Any, make_token: Any, limit: int
) -> None:
    response = api.get("/persons", make_token(viewer), limit=limit)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"][-1] == "limit" and detail[0]["msg"]


def test_the_list_filters_narrow_and_a_bad_year_is_422(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    token = make_token(coordinator)
    old = factories.person("Қайрат Асқарұлы", birth_year=1950, status="camp")
    factories.person("Мұрат Асқарұлы", birth_year=1990)
    assert _entries(api, token, born_to=1960) == [old.entry_no]
    assert _entries(api, token, status="camp") == [old.entry_no]
    response = api.get("/persons", token, born_from=1990, born_to=1950)
    assert response.status_code == 422
    assert "born_to is before born_from" in response.json()["detail"]


def _world() -> dict[str, Any]:
    public = factories.person("Ашық Адамұлы", visibility="public", chinese_id="")
    internal = factories.person("Ішкі Адамұлы", visibility="internal", biography="ішкі")
    restricted = factories.person("Жабық Адамұлы", visibility="restricted", chinese_id=ID_NUMBER)
    for relative in (internal, restricted):
        create_audited(
            PersonRelation,
            actor=None,
            data={"person": public, "relative": relative, "relationship": "brother"},
        )
    return {"public": public, "internal": internal, "restricted": restricted}


def test_a_viewer_token_never_sees_non_visible_persons_or_restricted_fields(
    api: Any, viewer: Any, make_token: Any
) -> None:
    w = _world()
    token = make_token(viewer, "internal:read", "public:read", "write")
    assert _entries(api, token) == [w["public"].entry_no]
    for hidden in ("internal", "restricted"):
        assert api.get(f"/persons/{w[hidden].entry_no}", token).status_code == 404
    detail = api.get(f"/persons/{w['public'].entry_no}", token)
    assert detail.status_code == 200
    assert detail.json()["relatives"] == []
    body = detail.content.decode()
    assert "Ішкі" not in body and "Жабық" not in body and "chinese_id" not in body
    hits = api.get("/search/persons", token, q="Адамұлы").json()
    assert [h["person"]["entry_no"] for h in hits] == [w["public"].entry_no]
    # A Chinese ID number finds no one for a role that may not read it.
    assert api.get("/search/persons", token, q=ID_NUMBER).json() == []
    assert api.get(f"/persons/{w['restricted'].entry_no}/restricted", token).status_code == 403


def test_a_coordinator_reads_everything_and_restricted_reads_are_audited(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    w = _world()
    token = make_token(coordinator)
    assert len(_entries(api, token)) == 3
    detail = api.get(f"/persons/{w['public'].entry_no}", token).json()
    assert {r["person"]["name"] for r in detail["relatives"]} == {"Жабық Адамұлы", "Ішкі Адамұлы"}
    assert "chinese_id" not in json.dumps(detail)  # only through /restricted
    # A link is read from both ends: the relative's entry names the one that links to it.
    back = api.get(f"/persons/{w['internal'].entry_no}", token).json()["relatives"]
    assert (
        back == [{"person": back[0]["person"], "relationship": "brother"}]
        and back[0]["person"]["entry_no"] == w["public"].entry_no
    )
    before = AuditEntry.objects.filter(action="read").count()
    response = api.get(f"/persons/{w['restricted'].entry_no}/restricted", token)
    assert response.json() == {
        "entry_no": w["restricted"].entry_no,
        "chinese_id": ID_NUMBER,
    }
    entry = AuditEntry.objects.filter(action="read").latest("at")
    assert AuditEntry.objects.filter(action="read").count() == before + 1
    assert entry.actor == coordinator and entry.changes == {"fields": ["chinese_id"]}
    assert entry.note.startswith("API token ")
    assert ID_NUMBER not in json.dumps(entry.changes) + entry.note


def test_person_detail_has_names_timeline_and_testimonies(
    api: Any, translator: Any, make_token: Any
) -> None:
    p = factories.person("Оспан Жұмаұлы", "Ospan Jumauly", visibility="internal")
    t = factories.testimony(p, visibility="internal", summary="...")
    status_event_add(actor=None, person=p, kind="camp", date_text="2018", testimony=t)
    data = api.get(f"/persons/{p.entry_no}", make_token(translator)).json()
    assert [n["full_name"] for n in data["names"]] == ["Оспан Жұмаұлы", "Ospan Jumauly"]
    assert data["names"][0]["script"] and data["current_status"] == "camp"
    assert [(e["kind"], e["testimony_number"]) for e in data["timeline"]] == [("camp", t.number)]
    assert [x["number"] for x in data["testimonies"]] == [t.number]
    # Consent withdrawn: a translator no longer sees the testimony, nor its number cited.
    consent_withdraw(actor=None, testimony=t, reason="asked")
    data = api.get(f"/persons/{p.entry_no}", make_token(translator)).json()
    assert data["testimonies"] == [] and data["timeline"][0]["testimony_number"] is None


def test_a_merged_entry_says_where_it_went(api: Any, coordinator: Any, make_token: Any) -> None:
    from aigaq.people.models import Person

    kept, old = factories.person("Бір Адам"), factories.person("Бір Адам")
    Person.objects.filter(pk=old.pk).update(merged_into=kept)
    response = api.get(f"/persons/{old.entry_no}", make_token(coordinator))
    assert response.status_code == 404
    assert f"#{kept.entry_no}" in response.json()["detail"]


def test_testimonies_name_the_testifier_as_the_reader_may(
    api: Any, coordinator: Any, viewer: Any, make_token: Any
) -> None:
    p = factories.person("Ашық Адам", visibility="public")
    hidden = factories.person("Жабық Адам", visibility="restricted")
    t = factories.testimony(
        p, hidden, visibility="public", consent_press=True, consent_anonymous=True
    )
    full = api.get("/testimonies", make_token(coordinator)).json()["items"][0]
    assert full["testifier"] == "Айгүл Сәрсенқызы"
    assert sorted(x["name"] for x in full["persons"]) == ["Ашық Адам", "Жабық Адам"]
    seen = api.get(f"/testimonies/{t.number}", make_token(viewer)).json()
    assert seen["testifier"] == "anonymous testifier"  # testifiers are restricted by default
    assert sorted((x or {}).get("name", "") for x in seen["persons"]) == ["", "Ашық Адам"]
    assert "Жабық" not in json.dumps(seen, ensure_ascii=False)
    # The testifier search is no oracle: by a name the viewer may not read, nothing.
    assert api.get("/testimonies", make_token(viewer), q="Айгүл").json()["items"] == []
    assert api.get("/testimonies/999999", make_token(viewer)).status_code == 404


def test_search_finds_across_scripts_with_the_filters(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    token = make_token(coordinator)
    p = factories.person("Оспан Жұмаұлы", birth_year=1970)
    factories.person("Оспан Жұмаұлы", birth_year=1990)
    hits = api.get("/search/persons", token, q="Ospan Jumauly", born_to=1980).json()
    assert [h["person"]["entry_no"] for h in hits] == [p.entry_no]
    assert hits[0]["names"] == ["Оспан Жұмаұлы"] and hits[0]["score"] > 0.8
    assert api.get("/search/persons", token, q="").status_code == 422


@pytest.mark.usefixtures("gazetteer")
def test_places_are_found_by_any_name(api: Any, viewer: Any, make_token: Any) -> None:
    hits = api.get("/places", make_token(viewer, "public:read"), q="Шихэцзы").json()
    assert hits[0]["code"].endswith("shihezi")


def test_petitions_of_a_person(api: Any, interviewer: Any, make_token: Any) -> None:
    from aigaq.petitions.services import petition_create

    p = factories.person("Ашық Адам", visibility="internal")
    petition_create(actor=None, form="wgeid", persons=[p], entries={})
    data = api.get(f"/persons/{p.entry_no}/petitions", make_token(interviewer)).json()
    assert [(x["form"], x["state"], x["person"]["entry_no"]) for x in data] == [
        ("wgeid", "draft", p.entry_no)
    ]


def test_adding_a_name_goes_through_the_service(
    api: Any, interviewer: Any, make_token: Any
) -> None:
    p = factories.person("Оспан Жұмаұлы", visibility="internal")
    token = make_token(interviewer, "write", "internal:read")
    body = json.dumps({"full_name": "乌斯满·居马", "kind": "chinese", "version": p.version})
    response = api.post(f"/persons/{p.entry_no}/names", token, body)
    assert response.status_code == 201, response.content
    names = response.json()["names"]
    assert [n["full_name"] for n in names] == ["Оспан Жұмаұлы", "乌斯满·居马"]
    assert names[1]["script"]  # detected, as the staff form does
    entry = AuditEntry.objects.filter(object_id=str(p.pk), action="update").latest("at")
    assert entry.actor == interviewer and "names" in entry.changes
    # The search index follows the write (the same hooks as the staff form).
    hits = api.get("/search/persons", token, q="乌斯满").json()
    assert p.entry_no in [h["person"]["entry_no"] for h in hits]
    # The version read before is now stale: 409, nothing written.
    response = api.post(f"/persons/{p.entry_no}/names", token, body.replace("乌斯满", "Osman"))
    assert response.status_code == 409
    assert "Osman" not in json.dumps(api.get(f"/persons/{p.entry_no}", token).json())


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"full_name": ',
        b"\xff\xfe",
        b"[]",
        b'{"kind": "official"}',
        b'{"full_name": ""}',
    ],
)
def test_a_malformed_body_is_422_and_changes_nothing(
    api: Any, coordinator: Any, make_token: Any, body: bytes
) -> None:
    p = factories.person("Оспан Жұмаұлы")
    version = p.version
    response = api.post(f"/persons/{p.entry_no}/names", make_token(coordinator, "write"), body)
    assert response.status_code == 422
    assert response.json()["detail"]
    p.refresh_from_db()
    assert p.version == version and p.names.count() == 1


def test_an_unknown_kind_of_name_is_422_with_the_services_sentence(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    p = factories.person("Оспан Жұмаұлы")
    body = json.dumps({"full_name": "Osman", "kind": "nickname"})
    response = api.post(f"/persons/{p.entry_no}/names", make_token(coordinator, "write"), body)
    assert response.status_code == 422
    assert "Unknown kind of name" in response.json()["detail"]
    assert p.names.count() == 1


def test_the_open_data_holds_only_public_entries(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    shown = factories.public_person("Ашық Адам", actor=None)
    anonymous = factories.public_person("Аноним Адамұлы", actor=None, anonymous=True)
    factories.person("Ішкі Адам", visibility="internal")
    marked_public_but_unconsented = factories.person("Келісімсіз Адам", visibility="public")
    factories.testimony(marked_public_but_unconsented, visibility="public", consent_public=False)
    token = make_token(coordinator, "public:read")
    data = api.get("/public/entries", token).json()
    assert [e["entry_no"] for e in data["items"]] == [shown.entry_no, anonymous.entry_no]
    by_no = {e["entry_no"]: e for e in data["items"]}
    assert by_no[anonymous.entry_no]["name"] == "А. А." and by_no[anonymous.entry_no]["names"] == []
    body = json.dumps(data, ensure_ascii=False)
    assert "Ішкі" not in body and "Келісімсіз" not in body and "Аноним" not in body
    one = api.get(f"/public/entries/{shown.entry_no}", token)
    assert one.status_code == 200 and one.json() == by_no[shown.entry_no]
    missing = api.get(f"/public/entries/{marked_public_but_unconsented.entry_no}", token)
    assert missing.status_code == 404
    # A public:read token reads nothing else.
    assert api.get("/persons", token).status_code == 403
    assert api.get(f"/testimonies/{1}", token).status_code == 403


def test_list_items_and_the_entry_carry_names_tags_and_hometown(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    """The list and the entry are read as rows (values), each page's names, tags and places
    in one query each: every field arrives, in the order the staff pages show it."""
    from aigaq.people.gazetteer import gazetteer_load
    from aigaq.people.models import Place, Tag

    gazetteer_load()
    home = Place.objects.get(code="cn-xj-ili")
    p = factories.person("Оспан Жұмаұлы", "Ospan Jumauly", hometown=home)
    bare = factories.person("Айгүл Тұрсын")
    p.tags.add(Tag.objects.create(slug="poet", label="Poet"))
    p.tags.add(Tag.objects.create(slug="imam", label="Imam"))
    token = make_token(coordinator)
    items = {i["entry_no"]: i for i in api.get("/persons", token).json()["items"]}
    item = items[p.entry_no]
    assert item["names"] == ["Оспан Жұмаұлы", "Ospan Jumauly"]
    assert item["tags"] == ["imam", "poet"]  # by label
    assert item["hometown"] == {"code": "cn-xj-ili", "name": home.name}
    assert item["name"] == p.primary_name and item["id"] == str(p.pk)
    assert items[bare.entry_no]["tags"] == [] and items[bare.entry_no]["hometown"] is None
    detail = api.get(f"/persons/{p.entry_no}", token).json()
    assert detail["tags"] == ["imam", "poet"]
    assert detail["hometown"] == {"code": "cn-xj-ili", "name": home.name}
    assert [n["full_name"] for n in detail["names"]] == item["names"]
    assert {k: detail[k] for k in item if k != "names"} == {
        k: item[k] for k in item if k != "names"
    }
