"""The completeness check before a petition is generated: exactly what is missing or weak for
one form, in the reader's language (the interface's, not the document's).

* refused: the petition may not be made at all (no consent for petitions; a name no font can
  draw; several persons on a form that takes one);
* missing: a required fact or entry is not there; the petition is not generated until it is;
* weak: it can be generated, but the body asks for more (only the year of the arrest is
  known): the generated text says so, and the volunteer should know.

Nothing is ever generated while a refused or missing finding stands, so no document has a
blank where a required fact should be.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aigaq.core.phones import normalize_phone
from aigaq.petitions import fonts
from aigaq.petitions.facts import EventFact, PersonFacts
from aigaq.petitions.registry import PetitionForm

REFUSED, MISSING, WEAK = "refused", "missing", "weak"
IIN_RE = re.compile(r"^\d{12}$")
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y"})


@dataclass(frozen=True)
class Finding:
    level: str
    key: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"level": self.level, "key": self.key, "message": self.message}


@dataclass
class CheckReport:
    form: str
    persons: list[int]
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """May the petition be generated?"""
        return not any(f.level in (REFUSED, MISSING) for f in self.findings)

    @property
    def refused(self) -> list[Finding]:
        return [f for f in self.findings if f.level == REFUSED]

    @property
    def missing(self) -> list[Finding]:
        return [f for f in self.findings if f.level == MISSING]

    @property
    def weak(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WEAK]

    def as_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "persons": self.persons,
            "can_generate": self.ok,
            "findings": [f.as_json() for f in self.findings],
        }

    def summary(self) -> str:
        """One paragraph: why the petition cannot be generated (for an error)."""
        return " ".join(f.message for f in self.findings if f.level in (REFUSED, MISSING))


def iin_problem(value: str) -> str | None:
    """Why `value` is not a Kazakhstan individual identification number, or None. Twelve
    digits: the birth date (YYMMDD), a century-and-sex digit, four digits, a check digit."""
    if not IIN_RE.match(value):
        return _("the IIN must be exactly 12 digits")
    digits = [int(c) for c in value]
    month, day = int(value[2:4]), int(value[4:6])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return _("the IIN's first six digits must be a date of birth (YYMMDD)")
    check = sum(d * w for d, w in zip(digits[:11], range(1, 12), strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits[:11], [*range(3, 12), 1, 2], strict=True)) % 11
    if check != digits[11]:
        return _("the IIN's check digit does not match: compare it with the identity card")
    return None


def check_petition(
    form: PetitionForm,
    persons: Sequence[PersonFacts],
    entries: Mapping[str, Any],
) -> CheckReport:
    """What is missing or weak for `form` about `persons` with the volunteer's `entries`
    (already completed with the form's defaults and the written substance)."""
    report = CheckReport(form=form.name, persons=[p.entry_no for p in persons])
    add = report.findings.append
    if not persons:
        add(Finding(REFUSED, "persons", _("No person is named for this petition.")))
        return report
    if len(persons) > 1 and not form.several_persons:
        add(
            Finding(
                REFUSED,
                "persons",
                _("The form %(form)s takes one person per petition; make one for each.")
                % {"form": form.short},
            )
        )
    several = len(persons) > 1
    for p in persons:
        for finding in _record_findings(form, p):
            if several:
                finding = Finding(finding.level, finding.key, f"{p.label}: {finding.message}")
            add(finding)
    for finding in _entry_findings(form, entries):
        add(finding)
    for finding in _font_findings(persons, entries):
        add(finding)
    return report


def _precision_weak(what: str, event: EventFact, form: PetitionForm) -> str | None:
    known = {
        "month": _("only the month is known"),
        "season": _("only the season is known"),
        "year": _("only the year is known"),
        "range": _("only a span of dates is known"),
    }.get(event.precision or "")
    if not known:
        return None
    return _(
        "%(what)s: %(known)s; %(body)s asks for the most precise date known: the text says "
        "that the exact date is not known."
    ) % {"what": what, "known": known, "body": form.short}


def _record_findings(form: PetitionForm, p: PersonFacts) -> list[Finding]:
    out: list[Finding] = []
    facts = form.record_facts
    if "consent" in facts and not p.testimonies:
        out.append(
            Finding(
                REFUSED,
                "consent",
                _(
                    "No testimony about this person allows its use in petitions (consent not "
                    "given, or withdrawn). Record the family's consent on their testimony first."
                ),
            )
        )
    if "names" in facts and not p.names:
        out.append(Finding(MISSING, "names", _("The person has no name recorded.")))
    if "birth" in facts:
        if not p.birth:
            out.append(
                Finding(MISSING, "birth", _("Year of birth: not recorded in the person's entry."))
            )
        elif not p.birth_exact:
            out.append(
                Finding(
                    WEAK,
                    "birth",
                    _("Year of birth: only a span (%(span)s) is known; the document gives it.")
                    % {"span": p.birth},
                )
            )
    if "disappearance_date" in facts:
        out.extend(
            _date_findings(
                form,
                p.disappearance,
                "disappearance_date",
                _("Date of the disappearance (arrest or last contact)"),
                _(
                    "Date of the disappearance: the timeline has no detention or loss of "
                    "contact reported by the family. Add it to the status timeline."
                ),
            )
        )
    if "disappearance_place" in facts:
        e = p.disappearance
        if not (e and e.place) and not p.hometown:
            out.append(
                Finding(
                    MISSING,
                    "disappearance_place",
                    _(
                        "Place of the arrest or of last being seen: neither the timeline nor "
                        "the hometown says where. Add the place to the status event."
                    ),
                )
            )
        elif not (e and e.place):
            out.append(
                Finding(
                    WEAK,
                    "disappearance_place",
                    _(
                        "Place of the arrest: not recorded on the timeline; the hometown (%(place)s) "
                        "is given instead."
                    )
                    % {"place": p.hometown},
                )
            )
    if "arrest_date" in facts:
        out.extend(
            _date_findings(
                form,
                p.arrest,
                "arrest_date",
                _("Date of the arrest"),
                _(
                    "Date of the arrest: the timeline has no detention, camp or prison reported "
                    "by the family. Add it to the status timeline."
                ),
            )
        )
    if "detention_place" in facts and p.detention is None:
        out.append(
            Finding(
                MISSING,
                "detention_place",
                _(
                    "Place of detention: no event of the timeline names the facility (camp, "
                    "prison, detention centre). Add it to the status event."
                ),
            )
        )
    return out


def _date_findings(
    form: PetitionForm, event: EventFact | None, key: str, what: str, absent: str
) -> list[Finding]:
    if event is None:
        return [Finding(MISSING, key, absent)]
    if event.start is None:
        return [
            Finding(
                MISSING,
                key,
                _("%(what)s: the date is not known; %(body)s needs at least the year.")
                % {"what": what, "body": form.short},
            )
        ]
    weak = _precision_weak(what, event, form)
    return [Finding(WEAK, key, weak)] if weak else []


def entry_value(entries: Mapping[str, Any], key: str) -> str:
    value = entries.get(key)
    if value is None or isinstance(value, bool):
        return "yes" if value else ""
    return str(value).strip()


def is_true(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in TRUE_WORDS


def _entry_findings(form: PetitionForm, entries: Mapping[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    lang = get_language()
    for entry in form.entries:
        label = entry.label_in(lang)
        value = entry_value(entries, entry.key)
        if entry.kind in ("bool",):
            continue
        if entry.kind == "consent":
            if entry.required and not is_true(entries.get(entry.key)):
                out.append(
                    Finding(
                        MISSING,
                        entry.key,
                        _("%(label)s: not confirmed. Tick it only when the family has agreed.")
                        % {"label": label},
                    )
                )
            continue
        if not value:
            if entry.required:
                out.append(
                    Finding(MISSING, entry.key, _("%(label)s: not filled in.") % {"label": label})
                )
            continue
        problem = None
        if entry.kind == "iin":
            problem = iin_problem(value)
        elif entry.kind == "phone":
            try:
                normalize_phone(value)
            except ValidationError as exc:
                problem = " ".join(exc.messages)
        elif entry.kind == "choice":
            chosen = [c.strip() for c in value.split(",") if c.strip()]
            wrong = [c for c in chosen if c not in entry.choices]
            if wrong or not chosen:
                problem = _("choose among %(choices)s") % {"choices": ", ".join(entry.choices)}
        if problem:
            out.append(
                Finding(
                    MISSING,
                    entry.key,
                    _("%(label)s: %(problem)s.") % {"label": label, "problem": problem.rstrip(".")},
                )
            )
    return out


def _font_findings(persons: Sequence[PersonFacts], entries: Mapping[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    for p in persons:
        for n in p.names:
            chars = fonts.missing_characters(n.full_name)
            if chars:
                out.append(
                    Finding(
                        REFUSED,
                        "fonts",
                        _(
                            "The name “%(name)s” has characters no installed font can print "
                            "(%(chars)s): the petition is not generated, to print no empty "
                            "boxes. Give the name in another script or install a font for it."
                        )
                        % {"name": n.full_name, "chars": fonts.describe(chars)},
                    )
                )
    for key, value in entries.items():
        if isinstance(value, str):
            chars = fonts.missing_characters(value)
            if chars:
                out.append(
                    Finding(
                        REFUSED,
                        "fonts",
                        _(
                            "The text of “%(key)s” has characters no installed font can print "
                            "(%(chars)s)."
                        )
                        % {"key": key, "chars": fonts.describe(chars)},
                    )
                )
    return out
