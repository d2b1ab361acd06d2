"""Where the media archive keeps its sealed files: a folder, or an S3-compatible bucket.

Every file the archive keeps (originals and renditions) is sealed (aigaq.media.crypto) on this
machine before it is handed here, and is known by its *object name* relative to the archive:
``originals/cc/dd/<name>.sealed`` or ``renditions/cc/dd/<name>.sealed``, where <name> is the
keyed hash of its SHA-256 (keys.disk_name). A store only keeps, lists, opens and removes those
sealed files; it never sees a clear byte nor a SHA-256.

* `FileStore` (``AIGAQ_MEDIA_STORAGE=filesystem``, the default): the folder MEDIA_ROOT, on this
  machine's disk or on a file system several machines share (NFS, CephFS).
* `S3Store` (``AIGAQ_MEDIA_STORAGE=s3``): a bucket of any S3-compatible object store (AWS S3,
  MinIO, Ceph RGW, Garage...) through boto3; ranged GETs read a sealed file chunk by chunk, so
  video playback with HTTP Range requests fetches only the chunks it plays.

docs/decisions/0032-media-on-s3.md; docs/deploy.md, "Media on shared storage".
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CHUNK = 1024 * 1024
#: Work files a folder store may hold beside the sealed files (never object names).
LOCK_PREFIX = ".encrypt-existing"


class ObjectStore(Protocol):
    kind: str

    def exists(self, name: str) -> bool: ...

    def open(self, name: str) -> BinaryIO:
        """The sealed file, seekable; FileNotFoundError when it is not there."""
        ...

    def put(self, tmp: Path, name: str) -> bool:
        """Keep the sealed file `tmp` under `name`; `tmp` is gone afterwards. False when the
        store had `name` already (kept as it was)."""
        ...

    def delete(self, name: str) -> bool: ...

    def entries(self, prefix: str) -> Iterator[tuple[str, float]]:
        """(object name, modification time) of everything under `prefix` ("originals")."""
        ...

    def describe(self) -> str: ...


def _safe_name(name: str) -> PurePosixPath:
    rel = PurePosixPath(name)
    if rel.is_absolute() or not rel.parts or ".." in rel.parts:
        raise ValueError(f"not an object name of the media archive: {name[:80]!r}")
    return rel


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileStore:
    """The archive as a folder (MEDIA_ROOT). Files are read-only (0440) once in place."""

    kind = "filesystem"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, name: str) -> Path:
        return self.root / _safe_name(name)

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def open(self, name: str) -> BinaryIO:
        return open(self.path(name), "rb")  # noqa: SIM115 - the caller closes it

    def put(self, tmp: Path, name: str) -> bool:
        final = self.path(name)
        if final.exists():
            tmp.unlink(missing_ok=True)
            return False
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o440)
            try:
                os.replace(tmp, final)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                self._copy_in(tmp, final)
                tmp.unlink()
            _fsync_dir(final.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        return True

    def _copy_in(self, src: Path, final: Path) -> None:
        """From another file system: copied beside its place, fsynced, then renamed in."""
        fd, name = tempfile.mkstemp(dir=final.parent, prefix=".sealing-")
        part = Path(name)
        try:
            with os.fdopen(fd, "wb") as out, src.open("rb") as fh:
                shutil.copyfileobj(fh, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(part, 0o440)
            os.replace(part, final)
        except BaseException:
            part.unlink(missing_ok=True)
            raise

    def delete(self, name: str) -> bool:
        path = self.path(name)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o640)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        # An empty cc/dd folder would still tell the first characters of a name that was here.
        top = self.root / _safe_name(name).parts[0]
        folder = path.parent
        while folder != top and top in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
        return True

    def entries(self, prefix: str) -> Iterator[tuple[str, float]]:
        top = self.path(prefix)
        if not top.is_dir():
            return
        for dirpath, _dirs, files in os.walk(top):
            for file in files:
                if file.startswith(LOCK_PREFIX):
                    continue
                path = Path(dirpath) / file
                try:
                    mtime = path.stat().st_mtime
                except FileNotFoundError:
                    continue
                yield path.relative_to(self.root).as_posix(), mtime

    def describe(self) -> str:
        return str(self.root)


class S3File(io.RawIOBase):
    """One object of a bucket as a read-only seekable file: each read is a ranged GET of the
    bytes asked for (a sealed chunk, the header), never the whole object."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        super().__init__()
        self._client, self._bucket, self._key = client, bucket, key
        try:
            head = client.head_object(Bucket=bucket, Key=key)
        except client.exceptions.ClientError as exc:
            if _not_found(exc):
                raise FileNotFoundError(errno.ENOENT, "no such object", key) from None
            raise
        self.size = int(head["ContentLength"])
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        end = self.size if size is None or size < 0 else min(self.size, self._pos + size)
        if self._pos >= end:
            return b""
        answer = self._client.get_object(
            Bucket=self._bucket, Key=self._key, Range=f"bytes={self._pos}-{end - 1}"
        )
        data: bytes = answer["Body"].read()
        self._pos += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)


