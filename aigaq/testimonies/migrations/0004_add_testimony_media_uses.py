import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Each file attached to a testimony gets a row of its own saying what it is there (its
    use: an ID card here may be a person's photo elsewhere). The rows are copied from the
    plain link table in 0005; 0006 makes them the testimony's media."""

    dependencies = [
        ('media', '0001_initial'),
        ('testimonies', '0003_published_urls_web_addresses_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='TestimonyMedia',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('video', 'Video'), ('audio', 'Audio'), ('photo', 'Photo'), ('id_card', 'ID card image'), ('document', 'Document'), ('other', 'Other')], default='other', max_length=20, verbose_name='kind')),
                ('restricted', models.BooleanField(default=False, verbose_name='restricted')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('media', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='testimony_links', to='media.mediafile')),
                ('testimony', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='media_links', to='testimonies.testimony')),
            ],
            options={
                'verbose_name': 'testimony file',
                'verbose_name_plural': 'testimony files',
            },
        ),
        migrations.AddConstraint(
            model_name='testimonymedia',
            constraint=models.UniqueConstraint(fields=('testimony', 'media'), name='uniq_testimony_media'),
        ),
    ]
