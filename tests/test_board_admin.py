"""The board reads residents' messages in the Wagtail admin under "Wiadomości"."""

import csv
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contact.models import ContactMessage
from tests.factories import make_board_member, make_contact_message, make_editor

pytestmark = pytest.mark.django_db

INDEX = "/admin/messages/"
WARSAW = ZoneInfo("Europe/Warsaw")


def inspect_url(message):
    return f"/admin/messages/inspect/{message.pk}/"


@pytest.fixture
def board_client(client, django_user_model):
    client.force_login(make_board_member(django_user_model))
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(make_editor(django_user_model))
    return client


def listed_names(response):
    html = response.content.decode()
    names = ["Najstarsza Osoba", "Środkowa Osoba", "Najnowsza Osoba"]
    return sorted((html.index(n), n) for n in names if n in html)


def test_board_member_sees_messages_newest_first(board_client):
    now = timezone.now()
    make_contact_message(sender_name="Najstarsza Osoba", received_at=now - timedelta(days=3))
    make_contact_message(sender_name="Najnowsza Osoba", received_at=now)
    make_contact_message(sender_name="Środkowa Osoba", received_at=now - timedelta(days=1))

    response = board_client.get(INDEX)

    assert response.status_code == 200
    assert [n for _, n in listed_names(response)] == [
        "Najnowsza Osoba",
        "Środkowa Osoba",
        "Najstarsza Osoba",
    ]


def test_a_name_in_the_list_opens_the_message(board_client):
    message = make_contact_message(sender_name="Najnowsza Osoba")
    html = board_client.get(INDEX).content.decode()
    assert f'href="{inspect_url(message)}"' in html


def test_the_list_warns_when_no_board_address_is_set(board_client):
    from tests.factories import set_board_recipients

    warning = "Nie ustawiono adresów e-mail zarządu"
    assert warning in board_client.get(INDEX).content.decode()
    set_board_recipients()
    assert warning not in board_client.get(INDEX).content.decode()


def test_the_list_says_messages_go_to_the_administrators_while_no_board_address_is_set(
    board_client, django_user_model
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "x")

    html = board_client.get(INDEX).content.decode()

    assert "wiadomości trafiają do administratorów (admin@example.org)" in html
    assert "czekają niedoręczone" not in html
    dashboard = board_client.get("/admin/").content.decode()
    assert "wiadomości trafiają do administratorów (admin@example.org)" in dashboard


def test_the_menu_shows_wiadomosci_to_the_board_and_not_to_an_editor(client, django_user_model):
    board_member = make_board_member(django_user_model)
    editor = make_editor(django_user_model)

    # The sidebar menu is a JSON structure in the page.
    label = json.dumps("Wiadomości")[1:-1]
    menu_item = f'{label}", "icon_name": "mail", "classname": "", "attrs": {{}}, "url": "{INDEX}"'

    client.force_login(board_member)
    assert menu_item in client.get("/admin/").content.decode()

    client.force_login(editor)
    assert INDEX not in client.get("/admin/").content.decode()


def test_an_ordinary_editor_cannot_see_or_touch_messages(editor_client):
    message = make_contact_message(delivery_state=ContactMessage.DeliveryState.FAILED)
    urls = [
        INDEX,
        INDEX + "?export=csv",
        INDEX + "?export=xlsx",
        inspect_url(message),
        f"/admin/messages/edit/{message.pk}/",
        f"/admin/messages/delete/{message.pk}/",
    ]
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code == 403, url
        assert "Zarząd" in response.content.decode()
    assert editor_client.post(f"/admin/messages/resend/{message.pk}/").status_code == 403
    assert editor_client.post(f"/admin/messages/delete/{message.pk}/").status_code == 403
    assert ContactMessage.objects.filter(pk=message.pk).exists()


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client):
    message = make_contact_message()
    response = client.get(inspect_url(message))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_nobody_adds_messages_in_the_admin(admin_client, board_client):
    assert board_client.get("/admin/messages/new/").status_code == 404
    assert admin_client.get("/admin/messages/new/").status_code == 404
    assert "/admin/messages/new/" not in admin_client.get(INDEX).content.decode()


def test_a_superuser_sees_messages_too(admin_client):
    make_contact_message(sender_name="Najnowsza Osoba")
    assert "Najnowsza Osoba" in admin_client.get(INDEX).content.decode()


