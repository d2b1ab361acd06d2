from django.urls import path

from aigaq.transfer import views as field_views

app_name = "transfer"

urlpatterns: list = [
    # Field bundles (aigaq/transfer/views.py)
    path("field/import/", field_views.field_import, name="field_import"),
    path("conflicts/", field_views.conflicts, name="conflicts"),
    path(
        "conflicts/<uuid:pk>/resolve/",
        field_views.conflict_resolve_view,
        name="conflict_resolve",
    ),
]
