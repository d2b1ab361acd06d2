from django.db import migrations


def copy_links(apps, schema_editor):
    """One use per existing link, of the file's own kind; restricted where the file is."""
    Testimony = apps.get_model("testimonies", "Testimony")
    TestimonyMedia = apps.get_model("testimonies", "TestimonyMedia")
    Link = Testimony.media.through
    rows = Link.objects.select_related("mediafile").order_by("pk").iterator(chunk_size=2000)
    batch = []
    for row in rows:
        media = row.mediafile
        batch.append(
            TestimonyMedia(
                testimony_id=row.testimony_id,
                media_id=media.pk,
                kind=media.kind,
                restricted=media.restricted or media.kind == "id_card",
            )
        )
        if len(batch) >= 2000:
            TestimonyMedia.objects.bulk_create(batch)
            batch = []
    TestimonyMedia.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    Testimony = apps.get_model("testimonies", "Testimony")
    TestimonyMedia = apps.get_model("testimonies", "TestimonyMedia")
    Link = Testimony.media.through
    Link.objects.bulk_create(
        Link(testimony_id=t, mediafile_id=m)
        for t, m in TestimonyMedia.objects.values_list("testimony_id", "media_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ('testimonies', '0004_add_testimony_media_uses'),
    ]

    operations = [migrations.RunPython(copy_links, copy_back)]
