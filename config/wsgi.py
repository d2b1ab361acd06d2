import os

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def public_application() -> WSGIHandler:
    """The public site alone (`aigaq serve --public`, or a server's WSGI entry for the open
    internet): its own URLs and middleware, so no staff page, sign-in or admin answers. Call it
    once, in a process that serves nothing else (it switches this process's settings)."""
    from django.conf import settings
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = settings.PUBLIC_URLCONF
    settings.MIDDLEWARE = settings.PUBLIC_MIDDLEWARE
    clear_url_caches()
    return WSGIHandler()
