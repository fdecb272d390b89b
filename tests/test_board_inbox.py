"""Several board members share the inbox: who handles what, notes, filters, the dashboard,
plain Polish and local times, and the resident's RODO rights over the whole thread."""

import io
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from contact import replies
from contact.models import ContactMessage, ThreadEntry
from tests.factories import make_board_member, make_contact_message, set_board_recipients

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
INDEX = "/admin/messages/"


def inspect_url(message):
    return f"/admin/messages/inspect/{message.pk}/"


@pytest.fixture
def ewa(django_user_model):
    return make_board_member(
        django_user_model, username="ewa", first_name="Ewa", last_name="Zarządowa"
    )


@pytest.fixture
def jan(django_user_model):
    return make_board_member(django_user_model, username="jan")


@pytest.fixture
def board_client(client, ewa):
    client.force_login(ewa)
    return client


def page_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def listed_names(response):
    return [a.get_text(strip=True) for a in page_of(response).select("td.title .title-wrapper a")]


# --- Working together ---------------------------------------------------------------------


def test_a_board_member_takes_a_message_and_the_others_see_it(board_client, ewa, jan):
    message = make_contact_message()

    response = board_client.post(f"/admin/messages/assign/{message.pk}/", {"assigned_to": ewa.pk})

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.assigned_to == ewa
    board_client.force_login(jan)
    assert "Ewa Zarządowa" in page_of(board_client.get(inspect_url(message))).get_text()


def test_only_board_members_can_be_assigned(board_client, django_user_model):
    from tests.factories import make_editor

    outsider = make_editor(django_user_model, username="redaktor")
    message = make_contact_message()
    board_client.post(f"/admin/messages/assign/{message.pk}/", {"assigned_to": outsider.pk})
    message.refresh_from_db()
    assert message.assigned_to is None


def test_an_internal_note_stays_in_the_admin(board_client, ewa, mailoutbox):
    message = make_contact_message()

    board_client.post(f"/admin/messages/note/{message.pk}/", {"text": "Zadzwonię do niej jutro."})

    note = ThreadEntry.objects.get(message=message)
    assert (note.kind, note.author, note.delivery_state) == (ThreadEntry.Kind.NOTE, ewa, "")
    assert mailoutbox == []
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()  # nothing queued for sending
    text = page_of(board_client.get(inspect_url(message))).select_one(
        ".contact-thread__entry--note"
    )
    assert "Zadzwonię do niej jutro." in text.get_text()
    assert "Notatka wewnętrzna — Ewa Zarządowa" in " ".join(text.get_text().split())


def test_the_filters_mine_unassigned_and_waiting_too_long(board_client, ewa, jan):
    now = timezone.now()
    make_contact_message(sender_name="Moja Sprawa", assigned_to=ewa)
    make_contact_message(sender_name="Sprawa Jana", assigned_to=jan)
    make_contact_message(sender_name="Nowa Nieprzypisana")
    make_contact_message(sender_name="Stara Bez Odpowiedzi", received_at=now - timedelta(days=4))
    make_contact_message(
        sender_name="Stara Odpowiedziana",
        received_at=now - timedelta(days=5),
        handling_state=ContactMessage.HandlingState.ANSWERED,
    )

    assert listed_names(board_client.get(INDEX, {"kolejka": "moje"})) == ["Moja Sprawa"]
    assert sorted(listed_names(board_client.get(INDEX, {"kolejka": "nieprzypisane"}))) == [
        "Nowa Nieprzypisana",
        "Stara Bez Odpowiedzi",
        "Stara Odpowiedziana",
    ]
    assert listed_names(board_client.get(INDEX, {"kolejka": "czekajace"})) == [
        "Stara Bez Odpowiedzi"
    ]


def test_the_address_is_a_mailto_link(board_client):
    message = make_contact_message(sender_email="anna@example.org")
    link = page_of(board_client.get(inspect_url(message))).find("a", href="mailto:anna@example.org")
    assert link is not None and link.get_text() == "anna@example.org"


# --- The dashboard ------------------------------------------------------------------------------


def dashboard_panel(client):
    panel = page_of(client.get("/admin/")).find(id="messages-summary-section")
    assert panel is not None, "no messages panel on the dashboard"
    return " ".join(panel.get_text().split())


def test_the_dashboard_counts_new_waiting_and_undelivered_messages(board_client):
    set_board_recipients()
    now = timezone.now()
    make_contact_message()
    make_contact_message(received_at=now - timedelta(days=2))
    make_contact_message(received_at=now - timedelta(days=4))
    make_contact_message(
        received_at=now - timedelta(days=4), handling_state=ContactMessage.HandlingState.ANSWERED
    )
    make_contact_message(delivery_state=ContactMessage.DeliveryState.FAILED)
    make_contact_message(is_spam=True, received_at=now - timedelta(days=9))

    text = dashboard_panel(board_client)

    assert "Nowe: 4" in text
    assert "Bez odpowiedzi dłużej niż 3 dni: 1" in text
    assert "Niedoręczone do zarządu: 1" in text
    assert "Nie ustawiono adresów" not in text


def test_a_question_shows_up_as_waiting_after_n_days(board_client, settings):
    set_board_recipients()
    settings.CONTACT_UNANSWERED_DAYS = 7
    make_contact_message(received_at=timezone.now() - timedelta(days=6))
    assert "Bez odpowiedzi dłużej niż 7 dni: 0" in dashboard_panel(board_client)
    ContactMessage.objects.update(received_at=timezone.now() - timedelta(days=8))
    assert "Bez odpowiedzi dłużej niż 7 dni: 1" in dashboard_panel(board_client)


