"""The demo has persons a newcomer can try the petitions on: some whose petitions can be
generated for every form, one without consent for petitions, one with facts missing."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.demo.records import generate_demo
from aigaq.people.gazetteer import gazetteer_load
from aigaq.people.models import Person
from aigaq.petitions.registry import form_names
from aigaq.petitions.services import petition_create, petition_generate, prepare
from tests.petitions.conftest import ENTRIES

pytestmark = pytest.mark.django_db


def test_the_demo_examples_are_ready_refused_and_incomplete(coordinator: Any) -> None:
    gazetteer_load()
    summary = generate_demo(people=60, seed=7)
    assert summary.petition_examples == 5 and Person.objects.count() == 60
    examples = list(
        Person.objects.filter(biography__startswith="Demo example for petitions").order_by(
            "entry_no"
        )
    )
    ready, brother, third, no_consent, incomplete = examples
    for person in (ready, brother, third):
        for name in form_names():
            report = prepare(form=name, persons=[person], entries=ENTRIES[name]).report
            assert report.ok, (person.biography, name, report.findings)
    both = prepare(form="kz-mfa-ru", persons=[ready, brother], entries=ENTRIES["kz-mfa-ru"])
    assert both.report.ok
    refused = prepare(form="wgeid", persons=[no_consent], entries=ENTRIES["wgeid"]).report
    assert [f.key for f in refused.refused] == ["consent"]
    missing = prepare(form="wgeid", persons=[incomplete], entries=ENTRIES["wgeid"]).report
    assert {f.key for f in missing.missing} == {"birth", "disappearance_place"}
    assert [f.key for f in missing.weak] == ["disappearance_date"]
    # A generated PDF of the demo's Kazakh family, both brothers on one appeal.
    petition = petition_create(
        actor=coordinator, form="kz-mfa-kk", persons=[ready, brother], entries=ENTRIES["kz-mfa-kk"]
    )
    document = petition_generate(actor=coordinator, petition=petition, fmt="pdf")
    assert len(document.names) == ready.names.count() + brother.names.count()
