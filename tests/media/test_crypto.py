"""Sealed media files: round trips, byte ranges, and every way of tampering with one."""

from __future__ import annotations

import hashlib
import io
import os
import random
from pathlib import Path
from typing import Any

import pytest

from aigaq.media.crypto import (
    DEFAULT_CHUNK_SIZE,
    HEADER_SIZE,
    TAG_SIZE,
    NotSealed,
    SealedError,
    SealedReader,
    SealedTampered,
    SealedWriter,
    SealedWrongKey,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
CS = DEFAULT_CHUNK_SIZE
STRIDE = CS + TAG_SIZE


def seal(data: bytes, key: bytes = KEY, piece: int | None = None) -> tuple[bytes, Any]:
    out = io.BytesIO()
    writer = SealedWriter(out, key)
    if piece is None:
        writer.write(data)
    else:
        for i in range(0, len(data), piece):
            writer.write(data[i : i + piece])
    result = writer.close()
    return out.getvalue(), result


def reader(sealed: bytes, key: bytes = KEY) -> SealedReader:
    return SealedReader(io.BytesIO(sealed), key)


def plaintext(size: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.mark.parametrize(
    "size", [0, 1, CS - 1, CS, CS + 1, 3 * CS, 5 * 1024 * 1024 + 12345], ids=str
)
def test_a_sealed_file_reads_back_as_the_bytes_written_with_their_sha256_and_size(
    size: int,
) -> None:
    data = plaintext(size)
    sealed, result = seal(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.size == size
    opened = reader(sealed)
    assert opened.size == size
    assert b"".join(opened.iter_all()) == data
    assert opened.sha256() == result.sha256


def test_writing_in_odd_pieces_gives_the_same_plaintext_as_writing_at_once() -> None:
    data = plaintext(2 * CS + 777, seed=3)
    for piece in (1000, CS - 1, CS, CS + 1, 3 * CS):
        sealed, result = seal(data, piece=piece)
        assert result.sha256 == hashlib.sha256(data).hexdigest()
        assert b"".join(reader(sealed).iter_all()) == data


def test_the_sealed_bytes_hold_no_readable_plaintext() -> None:
    data = b"Testimony of a detained teacher from Ghulja. " * 20000
    sealed, _ = seal(data)
    assert b"Ghulja" not in sealed
    assert len(sealed) < len(data) + HEADER_SIZE + TAG_SIZE * (len(data) // CS + 2)


def test_two_seals_of_the_same_bytes_differ() -> None:
    data = plaintext(CS + 5)
    assert seal(data)[0] != seal(data)[0]


def test_random_byte_ranges_equal_the_slice_of_the_plaintext() -> None:
    data = plaintext(3 * 1024 * 1024 + 99, seed=7)
    opened = reader(seal(data)[0])
    rng = random.Random(11)
    edges = [0, 1, CS - 1, CS, CS + 1, len(data) - 1, len(data)]
    cases = [(a, b) for a in edges for b in edges if a <= b]
    cases += [
        tuple(sorted((rng.randrange(len(data) + 1), rng.randrange(len(data) + 1))))
        for _ in range(200)
    ]
    for start, end in cases:
        assert opened.read_range(start, end) == data[start:end], (start, end)
    assert opened.read_range(len(data) - 10, len(data) + 1000) == data[-10:]
    assert opened.read_range(len(data) + 5, len(data) + 10) == b""


def test_the_reader_is_a_seekable_file_of_the_plaintext() -> None:
    data = plaintext(2 * CS + 10, seed=5)
    buffered = io.BufferedReader(reader(seal(data)[0]), buffer_size=8192)
    buffered.seek(CS - 3)
    assert buffered.read(10) == data[CS - 3 : CS + 7]
    buffered.seek(-4, os.SEEK_END)
    assert buffered.read() == data[-4:]
    buffered.seek(0)
    assert buffered.read() == data


class CountingFile(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_a_range_in_the_middle_reads_only_the_chunks_it_covers() -> None:
    data = plaintext(40 * CS, seed=9)
    source = CountingFile(seal(data)[0])
    opened = SealedReader(source, KEY)
    # Opening reads the header and the final chunk (which proves the size).
    assert source.bytes_read == HEADER_SIZE + STRIDE
    middle = 20 * CS + 100
    assert opened.read_range(middle, middle + 1000) == data[middle : middle + 1000]
    assert source.bytes_read == HEADER_SIZE + 2 * STRIDE


def test_the_writer_emits_each_chunk_as_it_fills_and_keeps_at_most_one() -> None:
    writes: list[int] = []

    class Sink(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            writes.append(len(b))
            return len(b)

    writer = SealedWriter(Sink(), KEY)  # type: ignore[arg-type]
    writer.write(plaintext(10 * CS + 1))
    assert writes == [HEADER_SIZE] + [STRIDE] * 10
    writer.close()
    assert writes[-1] == 1 + TAG_SIZE


def test_a_wrong_key_is_refused_by_name() -> None:
    sealed, _ = seal(plaintext(1000))
    with pytest.raises(SealedWrongKey, match="media key does not open"):
        reader(sealed, OTHER_KEY)


def test_a_file_that_is_not_sealed_is_refused() -> None:
    with pytest.raises(NotSealed):
        reader(b"\x00\x00\x00\x18ftypmp42" + plaintext(5000))
    with pytest.raises(NotSealed):
        reader(b"")


def flip(sealed: bytes, at: int) -> bytes:
    return sealed[:at] + bytes([sealed[at] ^ 0x01]) + sealed[at + 1 :]


def read_all(sealed: bytes, key: bytes = KEY) -> bytes:
    return b"".join(reader(sealed, key).iter_all())


THREE_CHUNKS = plaintext(2 * CS + 500, seed=1)


@pytest.mark.parametrize(
    "at",
    [
        8,  # version
        9,  # reserved
        12,  # chunk size
        20,  # file id
        40,  # key check
        HEADER_SIZE,  # first byte of chunk 0
        HEADER_SIZE + CS - 1,  # last plaintext byte of chunk 0
        HEADER_SIZE + CS + 3,  # chunk 0's tag
        HEADER_SIZE + STRIDE + 1000,  # chunk 1
        -1,  # the last byte of the file (the final chunk's tag)
    ],
)
def test_a_flipped_bit_anywhere_is_detected(at: int) -> None:
    sealed, _ = seal(THREE_CHUNKS)
    with pytest.raises(SealedError):
        read_all(flip(sealed, at % len(sealed)))


def test_a_tampered_chunk_stops_the_stream_before_any_of_its_bytes() -> None:
    sealed, _ = seal(THREE_CHUNKS)
    opened = reader(flip(sealed, HEADER_SIZE + STRIDE + 5))
    got = bytearray()
    with pytest.raises(SealedTampered, match="chunk 1"):
        for piece in opened.iter_all():
            got += piece
    assert bytes(got) == THREE_CHUNKS[:CS]


@pytest.mark.parametrize(
    "cut",
    [
        lambda s: s[:-1],  # one byte short
        lambda s: s[: HEADER_SIZE + 2 * STRIDE],  # the final chunk dropped whole
        lambda s: s[: HEADER_SIZE + STRIDE],  # two chunks dropped whole
        lambda s: s[: HEADER_SIZE + 10],  # cut inside the first chunk
        lambda s: s[:HEADER_SIZE],  # the header alone
        lambda s: s[:20],  # inside the header
    ],
    ids=["byte", "final-chunk", "two-chunks", "mid-chunk", "header-only", "mid-header"],
)
def test_a_truncated_file_is_detected(cut: Any) -> None:
    sealed, _ = seal(THREE_CHUNKS)
    with pytest.raises(SealedError):
        read_all(cut(sealed))


def test_an_empty_file_cut_to_its_header_is_detected() -> None:
    sealed, _ = seal(b"")
    assert read_all(sealed) == b""
    with pytest.raises(SealedTampered):
        read_all(sealed[:HEADER_SIZE])


@pytest.mark.parametrize(
    "extra",
    [b"\x00", b"x" * TAG_SIZE, b"y" * STRIDE],
    ids=["byte", "tag-sized", "chunk-sized"],
)
def test_bytes_appended_to_a_sealed_file_are_detected(extra: bytes) -> None:
    sealed, _ = seal(THREE_CHUNKS)
    with pytest.raises(SealedTampered):
        read_all(sealed + extra)


def test_a_copy_of_its_last_chunk_appended_is_detected() -> None:
    sealed, _ = seal(THREE_CHUNKS)
    with pytest.raises(SealedTampered):
        read_all(sealed + sealed[HEADER_SIZE + 2 * STRIDE :])


def chunk(sealed: bytes, i: int) -> bytes:
    return sealed[HEADER_SIZE + i * STRIDE : HEADER_SIZE + (i + 1) * STRIDE]


def test_two_chunks_swapped_are_detected() -> None:
    data = plaintext(4 * CS, seed=2)
    sealed, _ = seal(data)
    swapped = (
        sealed[:HEADER_SIZE]
        + chunk(sealed, 1)
        + chunk(sealed, 0)
        + sealed[HEADER_SIZE + 2 * STRIDE :]
    )
    with pytest.raises(SealedTampered, match="chunk 0"):
        read_all(swapped)


def test_a_chunk_taken_from_another_file_is_detected() -> None:
    first, _ = seal(plaintext(3 * CS, seed=4))
    second, _ = seal(plaintext(3 * CS, seed=5))
    mixed = first[: HEADER_SIZE + STRIDE] + chunk(second, 1) + first[HEADER_SIZE + 2 * STRIDE :]
    with pytest.raises(SealedTampered, match="chunk 1"):
        read_all(mixed)
    # Nor can a whole file pass for another one under another header.
    with pytest.raises(SealedTampered):
        read_all(second[:HEADER_SIZE] + first[HEADER_SIZE:])


def test_a_writer_stopped_by_an_error_leaves_a_file_that_never_reads_as_complete(
    tmp_path: Path,
) -> None:
    path = tmp_path / "partial"
    with pytest.raises(RuntimeError), path.open("wb") as out, SealedWriter(out, KEY) as writer:
        writer.write(plaintext(2 * CS + 3))
        raise RuntimeError("connection dropped")
    with pytest.raises(SealedTampered), SealedReader.open(path, KEY) as opened:
        opened.read_range(0, 10)


def test_a_writer_closed_by_its_with_block_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "whole"
    with path.open("wb") as out, SealedWriter(out, KEY) as writer:
        writer.write(b"abc")
    with SealedReader.open(path, KEY) as opened:
        assert opened.read_range(0, 3) == b"abc"


def test_keys_and_chunk_sizes_out_of_bounds_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        SealedWriter(io.BytesIO(), b"short")
    with pytest.raises(ValueError, match="chunk size"):
        SealedWriter(io.BytesIO(), KEY, chunk_size=10)
