"""The public site's pages. What they show of a person comes only from
aigaq.disclosure.public (PublicEntry); searches run as disclosure.selectors.PUBLIC, the
reader who sees the public entries and nothing else. No staff code is imported here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial, wraps
from typing import Any

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from aigaq.corrections.services import RateLimited, submission_create
from aigaq.disclosure.public import (
    PublicCard,
    PublicEntry,
    PublicName,
    public_cards,
    public_entries,
    public_entry,
    public_persons,
    retired_number_target,
)
from aigaq.disclosure.selectors import PUBLIC
from aigaq.people.models import EvidenceGrade, Person, Place
from aigaq.public import filters as public_filters
from aigaq.public.forms import CorrectionForm, form_token
from aigaq.public.languages import PUBLIC_LANGUAGES, PublicLanguage, from_accept_language
from aigaq.public.media import subtitle_tracks
from aigaq.search.selectors import MAX_LIMIT, MAX_QUERY_CHARS, search_persons

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
    # The newest by entry number (given in order of creation, and indexed: the first six
    # public ones found from the top); the count as the list counts it, at most every
    # OPTIONS_SECONDS (counting a million entries took 0.7 s, every visit).
    newest = list(public_entries(public_persons().order_by("-entry_no")[:6]))
    return render(
        request,
        "public/home.html",
        {**page_context(request, lang), "count": _public_total(), "newest": newest},
    )


@dataclass
class Pages:
    """How the list moves on. A name search has at most a few hundred hits: numbered pages.
    The whole list (a million entries) moves by entry number (keyset): "older" is the entries
    below the last one shown, "newer" those above the first, so no page ever skips rows with
    OFFSET or counts the whole result."""

    number: int = 1
    num_pages: int = 1
    previous_url: str = ""
    next_url: str = ""
    first_url: str = ""


def _int_param(params: Any, key: str) -> int | None:
    value = str(params.get(key) or "")[:12]
    return int(value) if value.isdigit() else None


@require_safe
@public_page
def entries(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARS]
    persons, filters = public_filters.filtered(request.GET)
    pages = Pages()
    state = partial(public_filters.query_string, q, filters)
    if q:
        hits = search_persons(  # the cards show no matched name or reason
            user=PUBLIC,
            query=q,
            filters=public_filters.search_filters(filters),
            limit=MAX_LIMIT,
            explained=False,
        )
        ranked = [h.person.pk for h in hits]
        rows = persons.filter(pk__in=ranked)
        # The hits are at most MAX_LIMIT, under FACET_CAP: counted, with their keys.
        counted = public_filters.count(rows)
        keep = counted.ids if counted.total is not None else set(rows.values_list("pk", flat=True))
        ranked = [pk for pk in ranked if pk in keep]
        paginator = Paginator(ranked, PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        ids = list(page.object_list)
        pages.number, pages.num_pages = page.number, paginator.num_pages
        if page.has_previous():
            pages.previous_url = "?" + state(page=page.previous_page_number())
        if page.has_next():
            pages.next_url = "?" + state(page=page.next_page_number())
        total: int | None = len(ranked)
    else:
        ids, pages = _keyset_page(request, persons, state)
        if filters or _public_total() <= public_filters.FACET_CAP:
            counted = public_filters.count(persons)
        else:  # the whole database, larger than the cap: its size is known, nothing counted
            counted = public_filters.Counts(None, {})
        total = counted.total if counted.total is not None or filters else _public_total()
    shown = public_cards(ids)
    facets = public_filters.facets(filters, counted)
    chosen = [(f, o, "?" + state(**{f.key: None})) for f, o in public_filters.chosen(facets)]
    return render(
        request,
        "public/entries.html",
        {
            **page_context(request, lang),
            "q": q,
            "filters": filters,
            "facets": facets,
            "chosen": chosen,
            "counted": counted.total is not None,
            "total": total,
            "over_cap": public_filters.FACET_CAP,
            "pages": pages,
            "entries": shown,
            "places": _places_of(e.hometown_id for e in shown),
            "clear_url": "?" + public_filters.query_string(q, {}),
        },
    )


def _places_of(ids: Iterable[Any]) -> dict[Any, Place | None]:
    """The places a page names, read in one query (the `place_name` tag's table)."""
    wanted = {pk for pk in ids if pk is not None}
    found: dict[Any, Place | None] = {p.pk: p for p in Place.objects.filter(pk__in=wanted)}
    return {pk: found.get(pk) for pk in wanted}


def _public_total() -> int:
    """How many public entries there are, counted at most every OPTIONS_SECONDS."""
    total = cache.get("public:total")
    if total is None:
        total = public_persons().count()
        cache.set("public:total", total, public_filters.OPTIONS_SECONDS)
    return int(total)


def _keyset_page(
    request: HttpRequest, persons: QuerySet[Person], state: Callable[..., str]
) -> tuple[list[Any], Pages]:
    """One page of the whole (filtered) list, newest first, by entry number."""
    before = _int_param(request.GET, "before")
    after = _int_param(request.GET, "after")
    pages = Pages()
    rows = persons.order_by("-entry_no").values_list("pk", "entry_no")
    if after is not None:
        found = list(
            persons.filter(entry_no__gt=after)
            .order_by("entry_no")
            .values_list("pk", "entry_no")[: PER_PAGE + 1]
        )
        newer = len(found) > PER_PAGE
        found = list(reversed(found[:PER_PAGE]))
        older = bool(found) and persons.filter(entry_no__lt=found[-1][1]).exists()
    else:
        if before is not None:
            rows = rows.filter(entry_no__lt=before)
        found = list(rows[: PER_PAGE + 1])
        older = len(found) > PER_PAGE
        found = found[:PER_PAGE]
        newer = (
            before is not None and bool(found) and persons.filter(entry_no__gt=found[0][1]).exists()
        )
    if found and newer:
        pages.previous_url = "?" + state(after=found[0][1])
    if found and older:
        pages.next_url = "?" + state(before=found[-1][1])
    if before is not None or after is not None:
        pages.first_url = "?" + state()
    return [pk for pk, _no in found], pages


@public_page
def entries_block(
    request: HttpRequest,
    lang: PublicLanguage,
    *,
    shown: list[PublicEntry] | list[PublicCard],
    pages: Pages,
    numbered: tuple[int, int],
) -> HttpResponse:
    """A page of the entries list as the static edition pages it (aigaq/public/static_build.py):
    the public entries whose numbers lie in one fixed block (`numbered`: its first and last
    number), newest first, under "Entries numbered A to B". Nothing on it depends on the rest of the database (no total, no
    filters: a folder cannot filter), so a change elsewhere leaves the page as it is. The
    entries are those disclosure.public returned to the build; the same template as the
    live list."""
    return render(
        request,
        "public/entries.html",
        {
            **page_context(request, lang),
            "q": "",
            "filters": {},
            "facets": [],
            "chosen": [],
            "counted": False,
            "total": len(shown),
            "over_cap": public_filters.FACET_CAP,
            "pages": pages,
            "entries": shown,
            "places": None,
            "clear_url": "?",
            "numbered": numbered,
        },
    )


#: A sentence for each evidence grade: what it means for a reader.
GRADE_MEANINGS: dict[str, Any] = {
    EvidenceGrade.REPORTED: gettext_lazy(
        "Reported: one account, from a relative or a published source, not yet checked "
        "against another."
    ),
    EvidenceGrade.PARTLY_VERIFIED: gettext_lazy(
        "Partly verified: some of the account was checked against other testimonies or documents."
    ),
    EvidenceGrade.CORROBORATED: gettext_lazy(
        "Corroborated: independent testimonies or sources agree on the main facts."
    ),
    EvidenceGrade.DOCUMENTED: gettext_lazy(
        "Documented by official papers: official documents, such as a court verdict or a "
        "notice, confirm the main facts."
    ),
}


def names_for(entry: PublicEntry, lang: PublicLanguage) -> list[PublicName]:
    """The entry's public name forms, those in the visitor's script first (Cyrillic for
    Kazakh and Russian readers, Arabic script for Arabic readers...), each group in its
    recorded order."""
    return sorted(entry.names, key=lambda n: n.script != lang.script)


#: The static edition renders each entry's page in eight languages in a row: it puts the
#: PublicEntry it has just read from disclosure.public here, so the view does not read the
#: same answer eight times (aigaq/public/static_build.py). Empty on the live site.
prebuilt_entries: ContextVar[dict[int, Any] | None] = ContextVar("prebuilt_entries", default=None)


@require_safe
@public_page
def entry(request: HttpRequest, lang: PublicLanguage, number: int) -> HttpResponse:
    known = prebuilt_entries.get()
    shown = known[number] if known and number in known else public_entry(number)
    if shown is None:
        target = retired_number_target(number)
        if target is not None:
            return HttpResponseRedirect(reverse("public:entry", args=[lang.code, target]))
        raise Http404
    names = names_for(shown, lang)
    title = names[0].full_name if names and not shown.anonymous else shown.name
    others = [n for n in names if n.full_name != title]
    return render(
        request,
        "public/entry.html",
        {
            **page_context(request, lang),
            "e": shown,
            "title": title,
            "other_names": others,
            "grade_meaning": GRADE_MEANINGS.get(shown.evidence_grade, ""),
            "tracks": subtitle_tracks(shown, lang.code),
            "places": None
            if prebuilt_entries.get()
            else _places_of([shown.hometown_id, *(ev.place_id for ev in shown.events)]),
        },
    )


def client_address(request: HttpRequest) -> str:
    """The visitor's address, as the sign-in throttle reads it (django-axes' reading, which
    follows the deployment's proxy settings)."""
    return str(get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "")


@public_page
def correction(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    """The public's correction and submission form (stored for curators, never published)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    status = 200
    refused = ""
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_robot:
            # A robot filled the hidden field: it is told it succeeded, and nothing is kept.
            return redirect("public:correction_thanks", lang=lang.code)
        if form.is_valid():
            try:
                submission_create(
                    entry_no=form.cleaned_data["entry"],
                    message=form.cleaned_data["message"],
                    contact=form.cleaned_data["contact"],
                    language=lang.code,
                    address=client_address(request),
                )
            except RateLimited:
                status = 429
                refused = _(
                    "Several messages were sent from your connection in the last hour. Please "
                    "try again later."
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            else:
                return redirect("public:correction_thanks", lang=lang.code)
        else:
            status = 400
        data = request.POST.copy()
        data["token"] = form_token()
        form.data = data
    else:
        entry_no = _int_param(request.GET, "entry")
        initial: dict[str, Any] = {"token": form_token()}
        if entry_no and public_persons().filter(entry_no=entry_no).exists():
            initial["entry"] = entry_no
        form = CorrectionForm(initial=initial)
    about = None
    value = form["entry"].value()
    if value and str(value).isdigit():
        about = public_entry(int(value))
    return render(
        request,
        "public/correction.html",
        {**page_context(request, lang), "form": form, "about": about, "refused": refused},
        status=status,
    )


@require_safe
@public_page
def correction_thanks(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    return render(request, "public/correction_thanks.html", page_context(request, lang))
