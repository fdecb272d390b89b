"""RODO housekeeping: old messages are deleted, a resident's messages can be erased."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contact.management.commands.delete_old_messages import months_before
from contact.models import ContactMessage
from tests.factories import make_contact_message

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def names():
    return sorted(ContactMessage.objects.values_list("sender_name", flat=True))


def test_messages_older_than_24_months_are_deleted_and_newer_ones_kept():
    now = timezone.now()
    make_contact_message(sender_name="Sprzed trzech lat", received_at=now - timedelta(days=3 * 365))
    make_contact_message(
        sender_name="Sprzed 25 miesięcy", received_at=now - timedelta(days=25 * 31)
    )
    make_contact_message(
        sender_name="Sprzed 23 miesięcy", received_at=now - timedelta(days=23 * 30)
    )
    make_contact_message(sender_name="Dzisiejsza")

    output = run("delete_old_messages")

    assert "Deleted 2 message(s)" in output
    assert "(24 months)" in output
    assert names() == ["Dzisiejsza", "Sprzed 23 miesięcy"]


def test_the_retention_period_is_configurable(settings):
    now = timezone.now()
    make_contact_message(sender_name="Sprzed 7 miesięcy", received_at=now - timedelta(days=7 * 31))
    make_contact_message(sender_name="Sprzed 5 miesięcy", received_at=now - timedelta(days=5 * 30))

    assert "Would delete 1 message(s)" in run("delete_old_messages", "--months", "6", "--dry-run")
    assert len(names()) == 2
    assert "Deleted 1 message(s)" in run("delete_old_messages", "--months", "6")
    assert names() == ["Sprzed 5 miesięcy"]


def test_retention_counts_calendar_months():
    warsaw = ZoneInfo("Europe/Warsaw")
    assert months_before(datetime(2026, 3, 31, 12, tzinfo=warsaw), 1) == datetime(
        2026, 2, 28, 12, tzinfo=warsaw
    )
    assert months_before(datetime(2026, 1, 15, tzinfo=warsaw), 24) == datetime(
        2024, 1, 15, tzinfo=warsaw
    )


def test_on_15_march_2026_messages_from_before_15_march_2024_go_and_later_ones_stay():
    """24 calendar months to the day, as the privacy notice promises: not 24 × 30 days."""
    warsaw = ZoneInfo("Europe/Warsaw")
    with time_machine.travel(datetime(2026, 3, 15, 3, 15, tzinfo=warsaw), tick=False):
        for day, hour in [(14, 23), (15, 2), (15, 4), (16, 0), (24, 12)]:
            make_contact_message(
                sender_name=f"{day:02}.03.2024 {hour:02}:00",
                received_at=datetime(2024, 3, day, hour, tzinfo=warsaw),
            )

        output = run("delete_old_messages")

    assert "Deleted 2 message(s) received before 2024-03-15 03:15 (24 months)." in output
    assert names() == ["15.03.2024 04:00", "16.03.2024 00:00", "24.03.2024 12:00"]


def test_expired_captchas_and_old_queue_rows_are_cleaned_too():
    CaptchaStore.objects.create(
        challenge="2+2", response="4", expiration=timezone.now() - timedelta(minutes=1)
    )
    fresh = CaptchaStore.objects.create(
        challenge="3+3", response="6", expiration=timezone.now() + timedelta(minutes=9)
    )
    message = make_contact_message()
    old_attempt = message.queue_delivery().db_result
    DBTaskResult.objects.filter(pk=old_attempt.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=30)
    )
    waiting = make_contact_message().queue_delivery().db_result

    output = run("delete_old_messages")

    assert "Deleted 1 expired captcha challenge(s)." in output
    assert list(CaptchaStore.objects.all()) == [fresh]
    assert "Deleted 1 finished mail-queue row(s)" in output
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_erase_sender_deletes_every_message_from_that_address_only():
    make_contact_message(sender_name="Pierwsza", sender_email="ewa@example.org")
    make_contact_message(sender_name="Druga", sender_email="Ewa@Example.org")
    make_contact_message(sender_name="Inna osoba", sender_email="inna@example.org")

    assert "Would delete 2 message(s) from ewa@example.org." in run(
        "erase_sender", "ewa@example.org", "--dry-run"
    )
    output = run("erase_sender", "ewa@example.org")

    assert "Deleted 2 message(s) from ewa@example.org." in output
    assert names() == ["Inna osoba"]
    assert "Deleted 0 message(s)" in run("erase_sender", "ewa@example.org")


def test_erase_sender_refuses_something_that_is_not_an_address():
    make_contact_message()
    with pytest.raises(CommandError):
        run("erase_sender", "anna")
    assert ContactMessage.objects.count() == 1


def log_labels():
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    about_messages = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ContactMessage)
    )
    return sorted(about_messages.values_list("label", flat=True))


def test_the_audit_log_names_a_message_by_its_number_only(client, django_user_model):
    from tests.factories import make_board_member

    client.force_login(make_board_member(django_user_model))
    message = make_contact_message(sender_name="Anna Kowalska")

    client.post(f"/admin/messages/edit/{message.pk}/", {"handling_state": "answered"})
    client.post(f"/admin/messages/delete/{message.pk}/")

    assert not ContactMessage.objects.exists()
    labels = log_labels()
    assert labels and set(labels) == {f"#{message.pk}"}
