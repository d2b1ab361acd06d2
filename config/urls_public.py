"""The public site alone (`aigaq serve --public`): no staff page, sign-in or admin answers here."""

from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("aigaq/favicon.svg"), permanent=True)),
    path("", include("aigaq.public.urls")),
]
