"""aigaq transcripts draft: a machine draft of a transcript or a translation."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.core.jobs import JobRefused, job_run
from aigaq.core.models import Job
from aigaq.testimonies.models import Testimony
from aigaq.testimonies.selectors import parse_testimony_number
from aigaq.transcripts.tasks import machine_draft_start, machine_draft_work


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


class Command(BaseCommand):
    help = (
        "Make a machine draft of a testimony's transcript (speech recognition of its "
        "recording, faster-whisper) or of a translation (--translate-from: machine translation "
        "of the transcript, CTranslate2), from a model folder on this machine (--model, else "
        "AIGAQ_ASR_MODEL or AIGAQ_MT_MODEL); nothing is downloaded. The draft is stored as "
        "'machine draft' for a person to correct, and never replaces a person's work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        draft = sub.add_parser("draft", help="a machine draft of a transcript or translation")
        draft.add_argument("--testimony", required=True, metavar="NUMBER", help="T12 or 12")
        draft.add_argument(
            "--language", required=True, metavar="LANG", help="the draft's language (kk, ru, en…)"
        )
        draft.add_argument(
            "--translate-from",
            metavar="LANG",
            help="translate the transcript in LANG instead of listening to the recording",
        )
        draft.add_argument(
            "--model",
            metavar="FOLDER",
            help="the model folder (default: AIGAQ_ASR_MODEL, or AIGAQ_MT_MODEL to translate)",
        )
        draft.add_argument(
            "--queue",
            action="store_true",
            help="hand the work to `aigaq worker` as a background job instead of doing it now",
        )
        draft.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        number = parse_testimony_number(opts["testimony"])
        testimony = Testimony.objects.filter(number=number).first() if number else None
        if testimony is None:
            raise CommandError(_("No such testimony: %(t)s.") % {"t": opts["testimony"]})
        try:
            job = machine_draft_start(
                actor=None,
                testimony=testimony,
                language=opts["language"],
                translate_from=opts["translate_from"],
                model=opts["model"],
            )
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None
        except PermissionDenied:
            raise CommandError(_("This is not allowed for this testimony.")) from None
        if opts["queue"]:
            self._say(
                opts,
                {"job": str(job.pk), "status": job.status},
                _("Queued as job %(j)s.") % {"j": job.pk},
            )
            return
        # Done here and now, through the job itself (so the job's page shows the outcome and a
        # worker that picks the queued task up later finds it done and skips it).
        try:
            job_run(job.pk, machine_draft_work)
        except JobRefused as exc:  # pragma: no cover - job_run records refusals itself
            raise CommandError(str(exc)) from None
        job = Job.objects.get(pk=job.pk)
        if job.status != Job.Status.DONE:
            raise CommandError(job.message)
        result = dict(job.result)
        self._say(
            opts,
            result,
            _("A machine draft of %(n)s segments in %(lang)s: correct it in the editor.")
            % {"n": result.get("segments", 0), "lang": result.get("language", "")},
        )

    def _say(self, opts: dict[str, Any], data: dict[str, Any], sentence: str) -> None:
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(sentence)
