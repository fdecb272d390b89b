"""The board gets each resident's message by e-mail, through a real SMTP server and the real
mail worker, exactly once, even when the SMTP server is away for a while."""

import threading
import time
from datetime import datetime, timedelta
from email.headerregistry import Address
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contact.durable_mail import stale_claim
from contact.models import ContactMessage
from contact.tasks import deliver_message
from tests.factories import (
    BOARD_ADDRESSES,
    fill_in_contact_form,
    make_board_member,
    make_contact_message,
    make_queued_attempts_due,
    run_mail_worker,
    set_board_recipients,
)

# The worker commits as it goes, like the real one; the site and groups from the
# migrations are restored after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

State = ContactMessage.DeliveryState
WARSAW = ZoneInfo("Europe/Warsaw")


def queue(**overrides):
    message = make_contact_message(**overrides)
    message.queue_delivery()
    return message


def the_only_email(smtp_server):
    assert len(smtp_server.received) == 1, [m["message"]["Subject"] for m in smtp_server.received]
    return smtp_server.received[0]


def test_the_board_gets_exactly_one_email_with_the_residents_message(smtp_server):
    set_board_recipients()
    message = queue(
        sender_name="Żółć, Łukasz",
        sender_email="lukasz@example.org",
        text="Zażółć gęślą jaźń – czy plac będzie zieleńcem?\nDruga linia.",
    )

    run_mail_worker()

    delivered = the_only_email(smtp_server)
    email = delivered["message"]
    assert sorted(delivered["rcpt_tos"]) == sorted(BOARD_ADDRESSES)
    assert sorted(a.addr_spec for a in email["To"].addresses) == sorted(BOARD_ADDRESSES)
    # From is the site's own address (SPF/DMARC), never the resident's.
    assert email["From"].addresses == (
        Address("Stowarzyszenie Plac NZS", "noreply", "plac-nzs.example"),
    )
    assert delivered["mail_from"] == "noreply@plac-nzs.example"
    # Reply-To is one address whose name keeps its comma and Polish letters.
    assert email["Reply-To"].addresses == (Address("Żółć, Łukasz", "lukasz", "example.org"),)
    assert email["Subject"].strip() == f"Pytanie ze strony od Żółć, Łukasz [#{message.pk}]"
    body = email.get_body(preferencelist=("plain",))
    assert body.get_content_charset() == "utf-8"
    text = body.get_content().replace("\r\n", "\n")  # SMTP carries CRLF line ends
    assert "Zażółć gęślą jaźń – czy plac będzie zieleńcem?\nDruga linia." in text
    assert f"http://testserver/admin/messages/inspect/{message.pk}/" in text

    message.refresh_from_db()
    assert message.delivery_state == State.SENT
    assert message.delivered_at is not None
    assert message.delivery_attempts == 1


def test_the_resident_is_thanked_before_any_email_leaves_and_the_worker_sends_it(
    smtp_server, association_content
):
    """The request only stores and queues: SMTP is never talked to while the resident waits."""
    set_board_recipients()
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/kontakt/")

    response = visitor.post("/kontakt/", fill_in_contact_form(page))

    assert response.status_code == 303
    message = ContactMessage.objects.get()
    assert smtp_server.received == [], "e-mail sent inside the request"
    assert (message.delivery_state, message.delivery_attempts) == (State.PENDING, 0)
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_mail_worker()

    assert the_only_email(smtp_server)["message"]["Subject"].endswith(f"[#{message.pk}]")
    message.refresh_from_db()
    assert message.delivery_state == State.SENT


def test_newlines_typed_into_the_name_add_no_header(smtp_server):
    set_board_recipients()
    queue(
        sender_name="Jan\r\nBcc: ofiara@example.org\nX-Injected: tak",
        sender_email="jan@example.org",
    )

    run_mail_worker()

    delivered = the_only_email(smtp_server)
    email = delivered["message"]
    assert email["Bcc"] is None
    assert email["X-Injected"] is None
    assert "ofiara@example.org" not in delivered["rcpt_tos"]
    assert sorted(delivered["rcpt_tos"]) == sorted(BOARD_ADDRESSES)
    assert email["Reply-To"].addresses[0].display_name == (
        "Jan Bcc: ofiara@example.org X-Injected: tak"
    )
    assert "\n" not in email["Subject"] and "X-Injected" in email["Subject"]


