"""A refused page in the interface's style that says what the role may not do, and an icon
for every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from aigaq.core.permissions import CAPABILITIES, REFUSALS

pytestmark = pytest.mark.django_db


def test_every_capability_has_a_sentence_for_the_403_page() -> None:
    assert set(CAPABILITIES) == set(REFUSALS)


def test_the_403_page_says_what_the_role_may_not_do(client: Any, viewer: Any) -> None:
    client.force_login(viewer)
    response = client.get("/persons/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role may not create or edit the entries of persons." in page
    assert "Viewer" in page and 'class="main-nav"' in page  # the interface, not a bare page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    kazakh = client.get("/persons/new/").content.decode()
    assert "Сіздің рөліңіз адамдар туралы жазбаларды жасауға" in kazakh


def test_every_page_names_its_icon_and_the_icon_is_served(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/aigaq/favicon.svg"' in page
    icon = client.get("/static/aigaq/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
    old = client.get("/favicon.ico")
    assert old.status_code == 301 and old["Location"] == "/static/aigaq/favicon.svg"
