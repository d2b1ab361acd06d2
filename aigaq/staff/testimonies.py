"""Testimony pages: list, page, create/edit, consent withdrawal, contact details, pickers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.core import audit
from aigaq.core.forms import LengthLimits
from aigaq.core.locking import EditConflict
from aigaq.disclosure.policy import testimonies_naming_testifier
from aigaq.disclosure.selectors import persons_for, testimonies_for
from aigaq.media.services import MediaTooLarge, media_ingest
from aigaq.people.services import NameInput, person_create
from aigaq.staff import selectors as staff_selectors
from aigaq.staff.access import cap_required, suggest_term
from aigaq.staff.forms import (
    BLANK,
    RelationFormSet,
    TestimonyForm,
    WithdrawConsentForm,
    apply_error,
)
from aigaq.testimonies import selectors
from aigaq.testimonies.models import Testimony
from aigaq.testimonies.services import (
    RelationInput,
    consent_withdraw,
    testifier_create,
    testimony_attach_media,
    testimony_create,
    testimony_link_person,
    testimony_update,
)

PER_PAGE = 50


class TestimonyFilterForm(LengthLimits, forms.Form):
    q = forms.CharField(label=gettext_lazy("Testifier or number"), required=False, max_length=200)
    location = forms.ChoiceField(
        label=gettext_lazy("Recorded at"),
        choices=BLANK + Testimony.Location.choices,
        required=False,
    )
    consent = forms.ChoiceField(
        label=gettext_lazy("Consent"),
        required=False,
        choices=BLANK
        + [("in_force", gettext_lazy("in force")), ("withdrawn", gettext_lazy("withdrawn"))],
    )


def listed(user: Any, filters: dict[str, Any]) -> QuerySet[Testimony]:
    """The testimonies `user` may see that match the list's `filters`: what the testimonies
    list and its export (aigaq/staff/exports.py) both show."""
    visible = testimonies_for(user)
    number = selectors.parse_testimony_number(filters.get("q") or "")
    if number is not None:  # "T12" or "12": that testimony, when the reader may see it
        filters = {**filters, "q": "", "number": number}
    elif filters.get("q"):  # a name is looked for only among those the reader may read (no oracle)
        visible = testimonies_naming_testifier(user, visible)
    return selectors.testimony_list(visible=visible, filters=filters)


@cap_required("testimony.view")
def testimony_list(request: HttpRequest) -> HttpResponse:
    form = TestimonyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = listed(request.user, filters)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request, "staff/testimony_list.html", {"form": form, "page": page, "keep": keep.urlencode()}
    )


def _visible_testimony(request: HttpRequest, number: int) -> Testimony:
    testimony = selectors.testimony_for_page(visible=testimonies_for(request.user), number=number)
    if testimony is None:
        raise Http404(_("No such testimony."))
    return testimony


@cap_required("testimony.view")
def testimony_detail(request: HttpRequest, number: int) -> HttpResponse:
    testimony = _visible_testimony(request, number)
    return render(
        request,
        "staff/testimony_detail.html",
        staff_selectors.testimony_page_data(user=request.user, testimony=testimony),
    )


@cap_required("restricted.read")
def testifier_contact(request: HttpRequest, number: int) -> HttpResponse:
    """The testifier's phone (restricted): shown on request, and every showing is audited."""
    testimony = _visible_testimony(request, number)
    if request.method != "POST":
        return redirect("staff:testimony_detail", number=number)
    testifier = testimony.testifier
    if testifier.phone:
        audit.record_read(actor=request.user, obj=testifier, fields=["phone"])
    if getattr(request, "htmx", False):
        return render(request, "staff/_restricted_value.html", {"value": testifier.phone})
    context = staff_selectors.testimony_page_data(user=request.user, testimony=testimony)
    context["revealed"] = True
    return render(request, "staff/testimony_detail.html", context)


def _relations(request: HttpRequest, data: Any) -> Any:
    formset_class: Any = RelationFormSet  # the stubs do not know the extra keyword
    return formset_class(data, prefix="relations", person_queryset=persons_for(request.user))


def _relation_inputs(request: HttpRequest, relations: Any) -> list[RelationInput]:
    """Persons named in the form; new persons are created here (inside the caller's
    transaction, so a later error leaves no orphan entry)."""
    out = []
    for form in relations.forms:
        d = form.cleaned_data or {}
        if form.is_blank:
            continue
        person = d.get("person")
        if person is None:
            person = person_create(actor=request.user, names=[NameInput(d["new_name"])])
        out.append(RelationInput(person=person, relationship=d["relationship"]))
    return out


def _too_large(request: HttpRequest, form: TestimonyForm) -> bool:
    if getattr(request, "upload_too_large", False):
        form.add_error(
            "media_file",
            _("The file is too large (the limit is %(mb)s MB). Nothing was saved.")
            % {"mb": _limit_mb()},
        )
        return True
    return False


