"""Uploads: refused when oversized while they stream in, before they fill the disk; kept
sealed on disk (never in clear) when too large to hold in memory."""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from aigaq.media.crypto import SealedReader, SealedWriter
from aigaq.media.keys import media_keys

V = TypeVar("V", bound=Callable[..., Any])


def upload_limit(limit: Callable[[], int]) -> Callable[[V], V]:
    """The largest upload `view` takes, in bytes (`limit()`, read for each request), when it
    is smaller than AIGAQ_MAX_UPLOAD_BYTES: a photo, a spreadsheet. SizeLimitUploadHandler
    reads it from the view the address resolved to, before a byte of the body is kept."""

    def mark(view: V) -> V:
        view.upload_limit = limit  # type: ignore[attr-defined]
        return view

    return mark


def limit_for(request: Any) -> int:
    """The upload limit of the view `request` goes to (upload_limit), else the installation's."""
    match = getattr(request, "resolver_match", None)
    limit = getattr(getattr(match, "func", None), "upload_limit", None)
    return int(limit()) if limit is not None else int(settings.AIGAQ_MAX_UPLOAD_BYTES)


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it passes its view's limit (`limit_for`: AIGAQ_MAX_UPLOAD_BYTES
    unless the view says less), or as soon as the request says it is larger. The view then
    shows a clear error (request.upload_too_large)."""

    request: Any

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> tuple[QueryDict, MultiValueDict[str, Any]] | None:
        self.limit = limit_for(self.request)
        self.seen = 0
        if content_length and content_length > self.limit + 1024 * 1024:
            # Refused before a byte is read. (Raising StopUpload here would not be caught by
            # Django's parser: a 500.) Nothing parsed: no field, no file.
            self.request.upload_too_large = True
            return QueryDict(mutable=True), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.seen = start + len(raw_data)
        if self.seen > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class SealedUploadedFile(UploadedFile):
    """An upload kept on disk sealed (encrypted with the media key) in an unnamed temporary
    file, read back decrypted: no clear byte of an upload ever reaches the disk."""

    def __init__(
        self,
        reader: SealedReader,
        name: str,
        content_type: str | None,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            io.BufferedReader(reader, buffer_size=1024 * 1024),  # type: ignore[arg-type]
            name,
            content_type,
            size,
            charset,
            content_type_extra,
        )
        self.reader = reader

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.file is not None:
                self.file.close()
            self.reader.close()


class SealedFileUploadHandler(FileUploadHandler):
    """Instead of Django's TemporaryFileUploadHandler (which writes an upload in clear to
    FILE_UPLOAD_TEMP_DIR): seals each chunk as it arrives into an unnamed temporary file under
    the data folder's tmp (removed by the system as soon as it is closed, even after a crash)."""

    _fh: Any = None
    _writer: SealedWriter | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._fh = self._writer = None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self._writer is None:  # the first chunk the memory handler passed on
            folder = Path(settings.DATA_DIR) / "tmp"
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._fh = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - closed with the upload
            self._writer = SealedWriter(self._fh, media_keys().encryption)
        self._writer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> SealedUploadedFile | None:
        if self._writer is None:
            return None
        self._writer.close()
        self._fh.flush()
        reader = SealedReader(self._fh, media_keys().encryption, name=self.file_name or "")
        reader._owns = True
        return SealedUploadedFile(
            reader,
            self.file_name or "",
            self.content_type,
            reader.size,
            self.charset,
            self.content_type_extra,
        )

    def upload_interrupted(self) -> None:
        if self._writer is not None:
            self._writer.abort()
        if self._fh is not None:
            self._fh.close()
