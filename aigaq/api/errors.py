"""The API's errors: always JSON, ``{"detail": "one sentence"}`` (a list of problems, each
naming its field, for a request that does not fit the schema), with the HTTP status that says
what went wrong (docs/api.md, "Errors")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from aigaq.core.locking import EditConflict
from aigaq.core.permissions import refusal


class ApiError(Exception):
    """An answer other than 200 with its sentence (and headers, such as Retry-After)."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def _json(api: NinjaAPI, request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


def install(api: NinjaAPI) -> None:
    """Give `api` its error answers."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = _json(api, request, exc.status, exc.detail)
        for key, value in exc.headers.items():
            response[key] = value
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _json(
            api,
            request,
            401,
            _("Send an API token: the header Authorization: Bearer <token> (docs/api.md)."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def refused(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        cap = str(exc.args[0]) if exc.args else ""
        return _json(api, request, 403, refusal(cap))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _json(api, request, 404, str(exc) or _("Not found."))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _json(api, request, 422, " ".join(exc.messages))

    @api.exception_handler(EditConflict)
    def conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
        return _json(
            api, request, 409, _("Someone else changed this record meanwhile: read it again.")
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja answers a body it cannot parse with 400; a body that is not JSON is an
        # unprocessable request like any other that does not fit the schema.
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return _json(api, request, 422, _("The request body is not valid JSON."))
        return _json(api, request, exc.status_code, str(exc))