def test_the_board_filters_by_handling_delivery_spam_and_date(board_client):
    State = ContactMessage.DeliveryState
    Handling = ContactMessage.HandlingState
    make_contact_message(
        sender_name="Najstarsza Osoba",
        delivery_state=State.FAILED,
        received_at=datetime(2026, 3, 10, 12, tzinfo=WARSAW),
    )
    make_contact_message(
        sender_name="Środkowa Osoba",
        handling_state=Handling.ANSWERED,
        delivery_state=State.SENT,
        received_at=datetime(2026, 6, 15, 12, tzinfo=WARSAW),
    )
    make_contact_message(
        sender_name="Najnowsza Osoba",
        is_spam=True,
        delivery_state=State.NOT_SENT,
        received_at=datetime(2026, 9, 20, 12, tzinfo=WARSAW),
    )

    def names(query):
        return [n for _, n in listed_names(board_client.get(INDEX + query))]

    assert names("?delivery_state=failed") == ["Najstarsza Osoba"]
    assert names("?handling_state=answered") == ["Środkowa Osoba"]
    assert names("?is_spam=true") == ["Najnowsza Osoba"]
    assert names("?received_at_from=2026-06-01&received_at_to=2026-06-30") == ["Środkowa Osoba"]
    assert names("?received_at_from=2026-06-15") == ["Najnowsza Osoba", "Środkowa Osoba"]


def test_the_board_searches_names_addresses_and_text(board_client):
    make_contact_message(sender_name="Najstarsza Osoba", text="O ławkach na placu")
    make_contact_message(sender_name="Środkowa Osoba", sender_email="srodek@example.org")
    make_contact_message(sender_name="Najnowsza Osoba", text="O koncercie")

    def names(q):
        return [n for _, n in listed_names(board_client.get(INDEX, {"q": q}))]

    assert names("ławkach") == ["Najstarsza Osoba"]
    assert names("srodek@") == ["Środkowa Osoba"]
    assert names("Najnowsza") == ["Najnowsza Osoba"]


def test_the_detail_view_shows_the_whole_text_escaped(board_client):
    message = make_contact_message(
        sender_name="<img src=x onerror=alert(1)>",
        text='Pierwsza linia\n<script>alert("x")</script>',
    )

    response = board_client.get(inspect_url(message))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Pierwsza linia<br>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_board_changes_the_handling_state(board_client):
    message = make_contact_message(text="Nie zmieniajcie mojego tekstu")

    response = board_client.post(
        f"/admin/messages/edit/{message.pk}/",
        {"handling_state": "answered", "text": "podmieniony", "sender_email": "x@example.org"},
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.handling_state == ContactMessage.HandlingState.ANSWERED
    # Only the handling state can be changed: what the resident sent stays as it was.
    assert (message.text, message.sender_email) == (
        "Nie zmieniajcie mojego tekstu",
        "anna@example.org",
    )


def test_the_board_resends_a_failed_delivery(board_client):
    message = make_contact_message(
        delivery_state=ContactMessage.DeliveryState.FAILED,
        delivery_attempts=9,
        delivery_last_error="SMTPServerDisconnected",
    )
    page = board_client.get(inspect_url(message)).content.decode()
    assert f'action="/admin/messages/resend/{message.pk}/"' in page
    assert "csrfmiddlewaretoken" in page

    assert board_client.get(f"/admin/messages/resend/{message.pk}/").status_code == 405
    response = board_client.post(f"/admin/messages/resend/{message.pk}/")

    assert response.status_code == 302
    assert response["Location"] == inspect_url(message)
    message.refresh_from_db()
    assert message.delivery_state == ContactMessage.DeliveryState.PENDING
    attempt = DBTaskResult.objects.get(status="READY")
    assert attempt.args_kwargs["kwargs"]["message_id"] == message.pk
    assert attempt.args_kwargs["kwargs"]["attempt"] == 10


def test_a_sent_message_has_no_resend_and_is_not_resent(board_client):
    message = make_contact_message(delivery_state=ContactMessage.DeliveryState.SENT)
    assert "/resend/" not in board_client.get(inspect_url(message)).content.decode()

    board_client.post(f"/admin/messages/resend/{message.pk}/")

    message.refresh_from_db()
    assert message.delivery_state == ContactMessage.DeliveryState.SENT
    assert not DBTaskResult.objects.exists()


def test_resending_needs_a_csrf_token(client, django_user_model):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_board_member(django_user_model))
    message = make_contact_message(delivery_state=ContactMessage.DeliveryState.FAILED)

    assert csrf_client.post(f"/admin/messages/resend/{message.pk}/").status_code == 403
    assert not DBTaskResult.objects.exists()


