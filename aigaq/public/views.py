"""The public site's pages. What they show of a person comes only from
aigaq.disclosure.public (PublicEntry); searches run as disclosure.selectors.PUBLIC, the
reader who sees the public entries and nothing else. No staff code is imported here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from aigaq.disclosure.public import (
    public_entries,
    public_entry,
    public_persons,
    retired_number_target,
)
from aigaq.disclosure.selectors import PUBLIC
from aigaq.public import filters as public_filters
from aigaq.public.languages import PUBLIC_LANGUAGES, PublicLanguage, from_accept_language
from aigaq.search.selectors import MAX_QUERY_CHARS, person_search_ranked

PER_PAGE = 25


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run the view in the URL's language; the page knows its language, its direction and the
    same page's address in every other language (the switcher)."""

    @wraps(view)
    def wrapper(request: HttpRequest, lang: PublicLanguage, **kwargs: Any) -> HttpResponse:
        with translation.override(lang.django):
            request.public_lang = lang  # type: ignore[attr-defined]
            response = view(request, lang, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response.headers["Content-Language"] = lang.code
        return response

    return wrapper


def page_context(request: HttpRequest, lang: PublicLanguage) -> dict[str, Any]:
    match = request.resolver_match
    assert match is not None
    switch = []
    for other in PUBLIC_LANGUAGES:
        url = reverse(match.view_name, kwargs={**match.kwargs, "lang": other.code})
        query = request.GET.urlencode()
        switch.append((other, url + (f"?{query}" if query else "")))
    return {"lang": lang, "languages": switch, "rtl": lang.rtl}


@require_safe
def choose_language(request: HttpRequest) -> HttpResponse:
    lang = from_accept_language(request.headers.get("Accept-Language", ""))
    return redirect("public:home", lang=lang.code)


@require_safe
@public_page
def home(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    persons = public_persons()
    newest = list(public_entries(persons.order_by("-created_at")[:6]))
    return render(
        request,
        "public/home.html",
        {**page_context(request, lang), "count": persons.count(), "newest": newest},
    )


@require_safe
@public_page
def entries(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARS]
    persons, filters = public_filters.filtered(request.GET)
    if q:
        found = person_search_ranked(user=PUBLIC, query=q)
        rows = found.persons.select_related(None).prefetch_related(None)
        rows = rows.filter(pk__in=persons.values("pk"))
    else:
        rows = persons.order_by("-entry_no")
    rows = rows.only("pk", "entry_no")
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    numbers = [p.entry_no for p in page.object_list]
    built = {e.entry_no: e for e in public_entries(public_persons().filter(entry_no__in=numbers))}
    shown = [built[n] for n in numbers if n in built]
    return render(
        request,
        "public/entries.html",
        {
            **page_context(request, lang),
            "q": q,
            "filters": filters,
            "page": page,
            "entries": shown,
        },
    )


@require_safe
@public_page
def entry(request: HttpRequest, lang: PublicLanguage, number: int) -> HttpResponse:
    shown = public_entry(number)
    if shown is None:
        target = retired_number_target(number)
        if target is not None:
            return HttpResponseRedirect(reverse("public:entry", args=[lang.code, target]))
        raise Http404
    return render(request, "public/entry.html", {**page_context(request, lang), "e": shown})
