"""/healthz: what a load balancer and Docker's HEALTHCHECK ask every few seconds."""

import json
import os
import socket
from pathlib import Path

import pytest
from django.test import override_settings

from tests.factories import run_project_python

PROJECT_DIR = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_load_balancer_calling_by_ip_hears_that_database_and_cache_answer(client):
    # A load balancer sends its own idea of the Host header, not the site's name.
    response = client.get("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_check_over_plain_http_is_not_redirected_to_https(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_check_says_the_database_failed_when_it_does_not_answer():
    # A real app process whose database server is down (nothing listens on the port).
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/plac_nzs",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
    }
    result = run_project_python("-c", script, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"] == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
