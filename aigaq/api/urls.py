"""The JSON API, version 1, at /api/v1/ (docs/api.md): its OpenAPI document at
/api/v1/openapi.json. Mounted on the staff server only (config/urls.py): docs/api.md says why
not on the public-only one."""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI

from aigaq.api import errors, lookup, opendata, persons, testimonies

api = NinjaAPI(
    title="Aigaq API",
    version="1",
    description=(
        "Persons, testimonies, places, search and the public open data of an Aigaq instance. "
        "Every request carries a token (Authorization: Bearer <token>) made with "
        "`aigaq api token create`; what it answers is what the token's user may see on the "
        "staff side, narrowed by the token's scopes."
    ),
    urls_namespace="api-v1",
    # No interactive page: it would load its script from a CDN (the pages work offline and
    # allow no outside script). The document itself is at openapi.json.
    docs_url=None,
)
errors.install(api)
api.add_router("", persons.router)
api.add_router("", testimonies.router)
api.add_router("", lookup.router)
api.add_router("", opendata.router)

urlpatterns = [path("", api.urls)]
