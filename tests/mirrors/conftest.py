from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def video(
    video_id: str,
    title: str,
    *,
    description: str = "",
    upload_date: str = "20190320",
    duration: float | None = 600,
    extractor_key: str = "Youtube",
    url: str | None = None,
) -> dict[str, Any]:
    """One video's object as `yt-dlp --dump-json` writes it (the fields Aigaq reads, and a few
    it ignores)."""
    return {
        "id": video_id,
        "title": title,
        "fulltitle": title,
        "description": description,
        "upload_date": upload_date,
        "duration": duration,
        "webpage_url": url or f"https://www.youtube.com/watch?v={video_id}",
        "channel": "Atajurt (synthetic)",
        "uploader": "Atajurt (synthetic)",
        "extractor_key": extractor_key,
        "extractor": extractor_key.lower(),
        "view_count": 12,
        "formats": [],
    }


def write_lines(path: Path, *videos: dict[str, Any]) -> Path:
    path.write_text("\n".join(json.dumps(v, ensure_ascii=False) for v in videos) + "\n")
    return path


@pytest.fixture
def logged_in(client: Any) -> Any:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in
