"""SQL-like and regular-expression-like strings in every search box: no server error, no
record lost, and an answer within a few seconds (a guard against catastrophic backtracking,
not a benchmark: bench/ times the searches).

SEARCH_BOXES lists each box: its address and the parameter it reads. The staff boxes are
found again from the URL configuration (every route whose name says suggest/search, and the
lists): `test_every_search_route_is_listed` fails for a new one not listed here.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = [
    "'; DROP TABLE people_person;--",
    '" OR 1=1 --',
    "%_%",
    "%",
    "_",
    "\\",
    "\\\\'",
    "(a+)+$",
    "(a|aa)+$",
    "a" * 60 + "!",
    "(" * 40,
    "[",
    "*",
    "?*+",
    ".*.*.*.*.*.*.*=",
    '"',
    "NEAR(",
    "a AND b OR NOT c",
    "\x00",
    "\u202e",
    "ا" * 200,
    "Айгүл " * 60,
    "1" * 300,
    "T-1",
    "#-5",
    "00000000-0000-0000-0000-000000000000",
]
BUDGET_SECONDS = 5.0

#: (address, parameter, extra parameters): every search box of the staff site.
SEARCH_BOXES = [
    ("/persons/", "q", {}),
    ("/persons/", "q", {"born_from": "1960", "status": "detained"}),
    ("/testimonies/", "q", {}),
    ("/persons/suggest/", "q", {}),
    ("/places/suggest/", "q", {}),
    ("/testifiers/suggest/", "q", {}),
    ("/search/persons/", "q", {}),
    ("/search/places/", "q", {}),
    ("/desk/relatives/", "q", {}),
    ("/public/en/entries/", "q", {}),
    ("/corrections/", "q", {}),
    ("/mirrors/", "q", {}),
    ("/duplicates/", "q", {}),
    ("/transcripts/search/", "q", {}),
]
#: Route names that take a query, and the address above that covers each.
SEARCH_ROUTES = {
    "staff:person_list": "/persons/",
    "staff:testimony_list": "/testimonies/",
    "staff:person_suggest": "/persons/suggest/",
    "staff:place_suggest": "/places/suggest/",
    "staff:testifier_suggest": "/testifiers/suggest/",
    "search:persons": "/search/persons/",
    "search:places": "/search/places/",
    "intake:relative_search": "/desk/relatives/",
    "public:entries": "/public/en/entries/",
    "staff:transcript_search": "/transcripts/search/",
    "api-v1:search": "/api/v1/search/persons",
}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    out: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            out |= _names(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name and namespace:
            out.add(f"{namespace}:{entry.name}")
    return out


def test_every_search_route_is_listed() -> None:
    found = {
        n
        for n in _names(get_resolver())
        if "suggest" in n or "search" in n or n.endswith(":persons")
    }
    missing = sorted(found - set(SEARCH_ROUTES))
    assert not missing, f"search routes without a case in {__file__}: {missing}"


@pytest.fixture
def world(db: Any) -> None:
    from aigaq.people.models import Place
    from aigaq.people.services import place_save

    county = place_save(Place(code="s-county", kind=Place.Kind.COUNTY, name="Tekes"))
    for name in ("Айгүл Серікқызы", "Aigul Serikqyzy", "艾古丽", "Ержан Қасымұлы"):
        factories.person(name, visibility="public", hometown=county, status="detained")
    factories.public_person("Марат Болатұлы", actor=None)
    factories.testimony(factories.person("Тест Адам"))


def _ask(client: Any, address: str, params: dict[str, str], problems: list[str]) -> None:
    started = time.monotonic()
    response = client.get(address, params)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    took = time.monotonic() - started
    if response.status_code >= 500:
        problems.append(f"{address} {params!r}: {response.status_code}")
    if took > BUDGET_SECONDS:
        problems.append(f"{address} {params!r}: {took:.1f} s")


def test_hostile_strings_in_every_staff_search_box(
    world: None, client: Any, coordinator: Any
) -> None:
    from aigaq.people.models import Person

    client.force_login(coordinator)
    persons = Person.objects.count()
    problems: list[str] = []
    for address, param, extra in SEARCH_BOXES:
        for text in HOSTILE:
            _ask(client, address, {**extra, param: text}, problems)
    assert not problems, "\n".join(problems)
    assert Person.objects.count() == persons  # nothing dropped


def test_hostile_strings_in_the_api_search(world: None, client: Any, coordinator: Any) -> None:
    """The JSON API's cross-script search, with a token: never a 5xx (a 422 for what it
    refuses), and in time."""
    from aigaq.api.services import api_token_create

    token = api_token_create(actor=None, user=coordinator, scopes=("internal:read",), days=1).token
    problems: list[str] = []
    for text in HOSTILE:
        started = time.monotonic()
        response = client.get(
            "/api/v1/search/persons", {"q": text}, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code >= 500:
            problems.append(f"api search {text!r}: {response.status_code}")
        if time.monotonic() - started > BUDGET_SECONDS:
            problems.append(f"api search {text!r}: slow")
    assert not problems, "\n".join(problems)


def test_hostile_strings_in_the_public_search(world: None, public_client: Any) -> None:
    problems: list[str] = []
    for text in HOSTILE:
        _ask(public_client, "/en/entries/", {"q": text}, problems)
        _ask(public_client, "/ar/entries/", {"q": text, "place": text, "year": text}, problems)
    assert not problems, "\n".join(problems)


def test_hostile_visitor_names_at_the_desk_are_recognised_safely(
    world: None, client: Any, coordinator: Any
) -> None:
    """The desk recognises a returning visitor by name: each hostile name is registered, and
    the visit page (which looks for earlier visits and testifiers by that name) answers."""
    from aigaq.intake.models import Visit

    client.force_login(coordinator)
    problems: list[str] = []
    for text in HOSTILE:
        started = time.monotonic()
        response = client.post(
            "/desk/", {"visitor_name": text, "reason": "testimony", "language": "kk"}
        )
        if response.status_code >= 500:
            problems.append(f"/desk/ {text!r}: {response.status_code}")
        if time.monotonic() - started > BUDGET_SECONDS:
            problems.append(f"/desk/ {text!r}: slow")
    for visit in Visit.objects.all():
        _ask(client, f"/desk/visits/{visit.pk}/", {}, problems)
    assert not problems, "\n".join(problems)
    assert Visit.objects.count() >= len(HOSTILE) - 3  # the empty-looking names are refused
