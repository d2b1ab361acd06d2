"""The change log as people read it: the one place that turns audit entries into sentences.

An audit entry keeps record ids and coded values (`core.audit`), which is what a machine needs.
A page shows instead, in its language: who did it (the user's name), each field's label, coded
values by their labels, dates formatted, a person as their entry number and name linked to their
page (or "an entry you may not see", as `{% person_link %}` says, asked of disclosure), other
records by their names, and a merge as a sentence. Restricted values stay masked: the log
never held them (`core.audit.RESTRICTED_MARK`)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aigaq.core.audit import RESTRICTED_MARK
from aigaq.core.models import AuditEntry
from aigaq.disclosure import policy

# Fields of no model that services write (a person's names, the fields a read showed, ...).
_PSEUDO_LABELS = {
    "names": lambda: _("names"),
    "fields": lambda: _("fields"),
    "media": lambda: _("file"),
    "media_kind": lambda: _("kind of file"),
    "not_same_as": lambda: _("not the same person as"),
    "concerns": lambda: _("persons concerned"),
    "address": lambda: _("address"),
    "locked_out": lambda: _("locked out"),
    "removed": lambda: _("lockouts lifted"),
    # Fields declared without a label of their own:
    "created_by": lambda: _("recorded by"),
    "date_start": lambda: _("from"),
    "date_end": lambda: _("until"),
    "relative": lambda: _("relative"),
}

# What a merge moves, as a volunteer counts it (dedup.services.person_merge's `moved`).
_MOVED_LABELS = {
    "names": lambda n: ngettext("%(n)s name", "%(n)s names", n),
    "events": lambda n: ngettext("%(n)s status event", "%(n)s status events", n),
    "testimony_links": lambda n: ngettext("%(n)s testimony", "%(n)s testimonies", n),
    "testifiers": lambda n: ngettext("%(n)s testifier", "%(n)s testifiers", n),
    "sources": lambda n: ngettext("%(n)s source", "%(n)s sources", n),
    "relations_out": lambda n: ngettext("%(n)s relative", "%(n)s relatives", n),
    "relations_in": lambda n: ngettext("%(n)s relative", "%(n)s relatives", n),
    "tags": lambda n: ngettext("%(n)s tag", "%(n)s tags", n),
}

_NAME_KIND = re.compile(r"^(?P<name>.*) \[(?P<kind>[a-z_]+)\]$", re.S)
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


# Values computed from another field of the same entry, shown through that field.
_DERIVED = {"date_start": "date_text", "date_end": "date_text"}

# Kinds of record declared without a label of their own.
_KIND_LABELS = {
    "testimonies.testimonyperson": lambda: _("person a testimony concerns"),
}


def _kind(model: Any, object_type: str) -> str:
    if object_type in _KIND_LABELS:
        return str(_KIND_LABELS[object_type]())
    return str(model._meta.verbose_name) if model is not None else object_type


def _dash() -> SafeString:
    return mark_safe('<span class="muted">—</span>')  # noqa: S308 - a constant


def user_name(user: Any) -> str:
    """A user as colleagues know them: the full name, else the user name."""
    if user is None:
        return ""
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


class _Lookup:
    """The records an entry's values point at, fetched once per model for a whole page."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[str, Any]] = {}

    def want(self, model: type[models.Model], value: Any) -> None:
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str | int) and v not in ("", RESTRICTED_MARK):
                self.wanted[model].add(str(v))

    def fetch(self) -> None:
        for model, keys in self.wanted.items():
            pk = model._meta.pk
            good = [k for k in keys if _valid_key(pk, k)]
            qs = model._default_manager.filter(pk__in=good)
            if model._meta.label_lower == "testimonies.testimony":
                qs = qs.select_related("testifier")
            found = {str(obj.pk): obj for obj in qs}
            if model._meta.label_lower == "media.mediafile":
                # A file attached to a testimony is recorded by its SHA-256 (its identity).
                hashes = [k for k in keys if len(k) == 64 and not k.strip("0123456789abcdef")]
                for obj in model._default_manager.filter(sha256__in=hashes):
                    found[getattr(obj, "sha256")] = obj  # noqa: B009 - any model here
            self.found[model] = found

    def get(self, model: type[models.Model], key: Any) -> Any:
        return self.found.get(model, {}).get(str(key))


