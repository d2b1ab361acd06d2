"""aigaq media add | import-folder | list | verify | export | encrypt-existing: the media archive.

The command lives in the testimonies app because it attaches files to testimonies (layering:
media may not name testimonies; testimonies may use media). Everything it stores goes through
aigaq.media.services (checked by content, sealed, audited); see docs/media.md.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from aigaq.core.keys import DatabaseKeyError
from aigaq.media import storage
from aigaq.media.crypto import SealedError
from aigaq.media.encrypt_existing import EncryptExistingError, encrypt_existing
from aigaq.media.fixity import ORPHAN_MIN_AGE_S, fixity_check, remove_orphans
from aigaq.media.models import MediaFile
from aigaq.media.services import (
    MediaRefused,
    guess_kind,
    media_add,
    media_export_to,
    media_unattached,
)
from aigaq.media.tasks import media_renditions_start
from aigaq.testimonies.models import Testimony, TestimonyMedia
from aigaq.testimonies.selectors import parse_testimony_number
from aigaq.testimonies.services import testimony_attach_media

KINDS = [k for k in MediaFile.Kind.values if k != MediaFile.Kind.OTHER]


class Command(BaseCommand):
    help = (
        "Add, verify and export the encrypted originals of the media archive. `add` and "
        "`import-folder` (a camera card) check each file by its content, encrypt it and store "
        "it once, attached to a testimony or kept unattached; `list`; `verify` re-hashes every "
        "original and finds missing, altered and orphaned files; `export` writes a decrypted "
        "original (audited); `encrypt-existing` seals what an older Aigaq stored in clear. "
        "See docs/media.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add files to the archive (optionally to a testimony)")
        add.add_argument("files", nargs="+", metavar="FILE")
        add.add_argument("--testimony", metavar="NUMBER", help="attach to testimony T<NUMBER>")
        add.add_argument("--kind", choices=[*KINDS, "other"], help="default: from the name")
        add.add_argument("--json", action="store_true", help="one JSON list on stdout")
        add.add_argument("--user", metavar="NAME", help="the user the audit names")
        folder = sub.add_parser(
            "import-folder", help="add every media file under a folder (a camera card)"
        )
        folder.add_argument("folder", metavar="DIR")
        folder.add_argument("--testimony", metavar="NUMBER")
        folder.add_argument("--kind", choices=[*KINDS, "other"], help="default: from each name")
        folder.add_argument("--json", action="store_true")
        folder.add_argument("--user", metavar="NAME")
        listing = sub.add_parser("list", help="list the originals in the archive")
        listing.add_argument(
            "--unattached", action="store_true", help="only those no record uses yet"
        )
        listing.add_argument("--json", action="store_true")
        verify = sub.add_parser(
            "verify", help="re-hash every original after decryption; exit 1 if anything is wrong"
        )
        verify.add_argument("--json", action="store_true")
        verify.add_argument(
            "--clean-orphans", action="store_true", help="remove files no record names"
        )
        verify.add_argument("--yes", action="store_true", help="do not ask before removing")
        verify.add_argument(
            "--min-age",
            type=float,
            default=ORPHAN_MIN_AGE_S / 60,
            metavar="MINUTES",
            help="with --clean-orphans, leave files younger than this: an upload or import "
            "running now may be about to record them (default %(default)g)",
        )
        export = sub.add_parser("export", help="write a decrypted original (audited)")
        export.add_argument("sha256", metavar="SHA256")
        export.add_argument("-o", "--output", required=True, metavar="FILE")
        export.add_argument(
            "--user", metavar="NAME", help="who exports (needs the export permission)"
        )
        sub.add_parser(
            "encrypt-existing", help="encrypt the originals still stored in clear (resumable)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        try:
            if action == "add":
                files = [Path(f) for f in opts["files"]]
                self._add(files, opts, skip_unknown=False)
            elif action == "import-folder":
                self._import_folder(opts)
            elif action == "list":
                self._list(opts)
            elif action == "verify":
                self._verify(opts)
            elif action == "export":
                self._export(opts)
            else:
                self._encrypt_existing(opts)
        except DatabaseKeyError as exc:
            raise CommandError(str(exc)) from None

    # -- helpers ----------------------------------------------------------------------------

    def _user(self, name: str | None, *, required: bool = False) -> Any:
        if not name:
            if required:
                raise CommandError(
                    _("Give --user NAME: an export is recorded under the name of who made it.")
                )
            return None
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user named “%(name)s”.") % {"name": name})
        return user

    def _testimony(self, text: str | None) -> Testimony | None:
        if not text:
            return None
        number = parse_testimony_number(text)
        testimony = Testimony.objects.filter(number=number).first() if number else None
        if testimony is None:
            raise CommandError(_("No testimony numbered “%(n)s”.") % {"n": text})
        return testimony

    # -- add, import-folder -----------------------------------------------------------------

    def _add(self, files: list[Path], opts: dict[str, Any], *, skip_unknown: bool) -> None:
        actor = self._user(opts.get("user"))
        testimony = self._testimony(opts.get("testimony"))
        results: list[dict[str, Any]] = []
        failed = 0
        for path in files:
            row: dict[str, Any] = {"file": str(path)}
            kind = opts.get("kind") or guess_kind(path.name)
            if skip_unknown and not opts.get("kind") and kind == MediaFile.Kind.OTHER:
                row["skipped"] = _("not a video, audio, image or PDF file")
                results.append(row)
                continue
            try:
                row.update(self._add_one(path, kind, actor, testimony))
            except (MediaRefused, ValidationError, PermissionDenied, OSError) as exc:
                failed += 1
                row["error"] = _message(exc)
            results.append(row)
            if not opts.get("json"):
                self._say(row)
        if opts.get("json"):
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        if failed:
            raise CommandError(
                _("%(n)s of %(total)s files were not added (see above); nothing of them was kept.")
                % {"n": failed, "total": len(files)}
            )

    def _add_one(
        self, path: Path, kind: str, actor: Any, testimony: Testimony | None
    ) -> dict[str, Any]:
        if not path.is_file():
            raise MediaRefused(_("No such file: %(p)s") % {"p": path})
        with transaction.atomic(), path.open("rb") as fh:
            ingested = media_add(actor=actor, fileobj=fh, original_name=path.name, kind=kind)
            media = ingested.media
            linked = False
            if (
                testimony is not None
                and not TestimonyMedia.objects.filter(testimony=testimony, media=media).exists()
            ):
                testimony_attach_media(actor=actor, testimony=testimony, media=media, kind=kind)
                linked = True
            else:
                # Unattached (or attached already): its playback copy is made all the same, in
                # the background, once this commits (nothing for other kinds, nor twice).
                media_renditions_start(media, actor=actor, kind=kind)
        return {
            "sha256": media.sha256,
            "size": media.size,
            "new": ingested.new,
            "kind": kind,
            "testimony": testimony.number if testimony else None,
            "linked": linked,
            "duration": media.duration,
        }

    def _say(self, row: dict[str, Any]) -> None:
        if "error" in row:
            self.stderr.write(_("%(file)s: refused: %(error)s") % row)
        elif "skipped" in row:
            self.stdout.write(_("%(file)s: skipped (%(skipped)s)") % row)
        else:
            state = _("added") if row["new"] else _("already in the archive")
            self.stdout.write(f"{row['file']}: {state} {row['sha256'][:12]} ({row['size']} B)")

    def _import_folder(self, opts: dict[str, Any]) -> None:
        root = Path(opts["folder"])
        if not root.is_dir():
            raise CommandError(_("No such folder: %(p)s") % {"p": root})
        files = []
        for dirpath, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = Path(dirpath) / name
                if name.startswith(".") or path.is_symlink() or not path.is_file():
                    continue
                files.append(path)
        self._add(files, opts, skip_unknown=True)

    # -- list -------------------------------------------------------------------------------

    def _list(self, opts: dict[str, Any]) -> None:
        qs = media_unattached() if opts["unattached"] else MediaFile.objects.all()
        rows: list[dict[str, Any]] = [
            {
                "sha256": m.sha256,
                "size": m.size,
                "kind": m.kind,
                "name": m.original_name,
                "duration": m.duration,
                "created_at": m.created_at.isoformat(),
            }
            for m in qs.order_by("created_at")
        ]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            self.stdout.write(
                f"{r['sha256'][:16]}  {r['size']:>12}  {r['kind']:<9} {r['created_at'][:10]}  "
                f"{r['name']}"
            )
        self.stdout.write(_("%(n)s files.") % {"n": len(rows)})

    # -- verify -----------------------------------------------------------------------------

    def _verify(self, opts: dict[str, Any]) -> None:
        if opts["min_age"] < 0:
            raise CommandError(_("--min-age must be 0 minutes or more."))
        total = sum(MediaFile.objects.values_list("size", flat=True))
        with tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            desc=_("Verifying"),
            file=sys.stderr,
            disable=None if opts["verbosity"] else True,
        ) as bar:
            try:
                report = fixity_check(progress=bar.update)
            except SealedError as exc:  # the wrong key: nothing is checked, nothing removed
                raise CommandError(str(exc), returncode=1) from None
        removed = 0
        if opts["clean_orphans"] and report.orphans:
            for rel in report.orphans:
                self.stderr.write(_("Orphaned: %(p)s") % {"p": rel})
            if opts["yes"] or _confirm(
                _("Remove these %(n)s files, which no record names? [y/N] ")
                % {"n": len(report.orphans)}
            ):
                removed = remove_orphans(report, min_age_s=opts["min_age"] * 60)
                report.orphans = list(report.young)
                if report.young:
                    self.stderr.write(
                        _(
                            "Left %(n)s files younger than %(m)g minutes: an upload or import "
                            "may be recording them now. Run this again later."
                        )
                        % {"n": len(report.young), "m": opts["min_age"]}
                    )
            else:
                self.stderr.write(_("Nothing removed (add --yes to remove without a question)."))
        if opts["json"]:
            data = report.as_dict()
            data["orphans_removed"] = removed
            self.stdout.write(json.dumps(data, indent=2))
        else:
            self._verify_text(report, removed)
        if report.problems:
            sys.stdout.flush()
            raise CommandError(_("The archive has problems (listed above)."), returncode=1)

    def _verify_text(self, report: Any, removed: int) -> None:
        self.stdout.write(
            _(
                "Checked %(n)s originals and %(r)s renditions (%(gb).2f GB) in %(s).1f s: "
                "%(ok)s originals intact."
            )
            % {
                "n": report.checked,
                "r": report.renditions_checked,
                "gb": report.bytes / 1e9,
                "s": report.seconds,
                "ok": report.ok,
            }
        )
        for label, items in (
            (_("Missing"), report.missing),
            (_("Altered (no longer the bytes that were stored)"), report.altered),
            (_("Sealed with another media key"), report.wrong_key),
            (_("Orphaned (no record names it)"), report.orphans),
            (_("Still unencrypted (run `aigaq media encrypt-existing`)"), report.clear),
        ):
            for item in items:
                self.stdout.write(f"{label}: {item}")
        if report.wrong_key:
            self.stdout.write(
                _(
                    "The media key in use does not open some files: check which database key "
                    "this Aigaq uses (the media key is derived from it)."
                )
            )
        if removed:
            self.stdout.write(_("Removed %(n)s orphaned files.") % {"n": removed})

    # -- export -----------------------------------------------------------------------------

    def _export(self, opts: dict[str, Any]) -> None:
        actor = self._user(opts["user"], required=True)
        sha = str(opts["sha256"]).strip().lower()
        media = MediaFile.objects.filter(sha256=sha).first() if storage.is_sha256(sha) else None
        if media is None:
            raise CommandError(_("No original with the SHA-256 %(sha)s.") % {"sha": sha[:64]})
        out = Path(opts["output"])
        if out.exists():
            raise CommandError(_("%(p)s exists already; choose another name.") % {"p": out})
        fd, tmp = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", prefix=".export-")
        try:
            with os.fdopen(fd, "wb") as fh:
                written = media_export_to(actor=actor, media=media, out=fh)
            os.replace(tmp, out)
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not export originals (restricted ones need more).")
                % {"user": actor.username}
            ) from None
        except FileNotFoundError:
            raise CommandError(
                _("The original is missing from the archive; run `aigaq media verify`.")
            ) from None
        except SealedError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.stdout.write(
            _("Wrote %(p)s (%(n)s bytes, decrypted); the export is recorded in the audit log.")
            % {"p": out, "n": written}
        )

    # -- encrypt-existing -------------------------------------------------------------------

    def _encrypt_existing(self, opts: dict[str, Any]) -> None:
        try:
            report = encrypt_existing(progress=_("Encrypting") if opts["verbosity"] else None)
        except EncryptExistingError as exc:
            raise CommandError(str(exc)) from None
        if opts["verbosity"]:
            self.stdout.write(
                _(
                    "Originals encrypted: %(sealed)s (%(bytes)s bytes); finished after an "
                    "interrupted run: %(finished)s."
                )
                % {"sealed": report.sealed, "bytes": report.bytes, "finished": report.finished}
            )
        for path in report.altered:
            self.stderr.write(
                _("Left in clear, its bytes no longer match its name: %(p)s") % {"p": path}
            )
        if report.altered:
            raise CommandError(
                _(
                    "%(n)s originals no longer match their SHA-256 and were left unencrypted: "
                    "restore them from a copy, then run this again."
                )
                % {"n": len(report.altered)}
            )


def _message(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, PermissionDenied):
        return _("this user may not do that")
    if isinstance(exc, OSError) and not isinstance(exc, MediaRefused):
        return exc.strerror or str(exc)
    return str(exc)


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(question).strip().lower() in ("y", "yes", "д", "да", "иә")
