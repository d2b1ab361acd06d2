"""Fixtures of the API tests: tokens made through the service, and a client that sends them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def make_token(db: Any) -> Callable[..., str]:
    """make_token(user, "internal:read", ...): a new token's secret for `user`."""
    from aigaq.api.services import api_token_create

    def make(user: Any, *scopes: str, days: int | None = 30) -> str:
        return api_token_create(
            actor=None, user=user, scopes=scopes or ("internal:read",), days=days
        ).token

    return make


class Api:
    """The Django test client with a bearer token: api.get("/persons", token)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self, path: str, token: str | None = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get("/api/v1" + path, params, headers=headers)

    def post(self, path: str, token: str | None, body: str | bytes) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post(
            "/api/v1" + path, body, content_type="application/json", headers=headers
        )


@pytest.fixture
def api(client: Any) -> Api:
    return Api(client)


@pytest.fixture
def gazetteer(db: Any) -> None:
    from aigaq.people.gazetteer import gazetteer_load

    gazetteer_load()
