from django.urls import path

from aigaq.mirrors import views

app_name = "mirrors"

urlpatterns = [
    path("", views.review, name="review"),
    path("<uuid:pk>/confirm/", views.confirm, name="confirm"),
    path("<uuid:pk>/remove/", views.remove, name="remove"),
    path("testimony/<int:number>/add/", views.add, name="add"),
]
