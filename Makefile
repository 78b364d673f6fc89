# Panjere: the two commands a newcomer needs are `make run` and `make test`.
#
# Every target is idempotent: the virtualenv is made once, packages are
# reinstalled only when pyproject.toml changed since the last install, and
# `migrate` / `demo_data` leave an up-to-date database as it is.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The embedded demo: SQLite, tasks run in-process, mail printed to the console.
# manage.py, wsgi and celery default to the production settings, so every target
# that runs them names these.
RUN_SETTINGS ?= config.settings.local
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="tests/accounts -x"`.
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
# `make db-roles`: the two PostgreSQL roles of DATABASE_URL (runtime) and DATABASE_MIGRATE_URL
# (owner), made by a superuser. The defaults are those the README's PostgreSQL test uses.
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PG_RUNTIME_URL ?= postgres://panjere_app@127.0.0.1:5432/panjere
PG_OWNER_URL ?= postgres://panjere_owner@127.0.0.1:5432/panjere

.PHONY: help install run test test-tools lint format worker beat messages graphs db-roles clean distclean \
	bundle bundle-check

help:
	@echo "make run     - install, migrate, load demo data, serve on http://$(HOST):$(PORT)/"
	@echo "make test    - install and run the whole test suite"
	@echo "make test-tools - install axe-core for the browser tests (npm ci in tests/e2e)"
	@echo "make lint    - ruff check and ruff format --check"
	@echo "make format  - ruff format and ruff check --fix"
	@echo "make worker  - a Celery worker (needs REDIS_URL)"
	@echo "make beat    - the Celery beat scheduler (needs REDIS_URL)"
	@echo "make messages - extract the Persian catalogue and compile it (needs gettext)"
	@echo "make graphs  - redraw docs/state-machines/*.svg from the models (needs graphviz)"
	@echo "make db-roles - create the PostgreSQL owner and runtime roles (as PG_ADMIN_URL)"
	@echo "make bundle  - rebuild static/js/sealing.js from frontend/ (needs Node.js 20+ and npm)"
	@echo "make bundle-check - fail if static/js/sealing.js is not what frontend/ builds to"
	@echo "make clean   - remove the demo database, media, static build and caches"
	@echo "make distclean - clean, and remove the virtualenv"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml is newer than the last successful install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/python manage.py demo_data
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# axe-core, which the browser tests run in every page they visit, comes from npm (test-only,
# never served). Without npm the browser tests skip with the reason (and fail in CI).
AXE := tests/e2e/node_modules/axe-core/axe.min.js

$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/e2e && npm ci --no-audit --no-fund && touch node_modules/axe-core/axe.min.js; \
	else \
		echo "npm not found: the browser tests will skip (apt-get install npm)"; \
	fi

test-tools: $(AXE)

test: install test-tools
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/celery -A config worker --loglevel=INFO

beat: install
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/celery -A config beat --loglevel=INFO

db-roles: install
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) DATABASE_URL=$${DATABASE_URL:-$(PG_RUNTIME_URL)} \
		DATABASE_MIGRATE_URL=$${DATABASE_MIGRATE_URL:-$(PG_OWNER_URL)} \
		$(BIN)/python manage.py dbroles create --admin-url $(PG_ADMIN_URL)

messages: install
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/python manage.py makemessages -l fa --no-obsolete
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/python manage.py compilemessages -l fa

clean:
	rm -rf db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm media staticfiles \
		test-artifacts .ruff_cache .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) tests/e2e/node_modules

# The browser sealing bundle is committed, so `make run` never needs Node. After changing
# frontend/src or its packages, rebuild it and commit static/js/sealing.js with the change.
bundle:
	cd frontend && npm ci --no-audit --no-fund && npm run build

bundle-check:
	cd frontend && npm ci --no-audit --no-fund && npm run check-bundle

graphs: install
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/python manage.py graph_transitions suppliers.Supplier -o docs/state-machines/supplier.svg
	DJANGO_SETTINGS_MODULE=$(RUN_SETTINGS) $(BIN)/python manage.py graph_transitions tenders.Tender -o docs/state-machines/tender.svg
