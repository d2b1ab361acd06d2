"""Writes to testifiers, testimonies, the persons they concern, and consent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.db.bulk import bulk_insert
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check, check_publish
from aigaq.core.phones import normalize_phone
from aigaq.core.sequences import sequence_allocate
from aigaq.core.services import create_audited, update_audited
from aigaq.core.validators import NAME_MAX, NOTE_MAX, check_length, validate_web_urls
from aigaq.media.models import MediaFile
from aigaq.people.models import Person
from aigaq.testimonies.models import (
    NUMBER_SEQUENCE,
    Relationship,
    Testifier,
    Testimony,
    TestimonyMedia,
    TestimonyPerson,
)


@dataclass(frozen=True)
class RelationInput:
    person: Person
    relationship: str
    note: str = ""


CONSENT_FIELDS = ("consent_public", "consent_press", "consent_petitions", "consent_anonymous")


def _clean_phone(data: dict[str, Any]) -> dict[str, Any]:
    """The phone in its one stored form (core.phones), refused with a sentence if invalid."""
    if "phone" in data:
        try:
            data["phone"] = normalize_phone(data["phone"])
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    return data


def testifier_create(*, actor: Any, full_name: str, **fields: Any) -> Testifier:
    check(actor, "testimony.edit")
    name = (full_name or "").strip()
    if not name:
        raise ValidationError({"full_name": _("Enter the testifier's name.")})
    check_length("full_name", name, NAME_MAX)
    data = _clean_phone({"full_name": name, **fields})
    return create_audited(Testifier, actor=actor, data=data)


def testifier_update(
    *, actor: Any, testifier: Testifier, expected_version: int | None, **changes: Any
) -> Testifier:
    check(actor, "testimony.edit")
    return update_audited(
        testifier,
        actor=actor,
        changes=_clean_phone(dict(changes)),
        expected_version=expected_version,
    )


@dataclass(frozen=True)
class NewTestifier:
    """A testifier for testifiers_create_bulk, with the persons (id, relationship) their
    draft testimony concerns."""

    full_name: str
    phone: str = ""
    concerns: Sequence[tuple[Any, str]] = ()


def testifiers_create_bulk(
    *,
    actor: Any,
    testifiers: Sequence[NewTestifier],
    summary: str,
    recorded_on: dt.date | None = None,
    facts: Mapping[str, Any] | None = None,
    action: str = AuditEntry.Action.CREATE,
    note: str = "",
) -> int:
    """Many testifiers at once, each with one draft testimony (remote, dated `recorded_on`,
    default today) that concerns the persons given: how a list of persons with the relatives
    who spoke for them comes in. Names and phones are checked and phones normalised as
    testifier_create does; one audit entry per testifier (contacts masked by core.audit).
    Plain inserts in the caller's transaction (opened if none). Returns how many testifiers."""
    check(actor, "testimony.edit")
    clean: list[tuple[NewTestifier, str, str]] = []
    for t in testifiers:
        name = " ".join((t.full_name or "").split())
        if not name:
            raise ValidationError({"full_name": _("Enter the testifier's name.")})
        check_length("full_name", name, NAME_MAX)
        for _pid, relationship in t.concerns:
            if relationship not in _RELATIONSHIPS:
                raise ValidationError(_("Unknown relationship: %(r)s") % {"r": relationship})
        clean.append((t, name, _clean_phone({"phone": t.phone})["phone"]))
    if not clean:
        return 0
    now = timezone.now()
    day = recorded_on or timezone.localdate(now)
    base: dict[str, Any] = {"created_at": now, "updated_at": now, "version": 1}
    people: list[dict[str, Any]] = []
    drafts: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    audits: list[tuple[Any, str, dict[str, Any], Any]] = []
    for t, name, phone in clean:
        testifier_id, testimony_id = uuid.uuid4(), uuid.uuid4()
        people.append({**base, "id": testifier_id, "full_name": name, "phone": phone})
        drafts.append(
            {
                **base,
                "id": testimony_id,
                "testifier_id": testifier_id,
                "recorded_on": day,
                "location": Testimony.Location.REMOTE,
                "status": Testimony.Status.DRAFT,
                "summary": summary,
            }
        )
        seen: set[Any] = set()
        for pid, relationship in t.concerns:
            if pid in seen:
                continue
            seen.add(pid)
            links.append(
                {
                    **base,
                    "id": uuid.uuid4(),
                    "testimony_id": testimony_id,
                    "person_id": pid,
                    "relationship": relationship,
                }
            )
        audits.append(
            (
                testifier_id,
                name,
                {**(facts or {}), "full_name": name, "phone": phone, "concerns": len(seen)},
                None,
            )
        )
    with transaction.atomic():
        if drafts:  # plain inserts skip Testimony.save(), which numbers one at a time
            first = sequence_allocate(NUMBER_SEQUENCE, len(drafts))
            for offset, draft in enumerate(drafts):
                draft["number"] = first + offset
        bulk_insert(Testifier, people)
        bulk_insert(Testimony, drafts)
        bulk_insert(TestimonyPerson, links)
        audit.record_created_bulk(
            actor=actor, action=action, model=Testifier, rows=audits, note=note
        )
    return len(clean)


