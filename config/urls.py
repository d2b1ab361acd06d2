from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("desk/", include("aigaq.intake.urls")),
    path("transfer/", include("aigaq.transfer.urls")),
    path("search/", include("aigaq.search.urls")),
    path("duplicates/", include("aigaq.dedup.urls")),
    path("", include("aigaq.staff.urls")),
]
