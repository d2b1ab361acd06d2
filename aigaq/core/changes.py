"""The data's change counter: a number that goes up once after each committed transaction that
wrote anything audited (every write service records an audit entry in its transaction, so
every write of a person, a testimony, a consent or its withdrawal, a visibility, a merge or an
import counts; reads, exports and sign-ins do not).

Pages that are costly to compute from the data (the public statistics and map) cache their
counts under the counter's value: the next request after a write reads a new value, finds no
cached counts and computes them again. Decision 0036.

The counter is the `data.changes` row of `core.Sequence`. It goes up *after* the commit, in a
statement of its own, so a long transaction never holds it locked and two writers never wait
on it; a reader reads the counter *before* it computes, so whatever it caches under a value
is at least as new as the data that value stood for.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from aigaq.core.models import Sequence

NAME = "data.changes"


class _Token:
    """One step of the counter, shared by every write of a transaction."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done = False


class _Bump:
    """An on-commit callback: the first of its token's callbacks to run moves the counter,
    the others do nothing (a transaction of many writes moves it by one)."""

    __slots__ = ("token",)

    def __init__(self, token: _Token) -> None:
        self.token = token

    def __call__(self) -> None:
        if not self.token.done:
            self.token.done = True
            _bump()


def changes_note() -> None:
    """The current transaction wrote data: when it commits, the counter goes up (once per
    transaction, however many writes it made). Outside a transaction: at once.

    Every write registers a callback sharing the connection's current token, so a savepoint
    rolled back with its callbacks leaves the others to move the counter; a token is
    replaced once it has moved the counter (a transaction that rolled back hands its unused
    token to the next)."""
    connection = transaction.get_connection()
    token = getattr(connection, "_aigaq_changes_token", None)
    if token is None or token.done:
        token = _Token()
        connection._aigaq_changes_token = token  # type: ignore[attr-defined]
    # robust: a failed step is logged and must not fail the write that committed; the caches
    # keyed on the counter also expire on their own (their timeout).
    transaction.on_commit(_Bump(token), robust=True)


def _bump() -> None:
    if not Sequence.objects.filter(name=NAME).update(last_value=F("last_value") + 1):
        Sequence.objects.get_or_create(name=NAME)
        Sequence.objects.filter(name=NAME).update(last_value=F("last_value") + 1)


def changes_current() -> int:
    """The counter's value now (0 before the first audited write)."""
    value = Sequence.objects.filter(name=NAME).values_list("last_value", flat=True).first()
    return int(value or 0)
