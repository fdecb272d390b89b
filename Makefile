# Two commands set everything up: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Exported: the settings derive the site's address (SITE_URL) from it when it is not set.
PORT ?= 8000
export PORT
PROCFILE ?= Procfile.local
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install run dev setup serve test mutants lint format messages translations check clean bench lighthouse

help:
	@echo "make run    – install, migrate, load the association's content, serve http://127.0.0.1:$(PORT) as production does"
	@echo "make dev    – the same with DEBUG=1 and Django's reloading development server"
	@echo "make test   – install and run every test"
	@echo "make mutants – make each slip in mutants/slips.toml and check the tests catch it"
	@echo "make lint   – ruff check + format check;  make format – apply ruff format"
	@echo "make messages – refresh and compile the translations"
	@echo "make bench  – load-test the production server against Django's floor, then Lighthouse (README: Wydajność)"
	@echo "make lighthouse – Lighthouse alone: home page, an event, an article; phone and desktop"

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
	@echo "==> Writing .env with a new SECRET_KEY"
	@printf 'SECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

# Compiled in Python (polib): a fresh server has no gettext.
translations: install
	@$(MANAGE) compile_translations --verbosity=0

setup: install .env translations
	@mkdir -p data
	@echo "==> Applying database migrations"
	@$(MANAGE) migrate --noinput --verbosity=0
	@echo "==> Loading the association's content (keeps editors' changes)"
	@$(MANAGE) load_association_content
	@echo "==> Collecting static files"
	@$(MANAGE) collectstatic --noinput --verbosity=0
	@$(MANAGE) ensure_admin

# The web server and the mail worker (which e-mails residents' messages to the board) run
# together under honcho; Ctrl+C stops both. The worker restarts itself if it stops.
# `make run`: DEBUG off, gunicorn, static files from WhiteNoise, Polish 404/500 pages, as in
# production (Procfile.local). `make dev`: DEBUG on, Django's reloading server (Procfile.dev).
# Set here rather than in .env, which an older checkout may have written with DEBUG=1.
run: export DEBUG = 0
run: PROCFILE = Procfile.local
dev: export DEBUG = 1
dev: PROCFILE = Procfile.dev

serve:
	@echo "==> Serving http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/; DEBUG=$(DEBUG); Ctrl+C stops)"
	@$(BIN)/honcho --no-colour -f $(PROCFILE) start --port $(PORT)

run: setup serve
dev: setup serve

test: install test-tools
	@$(MANAGE) compile_translations --verbosity=0 --settings=tests.settings
	@$(BIN)/pytest $(PYTEST_ARGS)

# Breaks the code on purpose, one realistic slip at a time (mutants/slips.toml), in a copy of the
# tree, and fails unless the tests catch every slip. With DATABASE_URL=postgres://… the slips
# only PostgreSQL can show are tried too. MUTANTS_ARGS="--only cache-" for some of them.
mutants: install
	@$(MANAGE) compile_translations --verbosity=0 --settings=tests.settings
	@$(BIN)/python mutants/run.py $(MUTANTS_ARGS)

# --- Browser tests (tests/browser/): Debian's Chromium, axe-core and the Nu HTML Checker. ---
CHROMIUM ?= /usr/bin/chromium
JAVA ?= /usr/bin/java
ESPEAK ?= /usr/bin/espeak-ng
DOVECOT ?= /usr/sbin/dovecot
NGINX ?= /usr/sbin/nginx
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: browser-test-tools test-tools
browser-test-tools: $(CHROMIUM) $(JAVA) $(ESPEAK) node_modules/.installed

# Everything the tests start: the browser tools, a real IMAP server and nginx.
test-tools: browser-test-tools $(DOVECOT) $(NGINX)

# nginx in front of gunicorn, with the shipped config (docker/nginx/plac-nzs.conf), started by
# tests/test_proxy.py, the two-node fault test and `make bench` themselves, unprivileged, on free ports.
$(NGINX):
	@echo "==> $(NGINX) is missing: installing Debian's nginx for the proxy tests and the benchmark"
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y nginx

# The tests read residents' answers from a real IMAP server: Debian's Dovecot, started by the
# tests themselves with their own configuration on a free port (tests/imap_server.py).
$(DOVECOT):
	@echo "==> $(DOVECOT) is missing: installing Dovecot (IMAP) for the mailbox tests"
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y dovecot-imapd

# Debian's own browser: Playwright's browser downloads are not used (nor reachable here).
$(CHROMIUM):
	@echo "==> $(CHROMIUM) is missing: installing Debian's Chromium for the browser tests"
	@echo "    $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium"
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium

# espeak-ng reads the contact form's question aloud in Polish (its test needs it).
$(ESPEAK):
	@echo "==> $(ESPEAK) is missing: installing espeak-ng for the spoken captcha question"
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y espeak-ng

# The Nu HTML Checker is a Java program.
$(JAVA):
	@echo "==> $(JAVA) is missing: installing a Java runtime for the Nu HTML Checker"
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y default-jre-headless

# axe-core and vnu-jar, pinned by package-lock.json; reinstalled only when the lock changes.
node_modules/.installed: package.json package-lock.json
	@echo "==> Installing axe-core, the Nu HTML Checker and Lighthouse from npm (npm ci)"
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
	@$(MANAGE) compile_translations

check: install
	@$(MANAGE) check
	@$(MANAGE) makemigrations --check --dry-run

# The benchmark (bench/run.py): its own database under bench/results/tmp, gunicorn with DEBUG=0,
# nginx in front of it (bench/proxy.py), wrk from Debian's packages. BENCH_ARGS="--db both --duration 5" for PostgreSQL too / quicker.
# Then Lighthouse 12 (npm, pinned by package-lock.json) on the home page, an event and an article,
# phone and desktop, with Debian's Chromium (bench/lighthouse.py); it fails below 100.
bench: install $(NGINX) $(CHROMIUM) node_modules/.installed
	@command -v wrk >/dev/null || { echo "==> Installing wrk (Debian package)"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }
	@$(MANAGE) compile_translations --verbosity=0 --settings=tests.settings
	@$(BIN)/python bench/run.py $(BENCH_ARGS)
	@$(BIN)/python bench/lighthouse.py

lighthouse: install $(CHROMIUM) node_modules/.installed
	@$(MANAGE) compile_translations --verbosity=0 --settings=tests.settings
	@$(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules test-artifacts
