from django.db import migrations, models


class Migration(migrations.Migration):
    """The testimony's media are now its TestimonyMedia rows (copied in 0005); the plain link
    table goes. Django cannot alter a many-to-many field to add `through`, so it is removed
    and added again."""

    dependencies = [
        ('media', '0001_initial'),
        ('testimonies', '0005_copy_testimony_media_uses'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='testimony',
            name='media',
        ),
        migrations.AddField(
            model_name='testimony',
            name='media',
            field=models.ManyToManyField(blank=True, related_name='testimonies', through='testimonies.TestimonyMedia', to='media.mediafile', verbose_name='media files'),
        ),
    ]
