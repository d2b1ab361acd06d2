"""Each address in a testimony's old `published_urls` list becomes a Mirror of it (the list
itself is left as it was: older field bundles still carry it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db import migrations

_HOSTS = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "odysee.com": "odysee",
    "t.me": "telegram",
    "telegram.me": "telegram",
}


def _platform(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    for suffix, platform in _HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return platform
    return "other"


def copy_urls(apps: Any, schema_editor: Any) -> None:
    Testimony = apps.get_model("testimonies", "Testimony")
    Mirror = apps.get_model("mirrors", "Mirror")
    rows = []
    for pk, urls in Testimony.objects.exclude(published_urls=[]).values_list(
        "pk", "published_urls"
    ):
        seen = set(Mirror.objects.filter(testimony_id=pk).values_list("url", flat=True))
        for url in urls if isinstance(urls, list) else []:
            url = str(url).strip()
            if url and url.startswith(("http://", "https://")) and url not in seen:
                seen.add(url)
                rows.append(Mirror(testimony_id=pk, url=url[:1000], platform=_platform(url)))
    Mirror.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("mirrors", "0001_add_mirror")]

    operations = [migrations.RunPython(copy_urls, migrations.RunPython.noop)]
