from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "aigaq.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from aigaq.core import checks  # noqa: F401 - registers the database checks
        from aigaq.core.middleware import start_idle_clock
        from aigaq.core.signin import audit_failed_sign_in

        user_login_failed.connect(audit_failed_sign_in, dispatch_uid="aigaq.core.signin")
        user_logged_in.connect(start_idle_clock, dispatch_uid="aigaq.core.idle")
