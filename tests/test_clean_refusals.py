"""Odd requests get a clear Polish answer, never a 500, a 405 or a message counted wrongly."""

import pytest
from django.test import Client

from contact.mail import header_safe
from contact.models import ContactMessage
from tests.factories import collapse_spaces, fill_in_contact_form

pytestmark = pytest.mark.django_db

CONTACT_URL = "/kontakt/"


@pytest.fixture
def visitor(association_content):
    return Client(enforce_csrf_checks=True)


def field_error(response, field):
    from bs4 import BeautifulSoup

    error = BeautifulSoup(response.content, "html.parser").find(id=f"id_{field}_error")
    return collapse_spaces(error.get_text()) if error else ""


@pytest.mark.parametrize("value", ["0", "false", "no", "off", "", "1", "tak"])
def test_consent_counts_only_for_the_checkboxs_own_value(visitor, value):
    page = visitor.get(CONTACT_URL)

    response = visitor.post(CONTACT_URL, fill_in_contact_form(page, consent=value))

    assert response.status_code == 200
    assert "Zaznacz zgodę" in field_error(response, "consent") or field_error(response, "consent")
    assert not ContactMessage.objects.exists()
    assert 'name="consent" id="id_consent" value="on" checked' not in response.content.decode()


@pytest.mark.parametrize(
    "invisible",
    ["\u200b\u200b", "\u3164", "\u2800\u2800\u2800", "\u202e\u200d", " \u00a0\u2060 "],
)
@pytest.mark.parametrize("field", ["sender_name", "text"])
def test_a_name_or_text_of_invisible_characters_is_required_again(visitor, field, invisible):
    page = visitor.get(CONTACT_URL)

    response = visitor.post(CONTACT_URL, fill_in_contact_form(page, **{field: invisible}))

    assert response.status_code == 200
    required = {"sender_name": "Wpisz swoje imię", "text": "Napisz swoje pytanie"}[field]
    assert required in field_error(response, field)
    assert not ContactMessage.objects.exists()


def test_bidi_controls_are_taken_out_of_the_name_and_the_subject(
    visitor, django_capture_on_commit_callbacks
):
    page = visitor.get(CONTACT_URL)

    with django_capture_on_commit_callbacks():
        response = visitor.post(
            CONTACT_URL, fill_in_contact_form(page, sender_name="Anna \u202eakswoK\u2066")
        )

    assert response.status_code == 303
    assert ContactMessage.objects.get().sender_name == "Anna akswoK"
    assert header_safe("Jan \u202dX\u202c \u2067Y") == "Jan X Y"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/kontakt/",
        "/kontakt/dziekujemy/",
        "/kontakt/formularz.json",
        "/robots.txt",
        "/site.webmanifest",
        "/sitemap.xml",
        "/healthz",
    ],
)
def test_head_is_answered_wherever_get_is(visitor, url):
    assert visitor.head(url).status_code == 200


def wsgi_post(path, body, content_type):
    """A POST as gunicorn hands it to Django, below the test client's own encoding."""
    import io

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "203.0.113.9",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])

    # As Django's test client does: the test's database transaction must stay open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        content = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], content.decode()


@pytest.mark.parametrize("charset", ["utf-16", "utf-7", "cp1250", "x-no-such-charset"])
def test_a_form_in_another_charset_gets_the_polish_400_page(association_content, charset, caplog):
    status, page = wsgi_post(
        CONTACT_URL,
        "sender_name=Żaneta&text=Pytanie".encode("utf-16"),
        f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert status == 400
    assert '<html lang="pl">' in page
    assert "Nie udało się odczytać żądania" in page
    assert 'class="site-header"' in page, "in the site's layout"
    assert "Traceback" not in caplog.text
    assert not ContactMessage.objects.exists()


def test_a_form_in_utf8_is_read_as_before(association_content):
    status, _page = wsgi_post(
        CONTACT_URL, b"sender_name=%C5%BB", "application/x-www-form-urlencoded; charset=UTF-8"
    )
    assert status in (200, 403)  # the form again, or the missing CSRF token: never 400


def test_an_unknown_host_gets_the_polish_400_page(db):
    response = Client().get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "Nie udało się odczytać żądania" in response.content.decode()
