"""Family contacts and the press desk (aigaq/casework): /casework/ (families to call this
week, open press requests), a person's Contacts panel (loaded by htmx from the person page,
a page of its own without JavaScript), a contact's page with its log and the "log a contact"
form, the messages to the family filled from the case (copied, never sent), and the press
desk's requests with their matches and introductions. Contacts: petition.manage; the press
desk: press.manage. A contact's number is shown only on request, to readers of restricted
fields (disclosure decides), and each showing is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.casework import selectors as case_selectors
from aigaq.casework.messaging import (
    LANGUAGES,
    MessageError,
    MessageIncomplete,
    all_messages,
    load_message,
)
from aigaq.casework.models import CaseContact, ContactLog, PressRequest
from aigaq.casework.services import (
    contact_create,
    contact_log_add,
    contact_update,
    introduction_create,
    press_request_close,
    press_request_create,
)
from aigaq.core.forms import LengthLimits
from aigaq.core.locking import EditConflict
from aigaq.core.permissions import has_cap
from aigaq.disclosure.policy import can_read_restricted_fields
from aigaq.disclosure.selectors import testimonies_for
from aigaq.people.models import Person, StatusKind
from aigaq.petitions.registry import FormError, load_form
from aigaq.petitions.selectors import petitions_seen_by
from aigaq.staff import selectors as page_selectors
from aigaq.staff.access import cap_required

CAP = "petition.manage"
PRESS_CAP = "press.manage"
_DATE = forms.DateInput(attrs={"type": "date"})


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _person(request: HttpRequest, entry_no: int) -> Person:
    person, survivor = page_selectors.person_by_entry_no(user=request.user, entry_no=entry_no)
    if person is None or survivor is not None:
        raise Http404(_("No such entry."))
    return person


def _contact(request: HttpRequest, pk: Any) -> CaseContact:
    contact = case_selectors.contact_for(request.user, pk)
    if contact is None:
        raise Http404(_("No such contact."))
    return contact


class ContactForm(LengthLimits, forms.Form):
    testifier = forms.ChoiceField(label=gettext_lazy("Testifier"))
    consent = forms.BooleanField(label=gettext_lazy("Agreed to be contacted"), required=False)
    consent_on = forms.DateField(
        label=gettext_lazy("Agreed on (today if left empty)"), required=False, widget=_DATE
    )
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=CaseContact.Method.choices)
    handle = forms.CharField(label=gettext_lazy("Number or handle"), required=False, max_length=200)
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_contact_due = forms.DateField(
        label=gettext_lazy("Next contact due"), required=False, widget=_DATE
    )

    def __init__(self, *args: Any, testifiers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.testifiers = {str(t.pk): t for t in testifiers}
        field: Any = self.fields["testifier"]
        field.choices = [(k, t.full_name) for k, t in self.testifiers.items()]


class LogForm(LengthLimits, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ContactLog.Kind.choices)
    said = forms.CharField(
        label=gettext_lazy("What was said"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    next_contact_due = forms.DateField(
        label=gettext_lazy("Next contact due"), required=False, widget=_DATE
    )
    status_kind = forms.ChoiceField(
        label=gettext_lazy("The family reports (a status event)"),
        required=False,
        choices=[("", gettext_lazy("— nothing new —")), *StatusKind.choices],
    )
    status_date = forms.CharField(
        label=gettext_lazy("Since when (today if left empty)"), required=False, max_length=60
    )
    sentence = forms.CharField(label=gettext_lazy("Sentence"), required=False, max_length=200)


def _panel_context(request: HttpRequest, person: Person, form: Any = None) -> dict[str, Any]:
    testifiers = case_selectors.testifiers_of(person)
    return {
        "person": person,
        "contacts": list(case_selectors.contacts_of(person)),
        "form": form or ContactForm(testifiers=testifiers),
        "names_shown": can_read_restricted_fields(request.user),
        "today": timezone.localdate(),
    }


@cap_required(CAP)
def contacts_panel(request: HttpRequest, entry_no: int) -> HttpResponse:
    """The person's contacts (who to keep informed, their consent, the next contact due) and
    the form adding one: the panel's fragment for htmx, a page of its own otherwise. POST adds
    a contact."""
    person = _person(request, entry_no)
    status = 200
    form = None
    if request.method == "POST":
        form = ContactForm(request.POST, testifiers=case_selectors.testifiers_of(person))
        if form.is_valid():
            d = form.cleaned_data
            try:
                contact_create(
                    actor=request.user,
                    person=person,
                    testifier=form.testifiers[d["testifier"]],
                    consent=d["consent"],
                    consent_on=d["consent_on"],
                    method=d["method"],
                    handle=d["handle"],
                    notes=d["notes"],
                    next_contact_due=d["next_contact_due"],
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("The contact was added."))
                return redirect("staff:contacts_panel", entry_no=person.entry_no)
        status = 400
    template = "staff/casework/contacts_page.html"
    if getattr(request, "htmx", False) and request.method == "GET":
        template = "staff/casework/_contacts_body.html"
    return render(request, template, _panel_context(request, person, form), status=status)


def _contact_page(
    request: HttpRequest, contact: CaseContact, *, log_form: Any = None, status: int = 200
) -> HttpResponse:
    forms_ok, errors = all_messages()
    return render(
        request,
        "staff/casework/contact.html",
        {
            "contact": contact,
            "person": contact.person,
            "log": list(contact.log.select_related("by")),
            "log_form": log_form or LogForm(),
            "may_read_contact": can_read_restricted_fields(request.user),
            "message_forms": forms_ok,
            "message_errors": errors,
        },
        status=status,
    )


@cap_required(CAP)
def contact_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return _contact_page(request, _contact(request, pk))


class ContactEditForm(LengthLimits, forms.Form):
    """A contact corrected: consent, how, the number (typed anew: the current one is never
    put into the page), notes, the next contact."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    consent = forms.BooleanField(label=gettext_lazy("Agreed to be contacted"), required=False)
    consent_on = forms.DateField(
        label=gettext_lazy("Agreed on (today if left empty)"), required=False, widget=_DATE
    )
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=CaseContact.Method.choices)
    handle = forms.CharField(
        label=gettext_lazy("New number or handle"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Leave empty to keep the current one."),
    )
    clear_handle = forms.BooleanField(
        label=gettext_lazy("Remove the number or handle"), required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    next_contact_due = forms.DateField(
        label=gettext_lazy("Next contact due"), required=False, widget=_DATE
    )


def _contact_changes(contact: CaseContact, d: dict[str, Any], may_read: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "consent": d["consent"],
        "method": d["method"],
        "notes": d["notes"],
        "next_contact_due": d["next_contact_due"],
    }
    if d["consent"]:
        changes["consent_on"] = d["consent_on"] or contact.consent_on or timezone.localdate()
    else:
        changes["consent_on"] = None
    if may_read and d["clear_handle"]:
        changes["handle"] = ""
    elif may_read and d["handle"]:
        changes["handle"] = d["handle"]
    return changes


@cap_required(CAP)
def contact_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """GET: the contact's form; POST: the corrections, audited (the number masked in the
    history). The number is changed only by a reader of restricted fields; nobody is shown
    the current one here."""
    contact = _contact(request, pk)
    may_read = can_read_restricted_fields(request.user)
    status = 200
    if request.method == "POST":
        form = ContactEditForm(request.POST)
        if form.is_valid():
            try:
                contact_update(
                    actor=request.user,
                    contact=contact,
                    expected_version=form.cleaned_data["version"],
                    **_contact_changes(contact, form.cleaned_data, may_read),
                )
            except EditConflict:
                form.add_error(None, _("Someone else changed this contact meanwhile; look again."))
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("The contact was saved."))
                return redirect("staff:contact_detail", pk=contact.pk)
        status = 400
    else:
        form = ContactEditForm(
            initial={
                "version": contact.version,
                "consent": contact.consent,
                "consent_on": contact.consent_on,
                "method": contact.method,
                "notes": contact.notes,
                "next_contact_due": contact.next_contact_due,
            }
        )
    if not may_read:
        del form.fields["handle"]
        del form.fields["clear_handle"]
    return render(
        request,
        "staff/casework/contact_edit.html",
        {
            "contact": contact,
            "person": contact.person,
            "form": form,
            "may_read_contact": may_read,
        },
        status=status,
    )


@cap_required(CAP)
def contact_handle(request: HttpRequest, pk: Any) -> HttpResponse:
    """POST: the contact's number or handle, for a reader of restricted fields; audited."""
    contact = _contact(request, pk)
    if request.method != "POST":
        return redirect("staff:contact_detail", pk=contact.pk)
    value = case_selectors.contact_handle_for(request.user, contact)
    if value is None:
        raise PermissionDenied("restricted.read")
    return render(request, "staff/_restricted_value.html", {"value": value})


@cap_required(CAP)
def contact_log(request: HttpRequest, pk: Any) -> HttpResponse:
    """POST: a contact logged (and, when the family's news changes the person's situation, a
    status event with it); back to the contact's page."""
    contact = _contact(request, pk)
    if request.method != "POST":
        return redirect("staff:contact_detail", pk=contact.pk)
    form = LogForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            contact_log_add(
                actor=request.user,
                contact=contact,
                kind=d["kind"],
                said=d["said"],
                next_contact_due=d["next_contact_due"],
                status={
                    "kind": d["status_kind"],
                    "date_text": d["status_date"],
                    "sentence": d["sentence"],
                },
            )
        except (ValidationError, EditConflict) as exc:
            message = _errors(exc) if isinstance(exc, ValidationError) else str(exc)
            form.add_error(None, message)
        else:
            messages.success(request, _("The contact was logged."))
            return redirect("staff:contact_detail", pk=contact.pk)
    return _contact_page(request, contact, log_form=form, status=400)


@cap_required(CAP)
def contact_message(request: HttpRequest, pk: Any) -> HttpResponse:
    """A message to the family filled from the case (?message=, ?lang=, ?petition=,
    ?hearing_on=, ?place=), to copy into the messenger the family uses: nothing is sent."""
    contact = _contact(request, pk)
    user: Any = request.user  # signed in (cap_required)
    person = contact.person
    petitions = list(petitions_seen_by(user, person))
    name = request.GET.get("message") or ""
    asked = request.GET.get("lang") or ""
    lang = asked if asked in LANGUAGES else LANGUAGES[0]
    chosen = next((p for p in petitions if str(p.pk) == request.GET.get("petition")), None)
    text, error, message = "", "", None
    try:
        message = load_message(name)
    except MessageError as exc:
        error = str(exc) if name else ""
    if message is not None:
        context: dict[str, Any] = {
            "person": person.primary_name,
            "testifier": contact.testifier.full_name,
            "volunteer": user.get_full_name() or user.get_username(),
            "hearing_on": (request.GET.get("hearing_on") or "")[:40],
            "place": (request.GET.get("place") or "")[:200],
        }
        if chosen is not None:
            try:
                form_name = load_form(chosen.form).short
            except FormError:
                form_name = chosen.form
            context.update(
                petition=str(chosen.pk),
                form=form_name,
                registration_no=chosen.registration_no,
                sent_on=chosen.sent_on.isoformat() if chosen.sent_on else "",
                answered_on=chosen.answered_on.isoformat() if chosen.answered_on else "",
            )
        try:
            text = message.render(lang, context)
        except MessageIncomplete as exc:
            error = str(exc)
    forms_ok, errors = all_messages()
    return render(
        request,
        "staff/casework/message.html",
        {
            "contact": contact,
            "person": person,
            "petitions": petitions,
            "chosen": chosen,
            "message": message,
            "message_forms": forms_ok,
            "message_errors": errors,
            "languages": LANGUAGES,
            "lang": lang,
            "text": text,
            "error": error,
            "hearing_on": request.GET.get("hearing_on") or "",
            "place": request.GET.get("place") or "",
        },
        status=200 if not (name and error and message is None) else 400,
    )


@cap_required(CAP)
def casework_home(request: HttpRequest) -> HttpResponse:
    """Families to call this week (due within seven days or overdue) and, for the press desk,
    the open press requests."""
    today = timezone.localdate()
    return render(
        request,
        "staff/casework/home.html",
        {
            "contacts": case_selectors.families_to_call(request.user, today),
            "requests": case_selectors.open_requests()
            if has_cap(request.user, PRESS_CAP)
            else None,
            "today": today,
            "days": case_selectors.WEEK_DAYS,
            "names_shown": can_read_restricted_fields(request.user),
        },
    )


# --- the press desk ---------------------------------------------------------------------


class PressRequestForm(LengthLimits, forms.Form):
    reporter = forms.CharField(label=gettext_lazy("Reporter"), max_length=200)
    outlet = forms.CharField(label=gettext_lazy("Outlet"), max_length=200)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=300)
    language = forms.CharField(label=gettext_lazy("Language"), required=False, max_length=60)
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False, widget=_DATE)
    wanted = forms.CharField(
        label=gettext_lazy("Kind of case wanted"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    place = forms.CharField(
        label=gettext_lazy("Place (gazetteer code)"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Current status"),
        required=False,
        choices=[("", "—"), *StatusKind.choices],
    )
    ethnicity = forms.CharField(label=gettext_lazy("Ethnicity"), required=False, max_length=60)
    tag = forms.CharField(label=gettext_lazy("Tag"), required=False, max_length=100)


class IntroductionForm(LengthLimits, forms.Form):
    testimony = forms.IntegerField(widget=forms.HiddenInput)
    agreement = forms.CharField(
        label=gettext_lazy("With whose agreement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Who agreed, when and how: the testifier on the phone on 2 May."),
    )


@cap_required(PRESS_CAP)
def press_new(request: HttpRequest) -> HttpResponse:
    form = PressRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            made = press_request_create(
                actor=request.user,
                reporter=d["reporter"],
                outlet=d["outlet"],
                topic=d["topic"],
                language=d["language"],
                deadline=d["deadline"],
                wanted=d["wanted"],
                filters={k: d[k] for k in ("place", "status", "ethnicity", "tag")},
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The request was recorded."))
            return redirect("staff:press_detail", pk=made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "staff/casework/press_new.html", {"form": form}, status=status)


def _press(pk: Any) -> PressRequest:
    found = PressRequest.objects.filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such request."))
    return found


def _press_page(
    request: HttpRequest, press: PressRequest, *, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "staff/casework/press.html",
        {
            "press": press,
            "matches": case_selectors.press_matches(request.user, press),
            "introductions": list(case_selectors.introductions_of(press)),
            "intro_form": IntroductionForm(),
            "error": error,
        },
        status=status,
    )


@cap_required(PRESS_CAP)
def press_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return _press_page(request, _press(pk))


@cap_required(PRESS_CAP)
def press_introduce(request: HttpRequest, pk: Any) -> HttpResponse:
    """POST: the reporter introduced to a testifier the matches offered (press consent),
    with the sentence saying with whose agreement."""
    press = _press(pk)
    if request.method != "POST":
        return redirect("staff:press_detail", pk=press.pk)
    form = IntroductionForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return _press_page(request, press, error=error, status=400)
    testimony = testimonies_for(request.user).filter(number=form.cleaned_data["testimony"]).first()
    if testimony is None:
        return _press_page(request, press, error=_("No such testimony."), status=400)
    try:
        introduction_create(
            actor=request.user,
            request=press,
            testimony=testimony,
            agreement=form.cleaned_data["agreement"],
        )
    except ValidationError as exc:
        return _press_page(request, press, error=_errors(exc), status=400)
    messages.success(request, _("The introduction was logged."))
    return redirect("staff:press_detail", pk=press.pk)


@cap_required(PRESS_CAP)
def press_close(request: HttpRequest, pk: Any) -> HttpResponse:
    press = _press(pk)
    if request.method == "POST":
        try:
            press_request_close(
                actor=request.user,
                request=press,
                expected_version=_int(request.POST.get("version")),
            )
        except EditConflict:
            messages.error(request, _("Someone else changed this request meanwhile; look again."))
        else:
            messages.success(request, _("The request was closed."))
    return redirect("staff:press_detail", pk=press.pk)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
