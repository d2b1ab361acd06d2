from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

# Looked up at the first request, not when the URLs are loaded: in production mode the
# static files' manifest (hashed names) is written by collectstatic after the system checks
# have loaded the URLs.
static_lazy = lazy(static, str)

urlpatterns = [
    # Browsers ask for /favicon.ico wherever no page named its icon (downloads, JSON).
    path("favicon.ico", RedirectView.as_view(url=static_lazy("aigaq/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The JSON API (docs/api.md): token-authenticated, on the staff server only.
    path("api/v1/", include("aigaq.api.urls")),
    # transfer's pages keep their addresses under /transfer/, /desk/trips/ and /duplicates/import/
    path("", include("aigaq.transfer.urls")),
    path("desk/", include("aigaq.intake.urls")),
    path("search/", include("aigaq.search.urls")),
    path("duplicates/", include("aigaq.dedup.urls")),
    path("mirrors/", include("aigaq.mirrors.urls")),
    # The public site as visitors see it, for staff to preview (`aigaq serve --public` serves
    # it alone, at the root, for the open internet).
    path("public/", include("aigaq.public.urls")),
    path("", include("aigaq.staff.urls")),
]
