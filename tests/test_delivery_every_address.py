"""Every address the form accepts reaches the board, through the form, the real mail worker and
a real SMTP server; what cannot be delivered is said at once, and nothing waits silently."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contact.models import ContactMessage
from tests.factories import (
    BOARD_ADDRESSES,
    collapse_spaces,
    fill_in_contact_form,
    make_contact_message,
    run_mail_worker,
    set_board_recipients,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

State = ContactMessage.DeliveryState


def send_through_the_form(**changes):
    visitor = Client()
    page = visitor.get("/kontakt/")
    return visitor.post("/kontakt/", fill_in_contact_form(page, **changes))


@pytest.mark.parametrize(
    ("typed", "reply_to"),
    [
        ("jan@żółw.pl", "jan@xn--w-uga1v8h.pl"),
        ("Jan.Kowalski+plac@Poczta.ŻÓŁW.pl", "Jan.Kowalski+plac@poczta.xn--w-uga1v8h.pl"),
        ("ola@bücher.de", "ola@xn--bcher-kva.de"),
        ("anna@example.org", "anna@example.org"),
        ("o'hara@xn--w-uga1v8h.pl", "o'hara@xn--w-uga1v8h.pl"),
    ],
)
def test_a_question_from_any_accepted_address_reaches_the_board(
    association_content, smtp_server, typed, reply_to
):
    set_board_recipients()

    response = send_through_the_form(sender_email=typed)
    assert response.status_code == 303
    run_mail_worker()

    message = ContactMessage.objects.get()
    assert (message.delivery_state, message.delivery_last_error) == (State.SENT, "")
    (delivered,) = smtp_server.received
    assert [a.addr_spec.lower() for a in delivered["message"]["Reply-To"].addresses] == [
        reply_to.lower()
    ]
    assert sorted(delivered["rcpt_tos"]) == sorted(BOARD_ADDRESSES)


def test_an_address_the_site_cannot_deliver_is_refused_in_the_form(association_content):
    response = send_through_the_form(sender_email="żółw@example.pl")

    assert response.status_code == 200
    assert "Wpisz adres e-mail taki jak" in collapse_spaces(response.content.decode())
    assert not ContactMessage.objects.exists()


def test_an_address_the_smtp_server_refuses_for_good_shows_at_once(smtp_server):
    set_board_recipients(["nie-ma-takiego@plac-nzs.example"])

    async def refuse_recipient(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"

    smtp_server.mailbox.handle_RCPT = refuse_recipient
    message = make_contact_message()
    message.queue_delivery()

    run_mail_worker()

    message.refresh_from_db()
    assert message.delivery_state == State.FAILED, "not after 26 hours: now"
    assert "550" in message.delivery_last_error
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert message.can_be_resent


def test_a_fresh_install_delivers_to_the_administrators_address(smtp_server, django_user_model):
    set_board_recipients([])
    django_user_model.objects.create_superuser("admin", "admin@plac-nzs.example", "x")
    message = make_contact_message()
    message.queue_delivery()

    run_mail_worker()

    (delivered,) = smtp_server.received
    assert delivered["rcpt_tos"] == ["admin@plac-nzs.example"]
    message.refresh_from_db()
    assert message.delivery_state == State.SENT


def test_without_superuser_addresses_the_admins_setting_gets_the_message(smtp_server, settings):
    set_board_recipients([])
    settings.ADMINS = [("Operator", "operator@plac-nzs.example")]
    message = make_contact_message()
    message.queue_delivery()

    run_mail_worker()

    (delivered,) = smtp_server.received
    assert delivered["rcpt_tos"] == ["operator@plac-nzs.example"]


def test_a_worker_killed_mid_delivery_is_replaced_within_three_minutes(smtp_server, settings):
    settings.EMAIL_TIMEOUT = 30  # the production default
    set_board_recipients()
    message = make_contact_message()
    message.queue_delivery()
    claimed_at = timezone.now() - timedelta(minutes=3)
    # What a SIGKILL mid-delivery leaves: a claimed message and a task row "RUNNING" for ever.
    ContactMessage.objects.filter(pk=message.pk).update(
        delivery_state=State.SENDING, delivery_attempts=1, delivery_claimed_at=claimed_at
    )
    DBTaskResult.objects.update(status="RUNNING", started_at=claimed_at)

    out = StringIO()
    call_command("resume_deliveries", stdout=out)
    run_mail_worker()

    assert "Marked 1 abandoned delivery task(s) as failed." in out.getvalue()
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.delivery_state == State.SENT


def test_a_claim_younger_than_two_minutes_is_left_to_its_worker(smtp_server, settings):
    settings.EMAIL_TIMEOUT = 30
    set_board_recipients()
    message = make_contact_message()
    ContactMessage.objects.filter(pk=message.pk).update(
        delivery_state=State.SENDING,
        delivery_attempts=1,
        delivery_claimed_at=timezone.now() - timedelta(seconds=60),
    )

    call_command("resume_deliveries", stdout=StringIO())
    run_mail_worker()

    assert smtp_server.received == []
    attempt = DBTaskResult.objects.get(status="READY")
    assert timedelta(0) < attempt.run_after - timezone.now() <= timedelta(minutes=3)


def test_a_fresh_install_says_where_messages_go_and_delivers_them_there(
    association_content, smtp_server, monkeypatch
):
    for name in (
        "DJANGO_SUPERUSER_USERNAME",
        "DJANGO_SUPERUSER_EMAIL",
        "DJANGO_SUPERUSER_PASSWORD",
    ):
        monkeypatch.delenv(name, raising=False)
    out = StringIO()

    call_command("ensure_admin", stdout=out)  # what `make run` runs

    assert "residents' messages go to the administrators (admin@localhost)" in out.getvalue()
    send_through_the_form()
    run_mail_worker()
    (delivered,) = smtp_server.received
    assert delivered["rcpt_tos"] == ["admin@localhost"]
