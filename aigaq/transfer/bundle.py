"""The field-bundle file format: a tar stream inside age encryption, written and read in chunks
so no media file is ever held whole in memory. Pure I/O; no database access.

File layout (see docs/decisions/0004-field-bundles.md):

    AIGAQ-FIELD-BUNDLE\n
    passphrase <n>\n <n bytes: an age file (scrypt) holding a one-off X25519 identity>
  | recipient\n
    <an age file (X25519) whose plaintext is a GNU tar stream>

The tar holds `records/<type>.jsonl`, `reference.json`, `media/<sha256>` and, last,
`manifest.json` with the SHA-256 and size of every other member.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyrage
from django.utils.translation import gettext as _
from pyrage import x25519

from aigaq.media.crypto import SealedWriter

MAGIC = b"AIGAQ-FIELD-BUNDLE\n"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BLOCK = 512
CHUNK = 1024 * 1024
MAX_KEY_BLOB = 64 * 1024
MAX_JSON_MEMBER = 512 * 1024 * 1024


class BundleError(Exception):
    """A bundle refused, with one sentence a volunteer can act on. Nothing was changed."""


@dataclass
class Member:
    name: str
    size: int
    chunks: Callable[[], Iterable[bytes]]


def json_member(name: str, payload: Any) -> Member:
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return Member(name, len(data), lambda: [data])


def jsonl_member(name: str, rows: Iterable[dict[str, Any]]) -> Member:
    data = b"".join(
        json.dumps(r, ensure_ascii=False, sort_keys=True).encode() + b"\n" for r in rows
    )
    return Member(name, len(data), lambda: [data])


def file_member(name: str, path: Path) -> Member:
    def chunks() -> Iterator[bytes]:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    return Member(name, path.stat().st_size, chunks)


# --- writing -------------------------------------------------------------------------------


def _tar_header(name: str, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = 0
    return info.tobuf(format=tarfile.GNU_FORMAT)


def _tar_stream(members: Iterable[Member], manifest: dict[str, Any]) -> Iterator[bytes]:
    """The tar bytes, member by member; the manifest (with every member's hash) comes last."""
    listed: dict[str, dict[str, Any]] = {}
    for m in members:
        if m.name == MANIFEST or m.name in listed:
            raise ValueError(f"duplicate member {m.name}")
        yield _tar_header(m.name, m.size)
        digest = hashlib.sha256()
        written = 0
        for chunk in m.chunks():
            digest.update(chunk)
            written += len(chunk)
            yield chunk
        if written != m.size:
            raise ValueError(f"{m.name} changed size while it was written")
        if written % BLOCK:
            yield b"\0" * (BLOCK - written % BLOCK)
        listed[m.name] = {"sha256": digest.hexdigest(), "size": written}
    final = {"format_version": FORMAT_VERSION, "members": listed, **manifest}
    data = json.dumps(final, ensure_ascii=False, sort_keys=True).encode()
    yield _tar_header(MANIFEST, len(data))
    yield data + b"\0" * ((BLOCK - len(data) % BLOCK) % BLOCK)
    yield b"\0" * (BLOCK * 2)


class _ChunkReader(io.RawIOBase):
    """A file-like reader over a generator of byte chunks (what pyrage.encrypt_io reads)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = CHUNK
        while len(self._buf) < size:
            try:
                self._buf += next(self._chunks)
            except StopIteration:
                break
        out, self._buf = self._buf[:size], self._buf[size:]
        return out

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def write_bundle(
    out: IO[bytes],
    *,
    members: Iterable[Member],
    manifest: dict[str, Any],
    passphrase: str | None = None,
    recipient: str | None = None,
    magic: bytes = MAGIC,
) -> None:
    """Encrypt the tar of `members` (+ the manifest) into `out`, streaming. `magic` is the
    first line (the full archive, transfer/archive.py, writes its own)."""
    if bool(passphrase) == bool(recipient):
        raise BundleError(_("Give either a passphrase or a recipient key, not both or neither."))
    if passphrase:
        identity = x25519.Identity.generate()
        blob = pyrage.passphrase.encrypt(str(identity).encode(), passphrase)
        out.write(magic + b"passphrase %d\n" % len(blob) + blob)
        recipients = [identity.to_public()]
    else:
        try:
            recipients = [x25519.Recipient.from_str((recipient or "").strip())]
        except pyrage.RecipientError:
            raise BundleError(
                _("The recipient is not an age public key (it starts with “age1”).")
            ) from None
        out.write(magic + b"recipient\n")
    pyrage.encrypt_io(_ChunkReader(_tar_stream(members, manifest)), out, recipients)


# --- reading -------------------------------------------------------------------------------


@dataclass
class Staged:
    """A bundle decrypted into a staging folder, not yet verified."""

    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    hashes: dict[str, tuple[str, int]] = field(default_factory=dict)
    finished: bool = False
    # With a media key, each media/<sha256> member is staged sealed (aigaq.media.crypto), so
    # no clear byte of a video reaches the disk; `hashes` are of the plaintext all the same.
    media_key: bytes | None = field(default=None, repr=False)
    # Members staged sealed when there is a media key: those whose name starts with one of these.
    sealed_prefixes: tuple[str, ...] = ("media/",)


def plain_member_name(name: str) -> bool:
    """Is `name` a member name Aigaq writes: relative, in forward slashes, without `.` or `..`
    parts, empty parts or control characters? (Member names never become paths; a bundle
    holding another name was made or altered by something else and is refused whole.)"""
    parts = name.split("/")
    return (
        bool(name)
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in parts)
        and not any(ord(c) < 32 or ord(c) == 127 for c in name)
    )


class _TarSink:
    """Receives decrypted bytes (pyrage.decrypt_io writes here) and writes each tar member to
    its own staging file while hashing it. Member names never become paths."""

    def __init__(self, staged: Staged) -> None:
        self.staged = staged
        self._buf = bytearray()
        self._member: str | None = None
        self._left = 0
        self._pad = 0
        self._fh: IO[bytes] | None = None
        self._writer: SealedWriter | None = None
        self._digest: Any = None
        self._size = 0

    def write(self, data: bytes) -> int:
        self._buf += data
        self._drain()
        return len(data)

    def flush(self) -> None:
        pass

    def _drain(self) -> None:
        while True:
            if self._member is not None:
                if self._left:
                    take = min(self._left, len(self._buf))
                    if not take:
                        return
                    piece = bytes(self._buf[:take])
                    del self._buf[:take]
                    assert self._fh is not None
                    (self._writer or self._fh).write(piece)
                    self._digest.update(piece)
                    self._left -= take
                    continue
                if len(self._buf) < self._pad:
                    return
                del self._buf[: self._pad]
                self._close_member()
                continue
            if self.staged.finished:
                self._buf.clear()
                return
            if len(self._buf) < BLOCK:
                return
            header = bytes(self._buf[:BLOCK])
            del self._buf[:BLOCK]
            if header == b"\0" * BLOCK:
                self.staged.finished = True
                continue
            try:
                info = tarfile.TarInfo.frombuf(header, "utf-8", "surrogateescape")
            except tarfile.TarError:
                raise BundleError(_("The bundle's contents are damaged.")) from None
            if not info.isreg() or info.name in self.staged.files:
                raise BundleError(_("The bundle's contents are damaged."))
            if not plain_member_name(info.name):
                raise BundleError(
                    _(
                        "The bundle holds a file whose name is not a plain name inside the "
                        "bundle (%(name)s); it was not made by Aigaq, and nothing was imported."
                    )
                    % {"name": info.name[:80].encode("unicode_escape").decode("ascii")}
                )
            self._open_member(info.name, info.size)

    def _open_member(self, name: str, size: int) -> None:
        path = self.staged.folder / f"m{len(self.staged.files):06d}"
        self.staged.files[name] = path
        self._fh = path.open("wb")
        if self.staged.media_key is not None and name.startswith(self.staged.sealed_prefixes):
            self._writer = SealedWriter(self._fh, self.staged.media_key)  # type: ignore[arg-type]
        self._digest = hashlib.sha256()
        self._member = name
        self._left = size
        self._size = size
        self._pad = (BLOCK - size % BLOCK) % BLOCK

    def _close_member(self) -> None:
        assert self._fh is not None and self._member is not None
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._fh.close()
        self.staged.hashes[self._member] = (self._digest.hexdigest(), self._size)
        self._fh = None
        self._member = None

    def close(self) -> None:
        if self._writer is not None:
            self._writer.abort()
        if self._fh is not None:
            self._fh.close()


def _read_line(fh: IO[bytes], limit: int = 64) -> bytes:
    line = fh.readline(limit)
    if not line.endswith(b"\n"):
        raise BundleError(_("This file is not an Aigaq field bundle, or it is incomplete."))
    return line[:-1]


def open_identities(
    fh: IO[bytes], *, passphrase: str | None, identity_text: str | None, magic: bytes = MAGIC
) -> list[Any]:
    """Read the bundle's head and return the identities that decrypt its body."""
    if fh.read(len(magic)) != magic:
        raise BundleError(_("This file is not an Aigaq field bundle, or it is incomplete."))
    mode = _read_line(fh)
    if mode.startswith(b"passphrase "):
        try:
            n = int(mode.split(b" ", 1)[1])
        except ValueError:
            raise BundleError(_("This file is not an Aigaq field bundle.")) from None
        if not 0 < n <= MAX_KEY_BLOB:
            raise BundleError(_("This file is not an Aigaq field bundle."))
        blob = fh.read(n)
        if len(blob) != n:
            raise BundleError(_("The bundle is incomplete (the file was cut short)."))
        if not passphrase:
            raise BundleError(_("This bundle is protected by a passphrase; give the passphrase."))
        try:
            secret = pyrage.passphrase.decrypt(blob, passphrase).decode()
            return [x25519.Identity.from_str(secret)]
        except pyrage.DecryptError as exc:
            # age refuses a scrypt work factor far above what this machine does in a second
            # (measured now: a slow or very busy laptop); that is not a wrong passphrase.
            if "excessive work" in str(exc).lower():
                raise BundleError(
                    _(
                        "This computer is too slow or too busy right now to open the bundle's "
                        "passphrase block; close other programs and try again, or use an age key."
                    )
                ) from None
            raise BundleError(
                _("The passphrase is wrong (or the bundle's key block was altered).")
            ) from None
        except (pyrage.IdentityError, UnicodeDecodeError):
            raise BundleError(
                _("The passphrase is wrong (or the bundle's key block was altered).")
            ) from None
    if mode == b"recipient":
        if not identity_text:
            raise BundleError(
                _("This bundle is encrypted for an age key; give the identity file that holds it.")
            )
        keys = []
        for line in identity_text.splitlines():
            line = line.strip()
            if line.startswith("AGE-SECRET-KEY-"):
                try:
                    keys.append(x25519.Identity.from_str(line))
                except pyrage.IdentityError:
                    raise BundleError(_("The identity file holds a damaged age key.")) from None
        if not keys:
            raise BundleError(_("The identity file holds no age secret key (AGE-SECRET-KEY-…)."))
        return keys
    raise BundleError(_("This file is not an Aigaq field bundle."))


def decrypt_to_staging(
    fh: IO[bytes],
    folder: Path,
    *,
    passphrase: str | None,
    identity_text: str | None,
    media_key: bytes | None = None,
    magic: bytes = MAGIC,
    sealed_prefixes: tuple[str, ...] = ("media/",),
) -> Staged:
    """Decrypt and unpack into `folder`, hashing each member. Raises BundleError when the file is
    cut short, altered, or for someone else. Nothing outside `folder` is written. With
    `media_key`, media members are staged sealed under it."""
    identities = open_identities(
        fh, passphrase=passphrase, identity_text=identity_text, magic=magic
    )
    staged = Staged(folder, media_key=media_key, sealed_prefixes=sealed_prefixes)
    sink = _TarSink(staged)
    try:
        pyrage.decrypt_io(fh, sink, identities)
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise BundleError(
                _("This bundle was encrypted for someone else: the key given does not open it.")
            ) from None
        raise BundleError(
            _("The bundle is damaged or incomplete (cut short or altered); nothing was imported.")
        ) from None
    except OSError:
        raise BundleError(
            _("The bundle is damaged or incomplete (cut short or altered); nothing was imported.")
        ) from None
    finally:
        sink.close()
    if not staged.finished or sink._member is not None or MANIFEST not in staged.files:
        raise BundleError(
            _("The bundle is damaged or incomplete (cut short or altered); nothing was imported.")
        )
    return staged


def verify_staged(staged: Staged) -> dict[str, Any]:
    """Check the manifest and every member's hash and size. Returns the manifest."""
    path = staged.files[MANIFEST]
    try:
        manifest = json.loads(path.read_bytes())
    except ValueError:
        raise BundleError(_("The bundle's manifest is damaged.")) from None
    if not isinstance(manifest, dict) or "format_version" not in manifest:
        raise BundleError(_("The bundle's manifest is damaged."))
    if manifest["format_version"] != FORMAT_VERSION:
        raise BundleError(
            _(
                "This bundle uses format version %(v)s, which this Aigaq cannot read "
                "(it reads version %(ours)s); update Aigaq on this machine."
            )
            % {"v": manifest["format_version"], "ours": FORMAT_VERSION}
        )
    listed = manifest.get("members") or {}
    present = {n for n in staged.files if n != MANIFEST}
    if set(listed) != present:
        raise BundleError(_("The bundle's contents do not match its manifest."))
    for name, meta in listed.items():
        sha, size = staged.hashes[name]
        if sha != meta.get("sha256") or size != meta.get("size"):
            raise BundleError(
                _("A file in the bundle does not match its recorded hash (%(name)s).")
                % {"name": name}
            )
        if name.startswith("media/") and name != f"media/{sha}":
            raise BundleError(
                _("A media file in the bundle does not match its hash (%(name)s).") % {"name": name}
            )
    return manifest


def read_json(staged: Staged, name: str) -> Any:
    path = staged.files.get(name)
    if path is None:
        return None
    if path.stat().st_size > MAX_JSON_MEMBER:
        raise BundleError(_("The bundle's record list is too large."))
    return json.loads(path.read_bytes())


def read_jsonl(staged: Staged, name: str) -> list[dict[str, Any]]:
    path = staged.files.get(name)
    if path is None:
        return []
    rows = []
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows
