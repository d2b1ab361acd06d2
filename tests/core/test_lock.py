"""The lock file that `make install` installs from keeps up with pyproject.toml: a dependency
added to pyproject.toml without `make lock` fails here, not on a volunteer's laptop."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    ]


def locked() -> tuple[dict[str, set[Version]], dict[str, int]]:
    versions: dict[str, set[Version]] = defaultdict(set)
    hashes: dict[str, int] = defaultdict(int)
    current = ""
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            versions[current].add(Version(match.group(2)))
        elif line.strip().startswith("--hash=sha256:") and current:
            hashes[current] += 1
    return versions, hashes


def test_every_dependency_of_pyproject_is_locked_at_a_version_it_allows() -> None:
    versions, _ = locked()
    stale = []
    for requirement in project_requirements():
        name = canonicalize_name(requirement.name)
        found = versions.get(name, set())
        if not found or not all(requirement.specifier.contains(v, prereleases=True) for v in found):
            stale.append(f"{requirement} (locked: {sorted(map(str, found)) or 'nothing'})")
    assert not stale, "requirements.lock is behind pyproject.toml, run `make lock`: " + ", ".join(
        stale
    )


def test_every_locked_package_carries_its_hashes() -> None:
    versions, hashes = locked()
    assert versions
    assert [name for name in versions if not hashes.get(name)] == []


def test_the_encryption_and_the_match_key_libraries_are_pinned_exactly() -> None:
    pinned = {
        canonicalize_name(r.name): str(r.specifier)
        for r in project_requirements()
        if r.name in {"sqlcipher3", "pyrage", "pypinyin"}
    }
    assert set(pinned) == {"sqlcipher3", "pyrage", "pypinyin"}
    assert all(spec.startswith("==") and "," not in spec for spec in pinned.values()), pinned
