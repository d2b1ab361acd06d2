"""Person pages: list, page, create/edit, status events, restricted fields, place picker."""

from __future__ import annotations

import uuid
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
from aigaq.dedup import selectors as dedup_selectors
from aigaq.disclosure.policy import MediaUse, testimony_visible_to
from aigaq.media.uploads import upload_limit
from aigaq.people import selectors
from aigaq.people import services as people_services
from aigaq.people.models import (
    Ethnicity,
    EvidenceGrade,
    Gender,
    Person,
    PersonName,
    Place,
    StatusEvent,
    StatusKind,
)
from aigaq.people.services import (
    NameInput,
    person_create,
    person_set_photo,
    person_set_visibility,
    person_update,
    status_event_add,
    status_event_remove,
    status_event_update,
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
    StatusRemoveForm,
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


def list_query(form: PersonFilterForm) -> tuple[str, dict[str, Any]]:
    """The name query and the filters of a checked (or unbound) filter form: what the persons
    list and its export (aigaq/staff/exports.py) both search."""
    if not form.is_bound:
        return "", {}
    query = form.cleaned_data["q"]
    return query, {k: v for k, v in form.cleaned_data.items() if k != "q" and v}


@cap_required("person.view")
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # A filter that cannot be read (a year in letters, a range the wrong way round):
        # the errors, and no list that would seem to obey it.
        return render(
            request,
            "staff/person_list.html",
            {"form": form, "page": None, "keep": "", "query": ""},
            status=400,
        )
    query, filters = list_query(form)
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
    event_form_open: bool = False,
) -> HttpResponse:
    context = page_selectors.person_page_data(user=request.user, person=person)
    if event_form is None and has_cap(request.user, "person.edit"):
        event_form = StatusEventForm(person=person, user=request.user)
    context.update(
        event_form=event_form,
        event_form_open=event_form_open or bool(event_form is not None and event_form.errors),
        revealed=revealed,
    )
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


def _photo_person(request: HttpRequest, entry_no: int) -> Person:
    if request.method == "POST":
        return _visible_person(request, entry_no)
    person, _survivor = page_selectors.person_by_entry_no(user=request.user, entry_no=entry_no)
    if person is None:
        raise Http404(_("No such entry."))
    return person


@upload_limit(lambda: people_services.MAX_PHOTO_BYTES)
@cap_required("person.view")
def person_photo(request: HttpRequest, entry_no: int) -> Any:
    """GET: the person's photo, to whoever may see the person and, when the file is
    restricted in any of its uses (the same bytes as an ID card), may read restricted fields
    (audited); a merged-away entry's photo too, which its survivor's page shows among what
    the merge brought. POST: upload a new one (never to a merged-away entry)."""
    person = _photo_person(request, entry_no)
    if request.method == "POST":
        if not has_cap(request.user, "person.edit"):
            raise PermissionDenied
        upload = request.FILES.get("photo")  # reads the body: sets upload_too_large
        if getattr(request, "upload_too_large", False):
            messages.error(
                request,
                _("The photo is larger than %(mb)s MB. Nothing was saved.")
                % {"mb": people_services.MAX_PHOTO_BYTES // (1024 * 1024)},
            )
            return redirect("staff:person_detail", entry_no=entry_no)
        if upload is None:
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


def _event_values(form: StatusEventForm) -> dict[str, Any]:
    """What the status form gives the services (the form's own bookkeeping left out)."""
    data = dict(form.cleaned_data)
    for key in ("version", "reason"):
        data.pop(key, None)
    return data


@cap_required("person.edit")
def status_add(request: HttpRequest, entry_no: int) -> HttpResponse:
    """POST: add a report to the timeline. GET (the link beside each person a testimony
    names): the person page with the form open and that testimony cited."""
    person = _visible_person(request, entry_no)
    if request.method != "POST":
        initial: dict[str, Any] = {}
        form = StatusEventForm(person=person, user=request.user)
        cited = request.GET.get("testimony") or ""
        testimonies: Any = form.fields["testimony"]
        if cited and testimonies.queryset.filter(pk__in=_uuids(cited)).exists():
            initial["testimony"] = cited
        form = StatusEventForm(person=person, user=request.user, initial=initial)
        return _render_person(request, person, event_form=form, event_form_open=True)
    form = StatusEventForm(request.POST, person=person, user=request.user)
    if form.is_valid():
        try:
            status_event_add(actor=request.user, person=person, **_event_values(form))
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Status added to the timeline."))
            return redirect(reverse("staff:person_detail", args=[entry_no]) + "#timeline")
    return _render_person(request, person, event_form=form, status=400)


def _uuids(value: str) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(value)]
    except ValueError:
        return []


