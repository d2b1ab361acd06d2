"""Dossiers and the wall of sorrow (aigaq/petitions/dossier.py): the PDF and DOCX read back
hold every name form of every person included, in every script, and nothing of a person
without consent to publication, no restricted value and no withheld event; the Arabic dossier
is right to left; bad input is refused with a sentence and writes nothing."""

from __future__ import annotations

import io
import json
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document as DocxDocument

from aigaq.core.models import AuditEntry, Visibility
from aigaq.disclosure import policy
from aigaq.media.services import media_restrict
from aigaq.people.models import Person, Tag
from aigaq.people.services import person_set_photo, status_event_add
from aigaq.people.validators import chinese_id_check_char
from aigaq.petitions import dossier
from aigaq.petitions.selection import Selection
from tests import factories
from tests.petitions.conftest import NAMES

pytestmark = pytest.mark.django_db

ID17 = "65010219800101737"
SENTINELS = {
    "chinese_id": ID17 + chinese_id_check_char(ID17),
    "phone": "7017734901",
    "address": "Sntl-dossier-address-k2",
    "event_note": "sntl-dossier-note-r8",
    "event_source_text": "sntl-dossier-source-m4",
    "withheld_facility": "sntl-withheld-facility-w1",
    "testimony_summary": "sntl-dossier-summary-t5",
}
SECOND = ("Айгүл Тұрсынқызы", "Aygul Tursunqyzy")
NO_CONSENT = "Ержан Қасымұлы"
ANONYMOUS = "Сентанонимбек Ахметұлы"
RESTRICTED = "Сентрестриктбек Оралұлы"


