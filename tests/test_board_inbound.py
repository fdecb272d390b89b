"""The resident answers the board's reply from their own mail program; the mail worker reads
it from the association's mailbox (a real Dovecot IMAP server) into the same thread."""

import shutil
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from contact.models import ContactMessage, ThreadEntry
from contact.replies import signed_reply_address
from tests.factories import (
    make_board_member,
    make_contact_message,
    run_mail_worker,
    set_board_recipients,
)
from tests.imap_server import DOVECOT

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not shutil.which(DOVECOT), reason="Dovecot is not installed (make test-tools)"
    ),
]


@pytest.fixture
def board_client(client, django_user_model):
    set_board_recipients()
    client.force_login(make_board_member(django_user_model, username="ewa"))
    return client


def board_replies(client, smtp_server, message, text="Spotkanie jest w piątek o 18:00."):
    client.post(f"/admin/messages/reply/{message.pk}/", {"text": text})
    run_mail_worker()
    return smtp_server.received[-1]["message"]


def residents_answer(answered, text, **headers):
    """What Thunderbird sends when the resident presses "Reply" on `answered`."""
    mail = EmailMessage()
    mail["From"] = "Anna Kowalska <anna@example.org>"
    mail["To"] = str(answered["Reply-To"]).strip()
    mail["Subject"] = "Re: " + str(answered["Subject"]).strip()
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = make_msgid(domain="example.org")
    mail["In-Reply-To"] = str(answered["Message-ID"]).strip()
    mail["References"] = (
        f"{str(answered['References']).strip()} {str(answered['Message-ID']).strip()}"
    )
    for name, value in headers.items():
        del mail[name.replace("_", "-")]
        if value is not None:
            mail[name.replace("_", "-")] = value
    mail.set_content(text)
    return mail


# "-- " (with its space) starts a signature, RFC 3676.
ANSWER = """Dziękuję, w piątek przyjdę z sąsiadką.

Pozdrawiam
Anna
--\x20
Anna Kowalska
ul. Lipowa 1, Białystok

W dniu 25.11.2026 o 16:21, Stowarzyszenie Plac NZS pisze:
> Spotkanie jest w piątek o 18:00.
"""


def read_the_mailbox():
    call_command("start_mail_jobs", stdout=StringIO())
    run_mail_worker()


def test_the_residents_answer_appears_in_the_thread(
    smtp_server, imap_server, board_client, settings
):
    settings.CONTACT_REPLY_ADDRESS = "odpowiedzi@plac-nzs.example"
    message = make_contact_message()
    sent = board_replies(board_client, smtp_server, message)
    answer = residents_answer(sent, ANSWER)
    answer.add_attachment(
        b"%PDF-1.4 skan", maintype="application", subtype="pdf", filename="skan-wniosku.pdf"
    )
    imap_server.deliver(answer.as_bytes())

    read_the_mailbox()

    inbound = ThreadEntry.objects.get(message=message, kind=ThreadEntry.Kind.INBOUND)
    assert inbound.message_id_header == answer["Message-ID"]
    # Quoted history and signature cut off for reading; the whole text kept.
    assert inbound.display_text == "Dziękuję, w piątek przyjdę z sąsiadką."
    assert "> Spotkanie jest w piątek o 18:00." in inbound.text
    assert "ul. Lipowa 1" in inbound.text
    # The attachment is named, never stored.
    assert inbound.attachments == "skan-wniosku.pdf"
    assert "PDF-1.4" not in inbound.text
    message.refresh_from_db()
    assert message.handling_state == ContactMessage.HandlingState.IN_PROGRESS

    # The board sees it in the same thread, under its own reply.
    page = BeautifulSoup(
        board_client.get(f"/admin/messages/inspect/{message.pk}/").content, "html.parser"
    )
    kinds = [li["class"][-1].rsplit("--", 1)[-1] for li in page.select(".contact-thread__entry")]
    assert kinds == ["reply", "inbound"]
    shown = page.select_one(".contact-thread__entry--inbound")
    assert "Dziękuję, w piątek przyjdę z sąsiadką." in shown.get_text()
    assert "skan-wniosku.pdf" in shown.get_text()

    # Read once: marked as read in the mailbox, and not filed twice on the next poll.
    [(flags, _raw)] = imap_server.inbox()
    assert "\\Seen" in flags
    read_the_mailbox()
    assert ThreadEntry.objects.filter(kind=ThreadEntry.Kind.INBOUND).count() == 1


