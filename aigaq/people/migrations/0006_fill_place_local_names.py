"""Fill Place.local_names (the name a place shows in each interface language) from the names
the gazetteer already loaded. The mapping is frozen here as it was when this ran (no app code
imported in migrations): people.models.PLACE_NAME_FOR_LANGUAGE."""

from django.db import migrations

PLACE_NAME_FOR_LANGUAGE = {
    "kk": ("kk_cyrl", "kk"),
    "ru": ("ru",),
    "en": ("en",),
    "zh-hans": ("zh",),
}


def fill(apps, schema_editor):
    Place = apps.get_model("people", "Place")
    PlaceName = apps.get_model("people", "PlaceName")
    wanted = {lang for langs in PLACE_NAME_FOR_LANGUAGE.values() for lang in langs}
    names: dict = {}
    for place_id, name, lang in (
        PlaceName.objects.filter(lang__in=wanted).order_by("id").values_list("place_id", "name", "lang")
    ):
        names.setdefault(place_id, {}).setdefault(lang, name)
    changed = []
    for place in Place.objects.filter(pk__in=list(names)).only("id", "local_names"):
        by_lang = names[place.pk]
        local = {}
        for language, langs in PLACE_NAME_FOR_LANGUAGE.items():
            found = next((by_lang[lang] for lang in langs if lang in by_lang), None)
            if found:
                local[language] = found
        if local != place.local_names:
            place.local_names = local
            changed.append(place)
    Place.objects.bulk_update(changed, ["local_names"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_place_local_names_and_script_labels"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
