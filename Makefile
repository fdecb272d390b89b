# Two commands set everything up: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install run setup serve test lint format messages check clean

help:
	@echo "make run    – install, migrate, load the association's content, serve http://127.0.0.1:$(PORT)"
	@echo "make test   – install and run every test"
	@echo "make lint   – ruff check + format check;  make format – apply ruff format"
	@echo "make messages – refresh and compile the translations"

# The venv is rebuilt only when the pinned requirements change.
$(BIN)/.installed: requirements.lock pyproject.toml
	@echo "==> Creating the virtual environment in $(VENV) and installing pinned packages (first run takes a minute)…"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

install: $(BIN)/.installed

# A local .env with a fresh secret key, written once and never committed.
.env:
	@echo "==> Writing .env with a new SECRET_KEY (local development settings)"
	@printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

setup: install .env
	@mkdir -p data
	@echo "==> Compiling translations"
	@$(MANAGE) compilemessages --ignore=.venv --verbosity=0
	@echo "==> Applying database migrations"
	@$(MANAGE) migrate --noinput --verbosity=0
	@echo "==> Loading the association's content (keeps editors' changes)"
	@$(MANAGE) load_association_content
	@echo "==> Collecting static files"
	@$(MANAGE) collectstatic --noinput --verbosity=0
	@$(MANAGE) ensure_admin

serve:
	@echo "==> Serving http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/; Ctrl+C stops)"
	@$(BIN)/gunicorn stowarzyszenie.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

run: setup serve

test: install browser-test-tools
	@$(MANAGE) compilemessages --ignore=.venv --verbosity=0 --settings=tests.settings
	@$(BIN)/pytest $(PYTEST_ARGS)

# --- Browser tests (tests/browser/): Debian's Chromium, axe-core and the Nu HTML Checker. ---
CHROMIUM ?= /usr/bin/chromium
JAVA ?= /usr/bin/java
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: browser-test-tools
browser-test-tools: $(CHROMIUM) $(JAVA) node_modules/.installed

# Debian's own browser: Playwright's browser downloads are not used (nor reachable here).
$(CHROMIUM):
	@echo "==> $(CHROMIUM) is missing: installing Debian's Chromium for the browser tests"
	@echo "    $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium"
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium

# The Nu HTML Checker is a Java program.
$(JAVA):
	@echo "==> $(JAVA) is missing: installing a Java runtime for the Nu HTML Checker"
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y default-jre-headless

# axe-core and vnu-jar, pinned by package-lock.json; reinstalled only when the lock changes.
node_modules/.installed: package.json package-lock.json
	@echo "==> Installing axe-core and the Nu HTML Checker from npm (npm ci)"
	@npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

lint: install
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

format: install
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

messages: install
	@$(MANAGE) makemessages -l pl -l en --ignore=.venv --ignore=node_modules --no-obsolete
	@$(MANAGE) compilemessages --ignore=.venv

check: install
	@$(MANAGE) check
	@$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules test-artifacts
