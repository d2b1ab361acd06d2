"""Person pages: list, page, create/edit, status events, restricted fields, place picker."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.core import audit
from aigaq.core.forms import LengthLimits
from aigaq.core.locking import EditConflict
from aigaq.core.models import Visibility
from aigaq.core.permissions import has_cap
from aigaq.disclosure.policy import MediaUse
from aigaq.people import selectors
from aigaq.people.models import (
    Ethnicity,
    EvidenceGrade,
    Gender,
    Person,
    PersonName,
    Place,
    StatusKind,
)
from aigaq.people.services import (
    NameInput,
    person_create,
    person_set_photo,
    person_set_visibility,
    person_update,
    status_event_add,
    tag_get_or_create,
)
from aigaq.search import selectors as search_selectors
from aigaq.staff import selectors as page_selectors
from aigaq.staff.access import cap_required, suggest_term
from aigaq.staff.forms import (
    BLANK,
    BaseNameFormSet,
    NameForm,
    PersonForm,
    PlaceField,
    StatusEventForm,
    apply_error,
)
from aigaq.staff.media import media_response

PER_PAGE = 50
NEW_NAME_ROWS = 3

CreateNameFormSet = forms.formset_factory(
    NameForm, formset=BaseNameFormSet, extra=NEW_NAME_ROWS, max_num=30
)
EditNameFormSet = forms.formset_factory(NameForm, formset=BaseNameFormSet, extra=1, max_num=30)


class PersonFilterForm(LengthLimits, forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or entry number"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=gettext_lazy("Current status"), choices=BLANK + StatusKind.choices, required=False
    )
    ethnicity = forms.ChoiceField(
        label=gettext_lazy("Ethnicity"), choices=BLANK + Ethnicity.choices, required=False
    )
    place = PlaceField(label=gettext_lazy("Hometown (and places inside it)"))
    tag = forms.ChoiceField(label=gettext_lazy("Tag"), required=False)
    grade = forms.ChoiceField(
        label=gettext_lazy("Evidence grade"), choices=BLANK + EvidenceGrade.choices, required=False
    )
    # The birth year a testimony gives is what tells namesakes apart: a person born
    # "1970-1975" is kept by any range that overlaps it.
    born_from = forms.IntegerField(
        label=gettext_lazy("Born from (year)"), required=False, min_value=1900, max_value=2030
    )
    born_to = forms.IntegerField(
        label=gettext_lazy("Born to (year)"), required=False, min_value=1900, max_value=2030
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag: Any = self.fields["tag"]
        tag.choices = BLANK + [(t.slug, t.label) for t in selectors.tags_in_use()]
        for name in ("born_from", "born_to"):
            self.fields[name].widget.attrs.update(inputmode="numeric", placeholder="1975")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("born_from"), data.get("born_to")
        if low is not None and high is not None and low > high:
            self.add_error("born_to", _("The last birth year is before the first."))
        return data


@cap_required("person.view")
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    query, filters = "", {}
    if form.is_bound and not form.is_valid():
        # A filter that cannot be read (a year in letters, a range the wrong way round):
        # the errors, and no list that would seem to obey it.
        return render(
            request,
            "staff/person_list.html",
            {"form": form, "page": None, "keep": "", "query": ""},
            status=400,
        )
    if form.is_bound:
        query = form.cleaned_data["q"]
        filters = {k: v for k, v in form.cleaned_data.items() if k != "q" and v}
    found = search_selectors.person_search_ranked(user=request.user, query=query, filters=filters)
    page = Paginator(found.persons, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(person, found.hits.get(person.pk)) for person in page.object_list]
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "staff/person_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "keep": keep.urlencode(),
            "query": query,
            "equal_best": found.equal_best,
            "at_limit": found.at_limit,
            "narrowed_by_year": bool(filters.get("born_from") or filters.get("born_to")),
        },
    )


def _visible_person(request: HttpRequest, entry_no: int) -> Person:
    person, survivor = page_selectors.person_by_entry_no(user=request.user, entry_no=entry_no)
    if person is None or survivor is not None:
        raise Http404(_("No such entry."))
    return person


@cap_required("person.view")
def person_detail(request: HttpRequest, entry_no: int) -> HttpResponse:
    person, survivor = page_selectors.person_by_entry_no(user=request.user, entry_no=entry_no)
    if person is None:
        raise Http404(_("No such entry."))
    if survivor is not None:
        messages.info(
            request,
            _("Entry #%(old)s was merged into this entry.") % {"old": person.entry_no},
        )
        return redirect("staff:person_detail", entry_no=survivor.entry_no)
    return _render_person(request, person)


def _render_person(
    request: HttpRequest,
    person: Person,
    event_form: StatusEventForm | None = None,
    revealed: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = page_selectors.person_page_data(user=request.user, person=person)
    if event_form is None and has_cap(request.user, "person.edit"):
        event_form = StatusEventForm(person=person)
    context.update(event_form=event_form, revealed=revealed)
    return render(request, "staff/person_detail.html", context, status=status)


@cap_required("restricted.read")
def person_reveal(request: HttpRequest, entry_no: int) -> HttpResponse:
    """Show the restricted fields (the Chinese ID number); every showing is audited.
    POST only, so no link preview or prefetch can read restricted data."""
    person = _visible_person(request, entry_no)
    if request.method != "POST":
        return redirect("staff:person_detail", entry_no=entry_no)
    if person.chinese_id:
        audit.record_read(
            actor=request.user, obj=person, fields=["chinese_id"], person_id=person.pk
        )
    if getattr(request, "htmx", False):
        return render(request, "staff/_restricted_value.html", {"value": person.chinese_id})
    return _render_person(request, person, revealed=True)


@cap_required("person.view")
def person_photo(request: HttpRequest, entry_no: int) -> Any:
    """GET: the person's photo, to whoever may see the person and, when the file is
    restricted in any of its uses (the same bytes as an ID card), may read restricted fields
    (audited). POST: upload a new one."""
    person = _visible_person(request, entry_no)
    if request.method == "POST":
        if not has_cap(request.user, "person.edit"):
            raise PermissionDenied
        upload = request.FILES.get("photo")
        if getattr(request, "upload_too_large", False) or upload is None:
            messages.error(request, _("Choose a photo file (JPEG, PNG or WebP, at most 15 MB)."))
            return redirect("staff:person_detail", entry_no=entry_no)
        try:
            person_set_photo(
                actor=request.user, person=person, fileobj=upload, name=upload.name or "photo"
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Photo saved."))
        return redirect("staff:person_detail", entry_no=entry_no)
    if person.photo is None:
        raise Http404(_("No photo."))
    return media_response(
        request, person.photo, use=MediaUse.PHOTO, record=person, person_id=person.pk
    )


@cap_required("person.edit")
def status_add(request: HttpRequest, entry_no: int) -> HttpResponse:
    person = _visible_person(request, entry_no)
    if request.method != "POST":
        return redirect(reverse("staff:person_detail", args=[entry_no]) + "#add-status")
    form = StatusEventForm(request.POST, person=person)
    if form.is_valid():
        try:
            status_event_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Status added to the timeline."))
            return redirect(reverse("staff:person_detail", args=[entry_no]) + "#timeline")
    return _render_person(request, person, event_form=form, status=400)


def _names_from(formset: Any) -> list[NameInput]:
    return [
        NameInput(f.cleaned_data["full_name"], f.cleaned_data.get("kind") or "official")
        for f in formset.forms
        if (f.cleaned_data or {}).get("full_name")
    ]


def _person_fields(form: PersonForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data.pop("visibility", None)
    data["tags"] = [tag_get_or_create(label) for label in data["tags"]]
    return data


def _apply_visibility(request: HttpRequest, person: Person, visibility: str) -> Person:
    if person.visibility != visibility:
        person = person_set_visibility(actor=request.user, person=person, visibility=visibility)
    return person


def _render_form(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    names = context["names"]
    if names.forms:  # keyboard first: the cursor starts in the first name
        names.forms[0].fields["full_name"].widget.attrs["autofocus"] = True
    return render(request, "staff/person_form.html", context, status=status)


@cap_required("person.edit")
def person_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, user=request.user)
    names = CreateNameFormSet(data, prefix="names")
    if data is not None and form.is_valid() and names.is_valid():
        try:
            with transaction.atomic():
                fields = _person_fields(form)
                wanted = form.cleaned_data["visibility"]
                first = Visibility.INTERNAL if wanted == Visibility.PUBLIC else wanted
                person = person_create(
                    actor=request.user, names=_names_from(names), visibility=first, **fields
                )
                person = _apply_visibility(request, person, wanted)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Entry #%(n)s saved.") % {"n": person.entry_no})
            return redirect("staff:person_detail", entry_no=person.entry_no)
    return _render_form(
        request,
        {"form": form, "names": names, "person": None},
        status=400 if data is not None else 200,
    )


def _initial_for(person: Person, user: Any) -> dict[str, Any]:
    initial = {
        "version": person.version,
        "gender": person.gender,
        "birth_year": person.birth_year,
        "birth_year_max": person.birth_year_max,
        "ethnicity": person.ethnicity,
        "citizenships": ", ".join(person.citizenships or []),
        "hometown": person.hometown_id,
        "occupation": person.occupation,
        "tags": ", ".join(t.label for t in person.tags.all()),
        "evidence_grade": person.evidence_grade,
        "biography": person.biography,
        "visibility": person.visibility,
    }
    if has_cap(user, "restricted.read"):
        initial["chinese_id"] = person.chinese_id
    return initial


@cap_required("person.edit")
def person_edit(request: HttpRequest, entry_no: int) -> HttpResponse:
    person = _visible_person(request, entry_no)
    if request.method != "POST":
        if person.chinese_id and has_cap(request.user, "restricted.read"):
            # The edit form shows the ID number: that is a read of restricted data.
            audit.record_read(
                actor=request.user, obj=person, fields=["chinese_id"], person_id=person.pk
            )
        form = PersonForm(
            initial=_initial_for(person, request.user),
            user=request.user,
            current_visibility=person.visibility,
        )
        names = EditNameFormSet(
            prefix="names",
            initial=[{"full_name": n.full_name, "kind": n.kind} for n in person.names.all()],
        )
        return _render_form(request, {"form": form, "names": names, "person": person})

    form = PersonForm(request.POST, user=request.user, current_visibility=person.visibility)
    names = EditNameFormSet(request.POST, prefix="names")
    conflict = None
    if form.is_valid() and names.is_valid():
        try:
            with transaction.atomic():
                fields = _person_fields(form)
                updated = person_update(
                    actor=request.user,
                    person=person,
                    expected_version=form.cleaned_data["version"],
                    names=_names_from(names),
                    **fields,
                )
                _apply_visibility(request, updated, form.cleaned_data["visibility"])
        except EditConflict as exc:
            conflict = _conflict_rows(form, names, exc.current)
            # Carry the saved version so that pressing Save again re-applies "yours".
            data = request.POST.copy()
            data["version"] = str(exc.current.version)
            form = PersonForm(data, user=request.user, current_visibility=person.visibility)
            names = EditNameFormSet(data, prefix="names")
            form.is_valid()
            names.is_valid()
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Entry #%(n)s saved.") % {"n": person.entry_no})
            return redirect("staff:person_detail", entry_no=person.entry_no)
    return _render_form(
        request,
        {"form": form, "names": names, "person": person, "conflict": conflict},
        status=409 if conflict else 400,
    )


def _conflict_rows(form: PersonForm, names: Any, saved: Person) -> list[dict[str, Any]]:
    """Field by field: what this user typed and what is saved now."""
    mine = form.cleaned_data
    choices = {
        "gender": dict(Gender.choices),
        "ethnicity": dict(Ethnicity.choices),
        "evidence_grade": dict(EvidenceGrade.choices),
        "visibility": dict(Visibility.choices),
        "kind": dict(PersonName.Kind.choices),
    }

    def label(field: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        return str(choices.get(field, {}).get(value, value))

    saved_names = "\n".join(f"{n.full_name} ({label('kind', n.kind)})" for n in saved.names.all())
    my_names = "\n".join(f"{n.full_name} ({label('kind', n.kind)})" for n in _names_from(names))
    rows: list[dict[str, Any]] = [{"label": _("Names"), "mine": my_names, "saved": saved_names}]
    hometown = saved.hometown_id and Place.objects.filter(pk=saved.hometown_id).first()
    pairs: list[tuple[str, Any, Any]] = [
        ("gender", mine.get("gender"), saved.gender),
        ("birth_year", mine.get("birth_year"), saved.birth_year),
        ("birth_year_max", mine.get("birth_year_max"), saved.birth_year_max),
        ("ethnicity", mine.get("ethnicity"), saved.ethnicity),
        ("citizenships", ", ".join(mine.get("citizenships") or []), ", ".join(saved.citizenships)),
        ("hometown", mine.get("hometown"), hometown or None),
        ("occupation", mine.get("occupation"), saved.occupation),
        ("tags", ", ".join(mine.get("tags") or []), ", ".join(t.label for t in saved.tags.all())),
        ("evidence_grade", mine.get("evidence_grade"), saved.evidence_grade),
        ("biography", mine.get("biography"), saved.biography),
        ("visibility", mine.get("visibility"), saved.visibility),
    ]
    if "chinese_id" in form.fields:
        masked = _("(restricted; the two differ)")
        same = (mine.get("chinese_id") or "") == (saved.chinese_id or "")
        pairs.append(("chinese_id", "" if same else masked, "" if same else masked))
    for field, my_value, saved_value in pairs:
        rows.append(
            {
                "label": form.fields[field].label,
                "mine": label(field, my_value),
                "saved": label(field, saved_value),
            }
        )
    for row in rows:
        row["differs"] = row["mine"] != row["saved"]
    return rows


@cap_required("person.view")
def place_suggest(request: HttpRequest) -> HttpResponse:
    places = selectors.place_suggest(query=suggest_term(request))
    options = [
        {
            "value": p.pk,
            "label": str(p),
            "hint": str(p.parent) if p.parent else p.get_kind_display(),
        }
        for p in places
    ]
    return render(request, "staff/_picker_results.html", {"options": options})


@cap_required("person.view")
def person_suggest(request: HttpRequest) -> HttpResponse:
    term = suggest_term(request)
    persons = search_selectors.person_search(user=request.user, query=term)[:10] if term else []
    options = [
        {"value": p.pk, "label": str(p), "hint": str(p.hometown) if p.hometown else ""}
        for p in persons
    ]
    return render(request, "staff/_picker_results.html", {"options": options})
