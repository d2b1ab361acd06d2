from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranscriptsConfig(AppConfig):
    name = "aigaq.transcripts"
    label = "transcripts"
    verbose_name = _("Transcripts and translations")