def photo_bytes(shade: int = 160) -> bytes:
    """A small portrait-shaped photo (a soft gradient; no real person)."""
    from PIL import Image

    img = Image.new("RGB", (300, 380))
    img.putdata(
        [(shade - y // 6, shade - y // 5, shade - x // 8) for y in range(380) for x in range(300)]
    )
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def pdf_text(content: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


def pdf_images(path: Path) -> int:
    out = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return max(0, len(out.strip().splitlines()) - 2)


def docx_text(content: bytes) -> str:
    doc = DocxDocument(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"
    settings.AIGAQ_GROUP_NAME = "Test Human Rights Group"


@pytest.fixture
def imams(coordinator: Any, tekes: Any) -> dict[str, Any]:
    """Tagged "detained imams", from Tekes: two consented for publication (one with a photo,
    names in four scripts), one whose family consented to petitions only, one who asked
    anonymity, one restricted entry; restricted values seeded as sentinels."""
    tag = Tag.objects.create(slug="detained-imams", label="Detained imams")
    s = SENTINELS
    first = factories.person(
        *NAMES,
        actor=coordinator,
        gender="male",
        birth_year=1975,
        occupation="imam",
        hometown=tekes,
        citizenships=["CN"],
        chinese_id=s["chinese_id"],
        biography="Imam of the village mosque; taken from his home at night.",
        tags=[tag],
    )
    testifier = factories.testifier(
        "Гүлжан Тоқтарқызы", actor=coordinator, phone="+7" + s["phone"], address=s["address"]
    )
    factories.testimony(
        first,
        actor=coordinator,
        testifier_obj=testifier,
        relationship="mother",
        consent_public=True,
        consent_anonymous=False,
        summary=s["testimony_summary"],
    )
    status_event_add(
        actor=coordinator,
        person=first,
        kind="detained",
        date_text="2018-05-12",
        place=tekes,
        note=s["event_note"],
        source_text=s["event_source_text"],
    )
    status_event_add(
        actor=coordinator, person=first, kind="camp", date_text="2018-06", facility="county camp"
    )
    # An event reported in a testimony without consent to publication: never printed.
    private = factories.testimony(first, actor=coordinator, consent_petitions=True)
    status_event_add(
        actor=coordinator,
        person=first,
        kind="prison",
        date_text="2019",
        facility=s["withheld_facility"],
        testimony=private,
    )
    person_set_photo(
        actor=coordinator, person=first, fileobj=io.BytesIO(photo_bytes()), name="p.jpg"
    )
    second = factories.person(
        *SECOND, actor=coordinator, hometown=tekes, citizenships=["KZ", "CN"], tags=[tag]
    )
    factories.testimony(second, actor=coordinator, consent_public=True, consent_anonymous=False)
    status_event_add(actor=coordinator, person=second, kind="lost_contact", date_text="2017")
    no_consent = factories.person(NO_CONSENT, actor=coordinator, hometown=tekes, tags=[tag])
    factories.testimony(no_consent, actor=coordinator, consent_petitions=True, consent_press=True)
    anonymous = factories.person(ANONYMOUS, actor=coordinator, hometown=tekes, tags=[tag])
    factories.testimony(anonymous, actor=coordinator, consent_public=True, consent_anonymous=True)
    restricted = factories.person(
        RESTRICTED, actor=coordinator, hometown=tekes, tags=[tag], visibility=Visibility.RESTRICTED
    )
    factories.testimony(restricted, actor=coordinator, consent_public=True, consent_anonymous=False)
    for p in (first, second):
        p.refresh_from_db()
    return {
        "first": first,
        "second": second,
        "no_consent": no_consent,
        "anonymous": anonymous,
        "restricted": restricted,
    }


def make(coordinator: Any, tmp_path: Path, **kwargs: Any) -> tuple[dossier.DossierResult, Path]:
    out = tmp_path / kwargs.pop("name", "dossier.pdf")
    persons = Selection(tag="detained-imams").persons(coordinator)
    result = dossier.dossier_make(
        actor=coordinator,
        title=kwargs.pop("title", "Detained imams of Tekes"),
        persons=persons,
        language=kwargs.pop("language", "kk"),
        fmt=kwargs.pop("fmt", "pdf"),
        output=out,
        **kwargs,
    )
    return result, out


def assert_nothing_private(text: str) -> None:
    for name in (NO_CONSENT, ANONYMOUS, RESTRICTED):
        assert name not in text, name
    for key, value in SENTINELS.items():
        assert value not in text, key
    assert SENTINELS["phone"][-6:] not in text


def test_the_pdf_holds_every_name_form_of_the_consented_and_nothing_private(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    result, out = make(coordinator, tmp_path)
    text = pdf_text(out.read_bytes())
    for name in (*NAMES, *SECOND):
        assert name in text, name
    assert "Detained imams of Tekes" in text and "Test Human Rights Group" in text
    assert "county camp" in text  # the timeline
    # The current status comes from the printed events only: "prison" is reported only by
    # the testimony without consent to publication.
    assert [p.status_key for p in result.document.dossier.persons] == ["camp", "lost_contact"]
    assert_nothing_private(text)
    doc = result.document
    assert doc.pages and doc.pages >= 4  # cover, table, one page per person
    assert [p.entry_no for p in doc.dossier.persons] == sorted(
        [imams["first"].entry_no, imams["second"].entry_no]
    )
    left = dict(doc.dossier.left_out)
    assert left == {
        imams["no_consent"].entry_no: policy.DossierRefusal.NO_CONSENT,
        imams["anonymous"].entry_no: policy.DossierRefusal.ANONYMOUS,
        imams["restricted"].entry_no: policy.DossierRefusal.RESTRICTED,
    }
    assert pdf_images(out) == 2  # one photo: in the table and on its page
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.EXPORT, object_label__startswith="dossier"
    )
    assert entry.changes["persons"] == [p.entry_no for p in doc.dossier.persons]
    assert entry.changes["sha256"] == result.sha256
    assert SENTINELS["chinese_id"] not in json.dumps(entry.changes)


def test_names_in_the_languages_script_come_first(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    first = imams["first"]
    order = {
        "kk": NAMES[0],
        "en": NAMES[3],
        "zh_Hans": NAMES[2],
        "ar": NAMES[1],
    }
    for code, name in order.items():
        built = dossier.dossier_build(persons=[first], title="T", language=code, photos=False)
        assert built.persons[0].name == name, code
        assert built.persons[0].name_forms[0] == name


def test_the_docx_holds_the_same_names_and_nothing_private(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    result, out = make(coordinator, tmp_path, fmt="docx", name="d.docx", language="ru")
    text = docx_text(out.read_bytes())
    for name in (*NAMES, *SECOND):
        assert name in text, name
    assert_nothing_private(text)
    assert result.document.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize("language", ["ar", "zh_Hans", "en", "tr", "fr", "de"])
def test_every_language_prints_every_name_form(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path, language: str
) -> None:
    result, out = make(coordinator, tmp_path, language=language)
    text = pdf_text(out.read_bytes())
    for name in (*NAMES, *SECOND):
        assert name in text, (language, name)
    assert_nothing_private(text)


def test_the_arabic_dossier_is_right_to_left(coordinator: Any, imams: dict[str, Any]) -> None:
    built = dossier.dossier_build(persons=[imams["first"]], title="T", language="ar")
    html = dossier.dossier_html(built)
    assert '<html lang="ar" dir="rtl">' in html
    wall = dossier.dossier_html(built, wall=True)
    assert 'dir="rtl"' in wall
    english = dossier.dossier_html(
        dossier.dossier_build(persons=[imams["first"]], title="T", language="en")
    )
    assert '<html lang="en" dir="ltr">' in english


def test_the_wall_of_sorrow_prints_photos_names_and_hometowns(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    for paper in ("A4", "A3"):
        result, out = make(coordinator, tmp_path, wall=True, paper=paper, name=f"w-{paper}.pdf")
        text = pdf_text(out.read_bytes())
        assert NAMES[0] in text and SECOND[0] in text and "Текес" in text
        assert NAMES[3] not in text  # one name each: in the language's script
        assert_nothing_private(text)
        assert pdf_images(out) == 1
        assert result.as_json()["kind"] == "wall"
    sizes = subprocess.run(
        ["pdfinfo", str(tmp_path / "w-A3.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "841.89 x 1190.55" in sizes  # A3 in points


def test_a_restricted_photo_is_never_printed(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    imams["first"].refresh_from_db()
    media_restrict(actor=coordinator, media=imams["first"].photo)
    _result, out = make(coordinator, tmp_path)
    assert pdf_images(out) == 0


def test_withdrawn_consent_takes_the_person_out(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    from aigaq.testimonies.models import Testimony
    from aigaq.testimonies.services import consent_withdraw

    for t in Testimony.objects.filter(relations__person=imams["second"]):
        consent_withdraw(actor=coordinator, testimony=t, reason="family asked")
    _result, out = make(coordinator, tmp_path)
    text = pdf_text(out.read_bytes())
    assert SECOND[0] not in text and NAMES[0] in text


def test_the_policy_rule_and_its_queryset_agree(coordinator: Any, imams: dict[str, Any]) -> None:
    every = Person.objects.filter(pk__in=[p.pk for p in imams.values()])
    allowed = set(policy.persons_in_dossier(every).values_list("pk", flat=True))
    for p in imams.values():
        assert (p.pk in allowed) == policy.person_usable_for_dossier(p), p
    public_only = factories.person("Sourcebek", actor=coordinator, visibility=Visibility.PUBLIC)
    internal_only = factories.person("Internalbek", actor=coordinator)
    for p, expected in ((public_only, True), (internal_only, False)):
        assert policy.person_usable_for_dossier(p) is expected
        assert policy.persons_in_dossier(Person.objects.filter(pk=p.pk)).exists() is expected


# --- Bad input: a sentence, nothing written ------------------------------------------------------


def test_nobody_selected_is_refused_and_nothing_written(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(dossier.DossierRefused, match="Nobody is selected"):
        dossier.dossier_make(
            actor=coordinator, title="T", persons=[], language="en", fmt="pdf", output=out
        )
    with pytest.raises(dossier.DossierRefused, match="consent to publication"):
        dossier.dossier_make(
            actor=coordinator,
            title="T",
            persons=[imams["no_consent"], imams["anonymous"]],
            language="en",
            fmt="pdf",
            output=out,
        )
    assert not out.exists() and not list(tmp_path.glob(".dossier-*"))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_an_unknown_language_is_refused(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    with pytest.raises(dossier.DossierRefused, match="Unknown language xx"):
        make(coordinator, tmp_path, language="xx")
    assert not (tmp_path / "dossier.pdf").exists()


def test_a_name_no_font_prints_is_refused(
    coordinator: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    factories.person(
        "ཀཁག Tibetan", actor=coordinator, visibility=Visibility.PUBLIC, tags=[Tag.objects.get()]
    )
    with pytest.raises(dossier.DossierRefused, match="no installed font can print") as err:
        make(coordinator, tmp_path)
    assert "TIBETAN LETTER KA" in str(err.value)
    assert not (tmp_path / "dossier.pdf").exists() and not list(tmp_path.glob(".dossier-*"))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_only_coordinators_make_dossiers(
    interviewer: Any, imams: dict[str, Any], tmp_path: Path
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        make(interviewer, tmp_path)


# --- The command ----------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("dossier", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_writes_a_dossier_and_says_what_it_holds(
    imams: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "d.pdf"
    printed = run(
        "--title",
        "Imams",
        "--place",
        "test-tekes",
        "--tag",
        "detained-imams",
        "--language",
        "en",
        "--format",
        "pdf",
        "-o",
        str(out),
        "--json",
    )
    data = json.loads(printed)
    assert data["file"] == str(out) and out.read_bytes().startswith(b"%PDF")
    assert data["persons"] == sorted([imams["first"].entry_no, imams["second"].entry_no])
    assert set(NAMES) <= set(data["names"])
    assert {x["entry"] for x in data["left_out"]} == {
        imams["no_consent"].entry_no,
        imams["anonymous"].entry_no,
        imams["restricted"].entry_no,
    }
    # by citizenship and by entry numbers
    data = json.loads(
        run(
            "--title",
            "Citizens",
            "--citizenship",
            "kz",
            "--language",
            "ru",
            "--format",
            "docx",
            "-o",
            str(tmp_path / "c.docx"),
            "--json",
        )
    )
    assert data["persons"] == [imams["second"].entry_no]
    data = json.loads(
        run(
            "--title",
            "One",
            "--person",
            str(imams["first"].entry_no),
            "--wall",
            "--paper",
            "A3",
            "--language",
            "kk",
            "--format",
            "pdf",
            "-o",
            str(tmp_path / "w.pdf"),
            "--json",
        )
    )
    assert data["kind"] == "wall" and data["persons"] == [imams["first"].entry_no]


BASE = ("--title", "T", "--language", "en", "--format", "pdf")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tag", "no-such-tag", *BASE), "Nobody is selected"),
        (("--tag", "detained-imams", "--title", "T", "--language", "xx"), "Unknown language"),
        (("--person", "999999", *BASE), "no entry #999999"),
        (("--place", "Nowhereland-qq", *BASE), "No place of the gazetteer"),
        (
            (
                "--tag",
                "detained-imams",
                "--wall",
                "--title",
                "T",
                "--language",
                "en",
                "--format",
                "docx",
            ),
            "Choose the format",
        ),
        (("--tag", "detained-imams", "--wall", "--paper", "A5", *BASE), "Choose the paper"),
        (("--tag", "detained-imams", "--title", " ", "--language", "en"), "title"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(
    imams: dict[str, Any], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        run(*args, "-o", str(out))
    assert not out.exists() and not list(tmp_path.glob(".dossier-*"))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


# --- The staff page -------------------------------------------------------------------------------


def client_for(user: Any) -> Any:
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_the_page_downloads_the_dossier_and_the_wall(
    coordinator: Any, imams: dict[str, Any]
) -> None:
    c = client_for(coordinator)
    page = c.get("/petitions/dossier/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="detained-imams"' in html and 'value="ar"' in html
    form = {
        "title": "Imams of Tekes",
        "tag": "detained-imams",
        "language": "kk",
        "fmt": "pdf",
        "paper": "A4",
        "place": "test-tekes",
    }
    r = c.post("/petitions/dossier/", {**form, "dossier": "1"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Cache-Control"] == "no-store" and "attachment" in r["Content-Disposition"]
    text = pdf_text(r.content)
    for name in (*NAMES, *SECOND):
        assert name in text, name
    assert_nothing_private(text)
    assert r["X-Left-Out"] == "3"
    r = c.post("/petitions/dossier/", {**form, "fmt": "docx", "dossier": "1"})
    assert r["Content-Type"].endswith("wordprocessingml.document")
    assert NAMES[1] in docx_text(r.content)
    r = c.post("/petitions/dossier/", {**form, "paper": "A3", "wall": "1"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert 'filename="wall-' in r["Content-Disposition"]
    assert NAMES[0] in pdf_text(r.content)
    kinds = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).values_list(
        "changes__kind", flat=True
    )
    assert sorted(kinds) == ["dossier", "dossier", "wall"]


def test_the_page_says_why_no_dossier_was_made(coordinator: Any, imams: dict[str, Any]) -> None:
    c = client_for(coordinator)
    base = {"title": "T", "language": "en", "fmt": "pdf", "paper": "A4", "dossier": "1"}
    cases = [
        ({"numbers": str(imams["no_consent"].entry_no)}, "consent to publication"),
        ({"place": "Nowhereland-qq"}, "No place of the gazetteer"),
        ({"citizenship": "K1"}, "two-letter country code"),
        ({"numbers": "abc"}, "Write entry numbers"),
        ({"language": "xx"}, "Select a valid choice"),
        ({"title": ""}, "This field is required"),
    ]
    for extra, message in cases:
        r = c.post("/petitions/dossier/", {**base, **extra})
        assert r.status_code == 400, extra
        assert message in r.content.decode(), extra
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_petitions_page_links_the_dossier_for_coordinators_only(
    coordinator: Any, interviewer: Any
) -> None:
    assert (
        'data-testid="dossier-link"' in client_for(coordinator).get("/petitions/").content.decode()
    )
    assert (
        'data-testid="dossier-link"'
        not in client_for(interviewer).get("/petitions/").content.decode()
    )
    assert client_for(interviewer).get("/petitions/dossier/").status_code == 403
