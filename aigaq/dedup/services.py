"""Writes of the duplicates feature: refreshing candidates, "not the same person", merge, undo.

A merge moves everything that hangs on the retired entry to the survivor and records the id
of every moved row in a `Merge`, so `person_unmerge` restores exactly what moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.faults import pause_at
from aigaq.core.locking import EditConflict, bump, lock_for_edit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check
from aigaq.dedup import scan
from aigaq.dedup.models import Candidate, Merge, NotSame
from aigaq.people.models import Person, PersonName, PersonRelation, StatusEvent
from aigaq.testimonies.models import Testifier, TestimonyPerson

# Fields the survivor takes from the retired entry when its own are empty.
FILL_FIELDS = (
    "birth_year",
    "birth_year_max",
    "hometown_id",
    "chinese_id",
    "occupation",
    "citizenships",
    "photo_id",
)
# What is not filled (a biography, facts that differ from the survivor's) stays on the retired
# entry and is shown on the survivor's page (selectors.merged_remnants): nothing is dropped.
FILL_CHOICES = {"gender": "unknown", "ethnicity": "unknown"}


class MergeRefused(ValidationError):
    pass


def _pair_q(a: Any, b: Any) -> Q:
    first, second = scan.ordered(a, b)
    return Q(a_id=first, b_id=second)


def not_same_pairs() -> set[tuple[Any, Any]]:
    return {(a, b) for a, b in NotSame.objects.values_list("a_id", "b_id")}


def candidates_store(found: Iterable[scan.Found], *, source: str = "scan") -> int:
    """Store found pairs as open candidates, skipping pairs already decided (merged, not the
    same person) and pairs already open (their score and reasons are refreshed)."""
    found = list(found)
    decided = not_same_pairs() | set(
        Candidate.objects.exclude(status=Candidate.Status.OPEN).values_list("a_id", "b_id")
    )
    fresh = [f for f in found if (f.a, f.b) not in decided]
    with transaction.atomic():
        existing = {
            (c.a_id, c.b_id): c
            for c in Candidate.objects.filter(status=Candidate.Status.OPEN).only(
                "id", "a_id", "b_id", "score", "reasons"
            )
        }
        create: list[Candidate] = []
        update: list[Candidate] = []
        for f in fresh:
            old = existing.get((f.a, f.b))
            if old is None:
                create.append(
                    Candidate(a_id=f.a, b_id=f.b, score=f.score, reasons=f.reasons, source=source)
                )
            elif old.score != f.score or old.reasons != f.reasons:
                old.score, old.reasons = f.score, f.reasons
                update.append(old)
        Candidate.objects.bulk_create(create, batch_size=2000)
        Candidate.objects.bulk_update(update, ["score", "reasons"], batch_size=2000)
    return len(create)


def candidates_refresh(
    *, actor: Any, min_score: float = scan.DEFAULT_MIN_SCORE
) -> tuple[list[scan.Found], scan.ScanStats]:
    """Scan all live persons and replace the open candidates found by earlier scans.
    Candidates are derived data (like the search index): decisions on them are audited,
    the list itself is not."""
    check(actor, "person.merge")
    found, stats = scan.find_candidates(min_score=min_score)
    keep = {(f.a, f.b) for f in found}
    with transaction.atomic():
        stale = [
            pk
            for pk, a, b in Candidate.objects.filter(
                status=Candidate.Status.OPEN, source="scan"
            ).values_list("id", "a_id", "b_id")
            if (a, b) not in keep
        ]
        for i in range(0, len(stale), 500):
            Candidate.objects.filter(pk__in=stale[i : i + 500]).delete()
        candidates_store(found)
    return found, stats


def candidates_refresh_for(
    *, person_ids: Iterable[Any], min_score: float = scan.DEFAULT_MIN_SCORE
) -> int:
    """The duplicates queue brought up to date for these persons (just written, imported or
    merged), without a scan of everyone: the pairs they form now are added or rescored, and
    pairs an earlier scan found that they no longer form are dropped (pairs an import found
    stay until reviewed). Derived data, like the full refresh: not audited. Running it twice
    changes nothing the second time. Returns the number of new candidates."""
    ids = sorted({scan.as_uuid(pk) for pk in person_ids}, key=str)
    if not ids:
        return 0
    found, _stats = scan.find_candidates_for(ids, min_score=min_score)
    keep = {(f.a, f.b) for f in found}
    with transaction.atomic():
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            stale = [
                pk
                for pk, a, b in Candidate.objects.filter(
                    Q(a_id__in=chunk) | Q(b_id__in=chunk),
                    status=Candidate.Status.OPEN,
                    source="scan",
                ).values_list("id", "a_id", "b_id")
                if (a, b) not in keep
            ]
            Candidate.objects.filter(pk__in=stale).delete()
        return candidates_store(found)


def pair_mark_not_same(*, actor: Any, a: Person, b: Person, note: str = "") -> NotSame:
    """Record that two entries are different people; the pair is never proposed again."""
    check(actor, "person.merge")
    if a.pk == b.pk:
        raise ValidationError(_("An entry cannot be compared with itself."))
    first, second = scan.ordered(a.pk, b.pk)
    with transaction.atomic():
        decision, created = NotSame.objects.get_or_create(
            a_id=first,
            b_id=second,
            defaults={
                "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
                "note": note.strip(),
            },
        )
        Candidate.objects.filter(a_id=first, b_id=second).update(
            status=Candidate.Status.NOT_SAME, updated_at=timezone.now()
        )
        if created:
            for person, other in ((a, b), (b, a)):
                audit.record(
                    actor=actor,
                    action=AuditEntry.Action.UPDATE,
                    obj=decision,
                    label=_("Not the same person as #%(n)s") % {"n": other.entry_no},
                    changes={"not_same_as": [None, str(other.pk)]},
                    person_id=person.pk,
                    note=note.strip(),
                )
    return decision


def _live(person: Person) -> Person:
    if person.merged_into_id is not None:
        raise MergeRefused(
            _("Entry #%(n)s was already merged into another entry.") % {"n": person.entry_no}
        )
    return person


def _run_hooks(*persons: Person) -> None:
    from aigaq.people import hooks

    for person in persons:
        for hook in hooks.PERSON_WRITTEN:
            hook(person)


def person_merge(
    *,
    actor: Any,
    survivor: Person,
    retired: Person,
    survivor_version: int | None = None,
    retired_version: int | None = None,
    note: str = "",
) -> Merge:
    """Fold `retired` into `survivor`. The versions are those the curator saw on the review
    page; if either entry changed since, the merge is refused (core.locking.EditConflict)."""
    check(actor, "person.merge")
    if survivor.pk == retired.pk:
        raise MergeRefused(_("An entry cannot be merged into itself."))
    with transaction.atomic():
        # Lock both rows in a fixed order so two concurrent merges cannot deadlock.
        locked: dict[Any, Person] = {}
        for pk, version in sorted(
            [(survivor.pk, survivor_version), (retired.pk, retired_version)],
            key=lambda x: str(x[0]),
        ):
            locked[pk] = lock_for_edit(Person, pk, version)
        s, r = _live(locked[survivor.pk]), _live(locked[retired.pk])
        if NotSame.objects.filter(_pair_q(s.pk, r.pk)).exists():
            raise MergeRefused(
                _("These entries were marked as different people; remove that decision first.")
            )
        moved: dict[str, Any] = {}

        # Names: appended after the survivor's own.
        start = (PersonName.objects.filter(person=s).aggregate(m=Max("position"))["m"] or 0) + 1
        names = list(PersonName.objects.filter(person=r).order_by("position", "id"))
        moved["names"] = [[n.pk, n.position] for n in names]
        for offset, n in enumerate(names):
            PersonName.objects.filter(pk=n.pk).update(person=s, position=start + offset)

        # Testimonies: a testimony naming both keeps its link to the retired entry.
        already = set(
            TestimonyPerson.objects.filter(person=s).values_list("testimony_id", flat=True)
        )
        links = list(
            TestimonyPerson.objects.filter(person=r)
            .exclude(testimony_id__in=already)
            .values_list("pk", flat=True)
        )
        TestimonyPerson.objects.filter(pk__in=links).update(person=s)
        moved["testimony_links"] = [str(pk) for pk in links]

        events = list(StatusEvent.objects.filter(person=r).values_list("pk", flat=True))
        StatusEvent.objects.filter(pk__in=events).update(person=s)
        moved["events"] = [str(pk) for pk in events]

        testifiers = list(Testifier.objects.filter(person=r).values_list("pk", flat=True))
        Testifier.objects.filter(pk__in=testifiers).update(person=s)
        moved["testifiers"] = [str(pk) for pk in testifiers]

        # Sources (many-to-many): the survivor gains the link, the retired entry loses it.
        through = Person.sources.through
        src_ids = set(through.objects.filter(person_id=r.pk).values_list("source_id", flat=True))
        had = set(through.objects.filter(person_id=s.pk).values_list("source_id", flat=True))
        through.objects.filter(person_id=r.pk, source_id__in=src_ids).delete()
        through.objects.bulk_create(
            [through(person_id=s.pk, source_id=sid) for sid in src_ids - had]
        )
        moved["sources"] = {
            "removed": sorted(str(x) for x in src_ids),
            "added": sorted(str(x) for x in src_ids - had),
        }

        # Relations: repointed unless it would relate the survivor to itself or repeat a tie.
        rel_out, rel_in = [], []
        for rel in PersonRelation.objects.filter(person=r).exclude(relative=s):
            if not PersonRelation.objects.filter(person=s, relative_id=rel.relative_id).exists():
                PersonRelation.objects.filter(pk=rel.pk).update(person=s)
                rel_out.append(str(rel.pk))
        for rel in PersonRelation.objects.filter(relative=r).exclude(person=s):
            if not PersonRelation.objects.filter(person_id=rel.person_id, relative=s).exists():
                PersonRelation.objects.filter(pk=rel.pk).update(relative=s)
                rel_in.append(str(rel.pk))
        moved["relations_out"], moved["relations_in"] = rel_out, rel_in

        tag_ids = set(r.tags.values_list("pk", flat=True)) - set(
            s.tags.values_list("pk", flat=True)
        )
        s.tags.add(*tag_ids)
        moved["tags"] = sorted(tag_ids)

        keys = list(
            scan.name_key_model().objects.filter(person_id=r.pk).values_list("pk", flat=True)
        )
        scan.name_key_model().objects.filter(pk__in=keys).update(person_id=s.pk)
        moved["namekeys"] = [str(k) for k in keys]

        # Empty fields of the survivor filled from the retired entry (restricted values are
        # kept out of the record; undo restores the survivor's empty value).
        filled: dict[str, Any] = {}
        for name in FILL_FIELDS:
            if not getattr(s, name) and getattr(r, name):
                filled[name] = getattr(s, name)
                setattr(s, name, getattr(r, name))
        for name, empty in FILL_CHOICES.items():
            if getattr(s, name) == empty and getattr(r, name) != empty:
                filled[name] = empty
                setattr(s, name, getattr(r, name))
        moved["filled"] = filled

        bump(s)
        s.save()
        r.merged_into = s
        bump(r)
        r.save()

        merge = Merge.objects.create(
            survivor=s,
            retired=r,
            merged_by=actor if getattr(actor, "is_authenticated", False) else None,
            moved=moved,
            survivor_version_after=s.version,
            retired_version_after=r.version,
        )
        Candidate.objects.filter(_pair_q(s.pk, r.pk)).update(
            status=Candidate.Status.MERGED, updated_at=timezone.now()
        )
        Candidate.objects.filter(status=Candidate.Status.OPEN).filter(
            Q(a_id=r.pk) | Q(b_id=r.pk)
        ).delete()
        counts = {k: _count(v) for k, v in moved.items() if k != "filled"}
        fields_changed = sorted(filled)
        for person, role in ((s, "survivor"), (r, "retired")):
            audit.record(
                actor=actor,
                action=AuditEntry.Action.MERGE,
                obj=person,
                changes={
                    "merge": [None, str(merge.pk)],
                    "role": [None, role],
                    "merged_into": [None, str(s.pk)] if role == "retired" else [None, None],
                    "moved": [None, counts],
                    "fields_filled": [None, fields_changed],
                },
                person_id=person.pk,
                note=note.strip()
                or _("Entry #%(r)s merged into #%(s)s") % {"r": r.entry_no, "s": s.entry_no},
            )
        from aigaq.people.services import person_refresh_status

        person_refresh_status(s)
        _run_hooks(s, r)
        pause_at("merge.moved")
    return merge


def _count(value: Any) -> int:
    if isinstance(value, dict):
        return sum(len(v) for v in value.values())
    return len(value)


def person_unmerge(*, actor: Any, merge: Merge, note: str = "") -> Merge:
    """Undo a merge: every row that moved goes back, filled fields are emptied again, the
    retired entry lives again. Refused if either entry was edited since the merge."""
    check(actor, "person.merge")
    with transaction.atomic():
        m = Merge.objects.select_for_update().get(pk=merge.pk)
        if m.undone_at is not None:
            raise MergeRefused(_("This merge was already undone."))
        s = lock_for_edit(Person, m.survivor_id, m.survivor_version_after)
        r = lock_for_edit(Person, m.retired_id, m.retired_version_after)
        if r.merged_into_id != s.pk:
            raise EditConflict(r, m.retired_version_after)
        moved = m.moved
        for pk, position in moved.get("names", []):
            PersonName.objects.filter(pk=pk, person=s).update(person=r, position=position)
        TestimonyPerson.objects.filter(pk__in=moved.get("testimony_links", []), person=s).update(
            person=r
        )
        StatusEvent.objects.filter(pk__in=moved.get("events", []), person=s).update(person=r)
        Testifier.objects.filter(pk__in=moved.get("testifiers", []), person=s).update(person=r)
        through = Person.sources.through
        sources = moved.get("sources", {})
        through.objects.filter(person_id=s.pk, source_id__in=sources.get("added", [])).delete()
        through.objects.bulk_create(
            [through(person_id=r.pk, source_id=sid) for sid in sources.get("removed", [])]
        )
        PersonRelation.objects.filter(pk__in=moved.get("relations_out", []), person=s).update(
            person=r
        )
        PersonRelation.objects.filter(pk__in=moved.get("relations_in", []), relative=s).update(
            relative=r
        )
        s.tags.remove(*moved.get("tags", []))
        if moved.get("namekeys"):
            scan.name_key_model().objects.filter(pk__in=moved["namekeys"], person_id=s.pk).update(
                person_id=r.pk
            )
        for name, value in moved.get("filled", {}).items():
            setattr(s, name, value)
        first = PersonName.objects.filter(person=s).order_by("position", "id").first()
        if first is not None:
            s.primary_name = first.full_name
        bump(s)
        s.save()
        r.merged_into = None
        bump(r)
        r.save()
        m.undone_at = timezone.now()
        m.undone_by = actor if getattr(actor, "is_authenticated", False) else None
        m.save(update_fields=["undone_at", "undone_by"])
        Candidate.objects.filter(_pair_q(s.pk, r.pk)).update(
            status=Candidate.Status.OPEN, updated_at=timezone.now()
        )
        for person in (s, r):
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UNMERGE,
                obj=person,
                changes={"merge": [str(m.pk), None], "merged_into": [str(s.pk), None]}
                if person is r
                else {"merge": [str(m.pk), None]},
                person_id=person.pk,
                note=note.strip()
                or _("Merge of #%(r)s into #%(s)s undone") % {"r": r.entry_no, "s": s.entry_no},
            )
        from aigaq.people.services import person_refresh_status

        person_refresh_status(s)
        person_refresh_status(r)
        _run_hooks(s, r)
    return m
