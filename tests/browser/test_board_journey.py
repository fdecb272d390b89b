"""A board member finds a question that has waited too long on the dashboard, answers it from
a ready answer in a real browser, and sees the resident's reply come back into the thread
(real mail worker, real SMTP server, real Dovecot IMAP server)."""

import shutil
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from contact.models import ReplyTemplate, ThreadEntry
from tests.factories import make_board_member, make_contact_message, run_mail_worker
from tests.imap_server import DOVECOT

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not shutil.which(DOVECOT), reason="Dovecot is not installed"),
]

PASSWORD = "haslo-redaktora-123"


def test_board_member_answers_a_forgotten_question_and_sees_the_residents_reply(
    page, public_site, smtp_server, imap_server, django_user_model, artifacts_dir
):
    from wagtail.models import Site

    from pages.models import AssociationSettings

    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.board_recipients = "zarzad@plac-nzs.example"
    association.public_email = "kontakt@plac-nzs.example"
    association.save()
    make_board_member(django_user_model, username="ewa", first_name="Ewa", last_name="Zarządowa")
    ReplyTemplate.objects.create(
        title="Termin spotkania",
        text="Dzień dobry {name},\nspotkanie mieszkańców jest w piątek o 18:00.",
    )
    message = make_contact_message(
        sender_name="Anna Kowalska",
        text="Kiedy będzie następne spotkanie mieszkańców?",
        received_at=timezone.now() - timedelta(days=4),
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(public_site + "/admin/")
    page.get_by_label("Nazwa użytkownika").fill("ewa")
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()

    # The dashboard says what waits.
    panel = page.locator("#messages-summary-section")
    expect(panel).to_contain_text("Bez odpowiedzi dłużej niż 3 dni: 1")
    panel.screenshot(path=artifacts_dir / "board-dashboard-panel.png")
    panel.get_by_role("link", name="Bez odpowiedzi dłużej niż 3 dni: 1").click()
    page.get_by_role("link", name="Anna Kowalska").click()
    expect(page.get_by_role("link", name="anna@example.org", exact=True)).to_have_attribute(
        "href", "mailto:anna@example.org"
    )

    # A ready answer, finished by hand, sent.
    page.get_by_label("Zacznij od gotowej odpowiedzi").select_option(label="Termin spotkania")
    page.get_by_role("button", name="Wstaw").click()
    reply = page.get_by_label("Twoja odpowiedź dla mieszkańca")
    expect(reply).to_have_value(
        "Dzień dobry Anna Kowalska,\nspotkanie mieszkańców jest w piątek o 18:00."
    )
    reply.press("Control+End")
    reply.type("\nZapraszamy!")
    page.get_by_role("button", name="Wyślij odpowiedź").click()
    expect(page.get_by_text("zostanie wysłana na adres anna@example.org")).to_be_visible()

    run_mail_worker()
    [sent] = [m["message"] for m in smtp_server.received]
    body = sent.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith(
        "Dzień dobry Anna Kowalska,\nspotkanie mieszkańców jest w piątek o 18:00.\nZapraszamy!"
    )

    # The resident presses "Reply" in her mail program.
    answer = EmailMessage()
    answer["From"] = "Anna Kowalska <anna@example.org>"
    answer["To"] = str(sent["Reply-To"])
    answer["Subject"] = "Re: " + str(sent["Subject"]).strip()
    answer["Message-ID"] = make_msgid(domain="example.org")
    answer["In-Reply-To"] = str(sent["Message-ID"])
    answer["References"] = f"{sent['References']} {sent['Message-ID']}"
    answer.set_content(
        "Dziękuję, przyjdę!\n\nW dniu 25.11.2026 o 16:21, Plac NZS pisze:\n> Zapraszamy!\n"
    )
    imap_server.deliver(answer.as_bytes())
    call_command("start_mail_jobs", stdout=StringIO())
    run_mail_worker()
    assert ThreadEntry.objects.filter(message=message, kind="inbound").exists()

    page.reload()
    thread = page.locator(".contact-thread")
    expect(thread.locator(".contact-thread__entry--reply")).to_contain_text(
        "Odpowiedź zarządu — Ewa Zarządowa"
    )
    expect(thread.locator(".contact-thread__entry--reply")).to_contain_text("(wysłana)")
    expect(thread.locator(".contact-thread__entry--inbound")).to_contain_text("Dziękuję, przyjdę!")
    thread.screenshot(path=artifacts_dir / "board-thread.png")
    page.screenshot(path=artifacts_dir / "board-message-page.png", full_page=True)