def test_markup_in_a_message_is_text_in_the_email(smtp_server):
    set_board_recipients()
    queue(text='<script>alert("x")</script> <b>pogrubione?</b>')

    run_mail_worker()

    email = the_only_email(smtp_server)["message"]
    html = email.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;pogrubione?&lt;/b&gt;" in html
    )
    plain = email.get_body(preferencelist=("plain",))
    assert plain.get_content_type() == "text/plain"
    assert '<script>alert("x")</script>' in plain.get_content()  # plain text: shown, never run


def test_when_smtp_is_down_the_message_waits_and_arrives_once_when_it_is_back(smtp_server):
    set_board_recipients()
    smtp_server.stop()
    message = queue()

    run_mail_worker()

    message.refresh_from_db()
    assert message.delivery_state == State.PENDING
    assert message.delivery_attempts == 1
    assert "Connection" in message.delivery_last_error
    assert message.delivery_next_attempt_at > timezone.now()
    # The next attempt is not due yet: the worker leaves it alone.
    run_mail_worker()
    message.refresh_from_db()
    assert message.delivery_attempts == 1

    make_queued_attempts_due()
    run_mail_worker()  # still down: a second failed attempt, a longer pause
    message.refresh_from_db()
    assert (message.delivery_state, message.delivery_attempts) == (State.PENDING, 2)

    smtp_server.start()
    make_queued_attempts_due()
    run_mail_worker()

    the_only_email(smtp_server)
    message.refresh_from_db()
    assert message.delivery_state == State.SENT
    assert message.delivery_attempts == 3
    assert message.delivery_last_error == ""
    # Nothing left to send, nothing sent again.
    make_queued_attempts_due()
    run_mail_worker()
    assert len(smtp_server.received) == 1


def test_a_retry_after_a_crash_does_not_send_a_sent_message_again(smtp_server):
    set_board_recipients()
    message = queue()
    run_mail_worker()
    the_only_email(smtp_server)

    # What a crashed worker may leave behind: the same attempt queued again, a resend, a resume.
    deliver_message.enqueue(message_id=message.pk, attempt=1)
    deliver_message.enqueue(message_id=message.pk)
    message.queue_delivery()
    call_command("resume_deliveries", stdout=StringIO())
    run_mail_worker()

    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert (message.delivery_state, message.delivery_attempts) == (State.SENT, 1)


def test_a_message_left_sending_by_a_dead_worker_is_sent_once_after_resume(smtp_server):
    set_board_recipients()
    message = make_contact_message()
    # The worker died right after claiming the message; its task row stays RUNNING forever.
    ContactMessage.objects.filter(pk=message.pk).update(
        delivery_state=State.SENDING,
        delivery_attempts=1,
        delivery_claimed_at=timezone.now() - timedelta(minutes=20),
    )

    out = StringIO()
    call_command("resume_deliveries", stdout=out)
    assert "Queued delivery of 1 waiting message(s)." in out.getvalue()
    call_command("resume_deliveries", stdout=out)  # already queued: not queued twice
    assert "Queued delivery of 0 waiting message(s)." in out.getvalue()
    run_mail_worker()

    the_only_email(smtp_server)
    message.refresh_from_db()
    assert (message.delivery_state, message.delivery_attempts) == (State.SENT, 2)


