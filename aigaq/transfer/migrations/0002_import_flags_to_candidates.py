"""The look-alikes that field-bundle imports flagged (transfer.ImportFlag) move into the one
duplicates queue (dedup.Candidate, found by "import"), where bundle imports now put them.

A flag already reviewed, a pair decided "not the same person", or a pair one of whose entries
was merged away is not proposed again. An open candidate for the same pair is kept as it is.
Frozen here on purpose (no app code in migrations); reversing leaves the candidates."""

from django.db import migrations


def _ordered(a, b):
    """A pair in dedup.Candidate's stored order (smaller UUID, as hex, first)."""
    return (a, b) if a.hex < b.hex else (b, a)


def move(apps, schema_editor):
    ImportFlag = apps.get_model("transfer", "ImportFlag")
    Candidate = apps.get_model("dedup", "Candidate")
    NotSame = apps.get_model("dedup", "NotSame")
    decided = set(NotSame.objects.values_list("a_id", "b_id"))
    flags = ImportFlag.objects.select_related("bundle", "person", "similar_to").order_by("-score")
    for flag in flags:
        if flag.status != "open":
            continue
        if flag.person.merged_into_id is not None or flag.similar_to.merged_into_id is not None:
            continue
        a, b = _ordered(flag.person_id, flag.similar_to_id)
        if (a, b) in decided:
            continue
        names = {
            flag.person_id: flag.person.primary_name,
            flag.similar_to_id: flag.similar_to.primary_name,
        }
        Candidate.objects.get_or_create(
            a_id=a,
            b_id=b,
            defaults={
                "score": round(flag.score, 4),
                "source": "import",
                "reasons": [
                    {"code": "names", "score": round(flag.score, 3), "a": names[a], "b": names[b]},
                    {"code": "field_bundle", "trip": flag.bundle.trip_name},
                ],
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("transfer", "0001_add_field_bundles"),
        ("dedup", "0001_add_candidates_merges_imports"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
