from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its command only (``aigaq demo``): no models, no pages, so no name to
    translate."""

    name = "aigaq.demo"
    label = "demo"
