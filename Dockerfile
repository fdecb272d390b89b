# syntax=docker/dockerfile:1
# One image for the web server and the mail worker:
#   docker run IMAGE            -> web (migrate, then gunicorn on port 8000)
#   docker run IMAGE worker     -> the board's e-mails (manage.py db_worker --backend mail)
# See README.md, "Wdrożenie (Docker Compose)".

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: install the pinned packages, compile translations, collect static files ----
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# gettext (msgfmt) only for compilemessages; it stays in this stage.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# Only the runtime dependencies from pyproject.toml, at the versions in requirements.lock
# (the lock also pins the test tools, which the image does not need).
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.runtime.txt \
    && pip install -r requirements.runtime.txt -c requirements.lock

COPY . .
# Settings need a key to load; this one exists only during the build.
RUN SECRET_KEY=build-only-not-secret DEBUG=0 python manage.py compilemessages --ignore=.venv --verbosity=0 \
    && SECRET_KEY=build-only-not-secret DEBUG=0 python manage.py collectstatic --noinput --verbosity=0 \
    && python -m compileall -q -j0 /app \
    && rm -f requirements.runtime.txt

# ---- final: Python, the virtual environment and the project; no compilers, no gettext ----
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=stowarzyszenie.settings \
    PORT=8000 \
    MEDIA_ROOT=/app/media

# A fixed, unprivileged user; the media volume is the only place it writes to.
RUN groupadd --system --gid 10001 plac \
    && useradd --system --uid 10001 --gid plac --home-dir /app --shell /usr/sbin/nologin plac

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
RUN mkdir -p /app/media /app/data && chown plac:plac /app/media /app/data

USER 10001:10001
EXPOSE 8000
VOLUME ["/app/media"]

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/app/docker/entrypoint.sh", "healthcheck"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
