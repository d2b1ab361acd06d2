"""What the API answers and accepts, as pydantic models (the OpenAPI document is made from
these). Each answer holds only what its reader may read: the endpoints fill them from
aigaq/disclosure's answers, and a field that is not here is never sent."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BaseModel, Field, StringConstraints


def _printable(value: str) -> str:
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise ValueError("control characters are not allowed")
    return value


#: Text from a client: no NUL or other control characters (PostgreSQL refuses NUL).
Text = Annotated[str, StringConstraints(max_length=200), AfterValidator(_printable)]
LongText = Annotated[str, StringConstraints(max_length=300), AfterValidator(_printable)]


class Out(BaseModel):
    """An answer's schema. The endpoints fill answers with plain dicts, so these are plain
    pydantic models: ninja's Schema would read each value through its Django attribute getter,
    which cost a list page of 50 persons about 8 ms (bench/api_load.py)."""


class ErrorOut(Out):
    detail: str | list[dict[str, Any]] = Field(
        description="What went wrong: one sentence, or (422) one entry per field that does "
        "not fit the schema."
    )


#: The error answers every endpoint may give (docs/api.md, "Errors").
ERRORS: dict[int, type[Out]] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut}
NOT_FOUND: dict[int, type[Out]] = {**ERRORS, 404: ErrorOut}


class PlaceRef(Out):
    code: str
    name: str


class NameOut(Out):
    full_name: str
    script: str
    lang: str
    kind: str


class PersonRef(Out):
    entry_no: int
    name: str


class PersonItem(Out):
    id: uuid.UUID
    entry_no: int
    name: str
    names: list[str]
    gender: str
    birth_year: int | None
    birth_year_max: int | None
    ethnicity: str
    hometown: PlaceRef | None
    current_status: str
    evidence_grade: str
    visibility: str
    tags: list[str]
    updated_at: dt.datetime


class PersonPage(Out):
    items: list[PersonItem]
    #: Pass as `after` for the next page; null on the last page.
    next_after: int | None
    limit: int


class EventOut(Out):
    id: uuid.UUID
    kind: str
    report: str
    date_text: str
    date_start: dt.date | None
    date_end: dt.date | None
    place: PlaceRef | None
    facility: str
    sentence: str
    testimony_number: int | None = Field(
        description="The cited testimony's number, only when the reader may see it."
    )
    source_title: str
    source_text: str
    note: str


class RelativeOut(Out):
    person: PersonRef
    relationship: str


class TestimonyRef(Out):
    number: int
    recorded_on: dt.date
    relationship: str


class PersonDetail(Out):
    id: uuid.UUID
    entry_no: int
    version: int
    name: str
    names: list[NameOut]
    gender: str
    birth_year: int | None
    birth_year_max: int | None
    ethnicity: str
    citizenships: list[str]
    hometown: PlaceRef | None
    occupation: str
    biography: str
    evidence_grade: str
    current_status: str
    visibility: str
    tags: list[str]
    timeline: list[EventOut]
    relatives: list[RelativeOut]
    testimonies: list[TestimonyRef]
    created_at: dt.datetime
    updated_at: dt.datetime


class RestrictedOut(Out):
    entry_no: int
    chinese_id: str


class NameIn(Schema):
    full_name: Annotated[
        str, StringConstraints(min_length=1, max_length=300), AfterValidator(_printable)
    ]
    kind: Text = Field(default="official", description="official, transliteration, alias, …")
    lang: Annotated[str, StringConstraints(max_length=20), AfterValidator(_printable)] = ""
    script: Text = Field(default="", description="Left empty, it is detected from the name.")
    version: int | None = Field(
        default=None,
        description="The person's version as read: refused with 409 when someone changed the "
        "entry since (leave it out to add the name whatever the version).",
    )


class NamesOut(Out):
    entry_no: int
    version: int
    names: list[NameOut]


class TestimonyItem(Out):
    id: uuid.UUID
    number: int
    recorded_on: dt.date
    location: str
    language: str
    status: str
    visibility: str
    testifier: str = Field(description="The testifier's name as the reader may read it.")
    persons: list[PersonRef | None] = Field(
        description="The persons it concerns; null for one the reader may not see."
    )
    consent_public: bool
    consent_press: bool
    consent_petitions: bool
    consent_anonymous: bool
    consent_withdrawn: bool


class TestimonyPage(Out):
    items: list[TestimonyItem]
    next_after: int | None
    limit: int


class FileOut(Out):
    kind: str
    restricted: bool
    shown: bool = Field(description="False: there is a file the reader may not have.")
    sha256: str | None
    size: int | None
    name: str | None


class TestimonyDetail(TestimonyItem):
    summary: str
    place: PlaceRef | None
    files: list[FileOut]


class PlaceOut(Out):
    code: str
    name: str
    kind: str
    parent: str | None
    score: float
    matched_name: str
    names: list[str]


class SearchHit(Out):
    person: PersonRef
    score: float
    matched_name: str
    reason: str
    names: list[str]


class PetitionOut(Out):
    id: uuid.UUID
    form: str
    state: str
    channel: str
    person: PersonRef
    signed_on: dt.date | None
    sent_on: dt.date | None
    registration_no: str
    registered_on: dt.date | None
    answered_on: dt.date | None
    closed_on: dt.date | None
    next_action: str
    next_action_due: dt.date | None
    created_at: dt.datetime


class PublicNameOut(Out):
    full_name: str
    script: str
    kind: str


class PublicSourceOut(Out):
    kind: str
    title: str
    url: str
    date_text: str


class PublicEventOut(Out):
    kind: str
    report: str
    date_text: str
    date_start: dt.date | None
    place: PlaceRef | None
    facility: str
    sentence: str
    testimony_number: int | None
    source: PublicSourceOut | None


class PublicTestimonyOut(Out):
    number: int
    recorded_on: dt.date
    language: str
    channel: str
    relationship: str
    testifier: str
    testifier_named: bool
    summary: str
    videos: int


class PublicEntryOut(Out):
    entry_no: int
    name: str
    anonymous: bool
    names: list[PublicNameOut]
    gender: str
    ethnicity: str
    birth_year: int | None
    birth_year_max: int | None
    citizenships: list[str]
    hometown: PlaceRef | None
    occupation: str
    biography: str
    evidence_grade: str
    current_status: str
    year_detained: int | None
    tags: list[str]
    has_photo: bool
    events: list[PublicEventOut]
    testimonies: list[PublicTestimonyOut]
    sources: list[PublicSourceOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class PublicPage(Out):
    items: list[PublicEntryOut]
    next_after: int | None
    limit: int
