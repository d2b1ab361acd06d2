"""The media keys come from the database key; names on disk do not give a SHA-256 away."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aigaq.core.keys import DatabaseKeyError
from aigaq.media.keys import derive_media_keys, disk_name, ensure_media_key, media_keys

SHA = hashlib.sha256(b"a published testimony").hexdigest()


def test_the_media_keys_are_derived_from_the_database_key_in_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AIGAQ_DB_KEY", "cd" * 32)
    keys = media_keys()
    assert keys == derive_media_keys("cd" * 32)
    assert keys.encryption != keys.naming
    assert bytes.fromhex("cd" * 32) not in (keys.encryption, keys.naming)
    assert len(keys.encryption) == len(keys.naming) == 32
    assert repr(keys.encryption) not in repr(keys) and repr(keys.naming) not in repr(keys)


def test_another_database_key_gives_other_media_keys() -> None:
    a, b = derive_media_keys("cd" * 32), derive_media_keys("ce" * 32)
    assert a.encryption != b.encryption and a.naming != b.naming


def test_a_passphrase_database_key_gives_media_keys_too() -> None:
    keys = derive_media_keys("a long passphrase for the laptop")
    assert keys == derive_media_keys("a long passphrase for the laptop")
    assert keys != derive_media_keys("a long passphrase for the laptoq")


def test_without_a_database_key_the_media_keys_are_refused_with_a_way_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AIGAQ_DB_KEY", raising=False)
    monkeypatch.delenv("AIGAQ_DB_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    with pytest.raises(DatabaseKeyError, match="aigaq init"):
        media_keys()


def test_ensure_media_key_creates_the_key_beside_the_database_key_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AIGAQ_DB_KEY", raising=False)
    monkeypatch.delenv("AIGAQ_DB_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("AIGAQ_DATA_DIR", str(tmp_path / "data"))
    path, created = ensure_media_key() or (None, None)
    assert created is True and path == tmp_path / "config" / "aigaq" / "key"
    assert path.stat().st_mode & 0o077 == 0
    first = media_keys()
    assert ensure_media_key() == (path, False)
    assert media_keys() == first


def test_the_name_on_disk_is_a_keyed_hash_that_does_not_reveal_the_sha256() -> None:
    keys = derive_media_keys("cd" * 32)
    name = disk_name(SHA, keys)
    assert len(name) == 64 and int(name, 16) >= 0 and name == name.lower()
    assert name == disk_name(SHA, keys)
    # Nothing anyone can compute from the SHA-256 alone gives the name.
    assert name != SHA
    assert SHA[:8] not in name
    assert name not in {
        hashlib.sha256(SHA.encode()).hexdigest(),
        hashlib.sha256(bytes.fromhex(SHA)).hexdigest(),
    }
    assert disk_name(SHA, derive_media_keys("ce" * 32)) != name


@pytest.mark.parametrize(
    "bad",
    [SHA.upper(), SHA[:63], SHA + "0", "../" + SHA[3:], "g" * 64, "", SHA[:32] + "/" + SHA[33:]],
)
def test_a_name_is_given_only_to_a_well_formed_sha256(bad: str) -> None:
    with pytest.raises(ValueError, match="64 lowercase hexadecimal"):
        disk_name(bad, derive_media_keys("cd" * 32))
