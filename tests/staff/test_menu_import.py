"""The main menu's "Import" opens the spreadsheet import; field bundles have their own item
(issue 16: "Import" used to open the field-bundle import)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _nav_links(html: str) -> dict[str, str]:
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return {
        text.strip(): href for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    }


def test_import_in_the_menu_opens_the_spreadsheet_import(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    links = _nav_links(client.get(reverse("staff:dashboard")).content.decode())
    assert links["Import"] == reverse("transfer:spreadsheet_upload")
    assert links["Field bundles"] == reverse("transfer:field_import")
    page = client.get(links["Import"]).content.decode()
    assert "Import a spreadsheet" in page and reverse("transfer:field_import") in page


def test_roles_that_may_not_import_see_neither_item(client: Any, interviewer: Any) -> None:
    client.force_login(interviewer)
    links = _nav_links(client.get(reverse("staff:dashboard")).content.decode())
    assert "Import" not in links and "Field bundles" not in links
