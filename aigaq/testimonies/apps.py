from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestimoniesConfig(AppConfig):
    name = "aigaq.testimonies"
    label = "testimonies"
    verbose_name = _("Testimonies")