def _limit_mb() -> int:
    from django.conf import settings

    return max(1, int(settings.AIGAQ_MAX_UPLOAD_BYTES) // (1024 * 1024))


def _attach_upload(request: HttpRequest, form: TestimonyForm, testimony: Testimony) -> None:
    upload = form.cleaned_data.get("media_file")
    if not upload:
        return
    try:
        media = media_ingest(
            actor=request.user,
            fileobj=upload,
            original_name=upload.name,
            kind=form.cleaned_data["media_kind"],
        )
    except MediaTooLarge:
        raise ValidationError(
            {
                "media_file": _(
                    "The file is too large (the limit is %(mb)s MB). Nothing was saved."
                )
                % {"mb": _limit_mb()}
            }
        ) from None
    testimony_attach_media(
        actor=request.user, testimony=testimony, media=media, kind=form.cleaned_data["media_kind"]
    )


_FIELDS = (
    "recorded_on",
    "location",
    "place",
    "interviewer",
    "language",
    "summary",
    "visibility",
    "consent_public",
    "consent_press",
    "consent_petitions",
    "consent_anonymous",
    "published_urls",
)


@cap_required("testimony.edit")
def testimony_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = {"interviewer": request.user.pk, "recorded_on": _today()}
    form = TestimonyForm(data, request.FILES or None, user=request.user, initial=initial)
    relations = _relations(request, data)
    if (
        data is not None
        and not _too_large(request, form)
        and form.is_valid()
        and relations.is_valid()
    ):
        d = form.cleaned_data
        try:
            with transaction.atomic():
                testifier = d["testifier"] or testifier_create(
                    actor=request.user,
                    full_name=d["testifier_name"],
                    phone=d["testifier_phone"].strip(),
                    citizenship=d["testifier_citizenship"].strip(),
                )
                testimony = testimony_create(
                    actor=request.user,
                    testifier=testifier,
                    relations=_relation_inputs(request, relations),
                    **{k: d[k] for k in _FIELDS},
                )
                _attach_upload(request, form, testimony)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Testimony saved."))
            return redirect("staff:testimony_detail", number=testimony.number)
    return render(
        request,
        "staff/testimony_form.html",
        {"form": form, "relations": relations, "testimony": None},
        status=400 if data is not None else 200,
    )


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@cap_required("testimony.edit")
def testimony_edit(request: HttpRequest, number: int) -> HttpResponse:
    testimony = _visible_testimony(request, number)
    context: dict[str, Any] = {
        "testimony": testimony,
        "linked": list(testimony.relations.select_related("person")),
    }
    if request.method != "POST":
        initial = {k: getattr(testimony, k) for k in _FIELDS}
        initial["published_urls"] = "\n".join(testimony.published_urls or [])
        initial["version"] = testimony.version
        context["form"] = TestimonyForm(
            initial=initial,
            user=request.user,
            editing=True,
            current_visibility=testimony.visibility,
        )
        context["relations"] = _relations(request, None)
        return render(request, "staff/testimony_form.html", context)

    form = TestimonyForm(
        request.POST,
        request.FILES or None,
        user=request.user,
        editing=True,
        current_visibility=testimony.visibility,
    )
    relations = _relations(request, request.POST)
    if not _too_large(request, form) and form.is_valid() and relations.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                updated = testimony_update(
                    actor=request.user,
                    testimony=testimony,
                    expected_version=d["version"],
                    **{k: d[k] for k in _FIELDS},
                )
                for rel in _relation_inputs(request, relations):
                    testimony_link_person(actor=request.user, testimony=updated, relation=rel)
                _attach_upload(request, form, updated)
        except EditConflict as exc:
            form.add_error(
                None,
                _(
                    "Someone else saved this testimony (now version %(v)s) while you were "
                    "editing. Nothing of yours was saved: reload the page to see their version."
                )
                % {"v": exc.current.version},
            )
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Testimony saved."))
            return redirect("staff:testimony_detail", number=testimony.number)
    context.update(form=form, relations=relations)
    return render(request, "staff/testimony_form.html", context, status=400)


@cap_required("consent.change")
def testimony_withdraw(request: HttpRequest, number: int) -> HttpResponse:
    testimony = _visible_testimony(request, number)
    form = WithdrawConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        consent_withdraw(
            actor=request.user, testimony=testimony, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("Consent withdrawn. This testimony can no longer be published or used anywhere."),
        )
        return redirect("staff:testimony_detail", number=testimony.number)
    return render(
        request,
        "staff/testimony_withdraw.html",
        {"testimony": testimony, "form": form},
        status=400 if form.is_bound else 200,
    )


@cap_required("testimony.edit")
def testifier_suggest(request: HttpRequest) -> HttpResponse:
    people = selectors.testifier_suggest(query=suggest_term(request))
    options = [{"value": t.pk, "label": t.full_name, "hint": t.citizenship} for t in people]
    return render(request, "staff/_picker_results.html", {"options": options})
