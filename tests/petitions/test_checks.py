"""The completeness check: what is missing or weak, in the reader's language; consent asked
of disclosure.policy; a name no font prints refused; a coordinator's broken template named."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from aigaq.people.services import status_event_add
from aigaq.petitions import registry
from aigaq.petitions.checks import iin_problem
from aigaq.petitions.registry import FormError, form_names, load_form
from aigaq.petitions.services import prepare
from tests import factories
from tests.petitions.conftest import ENTRIES, IIN

pytestmark = pytest.mark.django_db


def test_the_forms_load_and_cite_their_sources() -> None:
    assert form_names() == ["kz-mfa-kk", "kz-mfa-ru", "wgad", "wgeid", "wgeid-es", "wgeid-fr"]
    for name in form_names():
        form = load_form(name)
        assert form.sources and all(s["url"].startswith("http") for s in form.sources)
        assert all(e.requirement for e in form.entries)
        assert "consent" in form.record_facts


def test_a_complete_record_passes_every_form(ready_person: Any) -> None:
    for name in form_names():
        prepared = prepare(form=name, persons=[ready_person], entries=ENTRIES[name])
        assert prepared.report.ok, (name, prepared.report.findings)
        assert prepared.entries["substance"]


def test_what_is_missing_and_weak_is_listed_in_the_users_language(coordinator: Any) -> None:
    p = factories.person("Бақыт Нұрланұлы", actor=coordinator, status="lost_contact", date="2018")
    factories.testimony(p, actor=coordinator, consent_petitions=True)
    with translation.override("en"):
        report = prepare(form="wgeid", persons=[p], entries={}).report
    messages = {f.key: (f.level, f.message) for f in report.findings}
    assert not report.ok
    assert messages["disappearance_date"] == (
        "weak",
        "Date of the disappearance (arrest or last contact): only the year is known; WGEID asks "
        "for the most precise date known: the text says that the exact date is not known.",
    )
    assert messages["birth"][0] == "missing"
    assert messages["disappearance_place"][0] == "missing"
    assert messages["forces"] == ("missing", "Forces believed responsible: not filled in.")
    assert messages["family_consent"][0] == "missing"
    # The written substance says the date is not exact.
    prepared = prepare(form="wgeid", persons=[p], entries={})
    assert "in 2018 (the exact date is not known)" in prepared.entries["substance"]
    with translation.override("ru"):
        report = prepare(form="wgeid", persons=[p], entries={}).report
    assert any("известен только год" in f.message for f in report.findings)


def test_no_consent_for_petitions_refuses_with_the_reason(coordinator: Any) -> None:
    p = factories.person("Ерлан Қайратұлы", actor=coordinator, status="detained", date="2018-03")
    factories.testimony(p, actor=coordinator, consent_petitions=False, consent_press=True)
    report = prepare(form="kz-mfa-ru", persons=[p], entries=ENTRIES["kz-mfa-ru"]).report
    assert not report.ok
    assert [f.key for f in report.refused] == ["consent"]
    assert "consent" in report.refused[0].message


def test_an_event_from_a_testimony_without_consent_is_left_out(
    ready_person: Any, coordinator: Any
) -> None:
    other = factories.testimony(ready_person, actor=coordinator, consent_petitions=False)
    status_event_add(
        actor=coordinator,
        person=ready_person,
        kind="prison",
        date_text="2019-02",
        sentence="secret sentence",
        testimony=other,
    )
    prepared = prepare(form="wgeid", persons=[ready_person], entries=ENTRIES["wgeid"])
    assert prepared.persons[0].withheld_events == 1
    assert "secret sentence" not in prepared.entries["substance"]


def test_a_name_no_font_prints_is_refused(coordinator: Any, ready_person: Any) -> None:
    from aigaq.people.models import PersonName

    PersonName.objects.create(person=ready_person, full_name="བཀྲ་ཤིས", position=9)
    report = prepare(form="wgeid", persons=[ready_person], entries=ENTRIES["wgeid"]).report
    assert not report.ok
    assert report.refused[0].key == "fonts"
    assert "U+0F56 TIBETAN LETTER BA" in report.refused[0].message


def test_iin_format() -> None:
    assert iin_problem(IIN) is None
    assert iin_problem("75051230001") == "the IIN must be exactly 12 digits"
    assert "check digit" in (iin_problem("750512300018") or "")
    assert "date of birth" in (iin_problem("751312300019") or "")


def test_several_relatives_on_one_appeal_but_one_per_un_case(
    ready_person: Any, coordinator: Any
) -> None:
    brother = factories.person("Болат Оспанұлы", actor=coordinator, status="camp", date="2018")
    factories.testimony(brother, actor=coordinator, consent_petitions=True)
    both = [ready_person, brother]
    prepared = prepare(form="kz-mfa-kk", persons=both, entries=ENTRIES["kz-mfa-kk"])
    assert prepared.report.ok, prepared.report.findings
    assert "Болат Оспанұлы" in prepared.entries["substance"]
    assert "2018 жылы (нақты күні белгісіз)" in prepared.entries["substance"]
    report = prepare(form="wgeid", persons=both, entries=ENTRIES["wgeid"]).report
    assert [f.key for f in report.refused] == ["persons"]


def test_a_template_a_coordinator_broke_is_named_with_its_line(
    tmp_path: Path, monkeypatch: Any
) -> None:
    copy = tmp_path / "forms"
    shutil.copytree(registry.PACKAGE_FORMS, copy)
    monkeypatch.setenv("AIGAQ_PETITION_FORMS", str(copy))
    page = copy / "wgeid" / "template.html"
    page.write_text(page.read_text().replace("{% endfor %}", "{% endfor", 1))
    with pytest.raises(FormError) as err:
        load_form("wgeid")
    assert "wgeid/template.html" in str(err.value)
    assert "line" in str(err.value)
    (copy / "wgad" / "form.toml").write_text('name = "wgad"\nlanguage = "de"\n')
    with pytest.raises(FormError, match="language must be one of"):
        load_form("wgad")
    with pytest.raises(FormError, match="There is no petition form nope"):
        load_form("nope")


def test_the_font_check_reads_the_fonts_the_stylesheet_names() -> None:
    from aigaq.petitions import fonts

    css = registry.style_path().read_text()
    assert ", ".join(f'"{f}"' for f in fonts.FAMILIES) in css
    for text in ("Серік Оспанұлы", "سېرىك ئوسپان", "ساۋلەت ٴابدىرازاق", "赛力克·乌斯满"):
        assert fonts.missing_characters(text) == [], text
