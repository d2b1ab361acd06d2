from django.urls import path

from aigaq.transfer import trips, views

app_name = "transfer"

# Included at the root (config/urls.py): each page keeps the address it had, beside the pages
# of the apps it serves (the desk's trips, the duplicates queue a spreadsheet feeds).
urlpatterns: list = [
    # Field bundles (views.py)
    path("transfer/field/import/", views.field_import, name="field_import"),
    path("transfer/conflicts/", views.conflicts, name="conflicts"),
    path(
        "transfer/conflicts/<uuid:pk>/resolve/",
        views.conflict_resolve_view,
        name="conflict_resolve",
    ),
    # Spreadsheet import (views.py)
    path("duplicates/import/", views.spreadsheet_upload, name="spreadsheet_upload"),
    path(
        "duplicates/import/template.xlsx",
        views.spreadsheet_template,
        name="spreadsheet_template",
    ),
    # Field trips (trips.py)
    path("desk/trips/", trips.trips, name="trips"),
    path("desk/trips/new/", trips.trip_new, name="trip_new"),
    path("desk/trips/<uuid:pk>/", trips.trip_detail, name="trip"),
    path("desk/trips/<uuid:pk>/edit/", trips.trip_edit, name="trip_edit"),
    path("desk/trips/<uuid:pk>/status/", trips.trip_status, name="trip_status"),
    path("desk/trips/<uuid:pk>/export/", trips.trip_export, name="trip_export"),
]
