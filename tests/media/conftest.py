from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def archive(settings: Any, tmp_path: Path) -> Path:
    """An empty media folder of its own for the test; returns MEDIA_ROOT."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    settings.DATA_DIR = tmp_path / "data"
    return root


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".encrypt"))


def holds_bytes(root: Path, needle: bytes) -> bool:
    """Does any file under root contain `needle` (a clear byte sequence of a test file)?"""
    return any(needle in p.read_bytes() for p in files_under(root))
