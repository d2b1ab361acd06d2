"""Reads for the intake desk: the queue board, the waiting-area screen, a visitor's history,
relative search and the day report. Views and commands call these and nothing else."""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from aigaq.core.csvcells import neutralise_cell
from aigaq.core.permissions import has_cap, role_of
from aigaq.disclosure.policy import person_visible_to, testimonies_visible_to
from aigaq.disclosure.selectors import persons_for
from aigaq.intake import recognition
from aigaq.intake.models import FieldTrip, Room, Visit
from aigaq.people.models import Person
from aigaq.search import selectors as search_selectors
from aigaq.testimonies.models import Testimony

SEARCH_LIMIT = 12


def rooms_active() -> list[Room]:
    return list(Room.objects.filter(active=True).order_by("position", "name"))


def interviewers() -> list[Any]:
    from aigaq.core.models import Role, User

    return list(
        User.objects.filter(is_active=True)
        .filter(Q(role__in=[Role.ADMIN, Role.COORDINATOR, Role.INTERVIEWER]) | Q(is_superuser=True))
        .order_by("display_name", "username")
    )


def rooms_all() -> list[Room]:
    return list(Room.objects.order_by("-active", "position", "name"))


def room_by_id(pk: str) -> Room | None:
    return Room.objects.filter(pk=pk).first() if _is_uuid(pk) else None


def interviewer_by_id(pk: str) -> Any:
    from aigaq.core.models import User

    if not pk or not str(pk).isdigit():
        return None
    return User.objects.filter(pk=int(pk), is_active=True).first()


def visits_on(day: dt.date, *, field_trip: Any = None) -> QuerySet[Visit]:
    qs = Visit.objects.filter(day=day)
    qs = qs.filter(field_trip=field_trip) if field_trip is not None else qs.filter(field_trip=None)
    return qs.select_related("room", "interviewer").order_by("ticket")


@dataclass
class Board:
    day: dt.date
    waiting: list[Visit] = field(default_factory=list)
    in_room: list[Visit] = field(default_factory=list)
    done: list[Visit] = field(default_factory=list)
    left: int = 0
    done_total: int = 0
    state: str = ""


def board_data(*, day: dt.date | None = None) -> Board:
    """Today's visits in three columns; each visit carries `.waited` (a timedelta)."""
    now = timezone.now()
    board = Board(day=day or timezone.localdate(now))
    for v in visits_on(board.day).prefetch_related("relatives"):
        end = v.called_at or (v.finished_at if v.status == Visit.Status.LEFT else None) or now
        v.waited = max(end - v.arrived_at, dt.timedelta(0))  # type: ignore[attr-defined]
        if v.status == Visit.Status.WAITING:
            board.waiting.append(v)
        elif v.status == Visit.Status.IN_ROOM:
            board.in_room.append(v)
        elif v.status == Visit.Status.DONE:
            board.done.append(v)
        else:
            board.left += 1
    board.done.sort(key=lambda v: v.finished_at or now, reverse=True)
    board.done_total = len(board.done)
    board.done = board.done[:DONE_SHOWN]
    board.state = board_state(day=board.day)
    return board


DONE_SHOWN = 20


def desk_waiting(*, limit: int = 10) -> tuple[list[Visit], int]:
    """The visitors still waiting, in the order of the queue (who came first, first), the
    first `limit` of them, and how many wait in all."""
    now = timezone.now()
    qs = visits_on(timezone.localdate(now)).filter(status=Visit.Status.WAITING)
    recent = list(qs.order_by("arrived_at", "ticket")[:limit])
    for v in recent:
        v.waited = max(now - v.arrived_at, dt.timedelta(0))  # type: ignore[attr-defined]
    return recent, qs.count()


