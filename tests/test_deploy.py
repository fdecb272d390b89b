"""The container's commands, run outside Docker on PostgreSQL: what `docker compose up` does.

Runs the Dockerfile's build-time commands (compile_translations, collectstatic) and then
`docker/entrypoint.sh web` (wait for the database, migrate, gunicorn with
gunicorn.conf.py) against a fresh PostgreSQL database, and talks to it over HTTP.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import environ
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
ENTRYPOINT = str(PROJECT_DIR / "docker" / "entrypoint.sh")
SITE = "plac.example.org"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="runs the container's entrypoint on PostgreSQL: set DATABASE_URL=postgres://…",
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def empty_postgres_database():
    import psycopg

    server = environ.Env.db_url_config(DATABASE_URL)
    name = f"plac_nzs_deploy_{secrets.token_hex(4)}"
    admin = psycopg.connect(
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    url = DATABASE_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def production_env(tmp_path, empty_postgres_database):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        DJANGO_SETTINGS_MODULE="stowarzyszenie.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=SITE,
        CSRF_TRUSTED_ORIGINS=f"https://{SITE}",
        USE_X_FORWARDED_PROTO="1",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=empty_postgres_database,
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PORT=str(free_port()),
        WEB_CONCURRENCY="2",
    )
    return env


def run(command, env):
    result = subprocess.run(  # noqa: S603 - the project's own commands
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def http_get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our local server
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_healthy(base, server, log_path):
    # Readiness, not timing: keep asking until the server answers or exits.
    for _ in range(180):
        assert server.poll() is None, log_path.read_text()
        try:
            status, _, _ = http_get(f"{base}/healthz")
        except OSError:
            status = None
        if status == 200:
            return
        time.sleep(0.5)
    pytest.fail("the web container never became healthy:\n" + log_path.read_text())


def test_web_container_migrates_an_empty_postgresql_and_serves_the_site(production_env, tmp_path):
    env = production_env
    # The Dockerfile's build steps.
    run([sys.executable, "manage.py", "compile_translations", "-v", "0"], env)
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)

    log_path = tmp_path / "web.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603
            [ENTRYPOINT, "web"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        wait_until_healthy(base, server, log_path)
        status, headers, body = http_get(f"{base}/healthz")
        assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}
        # Docker's HEALTHCHECK command.
        run([ENTRYPOINT, "healthcheck"], env)

        # Through the TLS proxy: the mission page that the entrypoint loaded into the empty site.
        proxy = {"Host": SITE, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        status, headers, body = http_get(f"{base}/", **proxy)
        assert status == 200, body[:500]
        page = body.decode()
        assert "Stowarzyszenie Plac NZS" in page
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["X-Content-Type-Options"] == "nosniff"

        # Static files: hashed names from collectstatic, cached by browsers for a year.
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
        status, headers, _ = http_get(f"{base}{stylesheet}", **proxy)
        assert status == 200
        assert "max-age=31536000" in headers["Cache-Control"]

        # Plain http to the public name is sent to https.
        status, headers, _ = http_get(f"{base}/", Host=SITE)
        assert status == 301
        assert headers["Location"] == f"https://{SITE}/"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)

    lines = log_path.read_text().splitlines()
    events = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(events) == len(lines), "every log line is one JSON event"
    access = [event for event in events if event["logger"] == "gunicorn.access"]
    assert any(event["path"] == "/" and str(event["status"]) == "200" for event in access)
    assert not any("/healthz" in event["message"] for event in access)
    assert "203.0.113.7" not in log_path.read_text()

    # The same image as the mail worker. A message left waiting with no queued attempt (its
    # worker was killed) is picked up again before the worker starts, and e-mailed.
    leave_a_message_without_a_queued_attempt = (
        "import django; django.setup();"
        "from wagtail.models import Site; from pages.models import AssociationSettings;"
        "from contact.models import ContactMessage;"
        "s = AssociationSettings.for_site(Site.objects.get(is_default_site=True));"
        "s.board_recipients = 'zarzad@plac-nzs.example'; s.save();"
        "ContactMessage.objects.create(sender_name='Anna', sender_email='anna@example.org',"
        " text='Czy ktoś to przeczyta?', consent_given=True, consent_clause_version='v')"
    )
    run([sys.executable, "-c", leave_a_message_without_a_queued_attempt], env)
    worker = run([ENTRYPOINT, "worker", "--batch"], {**env, "EMAIL_URL": "consolemail://"})
    assert "Traceback" not in worker.stdout + worker.stderr
    assert "Subject: Pytanie ze strony od Anna [#1]" in worker.stdout
