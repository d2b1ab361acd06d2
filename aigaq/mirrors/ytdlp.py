"""Read a channel's metadata as yt-dlp writes it, offline, from files.

`yt-dlp --dump-json URL > channel.jsonl` writes one JSON object per line, one per video;
`yt-dlp --write-info-json --skip-download URL` writes a `*.info.json` file per video (and one
for the playlist or channel, with `_type: "playlist"` and, with `-J`, its `entries`). Each
video's object carries, among much else: `id` (the platform's id), `title`, `description`,
`upload_date` (YYYYMMDD), `duration` (seconds), `webpage_url`, `channel` (or `uploader`) and
`extractor_key` (`Youtube`, `Odysee`/`LBRY`, `Telegram`, ...)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aigaq.core.validators import is_web_url


class ChannelFileError(ValueError):
    """A file that is not yt-dlp's metadata; the message names the file and the line."""


@dataclass(frozen=True)
class PublishedVideo:
    platform: str
    external_id: str
    url: str
    title: str
    description: str = ""
    published_on: dt.date | None = None
    duration: float | None = None
    channel: str = ""
    source: str = field(default="", compare=False)  # file (and line) it was read from


_PLATFORMS = {
    "youtube": "youtube",
    "youtubetab": "youtube",
    "odysee": "odysee",
    "lbry": "odysee",
    "telegram": "telegram",
    "telegramembed": "telegram",
}
_HOSTS = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "odysee.com": "odysee",
    "t.me": "telegram",
    "telegram.me": "telegram",
}


def platform_for(url: str, extractor_key: str = "") -> str:
    """youtube, odysee, telegram or other: from yt-dlp's extractor, else from the address."""
    key = (extractor_key or "").lower()
    if key in _PLATFORMS:
        return _PLATFORMS[key]
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    for suffix, platform in _HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return platform
    return "other"


def _date(value: Any) -> dt.date | None:
    text = str(value or "")
    if len(text) == 8 and text.isdigit():
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
    return None


def _duration(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value > 0 else None


def video_from(data: Any, source: str) -> PublishedVideo | None:
    """One video from one yt-dlp object; None for what is not a video (a channel's own
    object, a playlist without entries). Raises ChannelFileError for a video without address."""
    if not isinstance(data, dict):
        raise ChannelFileError(f"{source}: not a JSON object")
    if data.get("_type") in ("playlist", "multi_video", "url"):
        return None
    url = str(data.get("webpage_url") or data.get("original_url") or data.get("url") or "")
    video_id = str(data.get("id") or "")
    if not video_id and not url:
        raise ChannelFileError(f"{source}: no id and no address: not yt-dlp's metadata")
    if not is_web_url(url):
        raise ChannelFileError(f"{source}: “{url[:100]}” is not a web address")
    return PublishedVideo(
        platform=platform_for(url, str(data.get("extractor_key") or "")),
        external_id=video_id[:200],
        url=url[:1000],
        title=str(data.get("title") or data.get("fulltitle") or "")[:500],
        description=str(data.get("description") or ""),
        published_on=_date(data.get("upload_date") or data.get("release_date")),
        duration=_duration(data.get("duration")),
        channel=str(data.get("channel") or data.get("uploader") or "")[:300],
        source=source,
    )


def _from_object(data: Any, source: str) -> Iterator[PublishedVideo]:
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        for i, entry in enumerate(data["entries"], 1):
            if entry is not None:
                yield from _from_object(entry, f"{source} entry {i}")
        return
    video = video_from(data, source)
    if video is not None:
        yield video


def read_file(path: Path) -> Iterator[PublishedVideo]:
    """Videos in one file: JSON lines (--dump-json) or one JSON document (*.info.json, -J)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ChannelFileError(f"{path}: not a text file (UTF-8 JSON expected)") from None
    stripped = text.strip()
    if not stripped:
        return
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        whole = None
    else:
        yield from _from_object(whole, str(path))
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ChannelFileError(f"{path} line {number}: not JSON ({exc.msg})") from None
        yield from _from_object(data, f"{path} line {number}")


def files_in(paths: list[Path]) -> list[Path]:
    """The files named, and in each folder named its *.info.json, *.json and *.jsonl files."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.name.endswith((".json", ".jsonl"))
                )
            )
        elif path.is_file():
            out.append(path)
        else:
            raise ChannelFileError(f"{path}: no such file or folder")
    return out


def read_all(paths: list[Path]) -> list[PublishedVideo]:
    """Every video in the files and folders given, each (platform, id) once."""
    seen: set[tuple[str, str]] = set()
    videos: list[PublishedVideo] = []
    for path in files_in(paths):
        for video in read_file(path):
            key = (video.platform, video.external_id or video.url)
            if key not in seen:
                seen.add(key)
                videos.append(video)
    return videos