def _not_found(exc: Any) -> bool:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


class S3Store:
    """The archive as objects of one bucket, each under AIGAQ_S3_PREFIX + its object name."""

    kind = "s3"

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def key(self, name: str) -> str:
        return self.prefix + _safe_name(name).as_posix()

    def exists(self, name: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(name))
        except self.client.exceptions.ClientError as exc:
            if _not_found(exc):
                return False
            raise
        return True

    def open(self, name: str) -> BinaryIO:
        return S3File(self.client, self.bucket, self.key(name))  # type: ignore[return-value]

    def put(self, tmp: Path, name: str) -> bool:
        try:
            if self.exists(name):
                return False
            # Multipart above boto3's threshold: a large video never has to fit in memory.
            self.client.upload_file(str(tmp), self.bucket, self.key(name))
            return True
        finally:
            tmp.unlink(missing_ok=True)

    def delete(self, name: str) -> bool:
        existed = self.exists(name)
        if existed:
            self.client.delete_object(Bucket=self.bucket, Key=self.key(name))
        return existed

    def entries(self, prefix: str) -> Iterator[tuple[str, float]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.key(prefix).rstrip("/") + "/"
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :], item["LastModified"].timestamp()

    def describe(self) -> str:
        endpoint = self.client.meta.endpoint_url
        return f"s3://{self.bucket}/{self.prefix} ({endpoint})"


@lru_cache(maxsize=4)
def _s3_store(
    bucket: str, endpoint: str, region: str, access_key: str, secret_key: str, prefix: str
) -> S3Store:
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=region or None,
        aws_access_key_id=access_key or None,
        aws_secret_access_key=secret_key or None,
        config=Config(
            retries={"max_attempts": 5, "mode": "standard"},
            # Path-style addresses work with every S3-compatible server (MinIO, Ceph, Garage).
            s3={"addressing_style": "path"},
        ),
    )
    return S3Store(client, bucket, prefix)


def object_store() -> ObjectStore:
    """The store the settings name (AIGAQ_MEDIA_STORAGE)."""
    kind = settings.AIGAQ_MEDIA_STORAGE
    if kind == "filesystem":
        return FileStore(Path(settings.MEDIA_ROOT))
    if kind == "s3":
        s3 = settings.AIGAQ_S3
        if not s3.get("bucket"):
            raise ImproperlyConfigured(
                "AIGAQ_MEDIA_STORAGE=s3 needs the bucket's name in AIGAQ_S3_BUCKET."
            )
        return _s3_store(
            s3["bucket"],
            s3.get("endpoint_url", ""),
            s3.get("region", ""),
            s3.get("access_key_id", ""),
            s3.get("secret_access_key", ""),
            s3.get("prefix", ""),
        )
    raise ImproperlyConfigured(
        f"AIGAQ_MEDIA_STORAGE is {kind!r}: it must be 'filesystem' (the default) or 's3'."
    )


def is_folder() -> bool:
    """Whether the archive is the folder MEDIA_ROOT (the sealed files are files on disk)."""
    return bool(settings.AIGAQ_MEDIA_STORAGE == "filesystem")
