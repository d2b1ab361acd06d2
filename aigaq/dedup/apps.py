from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupConfig(AppConfig):
    name = "aigaq.dedup"
    label = "dedup"
    verbose_name = _("Duplicates and merges")

    def ready(self) -> None:
        from aigaq.dedup.tasks import person_written
        from aigaq.people import hooks

        # The duplicates queue follows every person write (refreshed by the worker).
        if person_written not in hooks.PERSON_WRITTEN:
            hooks.PERSON_WRITTEN.append(person_written)
