# syntax=docker/dockerfile:1
# One image for the web server and the mail worker:
#   docker run IMAGE            -> web (migrate, then gunicorn on port 8000)
#   docker run IMAGE worker     -> the board's e-mails (manage.py db_worker --backend mail)
#   --target proxy              -> nginx with the page cache and the static files, in front of web
# See README.md, "Wdrożenie (Docker Compose)".
#
# Build arguments and secrets (all optional):
#   --build-arg BASE_IMAGE=…         any Debian 12/13 or Ubuntu 24.04 image (default debian:bookworm-slim);
#                                    a python:3.x-slim image works too
#   --build-arg PIP_INDEX_URL=…      a package index other than PyPI (no credentials here: see pip_conf)
#   --secret id=pip_conf,src=…       a pip configuration file (index with credentials, proxies)
#   --secret id=ca_bundle,src=…      a CA bundle for pip, e.g. behind a TLS-inspecting proxy

ARG BASE_IMAGE=debian:bookworm-slim

# ---- build: install the pinned packages, compile translations, collect static files ----
FROM ${BASE_IMAGE} AS build

ARG PIP_INDEX_URL=
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# Debian's own Python unless the base image brings one (python:3.x-slim).
# hadolint ignore=DL3008
RUN if ! python3 -c 'import ensurepip' 2>/dev/null; then \
        apt-get update \
        && apt-get install -y --no-install-recommends python3 python3-venv \
        && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /app
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# Only the runtime dependencies from pyproject.toml, at the versions in requirements.lock
# (the lock also pins the test tools, which the image does not need).
# pip and setuptools are uninstalled at the end: the final image runs the project, it
# installs nothing.
COPY pyproject.toml requirements.lock ./
RUN --mount=type=secret,id=pip_conf --mount=type=secret,id=ca_bundle \
    if [ -s /run/secrets/pip_conf ]; then export PIP_CONFIG_FILE=/run/secrets/pip_conf; fi \
    && if [ -s /run/secrets/ca_bundle ]; then export PIP_CERT=/run/secrets/ca_bundle; fi \
    && if [ -n "$PIP_INDEX_URL" ]; then export PIP_INDEX_URL; else unset PIP_INDEX_URL; fi \
    && python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.runtime.txt \
    && pip install -r requirements.runtime.txt -c requirements.lock \
    && rm requirements.runtime.txt \
    && pip uninstall -y pip setuptools

COPY . .
# Settings need a key to load; this one exists only during the build. Translations are
# compiled in Python (polib), so no gettext either.
RUN SECRET_KEY=build-only-not-secret python manage.py compile_translations --verbosity=0 \
    && SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput --verbosity=0 \
    && python -m compileall -q -j0 /app

# ---- proxy: nginx in front of the web container (compose.yaml's `proxy` service) ----
# The page cache and the static files of this very build, so nginx and the app always agree on
# the files' hashed names. docker/nginx/plac-nzs.conf with its placeholders filled in.
FROM ${BASE_IMAGE} AS proxy
COPY --from=build /app/staticfiles /srv/plac-nzs/static
COPY docker/nginx/plac-nzs.conf /etc/nginx/conf.d/plac-nzs.conf
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
    && sed -i -e 's|@LISTEN@|8080|' -e 's|@UPSTREAM@|server web:8000;|' \
        -e 's|@CACHE_PATH@|/var/cache/nginx/plac-nzs|' -e 's|@STATIC_ROOT@|/srv/plac-nzs/static|' \
        -e 's|@MEDIA_ROOT@|/srv/plac-nzs/media|' /etc/nginx/conf.d/plac-nzs.conf \
    && mkdir -p /var/cache/nginx/plac-nzs /srv/plac-nzs/media \
    && chown www-data:www-data /var/cache/nginx/plac-nzs \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 8080
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]

# ---- final: Python, the virtual environment and the project; no compilers, no pip ----
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=stowarzyszenie.settings \
    PORT=8000 \
    GUNICORN_HOST=0.0.0.0 \
    MEDIA_ROOT=/app/media \
    HOME=/app

# Python (as in the build stage) and espeak-ng, which reads the contact form's question aloud.
# hadolint ignore=DL3008
RUN apt-get update \
    && if ! command -v python3 >/dev/null; then \
        apt-get install -y --no-install-recommends python3; fi \
    && apt-get install -y --no-install-recommends espeak-ng \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 plac \
    && useradd --system --uid 10001 --gid plac --home-dir /app --shell /usr/sbin/nologin plac

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
# The media volume and data/ are the only places the unprivileged user writes to.
RUN mkdir -p /app/media /app/data && chown plac:plac /app/media /app/data

USER 10001:10001
EXPOSE 8000
VOLUME ["/app/media"]

# Web: /healthz. Worker: the database answers and no e-mail is overdue (docker/worker_health.py).
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
    CMD ["/app/docker/entrypoint.sh", "healthcheck"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
