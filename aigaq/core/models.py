"""Base model, users and roles, the audit log, and the entry-number sequence."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    INTERVIEWER = "interviewer", _("Interviewer")
    TRANSLATOR = "translator", _("Translator")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    """A member of staff. The role decides what they may see and do (see core.permissions)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Raised by "sign out everywhere" and by disabling the account: every session signed in
    # before carries the old value in its hash and ends at its next request, whatever the
    # session engine (core/accounts.py).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret: Any = None) -> str:
        """Django's hash of the password that each session keeps, with the session generation
        mixed in (generation 0 gives Django's own hash: sessions from before it stay valid)."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "aigaq.core.models.User.session_auth_hash",
            f"{self.password}\x00{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class BaseModel(models.Model):
    """Every record: a global UUID (bundles and merges cross instances), timestamps and a
    version number for optimistic locking."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who did what to which record, when, with the values before and after.

    Restricted fields are recorded as changed, never with their contents.
    Reads of restricted data are recorded with action READ and the field names read.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        READ = "read", _("read restricted data")
        MERGE = "merge", _("merged")
        UNMERGE = "unmerge", _("merge undone")
        CONSENT = "consent", _("consent changed")
        IMPORT = "import", _("imported")
        EXPORT = "export", _("exported")
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("sign-in failed")
        UNLOCK = "unlock", _("sign-in lockout lifted")
        SIGN_OUT_ALL = "sign_out_all", _("signed out everywhere")
        DISABLE = "disable", _("account disabled")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, db_index=True)
    object_label = models.CharField(max_length=300, blank=True)
    # The person this entry concerns, so a person page can show its whole history.
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    changes: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    # Where the request came from (the client's address, as django-axes reads it behind the
    # configured proxy), kept in clear like the address of a failed sign-in; empty for the
    # command line and background jobs.
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            # A user's own activity page, newest first, a page at a time (keyset).
            models.Index(fields=["actor", "at", "id"], name="core_audit_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"


class Sequence(models.Model):
    """Named counters that never go back (entry numbers are never reused)."""

    name = models.CharField(max_length=50, primary_key=True)
    last_value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.last_value}"


class Job(BaseModel):
    """One piece of long work run by the background worker (aigaq/core/jobs.py): what it is,
    how far it got, and what came of it, shown on its page while it runs and after."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    # Who may see the job's page besides the one who started it (a core.permissions capability).
    capability = models.CharField(max_length=50)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)  # 0: not known (yet)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    params: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    # The age identity the job's kept files are encrypted to; erased when the job ends.
    secret = models.TextField(blank=True, editable=False)
    language = models.CharField(max_length=15, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Exactly once (aigaq/core/jobs.py, `job_effect`): which run holds the job now (each claim
    # adds one), and when its effect was committed, in the same transaction as the effect.
    attempt = models.PositiveIntegerField(default=0, editable=False)
    effect_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WorkerBeat(models.Model):
    """A running `aigaq worker`'s heartbeat (aigaq/core/jobs.py, "Several workers"): written
    every few seconds while the process lives, so the other workers can tell a job whose
    worker died (machine lost, process killed) from one still under way, and run it again."""

    worker_id = models.CharField(primary_key=True, max_length=64)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
