"""aigaq subtitles import | export | package: subtitle files of transcripts and translations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.testimonies.models import Testimony
from aigaq.testimonies.selectors import parse_testimony_number
from aigaq.transcripts import languages
from aigaq.transcripts.subtitles import read_file, subtitles_export, subtitles_import


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


class Command(BaseCommand):
    help = (
        "Import and export the subtitles of testimonies (SRT, WebVTT) and make their "
        "publication packages. `import` reads an SRT or WebVTT file as a testimony's "
        "transcript or as a translation of it (the same file twice changes nothing); `export` "
        "writes a transcript or translation as SRT or WebVTT (a translation with the "
        "transcript's timing); `package` gathers what a publication needs: the redacted "
        "video, the reviewed subtitles, titles and a SHA-256 manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import an SRT or WebVTT file")
        imp.add_argument("file", metavar="FILE", help="the .srt or .vtt file (UTF-8)")
        imp.add_argument("--testimony", required=True, metavar="NUMBER", help="T12 or 12")
        imp.add_argument(
            "--language", required=True, metavar="LANG", help="the file's language (kk, en, …)"
        )
        imp.add_argument(
            "--as",
            dest="as_",
            choices=("transcript", "translation"),
            help="what the file is (default: the transcript when the testimony has none yet "
            "or has it in LANG, else a translation)",
        )
        imp.add_argument(
            "--replace",
            action="store_true",
            help="replace a transcript that has other segments already",
        )
        imp.add_argument("--json", action="store_true", help="print one JSON object")
        exp = sub.add_parser("export", help="write SRT or WebVTT")
        exp.add_argument("--testimony", required=True, metavar="NUMBER", help="T12 or 12")
        exp.add_argument("--language", required=True, metavar="LANG")
        exp.add_argument("--format", required=True, choices=("srt", "vtt"))
        exp.add_argument("-o", "--output", metavar="FILE", help="the file (default: print it)")
        self._package_arguments(sub)

    def _package_arguments(self, sub: Any) -> None:
        pkg = sub.add_parser("package", help="a publication package of one testimony")
        pkg.add_argument("--testimony", required=True, metavar="NUMBER", help="T12 or 12")
        pkg.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="DIR_OR_ZIP",
            help="a new folder, or a file ending in .zip",
        )
        pkg.add_argument("--json", action="store_true", help="print the manifest as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"])(opts)
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None
        except PermissionDenied:
            raise CommandError(_("This is not allowed for this testimony.")) from None

    def _testimony(self, text: str) -> Testimony:
        number = parse_testimony_number(text)
        testimony = Testimony.objects.filter(number=number).first() if number else None
        if testimony is None:
            raise CommandError(_("No testimony numbered “%(n)s”.") % {"n": text})
        return testimony

    def _import(self, opts: dict[str, Any]) -> None:
        testimony = self._testimony(opts["testimony"])
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("No file at %(p)s.") % {"p": path})
        result = subtitles_import(
            actor=None,
            testimony=testimony,
            language=opts["language"],
            data=read_file(path),
            name=path.name,
            as_=opts["as_"],
            replace=opts["replace"],
        )
        t = result.transcript
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "testimony": testimony.number,
                        "language": t.language,
                        "kind": t.kind,
                        "created": result.created,
                        "subtitles": result.subtitles,
                        "changed": result.changed,
                        "sha256": result.sha256,
                    },
                    ensure_ascii=False,
                )
            )
            return
        what = {"what": f"T{testimony.number} {languages.name_of(t.language)}"}
        if result.changed == 0:
            self.stdout.write(_("Nothing changed: %(what)s has these subtitles already.") % what)
        else:
            self.stdout.write(
                _("Imported %(n)s subtitles into %(what)s (%(kind)s).")
                % {**what, "n": result.subtitles, "kind": t.get_kind_display()}
            )

    def _export(self, opts: dict[str, Any]) -> None:
        testimony = self._testimony(opts["testimony"])
        _transcript, text = subtitles_export(
            actor=None, testimony=testimony, language=opts["language"], fmt=opts["format"]
        )
        if opts.get("output"):
            Path(opts["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(_("Written: %(p)s") % {"p": opts["output"]})
        else:
            self.stdout.write(text, ending="")

    def _package(self, opts: dict[str, Any]) -> None:
        from aigaq.transcripts.package import package_write

        testimony = self._testimony(opts["testimony"])
        manifest = package_write(actor=None, testimony=testimony, output=Path(opts["output"]))
        if opts["json"]:
            self.stdout.write(json.dumps(manifest, ensure_ascii=False, indent=2))
            return
        video = manifest["video"]
        self.stdout.write(
            _("Package written: %(p)s (%(n)s files).")
            % {"p": opts["output"], "n": len(manifest["files"])}
        )
        if video["status"] == "missing":
            self.stdout.write(_("No redacted copy of the video exists: the package has no video."))
        if manifest.get("subtitles_withheld"):
            self.stdout.write(
                _("The testifier asked anonymity: the package has no subtitles and no titles.")
            )
