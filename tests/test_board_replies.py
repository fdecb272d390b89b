"""A board member answers a resident from the admin; the real mail worker sends the answer
through a real SMTP server, threaded so that the resident's mail program keeps it together."""

from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from contact.models import ContactMessage, ReplyTemplate, ThreadEntry
from tests.factories import (
    make_board_member,
    make_contact_message,
    make_queued_attempts_due,
    run_mail_worker,
    set_board_recipients,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WARSAW = ZoneInfo("Europe/Warsaw")


def inspect_url(message):
    return f"/admin/messages/inspect/{message.pk}/"


@pytest.fixture
def board_member(django_user_model):
    return make_board_member(
        django_user_model, username="ewa", first_name="Ewa", last_name="Zarządowa"
    )


@pytest.fixture
def board_client(client, board_member):
    client.force_login(board_member)
    return client


@pytest.fixture
def association_mailbox(settings):
    set_board_recipients()
    from wagtail.models import Site

    from pages.models import AssociationSettings

    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.public_email = "kontakt@plac-nzs.example"
    association.save()
    return association


def reply(client, message, text):
    return client.post(f"/admin/messages/reply/{message.pk}/", {"text": text})


def test_the_resident_gets_the_answer_threaded_under_their_question(
    smtp_server, board_client, board_member, association_mailbox
):
    message = make_contact_message(
        sender_name="Anna Kowalska",
        sender_email="anna@example.org",
        text="Kiedy będzie następne spotkanie?\nPytam dla sąsiadów.",
        received_at=datetime(2026, 11, 20, 15, 21, tzinfo=ZoneInfo("UTC")),
    )

    response = reply(board_client, message, "Dzień dobry, spotkanie jest w piątek o 18:00.")
    assert response.status_code == 302

    # Stored before anything is sent: the thread already shows it, the state is "answered".
    entry = ThreadEntry.objects.get(message=message)
    assert entry.kind == ThreadEntry.Kind.REPLY
    assert entry.author == board_member
    assert entry.delivery_state == ThreadEntry.DeliveryState.PENDING
    message.refresh_from_db()
    assert message.handling_state == ContactMessage.HandlingState.ANSWERED
    assert smtp_server.received == []

    run_mail_worker()

    assert len(smtp_server.received) == 1
    delivered = smtp_server.received[0]
    mail = delivered["message"]
    assert delivered["rcpt_tos"] == ["anna@example.org"]
    assert parseaddr(str(mail["From"]))[1] == "noreply@plac-nzs.example"
    assert parseaddr(str(mail["Reply-To"]).strip())[1] == "kontakt@plac-nzs.example"
    # (An encoded header keeps a leading space after parsing; mail programs drop it.)
    subject = str(mail["Subject"]).strip()
    assert subject == f"Re: Kiedy będzie następne spotkanie? Pytam dla sąsiadów. [#{message.pk}]"
    # Threading: its own id, answering the board's e-mail about the question.
    board_email_id = (
        f"<contact-{message.pk}.{int(message.received_at.timestamp())}@plac-nzs.example>"
    )
    assert str(mail["Message-ID"]).strip() == entry.message_id_header
    assert str(mail["In-Reply-To"]).strip() == board_email_id
    assert str(mail["References"]).strip() == board_email_id
    body = mail.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Dzień dobry, spotkanie jest w piątek o 18:00.")
    # The question quoted below, with its time in Warsaw (15:21 UTC is 16:21 there).
    assert "W dniu 20 listopada 2026, 16:21 Anna Kowalska napisał(a):" in body
    assert "> Kiedy będzie następne spotkanie?\n> Pytam dla sąsiadów." in body

    entry.refresh_from_db()
    assert entry.delivery_state == ThreadEntry.DeliveryState.SENT
    assert entry.delivered_at is not None


def test_a_second_answer_continues_the_same_thread_with_a_new_message_id(
    smtp_server, board_client, association_mailbox
):
    message = make_contact_message()
    reply(board_client, message, "Pierwsza odpowiedź.")
    reply(board_client, message, "Jeszcze jedno: proszę zabrać dowód.")
    run_mail_worker()

    first, second = (m["message"] for m in smtp_server.received)
    first_id, second_id = str(first["Message-ID"]).strip(), str(second["Message-ID"]).strip()
    assert first_id != second_id
    assert str(second["In-Reply-To"]).strip() == first_id
    assert str(second["References"]).strip().split() == [str(first["References"]).strip(), first_id]
    assert str(second["Subject"]) == str(first["Subject"])


def test_another_board_member_sees_who_answered_what_and_when_in_local_time(
    smtp_server, board_client, association_mailbox, client, django_user_model
):
    message = make_contact_message()
    reply(board_client, message, "Spotkanie jest w piątek.")
    run_mail_worker()
    ThreadEntry.objects.filter(message=message).update(
        created_at=datetime(2026, 11, 25, 15, 21, tzinfo=ZoneInfo("UTC"))
    )

    client.force_login(make_board_member(django_user_model, username="jan"))
    page = BeautifulSoup(client.get(inspect_url(message)).content, "html.parser")

    entry = page.select_one(".contact-thread__entry--reply")
    meta = " ".join(entry.select_one(".contact-thread__meta").get_text().split())
    assert meta == "Odpowiedź zarządu — Ewa Zarządowa, 25 listopada 2026, 16:21 (wysłana)"
    assert "Spotkanie jest w piątek." in entry.get_text()


def test_the_resident_waits_when_smtp_is_away_and_gets_the_answer_once_it_is_back(
    smtp_server, board_client, association_mailbox
):
    message = make_contact_message()
    smtp_server.stop()
    reply(board_client, message, "Odpowiedź, która poczeka.")

    run_mail_worker()
    entry = ThreadEntry.objects.get(message=message)
    assert entry.delivery_state == ThreadEntry.DeliveryState.PENDING
    assert entry.delivery_attempts == 1
    assert "ConnectionRefusedError" in entry.delivery_last_error
    page = board_client.get(inspect_url(message)).content.decode()
    assert "Nie udało się połączyć z serwerem poczty" in page

    smtp_server.start()
    make_queued_attempts_due()
    run_mail_worker()
    make_queued_attempts_due()
    run_mail_worker()  # nothing left to send: exactly one e-mail

    assert len(smtp_server.received) == 1
    entry.refresh_from_db()
    assert entry.delivery_state == ThreadEntry.DeliveryState.SENT
    assert entry.delivery_attempts == 2


def test_an_answer_the_smtp_server_refuses_for_good_shows_as_not_delivered_at_once(
    smtp_server, board_client, association_mailbox
):
    async def refuse_recipient(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"

    smtp_server.mailbox.handle_RCPT = refuse_recipient
    message = make_contact_message()
    reply(board_client, message, "Odpowiedź na adres, którego nie ma.")

    run_mail_worker()

    entry = ThreadEntry.objects.get(message=message)
    assert entry.delivery_state == ThreadEntry.DeliveryState.FAILED, "not after 26 hours: now"
    assert "550" in entry.delivery_last_error


def test_an_answer_claimed_by_a_worker_killed_a_moment_ago_is_sent_once_it_restarts(
    smtp_server, board_client, association_mailbox
):
    """The worker died seconds after claiming the reply and is started again at once: the
    answer is queued for when the dead worker's claim runs out, not left waiting for good."""
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from contact.durable_mail import stale_claim
    from contact.replies import send_reply

    message = make_contact_message()
    reply(board_client, message, "Odpowiedź sprzed awarii.")
    moment_ago = timezone.now() - timedelta(seconds=10)
    DBTaskResult.objects.filter(task_path=send_reply.module_path).update(
        status="RUNNING", started_at=moment_ago
    )
    ThreadEntry.objects.update(
        delivery_state="sending", delivery_attempts=1, delivery_claimed_at=moment_ago
    )

    call_command("start_mail_jobs", stdout=StringIO())
    [attempt] = DBTaskResult.objects.filter(task_path=send_reply.module_path, status="READY")
    assert attempt.run_after >= moment_ago + stale_claim()  # a live worker would finish first

    # The claim's time runs out.
    ThreadEntry.objects.update(delivery_claimed_at=moment_ago - stale_claim())
    make_queued_attempts_due()
    run_mail_worker()

    assert len(smtp_server.received) == 1
    entry = ThreadEntry.objects.get(message=message)
    assert (entry.delivery_state, entry.delivery_attempts) == ("sent", 2)


def test_the_board_starts_from_a_ready_answer(board_client, association_mailbox):
    ready = ReplyTemplate.objects.create(
        title="Termin spotkania", text="Dzień dobry {name}, zapraszamy w piątek."
    )
    message = make_contact_message(sender_name="Anna Kowalska")

    page = BeautifulSoup(
        board_client.get(f"{inspect_url(message)}?gotowa={ready.pk}").content, "html.parser"
    )

    textarea = page.select_one("textarea[name=text]")
    assert textarea.get_text().strip() == "Dzień dobry Anna Kowalska, zapraszamy w piątek."


def test_the_board_edits_its_ready_answers(board_client):
    response = board_client.post(
        "/admin/ready-answers/new/", {"title": "Podziękowanie", "text": "Dziękujemy {name}!"}
    )
    assert response.status_code == 302
    assert ReplyTemplate.objects.get().title == "Podziękowanie"


def test_spam_gets_no_reply(board_client, smtp_server, association_mailbox):
    message = make_contact_message(is_spam=True, spam_reason="honeypot")
    reply(board_client, message, "To nie powinno wyjść.")
    run_mail_worker()
    assert not ThreadEntry.objects.exists()
    assert smtp_server.received == []


def test_a_reply_needs_the_csrf_token(django_user_model, association_mailbox):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_board_member(django_user_model))
    message = make_contact_message()
    response = client.post(f"/admin/messages/reply/{message.pk}/", {"text": "x"})
    assert response.status_code == 403
    assert not ThreadEntry.objects.exists()
