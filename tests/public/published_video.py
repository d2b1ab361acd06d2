"""Helpers for the public site's video and subtitle tests: a published testimony with a
redacted publication copy (a real, small MP4), and reviewed transcripts and translations made
through the transcripts app's services (by the system, as an operator's command would)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from aigaq.core.models import Visibility
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import rendition_store
from aigaq.media.services import media_ingest
from aigaq.testimonies import services as testimony_services
from aigaq.transcripts.models import Transcript
from aigaq.transcripts.services import (
    SegmentInput,
    segments_replace,
    transcript_create,
    transcript_review,
    transcript_submit,
    translation_create,
    translation_fill,
)
from tests import factories
from tests.media.videos import video_bytes

TIMES = [(0, 1500), (1500, 3000)]


def video_of(testimony: Any, *, tag: bytes = b"") -> MediaFile:
    """An original video attached to the testimony (its bytes made unique by `tag`)."""
    media = media_ingest(
        actor=None,
        fileobj=io.BytesIO(video_bytes() + tag),
        original_name="interview.mp4",
        kind="video",
    )
    testimony_services.testimony_attach_media(
        actor=None, testimony=testimony, media=media, kind="video"
    )
    return media


def redacted_copy(media: MediaFile, tmp_path: Path) -> Rendition:
    """A redacted publication copy of `media` (a playable MP4)."""
    clear = tmp_path / f"redacted-{media.pk}.mp4"
    clear.write_bytes(video_bytes(seconds=3))
    r = rendition_store(
        media=media, kind=Rendition.Kind.REDACTED, source=clear, content_type="video/mp4"
    )
    clear.unlink()
    return r


def published_testimony(person: Any, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "visibility": Visibility.PUBLIC,
        "consent_public": True,
        "consent_anonymous": False,
        "status": "recorded",
        **fields,
    }
    return factories.testimony(person, **values)


def reviewed(transcript: Transcript) -> Transcript:
    transcript_submit(actor=None, transcript=transcript)
    return transcript_review(actor=None, transcript=transcript)


def original(testimony: Any, language: str, texts: list[str], *, review: bool = True) -> Any:
    """The testimony's transcript in `language`: one segment per text, reviewed."""
    t = transcript_create(actor=None, testimony=testimony, language=language)
    segments_replace(
        actor=None,
        transcript=t,
        segments=[SegmentInput(a, b, text) for (a, b), text in zip(TIMES, texts, strict=True)],
    )
    return reviewed(t) if review else t


def translation(source: Any, language: str, texts: list[str], *, review: bool = True) -> Any:
    t = translation_create(actor=None, transcript=source, language=language)
    translation_fill(
        actor=None,
        translation=t,
        texts=[SegmentInput(a, b, text) for (a, b), text in zip(TIMES, texts, strict=True)],
    )
    return reviewed(t) if review else t
