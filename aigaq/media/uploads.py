"""Refuse oversized uploads while they stream in, before they fill the disk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


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
