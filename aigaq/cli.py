"""The `aigaq` console command: Django's management commands with a key check in front.

aigaq init          create the data folder, the key (outside it) and the database
aigaq serve         serve the staff interface on http://127.0.0.1:8000
aigaq demo          generate synthetic demo data
aigaq createadmin   create an administrator and print a one-time password
aigaq key shares    print the database key as shares for paper (any two of three rebuild it)
aigaq lock          remove the key from this machine and stop serving
aigaq unlock        bring the key back from two shares
aigaq help          Aigaq's commands, one line each; Django's maintenance commands apart

From a checkout, `./aigaq` (a wrapper at the repository root) runs `.venv/bin/aigaq`.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path
from typing import TextIO

NO_DATABASE = {
    "help",
    "--help",
    "-h",
    "version",
    "--version",
    "init",
    "lock",
    "unlock",
    "check",
    "makemigrations",
    "makemessages",
    "compilemessages",
    # A restore goes into an empty data folder: there is no database yet.
    "restore",
}
HELP = {"help", "--help", "-h"}
SUMMARY_WIDTH = 88


def summary(text: str, width: int = SUMMARY_WIDTH) -> str:
    """A command's help in one line: its first sentence without asides in parentheses; when
    that is still too long, the sentence up to its first colon, else up to a comma.

    >>> summary("Load the gazetteer of places (Xinjiang, Kazakhstan) into the database. Safe.")
    'Load the gazetteer of places into the database.'
    >>> summary("Find places by any of their names, in any script: " + "Shihezi, 石河子 " * 9)
    'Find places by any of their names, in any script.'
    """
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z`])", text, maxsplit=1)[0]
    first = re.sub(r"\s*\([^()]*\)", "", first)
    if len(first) > width:
        head = re.split(r"[:;]\s", first, maxsplit=1)[0]
        if head == first or len(head.split()) < 3:
            head = first[:width].rsplit(", ", 1)[0]
        if len(head.split()) >= 3:
            first = head.rstrip(".") + "."
    return textwrap.shorten(first, width=width, placeholder="…")


def print_help(prog: str = "aigaq", out: TextIO | None = None) -> None:
    """Aigaq's own commands with one line each, then Django's maintenance commands apart."""
    from django.core.management import get_commands, load_command_class

    out = out or sys.stdout
    ours: list[tuple[str, str]] = []
    theirs: list[str] = []
    for name, app in sorted(get_commands().items()):
        if app.startswith("aigaq."):
            ours.append((name, summary(str(load_command_class(app, name).help))))
        else:
            theirs.append(name)
    pad = max((len(n) for n, _ in ours), default=0) + 2
    lines = [
        f"Usage: {prog} <command> [options]   ({prog} <command> --help says more)",
        "",
        "Aigaq commands:",
        *(f"  {name.ljust(pad)}{line}" for name, line in ours),
        "",
        "Django maintenance commands (for operators; `flush` erases every record):",
        textwrap.fill(", ".join(theirs), width=96, initial_indent="  ", subsequent_indent="  "),
    ]
    out.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None, prog: str = "aigaq") -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from aigaq.core import keys

    command = argv[0] if argv else "help"
    if command == "serve" and "--production" in argv and not HELP.intersection(argv):
        # Read by the settings, which are read once: production settings come only from the
        # environment (config/settings.py, docs/deploy.md).
        os.environ["AIGAQ_PRODUCTION"] = "1"
    try:
        return _run(argv, command, prog)
    except keys.ConfigurationError as exc:
        print(f"aigaq: {exc}", file=sys.stderr)
        return 2


def _run(argv: list[str], command: str, prog: str) -> int:
    from django.core.management import execute_from_command_line

    from aigaq.core import keys

    if command in HELP and len(argv) <= 1:
        import django

        django.setup()
        print_help(prog)
        return 0
    if command not in NO_DATABASE and "--help" not in argv and not keys.env_or_file("DATABASE_URL"):
        from django.conf import settings

        # The database the settings name (a test's worker names the test database).
        database = Path(settings.DATABASES["default"]["NAME"])
        try:
            keys.load_key(keys.key_source(), keys.data_dir(), database=database)
        except keys.DatabaseKeyError as exc:
            print(f"aigaq: {exc}", file=sys.stderr)
            return 2
        if not database.exists():
            print(
                f"aigaq: there is no database yet ({database}): run `{prog} init` first "
                "(or `make run`), which creates and migrates it.",
                file=sys.stderr,
            )
            return 2
    execute_from_command_line([prog, *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
