from __future__ import annotations

import re
from typing import Any

import pytest

from aigaq.core.models import AuditEntry
from aigaq.people.models import Person, PersonName, Place, StatusEvent
from aigaq.people.services import place_save, status_event_add
from aigaq.people.validators import chinese_id_check_char
from tests import factories
from tests.staff.conftest import person_post

pytestmark = pytest.mark.django_db

NAMES = [
    "Гүлнар Серікқызы",  # Kazakh Cyrillic
    "گۇلنار سەرىكقىزى",  # Uyghur Arabic script
    "古丽娜尔·赛力克",  # Chinese
    "Gulnar 🙂 Serikqyzy",  # emoji
    "\u200fناز\u200f بانو",  # right-to-left marks kept
]


def valid_id(prefix: str = "65400119800101123") -> str:
    return prefix + chinese_id_check_char(prefix)


def place(code: str, name: str, parent: Place | None = None, kind: str = "county") -> Place:
    return place_save(Place(code=code, name=name, kind=kind, parent=parent))


def test_person_created_with_names_in_five_scripts_round_trips_exactly(
    signed_in: Any, coordinator: Any
) -> None:
    client = signed_in(coordinator)
    response = client.post("/persons/new/", person_post(*NAMES))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.entry_no}/"
    stored = list(PersonName.objects.filter(person=person).values_list("full_name", flat=True))
    assert stored == NAMES
    page = client.get(f"/persons/{person.entry_no}/").content.decode()
    for name in NAMES:
        assert name in page
    scripts = dict(PersonName.objects.filter(person=person).values_list("full_name", "script"))
    assert scripts[NAMES[0]] == "cyrillic"
    assert scripts[NAMES[2]] == "han"


def test_person_form_without_any_name_shows_an_error_and_writes_nothing(
    signed_in: Any, coordinator: Any
) -> None:
    response = signed_in(coordinator).post("/persons/new/", person_post("", "  "))
    assert response.status_code == 400
    assert "A person needs at least one name." in response.content.decode()
    assert Person.objects.count() == 0
    assert AuditEntry.objects.exclude(action="login").count() == 0


