# Passerelle: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in feeds, JSON-LD and e-mails point at the address `make run` serves, unless set.
SITE_URL ?= http://$(HOST):$(PORT)
PASSWORD ?= passerelle-demo
# Test processes (pytest-xdist): one per core; PYTEST_WORKERS=0 runs the suite in this process.
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help check-python install install-dev run test lint format migrations-check deploy-check messages prod-check backup-check

help:
	@echo "make run    - install, migrate the SQLite database under var/, load demo data, serve on $(HOST):$(PORT)"
	@echo "make test   - install the test tools and run the whole suite"
	@echo "make lint   - ruff check, format check and the import contracts"
	@echo "make messages - extract and compile the FR/NL/EN translations"
	@echo "make prod-check   - gunicorn + a task worker with production settings on PostgreSQL and Redis, smoke-tested"
	@echo "make backup-check - dump the prod-check database, restore it into a scratch one, compare"

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || { \
	  echo "Passerelle needs Python 3.12 or newer, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Install Python 3.12+ and run again, for example: make run PYTHON=python3.12"; \
	  exit 1; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
	  echo "The virtualenv $(VENV) uses an older Python; recreating it."; rm -rf $(VENV); fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: check-python $(VENV)/.installed
install-dev: check-python $(VENV)/.installed-dev

run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_item_bank
	$(BIN)/python manage.py seed_demo --password "$(PASSWORD)"
	@echo "Passerelle is served on http://$(HOST):$(PORT)/ with a background task worker (Ctrl+C stops both); links use $(SITE_URL)"
	@SITE_URL="$(SITE_URL)" $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  SITE_URL="$(SITE_URL)" $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: install-dev
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

prod-check: install
	deploy/prod-check.sh

backup-check:
	deploy/backup-check.sh
