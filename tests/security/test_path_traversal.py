"""Path traversal and zip-slip: no file name or archive member given from outside becomes a
path, and a hostile one is refused with a clear sentence, writing nothing anywhere.

What takes a name or an archive from outside, and where it is checked:

* field bundles (transfer/bundle.py, a tar inside age): member names never become paths
  (each member is staged as m000001...), links and devices are refused, and so is any name
  that is not a plain relative name (`..`, absolute, backslashes, control characters);
* the file name of an uploaded or added media file (the testimony form, the person's photo,
  `aigaq media add` / `import-folder`, the tus uploads' `filename` metadata): kept only as a
  label, through `media.services.check_file_name`; the file itself is stored by its SHA-256;
  `import-folder` skips links;
* the spreadsheet import: the name is a label in the job's title, the file kept as "upload".
No subtitle upload exists yet (the translations app is not built): add it here when it is.
"""

from __future__ import annotations

import base64
import io
import os
import tarfile
from pathlib import Path
from typing import Any

import pyrage
import pytest
from django.core.management import CommandError, call_command

from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "../../etc/evil",
    "../evil.mp4",
    "/etc/evil",
    "/tmp/evil.mp4",
    "..\\..\\evil.mp4",
    "media/../../evil",
    "evil\x00.mp4",
    "evil\r\n.mp4",
    "..",
]


def files_under(*roots: Path) -> set[Path]:
    return {p for root in roots if root.exists() for p in root.rglob("*") if not p.is_dir()}