_RELATIONSHIPS = frozenset(Relationship.values)


def _clean_urls(urls: Iterable[str]) -> list[str]:
    out = [url.strip() for url in urls if url.strip()]
    try:
        validate_web_urls(out)  # the model's own validator, so forms and imports agree
    except ValidationError as exc:
        raise ValidationError({"published_urls": exc.messages}) from None
    return out


def _clean_relations(relations: Sequence[RelationInput]) -> list[RelationInput]:
    seen: set[Any] = set()
    for rel in relations:
        if rel.relationship not in Relationship.values:
            raise ValidationError(_("Unknown relationship: %(r)s") % {"r": rel.relationship})
        if rel.person.pk in seen:
            raise ValidationError(_("The same person is named twice in this testimony."))
        if rel.person.merged_into_id is not None:
            raise ValidationError(
                _("Entry #%(n)s was merged into another entry; choose that one.")
                % {"n": rel.person.entry_no}
            )
        seen.add(rel.person.pk)
    return list(relations)


def testimony_create(
    *,
    actor: Any,
    testifier: Testifier,
    recorded_on: dt.date,
    relations: Sequence[RelationInput] = (),
    media: Iterable[MediaFile] = (),
    published_urls: Iterable[str] = (),
    **fields: Any,
) -> Testimony:
    check(actor, "testimony.edit")
    check_publish(actor, fields.get("visibility"))
    rels = _clean_relations(relations)
    data: dict[str, Any] = {
        "testifier": testifier,
        "recorded_on": recorded_on,
        "published_urls": _clean_urls(published_urls),
        **fields,
    }
    if any(data.get(f) for f in CONSENT_FIELDS) and not data.get("consent_recorded_at"):
        data["consent_recorded_at"] = timezone.now()
    with transaction.atomic():
        testimony = create_audited(Testimony, actor=actor, data=data)
        for rel in rels:
            testimony_link_person(actor=actor, testimony=testimony, relation=rel)
        for item in media:
            testimony_attach_media(actor=actor, testimony=testimony, media=item)
    return testimony


def testimony_update(
    *, actor: Any, testimony: Testimony, expected_version: int | None, **changes: Any
) -> Testimony:
    check(actor, "testimony.edit")
    if "visibility" in changes:
        check_publish(actor, changes["visibility"], testimony.visibility)
    if "published_urls" in changes:
        changes["published_urls"] = _clean_urls(changes["published_urls"])
    consent = {k: changes.pop(k) for k in list(changes) if k in CONSENT_FIELDS}
    with transaction.atomic():
        testimony = update_audited(
            testimony, actor=actor, changes=changes, expected_version=expected_version
        )
        if consent:
            testimony = consent_update(actor=actor, testimony=testimony, **consent)
    return testimony


def testimony_link_person(
    *, actor: Any, testimony: Testimony, relation: RelationInput
) -> TestimonyPerson:
    check(actor, "testimony.edit")
    _clean_relations([relation])
    with transaction.atomic():
        if TestimonyPerson.objects.filter(testimony=testimony, person=relation.person).exists():
            raise ValidationError(_("This person is already named in this testimony."))
        return create_audited(
            TestimonyPerson,
            actor=actor,
            data={
                "testimony": testimony,
                "person": relation.person,
                "relationship": relation.relationship,
                "note": relation.note,
            },
            person_id=relation.person.pk,
        )