def test_the_dashboard_warns_when_no_board_address_is_set(board_client):
    assert "Nie ustawiono adresów e-mail zarządu, więc wiadomości czekają niedoręczone." in (
        dashboard_panel(board_client)
    )


def test_an_editor_sees_no_messages_panel(client, django_user_model):
    from tests.factories import make_editor

    client.force_login(make_editor(django_user_model))
    assert page_of(client.get("/admin/")).find(id="messages-summary-section") is None


# --- Plain Polish and local times -------------------------------------------------------------


def test_the_message_page_speaks_plain_polish_in_local_time(board_client):
    message = make_contact_message(
        received_at=datetime(2026, 7, 3, 14, 21, tzinfo=UTC),
        consent_clause_version="sha256:35e44cf00d73",
        delivery_state=ContactMessage.DeliveryState.PENDING,
        delivery_last_error="NoBoardRecipients: No board e-mail addresses in the site settings.",
        is_spam=False,
    )

    text = " ".join(page_of(board_client.get(inspect_url(message))).get_text().split())

    assert "3 lipca 2026, 16:21" in text  # summer time in Warsaw
    assert "sha256" not in text
    assert "treść obowiązująca od 3 lipca 2026" in text
    assert "Nie ustawiono adresów e-mail zarządu" in text
    assert "Powód" not in text  # the spam reason is part of the one spam line


def test_spam_is_one_line_with_its_reason(board_client):
    message = make_contact_message(is_spam=True, spam_reason="honeypot")
    text = " ".join(page_of(board_client.get(inspect_url(message))).get_text().split())
    assert "tak – wypełnione ukryte pole" in text


def test_the_exports_use_warsaw_time_and_real_date_cells(board_client):
    from openpyxl import load_workbook

    make_contact_message(received_at=datetime(2026, 1, 10, 15, 21, tzinfo=UTC))

    csv_text = board_client.get(INDEX, {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert "2026-01-10 16:21" in csv_text

    workbook = load_workbook(io.BytesIO(board_client.get(INDEX, {"export": "xlsx"}).getvalue()))
    cells = [c.value for row in workbook.active.iter_rows(min_row=2) for c in row]
    assert datetime(2026, 1, 10, 16, 21) in cells


# --- RODO -------------------------------------------------------------------------------------


def thread_for(message, user):
    replies.add_note(message, user, "Notatka o Annie")
    ThreadEntry.objects.create(
        message=message, kind=ThreadEntry.Kind.INBOUND, text="Odpowiedź Anny", attachments="a.pdf"
    )


def test_erasing_a_sender_erases_their_whole_thread(ewa):
    message = make_contact_message(sender_email="anna@example.org")
    thread_for(message, ewa)
    other = make_contact_message(sender_email="jan@example.org")
    thread_for(other, ewa)

    call_command("erase_sender", "anna@example.org", stdout=StringIO())

    assert not ThreadEntry.objects.filter(message_id=message.pk).exists()
    assert ThreadEntry.objects.filter(message=other).count() == 2


def test_retention_deletes_old_threads(ewa):
    old = make_contact_message(received_at=timezone.now() - timedelta(days=800))
    thread_for(old, ewa)
    call_command("delete_old_messages", stdout=StringIO())
    assert not ThreadEntry.objects.exists()


def test_the_access_request_is_one_click(board_client, ewa):
    first = make_contact_message(
        sender_email="anna@example.org",
        text="Pierwsze pytanie",
        received_at=datetime(2026, 3, 1, 11, 0, tzinfo=UTC),
    )
    thread_for(first, ewa)
    make_contact_message(sender_email="ANNA@example.org", text="Drugie pytanie")
    make_contact_message(sender_email="jan@example.org", text="Pytanie Jana")

    response = board_client.get(f"/admin/messages/access/{first.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert "Pierwsze pytanie" in text and "Drugie pytanie" in text
    assert "Pytanie Jana" not in text
    assert "1 marca 2026, 12:00" in text
    assert "Notatka o Annie" in text and "Odpowiedź Anny" in text and "a.pdf" in text


def test_the_access_export_costs_the_same_queries_for_2_or_12_messages(board_client, ewa):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count):
        ContactMessage.objects.all().delete()
        for _number in range(count):
            thread_for(make_contact_message(sender_email="anna@example.org"), ewa)
        first = ContactMessage.objects.order_by("pk").first()
        with CaptureQueriesContext(connection) as captured:
            text = board_client.get(f"/admin/messages/access/{first.pk}/").content.decode()
        assert text.count("treść obowiązująca od") == count
        return len(captured)

    queries_for(1)  # the first request fills the settings and session caches
    assert queries_for(2) == queries_for(12)


def test_an_editor_cannot_read_the_access_export(client, django_user_model):
    from tests.factories import make_editor

    message = make_contact_message()
    client.force_login(make_editor(django_user_model))
    assert client.get(f"/admin/messages/access/{message.pk}/").status_code == 403


def test_the_list_costs_the_same_queries_for_3_or_30_assigned_messages(board_client, ewa, jan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count):
        ContactMessage.objects.all().delete()
        for number in range(count):
            make_contact_message(assigned_to=ewa if number % 2 else jan)
        with CaptureQueriesContext(connection) as captured:
            assert board_client.get(INDEX).status_code == 200
        return len(captured)

    queries_for(1)  # the first request fills the settings and session caches
    assert queries_for(3) == queries_for(30)
