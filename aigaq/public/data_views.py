"""Open data: the downloads page with its data dictionary, the CSV and JSON of every public
entry (streamed), one JSON document per entry, the Atom feed and the sitemap. All of it is
built by opendata.py from disclosure.public's PublicEntry alone."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from aigaq.disclosure.public import public_entry, retired_number_target
from aigaq.public import opendata
from aigaq.public.languages import PublicLanguage
from aigaq.public.views import page_context, public_page


def _absolute(request: HttpRequest) -> Any:
    return request.build_absolute_uri


@require_safe
@public_page
def data_page(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    return render(
        request,
        "public/data.html",
        {
            **page_context(request, lang),
            "fields": opendata.dictionary(),
            "downloads": {
                "csv": reverse("public:data_csv"),
                "json": reverse("public:data_json"),
                "dictionary": reverse("public:data_dictionary", args=[lang.code]),
                "feed": reverse("public:feed", args=[lang.code]),
                "sitemap": reverse("public:sitemap"),
                "entry_pattern": reverse("public:data_entry", args=[12345]).replace("12345", "N"),
            },
        },
    )


@require_safe
@public_page
def data_dictionary(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    return JsonResponse(
        {"language": lang.code, "fields": opendata.dictionary()},
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(request: HttpRequest) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that a spreadsheet reads the file as UTF-8
    yield writer.writerow(opendata.csv_header())
    for doc in opendata.documents(_absolute(request)):
        yield writer.writerow(opendata.csv_row(doc))


@require_safe
def data_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(request), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="entries.csv"'
    return response


@require_safe
def data_json(request: HttpRequest) -> StreamingHttpResponse:
    """A JSON array of every entry's document, one document a line."""
    docs = opendata.documents(_absolute(request))
    return StreamingHttpResponse(
        opendata.json_array(docs), content_type="application/json; charset=utf-8"
    )


@require_safe
def data_entry(request: HttpRequest, number: int) -> HttpResponse:
    shown = public_entry(number)
    if shown is None:
        target = retired_number_target(number)
        if target is not None:
            return HttpResponseRedirect(reverse("public:data_entry", args=[target]))
        raise Http404
    doc = opendata.entry_document(shown, opendata.Places(), _absolute(request))
    return JsonResponse(doc, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_safe
@public_page
def feed(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    f = opendata.feed(lang, _absolute(request))
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    f.write(response, "utf-8")
    return response


@require_safe
def sitemap(request: HttpRequest) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        opendata.sitemap_index(_absolute(request)), content_type="application/xml"
    )


@require_safe
def sitemap_pages(request: HttpRequest) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        opendata.sitemap_pages(_absolute(request)), content_type="application/xml"
    )


@require_safe
def sitemap_entries(request: HttpRequest, chunk: int) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        opendata.sitemap_entries(chunk, _absolute(request)), content_type="application/xml"
    )
