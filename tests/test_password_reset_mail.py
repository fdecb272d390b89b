"""Asking for a new admin password never makes a server worker wait for SMTP, and cannot be
used to flood anyone's mailbox."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.factories import run_mail_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RESET = "/admin/password_reset/"


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@plac-nzs.example", "x")


def ask_for_a_new_password(client, email="admin@plac-nzs.example"):
    return client.post(RESET, {"email": email})


def test_the_reset_mail_goes_through_the_mail_queue(administrator, smtp_server):
    smtp_server.stop()  # a slow or absent SMTP server must not hold the request

    response = ask_for_a_new_password(Client(REMOTE_ADDR="203.0.113.20"))

    assert response.status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    smtp_server.start()
    run_mail_worker()
    (delivered,) = smtp_server.received
    assert delivered["rcpt_tos"] == ["admin@plac-nzs.example"]
    assert "/admin/password_reset/confirm/" in delivered["message"].get_body().get_content()


def test_reset_requests_are_limited_per_client(administrator, smtp_server):
    client = Client(REMOTE_ADDR="203.0.113.21")
    limit = int(settings.PASSWORD_RESET_RATE_LIMIT.split("/")[0])

    responses = [ask_for_a_new_password(client) for _ in range(limit + 3)]

    assert all(response.status_code == 302 for response in responses), "the page says nothing"
    run_mail_worker()
    assert len(smtp_server.received) == limit
