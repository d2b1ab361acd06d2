"""The media store's names are SHA-256 hashes, and nothing else becomes a path in it."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from aigaq.media import storage
from aigaq.media.models import MediaFile

GOOD = hashlib.sha256(b"x").hexdigest()
BAD = ["../" * 10 + "etc/passwd", GOOD.upper(), GOOD[:63], GOOD + "0", "g" * 64, ""]


@pytest.mark.parametrize("sha", BAD)
def test_a_text_that_is_not_a_lowercase_sha256_never_becomes_a_path(sha: str) -> None:
    with pytest.raises(storage.BadHash):
        storage.path_for(sha)
    assert not storage.verify(sha)


def test_a_sha256_becomes_a_path_inside_the_store(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    path = storage.path_for(GOOD)
    # A keyed name (docs/decisions/0008): nothing of the SHA-256 shows on disk.
    assert path.is_relative_to(storage.media_root()) and path.name.endswith(".sealed")
    assert GOOD not in str(path)


@pytest.mark.django_db
@pytest.mark.parametrize("sha", BAD)
def test_a_media_record_with_a_bad_hash_is_refused_by_the_form_and_the_database(
    sha: str,
) -> None:
    record = MediaFile(sha256=sha, size=1)
    with pytest.raises(ValidationError) as exc:
        record.full_clean()
    assert "sha256" in exc.value.message_dict
    # PostgreSQL refuses a 65th character before the constraint sees it (DataError).
    with pytest.raises(DatabaseError), transaction.atomic():
        MediaFile.objects.create(sha256=sha, size=1)
    assert not MediaFile.objects.exists()


@pytest.mark.django_db
def test_a_media_record_with_a_good_hash_is_kept() -> None:
    MediaFile(sha256=GOOD, size=1).full_clean()
    assert MediaFile.objects.create(sha256=GOOD, size=1).pk
