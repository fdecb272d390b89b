# Two commands set everything up: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install run setup serve test lint format messages check clean bench

help:
	@echo "make run    – install, migrate, load the association's content, serve http://127.0.0.1:$(PORT)"
	@echo "make test   – install and run every test"
	@echo "make lint   – ruff check + format check;  make format – apply ruff format"
	@echo "make messages – refresh and compile the translations"
	@echo "make bench  – load-test the production server against Django's floor (README: Wydajność)"

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

# The web server and the mail worker (which e-mails residents' messages to the board) run
# together under honcho (Procfile.local); Ctrl+C stops both, and if one dies the other stops too.
serve:
	@echo "==> Serving http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/; Ctrl+C stops)"
	@$(BIN)/honcho --no-colour -f Procfile.local start --port $(PORT)

run: setup serve

test: install
	@$(MANAGE) compilemessages --ignore=.venv --verbosity=0 --settings=tests.settings
	@$(BIN)/pytest $(PYTEST_ARGS)

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

# The benchmark (bench/run.py): its own database under bench/results/tmp, gunicorn with DEBUG=0,
# wrk from Debian's packages. BENCH_ARGS="--db both --duration 5" for PostgreSQL too / quicker.
bench: install
	@command -v wrk >/dev/null || { echo "==> Installing wrk (Debian package)"; apt-get update -qq && apt-get install -y -qq wrk; }
	@$(MANAGE) compilemessages --ignore=.venv --verbosity=0
	@$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
