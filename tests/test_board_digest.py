"""The optional daily e-mail to the board about forgotten questions, and replies that a
crashed worker left unsent: both through the real mail worker and a real SMTP server."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contact import digest, replies
from contact.models import ContactMessage, ThreadEntry
from tests.factories import (
    BOARD_ADDRESSES,
    make_board_member,
    make_contact_message,
    make_queued_attempts_due,
    run_mail_worker,
    set_board_recipients,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_no_digest_unless_the_board_asks_for_one(settings):
    settings.CONTACT_DIGEST_HOUR = None
    call_command("start_mail_jobs", stdout=StringIO())
    assert not DBTaskResult.objects.exists()


def test_the_board_gets_a_daily_digest_of_questions_waiting_too_long(
    smtp_server, settings, django_user_model
):
    settings.CONTACT_DIGEST_HOUR = 8
    set_board_recipients()
    ewa = make_board_member(django_user_model, username="ewa")
    now = timezone.now()
    waiting = make_contact_message(
        sender_name="Zapomniana Sprawa", received_at=now - timedelta(days=5), assigned_to=ewa
    )
    make_contact_message(sender_name="Świeża Sprawa")
    make_contact_message(
        sender_name="Załatwiona Sprawa",
        received_at=now - timedelta(days=5),
        handling_state=ContactMessage.HandlingState.ANSWERED,
    )

    call_command("start_mail_jobs", stdout=StringIO())
    call_command("start_mail_jobs", stdout=StringIO())  # a restart queues no second digest
    [queued] = DBTaskResult.objects.filter(status="READY")
    run_after = timezone.localtime(queued.run_after)
    assert (run_after.hour, run_after.minute) == (8, 0)
    assert queued.run_after > now

    make_queued_attempts_due()
    run_mail_worker()

    [sent] = smtp_server.received
    assert sorted(sent["rcpt_tos"]) == sorted(BOARD_ADDRESSES)
    body = sent["message"].get_body(preferencelist=("plain",)).get_content()
    assert f"#{waiting.pk} Zapomniana Sprawa" in body
    assert "(zajmuje się ewa)" in body
    assert "Świeża Sprawa" not in body and "Załatwiona Sprawa" not in body
    # The next day's is queued.
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_the_digest_goes_to_the_administrators_while_no_board_address_is_set(
    django_user_model, mailoutbox
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    make_contact_message(received_at=timezone.now() - timedelta(days=5))

    assert digest.send_digest() == 1

    [sent] = mailoutbox
    assert sent.to == ["admin@example.org"]


def test_the_next_digest_is_tomorrow_once_todays_hour_has_passed(settings):
    settings.CONTACT_DIGEST_HOUR = 8
    warsaw = ZoneInfo("Europe/Warsaw")
    after = datetime(2026, 3, 28, 9, 0, tzinfo=warsaw)  # the day before summer time
    assert digest.next_run(after) == datetime(2026, 3, 29, 8, 0, tzinfo=warsaw)
    before = datetime(2026, 3, 28, 7, 0, tzinfo=warsaw)
    assert digest.next_run(before) == datetime(2026, 3, 28, 8, 0, tzinfo=warsaw)


def test_a_reply_left_unsent_by_a_crashed_worker_is_sent_after_a_restart(
    smtp_server, django_user_model
):
    message = make_contact_message()
    replies.start_reply(message, make_board_member(django_user_model), "Odpowiedź.")
    # The worker died holding the task: it stays RUNNING for ever.
    DBTaskResult.objects.update(status="RUNNING")

    call_command("start_mail_jobs", stdout=StringIO())
    call_command("start_mail_jobs", stdout=StringIO())  # queued once, not twice
    run_mail_worker()

    assert len(smtp_server.received) == 1
    assert ThreadEntry.objects.get().delivery_state == ThreadEntry.DeliveryState.SENT
