"""One public address (SITE_URL) configures hosts, origins, admin links and HTTPS."""

import json
import os

import pytest

from tests.factories import run_project_python

SHOWN = (
    "SITE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "WAGTAILADMIN_BASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)


def settings_with(**variables):
    """The project's settings as a fresh server process reads them from these variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PORT", "DEBUG", "SITE_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS")
        and not key.startswith(("DJANGO_", "SECURE_", "WAGTAILADMIN_"))
    }
    env.update(SECRET_KEY="tests-only-not-secret", DJANGO_SETTINGS_MODULE="stowarzyszenie.settings")
    env.update(variables)
    script = (
        "import json; from django.conf import settings;"
        f"print(json.dumps({{name: getattr(settings, name) for name in {SHOWN!r}}}))"
    )
    result = run_project_python("-c", script, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_an_https_address_sets_hosts_origins_admin_links_and_every_https_switch():
    found = settings_with(SITE_URL="https://plac-nzs.example.org")

    assert found["ALLOWED_HOSTS"] == ["plac-nzs.example.org"]
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://plac-nzs.example.org"]
    assert found["WAGTAILADMIN_BASE_URL"] == "https://plac-nzs.example.org"
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] == 31_536_000
    assert found["SESSION_COOKIE_SECURE"] is True and found["CSRF_COOKIE_SECURE"] is True


def test_a_plain_http_address_switches_https_off():
    found = settings_with(SITE_URL="http://plac.lan:8080")

    assert found["ALLOWED_HOSTS"] == ["plac.lan"]
    assert found["WAGTAILADMIN_BASE_URL"] == "http://plac.lan:8080"
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SECURE_HSTS_SECONDS"] == 0
    assert found["SESSION_COOKIE_SECURE"] is False


def test_make_run_on_another_port_links_to_that_port():
    found = settings_with(PORT="8080")

    assert found["SITE_URL"] == "http://127.0.0.1:8080"
    assert found["WAGTAILADMIN_BASE_URL"] == "http://127.0.0.1:8080"
    assert set(found["ALLOWED_HOSTS"]) >= {"127.0.0.1", "localhost"}
    assert found["SECURE_SSL_REDIRECT"] is False


def test_the_older_variables_still_win():
    found = settings_with(
        SITE_URL="https://plac-nzs.example.org",
        ALLOWED_HOSTS="plac-nzs.example.org,www.plac-nzs.example.org",
        SECURE_SSL_REDIRECT="0",
        WAGTAILADMIN_BASE_URL="https://admin.plac-nzs.example.org",
    )

    assert found["ALLOWED_HOSTS"] == ["plac-nzs.example.org", "www.plac-nzs.example.org"]
    assert found["WAGTAILADMIN_BASE_URL"] == "https://admin.plac-nzs.example.org"
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SECURE_HSTS_SECONDS"] == 31_536_000


def test_a_configuration_from_before_site_url_keeps_https():
    found = settings_with(
        ALLOWED_HOSTS="plac-nzs.example.org", CSRF_TRUSTED_ORIGINS="https://plac-nzs.example.org"
    )

    assert found["SITE_URL"] == "https://plac-nzs.example.org"
    assert found["SECURE_SSL_REDIRECT"] is True


@pytest.mark.parametrize("wrong", ["plac-nzs.example.org", "ftp://plac-nzs.example.org"])
def test_an_address_without_http_or_https_is_refused_at_start(wrong):
    env = {**os.environ, "SECRET_KEY": "x", "SITE_URL": wrong}
    env["DJANGO_SETTINGS_MODULE"] = "stowarzyszenie.settings"
    result = run_project_python("-c", "from django.conf import settings; settings.DEBUG", env=env)
    assert result.returncode != 0
    assert "SITE_URL must look like" in result.stderr
