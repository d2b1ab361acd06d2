"""The public site's addresses: every page under its language (/kk/, /ar/, ...)."""

from django.urls import path, register_converter

from aigaq.public import stats_views, views
from aigaq.public.languages import LanguageConverter

register_converter(LanguageConverter, "lang")

app_name = "public"

urlpatterns = [
    path("", views.choose_language, name="root"),
    path("<lang:lang>/", views.home, name="home"),
    path("<lang:lang>/entries/", views.entries, name="entries"),
    path("<lang:lang>/entries/<int:number>/", views.entry, name="entry"),
    path("<lang:lang>/statistics/", stats_views.statistics, name="statistics"),
    path("<lang:lang>/map/", stats_views.county_map_page, name="map"),
]
