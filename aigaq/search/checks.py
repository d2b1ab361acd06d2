"""The search app's system check: whether the index was built with the installed names
library's keys. Django runs database checks before ``migrate``; ``aigaq serve`` runs them
before serving, so an operator learns of a stale index without the core commands importing
the search app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import connections

STALE_INDEX = "aigaq.W101"


@register(Tags.database)
def search_index_current(
    app_configs: Any = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    from aigaq.search.models import IndexState
    from aigaq.search.services import index_is_current

    messages: list[CheckMessage] = []
    for alias in databases or ():
        tables = set(connections[alias].introspection.table_names())
        if IndexState._meta.db_table not in tables:
            continue  # not migrated yet: there is no index to judge
        if not index_is_current(using=alias):
            messages.append(
                CheckWarning(
                    "The search index was built by an older version of Aigaq, so searches may "
                    "miss persons: stop, run 'aigaq init' (it rebuilds the index), start again.",
                    id=STALE_INDEX,
                )
            )
    return messages
