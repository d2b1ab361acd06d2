"""Loading the gazetteer (aigaq/people/data/gazetteer.json) into Place and PlaceName.

Idempotent: places are matched by their stable ``code``; names already there are kept, new
ones added, nothing is deleted (records point to places). Paths are set by place_save.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.models import AuditEntry
from aigaq.people.models import Place, PlaceName
from aigaq.people.services import place_local_names, place_save

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.json"
# The name shown in lists, by preference.
_DISPLAY_ORDER = ("en", "pinyin", "kk_latn", "ug_latn", "ru", "kk_cyrl", "zh")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    names_added: int = 0
    skipped: bool = False


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(
            _("The gazetteer file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": exc}
        ) from exc
    places = data.get("places") if isinstance(data, dict) else None
    if not isinstance(places, list):
        raise ValidationError(_("The gazetteer file has no list of places."))
    return places


def _display_name(row: dict[str, Any]) -> str:
    names = row.get("names") or {}
    for lang in _DISPLAY_ORDER:
        if names.get(lang):
            return str(names[lang])[:200]
    alt = row.get("alt_names") or []
    return str(alt[0])[:200] if alt else str(row["code"])


def gazetteer_load(
    *, actor: Any = None, path: Path | None = None, if_empty: bool = False
) -> LoadResult:
    """Load or refresh the gazetteer; with ``if_empty`` do nothing when places exist."""
    result = LoadResult()
    if if_empty and Place.objects.exists():
        result.skipped = True
        return result
    rows = _read(path or DEFAULT_PATH)
    with transaction.atomic():
        by_code = {p.code: p for p in Place.objects.all()}
        existing = set(PlaceName.objects.values_list("place_id", "name", "lang"))
        for row in rows:
            code = row.get("code")
            if not code or row.get("kind") not in Place.Kind.values:
                raise ValidationError(
                    _("Gazetteer row %(code)s has no code or an unknown kind.")
                    % {"code": code or "?"}
                )
            parent = by_code.get(row["parent"]) if row.get("parent") else None
            if row.get("parent") and parent is None:
                raise ValidationError(
                    _("Gazetteer row %(code)s names an unknown parent %(parent)s.")
                    % {"code": code, "parent": row["parent"]}
                )
            fields = {
                "kind": row["kind"],
                "parent": parent,
                "name": _display_name(row),
                "local_names": place_local_names(
                    (str(name).strip()[:200], lang)
                    for lang, name in (row.get("names") or {}).items()
                ),
                "lat": row.get("lat"),
                "lon": row.get("lon"),
            }
            place = by_code.get(code)
            if place is None:
                place = Place(code=code, **fields)
                place_save(place)
                by_code[code] = place
                result.created += 1
            else:
                changed = [k for k, v in fields.items() if getattr(place, k) != v]
                if changed or place.path != _expected_path(place, parent):
                    for k, v in fields.items():
                        setattr(place, k, v)
                    place_save(place)
                    result.updated += 1
            new_names = []
            pairs = [(lang, n) for lang, n in (row.get("names") or {}).items()]
            pairs += [("alt", n) for n in row.get("alt_names") or []]
            for lang, name in pairs:
                name = str(name).strip()[:200]
                if name and (place.pk, name, lang) not in existing:
                    existing.add((place.pk, name, lang))
                    new_names.append(PlaceName(place=place, name=name, lang=lang))
            PlaceName.objects.bulk_create(new_names)
            result.names_added += len(new_names)
        if result.created or result.updated or result.names_added:
            anchor = next(iter(by_code.values()))
            audit.record(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                obj=anchor,
                changes={
                    "gazetteer": [
                        None,
                        {
                            "created": result.created,
                            "updated": result.updated,
                            "names_added": result.names_added,
                        },
                    ]
                },
                note="gazetteer load",
            )
    return result


def _expected_path(place: Place, parent: Place | None) -> str:
    return (parent.path if parent is not None else "/") + place.code + "/"
