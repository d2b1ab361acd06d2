from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("aigaq.staff.urls")),
]

if settings.DEBUG:  # pragma: no cover
    pass
