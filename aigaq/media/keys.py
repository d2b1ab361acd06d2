"""The media keys, derived from the database key, and the names files get on disk.

The media archive has no secret of its own (docs/decisions/0008-media-encryption.md): its two
keys are derived from the database key (aigaq.core.keys: AIGAQ_DB_KEY, AIGAQ_DB_KEY_FILE or
~/.config/aigaq/key, never inside the data folder) with HKDF-SHA256 and two distinct labels:

- the encryption key, which seals every media file (aigaq.media.crypto);
- the naming key, which turns an original's SHA-256 into its name on disk (`disk_name`), so
  that someone holding the data folder cannot test whether a known video is in the archive.

A 64-hex database key is used as the raw 256 bits it is. A passphrase is first stretched with
scrypt, so that the media files are no cheaper to attack than the SQLCipher database (whose
passphrases go through PBKDF2): HKDF alone would let an attacker try passphrases fast.
Whoever holds the database key (or a share of it) therefore holds the media keys as well.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from aigaq.core import keys as core_keys

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
ENCRYPTION_INFO = b"aigaq media v1: encryption key"
NAMING_INFO = b"aigaq media v1: naming key"
# scrypt for passphrases: 64 MiB of memory and about a quarter of a second, once per process.
# The salt is fixed: a per-installation salt would be one more thing whose loss loses the media.
PASSPHRASE_SALT = b"aigaq media key from a passphrase, v1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**16, 8, 1


@dataclass(frozen=True)
class MediaKeys:
    encryption: bytes = field(repr=False)
    naming: bytes = field(repr=False)


def _hkdf(ikm: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(ikm)


@functools.lru_cache(maxsize=4)
def key_material(database_key: str) -> bytes:
    """The 256 bits every key derived from the database key starts from (with HKDF and a label
    of its own: the media keys here, the backup repositories' password in aigaq.backups): a
    64-hex key as it is, a passphrase stretched with scrypt."""
    database_key = database_key.strip()
    if not database_key:
        raise core_keys.DatabaseKeyError("The database key is empty: no key can be derived.")
    if core_keys.HEX_KEY.match(database_key):
        return bytes.fromhex(database_key)
    return Scrypt(salt=PASSPHRASE_SALT, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(
        database_key.encode("utf-8")
    )


@functools.lru_cache(maxsize=4)
def derive_media_keys(database_key: str) -> MediaKeys:
    """The media keys belonging to a database key (a 64-hex key or a passphrase)."""
    database_key = database_key.strip()
    if not database_key:
        raise core_keys.DatabaseKeyError("The database key is empty: no media key can be derived.")
    ikm = key_material(database_key)
    return MediaKeys(encryption=_hkdf(ikm, ENCRYPTION_INFO), naming=_hkdf(ikm, NAMING_INFO))


def media_keys() -> MediaKeys:
    """The media keys of this installation, from the database key wherever it is configured.
    Raises aigaq.core.keys.DatabaseKeyError (one sentence a volunteer can act on) without it."""
    return derive_media_keys(core_keys.load_key(core_keys.key_source(), core_keys.data_dir()))


def ensure_media_key() -> tuple[Path, bool] | None:
    """For `aigaq init`: make sure there is a key to derive the media keys from, whatever the
    database engine (on PostgreSQL the key file serves the media archive only). Creates
    ~/.config/aigaq/key (or AIGAQ_DB_KEY_FILE) when missing; returns (path, created), or None
    when the key comes from the environment."""
    source = core_keys.key_source()
    if source.path is None:
        return None
    result = core_keys.ensure_key_file(source.path)
    core_keys.load_key(source, core_keys.data_dir())
    return result


def check_sha256(sha256: str) -> str:
    if not isinstance(sha256, str) or not SHA256_HEX.fullmatch(sha256):
        raise ValueError("a SHA-256 is written as 64 lowercase hexadecimal characters")
    return sha256


def disk_name(sha256: str, keys: MediaKeys | None = None) -> str:
    """The name on disk of the original whose plaintext SHA-256 is `sha256`: HMAC-SHA256 under
    the naming key, 64 lowercase hex characters. Without the key it reveals nothing of the
    SHA-256, and the same file gets another name under another key."""
    check_sha256(sha256)
    keys = keys or media_keys()
    return hmac.new(keys.naming, sha256.encode("ascii"), hashlib.sha256).hexdigest()
