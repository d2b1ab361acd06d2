"""Staff forms: parse and check what was typed; the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aigaq.core.dates import parse_partial_date
from aigaq.core.forms import LengthLimits
from aigaq.core.models import User, Visibility
from aigaq.core.permissions import has_cap, visibilities_for
from aigaq.core.phones import normalize_phone
from aigaq.core.validators import NOTE_MAX, SUMMARY_MAX, TEXT_MAX, validate_not_future
from aigaq.disclosure.policy import testifier_name_for
from aigaq.disclosure.selectors import testimonies_for
from aigaq.media.models import MediaFile
from aigaq.people.models import (
    Ethnicity,
    EvidenceGrade,
    Gender,
    Person,
    PersonName,
    Place,
    Source,
    StatusEvent,
    StatusKind,
)
from aigaq.people.validators import clean_chinese_id, latest_birth_year
from aigaq.testimonies.models import Relationship, Testifier, Testimony

BLANK: list[tuple[str, Any]] = [("", "—")]
# TestimonyPerson.relationship is what the testifier is to the person: the form says so.
RELATIONSHIP_LABEL = _("The testifier is the person’s…")

# Languages testimonies are given in (content languages, not interface languages).
TESTIMONY_LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ug", _("Uyghur")),
    ("ky", _("Kyrgyz")),
    ("zh", _("Chinese")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("uz", _("Uzbek")),
    ("ar", _("Arabic")),
    ("other", _("Other")),
]


def settable_visibilities(user: Any, current: str | None = None) -> list[tuple[str, Any]]:
    """The visibilities `user` may give a record: those they can see, and "public" only for
    those who may publish (publishing is an explicit decision, see people.services).
    The record's `current` visibility stays on offer, so an edit may keep it."""
    allowed = visibilities_for(user)
    return [
        (value, label)
        for value, label in Visibility.choices
        if value == current
        or (value in allowed and (value != Visibility.PUBLIC or has_cap(user, "person.merge")))
    ]