def testimony_attach_media(
    *,
    actor: Any,
    testimony: Testimony,
    media: MediaFile,
    kind: str | None = None,
    restricted: bool = False,
) -> TestimonyMedia:
    """Attach a file to a testimony as `kind` (its use here; the file's own kind if not
    given). A restricted use (an ID card, or `restricted`) restricts the file in every use:
    its bytes may be someone's photo elsewhere. A video or a sound recording gets its
    playback copy made in the background once this commits (media.tasks)."""
    from aigaq.media.services import media_restrict
    from aigaq.media.tasks import media_renditions_start

    check(actor, "testimony.edit")
    use = kind or media.kind
    if use not in MediaFile.Kind.values:
        raise ValidationError({"media_kind": _("Unknown kind of file.")})
    restricted = restricted or use in MediaFile.RESTRICTED_KINDS
    with transaction.atomic():
        link, created = TestimonyMedia.objects.get_or_create(
            testimony=testimony, media=media, defaults={"kind": use, "restricted": restricted}
        )
        if not created and restricted and not link.restricted_use:
            link.restricted = True
            link.save(update_fields=["restricted"])
        if restricted:
            media_restrict(actor=actor, media=media)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=testimony,
            changes={"media": [None, media.sha256], "media_kind": [None, link.kind]},
        )
        # Joins this transaction: queued when it commits, gone with it if it is rolled back.
        media_renditions_start(media, actor=actor, kind=link.kind)
    return link


def consent_update(*, actor: Any, testimony: Testimony, **consent: bool) -> Testimony:
    """Record what the testifier agreed to. An explicit service, audited as a consent change."""
    check(actor, "consent.change")
    unknown = set(consent) - set(CONSENT_FIELDS)
    if unknown:
        raise ValueError(f"not consent fields: {sorted(unknown)}")
    with transaction.atomic():
        current = Testimony.objects.select_for_update().get(pk=testimony.pk)
        before = audit.snapshot(current, CONSENT_FIELDS)
        for key, value in consent.items():
            setattr(current, key, bool(value))
        after = audit.snapshot(current, CONSENT_FIELDS)
        delta = audit.diff(before, after)
        if delta:
            current.consent_recorded_at = timezone.now()
            current.version += 1
            current.updated_at = timezone.now()
            current.save()
            audit.record(actor=actor, action=AuditEntry.Action.CONSENT, obj=current, changes=delta)
    return current


def consent_withdraw(*, actor: Any, testimony: Testimony, reason: str = "") -> Testimony:
    """Withdrawal takes effect everywhere at once: every reader asks disclosure.policy, which
    refuses any use of a testimony whose consent was withdrawn."""
    check(actor, "consent.change")
    check_length("reason", reason.strip(), NOTE_MAX)
    with transaction.atomic():
        current = Testimony.objects.select_for_update().get(pk=testimony.pk)
        if current.consent_withdrawn_at is not None:
            return current
        current.consent_withdrawn_at = timezone.now()
        current.consent_withdrawn_reason = reason.strip()
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CONSENT,
            obj=current,
            changes={"consent_withdrawn_at": [None, current.consent_withdrawn_at]},
            note=_("Consent withdrawn"),
        )
        for person_id in current.relations.values_list("person_id", flat=True):
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CONSENT,
                obj=current,
                changes={"consent_withdrawn_at": [None, current.consent_withdrawn_at]},
                person_id=person_id,
                note=_("Consent withdrawn"),
            )
    return current


def testimony_retract(
    *, actor: Any, testimony: Testimony, reason: str, expected_version: int | None = None
) -> Testimony:
    """Evidence is never deleted: a retracted testimony stays, with its reason."""
    check(actor, "person.merge")
    if not reason.strip():
        raise ValidationError({"retraction_reason": _("Say why the testimony is retracted.")})
    return update_audited(
        testimony,
        actor=actor,
        changes={"status": Testimony.Status.RETRACTED, "retraction_reason": reason.strip()},
        expected_version=expected_version,
    )
