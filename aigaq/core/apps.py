from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "aigaq.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from aigaq.core import checks  # noqa: F401 - registers the database checks
