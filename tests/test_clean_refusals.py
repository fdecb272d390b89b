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


@pytest.mark.parametrize("url", ["/kontakt/", "/kontakt/dziekujemy/", "/kontakt/formularz.json"])
def test_head_is_answered_wherever_get_is(visitor, url):
    assert visitor.head(url).status_code == 200
