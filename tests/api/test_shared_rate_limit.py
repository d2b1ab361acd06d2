"""The API's rate limit is one limit for every server process: counted in the "shared" cache,
a table of the database, not in each process's memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

# One server process: sets the limit, takes the token by its id and asks the rate limit
# `n` times, printing "ok" or "429" for each.
SERVER = """
import sys, django
django.setup()
from django.conf import settings
settings.AIGAQ_API_RATE = 5
settings.AIGAQ_API_RATE_WINDOW = 10**9  # one window for the whole test: no boundary to cross
from aigaq.api.auth import rate_limit
from aigaq.api.errors import ApiError
from aigaq.api.models import ApiToken
token = ApiToken.objects.get(pk=sys.argv[1])
for _ in range(int(sys.argv[2])):
    try:
        rate_limit(token)
        print("ok")
    except ApiError as exc:
        print(exc.status)
"""


def _serve(env: dict[str, str], token_id: str, n: int) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SERVER, token_id, str(n)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_two_server_processes_share_one_rate_limit(worker_env: dict[str, str], viewer: Any) -> None:
    from aigaq.api.models import ApiToken
    from aigaq.api.services import api_token_create

    api_token_create(actor=None, user=viewer, scopes=("internal:read",), days=30)
    token_id = str(ApiToken.objects.get().pk)
    # Three requests in the first process, three in the second: a limit of five per token
    # lets the first three and two more through, wherever they were served.
    assert _serve(worker_env, token_id, 3) == ["ok", "ok", "ok"]
    assert _serve(worker_env, token_id, 3) == ["ok", "ok", "429"]


def test_the_shared_cache_is_a_table_of_the_database(db: Any) -> None:
    from django.conf import settings
    from django.db import connection

    assert settings.CACHES["shared"]["BACKEND"].endswith("DatabaseCache")
    assert settings.CACHES["shared"]["LOCATION"] in connection.introspection.table_names()