def test_the_boards_next_reply_answers_the_residents_mail(smtp_server, imap_server, board_client):
    message = make_contact_message()
    first = board_replies(board_client, smtp_server, message)
    answer = residents_answer(first, ANSWER)
    imap_server.deliver(answer.as_bytes())
    read_the_mailbox()

    second = board_replies(board_client, smtp_server, message, "Do zobaczenia!")

    assert str(second["In-Reply-To"]).strip() == answer["Message-ID"]
    assert str(second["References"]).strip().split()[-2:] == [
        str(first["Message-ID"]).strip(),
        answer["Message-ID"],
    ]
    body = second.get_body(preferencelist=("plain",)).get_content()
    assert "> Dziękuję, w piątek przyjdę z sąsiadką." in body


def test_a_mail_program_that_drops_in_reply_to_is_matched_by_references(
    smtp_server, imap_server, board_client
):
    message = make_contact_message()
    sent = board_replies(board_client, smtp_server, message)
    imap_server.deliver(residents_answer(sent, "Dziękuję!", In_Reply_To=None).as_bytes())

    read_the_mailbox()

    assert message.thread.filter(kind=ThreadEntry.Kind.INBOUND).count() == 1


def test_a_new_mail_to_the_signed_reply_address_is_matched(
    smtp_server, imap_server, board_client, settings
):
    settings.CONTACT_REPLY_ADDRESS = "odpowiedzi@plac-nzs.example"
    message = make_contact_message()
    sent = board_replies(board_client, smtp_server, message)
    assert str(sent["Reply-To"]).strip() == signed_reply_address(message)
    fresh = residents_answer(sent, "Jeszcze jedno pytanie.", In_Reply_To=None, References=None)
    fresh.replace_header("Subject", "Nowe pytanie")
    imap_server.deliver(fresh.as_bytes())

    read_the_mailbox()

    assert message.thread.filter(kind=ThreadEntry.Kind.INBOUND).count() == 1


def test_the_number_in_the_subject_matches_only_mail_from_the_resident(imap_server, board_client):
    message = make_contact_message(sender_email="anna@example.org")
    for sender in ("Anna <anna@example.org>", "Obcy <obcy@example.net>"):
        mail = EmailMessage()
        mail["From"] = sender
        mail["To"] = "kontakt@plac-nzs.example"
        mail["Subject"] = f"Odp: Twoje pytanie [#{message.pk}]"
        mail["Message-ID"] = make_msgid(domain="example.org")
        mail.set_content("Uzupełniam pytanie.")
        imap_server.deliver(mail.as_bytes())

    read_the_mailbox()

    [entry] = message.thread.all()
    assert entry.text == "Uzupełniam pytanie."
    flags = sorted("\\Seen" in f for f, _raw in imap_server.inbox())
    assert flags == [False, True]


def test_mail_that_matches_no_thread_stays_in_the_mailbox_untouched(imap_server, board_client):
    make_contact_message()
    newsletter = EmailMessage()
    newsletter["From"] = "Urząd Miasta <biuletyn@example.gov>"
    newsletter["To"] = "kontakt@plac-nzs.example"
    newsletter["Subject"] = "Biuletyn miejski"
    newsletter["Message-ID"] = "<biuletyn-1@example.gov>"
    newsletter["In-Reply-To"] = "<cos-innego@example.gov>"
    newsletter.set_content("Zaproszenie na sesję rady miasta.")
    raw = newsletter.as_bytes()
    imap_server.deliver(raw)

    read_the_mailbox()

    assert not ThreadEntry.objects.exists()
    [(flags, stored)] = imap_server.inbox()
    assert "\\Seen" not in flags
    assert stored.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")


def test_matching_an_answer_costs_the_same_queries_however_many_references_it_names(
    smtp_server, board_client
):
    from email import message_from_bytes, policy

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contact.inbound import find_message

    message = make_contact_message()
    sent = board_replies(board_client, smtp_server, message)
    counts = []
    for made_up in (1, 200):
        noise = " ".join(make_msgid(domain="example.org") for _ in range(made_up))
        answer = residents_answer(sent, "Dziękuję!", In_Reply_To=None)
        answer.replace_header("References", f"{answer['References']} {noise}")
        parsed = message_from_bytes(answer.as_bytes(), policy=policy.default)
        with CaptureQueriesContext(connection) as queries:
            assert find_message(parsed) == message
        counts.append(len(queries))

    assert counts[0] == counts[1]
