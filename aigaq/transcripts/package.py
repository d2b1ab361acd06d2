"""A publication package of one testimony: what a volunteer uploads to YouTube, Odysee or a
mirror. The redacted copy of each video (media.redaction.publication_copy, never the
original: where none exists the manifest says the video is missing), the subtitles of every
reviewed language as SRT and WebVTT, the title and description in each of those languages,
and a manifest with the SHA-256 of every file (also as SHA256SUMS, for `sha256sum -c`).
A testimony whose testifier asked anonymity goes without its subtitles and titles, as on the
public site (disclosure.policy.testimony_words_publishable; the manifest says why).

Only for a testimony that disclosure allows to be published. The package is built in a
temporary folder beside the output and moved into place at the end: a failure leaves no
half-written package.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.permissions import check
from aigaq.disclosure.policy import (
    Use,
    media_restricted,
    testimony_usable_for,
    testimony_visible_to,
    testimony_words_publishable,
)
from aigaq.media.models import MediaFile
from aigaq.media.redaction import publication_copy
from aigaq.media.renditions import rendition_open
from aigaq.testimonies.models import Testimony, TestimonyMedia
from aigaq.transcripts import languages
from aigaq.transcripts.models import Status, Transcript
from aigaq.transcripts.subtitles import FORMATS, render

_EXTENSIONS = {"video/mp4": "mp4", "video/webm": "webm", "audio/mp4": "m4a", "audio/mpeg": "mp3"}


class PackageRefused(ValidationError):
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _published_media(testimony: Testimony) -> list[MediaFile]:
    uses = (
        TestimonyMedia.objects.filter(testimony=testimony, restricted=False)
        .exclude(kind__in=MediaFile.RESTRICTED_KINDS)
        .filter(Q(media__kind="video") | Q(media__kind="audio"))
        .select_related("media")
        .order_by("created_at")
    )
    return [u.media for u in uses if not media_restricted(u.media)]


def package_build(*, testimony: Testimony, folder: Path) -> dict[str, Any]:
    """Write the package's files into the empty `folder`; returns the manifest."""
    label = f"T{testimony.number}"
    video: dict[str, Any] = {"status": "missing", "files": [], "missing": 0}
    for n, media in enumerate(_published_media(testimony), start=1):
        copy = publication_copy(media)
        if copy is None:
            video["missing"] += 1
            continue
        ext = _EXTENSIONS.get(copy.content_type, "bin")
        rel = f"video/{label}-{n}.{ext}"
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with rendition_open(copy) as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        if _sha256(target) != copy.sha256:
            raise PackageRefused(
                _(
                    "The redacted copy of %(t)s does not match its recorded SHA-256; run "
                    "`aigaq media verify`. No package was written."
                )
                % {"t": label},
                code="fixity",
            )
        video["files"].append(rel)
    if video["files"]:
        video["status"] = "partial" if video["missing"] else "present"
    # The testifier asked anonymity: their words stay out, as on the public site.
    withheld = not testimony_words_publishable(testimony)
    reviewed = (
        []
        if withheld
        else list(
            Transcript.objects.filter(testimony=testimony, status=Status.REVIEWED).order_by(
                "kind", "language"
            )
        )
    )
    titles: dict[str, dict[str, Any]] = {}
    subtitle_files: list[str] = []
    for t in reviewed:
        for fmt in FORMATS:
            rel = f"subtitles/{label}.{t.language}.{fmt}"
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(t, fmt), encoding="utf-8")
            subtitle_files.append(rel)
        titles[t.language] = {
            "language": languages.name_of(t.language),
            "right_to_left": languages.is_rtl(t.language),
            "kind": t.kind,
            "title": t.title or label,
            "description": t.description,
            "reviewed_at": t.reviewed_at.isoformat() if t.reviewed_at else None,
        }
    (folder / "titles.json").write_text(
        json.dumps(titles, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest: dict[str, Any] = {
        "testimony": label,
        "made_at": timezone.now().isoformat(),
        "video": video,
        "languages": [t.language for t in reviewed],
        "subtitles_withheld": "anonymity" if withheld else None,
        "files": [
            {
                "path": p.relative_to(folder).as_posix(),
                "size": p.stat().st_size,
                "sha256": _sha256(p),
            }
            for p in files
        ],
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    sums = [
        (_sha256(p), p.relative_to(folder).as_posix()) for p in [*files, folder / "manifest.json"]
    ]
    (folder / "SHA256SUMS").write_text(
        "".join(f"{sha}  {rel}\n" for sha, rel in sums), encoding="utf-8"
    )
    return manifest


def package_check(*, actor: Any, testimony: Testimony) -> None:
    """Whether `actor` may make the publication package of `testimony` at all: PermissionDenied
    or PackageRefused (the testimony may not be published) when not."""
    if actor is not None:
        check(actor, "export.run")
        if not testimony_visible_to(actor, testimony):
            raise PermissionDenied("testimony.view")
    if not testimony_usable_for(testimony, Use.PUBLIC):
        raise PackageRefused(
            _(
                "T%(n)s may not be published: it is not public, or its consent to publication "
                "is missing or withdrawn. No package was written."
            )
            % {"n": testimony.number},
            code="not_public",
        )


def package_write(*, actor: Any, testimony: Testimony, output: Path) -> dict[str, Any]:
    """The publication package of `testimony` as the folder `output`, or as a zip when it
    ends in .zip. Refused, with nothing written, when the testimony may not be published or
    the output exists already."""
    package_check(actor=actor, testimony=testimony)
    output = output.expanduser()
    if output.exists():
        raise PackageRefused(
            _("%(p)s exists already; name a new folder or zip file.") % {"p": output},
            code="exists",
        )
    if not output.parent.is_dir():
        raise PackageRefused(_("There is no folder %(p)s.") % {"p": output.parent}, code="parent")
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".package-") as tmp:
        folder = Path(tmp) / "package"
        folder.mkdir()
        manifest = package_build(testimony=testimony, folder=folder)
        if output.suffix.lower() == ".zip":
            partial = Path(tmp) / "package.zip"
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as zf:
                for p in sorted(folder.rglob("*")):
                    if p.is_file():
                        zf.write(p, f"T{testimony.number}/{p.relative_to(folder).as_posix()}")
            os.replace(partial, output)
        else:
            os.replace(folder, output)
    audit.record_export(
        actor=actor,
        model=Testimony,
        label=f"T{testimony.number} publication package",
        changes={
            "testimony": testimony.number,
            "languages": manifest["languages"],
            "video": manifest["video"]["status"],
            "files": len(manifest["files"]),
        },
    )
    return manifest
