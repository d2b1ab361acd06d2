from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EsfConfig(AppConfig):
    name = "aigaq.esf"
    label = "esf"
    verbose_name = _("HURIDOCS Events Standard Formats")
