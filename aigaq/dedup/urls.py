from django.urls import path

from aigaq.dedup import views

app_name = "dedup"

urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("scan/", views.scan_start, name="scan"),
    path("<uuid:pk>/", views.candidate_review, name="review"),
    path("<uuid:pk>/merge/", views.candidate_merge, name="merge_pair"),
    path("<uuid:pk>/not-same/", views.candidate_not_same, name="not_same"),
    path("merges/<uuid:pk>/", views.merge_detail, name="merge"),
    path("merges/<uuid:pk>/undo/", views.merge_undo, name="undo"),
]
