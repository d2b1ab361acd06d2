"""`aigaq init` after an upgrade: the originals an older Aigaq left in clear are sealed."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.management.commands.init import Command as Init
from aigaq.media import storage
from tests.media.conftest import files_under, holds_bytes


def test_init_seals_clear_originals_and_says_so(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    data = b"an old clear original " * 1000
    sha = hashlib.sha256(data).hexdigest()
    clear = storage.clear_path_for(sha)
    clear.parent.mkdir(parents=True)
    clear.write_bytes(data)
    out = io.StringIO()
    cmd = Init(stdout=out, stderr=io.StringIO())
    cmd._media(1)
    assert "Encrypting the media originals" in out.getvalue()
    assert files_under(tmp_path / "media") == [storage.path_for(sha)]
    assert not holds_bytes(tmp_path / "media", data[:200])
    assert storage.verify(sha)
    out = io.StringIO()
    Init(stdout=out, stderr=io.StringIO())._media(1)  # again: nothing to do, nothing said
    assert out.getvalue() == ""


def test_init_on_postgresql_refuses_a_new_key_beside_sealed_media(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import CommandError

    settings.MEDIA_ROOT = str(tmp_path / "media")
    sealed = tmp_path / "media" / "originals" / "ab" / "cd" / ("ab" * 32 + ".sealed")
    sealed.parent.mkdir(parents=True)
    sealed.write_bytes(b"x")
    monkeypatch.delenv("AIGAQ_DB_KEY", raising=False)
    monkeypatch.setenv("AIGAQ_DB_KEY_FILE", str(tmp_path / "nokey"))
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    with pytest.raises(CommandError, match="key .* is missing"):
        Init(stdout=io.StringIO(), stderr=io.StringIO())._media(1)
    assert not (tmp_path / "nokey").exists()
