"""Aigaq's records as HURIDOCS Events Standard Formats (ESF), in JSON (docs/interop.md,
"HURIDOCS Events Standard Formats").

ESF describes a violation as an *event* made of *acts* done to a *victim* (a person record),
told by *information* from a *source* (another person record) and followed by
*interventions*. Aigaq has no event record of its own: each documented person is one event
("the detention of #401"), each status report of the timeline one act (type of act = the
status: detained, camp, prison...), each testimony about the person one information record
whose source is the testifier, each petition one intervention. Field names are ESF's (as
OpenEvSys, HURIDOCS' ESF application, names them); Aigaq's own words go in the values.

What goes out is what aigaq/disclosure lets the reader see: the persons of `persons_for`, the
testimonies of `testimonies_for`, the testifier's name as `testifier_name_for` gives it.
`public_only` reads as the public site does (disclosure.public: public entries, initials where
consent asks for them, no petitions). Restricted fields (Chinese ID numbers), testifiers'
contacts and ID documents, a petition's applicant and its answer are never written, for any
reader.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.models import Role, User
from aigaq.core.permissions import check
from aigaq.disclosure.policy import testifier_name_for
from aigaq.disclosure.public import public_entries, public_persons
from aigaq.disclosure.selectors import persons_for, testimonies_for
from aigaq.people.models import DETENTION_KINDS, Person
from aigaq.petitions.models import Petition

FORMAT = "huridocs-esf"
FORMAT_VERSION = 1
#: The command line reads as the system does: an administrator's view, through disclosure.
_SYSTEM_READER = User(username="system", role=Role.ADMIN, is_active=True)


@dataclass
class EsfReport:
    persons: int = 0
    events: int = 0
    acts: int = 0
    information: int = 0
    interventions: int = 0


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _date_type(start: dt.date | None, end: dt.date | None) -> str:
    """ESF's "types of dates": an exact day, an estimate (a partial date: a month, a year, a
    season, stored as a range), or unknown."""
    if start is None and end is None:
        return "unknown"
    return "exact" if start == end else "estimated"


def _person(number: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "person_record_number": number,
        "counting_unit": "individual",
        "person_name": name,
        **fields,
    }


def _act(number: str, event: str, victim: str, e: Any) -> dict[str, Any]:
    act = {
        "act_record_number": number,
        "event": event,
        "victim": victim,
        "type_of_act": e.kind,
        "initial_date": _iso(e.date_start),
        "initial_date_type": _date_type(e.date_start, e.date_end),
        "final_date": _iso(e.date_end),
        "final_date_type": _date_type(e.date_start, e.date_end),
        "date_text": e.date_text,
        "exact_location": e.facility,
        "remarks": e.report,
    }
    if e.kind in DETENTION_KINDS:
        act["arrest"] = {"type_of_detention": e.kind, "case_description": e.sentence}
    return act


def esf_document(*, actor: Any, public_only: bool = False) -> tuple[dict[str, Any], EsfReport]:
    """The ESF-shaped document of what `actor` (None: the system) may see."""
    report = EsfReport()
    persons: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    acts: list[dict[str, Any]] = []
    information: list[dict[str, Any]] = []
    interventions: list[dict[str, Any]] = []
    if public_only:
        for entry in public_entries(public_persons().order_by("entry_no")):
            victim, event = f"P{entry.entry_no}", f"E{entry.entry_no}"
            persons.append(
                _person(
                    victim,
                    entry.name,
                    other_names=[] if entry.anonymous else [n.full_name for n in entry.names],
                    confidentiality="n",
                    sex=entry.gender,
                    date_of_birth=str(entry.birth_year) if entry.birth_year else None,
                    date_of_birth_type="estimated" if entry.birth_year else "unknown",
                    ethnic_background=entry.ethnicity,
                    citizenship=list(entry.citizenships),
                    occupation=entry.occupation,
                    remarks=entry.biography,
                )
            )
            events.append(_event(event, entry.name, entry.current_status, victim))
            for i, published in enumerate(entry.events, 1):
                acts.append(_act(f"{event}-A{i}", event, victim, _PublicAct(published)))
            for told in entry.testimonies:
                source = f"T{told.number}-S"
                persons.append(_person(source, told.testifier, confidentiality="n"))
                information.append(
                    _information(
                        event, source, victim, told.number, told.relationship, told.recorded_on
                    )
                    | {"language_of_source_material": told.language, "remarks": told.summary}
                )
    else:
        reader = actor or _SYSTEM_READER
        visible = testimonies_for(reader).select_related("testifier")
        qs = persons_for(reader).prefetch_related("names", "events").order_by("entry_no")
        testimonies = {t.pk: t for t in visible}
        links = _links(set(testimonies))
        petitions = _petitions()
        sources: set[str] = set()
        for person in qs.iterator(chunk_size=1000):
            victim, event = f"P{person.entry_no}", f"E{person.entry_no}"
            name = person.primary_name
            persons.append(
                _person(
                    victim,
                    name,
                    other_names=[n.full_name for n in person.names.all() if n.full_name != name],  # type: ignore[attr-defined]
                    confidentiality="n" if person.visibility == "public" else "y",
                    sex=person.gender,
                    date_of_birth=str(person.birth_year) if person.birth_year else None,
                    date_of_birth_type="estimated" if person.birth_year else "unknown",
                    ethnic_background=person.ethnicity,
                    citizenship=list(person.citizenships or []),
                    occupation=person.occupation,
                    remarks=person.biography,
                )
            )
            events.append(_event(event, name, person.current_status, victim))
            timeline = sorted(
                person.events.all(),  # type: ignore[attr-defined]
                key=lambda e: (e.date_start or dt.date.max, e.created_at),
            )
            for i, e in enumerate(timeline, 1):
                acts.append(_act(f"{event}-A{i}", event, victim, e))
            for testimony_id, relationship in links.get(person.pk, []):
                t = testimonies[testimony_id]
                source = f"T{t.number}-S"
                if source not in sources:
                    sources.add(source)
                    persons.append(
                        _person(
                            source,
                            testifier_name_for(reader, t),
                            confidentiality="n" if t.visibility == "public" else "y",
                        )
                    )
                information.append(
                    _information(event, source, victim, t.number, relationship, t.recorded_on)
                    | {"language_of_source_material": t.language, "remarks": t.summary}
                )
            for p in petitions.get(person.pk, []):
                interventions.append(
                    {
                        "intervention_record_number": f"I-{p.pk}",
                        "intervening_party": "ORG",
                        "event": event,
                        "victim": victim,
                        "type_of_intervention": "petition",
                        "date_of_intervention": _iso(p.sent_on or p.signed_on),
                        "parties_requested": p.form,
                        "intervention_status": p.state,
                        "response": "answered" if p.answered_on else None,
                        "date_of_response": _iso(p.answered_on),
                        "registration_number": p.registration_no,
                    }
                )
        if interventions:
            persons.append(_person("ORG", _("The documenting group"), counting_unit="organisation"))
    report.persons, report.events, report.acts = len(persons), len(events), len(acts)
    report.information, report.interventions = len(information), len(interventions)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "standard": "HURIDOCS Events Standard Formats",
        "created_at": timezone.now().isoformat(),
        "public_only": public_only,
        "events": events,
        "persons": persons,
        "acts": acts,
        "information": information,
        "interventions": interventions,
    }
    return document, report


class _PublicAct:
    """A disclosure.public PublicEvent read as an act (no end date: the public site shows the
    start and the words of the date)."""

    def __init__(self, e: Any) -> None:
        self.kind, self.report, self.date_text = e.kind, e.report, e.date_text
        self.date_start = self.date_end = e.date_start
        self.facility, self.sentence = e.facility, e.sentence


def _event(number: str, name: str, status: str, victim: str) -> dict[str, Any]:
    return {
        "event_record_number": number,
        "event_title": name,
        "confidentiality": "n",
        "violation_status": status,
        "victims": [victim],
    }


def _information(
    event: str, source: str, victim: str, number: int, relationship: str, day: dt.date
) -> dict[str, Any]:
    return {
        "information_record_number": f"T{number}-{victim}",
        "event": event,
        "source": source,
        "related_person": victim,
        "source_connection_to_information": relationship,
        "type_of_source_material": "testimony",
        "date_of_source_material": _iso(day),
        "testimony_number": f"T{number}",
    }


def _links(testimony_ids: set[Any]) -> dict[Any, list[tuple[Any, str]]]:
    from aigaq.testimonies.models import TestimonyPerson

    out: dict[Any, list[tuple[Any, str]]] = {}
    rows = TestimonyPerson.objects.filter(testimony_id__in=testimony_ids).order_by(
        "testimony__number"
    )
    for person_id, testimony_id, relationship in rows.values_list(
        "person_id", "testimony_id", "relationship"
    ):
        out.setdefault(person_id, []).append((testimony_id, relationship))
    return out


def _petitions() -> dict[Any, list[Petition]]:
    out: dict[Any, list[Petition]] = {}
    # Only the fields an intervention carries: never the applicant nor the answer's text.
    fields = ("pk", "person_id", "form", "state", "sent_on", "signed_on", "answered_on")
    for p in Petition.objects.only(*fields[1:], "registration_no").order_by("created_at"):
        out.setdefault(p.person_id, []).append(p)
    return out


def esf_export(*, actor: Any, out: IO[str], public_only: bool = False) -> EsfReport:
    """Write the ESF JSON of what `actor` (None: the system) may see into `out`. Audited."""
    check(actor, "export.run")
    document, report = esf_document(actor=actor, public_only=public_only)
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")
    audit.record_export(
        actor=actor,
        model=Person,
        label=_("HURIDOCS ESF JSON"),
        changes={"format": FORMAT, "public_only": public_only, "persons": report.persons},
    )
    return report
