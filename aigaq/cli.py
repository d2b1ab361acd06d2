"""The `aigaq` console command: Django's management commands with a key check in front.

aigaq init          create the data folder, the key (outside it) and the database
aigaq serve         serve the staff interface on http://127.0.0.1:8000
aigaq demo          generate synthetic demo data
aigaq createadmin   create an administrator and print a one-time password
aigaq help          every command
"""

from __future__ import annotations

import os
import sys

NO_DATABASE = {
    "help",
    "--help",
    "-h",
    "version",
    "--version",
    "init",
    "makemigrations",
    "makemessages",
    "compilemessages",
}


def main(argv: list[str] | None = None, prog: str = "aigaq") -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from aigaq.core import keys

    command = argv[0] if argv else "help"
    if command not in NO_DATABASE and "--help" not in argv and not os.environ.get("DATABASE_URL"):
        try:
            keys.load_key(keys.key_source(), keys.data_dir())
        except keys.DatabaseKeyError as exc:
            print(f"aigaq: {exc}", file=sys.stderr)
            return 2
    try:
        execute_from_command_line([prog, *argv])
    except keys.DatabaseKeyError as exc:
        print(f"aigaq: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
