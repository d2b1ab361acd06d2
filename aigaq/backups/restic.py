"""restic, the backup tool (Debian package `restic`; docs/decisions/0014-backups-with-restic.md).

Every call goes through `Repository.run`: the repository's password travels to restic in its
environment (RESTIC_PASSWORD), never on its command line and never in a log; restic's cache is
off (`--no-cache`: nothing of the repository is left under the home folder).

SFTP destinations use the system's `ssh`. An installation that keeps the backup's SSH settings
(identity file, known hosts, port) apart from the user's own names an ssh_config file in
AIGAQ_BACKUP_SSH_CONFIG; restic is then told to run `ssh -F that-file`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from aigaq.core import keys as core_keys
from aigaq.media.keys import key_material

#: The label the repository password is derived with: never the database key itself, and no
#: other key of Aigaq's (the media keys have labels of their own).
PASSWORD_INFO = b"aigaq backup v1: restic repository password"
TAG = "aigaq"
#: A folder destination with less free space than this for FULL_GRACE_SECONDS is full: restic
#: is stopped there instead of retrying its writes for minutes (Repository._run_watching_space).
FULL_BELOW_BYTES = 256 * 1024
FULL_GRACE_SECONDS = 15.0
WATCH_SECONDS = 1.0
#: What restic's errors say of a full disk (ENOSPC), in lower case.
NO_SPACE = "no space left on device"
#: Room a backup needs beyond the data it adds (its index, tree and snapshot files).
HEADROOM_BYTES = 1024 * 1024
SCHEMES = ("sftp:", "rest:", "s3:", "b2:", "azure:", "gs:", "swift:", "rclone:")


class ResticError(Exception):
    """restic failed; `kind` says how: "missing" (no restic), "no_repository", "password",
    "disk_full", "unreachable", "locked", "other". The message is one sentence; restic's own
    last lines are kept in `detail` for the log."""

    def __init__(self, kind: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.detail = detail


def repository_password(database_key: str | None = None) -> str:
    """The restic password of every repository of this installation: HKDF-SHA256 over the
    database key's material (a passphrase stretched with scrypt first, as for the media keys)
    with a label of its own. Whoever holds the database key (or its shares) can restore."""
    if database_key is None:
        database_key = core_keys.load_key(core_keys.key_source(), core_keys.data_dir())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PASSWORD_INFO).derive(
        key_material(database_key)
    )
    return derived.hex()


def check_url(url: str) -> str:
    """A repository address restic understands: one of its URL forms, or an absolute path (a
    folder, a USB disk). Raises ValueError with a sentence otherwise."""
    url = url.strip()
    if not url:
        raise ValueError("empty")
    if "\n" in url or "\x00" in url:
        raise ValueError("control characters")
    if url.startswith(SCHEMES):
        return url
    if url.startswith("/"):
        return str(Path(url))
    raise ValueError("form")


def display_url(url: str) -> str:
    """The address with any password in it hidden (`rest:https://user:secret@host/` →
    `rest:https://user:***@host/`), for lists, logs and the dashboard."""
    return re.sub(r"(://[^/:@]+:)[^@/]*@", r"\1***@", url)


def restic_binary() -> str:
    found = shutil.which("restic")
    if found is None:
        raise ResticError(
            "missing",
            "restic is not installed: install the Debian package `restic` "
            "(scripts/system-deps.sh does it).",
        )
    return found


_SFTP_SHORT = re.compile(r"^sftp:(?:(?P<user>[^@/]+)@)?(?P<host>[^:/]+):(?P<path>.*)$")
_SFTP_LONG = re.compile(
    r"^sftp://(?:(?P<user>[^@/]+)@)?(?P<host>[^:/]+)(?::(?P<port>\d+))?/(?P<path>.*)$"
)


def sftp_command(url: str, config: str) -> str:
    """The `sftp.command` restic runs for an sftp: address when an ssh_config is named."""
    m = _SFTP_LONG.match(url) or _SFTP_SHORT.match(url)
    if m is None:
        raise ResticError("other", f"Not an SFTP address restic understands: {display_url(url)}")
    parts = ["ssh", "-F", config]
    if m.groupdict().get("port"):
        parts += ["-p", m.group("port")]
    target = m.group("host") if not m.group("user") else f"{m.group('user')}@{m.group('host')}"
    parts += [target, "-s", "sftp"]
    return " ".join(parts)


def classify(stderr: str) -> tuple[str, str]:
    """Which kind of failure restic's error output says, and one sentence for it."""
    text = stderr.lower()
    if "no space left on device" in text or "disk quota exceeded" in text:
        return "disk_full", "The destination is full: the backup could not be written there."
    if "wrong password or no key found" in text:
        return "password", (
            "The repository does not open with this installation's backup password: it was "
            "made with another database key."
        )
    if "is there a repository at the following location" in text:
        return "no_repository", "There is no restic repository at this address."
    if "repository is already locked" in text:
        return "locked", "The repository is locked by another restic process; try again later."
    if (
        "connection refused" in text
        or "no route to host" in text
        or "connection closed" in text
        or "unable to start the sftp session" in text
        or "dial tcp" in text
        or "name or service not known" in text
    ):
        return "unreachable", "The destination cannot be reached."
    return "other", "restic failed."