def board_state(*, day: dt.date | None = None) -> str:
    """A short token that changes whenever the board would look different: any visit of the
    day or any room written, or the minute turning (waiting times). The board sends it back
    when it polls, and gets "nothing new" (204) when it has not changed."""
    now = timezone.now()
    day = day or timezone.localdate(now)
    visits = Visit.objects.filter(day=day, field_trip=None).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    rooms = Room.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    raw = f"{day}|{visits['n']}|{visits['last']}|{rooms['n']}|{rooms['last']}|{now:%H%M}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def screen_data(*, day: dt.date | None = None) -> dict[str, Any]:
    """Only what may be shown in the waiting area: ticket numbers and rooms. Names, phones and
    reasons never leave this function."""
    day = day or timezone.localdate()
    rows = visits_on(day).filter(status__in=[Visit.Status.WAITING, Visit.Status.IN_ROOM])
    called = [
        {"ticket": r["ticket"], "room": r["room__name"] or ""}
        for r in rows.filter(status=Visit.Status.IN_ROOM)
        .order_by("-called_at")
        .values("ticket", "room__name")
    ]
    waiting = list(rows.filter(status=Visit.Status.WAITING).values_list("ticket", flat=True))
    return {"called": called, "waiting": waiting, "day": day}


def person_search(*, user: Any, query: str) -> list[Person]:
    """Persons on record matching a name (in any script) or an entry number, best first; only
    those the user may see (the persons list's own search)."""
    query = " ".join((query or "").split())
    if not query:
        return []
    return list(search_selectors.person_search(user=user, query=query)[:SEARCH_LIMIT])


def visit_relatives(*, user: Any, visit: Visit) -> list[Person]:
    """The relatives named at the desk that this user may see (a restricted entry stays
    hidden from those who may not see it, even when someone else linked it to the visit)."""
    return list(persons_for(user).filter(intake_visits=visit).order_by("entry_no"))


def persons_by_ids(*, user: Any, ids: list[str]) -> list[Person]:
    clean = [i for i in ids if _is_uuid(i)]
    return list(persons_for(user).filter(pk__in=clean))


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def visit_for(*, user: Any, pk: Any) -> Visit:
    return Visit.objects.select_related(
        "room", "interviewer", "testifier", "testimony", "field_trip"
    ).get(pk=pk)


@dataclass
class History:
    visits: list[Visit]
    testimonies: list[Testimony]
    matched_by: list[str]


def visit_history(*, user: Any, visit: Visit) -> History:
    """Earlier visits of the same person (same phone, the same name in any spelling, script
    or order, or the same testifier) and the testimonies they gave, with those of testifiers
    on record under that name, as far as the user may see them."""
    cond = Q(name_key=visit.name_key) if visit.name_key else Q(pk__in=[])
    named_visits = recognition.visits_named(visit.visitor_name)
    named_testifiers = recognition.testifiers_named(visit.visitor_name)
    cond |= Q(pk__in=named_visits)
    matched = ["name"] if visit.name_key or named_visits or named_testifiers else []
    if visit.phone:
        cond |= Q(phone=visit.phone)
        matched.append("phone")
    if visit.testifier_id:
        cond |= Q(testifier_id=visit.testifier_id)
    earlier = list(
        Visit.objects.filter(cond)
        .exclude(pk=visit.pk)
        .select_related("room", "interviewer", "testimony")
        .order_by("-arrived_at")[:50]
    )
    testifier_ids = {v.testifier_id for v in earlier if v.testifier_id} | set(named_testifiers)
    if visit.testifier_id:
        testifier_ids.add(visit.testifier_id)
    testimonies: list[Testimony] = []
    if testifier_ids:
        testimonies = list(
            testimonies_visible_to(user, Testimony.objects.filter(testifier_id__in=testifier_ids))
            .select_related("testifier", "interviewer")
            .prefetch_related("relations__person")
            .order_by("-recorded_on")[:50]
        )
    for t in testimonies:
        t.visible_relations = [  # type: ignore[attr-defined]
            r for r in t.relations.all() if person_visible_to(user, r.person)
        ]
    return History(visits=earlier, testimonies=testimonies, matched_by=matched)


def may_read_phone(user: Any) -> bool:
    return has_cap(user, "restricted.read")


# --- the day report ------------------------------------------------------------------------


@dataclass
class ReportRow:
    label: str
    visits: int = 0
    testimonies: int = 0


