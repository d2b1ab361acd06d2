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


def relation_rows(*rows: tuple[Any, str, str]) -> dict[str, Any]:
    """POST data for the relatives formset: (person or None, new name, relationship)."""
    data: dict[str, Any] = {
        "relations-TOTAL_FORMS": str(len(rows)),
        "relations-INITIAL_FORMS": "0",
        "relations-MIN_NUM_FORMS": "0",
        "relations-MAX_NUM_FORMS": "1000",
    }
    for i, (person, new_name, relationship) in enumerate(rows):
        data[f"relations-{i}-person"] = str(person.pk) if person is not None else ""
        data[f"relations-{i}-new_name"] = new_name
        data[f"relations-{i}-relationship"] = relationship
    return data


def form_data_for_testimony(*relations: tuple[Any, str, str], **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "testifier": "",
        "testifier_name": "Айгүл Сәрсенқызы",
        "testifier_phone": "+7 701 000 00 00",
        "testifier_citizenship": "KZ",
        "recorded_on": "2019-03-01",
        "location": "office",
        "language": "kk",
        "summary": "",
        "visibility": "internal",
        "consent_press": "on",
        "consent_anonymous": "on",
        "media_kind": "video",
        **relation_rows(*relations),
    }
    data.update(fields)
    return data


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Staff tests sign in often; a fast hasher keeps them quick (never used outside tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