def waiting_for_a_row_lock():
    """How many sessions of this test database wait for a row lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing its first snapshot of the activity.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: two workers racing for one message are staged with a row lock, "
    "and SQLite lets only one writer in at a time (CI runs this on PostgreSQL)",
)
def test_two_workers_claiming_one_message_at_once_send_it_once(smtp_server):
    set_board_recipients()
    message = make_contact_message()
    results = []

    def worker():
        try:
            results.append(deliver_message.call(message_id=message.pk, attempt=1))
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    # Both workers read the message while the board's edit holds its row, so both come to the
    # claim at the same moment; the lock is let go only when both wait for it.
    with transaction.atomic():
        ContactMessage.objects.select_for_update().get(pk=message.pk)
        for thread in workers:
            thread.start()
        deadline = time.monotonic() + 20
        while waiting_for_a_row_lock() < 2:
            assert time.monotonic() < deadline, "the two workers never met at the claim"
            time.sleep(0.02)
    for thread in workers:
        thread.join(timeout=30)

    assert sorted(results) == ["not mine", "sent"]
    the_only_email(smtp_server)
    message.refresh_from_db()
    assert (message.delivery_state, message.delivery_attempts) == (State.SENT, 1)


def test_a_fresh_claim_of_a_live_worker_is_not_taken_over(smtp_server, settings):
    settings.EMAIL_TIMEOUT = 30
    set_board_recipients()
    message = make_contact_message()
    ContactMessage.objects.filter(pk=message.pk).update(
        delivery_state=State.SENDING, delivery_attempts=1, delivery_claimed_at=timezone.now()
    )

    call_command("resume_deliveries", stdout=StringIO())
    run_mail_worker()

    assert smtp_server.received == []
    attempt = DBTaskResult.objects.get(status="READY")
    assert attempt.run_after > timezone.now() + timedelta(minutes=1)


def test_an_attempt_due_while_a_live_worker_sends_leaves_the_message_to_it(smtp_server):
    """A duplicate attempt (a retry racing a resend) finds the message claimed minutes ago: a
    worker is talking to SMTP right now. Only a claim older than any SMTP conversation is
    taken over."""
    set_board_recipients()
    message = make_contact_message()
    # A minute ago: well inside the time a live worker may spend on one SMTP conversation.
    claimed_at = timezone.now() - stale_claim() / 2
    ContactMessage.objects.filter(pk=message.pk).update(
        delivery_state=State.SENDING, delivery_attempts=1, delivery_claimed_at=claimed_at
    )
    deliver_message.enqueue(message_id=message.pk, attempt=2)

    run_mail_worker()

    assert smtp_server.received == []
    assert DBTaskResult.objects.get().return_value == "not mine"
    message.refresh_from_db()
    assert (message.delivery_state, message.delivery_claimed_at) == (State.SENDING, claimed_at)


def test_without_board_addresses_the_message_waits_with_a_clear_error(smtp_server, caplog):
    set_board_recipients([])
    message = queue(sender_name="Tajemnicza Osoba", sender_email="tajne@example.org")

    run_mail_worker()

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.delivery_state == State.PENDING
    assert "Brak adresów e-mail zarządu" in message.delivery_last_error
    # The log names the message by its number only.
    assert f"Delivery of message {message.pk} failed" in caplog.text
    assert "Tajemnicza" not in caplog.text and "tajne@example.org" not in caplog.text

    set_board_recipients()
    make_queued_attempts_due()
    run_mail_worker()
    the_only_email(smtp_server)


def test_after_a_day_of_failures_the_message_is_marked_not_delivered(smtp_server, settings):
    set_board_recipients()
    smtp_server.stop()
    message = queue()
    run_mail_worker()

    # A day and more later: the next attempt is the last one.
    DBTaskResult.objects.filter(status="READY").update(
        args_kwargs={
            "args": [],
            "kwargs": {
                "message_id": message.pk,
                "attempt": 2,
                "retry": 1,
                "since": (timezone.now() - timedelta(hours=26, minutes=1)).isoformat(),
            },
        }
    )
    make_queued_attempts_due()
    run_mail_worker()

    message.refresh_from_db()
    assert message.delivery_state == State.FAILED
    assert message.delivery_attempts == 2
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_retries_go_on_with_growing_pauses_for_26_hours_and_then_stop(smtp_server):
    """README: after 1, 2, 5, 10, 30 minutes, then hourly, for 26 hours (the default of
    CONTACT_DELIVERY_GIVE_UP_HOURS); then "not delivered". The clock is moved to each attempt."""
    set_board_recipients()
    smtp_server.stop()
    start = datetime(2026, 3, 15, 9, 0, tzinfo=WARSAW)
    with time_machine.travel(start, tick=False) as clock:
        message = queue()
        run_mail_worker()
        pauses, last_retry_at = [], start
        message.refresh_from_db()
        while message.delivery_state == State.PENDING:
            assert len(pauses) < 60, "the worker never gives up"
            due = message.delivery_next_attempt_at
            pauses.append(due - last_retry_at)
            clock.move_to(due)
            last_retry_at = due
            run_mail_worker()
            message.refresh_from_db()
            assert DBTaskResult.objects.filter(status="READY").count() <= 1

    assert message.delivery_state == State.FAILED
    assert "Connection" in message.delivery_last_error
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert pauses[:6] == [timedelta(minutes=m) for m in (1, 2, 5, 10, 30, 60)]
    assert set(pauses[6:]) == {timedelta(hours=1)}
    # The last attempt is the first one at or after 26 hours; the one before still retried.
    given_up_after = last_retry_at - start
    assert timedelta(hours=26) <= given_up_after < timedelta(hours=27), given_up_after
    assert sum(pauses[:-1], timedelta()) < timedelta(hours=26)
    assert message.delivery_attempts == len(pauses) + 1


def test_an_attempt_in_the_25th_hour_still_retries(smtp_server):
    """Giving up is measured from the first attempt of the round, in hours of the setting."""
    set_board_recipients()
    smtp_server.stop()
    start = datetime(2026, 3, 15, 9, 0, tzinfo=WARSAW)
    with time_machine.travel(start, tick=False) as clock:
        message = queue()
        run_mail_worker()
        clock.move_to(start + timedelta(hours=25, minutes=59))
        make_queued_attempts_due()
        run_mail_worker()
        message.refresh_from_db()
        assert (message.delivery_state, message.delivery_attempts) == (State.PENDING, 2)

        clock.move_to(start + timedelta(hours=26))
        make_queued_attempts_due()
        run_mail_worker()
        message.refresh_from_db()
        assert (message.delivery_state, message.delivery_attempts) == (State.FAILED, 3)


def test_spam_is_never_sent(smtp_server):
    set_board_recipients()
    # As the form stores a message caught by the honeypot.
    message = make_contact_message(
        is_spam=True, spam_reason="honeypot", delivery_state=State.NOT_SENT
    )
    assert message.queue_delivery() is None

    run_mail_worker()

    assert smtp_server.received == []


def test_a_message_erased_before_its_turn_is_not_sent(smtp_server):
    set_board_recipients()
    queue(sender_email="wycofuje@example.org")

    call_command("erase_sender", "wycofuje@example.org", stdout=StringIO())
    run_mail_worker()

    assert smtp_server.received == []
    assert DBTaskResult.objects.get().return_value == "gone"


def test_an_smtp_server_that_never_answers_counts_as_a_failed_attempt(smtp_server, settings):
    import socket

    set_board_recipients()
    smtp_server.stop()
    with socket.socket() as silent:
        # Accepts connections (the kernel does) but never says hello.
        silent.bind(("127.0.0.1", smtp_server.port))
        silent.listen(5)
        settings.EMAIL_TIMEOUT = 1
        message = queue()

        run_mail_worker()

    message.refresh_from_db()
    assert message.delivery_state == State.PENDING
    assert "timed out" in message.delivery_last_error
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_message_the_board_marks_as_spam_is_never_emailed(smtp_server, client, django_user_model):
    set_board_recipients()
    message = queue(text="Tanie kredyty, kliknij tutaj")
    client.force_login(make_board_member(django_user_model))

    response = client.post(f"/admin/messages/edit/{message.pk}/", {"handling_state": "spam"})
    run_mail_worker()

    assert response.status_code == 302
    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.is_spam
    assert message.spam_reason == ContactMessage.SpamReason.MARKED_BY_BOARD
    assert message.delivery_state == ContactMessage.DeliveryState.NOT_SENT
