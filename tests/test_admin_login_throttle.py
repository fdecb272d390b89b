"""Repeated wrong passwords at /admin/login/ pause logging in from that address."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("redaktorka", "", PASSWORD)


def log_in(client, password, **headers):
    return client.post(LOGIN, {"username": "redaktorka", "password": password}, **headers)


def fail_until_locked(client, **headers):
    responses = [log_in(client, "wrong", **headers) for _ in range(settings.AXES_FAILURE_LIMIT)]
    return responses


def test_editor_who_mistypes_a_few_times_can_still_log_in(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_guessing_is_locked_out_after_the_configured_number_of_failures(client, editor):
    *before, last = fail_until_locked(client)
    assert all(response.status_code == 200 for response in before)
    assert last.status_code == 429
    # Even the right password does not get in while the address is locked out.
    locked = log_in(client, PASSWORD)
    assert locked.status_code == 429
    assert "Logowanie jest wstrzymane" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_editor_gets_in_after_the_cool_off(client, editor):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail_until_locked(client)
        assert log_in(client, PASSWORD).status_code == 429

        clock.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=5))
        assert log_in(client, PASSWORD).status_code == 429

        clock.shift(timedelta(seconds=10))
        response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_guesser_does_not_lock_out_other_visitors(client, editor):
    guesser = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    fail_until_locked(client, **guesser)
    assert log_in(client, PASSWORD, **guesser).status_code == 429
    # Forging an extra address in front does not escape the lockout…
    forged = {**guesser, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"}
    assert log_in(client, PASSWORD, **forged).status_code == 429
    # …while the editor at another address behind the same proxy logs in.
    colleague = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.44"}
    assert log_in(client, PASSWORD, **colleague).status_code == 302
