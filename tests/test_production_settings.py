"""Production configuration: the deploy check, the shared cache, and logs without personal data."""

import json
import os
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import run_project_python

PROJECT_DIR = Path(__file__).resolve().parents[1]

# The production variables README.md lists for a deployment behind an HTTPS proxy.
PRODUCTION_VARIABLES = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "plac-nzs.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://plac-nzs.example.org",
    "USE_X_FORWARDED_PROTO": "1",
    "TRUSTED_PROXY_COUNT": "1",
    "DATABASE_URL": "postgres://plac:secret@db:5432/plac",
    "CACHE_URL": "redis://redis:6379/0",
}


def deploy_check(**changes):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "AXES_", "SENTRY_"))
    }
    env.update(
        PRODUCTION_VARIABLES,
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="stowarzyszenie.settings",
    )
    env.update(changes)
    return run_project_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env, timeout=120
    )


def test_deploy_check_reports_nothing_with_the_production_variables():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        ({"TRUSTED_PROXY_COUNT": "0"}, "contact.W002"),
        ({"USE_X_FORWARDED_PROTO": "0", "SECURE_SSL_REDIRECT": "0"}, "contact.W003"),
    ],
)
def test_deploy_check_warns_when_the_proxy_settings_contradict(changes, warning):
    result = deploy_check(**changes)
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


def test_mail_failure_is_logged_with_the_message_id_but_without_the_address():
    # A real process with the project's logging, as the mail worker runs it.
    script = (
        "import django, logging; django.setup();"
        "logging.getLogger('contact.tasks').error("
        "\"delivery failed: SMTPRecipientsRefused {'zarzad@plac-nzs.pl': (550, b'No user')}\","
        "extra={'message_id': 42})"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = run_project_python("-c", script, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    event = json.loads(line)
    assert event["level"] == "ERROR"
    assert event["logger"] == "contact.tasks"
    assert event["message_id"] == 42
    assert "zarzad@plac-nzs.pl" not in line
    assert "[e-mail]" in event["message"]


@pytest.mark.skipif(
    not os.environ.get("CACHE_URL", "").startswith("redis://"),
    reason="needs CACHE_URL=redis://… (the CI's Redis run)",
)
def test_what_one_app_server_caches_another_one_reads():
    from django.core.cache.backends.redis import RedisCache

    assert settings.CACHES["default"]["BACKEND"] == "stowarzyszenie.degrading_cache.DegradingCache"
    assert settings.CACHES["default"]["OPTIONS"]["BACKEND"] == (
        "django.core.cache.backends.redis.RedisCache"
    )
    other_server = RedisCache(settings.CACHES["default"]["LOCATION"], {})
    cache.set("lockout-probe", "seen", timeout=30)
    assert other_server.get("lockout-probe") == "seen"