def test_bad_birth_range_and_bad_chinese_id_are_field_errors_and_nothing_is_written(
    signed_in: Any, coordinator: Any
) -> None:
    response = signed_in(coordinator).post(
        "/persons/new/",
        person_post(
            "Айгүл",
            birth_year="1990",
            birth_year_max="1980",
            chinese_id="654001198001011239X",
            citizenships="KZ, 12",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "The latest birth year is before the earliest." in body
    assert "A Chinese ID number has 18 characters" in body
    assert "is not a country code" in body
    assert Person.objects.count() == 0


def test_field_errors_come_in_the_users_language(signed_in: Any, coordinator: Any) -> None:
    client = signed_in(coordinator)
    data = person_post("Айгүл", gender="")
    response = client.post("/persons/new/", data, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "Обязательное поле." in response.content.decode()


def test_script_typed_into_any_field_is_shown_as_text(signed_in: Any, coordinator: Any) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client = signed_in(coordinator)
    client.post(
        "/persons/new/",
        person_post(evil, occupation=evil, biography=evil, tags="imam, " + evil),
    )
    person = Person.objects.get()
    for url in (
        f"/persons/{person.entry_no}/",
        "/persons/",
        "/",
        f"/persons/{person.entry_no}/edit/",
    ):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body, url


def test_person_list_filters_by_status_ethnicity_place_with_sub_places_tag_and_grade(
    signed_in: Any, coordinator: Any
) -> None:
    ili = place("cn-xj-ili", "Ili", kind="prefecture")
    tekes = place("cn-xj-ili-tekes", "Tekes", parent=ili)
    altay = place("cn-xj-altay", "Altay", kind="prefecture")
    from aigaq.people.services import tag_get_or_create

    imam = tag_get_or_create("imam")
    a = factories.person(
        "Ақан", actor=coordinator, hometown=tekes, ethnicity="kazakh", tags=[imam], status="camp"
    )
    b = factories.person(
        "Бақыт",
        actor=coordinator,
        hometown=altay,
        ethnicity="uyghur",
        status="prison",
        evidence_grade="documented",
    )
    client = signed_in(coordinator)

    def entries(**params: str) -> set[int]:
        page = client.get("/persons/", params).context["page"]
        return {p.entry_no for p in page.object_list}

    assert entries() == {a.entry_no, b.entry_no}
    assert entries(place=str(ili.pk)) == {a.entry_no}
    assert entries(status="prison") == {b.entry_no}
    assert entries(ethnicity="kazakh") == {a.entry_no}
    assert entries(tag="imam") == {a.entry_no}
    assert entries(grade="documented") == {b.entry_no}
    assert entries(q="бақ") == {b.entry_no}
    assert entries(q=f"#{a.entry_no}") == {a.entry_no}


def test_person_list_query_goes_through_the_one_search_selector(
    signed_in: Any, coordinator: Any, monkeypatch: Any
) -> None:
    from aigaq.search import selectors

    calls: list[dict[str, Any]] = []
    real = selectors.person_search_ranked

    def spy(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "person_search_ranked", spy)
    signed_in(coordinator).get("/persons/", {"q": "Гүл", "ethnicity": "kazakh"})
    assert calls == [{"user": coordinator, "query": "Гүл", "filters": {"ethnicity": "kazakh"}}]


def namesakes(actor: Any) -> dict[str, Person]:
    """Four women of one name, told apart only by their birth years."""
    made = {
        "1970": factories.person("Гүлнар Серікқызы", actor=actor, birth_year=1970),
        "1985": factories.person(
            "Гүлнар Серікқызы", "Gulnar Serikqyzy", actor=actor, birth_year=1985
        ),
        "1983-1987": factories.person(
            "Гүлнар Серікқызы", actor=actor, birth_year=1983, birth_year_max=1987
        ),
        "unknown": factories.person("Гүлнар Серікқызы", actor=actor),
    }
    factories.person("Бақыт Серікұлы", actor=actor, birth_year=1985)
    return made


def test_person_list_narrows_namesakes_by_birth_year_with_and_without_a_name(
    signed_in: Any, coordinator: Any
) -> None:
    made = namesakes(coordinator)
    client = signed_in(coordinator)

    def entries(**params: str) -> set[int]:
        response = client.get("/persons/", params)
        assert response.status_code == 200
        return {p.entry_no for p in response.context["page"].object_list}

    by_name = entries(q="Gulnar Serikqizi")
    assert by_name == {p.entry_no for p in made.values()}
    # A range overlapping "1983-1987" keeps that entry; an unknown year is never kept.
    born_1985 = {made["1985"].entry_no, made["1983-1987"].entry_no}
    assert entries(q="Gulnar Serikqizi", born_from="1984", born_to="1986") == born_1985
    assert entries(q="Gulnar Serikqizi", born_to="1975") == {made["1970"].entry_no}
    # Without a name the list is filtered the same way (and finds Бақыт too).
    assert entries(born_from="1985", born_to="1985") == born_1985 | {
        p.entry_no for p in Person.objects.filter(primary_name="Бақыт Серікұлы")
    }


def test_person_list_says_when_several_entries_match_a_name_equally(
    signed_in: Any, coordinator: Any
) -> None:
    made = namesakes(coordinator)
    client = signed_in(coordinator)
    response = client.get("/persons/", {"q": "Гүлнар Серікқызы"})
    body = response.content.decode()
    assert response.context["equal_best"] == 4
    assert "4 entries match this name about as well as the first." in body
    assert "add the birth year the testimony gives" in body
    # Each row says why it matched, and which of the names did.
    assert body.count('data-testid="why"') == 4
    assert "exact name" in body

    narrowed = client.get("/persons/", {"q": "Гүлнар Серікқызы", "born_from": "1984"})
    text = narrowed.content.decode()
    assert narrowed.context["equal_best"] == 2
    assert "2 entries match this name about as well as the first." in text
    assert "compare their hometowns and relatives" in text

    one = client.get("/persons/", {"q": "Гүлнар Серікқызы", "born_to": "1971"})
    assert [p.entry_no for p in one.context["page"].object_list] == [made["1970"].entry_no]
    assert 'data-testid="namesakes"' not in one.content.decode()
    # Browsing without a name shows no such notice.
    assert 'data-testid="namesakes"' not in client.get("/persons/").content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "Гүлнар", "born_from": "nineteen"}, "Enter a whole number."),
        ({"born_from": "1990", "born_to": "1980"}, "The last birth year is before the first."),
        ({"q": "Гүлнар", "born_to": "1200"}, "greater than or equal to 1900"),
    ],
)
def test_person_list_refuses_a_birth_year_it_cannot_read_and_lists_nothing(
    signed_in: Any, coordinator: Any, params: dict[str, str], message: str
) -> None:
    namesakes(coordinator)
    response = signed_in(coordinator).get("/persons/", params)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "/persons/1/" not in body  # no list that would seem to obey the filter