def _valid_key(pk: Any, key: str) -> bool:
    try:
        pk.to_python(key)
    except Exception:  # a value that is no key of this model (bad data): shown as missing
        return False
    if isinstance(pk, models.UUIDField):
        try:
            uuid.UUID(key)
        except ValueError:
            return False
    return True


def _model_of(entry: AuditEntry) -> Any:
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def _field(model: Any, name: str) -> Any:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def field_label(model: Any, name: str) -> str:
    """A field's label in the page's language (its verbose name)."""
    found = _field(model, name)
    if found is not None and isinstance(found.verbose_name, Promise):  # a label of its own
        return str(found.verbose_name)
    if name in _PSEUDO_LABELS:
        return str(_PSEUDO_LABELS[name]())
    if found is not None and found.is_relation and found.related_model is not None:
        return str(found.related_model._meta.verbose_name)  # "person": the model's, translated
    return name.replace("_", " ")


class _Reader:
    """Renders the values of one page's entries for one reader."""

    def __init__(self, user: Any, entries: list[AuditEntry]) -> None:
        self.user = user
        self.lookup = _Lookup()
        self.merges: dict[str, Any] = {}
        for entry in entries:
            model = _model_of(entry)
            changes = entry.changes if isinstance(entry.changes, dict) else {}
            for name, change in changes.items():
                related = self._related_model(model, name)
                if related is not None:
                    for v in change if isinstance(change, list) else [change]:
                        self.lookup.want(related, v)
            if entry.action in (AuditEntry.Action.MERGE, AuditEntry.Action.UNMERGE):
                merge = changes.get("merge")
                if isinstance(merge, list):
                    self.lookup.want(apps.get_model("dedup", "Merge"), merge)
        self.lookup.fetch()
        merge_model = apps.get_model("dedup", "Merge")
        persons = [
            key
            for m in self.lookup.found.get(merge_model, {}).values()
            for key in (m.survivor_id, m.retired_id)
        ]
        testimony_model = apps.get_model("testimonies", "Testimony")
        shown = self.lookup.found.get(testimony_model, {})
        self.testimonies_visible = (
            {
                str(pk)
                for pk in policy.testimonies_visible_to(
                    user, testimony_model._default_manager.filter(pk__in=list(shown))
                ).values_list("pk", flat=True)
            }
            if shown
            else set()
        )
        person_model = apps.get_model("people", "Person")
        if persons:
            for p in person_model._default_manager.filter(pk__in=persons):
                self.lookup.found.setdefault(person_model, {})[str(p.pk)] = p

    @staticmethod
    def _related_model(model: Any, name: str) -> Any:
        if name == "not_same_as":
            return apps.get_model("people", "Person")
        found = _field(model, name)
        if found is not None and found.is_relation and found.related_model is not None:
            return found.related_model
        return None

    # --- one value ----------------------------------------------------------------------------

    def value(self, model: Any, name: str, raw: Any) -> SafeString:
        if raw == RESTRICTED_MARK:
            return format_html('<span class="muted">{}</span>', _("(restricted, not shown)"))
        if raw in (None, "", [], {}):
            return _dash()
        if isinstance(raw, list):
            parts = [self.value(model, name, v) for v in raw]
            return format_html_join(", ", "{}", ((p,) for p in parts))
        related = self._related_model(model, name)
        if related is not None:
            return self.record(related, raw)
        found = _field(model, name)
        if isinstance(raw, bool):
            return format_html("{}", _("yes") if raw else _("no"))
        if found is not None and found.choices:
            labels = {value: str(label) for value, label in found.flatchoices}
            if raw in labels:
                return format_html("{}", labels[raw])
        if name == "names" and isinstance(raw, str):
            return self._name(raw)
        if name == "fields" and isinstance(raw, str):
            return format_html("{}", field_label(model, raw))
        if name == "media_kind":
            kind = _field(apps.get_model("testimonies", "TestimonyMedia"), "kind")
            labels = {value: str(label) for value, label in kind.flatchoices}
            return format_html("{}", labels.get(raw, raw))
        if isinstance(raw, str):
            return format_html('<span dir="auto">{}</span>', self._date(found, raw))
        if isinstance(raw, dict):
            return format_html_join(
                "; ",
                "{}: {}",
                (
                    (field_label(model, str(k)), self.value(model, str(k), v))
                    for k, v in raw.items()
                ),
            )
        return format_html("{}", raw)

    @staticmethod
    def _date(found: Any, raw: str) -> str:
        if isinstance(found, models.DateTimeField) or _DATETIME.match(raw):
            try:
                when = dt.datetime.fromisoformat(raw)
            except ValueError:
                return raw
            if timezone.is_aware(when):
                when = timezone.localtime(when)
            return formats.date_format(when, "DATETIME_FORMAT")
        if isinstance(found, models.DateField) or _DATE.match(raw):
            try:
                return formats.date_format(dt.date.fromisoformat(raw), "DATE_FORMAT")
            except ValueError:
                return raw
        return raw

    @staticmethod
    def _name(raw: str) -> SafeString:
        """A person's name as the names snapshot holds it, "Name [kind]": the kind's label."""
        match = _NAME_KIND.match(raw)
        if match is None:
            return format_html('<span dir="auto">{}</span>', raw)
        kind = _field(apps.get_model("people", "PersonName"), "kind")
        labels = {value: str(label) for value, label in kind.flatchoices}
        label = labels.get(match["kind"], match["kind"])
        return format_html(
            '<span dir="auto">{}</span> <span class="muted">({})</span>', match["name"], label
        )

    def record(self, model: type[models.Model], key: Any) -> SafeString:
        obj = self.lookup.get(model, key)
        label = model._meta.label_lower
        if obj is None:
            return format_html('<span class="muted">{}</span>', _("a record since removed"))
        if label == "people.person":
            return self.person(obj)
        if label == "core.user":
            return format_html("{}", user_name(obj))
        if label == "testimonies.testimony":
            if str(obj.pk) not in self.testimonies_visible:
                return format_html(
                    '<span class="muted">{}</span>', _("a testimony you may not see")
                )
            return format_html(
                '<a href="{}">{} · {}</a>',
                reverse("staff:testimony_detail", args=[obj.number]),
                obj.label,
                _("testimony of %(name)s, %(day)s")
                % {
                    "name": policy.testifier_name_for(self.user, obj),
                    "day": formats.date_format(obj.recorded_on, "DATE_FORMAT"),
                },
            )
        if label == "testimonies.testifier" and not policy.can_read_restricted_fields(self.user):
            return format_html("{}", _("the testifier"))
        if label == "media.mediafile":
            return format_html("{}", _("a file"))
        return format_html('<span dir="auto">{}</span>', str(obj))

    def person(self, person: Any) -> SafeString:
        if not policy.person_visible_to(self.user, person):
            return format_html('<span class="muted">{}</span>', _("an entry you may not see"))
        return format_html(
            '<a href="{}"><span dir="auto">{}</span></a>',
            reverse("staff:person_detail", args=[person.entry_no]),
            str(person),
        )

    # --- one entry ----------------------------------------------------------------------------

    def merge_sentence(self, entry: AuditEntry) -> SafeString | None:
        """A merge or its undoing in one sentence: who was merged into whom, what came along."""
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        key = changes.get("merge")
        key = next((k for k in key if k), None) if isinstance(key, list) else None
        merge = self.lookup.get(apps.get_model("dedup", "Merge"), key) if key else None
        if merge is None:
            return None
        person_model = apps.get_model("people", "Person")
        survivor = self.lookup.get(person_model, merge.survivor_id)
        retired = self.lookup.get(person_model, merge.retired_id)
        if survivor is None or retired is None:
            return None
        if entry.action == AuditEntry.Action.UNMERGE:
            if str(entry.person_id) == str(retired.pk):
                return format_html(
                    _("Merge undone: this entry is again apart from {}."), self.person(survivor)
                )
            return format_html(
                _("Merge undone: {} is again an entry of its own."), self.person(retired)
            )
        if str(entry.person_id) == str(retired.pk):
            return format_html(_("This entry was merged into {}."), self.person(survivor))
        sentence = format_html(_("Merged {} into this entry."), self.person(retired))
        kept = self._moved(changes.get("moved"))
        if kept:
            sentence = format_html("{} {}", sentence, _("Kept from it: %(what)s.") % {"what": kept})
        filled = changes.get("fields_filled")
        filled = filled[-1] if isinstance(filled, list) and filled else None
        if isinstance(filled, list) and filled:
            labels = ", ".join(field_label(person_model, str(f)) for f in filled)
            sentence = format_html(
                "{} {}", sentence, _("Filled in from it: %(fields)s.") % {"fields": labels}
            )
        return sentence

    @staticmethod
    def _moved(change: Any) -> str:
        counts = change[-1] if isinstance(change, list) and change else change
        if not isinstance(counts, dict):
            return ""
        totals: dict[str, int] = defaultdict(int)
        for key, n in counts.items():
            if isinstance(n, int) and n > 0 and key in _MOVED_LABELS:
                group = "relations_out" if key == "relations_in" else key
                totals[group] += n
        return ", ".join(_MOVED_LABELS[k](n) % {"n": n} for k, n in totals.items())

    def entry(self, entry: AuditEntry) -> dict[str, Any]:
        model = _model_of(entry)
        kind = _kind(model, entry.object_type)
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        sentence = None
        if entry.action in (AuditEntry.Action.MERGE, AuditEntry.Action.UNMERGE):
            sentence = self.merge_sentence(entry)
        rows = []
        if sentence is None:
            for name, change in changes.items():
                if name in _DERIVED and _DERIVED[name] in changes:
                    continue  # the dates a partial date means: the date as typed is shown
                if change in ([None, None], [None, ""], [None, []], ["", ""], [[], []]):
                    continue  # a field left empty on creation
                label = field_label(model, name)
                if isinstance(change, list) and len(change) == 2:
                    before, after = change
                    rows.append(
                        {
                            "label": label,
                            "before": None
                            if before in (None, "", [], {})
                            else self.value(model, name, before),
                            "after": self.value(model, name, after),
                        }
                    )
                else:
                    rows.append(
                        {"label": label, "before": None, "after": self.value(model, name, change)}
                    )
        if entry.actor is not None:
            who = user_name(entry.actor)
        elif entry.actor_label == "system":
            who = _("the system")
        else:
            who = entry.actor_label
        return {
            "entry": entry,
            "at": timezone.localtime(entry.at),
            "who": who,
            "action": entry.get_action_display(),
            "kind": kind,
            "note": entry.note,
            "sentence": sentence,
            "rows": rows,
        }


def readable(user: Any, entries: Iterable[AuditEntry]) -> list[dict[str, Any]]:
    """Each entry as the history table shows it to `user` (see the module's docstring)."""
    entries = list(entries)
    reader = _Reader(user, entries)
    return [reader.entry(e) for e in entries]


def history_for_testimony(testimony: Any, limit: int = 200) -> list[AuditEntry]:
    """A testimony's history: the testimony's own entries, those of the persons it concerns
    being linked to it, and its testifier's entries (contacts masked as everywhere)."""
    from django.db.models import Q

    links = [str(pk) for pk in testimony.relations.values_list("pk", flat=True)]
    q = Q(object_type="testimonies.testimony", object_id=str(testimony.pk))
    q |= Q(object_type="testimonies.testimonyperson", object_id__in=links)
    q |= Q(object_type="testimonies.testifier", object_id=str(testimony.testifier_id))
    q &= ~Q(person_id__isnull=False, object_type="testimonies.testimony")  # copies per person
    return list(AuditEntry.objects.filter(q).select_related("actor")[:limit])
