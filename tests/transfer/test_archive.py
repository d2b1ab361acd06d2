"""`aigaq archive export|import`: everything an instance holds goes into one archive and
comes out the same in an empty instance (every row, field by field; every media file by its
hash); a refused archive changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from pyrage import x25519

from aigaq.transfer import archive
from aigaq.transfer import bundle as fmt

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "the whole archive, moved"
# Most tests encrypt to an age key: a passphrase costs seconds of scrypt each time.
IDENTITY = x25519.Identity.generate()
KEY_TEXT = str(IDENTITY)
RECIPIENT = str(IDENTITY.to_public())


def dump_rows() -> dict[str, list[dict[str, Any]]]:
    """Every carried row as the archive writes it, credentials left out (they are replaced
    on purpose: archive.NOT_COPIED)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for model in archive.carried_models():
        label = model._meta.label_lower
        skip = archive.NOT_COPIED.get(label, set())
        rows = [{k: v for k, v in r.items() if k not in skip} for r in archive._rows(model)]
        out[label] = rows
    return out


def _stats() -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    return json.loads(out.getvalue())


def _video(tmp: Path) -> Path:
    out = tmp / "cam1.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10",
            "-t",
            "1",
            "-pix_fmt",
            "yuv420p",
            "-y",
            str(out),
        ],  # fmt: skip
        check=True,
        timeout=60,
    )
    return out


@pytest.fixture
def instance(db: Any, settings: Any, tmp_path: Path, make_user: Any) -> dict[str, Any]:
    """A small instance holding every kind of work: the demo's persons and testimonies, and
    a video with a redacted copy, a petition, a transcript, the audit entries they wrote."""
    from aigaq.media.models import Rendition
    from aigaq.media.renditions import rendition_store
    from aigaq.media.services import media_ingest
    from aigaq.petitions.services import petition_create
    from aigaq.transcripts.services import segment_add, transcript_create
    from tests import factories

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    coordinator = make_user("coordinator", username="coord")
    call_command("demo", "--people", "12", "--seed", "7", stdout=StringIO())
    p = factories.person("Оспан Жұмаұлы", actor=coordinator, status="detained", date="2018-04")
    with _video(tmp_path).open("rb") as fh:
        video = media_ingest(actor=coordinator, fileobj=fh, original_name="cam1.mp4", kind="video")
    card = media_ingest(
        actor=coordinator, fileobj=io.BytesIO(b"an ID card, scanned"), original_name="id.png"
    )
    t = factories.testimony(p, actor=coordinator, media=[video, card])
    redacted = tmp_path / "redacted.mp4"
    redacted.write_bytes(b"a redacted copy")
    rendition_store(
        media=video, kind=Rendition.Kind.REDACTED, source=redacted, content_type="video/mp4"
    )
    petition_create(actor=coordinator, form="wgeid", persons=[p], entries={})
    tr = transcript_create(actor=coordinator, testimony=t, language="kk")
    segment_add(actor=coordinator, transcript=tr, start_ms=0, end_ms=900, text="Ұлым жоқ.")
    return {"person": p, "video": video, "card": card, "user": coordinator}


def _export(path: Path, **kw: Any) -> archive.ExportReport:
    with path.open("wb") as fh:
        return archive.archive_export(actor=None, out=fh, recipient=RECIPIENT, **kw)


def _import(path: Path, **kw: Any) -> archive.ImportReport:
    with path.open("rb") as fh:
        return archive.archive_import(fileobj=fh, identity_text=KEY_TEXT, **kw)


