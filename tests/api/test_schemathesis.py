"""The API fuzzed against its own OpenAPI document (schemathesis through the WSGI app): with a
valid token of every scope, no request the document allows gets a 5xx, and every answer
(status, content type, body) is one the document declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories

# django-ninja writes OpenAPI 3.1, which schemathesis 3 reads behind this switch.
schemathesis.experimental.OPEN_API_3_1.enable()

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@pytest.fixture
def api_schema(db: Any) -> Iterator[Any]:
    """The document as the WSGI app serves it. As Django's test client does, the app leaves
    the database connection open at the end of each request (the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    from config.wsgi import application

    both = (signals.request_started, signals.request_finished)
    for signal in both:
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.from_wsgi("/api/v1/openapi.json", application)
    finally:
        for signal in both:
            signal.connect(close_old_connections)


schema = schemathesis.from_pytest_fixture("api_schema")


@pytest.fixture
def seeded_token(admin_user: Any, settings: Any) -> str:
    """Records of each kind the endpoints read, and an administrator's token with every
    scope (the widest sight: every branch of the answers is reached)."""
    from aigaq.api.services import api_token_create
    from aigaq.people.services import status_event_add
    from aigaq.petitions.services import petition_create

    settings.AIGAQ_API_RATE = 0
    public = factories.public_person("Ашық Адамұлы", actor=None)
    internal = factories.person("Ішкі Адамұлы", visibility="internal", birth_year=1970)
    t = factories.testimony(internal, public, visibility="internal", summary="summary")
    status_event_add(actor=None, person=internal, kind="camp", date_text="2018", testimony=t)
    petition_create(actor=None, form="wgeid", persons=[internal], entries={})
    scopes = ["public:read", "internal:read", "write"]
    return api_token_create(actor=None, user=admin_user, scopes=scopes).token


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_keeps_to_its_openapi_document(case: Any, seeded_token: str) -> None:
    response = case.call_wsgi(headers={"Authorization": f"Bearer {seeded_token}"})
    case.validate_response(response, checks=CHECKS)
