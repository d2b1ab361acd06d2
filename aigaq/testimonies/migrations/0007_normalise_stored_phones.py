"""Phone numbers already stored, in the one form every path now stores (E.164: +77011234567),
so a number typed at the desk finds the same number imported from a spreadsheet or a bundle.

Frozen here on purpose (no app code in migrations): the same parsing as aigaq.core.phones,
with the phonenumbers library and settings.AIGAQ_PHONE_REGION. A stored text that is not a
valid number is left as it was (a person corrects it the next time the record is edited).
Reversing keeps the normalised numbers (the old spellings are not kept anywhere)."""

from django.conf import settings
from django.db import migrations


def normalise(apps, schema_editor):
    import phonenumbers

    region = getattr(settings, "AIGAQ_PHONE_REGION", "KZ")
    model = apps.get_model("testimonies", "Testifier")
    for pk, phone in list(model.objects.exclude(phone="").values_list("pk", "phone")):
        try:
            number = phonenumbers.parse(" ".join(phone.split()), region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        clean = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if clean != phone:
            model.objects.filter(pk=pk).update(phone=clean)


class Migration(migrations.Migration):
    dependencies = [
        ('testimonies', '0006_testimony_media_through_uses'),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