@pytest.fixture
def place(settings: Any, tmp_path: Path) -> Path:
    """The data folder and media store inside tmp_path, with a neighbour folder an attacker
    would aim at."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    (tmp_path / "data").mkdir()
    (tmp_path / "etc").mkdir()
    return tmp_path


def no_evil_anywhere(root: Path) -> None:
    assert not list(root.rglob("*evil*")), "a hostile name became a file"
    assert not list(Path.cwd().glob("*evil*"))


# ------------------------------------------------------------------ field bundles (tar)


def hostile_bundle(member: tarfile.TarInfo, data: bytes = b"x") -> tuple[bytes, str]:
    """A bundle (the real head, a real age encryption) whose tar holds `member`."""
    from aigaq.transfer.bundle import MAGIC

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        tar.addfile(member, io.BytesIO(data) if member.isreg() else None)
    identity = pyrage.x25519.Identity.generate()
    body = pyrage.encrypt(buf.getvalue(), [identity.to_public()])
    return MAGIC + b"recipient\n" + body, str(identity)


def regular(name: str, size: int = 1) -> tarfile.TarInfo:
    info = tarfile.TarInfo("x")
    info.name = name  # as given: TarInfo would not clean it
    info.size = size
    return info


def link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


NOT_PLAIN = "not a plain name"
DAMAGED = "damaged"


@pytest.mark.parametrize(
    ("member", "said"),
    [
        (regular("../../evil"), NOT_PLAIN),
        (regular("/tmp/evil"), NOT_PLAIN),
        (regular("media/../../evil"), NOT_PLAIN),
        (regular("records/..\\..\\evil.jsonl"), NOT_PLAIN),
        (regular("records/evil\x01.jsonl"), NOT_PLAIN),
        (regular("./records//evil.jsonl"), NOT_PLAIN),
        (link("media/" + "a" * 64, "/etc/passwd", tarfile.SYMTYPE), DAMAGED),
        (link("records/evil.jsonl", "../../../etc/passwd", tarfile.LNKTYPE), DAMAGED),
        (link("evil-device", "", tarfile.CHRTYPE), DAMAGED),
    ],
    ids=[
        "dotdot",
        "absolute",
        "inner-dotdot",
        "backslash",
        "control",
        "dot",
        "symlink",
        "hardlink",
        "device",
    ],
)
def test_a_bundle_with_a_hostile_member_is_refused_and_writes_nothing(
    member: tarfile.TarInfo, said: str, place: Path, coordinator: Any
) -> None:
    from aigaq.people.models import Person
    from aigaq.transfer.bundle import BundleError
    from aigaq.transfer.services import field_bundle_import

    data, identity = hostile_bundle(member)
    before = files_under(place)
    persons = Person.objects.count()
    with pytest.raises(BundleError) as refused:
        field_bundle_import(
            actor=coordinator, fileobj=io.BytesIO(data), passphrase=None, identity_text=identity
        )
    message = str(refused.value)
    assert said in message, message
    assert files_under(place) - before == set(), "the refused bundle left files behind"
    assert Person.objects.count() == persons
    no_evil_anywhere(place)


def test_member_names_aigaq_writes_are_plain() -> None:
    from aigaq.transfer.bundle import plain_member_name

    for good in ("manifest.json", "records/person.jsonl", "media/" + "ab" * 32):
        assert plain_member_name(good)
    for bad in ("", "../x", "/x", "a//b", "a/./b", "a\\b", "a\x00b", "a/"):
        assert not plain_member_name(bad), bad


# ------------------------------------------------------------------ media file names


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_media_file_with_a_hostile_name_is_refused_with_a_sentence(
    name: str, place: Path
) -> None:
    from aigaq.media.models import MediaFile
    from aigaq.media.services import MediaRefused, media_add

    before = files_under(place)
    with pytest.raises(MediaRefused) as refused:
        media_add(actor=None, fileobj=io.BytesIO(b"%PDF-1.4\n"), original_name=name, kind="other")
    assert "not a plain file name" in str(refused.value)
    assert not MediaFile.objects.exists()
    assert files_under(place) - before == set()
    no_evil_anywhere(place)


def test_import_folder_skips_links_out_of_the_folder(place: Path, capsys: Any) -> None:
    from aigaq.media.models import MediaFile

    secret = place / "etc" / "evil-secret.pdf"
    secret.write_bytes(b"%PDF-1.4\nsecret\n")
    folder = place / "card"
    folder.mkdir()
    os.symlink(secret, folder / "linked.pdf")
    os.symlink(place / "etc", folder / "linked-folder")
    call_command("media", "import-folder", str(folder))
    assert not MediaFile.objects.exists()


def test_media_add_of_a_missing_path_says_so(place: Path) -> None:
    with pytest.raises(CommandError):
        call_command("media", "add", str(place / ".." / ".." / "no-such-evil.mp4"))
    assert not list(place.rglob("*.sealed"))


# ------------------------------------------------------------------ tus uploads


def tus_create(client: Any, testimony: Any, name: str) -> Any:
    meta = ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}"
        for k, v in {"filename": name, "testimony": testimony.label, "kind": "video"}.items()
    )
    return client.post(
        "/uploads/",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10", "Upload-Metadata": meta},
    )


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_tus_upload_keeps_only_a_plain_file_name(
    name: str, place: Path, client: Any, interviewer: Any
) -> None:
    from aigaq.staff.models import Upload
    from aigaq.staff.uploads import staging_root

    client.force_login(interviewer)
    testimony = factories.testimony()
    response = tus_create(client, testimony, name)
    if response.status_code == 201:
        # The folder part is dropped: the name is the file's own, and only a label.
        upload = Upload.objects.get()
        assert "/" not in upload.file_name and "\\" not in upload.file_name
        assert ".." not in upload.file_name.split("/")
        assert not any(ord(c) < 32 for c in upload.file_name)
        folders = [p.relative_to(staging_root()) for p in staging_root().iterdir()]
        assert folders == [Path(str(upload.pk))]
    else:
        assert response.status_code == 400
        assert response.content.decode().strip(), "a refusal says why"
        assert not Upload.objects.exists()
    no_evil_anywhere(place)


def test_a_tus_file_name_with_control_characters_is_refused_at_once(
    place: Path, client: Any, interviewer: Any
) -> None:
    from aigaq.staff.models import Upload

    client.force_login(interviewer)
    response = tus_create(client, factories.testimony(), "evil\r\n.mp4")
    assert response.status_code == 400
    assert "not a plain file name" in response.content.decode()
    assert not Upload.objects.exists()


# ------------------------------------------------------------------ multipart uploads


def multipart(field: str, filename: str, data: bytes, **fields: str) -> tuple[bytes, str]:
    """A multipart body written by hand: the test client would clean the file name."""
    boundary = "----aigaqboundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


@pytest.mark.parametrize("name", ["../../etc/evil.csv", "/etc/evil.csv", "..\\..\\evil.csv"])
def test_a_spreadsheet_upload_name_is_only_a_label(
    name: str, place: Path, client: Any, coordinator: Any
) -> None:
    from aigaq.core.models import Job

    client.force_login(coordinator)
    body, boundary = multipart("file", name, b"name\nTest Adam\n", dry_run="on")
    client.post(
        "/duplicates/import/",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert Job.objects.exists(), "the upload was not taken (nothing was checked)"
    for job in Job.objects.all():
        assert "/" not in job.params.get("file_name", "")
        assert "\\" not in job.params.get("file_name", "")
    no_evil_anywhere(place)
