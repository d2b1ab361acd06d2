from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "aigaq.custody"
    verbose_name = "Key custody"