def test_person_list_makes_the_same_few_queries_for_many_persons(
    signed_in: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    from aigaq.people.services import tag_get_or_create

    town = place("cn-xj-x", "X")
    tags = [tag_get_or_create("imam"), tag_get_or_create("student")]
    for i in range(30):
        factories.person(f"Адам {i}", f"Adam {i}", actor=coordinator, hometown=town, tags=tags)
    client = signed_in(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get("/persons/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 30


def test_person_list_is_paginated(signed_in: Any, coordinator: Any) -> None:
    for i in range(55):
        factories.person(f"Адам {i}", actor=coordinator)
    client = signed_in(coordinator)
    first = client.get("/persons/")
    second = client.get("/persons/", {"page": "2"})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


def test_viewer_does_not_find_internal_persons(
    signed_in: Any, coordinator: Any, viewer: Any
) -> None:
    hidden = factories.person("Жасырын", actor=coordinator, visibility="internal")
    shown = factories.person("Ашық", actor=coordinator, visibility="public")
    client = signed_in(viewer)
    entries = {p.entry_no for p in client.get("/persons/").context["page"].object_list}
    assert entries == {shown.entry_no}
    assert client.get(f"/persons/{hidden.entry_no}/").status_code == 404


def test_merged_person_redirects_to_the_survivor(signed_in: Any, coordinator: Any) -> None:
    survivor = factories.person("Ақан", actor=coordinator)
    merged = factories.person("Akan", actor=coordinator)
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    response = signed_in(coordinator).get(f"/persons/{merged.entry_no}/")
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{survivor.entry_no}/"


def test_chinese_id_is_shown_only_on_request_and_the_reading_is_audited(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    number = valid_id()
    person = factories.person("Ақан", actor=coordinator, chinese_id=number)
    client = signed_in(interviewer)
    page = client.get(f"/persons/{person.entry_no}/").content.decode()
    assert number not in page
    assert not AuditEntry.objects.filter(action="read").exists()
    response = client.post(f"/persons/{person.entry_no}/restricted/", HTTP_HX_REQUEST="true")
    assert number in response.content.decode()
    read = AuditEntry.objects.get(action="read")
    assert read.actor == interviewer
    assert read.changes == {"fields": ["chinese_id"]}
    assert number not in str(read.changes)


def test_translator_sees_no_chinese_id_and_may_not_ask_for_it(
    signed_in: Any, translator: Any, coordinator: Any
) -> None:
    number = valid_id()
    person = factories.person("Ақан", actor=coordinator, chinese_id=number)
    client = signed_in(translator)
    assert number not in client.get(f"/persons/{person.entry_no}/").content.decode()
    assert client.post(f"/persons/{person.entry_no}/restricted/").status_code == 403
    assert not AuditEntry.objects.filter(action="read").exists()


def test_history_is_shown_only_to_those_who_may_see_the_audit_log(
    signed_in: Any, coordinator: Any, interviewer: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    assert signed_in(coordinator).get(f"/persons/{person.entry_no}/").context["history"]
    assert signed_in(interviewer).get(f"/persons/{person.entry_no}/").context["history"] is None


def test_timeline_keeps_official_denials_apart_from_reports(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    status_event_add(actor=coordinator, person=person, kind="camp", date_text="spring 2018")
    status_event_add(
        actor=coordinator,
        person=person,
        kind="released",
        date_text="2019",
        report="official_denial",
    )
    response = signed_in(coordinator).get(f"/persons/{person.entry_no}/")
    rows = response.context["timeline"]
    assert [(r["event"].kind, r["official"]) for r in rows] == [("camp", False), ("released", True)]
    assert 'class="denial"' in response.content.decode()
    person.refresh_from_db()
    assert person.current_status == "camp"


def test_status_event_form_adds_a_partial_date(signed_in: Any, coordinator: Any) -> None:
    person = factories.person("Ақан", actor=coordinator)
    response = signed_in(coordinator).post(
        f"/persons/{person.entry_no}/status/",
        {"kind": "camp", "date_text": "end of 2018", "report": "reported", "facility": "Camp 3"},
    )
    assert response.status_code == 302
    event = StatusEvent.objects.get()
    assert (event.date_start.isoformat(), event.date_end.isoformat()) == (
        "2018-09-01",
        "2018-12-31",
    )


def test_status_event_with_a_date_that_cannot_be_read_is_refused_with_a_sentence(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    response = signed_in(coordinator).post(
        f"/persons/{person.entry_no}/status/",
        {"kind": "camp", "date_text": "2018-13", "report": "reported"},
    )
    assert response.status_code == 400
    assert "there is no month 13" in response.content.decode()
    assert StatusEvent.objects.count() == 0


def test_editing_a_person_replaces_names_and_bumps_the_version(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    client = signed_in(coordinator)
    form = client.get(f"/persons/{person.entry_no}/edit/")
    assert form.status_code == 200
    response = client.post(
        f"/persons/{person.entry_no}/edit/",
        person_post(
            "Ақан Серікұлы", "Akan Serikuly", version=str(person.version), occupation="imam"
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.version > 1
    assert person.occupation == "imam"
    assert [n.full_name for n in person.names.all()] == ["Ақан Серікұлы", "Akan Serikuly"]


def test_edit_conflict_shows_both_versions_and_saving_again_reapplies_mine(
    signed_in: Any, coordinator: Any, interviewer: Any
) -> None:
    from aigaq.people.services import person_update

    person = factories.person("Ақан", actor=coordinator, occupation="teacher")
    started_at = person.version
    person_update(
        actor=interviewer, person=person, expected_version=started_at, occupation="driver"
    )
    client = signed_in(coordinator)
    mine = person_post("Ақан", version=str(started_at), occupation="imam")
    response = client.post(f"/persons/{person.entry_no}/edit/", mine)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this entry while you were editing it." in body
    rows = {str(r["label"]): r for r in response.context["conflict"]}
    assert (rows["Occupation"]["mine"], rows["Occupation"]["saved"]) == ("imam", "driver")
    assert rows["Occupation"]["differs"]
    person.refresh_from_db()
    assert person.occupation == "driver"
    # Save again: the form now carries the saved version, so mine is applied.
    again = response.context["form"].data
    response = client.post(f"/persons/{person.entry_no}/edit/", again)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.occupation == "imam"


def test_visibility_choices_are_only_those_the_user_may_set(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    choices = dict(
        signed_in(interviewer).get("/persons/new/").context["form"].fields["visibility"].choices
    )
    assert set(choices) == {"internal"}
    response = signed_in(interviewer).post(
        "/persons/new/", person_post("Ақан", visibility="public")
    )
    assert response.status_code == 400
    assert Person.objects.count() == 0


def test_coordinator_may_publish_a_new_entry(signed_in: Any, coordinator: Any) -> None:
    signed_in(coordinator).post("/persons/new/", person_post("Ақан", visibility="public"))
    assert Person.objects.get().visibility == "public"


def test_place_picker_finds_places_by_any_of_their_names(signed_in: Any, coordinator: Any) -> None:
    from aigaq.people.models import PlaceName

    shz = place("cn-xj-shihezi", "Shihezi", kind="city")
    PlaceName.objects.create(place=shz, name="石河子", lang="zh")
    PlaceName.objects.create(place=shz, name="Шихэцзы", lang="ru")
    client = signed_in(coordinator)
    for term in ("石河", "Шихэ", "shih"):
        body = client.get("/places/suggest/", {"hometown_q": term}).content.decode()
        assert f'data-pick="{shz.pk}"' in body, term
    assert "Nothing found." in client.get("/places/suggest/", {"q": "zzz"}).content.decode()


def test_hometown_chosen_with_the_picker_is_saved(signed_in: Any, coordinator: Any) -> None:
    town = place("cn-xj-tekes", "Tekes")
    signed_in(coordinator).post("/persons/new/", person_post("Ақан", hometown=str(town.pk)))
    assert Person.objects.get().hometown == town


def test_dashboard_links_recent_entries_to_their_pages(signed_in: Any, coordinator: Any) -> None:
    person = factories.person("Ақан", actor=coordinator)
    body = signed_in(coordinator).get("/").content.decode()
    assert f'href="/persons/{person.entry_no}/"' in body


def test_opening_the_edit_form_with_a_chinese_id_is_recorded_as_a_read(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    number = valid_id()
    person = factories.person("Ақан", actor=coordinator, chinese_id=number)
    response = signed_in(interviewer).get(f"/persons/{person.entry_no}/edit/")
    assert number in response.content.decode()
    read = AuditEntry.objects.get(action="read")
    assert (read.actor, read.person_id) == (interviewer, person.pk)


def test_a_failed_edit_changes_nothing_and_records_nothing(
    signed_in: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator, occupation="teacher")
    entries = AuditEntry.objects.count()
    response = signed_in(coordinator).post(
        f"/persons/{person.entry_no}/edit/",
        person_post(
            "Ақан",
            "",
            version=str(person.version),
            occupation="imam",
            tags="new-tag",
            birth_year="1850",
        ),
    )
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1900." in response.content.decode()
    person.refresh_from_db()
    assert (person.occupation, person.version) == ("teacher", 1)
    assert AuditEntry.objects.count() == entries
    from aigaq.people.models import Tag

    assert not Tag.objects.filter(slug="new-tag").exists()


def test_interviewer_may_edit_a_published_entry_and_keep_it_published(
    signed_in: Any, interviewer: Any, coordinator: Any
) -> None:
    person = factories.person("Ақан", actor=coordinator, visibility="public")
    response = signed_in(interviewer).post(
        f"/persons/{person.entry_no}/edit/",
        person_post("Ақан", version=str(person.version), visibility="public", occupation="imam"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.visibility, person.occupation) == ("public", "imam")


def test_person_page_makes_the_same_few_queries_however_much_it_shows(
    signed_in: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    person = factories.person("Ақан", "Akan", "阿坎", actor=coordinator)
    for year in range(2017, 2023):
        status_event_add(actor=coordinator, person=person, kind="camp", date_text=str(year))
    for _ in range(8):
        factories.testimony(person, actor=coordinator)
    client = signed_in(coordinator)
    # 21: one of them, on every page, reads the device that verified the session (two-factor).
    with django_assert_max_num_queries(21):
        response = client.get(f"/persons/{person.entry_no}/")
    assert len(response.context["testimonies"]) == 8


def test_history_names_fields_in_the_readers_language(client, coordinator) -> None:
    from aigaq.people.services import person_update

    person = factories.person("Серік Болатұлы", actor=coordinator, occupation="teacher")
    person_update(
        actor=coordinator, person=person, expected_version=person.version, occupation="imam"
    )
    client.force_login(coordinator)
    client.cookies["django_language"] = "ru"
    html = client.get(f"/persons/{person.entry_no}/").content.decode()
    assert "teacher → imam" in re.sub(r"<[^>]+>", "", html)  # each value in its own direction
    assert "<strong>occupation</strong>" not in html
    assert "род занятий" in html
