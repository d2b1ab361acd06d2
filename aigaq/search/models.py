"""The search index: match keys and comparison forms of every person's names.

Both tables are derived data: rebuilt from people.PersonName by ``aigaq reindex`` and kept
current by the PERSON_WRITTEN hook (see aigaq.search.services). Never edited by hand.
"""

from __future__ import annotations

from django.db import models


class NameKey(models.Model):
    """One match key (see aigaq.names.match_keys) of one of a person's names.

    Also the blocking table of duplicate detection: persons sharing a key are candidates.
    Keys are unique per person (the keys of all the person's names, merged)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    # The person's birth years, copied so that a search with a birth-year filter (how a
    # curator tells namesakes apart) is decided inside the index: year_lo is birth_year,
    # year_hi the latest possible year (birth_year_max, else birth_year); both empty when
    # unknown. Checking each posting against the person table instead cost a random read of
    # an encrypted page per candidate (filtered p95 ~80 ms at 1,000,000 persons).
    year_lo = models.SmallIntegerField(null=True)
    year_hi = models.SmallIntegerField(null=True)

    class Meta:
        # Only the composite index: it answers every key lookup index-only, in (key, person)
        # order, filtered by year or not; a second index would double the cost of bulk
        # writes for nothing.
        indexes = [
            models.Index(
                fields=["key", "person", "year_lo", "year_hi"], name="search_namekey_key_years"
            )
        ]

    def __str__(self) -> str:
        return self.key


class NameForm(models.Model):
    """The folded comparison form (aigaq.names.to_comparison) of one of a person's names.

    Substring search runs over it: FTS5 with the trigram tokenizer on SQLite/SQLCipher (the
    external-content table ``search_nameform_fts``, kept in step by triggers), a GIN trigram
    index (pg_trgm) on PostgreSQL. Both are created by migration 0002."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    form = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.form


class IndexState(models.Model):
    """Facts about the index as a whole (one row per fact): ``names_version`` is the
    aigaq.names.KEYS_VERSION the index was built with; ``aigaq init`` rebuilds the index when
    the installed names library files names differently."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
