"""Helpers for the staff interface tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def signed_in(client: Any) -> Any:
    """Sign `client` in as `user` and return it."""

    def sign_in(user: Any) -> Any:
        client.force_login(user)  # no password hashing: keeps the suite fast
        return client

    return sign_in


def name_rows(*names: str, kind: str = "official", total: int | None = None) -> dict[str, Any]:
    """POST data for the names formset."""
    total = total if total is not None else len(names)
    data: dict[str, Any] = {
        "names-TOTAL_FORMS": str(total),
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
    }
    for i in range(total):
        data[f"names-{i}-full_name"] = names[i] if i < len(names) else ""
        data[f"names-{i}-kind"] = kind
    return data


def person_post(*names: str, **fields: Any) -> dict[str, Any]:
    data = {
        "gender": "unknown",
        "ethnicity": "kazakh",
        "evidence_grade": "reported",
        "visibility": "internal",
        "citizenships": "",
        "tags": "",
        **name_rows(*names),
    }
    data.update(fields)
    return data
