"""The public site alone (`aigaq serve --public`): no staff page, sign-in or admin answers here."""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

# Looked up at the first request, not when the URLs are loaded: in production mode the
# static files' manifest (hashed names) is written by collectstatic after the system checks
# have loaded the URLs.
static_lazy = lazy(static, str)

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static_lazy("aigaq/favicon.svg"), permanent=True)),
    path("", include("aigaq.public.urls")),
]