def apply_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class PlaceField(forms.ModelChoiceField):
    """A place chosen with the place picker (an htmx autocomplete); submitted as its UUID."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(queryset=Place.objects.all(), **kwargs)


class NameForm(LengthLimits, forms.Form):
    full_name = forms.CharField(
        label=_("Name"),
        max_length=300,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "dir": "auto"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of name"), choices=PersonName.Kind.choices, initial=PersonName.Kind.OFFICIAL
    )


class BaseNameFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any((f.cleaned_data or {}).get("full_name") for f in self.forms):
            raise ValidationError(_("A person needs at least one name."), code="no_name")


class PersonForm(LengthLimits, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    birth_year = forms.IntegerField(
        label=_("Born (year, or earliest)"), required=False, min_value=1900
    )
    birth_year_max = forms.IntegerField(
        label=_("Born (latest year)"), required=False, min_value=1900
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), choices=Ethnicity.choices, initial=Ethnicity.UNKNOWN
    )
    citizenships = forms.CharField(
        label=_("Citizenships"),
        required=False,
        max_length=200,
        help_text=_("Country codes, separated by commas: CN, KZ"),
    )
    chinese_id = forms.CharField(label=_("Chinese ID number"), required=False, max_length=30)
    hometown = PlaceField(label=_("Hometown"))
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=200)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas: imam, student"),
    )
    evidence_grade = forms.ChoiceField(
        label=_("Evidence grade"), choices=EvidenceGrade.choices, initial=EvidenceGrade.REPORTED
    )
    biography = forms.CharField(
        label=_("Biography"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(label=_("Visibility"))

    def __init__(
        self, *args: Any, user: Any, current_visibility: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        visibility: Any = self.fields["visibility"]
        visibility.choices = settable_visibilities(user, current_visibility)
        if Visibility.INTERNAL in dict(visibility.choices):
            visibility.initial = Visibility.INTERNAL
        latest = latest_birth_year()  # nobody is born after this year
        for name in ("birth_year", "birth_year_max"):
            year: Any = self.fields[name]
            year.max_value = latest
            year.validators = [v for v in year.validators if not isinstance(v, MaxValueValidator)]
            year.validators.append(MaxValueValidator(latest))
            year.widget.attrs["max"] = latest
        if not has_cap(user, "restricted.read"):
            del self.fields["chinese_id"]

    def clean_chinese_id(self) -> str:
        return clean_chinese_id(self.cleaned_data.get("chinese_id") or "")

    def clean_citizenships(self) -> list[str]:
        raw = self.cleaned_data.get("citizenships") or ""
        codes = [c.strip().upper() for c in raw.replace(";", ",").split(",") if c.strip()]
        for code in codes:
            if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
                raise ValidationError(
                    _("“%(code)s” is not a country code; write two letters such as KZ or CN."),
                    params={"code": code[:20]},
                )
        return sorted(set(codes))

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        labels = []
        for label in raw.split(","):
            label = " ".join(label.split())
            if label and label not in labels:
                if len(label) > 100:
                    raise ValidationError(_("A tag is at most 100 characters."))
                labels.append(label)
        return labels

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("birth_year"), data.get("birth_year_max")
        if low is not None and high is not None and high < low:
            self.add_error("birth_year_max", _("The latest birth year is before the earliest."))
        return data


class CitedTestimonyField(forms.ModelChoiceField):
    """A testimony an event was taken from, named by its date and its testifier as the reader
    may read the name (disclosure decides)."""

    def __init__(self, *, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} · {obj.recorded_on:%Y-%m-%d} · {testifier_name_for(self.user, obj)}"


class StatusEventForm(LengthLimits, forms.Form):
    """A report on the timeline, new or corrected (`editing`: a reason is asked for)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Status"), choices=StatusKind.choices)
    date_text = forms.CharField(
        label=_("Date"),
        required=False,
        max_length=60,
        help_text=_("2018, 2018-03, spring 2018, end of 2018, 2017..2019"),
    )
    date_unknown = forms.BooleanField(label=_("Date unknown"), required=False)
    place = PlaceField(label=_("Place"))
    facility = forms.CharField(label=_("Facility"), required=False, max_length=300)
    sentence = forms.CharField(label=_("Sentence"), required=False, max_length=200)
    report = forms.ChoiceField(
        label=_("Kind of report"),
        choices=StatusEvent.Report.choices,
        initial=StatusEvent.Report.REPORTED,
    )
    testimony = forms.Field(required=False)  # replaced in __init__: it needs the reader
    source = forms.ModelChoiceField(
        label=_("Recorded source"), queryset=Source.objects.none(), required=False
    )
    source_text = forms.CharField(
        label=_("Other source"),
        required=False,
        max_length=300,
        help_text=_("Where it was read or heard, if not in a testimony: “Azattyq, 2019-05-02”"),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history with the change."),
    )

    def __init__(
        self,
        *args: Any,
        person: Any,
        user: Any,
        editing: bool = False,
        keep_testimony: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the testimonies about this person that the reader may see can be cited.
        self.fields["testimony"] = CitedTestimonyField(
            user=user,
            label=_("Testimony it was taken from"),
            queryset=testimonies_for(user)
            .filter(relations__person=person)
            .select_related("testifier")
            .order_by("-recorded_on", "-created_at"),
            required=False,
        )
        sources: Any = self.fields["source"]
        sources.queryset = person.sources.all()
        if keep_testimony:
            # The event cites a testimony this reader may not see: kept as it is.
            del self.fields["testimony"]
        if not editing:
            del self.fields["reason"]
            del self.fields["version"]

    @property
    def has_sources(self) -> bool:
        sources: Any = self.fields["source"]
        return bool(sources.queryset.exists())

    def clean_date_text(self) -> str:
        text = self.cleaned_data.get("date_text") or ""
        if text.strip():
            parse_partial_date(text)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dated = bool((data.get("date_text") or "").strip())
        if "date_text" in data:
            if dated and data.get("date_unknown"):
                self.add_error("date_text", _("Give a date or tick “date unknown”, not both."))
            elif not dated and not data.get("date_unknown"):
                self.add_error(
                    "date_text", _("Enter a date, or tick “date unknown” if nobody knows when.")
                )
        return data


class StatusRemoveForm(LengthLimits, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Why is it removed?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: entered on the wrong person; the same report twice. "
            "What the event said is kept in the history with this reason."
        ),
    )


