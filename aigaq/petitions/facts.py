"""What a petition may say about a person: their names, facts and timeline, in the document's
language, read only from what consent allows.

A timeline event that cites a testimony whose consent does not allow petitions is left out
(`disclosure.policy.testimony_usable_for(t, Use.PETITION)` decides); events from recorded
sources and free-text sources stay. The testimonies a petition may rely on are
`disclosure.policy.testimonies_usable_for(..., Use.PETITION)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from aigaq.core.dates import parse_partial_date
from aigaq.disclosure.policy import Use, testimonies_usable_for, testimony_usable_for
from aigaq.people.models import Person, PersonName, StatusEvent, StatusKind
from aigaq.testimonies.models import Testimony

#: The first of these on the timeline is when the person disappeared (lost contact or taken).
DISAPPEARANCE_KINDS = ("lost_contact", "detained", "camp", "prison", "house_arrest")
#: The first of these is the arrest.
ARREST_KINDS = ("detained", "camp", "prison", "house_arrest")
#: The latest of these with a facility is where the person is held.
DETENTION_KINDS = ("detained", "camp", "prison", "camp_work", "house_arrest", "forced_labour")
#: Official claims and denials stand beside the family's reports, never in their place.
FAMILY_REPORTS = (StatusEvent.Report.REPORTED, StatusEvent.Report.CONFIRMED)


@dataclass
class NameFact:
    full_name: str
    script: str
    script_label: str
    kind: str


@dataclass
class EventFact:
    kind: str
    kind_label: str
    date_text: str
    start: dt.date | None
    end: dt.date | None
    precision: str | None
    place: str
    facility: str
    sentence: str
    report: str


@dataclass
class PersonFacts:
    person: Person
    entry_no: int
    primary_name: str
    names: list[NameFact]
    gender: str
    gender_label: str
    birth: str
    birth_exact: bool
    ethnicity: str
    citizenships: list[str]
    hometown: str
    occupation: str
    status: str
    events: list[EventFact] = field(default_factory=list)
    disappearance: EventFact | None = None
    arrest: EventFact | None = None
    detention: EventFact | None = None
    later_events: list[EventFact] = field(default_factory=list)
    testimonies: list[Testimony] = field(default_factory=list)
    withheld_events: int = 0
    # The ethnic group's code (kazakh, uyghur...): a document in a language the interface
    # does not speak says it with petitions_text's `word` filter.
    ethnicity_code: str = ""

    @property
    def label(self) -> str:
        return f"#{self.entry_no} {self.primary_name}"


def usable_testimonies(person: Person) -> QuerySet[Testimony]:
    """The testimonies about `person` whose consent allows their use in petitions."""
    about = Testimony.objects.filter(relations__person=person).distinct()
    return testimonies_usable_for(about, Use.PETITION).select_related("testifier")


def _event(e: StatusEvent, language: str) -> EventFact:
    precision: str | None = None
    if e.date_text:
        try:
            precision = parse_partial_date(e.date_text).precision
        except Exception:  # an old free-text date: dated by its stored range only
            precision = "range"
    return EventFact(
        kind=e.kind,
        kind_label=str(e.get_kind_display()),
        date_text=e.date_text,
        start=e.date_start,
        end=e.date_end,
        precision=precision if e.date_start else None,
        place=e.place.name_in(language) if e.place_id and e.place else "",
        facility=e.facility,
        sentence=e.sentence,
        report=e.report,
    )


def person_facts(person: Person, language: str) -> PersonFacts:
    """Everything a petition in `language` may say about `person`."""
    with translation.override(language):
        names = [
            NameFact(
                full_name=n.full_name,
                script=n.script,
                script_label=str(n.get_script_display()) if n.script else "",
                kind=n.kind,
            )
            for n in PersonName.objects.filter(person=person).order_by("position", "id")
        ]
        birth = ""
        if person.birth_year:
            birth = str(person.birth_year)
            if person.birth_year_max and person.birth_year_max != person.birth_year:
                birth = f"{person.birth_year}–{person.birth_year_max}"
        status = ""
        if person.current_status in StatusKind.values:
            status = str(StatusKind(person.current_status).label)
        facts = PersonFacts(
            person=person,
            entry_no=person.entry_no,
            primary_name=person.primary_name,
            names=names,
            gender=person.gender,
            gender_label=str(person.get_gender_display()),
            birth=birth,
            birth_exact=bool(person.birth_year)
            and person.birth_year_max in (None, person.birth_year),
            ethnicity=str(person.get_ethnicity_display()) if person.ethnicity != "unknown" else "",
            citizenships=list(person.citizenships or []),
            hometown=person.hometown.name_in(language) if person.hometown else "",
            occupation=person.occupation,
            status=status,
            ethnicity_code=person.ethnicity if person.ethnicity != "unknown" else "",
        )
        events = (
            StatusEvent.objects.filter(person=person)
            .select_related("place", "testimony")
            .order_by("date_start", "created_at")
        )
        for e in events:
            if e.testimony is not None and not testimony_usable_for(e.testimony, Use.PETITION):
                facts.withheld_events += 1
                continue
            facts.events.append(_event(e, language))
    family = [e for e in facts.events if e.report in FAMILY_REPORTS]
    facts.disappearance = _first(family, DISAPPEARANCE_KINDS)
    facts.arrest = _first(family, ARREST_KINDS)
    held = [e for e in family if e.kind in DETENTION_KINDS and e.facility]
    facts.detention = held[-1] if held else None
    first = facts.disappearance
    facts.later_events = [e for e in family if e is not first] if first else []
    facts.testimonies = list(usable_testimonies(person))
    return facts


def _first(events: list[EventFact], kinds: tuple[str, ...]) -> EventFact | None:
    dated = [e for e in events if e.kind in kinds and e.start is not None]
    if dated:
        return dated[0]
    return next((e for e in events if e.kind in kinds), None)


def all_name_forms(persons: list[PersonFacts]) -> list[str]:
    return [n.full_name for p in persons for n in p.names]


def template_context(persons: list[PersonFacts], entries: dict[str, Any], form: Any) -> dict:
    return {
        "person": persons[0] if persons else None,
        "persons": persons,
        "entries": entries,
        "requirements": form.requirements,
        "form": form,
        "today": timezone.localdate().isoformat(),
    }