def _wipe(settings: Any, tmp_path: Path) -> None:
    """Make this database and media folder an empty instance (inside the test's transaction)."""
    with connection.cursor() as cursor:
        for model in reversed(archive.carried_models()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    settings.MEDIA_ROOT = tmp_path / "empty-media"


def _every_file_reads_back(dump: dict[str, list[dict[str, Any]]]) -> None:
    from aigaq.media import storage
    from aigaq.media.models import Rendition
    from aigaq.media.renditions import rendition_open

    for row in dump["media.mediafile"]:
        assert storage.check(row["sha256"]) == "ok"
    for r in Rendition.objects.all():
        with rendition_open(r) as reader:
            data = b"".join(reader.iter_range(0, None))
        assert hashlib.sha256(data).hexdigest() == r.sha256


def test_an_archive_imported_into_an_empty_instance_gives_back_every_row_and_file(
    instance: dict[str, Any], settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    path = tmp_path / "all.aigaq-archive"
    report = _export(path)
    assert report.media == 2 and report.renditions == 1
    before_rows, before_stats = dump_rows(), _stats()
    assert before_rows["core.auditentry"][-1]["action"] == "export"  # the export itself
    kinds_with_rows = {k for k, rows in before_rows.items() if rows}
    assert {
        "people.person", "people.personname", "people.statusevent", "testimonies.testimony",
        "testimonies.testifier", "testimonies.testimonyperson", "testimonies.testimonymedia",
        "media.mediafile", "media.rendition", "petitions.petition", "petitions.petition_persons",
        "transcripts.transcript", "transcripts.segment", "core.auditentry", "core.user",
        "search.namekey",
    } <= kinds_with_rows  # fmt: skip

    _wipe(settings, tmp_path)
    assert archive.instance_is_empty() == []
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(path)

    assert result.records == {k: len(v) for k, v in before_rows.items()}
    after_rows = dump_rows()
    for label, rows in before_rows.items():
        assert after_rows[label] == rows, label  # every row, every field
    assert _stats() == before_stats
    _every_file_reads_back(after_rows)
    from aigaq.core.models import User

    user = User.objects.get(username="coord")
    assert not user.has_usable_password()  # credentials do not travel
    # The instance goes on: new rows get keys after the imported ones (PostgreSQL identity
    # sequences moved on), entry numbers continue.
    from tests import factories

    newest = max(r["entry_no"] for r in before_rows["people.person"])
    assert factories.person("Жаңа Адам").entry_no > newest


def test_an_archive_read_by_a_second_instance_compares_equal(
    instance: dict[str, Any], tmp_path: Path
) -> None:
    """The archive goes to another machine: a separate process with its own encrypted
    database, media folder and key. `aigaq stats --json` and every row compare equal."""
    path = tmp_path / "all.aigaq-archive"
    _export(path)
    before_rows, before_stats = dump_rows(), _stats()
    (tmp_path / "key").write_text(KEY_TEXT + "\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "AIGAQ_TEST_DB", "AIGAQ_PG_TEST_NAME", "AIGAQ_DB_KEY_FILE"}
    }
    env.update(
        AIGAQ_DATA_DIR=str(tmp_path / "second-data"),
        AIGAQ_DB_KEY=secrets.token_hex(32),
        XDG_CONFIG_HOME=str(tmp_path / "second-config"),
        AIGAQ_SECRET_KEY="second-secret",
        DJANGO_SETTINGS_MODULE="config.settings",
    )

    def second(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    second("-m", "aigaq.cli", "init")
    out = second(
        "-m", "aigaq.cli", "archive", "import", str(path),
        "--identity", str(tmp_path / "key"), "--json",
    )  # fmt: skip
    assert json.loads(out)["media"] == 2
    assert json.loads(second("-m", "aigaq.cli", "stats", "--json")) == before_stats
    after_rows = json.loads(second("-m", "tests.transfer.archive_dump"))
    assert after_rows == json.loads(json.dumps(before_rows))
    verify = second("-m", "aigaq.cli", "media", "verify")
    assert "2" in verify  # both originals present and whole in the second instance's store


# --- refusals: a clear error, nothing written ------------------------------------------


def _rewrite(src: Path, dst: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    """Open an archive, let `change` alter its members, write it again (a valid container:
    what a careless tool or a forger could make)."""
    staged = fmt.decrypt_to_staging(
        src.open("rb"),
        _folder(dst),
        passphrase=None,
        identity_text=KEY_TEXT,
        magic=archive.MAGIC,
    )
    members = {n: p.read_bytes() for n, p in staged.files.items() if n != fmt.MANIFEST}
    manifest = json.loads(staged.files[fmt.MANIFEST].read_bytes())
    change(members)
    with dst.open("wb") as out:
        fmt.write_bundle(
            out,
            members=[fmt.Member(n, len(b), lambda b=b: [b]) for n, b in members.items()],
            manifest={"kind": manifest["kind"]},
            recipient=RECIPIENT,
            magic=archive.MAGIC,
        )


def _folder(dst: Path) -> Path:
    folder = dst.with_name(dst.name + ".unpacked")
    folder.mkdir()
    return folder


def _refused(path: Path, settings: Any, tmp_path: Path, words: str) -> None:
    _wipe(settings, tmp_path)
    with pytest.raises(archive.ArchiveError, match=words):
        _import(path)
    assert archive.instance_is_empty() == []
    assert not list((tmp_path / "empty-media").rglob("*.sealed"))


@pytest.fixture
def small(db: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """Enough for the refusals: persons with names, a testimony and a file."""
    from aigaq.media.services import media_ingest
    from tests import factories

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    p = factories.person("Оспан Жұмаұлы", status="detained")
    card = media_ingest(actor=None, fileobj=io.BytesIO(b"an ID card"), original_name="id.png")
    factories.testimony(p, media=[card])
    return {"person": p, "card": card}


@pytest.fixture
def exported(small: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "all.aigaq-archive"
    _export(path)
    return path


def test_an_instance_that_holds_records_is_refused(exported: Path) -> None:
    from aigaq.people.models import Person

    count = Person.objects.count()
    with pytest.raises(archive.ArchiveError, match="not empty"):
        _import(exported)
    assert Person.objects.count() == count


def test_an_archive_from_a_newer_format_version_is_refused(
    exported: Path, settings: Any, tmp_path: Path
) -> None:
    def newer(members: dict[str, bytes]) -> None:
        head = json.loads(members["format.json"])
        members["format.json"] = json.dumps({**head, "version": 99}).encode()

    newer_path = tmp_path / "newer.aigaq-archive"
    _rewrite(exported, newer_path, newer)
    _refused(newer_path, settings, tmp_path, "format version 99")


def test_a_truncated_archive_is_refused(exported: Path, settings: Any, tmp_path: Path) -> None:
    cut = tmp_path / "cut.aigaq-archive"
    data = exported.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    _refused(cut, settings, tmp_path, "incomplete")


def test_an_altered_byte_is_refused(exported: Path, settings: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.aigaq-archive"
    data = bytearray(exported.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad.write_bytes(bytes(data))
    _refused(bad, settings, tmp_path, "damaged")


def test_a_media_file_swapped_for_another_is_refused(
    exported: Path, small: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    card = small["card"].sha256

    def swap(members: dict[str, bytes]) -> None:
        members[f"media/{card}"] = b"another picture"

    swapped = tmp_path / "swapped.aigaq-archive"
    _rewrite(exported, swapped, swap)
    _refused(swapped, settings, tmp_path, "does not match its hash")


def test_a_media_file_left_out_is_refused(
    exported: Path, small: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    card = small["card"].sha256
    short = tmp_path / "short.aigaq-archive"
    _rewrite(exported, short, lambda m: m.pop(f"media/{card}"))
    _refused(short, settings, tmp_path, "lacks the media file")


def test_a_row_that_refers_to_a_missing_record_is_refused(
    exported: Path, settings: Any, tmp_path: Path
) -> None:
    def orphan(members: dict[str, bytes]) -> None:
        name = "records/people.personname.jsonl"
        lines = members[name].splitlines()
        row = json.loads(lines[0])
        row["person_id"] = "00000000-0000-4000-8000-000000000000"
        members[name] = b"\n".join([json.dumps(row).encode(), *lines[1:]]) + b"\n"

    orphaned = tmp_path / "orphan.aigaq-archive"
    _rewrite(exported, orphaned, orphan)
    _refused(orphaned, settings, tmp_path, "refer to records it does not hold")


def test_a_column_this_version_does_not_know_is_refused(
    exported: Path, settings: Any, tmp_path: Path
) -> None:
    def extra(members: dict[str, bytes]) -> None:
        name = "records/people.person.jsonl"
        lines = members[name].splitlines()
        row = {**json.loads(lines[0]), "shoe_size": 44}
        members[name] = b"\n".join([json.dumps(row).encode(), *lines[1:]]) + b"\n"

    odd = tmp_path / "odd.aigaq-archive"
    _rewrite(exported, odd, extra)
    _refused(odd, settings, tmp_path, "shoe_size")


def test_a_wrong_passphrase_or_key_is_refused(
    small: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    path = tmp_path / "pass.aigaq-archive"
    with path.open("wb") as fh:
        archive.archive_export(actor=None, out=fh, passphrase=PASSPHRASE)
    keyed = tmp_path / "key.aigaq-archive"
    with keyed.open("wb") as fh:
        archive.archive_export(actor=None, out=fh, recipient=RECIPIENT)
    _wipe(settings, tmp_path)
    with path.open("rb") as fh, pytest.raises(archive.ArchiveError, match="passphrase is wrong"):
        archive.archive_import(fileobj=fh, passphrase="not the passphrase")
    other = str(x25519.Identity.generate())
    with keyed.open("rb") as fh, pytest.raises(archive.ArchiveError, match="someone else"):
        archive.archive_import(fileobj=fh, identity_text=other)
    assert archive.instance_is_empty() == []


def test_a_field_bundle_is_not_taken_for_an_archive(settings: Any, tmp_path: Path, db: Any) -> None:
    other = tmp_path / "bundle"
    other.write_bytes(fmt.MAGIC + b"passphrase 3\nabc")
    with other.open("rb") as fh, pytest.raises(archive.ArchiveError, match="not an Aigaq archive"):
        archive.archive_import(fileobj=fh, passphrase=PASSPHRASE)


def test_the_command_prints_json_and_names_errors(
    exported: Path, tmp_path: Path, settings: Any
) -> None:
    (tmp_path / "key").write_text(KEY_TEXT + "\n")
    out = StringIO()
    call_command(
        "archive", "export", str(tmp_path / "again"), "--recipient", RECIPIENT, "--json",
        stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["media"] == 1
    with pytest.raises(CommandError, match="not empty"):
        call_command("archive", "import", str(exported), "--identity", str(tmp_path / "key"))
    _wipe(settings, tmp_path)
    out = StringIO()
    call_command(
        "archive", "import", str(exported), "--identity", str(tmp_path / "key"),
        "--dry-run", "--json", stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["dry_run"] is True
    assert archive.instance_is_empty() == []


def test_a_jobs_file_key_and_a_password_hash_do_not_travel(
    exported: Path, settings: Any, tmp_path: Path, make_user: Any
) -> None:
    from aigaq.core.models import Job, User

    make_user("coordinator", username="coord")
    Job.objects.create(kind="probe", title="t", capability="", secret="AGE-SECRET-KEY-NOT-HERE")
    path = tmp_path / "again"
    _export(path)
    _wipe(settings, tmp_path)
    _import(path)
    assert Job.objects.exists() and not Job.objects.exclude(secret="").exists()
    assert not any(u.has_usable_password() for u in User.objects.all())


def test_the_export_is_in_the_audit_log(small: dict[str, Any], tmp_path: Path) -> None:
    from aigaq.core.models import AuditEntry

    _export(tmp_path / "x")
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and entry.action == "export"
    assert entry.object_type == "transfer.instance"
    assert dt.datetime.now(dt.UTC) - entry.at < dt.timedelta(minutes=5)
