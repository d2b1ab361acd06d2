"""The public site's addresses: every page under its language (/kk/, /ar/, ...)."""

from django.urls import path, register_converter

from aigaq.public import media, views
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
]