@dataclass
class DayReport:
    day: dt.date
    visits: int
    testimonies: int
    left: int
    median_wait_minutes: int | None
    by_interviewer: list[ReportRow]
    by_room: list[ReportRow]
    by_reason: list[ReportRow]
    by_status: list[ReportRow]

    def csv_rows(self) -> list[list[str]]:
        rows = [["section", "label", "visits", "testimonies"]]
        rows.append(["total", self.day.isoformat(), str(self.visits), str(self.testimonies)])
        for section, items in (
            ("interviewer", self.by_interviewer),
            ("room", self.by_room),
            ("reason", self.by_reason),
            ("status", self.by_status),
        ):
            rows.extend(
                [section, neutralise_cell(r.label), str(r.visits), str(r.testimonies)]
                for r in items
            )
        return rows


def median_wait_minutes(waits_seconds: list[float]) -> int | None:
    """The median of the waits (in seconds), in whole minutes counted as the board counts
    them (whole minutes waited, rounded down: 40 seconds is 0 min); the mean of the two middle
    waits when there are an even number. None when no one was called."""
    if not waits_seconds:
        return None
    return int(statistics.median(waits_seconds) // 60)


def day_report(*, day: dt.date) -> DayReport:
    """Counts for one day at the office: no names and no phones, only numbers."""
    from django.utils.translation import gettext as _

    visits = list(visits_on(day))
    reasons = dict(Visit.Reason.choices)
    statuses = dict(Visit.Status.choices)
    groups: dict[str, dict[str, ReportRow]] = defaultdict(dict)

    def add(section: str, label: str, recorded: bool) -> None:
        row = groups[section].setdefault(label, ReportRow(label))
        row.visits += 1
        row.testimonies += int(recorded)

    waits: list[float] = []
    for v in visits:
        recorded = v.testimony_id is not None
        add("interviewer", str(v.interviewer) if v.interviewer else str(_("(none)")), recorded)
        add("room", v.room.name if v.room else str(_("(none)")), recorded)
        add("reason", str(reasons.get(v.reason, v.reason)), recorded)
        add("status", str(statuses.get(v.status, v.status)), recorded)
        if v.called_at:
            waits.append(max((v.called_at - v.arrived_at).total_seconds(), 0.0))
    median = median_wait_minutes(waits)
    counts = Counter(v.status for v in visits)

    def rows(section: str) -> list[ReportRow]:
        return sorted(groups[section].values(), key=lambda r: (-r.visits, r.label))

    return DayReport(
        day=day,
        visits=len(visits),
        testimonies=sum(1 for v in visits if v.testimony_id),
        left=counts.get(Visit.Status.LEFT, 0),
        median_wait_minutes=median,
        by_interviewer=rows("interviewer"),
        by_room=rows("room"),
        by_reason=rows("reason"),
        by_status=rows("status"),
    )


def is_desk_user(user: Any) -> bool:
    return role_of(user) is not None and has_cap(user, "intake.desk")


# --- field trips ---------------------------------------------------------------------------


def trips_list() -> QuerySet[FieldTrip]:
    """Every trip, newest first, with its place, team and how much was recorded on it."""
    return (
        FieldTrip.objects.select_related("place")
        .prefetch_related("team")
        .annotate(
            testimony_count=Count("testimonies", distinct=True),
            visit_count=Count("visits", distinct=True),
        )
        .order_by("-starts_on", "name")
    )


def trip_get(pk: Any) -> FieldTrip:
    """One trip (FieldTrip.DoesNotExist if there is none)."""
    if not _is_uuid(str(pk)):
        raise FieldTrip.DoesNotExist
    trip: FieldTrip = FieldTrip.objects.select_related("place").prefetch_related("team").get(pk=pk)
    return trip


def trip_testimonies(*, user: Any, trip: FieldTrip) -> list[Testimony]:
    """The testimonies recorded on the trip that this reader may see."""
    qs = testimonies_visible_to(user, Testimony.objects.filter(field_trip=trip))
    return list(qs.select_related("testifier", "interviewer").order_by("recorded_on", "created_at"))


def trip_visits(trip: FieldTrip) -> list[Visit]:
    return list(
        Visit.objects.filter(field_trip=trip)
        .select_related("room", "interviewer")
        .order_by("day", "ticket")
    )


def team_choices() -> QuerySet[Any]:
    """Staff members who can go on a trip (active accounts)."""
    from aigaq.core.models import User

    return User.objects.filter(is_active=True).order_by("display_name", "username")