@dataclass
class Repository:
    url: str
    password: str = field(repr=False)

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("RESTIC_") and k not in ("AIGAQ_DB_KEY",)
        }
        env["RESTIC_PASSWORD"] = self.password
        env["RESTIC_REPOSITORY"] = self.url
        return env

    def _options(self) -> list[str]:
        config = os.environ.get("AIGAQ_BACKUP_SSH_CONFIG", "").strip()
        if config and self.url.startswith("sftp:"):
            return ["-o", f"sftp.command={sftp_command(self.url, config)}"]
        return []

    def local_folder(self) -> Path | None:
        """The folder of a destination on this machine (a path, or `local:PATH`); None for a
        remote one."""
        url = self.url[len("local:") :] if self.url.startswith("local:") else self.url
        if url.startswith(SCHEMES) or not url:
            return None
        return Path(url)

    def _run_watching_space(
        self, command: list[str], folder: Path, *, cwd: Path | None, timeout: float | None
    ) -> subprocess.CompletedProcess[str]:
        """restic on a folder of this machine, stopped when that disk is full.

        restic 0.14 (Debian 12) retries every write that failed, with backoff, for each pack
        it still has to send: on a full USB disk it can go on for many minutes before it gives
        up. Each failed pack it removes again, so the free space seen from outside comes and
        goes; what stays is restic saying "no space left on device". A destination that has
        said so, or has had no free space, for FULL_GRACE_SECONDS will not take this backup:
        restic is interrupted (SIGINT: it removes its lock) and the failure is reported as a
        full destination at once. Its earlier snapshots are untouched: restic writes a snapshot
        only after every pack of it is saved."""
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        out: list[str] = []
        err: list[str] = []
        no_space: list[float] = []  # when restic first said so

        def read(stream: Any, into: list[str], watch: bool) -> None:
            for line in stream:
                into.append(line)
                if watch and not no_space and NO_SPACE in line.lower():
                    no_space.append(time.monotonic())

        readers = [
            threading.Thread(target=read, args=(process.stdout, out, False), daemon=True),
            threading.Thread(target=read, args=(process.stderr, err, True), daemon=True),
        ]
        for reader in readers:
            reader.start()

        def finish() -> tuple[str, str]:
            for reader in readers:
                reader.join(timeout=30)
            return "".join(out), "".join(err)

        def full(stderr: str) -> ResticError:
            detail = "\n".join(stderr.strip().splitlines()[-5:])
            return ResticError(
                "disk_full",
                "The destination is full: the backup could not be written there.",
                detail.replace(self.password, "***"),
            )

        deadline = None if timeout is None else time.monotonic() + timeout
        low_since: float | None = None
        while True:
            try:
                process.wait(timeout=WATCH_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            else:
                stdout, stderr = finish()
                if process.returncode != 0 and (no_space or _free_bytes(folder) < FULL_BELOW_BYTES):
                    # restic 0.14 may end on a full disk with a Go panic whose last lines name
                    # no ENOSPC: a backup that failed with no space left there failed for that.
                    raise full(stderr)
                return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
            now = time.monotonic()
            if deadline is not None and now > deadline:
                process.kill()
                process.wait()
                finish()
                raise ResticError("unreachable", "restic did not answer in time.")
            if _free_bytes(folder) < FULL_BELOW_BYTES:
                low_since = now if low_since is None else low_since
            else:
                low_since = None
            since = min([*no_space, *([low_since] if low_since is not None else [])], default=None)
            if since is not None and now - since >= FULL_GRACE_SECONDS:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                raise full(finish()[1])

    def run(
        self,
        args: Sequence[str],
        *,
        cwd: Path | None = None,
        timeout: float | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run `restic ARGS` on this repository; ResticError (classified) when it fails."""
        command = [restic_binary(), "--no-cache", *self._options(), *args]
        # Only a backup writes much to the repository; reading one from a full disk is fine.
        folder = self.local_folder() if list(args[:1]) == ["backup"] else None
        if folder is None:
            try:
                done = subprocess.run(
                    command,
                    cwd=cwd,
                    env=self.env(),
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    stdin=subprocess.DEVNULL,
                )
            except subprocess.TimeoutExpired:
                raise ResticError("unreachable", "restic did not answer in time.") from None
        else:
            done = self._run_watching_space(command, folder, cwd=cwd, timeout=timeout)
        if done.returncode != 0:
            kind, message = classify(done.stderr)
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise ResticError(kind, message, tail.replace(self.password, "***"))
        return done

    def exists(self) -> bool:
        try:
            self.run(["cat", "config"], timeout=120)
        except ResticError as exc:
            if exc.kind == "no_repository":
                return False
            raise
        return True

    def init(self) -> None:
        self.run(["init"], timeout=300)

    def ensure(self) -> bool:
        """`restic init` on first use. Returns whether the repository was created now."""
        if self.exists():
            return False
        if not self.url.startswith(SCHEMES):
            Path(self.url).parent.mkdir(parents=True, exist_ok=True)
        self.init()
        return True

    def backup(self, paths: Sequence[str], *, cwd: Path, exclude: Sequence[str]) -> dict[str, Any]:
        """`restic backup --json`: its summary (files_new, data_added, snapshot_id, ...).

        To a folder of this machine (a USB disk), a dry run first says how much this backup
        adds; when the disk has not that much room, nothing is written and the destination is
        reported full at once, instead of restic filling the disk and retrying."""
        args = ["backup", "--json", "--tag", TAG]
        for pattern in exclude:
            args += ["--exclude", pattern]
        folder = self.local_folder()
        if folder is not None:
            needed = int(
                _summary(self.run([*args, "--dry-run", *paths], cwd=cwd)).get("data_added", 0)
            )
            free = _free_bytes(folder)
            if needed + HEADROOM_BYTES > free:
                raise ResticError(
                    "disk_full",
                    "The destination is full: the backup could not be written there.",
                    f"this backup adds {needed} bytes; {free} bytes are free there",
                )
        summary = _summary(done := self.run([*args, *paths], cwd=cwd))
        if not summary.get("snapshot_id"):
            raise ResticError("other", "restic made no snapshot.", done.stderr[-500:])
        return summary

    def snapshots(self) -> list[dict[str, Any]]:
        done = self.run(["snapshots", "--json", "--tag", TAG], timeout=300)
        found = json.loads(done.stdout or "[]")
        return sorted(found or [], key=lambda s: s.get("time", ""))

    def restore(self, snapshot: str, target: Path) -> None:
        args = ["restore", snapshot, "--target", str(target)]
        if snapshot == "latest":
            args += ["--tag", TAG]
        self.run(args)

    def check(self) -> None:
        self.run(["check"], timeout=3600)


def fingerprint(url: str) -> str:
    """A short stable name for a repository address (for temporary folders, never the URL)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


def _summary(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The summary message of `restic backup --json` ({} when it printed none)."""
    summary: dict[str, Any] = {}
    for line in done.stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("message_type") == "summary":
            summary = message
    return summary


def _free_bytes(folder: Path) -> int:
    """Free bytes on the disk that holds `folder` (or its nearest existing parent)."""
    path = folder
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return 1 << 62
