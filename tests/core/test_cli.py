"""The `aigaq` command as a newcomer meets it: reachable from the checkout, and `aigaq help`
listing Aigaq's own commands before Django's maintenance ones."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

from aigaq import cli

REPO = Path(__file__).resolve().parents[2]


def _sections(text: str) -> tuple[str, str]:
    ours, _, theirs = text.partition("Django maintenance commands")
    return ours, theirs


def test_help_lists_aigaqs_own_commands_with_one_line_each(capsys) -> None:
    assert cli.main(["help"]) == 0
    ours, theirs = _sections(capsys.readouterr().out)
    own = sorted(name for name, app in get_commands().items() if app.startswith("aigaq."))
    assert {"init", "serve", "search", "import", "gazetteer"} <= set(own)
    for name in own:
        lines = [line for line in ours.splitlines() if line.split()[:1] == [name]]
        assert len(lines) == 1, (name, ours)
        described = lines[0].split(None, 1)
        assert len(described) == 2 and len(lines[0]) <= 100, lines[0]
    assert "Create or upgrade the encrypted database" in ours


def test_help_puts_djangos_maintenance_commands_apart_at_the_end(capsys) -> None:
    cli.main(["--help"])
    ours, theirs = _sections(capsys.readouterr().out)
    for name in ("flush", "migrate", "dbshell", "createsuperuser"):
        assert name not in ours.split(), name
        assert name in theirs, name


def test_help_for_one_command_is_that_commands_help(capsys) -> None:
    cli.main(["help", "gazetteer"])
    out = capsys.readouterr().out
    assert "--if-empty" in out and "Aigaq commands" not in out


def test_the_summary_of_a_long_help_text_is_its_first_sentence_cut_to_one_line() -> None:
    text = (
        "Find pairs of entries that look like the same person (names across scripts, birth year), "
        "store them as candidates for review on /duplicates/, and print them. Pairs marked..."
    )
    assert cli.summary(text) == "Find pairs of entries that look like the same person."


@pytest.mark.skipif(not (REPO / ".venv" / "bin" / "aigaq").exists(), reason="needs `make install`")
def test_the_wrapper_at_the_root_runs_the_command_of_the_checkout(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AIGAQ_DATA_DIR"}
    result = subprocess.run(
        [str(REPO / "aigaq.sh"), "help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Aigaq commands:" in result.stdout


def test_the_readme_says_how_to_reach_the_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "./aigaq.sh help" in readme
    assert ".venv/bin/aigaq" in readme
