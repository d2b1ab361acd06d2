"""Synthetic demo records in bulk: persons with names in several scripts, families, status
timelines over 2016-2024, testifiers and testimonies. Deterministic for a seed (UUIDs too).

No real person's data: names are random combinations from aigaq.demo.pools.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from aigaq.core import audit
from aigaq.core.dates import parse_partial_date
from aigaq.core.models import AuditEntry, Role, User, Visibility
from aigaq.core.sequences import sequence_allocate
from aigaq.dedup import scan
from aigaq.dedup.services import candidates_store
from aigaq.demo.namegen import NameForm, generate_person, random_occupation
from aigaq.intake.models import Room
from aigaq.intake.services import room_create
from aigaq.names import detect_script
from aigaq.names.translit import romanize_cyrillic
from aigaq.people.models import Person, PersonName, Place, StatusEvent, Tag
from aigaq.people.services import (
    ENTRY_SEQUENCE,
    NameInput,
    current_status_of,
    first_detained_year_of,
    person_create,
    status_event_add,
)
from aigaq.people.validators import chinese_id_check_char
from aigaq.search.services import index_persons
from aigaq.testimonies.models import NUMBER_SEQUENCE as TESTIMONY_NUMBERS
from aigaq.testimonies.models import Testifier, Testimony, TestimonyPerson
from aigaq.testimonies.services import (
    RelationInput,
    testifier_create,
    testimony_create,
    testimony_link_person,
)

BATCH = 2000

# Where people of each group mostly come from (prefecture codes of the gazetteer).
HOME_PREFECTURES: dict[str, tuple[str, ...]] = {
    "kazakh": (
        "cn-xj-ili",
        "cn-xj-tacheng",
        "cn-xj-altay",
        "cn-xj-changji",
        "cn-xj-urumqi",
        "cn-xj-bortala",
        "cn-xj-hami",
    ),
    "uyghur": (
        "cn-xj-kashgar",
        "cn-xj-hotan",
        "cn-xj-aksu",
        "cn-xj-turpan",
        "cn-xj-urumqi",
        "cn-xj-ili",
    ),
    "kyrgyz": ("cn-xj-kizilsu", "cn-xj-aksu", "cn-xj-ili"),
    "hui": ("cn-xj-changji", "cn-xj-urumqi", "cn-xj-ili", "cn-xj-hami", "cn-xj-tacheng"),
    "uzbek": ("cn-xj-ili", "cn-xj-kashgar", "cn-xj-urumqi"),
    "tatar": ("cn-xj-tacheng", "cn-xj-urumqi", "cn-xj-ili"),
}
TAG_FOR_OCCUPATION = {
    "imam": "imam",
    "student": "student",
    "businessman": "businessman",
    "teacher": "teacher",
    "journalist": "journalist",
    "writer": "writer",
    "doctor": "doctor",
    "trader": "businessman",
}
# Who speaks for a family: TestimonyPerson.relationship, what the testifier IS to each of its
# members ("mother": the testifier is their mother). A family of several is brothers and
# sisters; a wife speaks only for one man, a daughter only for one parent (`_testifier_for`).
TESTIFIERS = ("mother", "father", "sister", "wife", "daughter")
FEMALE_TESTIFIERS = frozenset({"mother", "sister", "wife", "daughter"})
# So that a newcomer can try the desk and the duplicates queue at once (`make run`).
DEMO_ROOMS = ("1-бөлме", "2-бөлме", "3-бөлме")
DEMO_TWINS = 4  # persons entered a second time under another spelling
# The third digits of Kazakh mobile numbers 70x that phonenumbers accepts as valid.
_MOBILE_THIRD_DIGITS = "0125678"
SENTENCES = ("5 years", "7 years", "10 years", "12 years", "15 years", "20 years", "life")
FACILITIES = (
    "county vocational skills education and training centre",
    "detention centre No. 2",
    "re-education camp near the county town",
    "prison",
    "a textile factory",
)


@dataclass
class DemoSummary:
    persons: int = 0
    names: int = 0
    events: int = 0
    testimonies: int = 0
    testifiers: int = 0
    rooms: int = 0
    duplicate_pairs: int = 0
    petition_examples: int = 0
    contacts: int = 0
    contact_log: int = 0


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _partial(rng: random.Random, year: int) -> str:
    r = rng.random()
    if r < 0.35:
        return str(year)
    if r < 0.6:
        return f"{year}-{rng.randint(1, 12):02d}"
    if r < 0.75:
        return f"{rng.choice(['early', 'spring', 'summer', 'autumn', 'end of'])} {year}"
    d = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    return d.isoformat()


def _timeline(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """[(kind, date_text, report, sentence)] over 2016-2024."""
    start = rng.choice((2016, 2017, 2017, 2018, 2018, 2018, 2019))
    events = [
        ("lost_contact" if rng.random() < 0.4 else "detained", _partial(rng, start), "reported", "")
    ]
    year = start
    path = rng.random()
    if path < 0.45:
        year = min(year + rng.randint(0, 1), 2024)
        events.append(("camp", _partial(rng, year), "reported", ""))
        if rng.random() < 0.5:
            year = min(year + rng.randint(1, 2), 2024)
            events.append(
                (
                    rng.choice(("released", "house_arrest", "forced_labour", "exit_ban")),
                    _partial(rng, year),
                    "reported",
                    "",
                )
            )
            if rng.random() < 0.25:
                year = min(year + rng.randint(0, 2), 2024)
                events.append(("returned", _partial(rng, year), "reported", ""))
    elif path < 0.8:
        year = min(year + rng.randint(0, 2), 2024)
        events.append(("prison", _partial(rng, year), "reported", rng.choice(SENTENCES)))
    elif path < 0.9:
        year = min(year + 1, 2024)
        events.append(("camp_work", _partial(rng, year), "reported", ""))
    elif path < 0.95:
        year = min(year + rng.randint(1, 3), 2024)
        events.append(("died", _partial(rng, year), "reported", ""))
    if rng.random() < 0.08:
        events.append(("released", _partial(rng, min(year + 1, 2024)), "official_denial", ""))
    return events


def _chinese_id(rng: random.Random, birth_year: int) -> str:
    first = f"65{rng.randint(0, 4999):04d}{birth_year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first + chinese_id_check_char(first)


def _places_by_prefecture() -> tuple[dict[str, list[Place]], list[Place]]:
    places = list(
        Place.objects.filter(path__startswith="/cn/").exclude(
            kind__in=["country", "region", "prefecture"]
        )
    )
    by_pref: dict[str, list[Place]] = {}
    for p in places:
        parts = p.path.strip("/").split("/")
        for code in parts:
            if code.count("-") == 2 and code.startswith("cn-xj-"):
                by_pref.setdefault(code, []).append(p)
    kz = list(
        Place.objects.filter(
            path__startswith="/kz/", kind__in=["city", "district", "village", "town"]
        )
    )
    return by_pref, kz


def _demo_interviewers() -> list[User]:
    users = []
    for i, name in enumerate(("Айгерім", "Ерлан", "Мадина"), start=1):
        user, created = User.objects.get_or_create(
            username=f"demo-interviewer-{i}",
            defaults={"role": Role.INTERVIEWER, "display_name": f"{name} (demo)"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


def _batches(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, BATCH):
        yield start, min(BATCH, total - start)


def generate_demo(
    *,
    people: int,
    seed: int = 2018,
    progress: Callable[[int], None] | None = None,
    with_testimonies: bool = True,
) -> DemoSummary:
    """Create `people` synthetic persons (and their families' testimonies) in bulk. With
    testimonies (the demo a newcomer tries), a few of them are entered twice under another
    spelling and the desk has rooms, so the duplicates queue and the desk work at once."""
    rng = random.Random(seed)
    summary = DemoSummary()
    by_pref, kz_places = _places_by_prefecture()
    tags: dict[str, Tag] = {}
    interviewers = _demo_interviewers() if with_testimonies else []
    today = timezone.localdate()
    twins = min(DEMO_TWINS, people // 25) if with_testimonies else 0
    examples = len(PETITION_EXAMPLES) if with_testimonies and people >= 50 else 0
    twin_sources: list[tuple[Person, list[NameForm]]] = []

    for _start, count in _batches(people - twins - examples):
        with transaction.atomic():
            first_no = sequence_allocate(ENTRY_SEQUENCE, count)
            persons: list[Person] = []
            names: list[PersonName] = []
            events: list[StatusEvent] = []
            person_tags: list[Any] = []
            families: list[list[Person]] = []
            family: list[Person] = []
            now = timezone.now()
            for i in range(count):
                gp = generate_person(rng)
                birth = rng.randint(1940, 2002)
                exact = rng.random() < 0.7
                pref_codes = HOME_PREFECTURES.get(gp.ethnicity, HOME_PREFECTURES["kazakh"])
                pool = by_pref.get(rng.choice(pref_codes)) or []
                occupation = random_occupation(rng, gp.gender, 2018 - birth)
                vis_r = rng.random()
                visibility = (
                    Visibility.PUBLIC
                    if vis_r < 0.3
                    else Visibility.RESTRICTED
                    if vis_r > 0.92
                    else Visibility.INTERNAL
                )
                timeline = _timeline(rng)
                dated = [(k, rep, parse_partial_date(d), sen) for k, d, rep, sen in timeline]
                current = current_status_of(
                    (k, rep, pd.start, pd.end, n) for n, (k, rep, pd, _s) in enumerate(dated)
                )
                person = Person(
                    id=_uuid(rng),
                    entry_no=first_no + i,
                    visibility=visibility,
                    gender="male" if gp.gender == "m" else "female",
                    birth_year=birth if exact else (birth // 10) * 10,
                    birth_year_max=None if exact else (birth // 10) * 10 + 9,
                    ethnicity=gp.ethnicity,
                    citizenships=["CN"] if rng.random() < 0.8 else ["CN", "KZ"],
                    chinese_id=_chinese_id(rng, birth) if rng.random() < 0.4 else "",
                    hometown=rng.choice(pool) if pool else None,
                    occupation=occupation.replace("_", " "),
                    evidence_grade=rng.choice(
                        ("reported", "reported", "partly_verified", "corroborated", "documented")
                    ),
                    primary_name=gp.names[0].full_name,
                    current_status=current,
                    first_detained_year=first_detained_year_of(
                        (k, pd.start) for k, _rep, pd, _s in dated
                    ),
                    created_at=now,
                    updated_at=now,
                )
                persons.append(person)
                if len(twin_sources) < twins and visibility != Visibility.RESTRICTED:
                    twin_sources.append((person, gp.names))
                for pos, form in enumerate(gp.names):
                    names.append(
                        PersonName(
                            person=person,
                            full_name=form.full_name,
                            script=detect_script(form.full_name),
                            lang=form.lang,
                            kind=form.kind,
                            position=pos,
                        )
                    )
                for order, (kind, report, pd, sentence) in enumerate(dated):
                    events.append(
                        StatusEvent(
                            id=_uuid(rng),
                            person=person,
                            kind=kind,
                            report=report,
                            date_text=pd.text,
                            date_start=pd.start,
                            date_end=pd.end,
                            sentence=sentence,
                            facility=rng.choice(FACILITIES)
                            if kind in ("camp", "prison", "camp_work")
                            else "",
                            place=person.hometown,
                            # Entry order breaks ties between overlapping partial dates.
                            created_at=now + dt.timedelta(microseconds=order),
                            updated_at=now,
                        )
                    )
                tag_key = TAG_FOR_OCCUPATION.get(occupation)
                if tag_key:
                    if tag_key not in tags:
                        tags[tag_key], _ = Tag.objects.get_or_create(
                            slug=tag_key, defaults={"label": tag_key.capitalize()}
                        )
                    person_tags.append(
                        Person.tags.through(person_id=person.id, tag_id=tags[tag_key].id)
                    )
                family.append(person)
                if len(family) >= rng.choice((1, 1, 2, 3)):
                    families.append(family)
                    family = []
            if family:
                families.append(family)
            Person.objects.bulk_create(persons)
            PersonName.objects.bulk_create(names)
            StatusEvent.objects.bulk_create(events)
            Person.tags.through.objects.bulk_create(person_tags)
            summary.persons += len(persons)
            summary.names += len(names)
            summary.events += len(events)
            if with_testimonies:
                t_count, tf_count = _family_testimonies(
                    rng, families, interviewers, kz_places, today
                )
                summary.testimonies += t_count
                summary.testifiers += tf_count
            index_persons([p.id for p in persons], fresh=True)
        if progress:
            progress(count)

    if with_testimonies:
        summary.rooms = _demo_rooms()
        if examples:
            made = _petition_examples(random.Random(seed * 7919 + 19), by_pref, kz_places)
            summary.petition_examples = len(made)
            summary.persons += len(made)
            summary.names += sum(p.names.count() for p in made)
            if progress:
                progress(len(made))
            _demo_cases(random.Random(seed * 104729 + 7), made, summary)
        created = _demo_twins(twin_sources)
        summary.persons += len(created)
        summary.names += len(created)
        summary.duplicate_pairs = _demo_candidates(created)
        if progress and created:
            progress(len(created))

    with transaction.atomic():
        marker = Person.objects.order_by("-entry_no").first()
        if marker is not None:
            audit.record(
                actor=None,
                action=AuditEntry.Action.IMPORT,
                obj=marker,
                label="demo data",
                changes={"persons": summary.persons, "seed": seed},
                note="synthetic demo data generated",
            )
    return summary


# Persons a newcomer can try the petitions on (docs/petitions.md): (what the example shows,
# ethnicity, gender, timeline [(kind, date, facility)], consent for petitions, birth known,
# place known). The first two are brothers of one family (one appeal for both).
PETITION_EXAMPLES: tuple[
    tuple[str, str, str, list[tuple[str, str, str]], bool, bool, bool], ...
] = (
    (
        "every form can be generated",
        "kazakh",
        "m",
        [
            ("detained", "2018-04-17", ""),
            ("camp", "2018-06", "county vocational skills education and training centre"),
        ],
        True,
        True,
        True,
    ),
    (
        "every form can be generated (the brother: one appeal for both)",
        "kazakh",
        "m",
        [("detained", "2018-04-17", ""), ("prison", "2019-03", "prison")],
        True,
        True,
        True,
    ),
    (
        "every form can be generated",
        "uyghur",
        "f",
        [("detained", "2017-11-02", "detention centre No. 2"), ("prison", "2019-01", "prison")],
        True,
        True,
        True,
    ),
    (
        "no consent for petitions: refused with the reason",
        "kazakh",
        "f",
        [("detained", "2018-09-03", "re-education camp near the county town")],
        False,
        True,
        True,
    ),
    (
        "facts missing: no year of birth, no place, only the year of the last contact",
        "kazakh",
        "m",
        [("lost_contact", "2018", "")],
        True,
        False,
        False,
    ),
)


#: How many persons of the bulk demo data (besides the petition examples) get family contacts.
DEMO_CONTACT_PERSONS = 8


def _demo_cases(rng: random.Random, examples: list[Person], summary: DemoSummary) -> None:
    """The features' own demo records about some persons with testimonies (the petition
    examples, and a few of the others): family contacts and their log (testimonies.hooks)."""
    from aigaq.testimonies import hooks

    others = list(
        Person.objects.filter(testimony_links__isnull=False)
        .exclude(pk__in=[p.pk for p in examples])
        .distinct()
        .order_by("entry_no")[:DEMO_CONTACT_PERSONS]
    )
    for hook in hooks.DEMO_CASES:
        made, logged = hook(rng, [*examples, *others])
        summary.contacts += made
        summary.contact_log += logged


def _petition_examples(
    rng: random.Random, by_pref: dict[str, list[Place]], kz_places: list[Place]
) -> list[Person]:
    """The persons of PETITION_EXAMPLES, entered through the services as a volunteer would,
    each with a testimony from their mother (the brothers share hers)."""
    made: list[Person] = []
    pool = [p for places in by_pref.values() for p in places]
    family_place = rng.choice(pool) if pool else None
    mother_testimony: Testimony | None = None
    for index, (note, ethnicity, gender, timeline, consent, birth, placed) in enumerate(
        PETITION_EXAMPLES
    ):
        gp = generate_person(rng, ethnicity=ethnicity, gender=gender)
        place = (
            (family_place if index < 2 else (rng.choice(pool) if pool else None))
            if placed
            else None
        )
        person = person_create(
            actor=None,
            names=[NameInput(f.full_name, kind=f.kind, lang=f.lang) for f in gp.names],
            gender="male" if gender == "m" else "female",
            birth_year=rng.randint(1960, 1995) if birth else None,
            ethnicity=ethnicity,
            citizenships=["CN"],
            hometown=place,
            occupation=random_occupation(rng, gp.gender, 40).replace("_", " "),
            biography=f"Demo example for petitions: {note}.",
        )
        for kind, date, facility in timeline:
            status_event_add(
                actor=None,
                person=person,
                kind=kind,
                date_text=date,
                place=place if kind == "detained" else None,
                facility=facility,
            )
        if index == 1 and mother_testimony is not None:
            testimony_link_person(
                actor=None,
                testimony=mother_testimony,
                relation=RelationInput(person, "mother"),
            )
        else:
            mother = generate_person(rng, ethnicity=ethnicity, gender="f")
            testimony = testimony_create(
                actor=None,
                testifier=testifier_create(
                    actor=None,
                    full_name=mother.names[0].full_name,
                    gender="female",
                    citizenship="KZ",
                ),
                recorded_on=dt.date(2019, 5, 14),
                relations=[RelationInput(person, "mother")],
                place=rng.choice(kz_places) if kz_places else None,
                summary="Synthetic demo testimony (petition example).",
                consent_petitions=consent,
                consent_press=not consent,
                consent_anonymous=True,
            )
            if index == 0:
                mother_testimony = testimony
        person.refresh_from_db()
        made.append(person)
    return made


def _demo_rooms() -> int:
    """A few rooms to send visitors to from the desk (only where the desk has none yet)."""
    if Room.objects.exists():
        return 0
    for position, name in enumerate(DEMO_ROOMS, start=1):
        room_create(actor=None, name=name, position=position)
    return len(DEMO_ROOMS)


def _twin_name(forms: list[NameForm]) -> str:
    """The spelling a second entry for the same person would most likely carry, in a script
    a reader compares at a glance: the Russian one (Гульнар Серикова) a volunteer's list has;
    else the name in the other of Cyrillic and Latin; else a Latin respelling (Bolatqyzy,
    Bolatkyzy)."""
    primary = forms[0]
    other = {"Cyrl": "Latn", "Latn": "Cyrl"}.get(primary.script)
    for wanted in (lambda f: f.lang == "ru", lambda f: f.script == other):
        found = next((f.full_name for f in forms[1:] if wanted(f)), None)
        if found:
            return found
    if primary.script == "Cyrl":
        return " ".join(
            romanize_cyrillic(w.lower()).capitalize() for w in primary.full_name.split()
        )
    respelt = primary.full_name.replace("q", "k").replace("Q", "K").replace("zh", "j")
    if respelt != primary.full_name:
        return respelt
    return forms[1].full_name if len(forms) > 1 else primary.full_name


def _demo_twins(sources: list[tuple[Person, list[NameForm]]]) -> list[Person]:
    """Obvious duplicates: each source person entered again (through the service, as a
    volunteer would) under another spelling, with the same birth year, hometown and gender."""
    return [
        person_create(
            actor=None,
            names=[NameInput(_twin_name(forms))],
            gender=person.gender,
            birth_year=person.birth_year,
            birth_year_max=person.birth_year_max,
            ethnicity=person.ethnicity,
            hometown=person.hometown,
            visibility=person.visibility,
        )
        for person, forms in sources
    ]


def _demo_candidates(created: list[Person]) -> int:
    """Put the duplicates among the new entries into the review queue at once."""
    if not created:
        return 0
    found, _stats = scan.find_candidates_for([p.pk for p in created])
    return candidates_store(found)


def _testifier_for(who: str, family: list[Person]) -> str:
    """What the testifier drawn (`who`) can be to every member of `family`: a wife's husband
    is one man (a woman's spouse speaking is her husband); a daughter speaks for one parent;
    for several, brothers and sisters, she is their sister."""
    if who == "wife":
        if len(family) > 1:
            return "sister"
        return "wife" if family[0].gender == "male" else "husband"
    if who == "daughter" and len(family) > 1:
        return "sister"
    return who


def _family_testimonies(
    rng: random.Random,
    families: list[list[Person]],
    interviewers: list[User],
    kz_places: list[Place],
    today: dt.date,
) -> tuple[int, int]:
    testifiers: list[Testifier] = []
    testimonies: list[Testimony] = []
    links: list[TestimonyPerson] = []
    now = timezone.now()
    for fam in families:
        if rng.random() < 0.15:
            continue  # known only from other sources (leaked lists, articles)
        relationship = _testifier_for(rng.choice(TESTIFIERS), fam)
        gp = generate_person(
            rng,
            ethnicity="kazakh",
            gender="f" if relationship in FEMALE_TESTIFIERS else "m",
        )
        testifier = Testifier(
            id=_uuid(rng),
            full_name=gp.names[0].full_name,
            other_names=" | ".join(n.full_name for n in gp.names[1:]),
            gender="female" if gp.gender == "f" else "male",
            citizenship="KZ",
            # A Kazakh mobile number in the stored form (core.phones: E.164), from the same
            # draws as before so the rest of the demo data does not change.
            phone="+770"
            + _MOBILE_THIRD_DIGITS[rng.randint(0, 9) % len(_MOBILE_THIRD_DIGITS)]
            + f"{rng.randint(100, 999)}{rng.randint(10, 99)}{rng.randint(10, 99)}",
            created_at=now,
            updated_at=now,
        )
        testifiers.append(testifier)
        recorded = dt.date(2018, 6, 1) + dt.timedelta(days=rng.randint(0, 1200))
        consent_public = rng.random() < 0.6
        testimony = Testimony(
            id=_uuid(rng),
            testifier=testifier,
            recorded_on=min(recorded, today),
            location=rng.choice(("office", "office", "office", "field")),
            place=rng.choice(kz_places) if kz_places else None,
            interviewer=rng.choice(interviewers) if interviewers else None,
            language=rng.choice(("kk", "kk", "kk", "ug", "ru")),
            summary="Synthetic demo testimony.",
            visibility=Visibility.PUBLIC
            if consent_public and rng.random() < 0.7
            else Visibility.INTERNAL,
            consent_public=consent_public,
            consent_press=consent_public or rng.random() < 0.3,
            consent_petitions=rng.random() < 0.85,
            consent_anonymous=rng.random() < 0.3,
            consent_recorded_at=now,
            created_at=now,
            updated_at=now,
        )
        testimonies.append(testimony)
        for person in fam:
            links.append(
                TestimonyPerson(
                    id=_uuid(rng),
                    testimony=testimony,
                    person=person,
                    relationship=relationship,
                    created_at=now,
                    updated_at=now,
                )
            )
    Testifier.objects.bulk_create(testifiers)
    if testimonies:  # bulk_create skips save(), which numbers one testimony at a time
        first = sequence_allocate(TESTIMONY_NUMBERS, len(testimonies))
        for offset, testimony in enumerate(testimonies):
            testimony.number = first + offset
    Testimony.objects.bulk_create(testimonies)
    TestimonyPerson.objects.bulk_create(links)
    return len(testimonies), len(testifiers)
