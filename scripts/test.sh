#!/usr/bin/env bash
# The whole suite. Runs on SQLCipher always, then on PostgreSQL when 127.0.0.1:5432 answers
# (in CI, where CI=true, PostgreSQL must answer).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The suite never touches a volunteer's real data folder or key.
export AIGAQ_DATA_DIR="$tmp/data" XDG_CONFIG_HOME="$tmp/config" AIGAQ_SECRET_KEY=test-secret-not-for-production
export AIGAQ_DB_KEY=abababababababababababababababababababababababababababababababab
mkdir -p "$AIGAQ_DATA_DIR"
unset DATABASE_URL

echo "== migrations are up to date"
$BIN/aigaq makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run 'aigaq makemigrations -n <name>'"; exit 1; }
echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== mypy"
$BIN/mypy aigaq config
echo "== layers (import-linter: pyproject.toml [tool.importlinter], docs/architecture.md)"
$BIN/lint-imports --no-cache
workers=${AIGAQ_TEST_WORKERS:-2}
echo "== tests on SQLCipher"
$BIN/pytest -n "$workers" -q -p no:cacheprovider --durations=40 "$@"

pg_up() { $BIN/python - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(2)
try:
    s.connect(("127.0.0.1", 5432))
except OSError:
    sys.exit(1)
PY
}
if pg_up; then
  echo "== tests on PostgreSQL"
  DATABASE_URL=${AIGAQ_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test} \
    $BIN/pytest -n "$workers" -q -p no:cacheprovider --durations=40 "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432, and CI must test on it." >&2
  exit 1
else
  echo "== PostgreSQL does not answer on 127.0.0.1:5432: skipped the PostgreSQL run (CI requires it)."
fi
