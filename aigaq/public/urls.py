"""The public site's addresses: every page under its language (/kk/, /ar/, ...)."""

from django.urls import path, register_converter

from aigaq.public import data_views, media, stats_views, views
from aigaq.public.languages import LanguageConverter

register_converter(LanguageConverter, "lang")

app_name = "public"

urlpatterns = [
    path("", views.choose_language, name="root"),
    path("<lang:lang>/", views.home, name="home"),
    path("<lang:lang>/entries/", views.entries, name="entries"),
    path("<lang:lang>/entries/<int:number>/", views.entry, name="entry"),
    path("<lang:lang>/correction/", views.correction, name="correction"),
    path("<lang:lang>/correction/thanks/", views.correction_thanks, name="correction_thanks"),
    # Files, the same in every language: asked of disclosure on every request.
    path("files/photo/<int:number>/<uuid:media_id>/", media.entry_photo, name="photo"),
    path("files/video/<uuid:rendition_id>/", media.video, name="video"),
    path("files/subtitles/<int:number>/<str:language>/", media.subtitles, name="subtitles"),
    # Open data (data_views.py): stable addresses, the files in no language.
    path("<lang:lang>/data/", data_views.data_page, name="data"),
    path("<lang:lang>/data/dictionary.json", data_views.data_dictionary, name="data_dictionary"),
    path("<lang:lang>/feed.atom", data_views.feed, name="feed"),
    path("data/entries.csv", data_views.data_csv, name="data_csv"),
    path("data/entries.json", data_views.data_json, name="data_json"),
    path("data/entries/<int:number>.json", data_views.data_entry, name="data_entry"),
    path("sitemap.xml", data_views.sitemap, name="sitemap"),
    path("sitemaps/pages.xml", data_views.sitemap_pages, name="sitemap_pages"),
    path("sitemaps/entries-<int:chunk>.xml", data_views.sitemap_entries, name="sitemap_entries"),
    path("<lang:lang>/statistics/", stats_views.statistics, name="statistics"),
    path("<lang:lang>/map/", stats_views.county_map_page, name="map"),
]
