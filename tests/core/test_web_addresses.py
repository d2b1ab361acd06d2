"""Only http(s) addresses are stored and only they become links: a `javascript:` source link
would run in the reader's browser (only the Content-Security-Policy stopped it)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from aigaq.core.validators import is_web_url
from aigaq.mirrors.models import Mirror
from aigaq.people.models import Source
from aigaq.testimonies.models import Testimony
from tests import factories

pytestmark = pytest.mark.django_db

NOT_WEB = [
    "javascript:alert(1)",
    "JavaScript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/file",
    "vbscript:msgbox(1)",
    " https://example.org/",
]


@pytest.mark.parametrize("url", NOT_WEB)
def test_a_source_link_that_is_not_http_is_refused_by_the_model(url: str) -> None:
    source = Source(kind=Source.Kind.ARTICLE, title="An article", url=url)
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert "url" in caught.value.error_dict


@pytest.mark.parametrize("url", NOT_WEB)
def test_a_published_address_that_is_not_http_is_refused_by_the_model(
    url: str, coordinator: Any
) -> None:
    testimony = factories.testimony(actor=coordinator)
    testimony.published_urls = ["https://example.org/v/1", url]
    with pytest.raises(ValidationError) as caught:
        testimony.full_clean()
    assert "published_urls" in caught.value.error_dict


def test_published_addresses_that_are_not_a_list_are_refused(coordinator: Any) -> None:
    testimony = factories.testimony(actor=coordinator)
    testimony.published_urls = {"url": "https://example.org/"}
    with pytest.raises(ValidationError):
        testimony.full_clean()


def test_http_and_https_addresses_pass() -> None:
    Source(kind=Source.Kind.ARTICLE, title="An article", url="https://example.org/a").full_clean()
    assert is_web_url("http://example.org/a?b=c#d")
    assert not is_web_url(None)


def test_the_testimony_service_refuses_a_javascript_address_and_writes_nothing(
    coordinator: Any,
) -> None:
    person = factories.person(actor=coordinator)
    before = Testimony.objects.count()
    with pytest.raises(ValidationError):
        factories.testimony(person, actor=coordinator, published_urls=["javascript:alert(1)"])
    assert Testimony.objects.count() == before


def test_a_stored_javascript_address_is_never_rendered_as_a_link(
    client: Any, coordinator: Any
) -> None:
    """Rows written before validation (or by hand) are shown as text, never in an href."""
    person = factories.person("Сілтеме Адамұлы", actor=coordinator)
    testimony = factories.testimony(person, actor=coordinator)
    for url in ("javascript:alert('testimony')", "https://example.org/ok"):
        Mirror.objects.create(testimony=testimony, url=url)  # no validation: written by hand
    source = Source.objects.create(
        kind=Source.Kind.ARTICLE, title="Crafted source", url="javascript:alert('source')"
    )
    source.persons.add(person)
    client.force_login(coordinator)
    for path in (f"/testimonies/{testimony.number}/", f"/persons/{person.entry_no}/"):
        page = client.get(path).content.decode()
        hrefs = re.findall(r'href="([^"]*)"', page)
        assert hrefs and all(h.startswith(("/", "?", "#", "https://", "http://")) for h in hrefs)
    page = client.get(f"/testimonies/{testimony.number}/").content.decode()
    assert 'href="https://example.org/ok"' in page
    assert "Crafted source" in client.get(f"/persons/{person.entry_no}/").content.decode()
