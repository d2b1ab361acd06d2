"""Uploads: refused when oversized while they stream in, before they fill the disk; kept
sealed on disk (never in clear) when too large to hold in memory."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from aigaq.media.crypto import SealedReader, SealedWriter
from aigaq.media.keys import media_keys


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it passes AIGAQ_MAX_UPLOAD_BYTES (or as soon as the request
    says it is larger). The view then shows a clear error (request.upload_too_large)."""

    request: Any

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.limit = int(settings.AIGAQ_MAX_UPLOAD_BYTES)
        self.seen = 0
        if content_length and content_length > self.limit + 1024 * 1024:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)

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