def test_the_board_deletes_a_message(board_client):
    message = make_contact_message()
    response = board_client.post(f"/admin/messages/delete/{message.pk}/")
    assert response.status_code == 302
    assert not ContactMessage.objects.filter(pk=message.pk).exists()


def test_csv_export_opens_in_excel_with_polish_letters_and_no_formulas(board_client):
    make_contact_message(
        sender_name='=HYPERLINK("http://zły.example")',
        sender_email="zly@example.org",
        text="+48 600 000 000 albo -1 albo @SUM(A1)",
        received_at=datetime(2026, 5, 4, 10, 30, tzinfo=WARSAW),
    )
    make_contact_message(sender_name="Żaneta Łęcka", text="Zwykłe pytanie, ąęśćźż")

    response = board_client.get(INDEX + "?export=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="wiadomosci.csv"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Numer", "Otrzymano", "Imię i nazwisko", "Adres e-mail", "Wiadomość"]
    by_email = {row[3]: row for row in rows[1:]}
    assert by_email["anna@example.org"][2] == "Żaneta Łęcka"
    assert by_email["anna@example.org"][4] == "Zwykłe pytanie, ąęśćźż"
    assert by_email["anna@example.org"][5] == "nowa"
    bad = by_email["zly@example.org"]
    assert bad[2] == '\'=HYPERLINK("http://zły.example")'
    assert bad[4] == "'+48 600 000 000 albo -1 albo @SUM(A1)"
    assert bad[1].startswith("2026-05-04")


def test_xlsx_export_holds_the_messages_as_text(board_client):
    from openpyxl import load_workbook

    make_contact_message(sender_name="=1+1", text="Zażółć gęślą jaźń")

    response = board_client.get(INDEX + "?export=xlsx")

    assert response.status_code == 200
    assert 'filename="wiadomosci.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Imię i nazwisko"
    assert rows[1][2] == "=1+1"
    assert rows[1][4] == "Zażółć gęślą jaźń"
    assert sheet.cell(row=2, column=3).data_type == "s"  # text, not a formula


def split_as_a_spreadsheet_would(data, separator):
    """Fields as a program splitting on `separator` sees them, with and without quotes."""
    text = data.decode("utf-8-sig")
    with_quotes = list(csv.reader(io.StringIO(text), delimiter=separator))
    naive = [line.split(separator) for line in text.splitlines()]
    return with_quotes, naive


@pytest.mark.parametrize(("separator", "query"), [(",", ""), (";", "&separator=semicolon")])
def test_no_cell_of_the_export_starts_a_formula_with_either_separator(
    board_client, separator, query
):
    make_contact_message(
        sender_name="Jan;=2+5;",
        sender_email="jan@example.org",
        text='Dzień dobry,=HYPERLINK("http://zły.example"); -1;@SUM(A1),\t=1',
        received_at=datetime(2026, 1, 15, 23, 30, tzinfo=ZoneInfo("UTC")),
    )

    response = board_client.get(INDEX + "?export=csv" + query)

    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    with_quotes, naive = split_as_a_spreadsheet_would(data, separator)
    assert all(len(row) == len(with_quotes[0]) for row in with_quotes), "one row per message"
    for row in [*with_quotes, *naive]:
        for cell in row:
            assert not cell.strip(' "').startswith(("=", "+", "-", "@", "\t", "\r")), cell
    header, jan = with_quotes
    assert jan[header.index("Imię i nazwisko")] == "Jan;'=2+5;"
    # Every field quoted, so ";" and "," inside one stay in that one cell.
    assert data.decode("utf-8-sig").splitlines()[1].startswith(f'"{jan[0]}"{separator}"')
    # 23:30 UTC on 15 January is already the 16th in Warsaw; booleans in Polish.
    assert jan[header.index("Otrzymano")] == "2026-01-16 00:30"
    assert jan[header.index("Spam")] == "Nie"


def test_the_polish_excel_export_is_offered_and_named_apart(board_client):
    listing = board_client.get(INDEX)
    assert "separator=semicolon" in listing.content.decode()

    response = board_client.get(INDEX + "?export=csv&separator=semicolon")

    assert 'filename="wiadomosci-excel.csv"' in response["Content-Disposition"]
