from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # transfer's pages keep their addresses under /transfer/, /desk/trips/ and /duplicates/import/
    path("", include("aigaq.transfer.urls")),
    path("desk/", include("aigaq.intake.urls")),
    path("search/", include("aigaq.search.urls")),
    path("duplicates/", include("aigaq.dedup.urls")),
    path("", include("aigaq.staff.urls")),
]
