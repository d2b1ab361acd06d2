"""What each role may do: one table, asked by views, services, the API and commands alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import Role, Visibility

A, C, I, T, V = Role.ADMIN, Role.COORDINATOR, Role.INTERVIEWER, Role.TRANSLATOR, Role.VIEWER  # noqa: E741 - one letter a role keeps the table readable

CAPABILITIES: dict[str, frozenset[str]] = {
    "person.view": frozenset({A, C, I, T, V}),
    "person.edit": frozenset({A, C, I}),
    "person.merge": frozenset({A, C}),
    # Making a person or a testimony public (the public site, open data) is its own decision.
    "record.publish": frozenset({A, C}),
    "testimony.view": frozenset({A, C, I, T, V}),
    "testimony.edit": frozenset({A, C, I}),
    "consent.change": frozenset({A, C, I}),
    "source.edit": frozenset({A, C, I}),
    "place.edit": frozenset({A, C}),
    # Restricted fields (ID numbers, testifier contacts, addresses, ID-card images).
    "restricted.read": frozenset({A, C, I}),
    "audit.view": frozenset({A, C}),
    "intake.desk": frozenset({A, C, I}),
    "fieldtrip.manage": frozenset({A, C}),
    "import.run": frozenset({A, C}),
    "export.run": frozenset({A, C}),
    # Redacted, audio-only and anonymised copies of videos (what publication uses).
    "media.redact": frozenset({A, C}),
    # Corrections and submissions sent by visitors of the public site: read and review them.
    "corrections.review": frozenset({A, C}),
    # Petitions: fill, generate and track appeals (they carry the applicant's contacts).
    "petition.manage": frozenset({A, C, I}),
    # The press desk (aigaq/casework): reporters' requests, matching cases, introductions.
    "press.manage": frozenset({A, C}),
    # Dossiers for conferences and the press, and the wall of sorrow (aigaq/petitions/
    # dossier.py): printed for people outside the group.
    "dossier.make": frozenset({A, C}),
    # Transcripts and translations (aigaq/transcripts): type and correct the timecoded
    # transcript in the testimony's language; translate it; sign a translation off (never
    # one's own); raise a testimony's place in the translators' queue.
    "transcripts.edit": frozenset({A, C, I, T}),
    "transcripts.translate": frozenset({A, C, T}),
    "transcripts.review": frozenset({A, C, T}),
    "transcripts.prioritise": frozenset({A, C}),
    "users.manage": frozenset({A}),
    # Lock this installation (aigaq/custody): the key leaves the machine, serving stops.
    "instance.lock": frozenset({A}),
    # Backups: see where they go and when the last good one was made, start one now.
    "backup.run": frozenset({A}),
}

# What the 403 page says a role may not do, one sentence per capability (templates/403.html).
REFUSALS: dict[str, Any] = {
    "person.view": _("Your role may not see the entries of persons."),
    "person.edit": _("Your role may not create or edit the entries of persons."),
    "person.merge": _("Your role may not merge duplicate entries."),
    "record.publish": _("Your role may not make an entry or a testimony public."),
    "testimony.view": _("Your role may not see testimonies."),
    "testimony.edit": _("Your role may not record or edit testimonies."),
    "consent.change": _("Your role may not record or withdraw consent."),
    "source.edit": _("Your role may not add or edit sources."),
    "place.edit": _("Your role may not edit the gazetteer of places."),
    "restricted.read": _(
        "Your role may not read restricted fields (ID numbers, contacts, ID-card images)."
    ),
    "audit.view": _("Your role may not read the history of changes."),
    "intake.desk": _("Your role may not work at the intake desk."),
    "fieldtrip.manage": _("Your role may not plan field trips or export their bundles."),
    "import.run": _("Your role may not import spreadsheets or field bundles."),
    "export.run": _("Your role may not export data."),
    "media.redact": _("Your role may not make redacted or anonymised copies of videos."),
    "corrections.review": _("Your role may not review the corrections sent by the public."),
    "petition.manage": _("Your role may not prepare, generate or track petitions."),
    "press.manage": _(
        "Your role may not record reporters' requests or introduce reporters to testifiers."
    ),
    "dossier.make": _("Your role may not make dossiers or the wall of sorrow."),
    "transcripts.edit": _("Your role may not write or correct the transcripts of testimonies."),
    "transcripts.translate": _("Your role may not translate testimonies."),
    "transcripts.review": _("Your role may not sign off translations."),
    "transcripts.prioritise": _("Your role may not change the order of the translators' queue."),
    "users.manage": _("Your role may not manage user accounts."),
    "instance.lock": _("Your role may not lock this installation."),
    "backup.run": _("Your role may not see or start backups."),
}


def refusal(cap: str) -> str:
    """The sentence that says what a refused capability would have allowed."""
    return str(REFUSALS.get(cap, _("Your role may not open this page.")))


# Which record visibilities each role can see at all.
VISIBLE: dict[str, frozenset[str]] = {
    A: frozenset({Visibility.PUBLIC, Visibility.INTERNAL, Visibility.RESTRICTED}),
    C: frozenset({Visibility.PUBLIC, Visibility.INTERNAL, Visibility.RESTRICTED}),
    I: frozenset({Visibility.PUBLIC, Visibility.INTERNAL}),
    T: frozenset({Visibility.PUBLIC, Visibility.INTERNAL}),
    V: frozenset({Visibility.PUBLIC}),
}


def role_of(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return str(user.role)


def has_cap(user: Any, cap: str) -> bool:
    role = role_of(user)
    if cap not in CAPABILITIES:
        raise KeyError(f"unknown capability {cap!r}")
    return role is not None and role in CAPABILITIES[cap]


def require(user: Any, cap: str) -> None:
    if not has_cap(user, cap):
        raise PermissionDenied(cap)


def check(actor: Any, cap: str) -> None:
    """`require` for services: actor None is the system itself (an operator's command line,
    a migration, a background task), which has no role to check."""
    if actor is not None:
        require(actor, cap)


def check_publish(actor: Any, visibility: Any, current: Any = None) -> None:
    """Setting a record's visibility to public needs the publish capability, whichever path
    (form, import, API) sets it."""
    if visibility == Visibility.PUBLIC and current != Visibility.PUBLIC:
        check(actor, "record.publish")


def visibilities_for(user: Any) -> frozenset[str]:
    role = role_of(user)
    return VISIBLE.get(role, frozenset()) if role else frozenset()
