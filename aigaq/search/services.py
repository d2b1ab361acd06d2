"""Writes to the search index (derived data: no audit entries, rebuilt by ``aigaq reindex``).

``person_index_update`` runs after every person write (registered in
aigaq.people.hooks.PERSON_WRITTEN by SearchConfig.ready), inside the writing transaction.
``index_persons`` is the bulk path (reindex, demo data, imports): a few statements per batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, transaction

from aigaq.names import match_keys, to_comparison
from aigaq.people.models import Person, PersonName
from aigaq.search.models import NameForm, NameKey

BATCH = 2000
_KEY_MAX = 80
_FORM_MAX = 300


def keys_for_names(names: Iterable[str]) -> set[str]:
    """All match keys of a person's names (keys longer than the column are dropped)."""
    out: set[str] = set()
    for name in names:
        out.update(k for k in match_keys(name) if len(k) <= _KEY_MAX)
    return out


def forms_for_names(names: Iterable[str]) -> list[str]:
    """Distinct comparison forms of a person's names, in the names' order."""
    seen: dict[str, None] = {}
    for name in names:
        form = to_comparison(name)[:_FORM_MAX]
        if form:
            seen.setdefault(form, None)
    return list(seen)


def person_index_update(person: Person) -> None:
    """Re-file one person under the keys of their current names (the PERSON_WRITTEN hook)."""
    index_persons([person.pk])


def _chunks(ids: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def index_persons(
    person_ids: Iterable[Any],
    *,
    batch_size: int = BATCH,
    fresh: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """(Re)build the index rows of these persons; returns how many persons were indexed.

    ``fresh=True`` skips deleting old rows (persons just created in bulk). Rows are written
    with ``executemany`` in batches; each batch is one transaction."""
    ids = list(person_ids)
    pk_field = Person._meta.pk
    assert pk_field is not None
    done = 0
    insert_key = "INSERT INTO search_namekey (person_id, key) VALUES (%s, %s)"
    insert_form = "INSERT INTO search_nameform (person_id, form) VALUES (%s, %s)"
    for chunk in _chunks(ids, batch_size):
        names: dict[Any, list[str]] = defaultdict(list)
        rows = (
            PersonName.objects.filter(person_id__in=chunk)
            .order_by("person_id", "position", "id")
            .values_list("person_id", "full_name")
        )
        for pid, full_name in rows:
            names[pid].append(full_name)
        key_rows: list[tuple[Any, str]] = []
        form_rows: list[tuple[Any, str]] = []
        for pid, person_names in names.items():
            db_pid = pk_field.get_db_prep_value(pid, connection)
            key_rows.extend((db_pid, k) for k in keys_for_names(person_names))
            form_rows.extend((db_pid, f) for f in forms_for_names(person_names))
        with transaction.atomic():
            if not fresh:
                NameKey.objects.filter(person_id__in=chunk).delete()
                NameForm.objects.filter(person_id__in=chunk).delete()
            with connection.cursor() as cursor:
                if key_rows:
                    cursor.executemany(insert_key, key_rows)
                if form_rows:
                    cursor.executemany(insert_form, form_rows)
        done += len(chunk)
        if progress is not None:
            progress(done)
    return done


def reindex_all(*, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from PersonName (``aigaq reindex``)."""
    with transaction.atomic():
        NameKey.objects.all().delete()
        NameForm.objects.all().delete()
    ids = list(Person.objects.order_by("entry_no").values_list("pk", flat=True))
    return index_persons(ids, fresh=True, progress=progress)
