"""A data folder of the test's own, media files, and a real SFTP server on loopback (sshd
started by the test with a host key, a client key and a config of its own)."""

from __future__ import annotations

import getpass
import io
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aigaq.media.models import MediaFile
from aigaq.media.services import media_ingest

SSHD = "/usr/sbin/sshd"


@pytest.fixture
def data_folder(settings: Any, tmp_path: Path) -> Path:
    """DATA_DIR and its media folder, as a backup expects them."""
    folder = tmp_path / "data"
    folder.mkdir()
    settings.DATA_DIR = folder
    settings.MEDIA_ROOT = str(folder / "media")
    return folder


def add_media(n: int, size: int = 2048) -> list[MediaFile]:
    """`n` originals of random bytes, ingested (sealed) through the real service."""
    return [
        media_ingest(
            actor=None,
            fileobj=io.BytesIO(os.urandom(size)),
            original_name=f"document-{i}.bin",
            kind=MediaFile.Kind.OTHER,
        )
        for i in range(n)
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SftpServer:
    url_of: Any  # folder name -> restic sftp address
    root: Path
    process: subprocess.Popen[bytes]


@pytest.fixture
def sftp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SftpServer]:
    """sshd -D on a free loopback port, as the current user, key authentication only; the
    backup's ssh is pointed at it through AIGAQ_BACKUP_SSH_CONFIG."""
    if not Path(SSHD).exists() or shutil.which("ssh") is None:
        pytest.fail("sshd and ssh are needed (scripts/system-deps.sh installs them)")
    base = tmp_path / "sftp"
    base.mkdir()
    os.chmod(base, 0o700)
    keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", ""]
    subprocess.run([*keygen, "-f", str(base / "host_key")], check=True)
    subprocess.run([*keygen, "-f", str(base / "client_key")], check=True)
    shutil.copy(base / "client_key.pub", base / "authorized_keys")
    port = _free_port()
    user = getpass.getuser()
    (base / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {base / 'host_key'}\n"
        f"AuthorizedKeysFile {base / 'authorized_keys'}\nPidFile {base / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nPermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n"
        f"AllowUsers {user}\nLogLevel ERROR\n"
    )
    host_key = (base / "host_key.pub").read_text().split()
    (base / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    (base / "ssh_config").write_text(
        f"Host *\n  IdentityFile {base / 'client_key'}\n  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {base / 'known_hosts'}\n  StrictHostKeyChecking yes\n"
        "  BatchMode yes\n  ConnectTimeout 10\n"
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
    process = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(base / "sshd_config")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                err = process.stderr.read() if process.stderr else b""
                process.kill()
                pytest.fail(f"sshd did not start: {err.decode(errors='replace')}")
            time.sleep(0.1)
    monkeypatch.setenv("AIGAQ_BACKUP_SSH_CONFIG", str(base / "ssh_config"))
    root = tmp_path / "sftp-repos"
    root.mkdir()

    def url_of(name: str) -> str:
        return f"sftp://{user}@127.0.0.1:{port}/{root / name}"

    try:
        yield SftpServer(url_of=url_of, root=root, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
