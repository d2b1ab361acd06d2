"""The public site's tests: a client of the public server alone (`aigaq serve --public`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings


@pytest.fixture
def public_client() -> Iterator[Any]:
    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF, MIDDLEWARE=settings.PUBLIC_MIDDLEWARE
    ):
        yield Client()
