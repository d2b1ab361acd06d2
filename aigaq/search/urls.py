from django.urls import path

from aigaq.search import views

app_name = "search"

urlpatterns = [
    path("persons/", views.persons, name="persons"),
    path("places/", views.places, name="places"),
]
