#!/usr/bin/env bash
# Benchmarks: each prints its own figures. Never part of `make test`.
# BENCH_PEOPLE (default 1000000) scales the person-count benchmarks down for a quick look.
# BENCH_MEDIA_MB (default 1024) is the size of the file bench/media_bench.py ingests and seeks
# in (it needs about three times that on the disk of TMPDIR, for a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export AIGAQ_DATA_DIR="$tmp/data" XDG_CONFIG_HOME="$tmp/config" AIGAQ_SECRET_KEY=bench-secret
export AIGAQ_DB_KEY=$(python3 -c "import secrets; print(secrets.token_hex(32))")
mkdir -p "$AIGAQ_DATA_DIR"
# The public server's saturation figure is measured with wrk (bench/public_load.py).
if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null \
    || echo "wrk could not be installed: bench/public_load.py measures with its own threads"
fi
status=0
for b in bench/*.py; do
  case "$(basename "$b")" in _*) continue ;; esac
  echo "=== $b"
  .venv/bin/python "$b" || { echo "!!! $b failed"; status=1; }
done
exit $status