def _event_of(person: Person, pk: Any) -> StatusEvent:
    event = (
        StatusEvent.objects.filter(person=person, pk=pk)
        .select_related("testimony", "source", "place")
        .first()
    )
    if event is None:
        raise Http404(_("No such status event."))
    return event


def _event_initial(event: StatusEvent) -> dict[str, Any]:
    return {
        "version": event.version,
        "kind": event.kind,
        "date_text": event.date_text,
        "date_unknown": not event.date_text,
        "place": event.place_id,
        "facility": event.facility,
        "sentence": event.sentence,
        "report": event.report,
        "testimony": event.testimony_id,
        "source": event.source_id,
        "source_text": event.source_text,
        "note": event.note,
    }


@cap_required("person.edit")
def status_edit(request: HttpRequest, entry_no: int, pk: uuid.UUID) -> HttpResponse:
    """Correct a report on the timeline, with a reason (kept in the history)."""
    person = _visible_person(request, entry_no)
    event = _event_of(person, pk)
    # A testimony this reader may not see stays cited, untouched and unnamed.
    hidden = event.testimony is not None and not testimony_visible_to(request.user, event.testimony)
    kwargs: dict[str, Any] = {
        "person": person,
        "user": request.user,
        "editing": True,
        "keep_testimony": hidden,
    }
    conflict = False
    if request.method == "POST":
        form = StatusEventForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                status_event_update(
                    actor=request.user,
                    event=event,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                    **_event_values(form),
                )
            except EditConflict:
                conflict = True
                form.add_error(
                    None,
                    _(
                        "Someone else changed this event while you were editing it. "
                        "The timeline shows it as saved now; open it again to correct it."
                    ),
                )
            except ValidationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Status event corrected."))
                return redirect(reverse("staff:person_detail", args=[entry_no]) + "#timeline")
    else:
        form = StatusEventForm(initial=_event_initial(event), **kwargs)
    return render(
        request,
        "staff/status_event_form.html",
        {"person": person, "event": event, "form": form, "hidden_testimony": hidden},
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@cap_required("person.edit")
def status_remove(request: HttpRequest, entry_no: int, pk: uuid.UUID) -> HttpResponse:
    """Take a report off the timeline, with a reason; the history keeps what it said."""
    person = _visible_person(request, entry_no)
    event = _event_of(person, pk)
    form = StatusRemoveForm(request.POST or None, initial={"version": event.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                status_event_remove(
                    actor=request.user,
                    event=event,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except EditConflict:
                status = 409
                form.add_error(
                    None,
                    _(
                        "Someone else changed this event in the meantime. Look at it again "
                        "before you remove it."
                    ),
                )
            except ValidationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Status event removed from the timeline."))
                return redirect(reverse("staff:person_detail", args=[entry_no]) + "#timeline")
    return render(
        request,
        "staff/status_event_remove.html",
        {"person": person, "event": event, "form": form},
        status=status,
    )


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


def _look_alikes(request: HttpRequest, form: PersonForm, names: Any) -> list[Any]:
    """Entries the user may see that look like the one typed in the form (its valid fields
    only): the same candidates the duplicates queue would get once it is saved."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    typed = [
        f.cleaned_data["full_name"]
        for f in names.forms
        if (getattr(f, "cleaned_data", None) or {}).get("full_name")
    ]
    if not typed:
        return []
    hometown = data.get("hometown")
    return dedup_selectors.look_alikes_for(
        user=request.user,
        names=typed,
        gender=data.get("gender") or "unknown",
        birth_year=data.get("birth_year"),
        birth_year_max=data.get("birth_year_max"),
        hometown=hometown.pk if hometown else None,
        chinese_id=data.get("chinese_id") or "",
    )


@cap_required("person.edit")
def person_look_alikes(request: HttpRequest) -> HttpResponse:
    """The new-person form's warning while it is filled in (htmx, on every change): the
    entries it looks like. POST, so the names typed never appear in an address or a log."""
    if request.method != "POST":
        return HttpResponse(status=405)
    form = PersonForm(request.POST, user=request.user)
    names = CreateNameFormSet(request.POST, prefix="names")
    form.is_valid()  # what is valid is used; the errors are the save's to show
    names.is_valid()
    return render(request, "staff/_look_alikes.html", {"twins": _look_alikes(request, form, names)})


@cap_required("person.edit")
def person_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, user=request.user)
    names = CreateNameFormSet(data, prefix="names")
    if data is not None and form.is_valid() and names.is_valid():
        twins = [] if data.get("create_anyway") else _look_alikes(request, form, names)
        if twins:
            # An obvious twin: nothing is saved until the user opens it or says "create anyway".
            return _render_form(
                request,
                {"form": form, "names": names, "person": None, "twins": twins, "confirm": True},
            )
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
