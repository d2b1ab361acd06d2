#!/bin/sh
# `./aigaq.sh help`: Aigaq's console command from this checkout, without activating the virtual
# environment (`.venv/bin/aigaq` is the same command; `. .venv/bin/activate` puts `aigaq` on the
# PATH of this shell). The data folder defaults to ./var here, wherever you run it from, as with
# `make run`. (The name `./aigaq` is taken by the Python package folder.)
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$here/.venv/bin/aigaq" ]; then
    echo "aigaq: not installed in this checkout yet: run \`make install\` (or \`make run\`) first." >&2
    exit 1
fi
AIGAQ_DATA_DIR=${AIGAQ_DATA_DIR:-$here/var}
export AIGAQ_DATA_DIR
exec "$here/.venv/bin/aigaq" "$@"
