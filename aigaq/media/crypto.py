"""Sealed files: media encrypted at rest in fixed-size authenticated chunks.

A sealed file is a 48-byte header followed by chunks. Every plaintext chunk but the last holds
exactly `chunk_size` bytes; the last holds 0 to `chunk_size` bytes (an empty file is one empty
final chunk). Each chunk is sealed with AES-256-GCM and carries its 16-byte tag.

Header (big-endian)::

    magic      8 bytes  b"AIGAQMED"
    version    1 byte   1
    reserved   3 bytes  zero
    chunk_size 4 bytes  plaintext bytes per chunk
    file_id   16 bytes  random, new for every file
    key_check 16 bytes  derived from the media key and file_id: a wrong key is named as such

Keys and nonces: every file gets its own AES key, HKDF-SHA256(media key, salt=file_id), so no
two files share a key and a 96-bit nonce is never reused across files. Chunk i's nonce is
i (11 bytes) followed by a final-chunk flag byte (1 on the last chunk, else 0), and the whole
header is the associated data of every chunk. So a chunk moved to another position, moved from
another file, a file cut at a chunk boundary, bytes appended, or a changed header all fail
authentication: the reader raises `SealedTampered`, never returns unauthenticated bytes.

Nothing here holds a whole file in memory: the writer keeps at most one chunk, the reader
decrypts one chunk at a time and, for a byte range, reads only the chunks it covers.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"AIGAQMED"
VERSION = 1
HEADER = struct.Struct(">8sB3sI16s16s")
HEADER_SIZE = HEADER.size  # 48
TAG_SIZE = 16
# 256 KiB: as fast as 1 MiB per byte (bench/media_bench.py, docs/decisions/0008), and a seek
# decrypts at most two chunks (the final one, to authenticate the size, and the one sought).
DEFAULT_CHUNK_SIZE = 256 * 1024
MIN_CHUNK_SIZE = 4 * 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024
_FILE_KEY_INFO = b"aigaq sealed media v1: file key and key check"


class SealedError(Exception):
    """A sealed file cannot be read; the message says why in one sentence."""


class NotSealed(SealedError):
    """The file is not a sealed media file (or is of a format version this Aigaq cannot read)."""


class SealedWrongKey(SealedError):
    """The media key in use is not the one this file was sealed with."""


class SealedTampered(SealedError):
    """The file was altered, cut short, extended or reassembled after it was sealed."""


@dataclass(frozen=True)
class SealResult:
    sha256: str  # of the plaintext: the identity of the original
    size: int  # plaintext bytes


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) != 32:
        raise ValueError("a media encryption key is 32 bytes")


def _file_keys(key: bytes, file_id: bytes) -> tuple[AESGCM, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=48, salt=file_id, info=_FILE_KEY_INFO).derive(
        bytes(key)
    )
    return AESGCM(material[:32]), material[32:]


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


class SealedWriter:
    """Seal a stream: `write()` plaintext as it comes, `close()` to finish.

    Writes to `out` (a binary file opened by the caller, who decides where it lives, fsyncs it
    and renames it into place). `close()` returns the plaintext's SHA-256 and size. A writer
    left without `close()` (an exception inside a `with` block) writes no final chunk, so the
    partial file can never be read as complete; `abort()` says so explicitly.
    """

    def __init__(self, out: BinaryIO, key: bytes, *, chunk_size: int = DEFAULT_CHUNK_SIZE):
        _check_key(key)
        if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError(f"chunk size must lie in [{MIN_CHUNK_SIZE}, {MAX_CHUNK_SIZE}]")
        self._out = out
        self._chunk_size = chunk_size
        file_id = secrets.token_bytes(16)
        self._aead, key_check = _file_keys(key, file_id)
        self._header = HEADER.pack(MAGIC, VERSION, b"\0\0\0", chunk_size, file_id, key_check)
        self._buffer = bytearray()
        self._index = 0
        self._size = 0
        self._digest = hashlib.sha256()
        self._closed = False
        out.write(self._header)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self._closed:
            raise ValueError("write to a closed SealedWriter")
        view = memoryview(data).cast("B")
        written = len(view)
        self._digest.update(view)
        self._size += written
        cs = self._chunk_size
        if self._buffer:
            take = min(cs - len(self._buffer), written)
            self._buffer += view[:take]
            view = view[take:]
            if not view:
                return written
            # The buffer is full and more follows, so it is not the last chunk.
            self._seal(self._buffer, final=False)
            self._buffer.clear()
        if view:
            # Seal whole chunks straight from the caller's buffer, keeping back 1 to
            # `chunk_size` bytes: only close() knows which chunk is the last.
            whole = (len(view) - 1) // cs
            for i in range(whole):
                self._seal(view[i * cs : (i + 1) * cs], final=False)
            self._buffer += view[whole * cs :]
        return written

    def _seal(self, plaintext: bytes | bytearray | memoryview, *, final: bool) -> None:
        nonce = _nonce(self._index, final)
        self._out.write(self._aead.encrypt(nonce, plaintext, self._header))
        self._index += 1

    def close(self) -> SealResult:
        if self._closed:
            raise ValueError("SealedWriter already closed")
        self._seal(self._buffer, final=True)
        self._buffer = bytearray()
        self._closed = True
        self._out.flush()
        return SealResult(self._digest.hexdigest(), self._size)

    def abort(self) -> None:
        """Stop without a final chunk: what was written stays unreadable as a whole."""
        self._closed = True
        self._buffer = bytearray()

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._closed:
            return
        if exc_type is None:
            self.close()
        else:
            self.abort()


class SealedReader(io.RawIOBase):
    """Read a sealed file: a byte range, everything in order, or as a seekable file object.

    Opening reads the header, checks the key, and authenticates the final chunk, so `size` is
    the proven plaintext size (a file cut at a chunk boundary or extended is refused here).
    `fileobj` must be seekable; the reader does not close it unless it opened it (`open()`).
    """

    def __init__(self, fileobj: BinaryIO, key: bytes, *, name: str = "the file") -> None:
        super().__init__()
        self._owns = False
        self._fh = fileobj
        self.name = name
        _check_key(key)
        fileobj.seek(0)
        raw = fileobj.read(HEADER_SIZE)
        if len(raw) < HEADER_SIZE or raw[:8] != MAGIC:
            raise NotSealed(f"{name} is not a sealed Aigaq media file.")
        magic, version, reserved, chunk_size, file_id, key_check = HEADER.unpack(raw)
        if version != VERSION:
            raise NotSealed(
                f"{name} is sealed in format version {version}, which this Aigaq cannot read."
            )
        if reserved != b"\0\0\0" or not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
            raise SealedTampered(f"{name} has a damaged header.")
        self._header = raw
        self._aead, expected_check = _file_keys(key, file_id)
        if not hmac.compare_digest(key_check, expected_check):
            raise SealedWrongKey(
                f"The media key does not open {name}: it was sealed with another key "
                "(or its header is damaged). Check which database key is in use."
            )
        self.chunk_size = chunk_size
        body = fileobj.seek(0, os.SEEK_END) - HEADER_SIZE
        stride = chunk_size + TAG_SIZE
        self._chunks = max(1, -(-body // stride))
        last = body - (self._chunks - 1) * stride
        if last < TAG_SIZE:
            raise SealedTampered(f"{name} is cut short: its last chunk is incomplete.")
        self.size = (self._chunks - 1) * chunk_size + last - TAG_SIZE
        self._cache_index = self._chunks - 1
        self._cache = self._decrypt(self._chunks - 1)
        self._pos = 0

    @classmethod
    def open(cls, path: str | os.PathLike[str], key: bytes) -> SealedReader:
        fh = open(path, "rb")  # noqa: SIM115 - owned and closed by the reader
        try:
            reader = cls(fh, key, name=os.fspath(path))
        except BaseException:
            fh.close()
            raise
        reader._owns = True
        return reader

    # -- chunks -----------------------------------------------------------------------------

    def _decrypt(self, index: int) -> bytes:
        stride = self.chunk_size + TAG_SIZE
        self._fh.seek(HEADER_SIZE + index * stride)
        sealed = self._fh.read(stride)
        final = index == self._chunks - 1
        try:
            plain = self._aead.decrypt(_nonce(index, final), sealed, self._header)
        except InvalidTag:
            raise SealedTampered(
                f"{self.name} was altered after it was sealed (chunk {index} fails its check)."
            ) from None
        if not final and len(plain) != self.chunk_size:  # pragma: no cover - tag forbids it
            raise SealedTampered(f"{self.name} has a short chunk {index}.")
        return plain

    def _chunk(self, index: int) -> bytes:
        if index != self._cache_index:
            self._cache = self._decrypt(index)
            self._cache_index = index
        return self._cache

    def iter_range(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Yield the plaintext bytes [start, end), chunk by chunk, reading only those chunks.
        `end` is clipped to the size; an empty range yields nothing."""
        end = self.size if end is None else min(end, self.size)
        if start < 0 or end < 0:
            raise ValueError("byte ranges start at 0")
        if start >= end:
            return
        cs = self.chunk_size
        for index in range(start // cs, (end - 1) // cs + 1):
            plain = self._chunk(index)
            base = index * cs
            lo = max(start - base, 0)
            hi = min(end - base, len(plain))
            yield plain if lo == 0 and hi == len(plain) else plain[lo:hi]

    def iter_all(self) -> Iterator[bytes]:
        """Every plaintext chunk in order, each authenticated before it is yielded."""
        return self.iter_range(0, self.size)

    def read_range(self, start: int, end: int) -> bytes:
        return b"".join(self.iter_range(start, end))

    def sha256(self) -> str:
        """Decrypt everything and hash it: the fixity check of a sealed original."""
        digest = hashlib.sha256()
        for chunk in self.iter_all():
            digest.update(chunk)
        return digest.hexdigest()

    # -- io.RawIOBase: a read-only seekable file of the plaintext ----------------------------

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET:
            pos = offset
        elif whence == os.SEEK_CUR:
            pos = self._pos + offset
        elif whence == os.SEEK_END:
            pos = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if self._pos >= self.size or not len(view):
            return 0
        index, offset = divmod(self._pos, self.chunk_size)
        plain = self._chunk(index)
        n = min(len(view), len(plain) - offset)
        view[:n] = plain[offset : offset + n]
        self._pos += n
        return n

    def close(self) -> None:
        if not self.closed and self._owns:
            self._fh.close()
        self._cache = b""
        super().close()


def seal_stream(chunks: Iterator[bytes], out: BinaryIO, key: bytes) -> SealResult:
    """Seal an iterable of plaintext pieces into `out`."""
    writer = SealedWriter(out, key)
    try:
        for piece in chunks:
            writer.write(piece)
    except BaseException:
        writer.abort()
        raise
    return writer.close()
