"""Redacted, audio-only and anonymised copies: rendered by ffmpeg from the decrypted original,
stored as renditions; the original never changes and no clear copy is left behind; a bad plan
is refused with a sentence and changes nothing."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import AuditEntry
from aigaq.media import redaction, storage
from aigaq.media.models import MediaFile, RedactionPlan, Rendition
from aigaq.media.renditions import rendition_open
from tests.media.conftest import frame_rgb, pixel

pytestmark = pytest.mark.django_db

BOX = {"x": 0.25, "y": 0.25, "w": 0.5, "h": 0.5}


def _clear(rendition: Rendition, tmp_path: Path, name: str = "copy.mp4") -> Path:
    out = tmp_path / name
    with rendition_open(rendition) as reader:
        out.write_bytes(b"".join(reader.iter_range(0, None)))
    return out


def _box_pixels(frame: Any) -> list[tuple[int, int, int]]:
    # the middle of the box, away from its edges
    return [pixel(frame, x, y) for x in range(50, 110, 7) for y in range(40, 80, 7)]


def _streams(path: Path) -> list[dict[str, Any]]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    return list(json.loads(out)["streams"])


def test_a_black_box_hides_its_region_only_between_its_start_and_end(
    video: MediaFile, tmp_path: Path
) -> None:
    region = {**BOX, "start": 0.2, "end": 0.6, "effect": "black"}
    rendition = redaction.render_redacted(media=video, regions=[region])
    assert rendition.kind == Rendition.Kind.REDACTED
    assert rendition.params == {"regions": [region]}
    copy = _clear(rendition, tmp_path)
    assert {s["codec_name"] for s in _streams(copy)} == {"h264", "aac"}
    inside = frame_rgb(copy, 0.4)
    assert all(max(p) < 30 for p in _box_pixels(inside)), "the box is black at 0.4 s"
    # outside the box at 0.4 s, and inside it before and after its time: the picture
    original = tmp_path / "original.mp4"
    with storage.open_original(video.sha256) as reader:
        original.write_bytes(b"".join(reader.iter_range(0, None)))
    for at in (0.04, 0.8):
        shown, source = frame_rgb(copy, at), frame_rgb(original, at)
        diffs = [
            abs(a - b)
            for p, q in zip(_box_pixels(shown), _box_pixels(source), strict=True)
            for a, b in zip(p, q, strict=True)
        ]
        assert sum(diffs) / len(diffs) < 12, f"the picture is untouched at {at} s"
        assert any(max(p) > 60 for p in _box_pixels(shown))
    around = frame_rgb(original, 0.4)
    for x, y in [(5, 5), (150, 10), (10, 110), (150, 110)]:
        assert all(
            abs(a - b) < 40 for a, b in zip(pixel(inside, x, y), pixel(around, x, y), strict=True)
        )
    # the original is unchanged, and no clear file is left in the work folder
    with storage.open_original(video.sha256) as reader:
        assert hashlib.sha256(b"".join(reader.iter_range(0, None))).hexdigest() == video.sha256
    assert list(redaction.work_root().iterdir()) == []


def test_a_blur_flattens_its_region_during_its_time(video: MediaFile, tmp_path: Path) -> None:
    region = {**BOX, "start": 0.2, "end": 0.6, "effect": "blur"}
    copy = _clear(redaction.render_redacted(media=video, regions=[region]), tmp_path)

    def spread(frame: Any) -> float:
        values = [sum(p) / 3 for p in _box_pixels(frame)]
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / len(values)

    assert spread(frame_rgb(copy, 0.4)) < spread(frame_rgb(copy, 0.8)) / 3


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ({"x": -0.1}, "not inside the picture"),
        ({"x": 0.8, "w": 0.5}, "reaches outside the picture"),
        ({"w": 0}, "not inside the picture"),
        ({"start": 0.6, "end": 0.2}, "ends before it starts"),
        ({"end": 30}, "ends after the end of the video"),
        ({"start": 5, "end": 6}, "starts after the end of the video"),
        ({"effect": "pixelate"}, "choose blur or black"),
        ({"x": "left"}, "in numbers"),
        ({"x": float("nan")}, "in numbers"),
    ],
)
def test_a_bad_region_is_refused_with_a_sentence_and_nothing_is_saved(
    video: MediaFile, coordinator: Any, region: dict[str, Any], message: str
) -> None:
    bad = {**BOX, "start": 0.2, "end": 0.6, "effect": "black", **region}
    with pytest.raises(redaction.RedactionError, match=message):
        redaction.redaction_plan_save(actor=coordinator, media=video, regions=[bad], duration=1.0)
    assert not RedactionPlan.objects.exists()
    assert not AuditEntry.objects.filter(object_type__icontains="redaction").exists()


def test_a_region_beyond_the_video_is_refused_at_rendering_and_nothing_is_stored(
    video: MediaFile,
) -> None:
    with pytest.raises(redaction.RedactionError, match="ends after the end of the video"):
        redaction.render_redacted(
            media=video, regions=[{**BOX, "start": 0.2, "end": 9, "effect": "black"}]
        )
    assert not Rendition.objects.exists()
    assert list(redaction.work_root().iterdir()) == []


def test_the_plan_is_saved_and_audited(video: MediaFile, coordinator: Any) -> None:
    region = {**BOX, "start": 0.2, "end": 0.6, "effect": "blur"}
    plan = redaction.redaction_plan_save(
        actor=coordinator, media=video, regions=[region], duration=1.0
    )
    assert plan.regions == [region] and plan.status == RedactionPlan.Status.DRAFT
    assert AuditEntry.objects.filter(object_id=str(plan.pk)).count() == 1


def test_a_role_without_media_redact_may_not_save_a_plan(video: MediaFile, translator: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        redaction.redaction_plan_save(actor=translator, media=video, regions=[])


def test_publication_uses_the_redacted_copy_never_the_original(video: MediaFile) -> None:
    assert redaction.publication_copy(video) is None
    rendition = redaction.render_redacted(
        media=video, regions=[{**BOX, "start": 0, "end": 1, "effect": "black"}]
    )
    assert redaction.publication_copy(video) == rendition


def test_the_audio_only_copy_has_sound_and_no_picture(video: MediaFile, tmp_path: Path) -> None:
    rendition = redaction.render_audio_only(media=video)
    streams = _streams(_clear(rendition, tmp_path, "a.m4a"))
    assert [s["codec_type"] for s in streams] == ["audio"]
    assert rendition.kind == Rendition.Kind.AUDIO_ONLY and rendition.content_type == "audio/mp4"


def test_the_anonymised_copy_blurs_the_faces_found_and_changes_the_voice(
    video: MediaFile, tmp_path: Path
) -> None:
    def one_face(path: Path, duration: float) -> list[dict[str, Any]]:
        return [{**BOX, "start": 0, "end": duration, "source": "face", "label": ""}]

    rendition = redaction.render_anonymised(media=video, detect=one_face)
    assert rendition.kind == Rendition.Kind.ANONYMISED
    assert rendition.params["faces"] == 1 and rendition.params["pitch"] == redaction.PITCH_FACTOR
    copy = _clear(rendition, tmp_path)
    assert {s["codec_type"] for s in _streams(copy)} == {"video", "audio"}
    assert redaction.publication_copy(video) == rendition


def test_the_voice_filter_lowers_the_pitch_and_keeps_the_tempo() -> None:
    assert (
        redaction.voice_filter(48000, 0.8) == "asetrate=48000*0.8,aresample=48000,atempo=1.250000"
    )


def test_the_filter_graph_enables_each_region_only_in_its_time() -> None:
    regions = redaction.regions_clean(
        [
            {**BOX, "start": 35, "end": 52, "effect": "blur"},
            {**BOX, "start": 1, "end": 2, "effect": "black"},
        ],
        duration=60,
    )
    graph, label = redaction.filter_graph(regions, 1280, 720)
    assert "between(t\\,35.000\\,52.000)" in graph and "boxblur" in graph
    assert "drawbox=x=320:y=180:w=640:h=360:color=black:t=fill" in graph
    assert label == "v1"
