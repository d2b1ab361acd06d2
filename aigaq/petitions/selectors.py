"""Reads for the petition pages: a person's petitions, and each form's readiness for them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from aigaq.people.models import Person
from aigaq.petitions.checks import Finding
from aigaq.petitions.models import Petition
from aigaq.petitions.registry import FormError, PetitionForm, all_forms
from aigaq.petitions.services import prepare


def petitions_of(person: Person) -> QuerySet[Petition]:
    """Every petition about `person` (filed under them or naming them with relatives)."""
    return (
        Petition.objects.filter(persons=person)
        .select_related("person")
        .distinct()
        .order_by("-created_at")
    )


@dataclass
class Readiness:
    """How far `person`'s record goes for one form, before the volunteer's entries."""

    form: PetitionForm
    record: list[Finding] = field(default_factory=list)
    entries_to_fill: int = 0
    error: str = ""

    @property
    def refused(self) -> bool:
        return any(f.level == "refused" for f in self.record) or bool(self.error)

    @property
    def record_complete(self) -> bool:
        return not any(f.level in ("refused", "missing") for f in self.record) and not self.error


def readiness_for(person: Person) -> tuple[list[Readiness], list[str]]:
    """Each form's findings about the record alone (the entries the volunteer fills in are
    counted apart), and one sentence per form whose files cannot be used."""
    forms, errors = all_forms()
    out: list[Readiness] = []
    for form in forms:
        entry_keys = {e.key for e in form.entries}
        try:
            prepared = prepare(form=form, persons=[person], entries={})
        except FormError as exc:
            out.append(Readiness(form=form, error=str(exc)))
            continue
        ready = Readiness(form=form)
        for f in prepared.report.findings:
            if f.key in entry_keys:
                ready.entries_to_fill += 1
            else:
                ready.record.append(f)
        out.append(ready)
    return out, errors
