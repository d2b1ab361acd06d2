from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "aigaq.casework"
    label = "casework"
    verbose_name = _("Families and the press")

    def ready(self) -> None:
        from aigaq.casework.demo import demo_contacts
        from aigaq.testimonies import hooks

        if demo_contacts not in hooks.DEMO_CASES:
            hooks.DEMO_CASES.append(demo_contacts)
