"""Several processes writing one database at once, through the services with optimistic
locking: no "database is locked" (SQLCipher) or deadlock and serialization error
(PostgreSQL) reaches anyone, and no edit is lost. On both engines."""

from __future__ import annotations

from typing import Any

from aigaq.core.models import AuditEntry
from aigaq.people.models import Person
from tests.crash.conftest import WAIT, Crash
from tests.factories import person

PROCESSES, EDITS = 4, 50

EDITOR = """
import sys, django
django.setup()
from aigaq.core.locking import EditConflict
from aigaq.people.models import Person
from aigaq.people.services import person_update
shared, own, name = sys.argv[1], sys.argv[2], sys.argv[3]
conflicts = 0
for i in range(int(sys.argv[4])):
    while True:  # as a person at the form would: read again, edit again
        current = Person.objects.get(pk=shared)
        try:
            person_update(actor=None, person=current, expected_version=current.version,
                          occupation=f"{name}-{i}")
            break
        except EditConflict:
            conflicts += 1
    mine = Person.objects.get(pk=own)
    person_update(actor=None, person=mine, expected_version=mine.version,
                  occupation=f"{name}-{i}")
print("done", conflicts)
"""


def test_four_processes_editing_at_once_lose_no_edit_and_never_see_a_locked_database(
    crash: Crash, transactional_db: Any
) -> None:
    shared = person("Shared Entryuly")
    own = [person(f"Own Entry{n}uly") for n in range(PROCESSES)]
    audit_before = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count()
    editors = [
        crash.start(str(shared.pk), str(own[n].pk), f"p{n}", str(EDITS), code=EDITOR)
        for n in range(PROCESSES)
    ]
    outputs = [editor.communicate(timeout=WAIT)[0] for editor in editors]
    for editor, out in zip(editors, outputs, strict=True):
        assert editor.returncode == 0 and "locked" not in out and "deadlock" not in out, out
        assert out.startswith("done"), out

    # Every edit that was accepted is there: one version and one audit entry each.
    assert Person.objects.get(pk=shared.pk).version == shared.version + PROCESSES * EDITS
    for n, mine in enumerate(own):
        after = Person.objects.get(pk=mine.pk)
        assert after.version == mine.version + EDITS and after.occupation == f"p{n}-{EDITS - 1}"
    updates = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count() - audit_before
    assert updates == 2 * PROCESSES * EDITS
