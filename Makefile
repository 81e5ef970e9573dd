# Colloquy: `make run` serves the site, `make test` runs the whole suite.
# Both set themselves up on a machine with only Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEV_ENV := DEBUG=1

.PHONY: run test lint format install migrate browser clean check-html bench prod-local

$(STAMP): requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $(STAMP)

install: $(STAMP)

# axe-core and vnu-jar for the browser tests (package-lock.json). --ignore-scripts: vnu-jar's
# install script would download a Java runtime; the checker runs on the system's.
node_modules: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch node_modules

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

run: migrate
	@$(DEV_ENV) $(BIN)/python manage.py demo_editor
	@$(DEV_ENV) $(BIN)/python manage.py welcome --base-url http://$(HOST):$(PORT)
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install node_modules
	$(BIN)/python -m pytest -n auto

# docs/deploy.md's production shape on this machine: two web nodes (ports 8001 and 8002), PostgreSQL
# (colloquy_prodlocal, made afresh), Redis, a Celery worker; Ctrl-C stops them all.
prod-local: install
	.ci/prod-local --serve

check-html: install node_modules
	$(BIN)/python -m pytest -q tests/browser/test_valid_html.py

# The site under its production command, measured with wrk (bench/run.py, bench/README.md): SQLite
# by default; PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set.
bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 db.sqlite3-shm db.sqlite3-wal celerybeat-schedule*