class RelationForm(LengthLimits, forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    new_name = forms.CharField(
        label=_("or a new person's name"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    relationship = forms.ChoiceField(
        label=RELATIONSHIP_LABEL, choices=BLANK + Relationship.choices, required=False
    )

    def __init__(self, *args: Any, person_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = person_queryset  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, new_name = data.get("person"), (data.get("new_name") or "").strip()
        if person is None and not new_name:
            if data.get("relationship"):
                self.add_error("new_name", _("Choose a person or type a new person's name."))
            return data
        if person is not None and new_name:
            self.add_error("new_name", _("Choose a person or type a new name, not both."))
        if not data.get("relationship"):
            self.add_error("relationship", _("Say how the testifier is related to this person."))
        return data

    @property
    def is_blank(self) -> bool:
        d = getattr(self, "cleaned_data", None) or {}
        return d.get("person") is None and not (d.get("new_name") or "").strip()


class BaseRelationFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, person_queryset: Any = None, **kwargs: Any) -> None:
        self.person_queryset = person_queryset
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: Any) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "person_queryset": self.person_queryset}

    @property
    def empty_form(self) -> Any:
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            person_queryset=self.person_queryset,
            renderer=self.renderer,  # type: ignore[attr-defined]
        )
        self.add_fields(form, None)
        return form

    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            person = (form.cleaned_data or {}).get("person")
            if person is not None:
                if person.pk in seen:
                    raise ValidationError(_("The same person is named twice in this testimony."))
                seen.add(person.pk)


RelationFormSet = forms.formset_factory(
    RelationForm, formset=BaseRelationFormSet, extra=2, max_num=40
)


class TestimonyForm(LengthLimits, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    testifier = forms.ModelChoiceField(
        queryset=Testifier.objects.all(), required=False, widget=forms.HiddenInput
    )
    testifier_name = forms.CharField(
        label=_("New testifier: name"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    testifier_phone = forms.CharField(label=_("Phone"), required=False, max_length=50)
    testifier_citizenship = forms.CharField(label=_("Citizenship"), required=False, max_length=100)
    recorded_on = forms.DateField(
        label=_("Recorded on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    location = forms.ChoiceField(
        label=_("Recorded at"),
        choices=Testimony.Location.choices,
        initial=Testimony.Location.OFFICE,
    )
    place = PlaceField(label=_("Place recorded"))
    interviewer = forms.ModelChoiceField(
        label=_("Interviewer"), queryset=User.objects.filter(is_active=True), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=TESTIMONY_LANGUAGES, initial="kk")
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(label=_("Visibility"))
    consent_public = forms.BooleanField(label=_("may be published"), required=False)
    consent_press = forms.BooleanField(label=_("may be shown to the press"), required=False)
    consent_petitions = forms.BooleanField(label=_("may be used in petitions"), required=False)
    consent_anonymous = forms.BooleanField(
        label=_("anonymous (initials only in public)"), required=False, initial=True
    )
    published_urls = forms.CharField(
        label=_("Published at (one web address per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    media_kind = forms.ChoiceField(
        label=_("Kind of file"), choices=MediaFile.Kind.choices, initial=MediaFile.Kind.VIDEO
    )
    media_file = forms.FileField(label=_("Video or other file"), required=False)

    def __init__(
        self,
        *args: Any,
        user: Any,
        editing: bool = False,
        current_visibility: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.editing = editing
        visibility: Any = self.fields["visibility"]
        visibility.choices = settable_visibilities(user, current_visibility)
        if Visibility.INTERNAL in dict(visibility.choices):
            visibility.initial = Visibility.INTERNAL
        self.fields["recorded_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if editing:
            for name in ("testifier", "testifier_name", "testifier_phone", "testifier_citizenship"):
                del self.fields[name]

    def clean_testifier_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("testifier_phone"))

    def clean_recorded_on(self) -> Any:
        day = self.cleaned_data.get("recorded_on")
        validate_not_future(day)
        return day

    def clean_published_urls(self) -> list[str]:
        raw = self.cleaned_data.get("published_urls") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.editing:
            picked, name = data.get("testifier"), (data.get("testifier_name") or "").strip()
            if picked is None and not name:
                self.add_error(
                    "testifier_name", _("Choose a testifier or type the new testifier's name.")
                )
            elif picked is not None and name:
                self.add_error(
                    "testifier_name", _("Choose a testifier or type a new name, not both.")
                )
        return data


class WithdrawConsentForm(LengthLimits, forms.Form):
    reason = forms.CharField(
        label=_("Reason given"),
        required=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm: this testimony may no longer be used anywhere."), required=True
    )
